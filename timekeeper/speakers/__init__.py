"""Who is speaking: voice profiles, online identification and the speaking rules.

numpy only. See encoder (GE2E voice prints), enroll.enroll_from_samples,
profiles.ProfileStore, identify.SpeakerTracker and rules.RuleEngine.
"""
