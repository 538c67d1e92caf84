"""Who is speaking: voice profiles, online identification and the speaking rules.

numpy only. See identify.SpeakerTracker, enroll.enroll_from_samples, profiles.ProfileStore
and rules.RuleEngine.
"""
