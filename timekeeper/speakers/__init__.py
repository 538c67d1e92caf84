"""Who is speaking: voice profiles, online identification, speaking ledger and rules.

numpy only. See identify.SpeakerTracker, enroll.enroll_from_samples, profiles.ProfileStore,
ledger.SpeakingLedger and rules.RuleEngine.
"""
