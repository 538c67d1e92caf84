"""Audio: sources (microphone, WAV), conversion to 16 kHz mono, voice activity."""
