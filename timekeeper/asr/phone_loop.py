"""The free phone-loop decode of a segment in a helper process, beside the grammar decode.

pocketsphinx holds the GIL while it decodes, so a thread would not overlap with the grammar
decode, and neither would a process pool (its feeder thread waits for the GIL). The helper
is a plain ``python -m timekeeper.asr.phone_loop`` child on two pipes: the audio is written
from the caller's thread before the grammar decode starts. A plain child rather than
``multiprocessing`` also means the caller's ``__main__`` is never re-imported (scripts
without a main guard, ``python -c``, stdin).

Protocol: the child writes ``R`` once its model is loaded; then, per job, the parent writes
a 4-byte length and 16 kHz int16 audio, the child answers with an 8-byte float, the
pocketsphinx path score (``Hypothesis.score``; 0.0 when there is none).

At most one job is in flight: if the helper is still busy when a segment arrives (replays
feed segments back to back), that segment is decoded in-process. Anything wrong with the
child (it died, it does not answer) is logged once and the caller decodes in-process.
"""

from __future__ import annotations

import json
import logging
import os
import select
import struct
import subprocess
import sys

log = logging.getLogger(__name__)

_LEN = struct.Struct("<I")
_SCORE = struct.Struct("<d")


def phone_decoder(hmm: str, phone_lm: str, options: dict[str, object]):
    """A decoder for the phone loop only. pocketsphinx insists on a dictionary although the
    phone loop uses none: a one-word one saves the 50 MB the full one takes."""
    import tempfile  # noqa: PLC0415

    from pocketsphinx import Decoder  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="timekeeper-") as tmp:
        tiny = os.path.join(tmp, "one-word.dict")
        with open(tiny, "w", encoding="ascii") as f:
            f.write("a AH\n")
        d = Decoder(hmm=hmm, dict=tiny, loglevel="FATAL", **options)
    d.add_allphone_file("phones", phone_lm)
    d.activate_search("phones")
    return d


def decode_utterance(decoder, raw: bytes):
    """Decode ``raw`` as one whole utterance with the active search, from fresh features: no
    noise estimate is carried over from the last one, so the same audio always gets the same
    answer, in this process or the helper. Returns pocketsphinx's Hypothesis (or None)."""
    decoder.reinit_feat()
    decoder.start_utt()
    decoder.process_raw(raw, full_utt=True)
    decoder.end_utt()
    return decoder.hyp()


def score(decoder, raw: bytes) -> float:
    """The phone loop's path score for one utterance (0.0 when there is none)."""
    h = decode_utterance(decoder, raw)
    return float(h.score) if h is not None else 0.0


def _read_exact(stream, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = stream.read(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf


def main() -> int:
    args = json.loads(sys.argv[1])
    decoder = phone_decoder(args["hmm"], args["lm"], args["options"])
    out, inp = sys.stdout.buffer, sys.stdin.buffer
    out.write(b"R")
    out.flush()
    while True:
        try:
            (n,) = _LEN.unpack(_read_exact(inp, _LEN.size))
            raw = _read_exact(inp, n)
        except EOFError:
            return 0
        out.write(_SCORE.pack(score(decoder, raw)))
        out.flush()


class PhoneLoopHelper:
    def __init__(self, hmm: str, phone_lm: str, options: dict[str, object]) -> None:
        arg = json.dumps({"hmm": hmm, "lm": phone_lm, "options": options})
        self._proc = subprocess.Popen([sys.executable, "-m", "timekeeper.asr.phone_loop", arg],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                      bufsize=0, close_fds=True)
        self._out = self._proc.stdout.fileno()
        self._expect = 1  # bytes of the answer in flight ("R" at first)
        self.alive = True

    def _fail(self, why: object) -> None:
        log.warning("phone-loop helper process failed (%s); decoding in-process", why)
        self.close()

    def _answer(self, timeout: float | None) -> bytes | None:
        """The answer in flight, or None if it is not there within ``timeout`` seconds."""
        try:
            ready, _, _ = select.select([self._out], [], [], timeout)
            if not ready:
                return None
            data = b""
            while len(data) < self._expect:
                chunk = os.read(self._out, self._expect - len(data))
                if not chunk:
                    raise EOFError("it exited")
                data += chunk
        except (OSError, EOFError, ValueError) as exc:
            self._fail(exc)
            return None
        self._expect = 0
        return data

    def submit(self, raw: bytes) -> bool:
        """Start a job; False when busy or gone (decode in-process then)."""
        if not self.alive:
            return False
        if self._expect and (self._answer(0) is None or not self.alive):
            return False
        try:
            self._proc.stdin.write(_LEN.pack(len(raw)) + raw)
        except (OSError, ValueError) as exc:
            self._fail(exc)
            return False
        self._expect = _SCORE.size
        return True

    def result(self, timeout: float = 10.0) -> float | None:
        """The score of the job submitted last (None: decode in-process)."""
        if not self.alive or self._expect != _SCORE.size:
            return None
        data = self._answer(timeout)
        if data is None:
            if self.alive:
                self._fail(f"no answer in {timeout:g} s")
            return None
        return _SCORE.unpack(data)[0]

    def settle(self, timeout: float = 10.0) -> None:
        """Wait for the job in flight (a live room gives it the length of the next segment)."""
        if self.alive and self._expect:
            self._answer(timeout)

    def peak_rss_mb(self) -> float | None:
        """The helper's peak resident memory (Linux), for the benches; None when unknown.
        (``RUSAGE_CHILDREN`` would count the parent's pages the child had between fork and exec.)"""
        try:
            with open(f"/proc/{self._proc.pid}/status", encoding="ascii") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return None

    def close(self) -> None:
        if not self.alive:
            return
        self.alive = False
        try:
            self._proc.stdin.close()
        except OSError:
            pass
        try:
            self._proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._proc.stdout.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass


if __name__ == "__main__":
    raise SystemExit(main())
