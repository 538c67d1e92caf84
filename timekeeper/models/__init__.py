"""Speech model manager: manifest, download with resume and checksum, safe unpacking."""
