"""timekeeper: an offline, voice-assisted timekeeper for co-development workshops."""

import os

# Speaker identification multiplies many small matrices: BLAS threads only add start-up
# cost there (measured 1.6 s vs 6.7-26 s of CPU per audio hour on 2 cores).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
