"""A replayed file's voice activity detection and voice prints, computed ahead on the other core.

A replay (``timekeeper run --input FILE.wav``, the demo, the benches) is one loop in one process;
on a machine with two cores, half of it would idle. The VAD and the speaker encoder depend on the
audio alone, so a helper process (``python -m timekeeper.audio.ahead``) reads the same file, runs
the same VAD over the same frames and embeds each segment's windows with the tracker's own
``embed``, and streams the results. In the main process ``AheadVad`` stands for the VAD: for each
frame it hands out the segments the helper found closing at that frame and the same ``in_speech``;
the tracker's ``embed`` takes the helper's prints for those segments' audio. What the pipeline
decides is unchanged (tests/test_pipeline_speed.py replays a file both ways); the command decoder
runs meanwhile in the main process.

Protocol (pickles on the helper's stdout, in stream order): ``("seg", end_sample, segment,
prints)`` a segment that closed with the frame ending at ``end_sample`` (``prints``: the
``embed`` result or None), ``("speech", end_sample, flag)`` ``in_speech`` after that frame when
it changed, ``("end",)``. Live audio never comes here: a microphone is heard in-process.
"""

from __future__ import annotations

import json
import logging
import pickle
import resource
import subprocess
import sys
from collections import deque
from dataclasses import asdict


log = logging.getLogger(__name__)


def main() -> int:
    from timekeeper.audio.sources import WavSource
    from timekeeper.audio.vad import Vad, VadConfig

    args = json.loads(sys.argv[1])
    source = WavSource(args["path"])
    source.frame_samples = args["frame_samples"]  # the main process's frames, exactly
    vad = Vad(VadConfig(**args["vad"]))
    embed = None
    if args["tracker"] is not None:
        from timekeeper.speakers.identify import SpeakerTracker

        embed = SpeakerTracker([], **args["tracker"]).embed
    min_s, min_samples = args["min_embed_s"], args["min_embed_samples"]
    out = sys.stdout.buffer

    def send(msg: tuple) -> None:
        out.write(pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL))

    def segments(end: int, segs: list) -> None:
        for seg in segs:
            prints = None
            if embed is not None and seg.duration_s >= min_s and len(seg.samples) >= min_samples:
                prints = embed(seg.samples)
            send(("seg", end, seg, prints))

    speech = False
    end = 0
    for frame in source.frames():
        end = frame.end_sample
        segments(end, vad.accept(frame))
        if vad.in_speech != speech:
            speech = vad.in_speech
            send(("speech", end, speech))
    segments(-1, vad.flush())  # handed out by AheadVad.flush
    send(("end", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    out.flush()
    return 0


class AheadVad:
    """The VAD of a replay, computed by the helper process (see the module's docstring)."""

    engine = "ahead"

    def __init__(self, path: str, frame_samples: int, vad, tracker=None) -> None:
        from timekeeper.speakers import encoder as E  # noqa: PLC0415

        cfg = {"path": str(path), "frame_samples": frame_samples, "vad": asdict(vad.cfg), "tracker": None,
               "min_embed_s": 0.0, "min_embed_samples": E.HOP * 10}
        if tracker is not None:
            cfg["tracker"] = {"hop_s": tracker.hop_frames / 100}
            cfg["min_embed_s"] = tracker.min_s
        self.cfg = vad.cfg
        self._path, self._frame_samples, self._pos = str(path), frame_samples, 0
        self.in_speech = False
        self._proc = subprocess.Popen([sys.executable, "-m", "timekeeper.audio.ahead", json.dumps(cfg)],
                                      stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, close_fds=True)
        self._msgs: deque = deque()
        self._done = False
        self.helper_peak_mb: float | None = None  # the helper's peak memory, once it has finished
        self._prints: dict[int, tuple] = {}  # id(samples) -> (samples, prints) of the last segments handed out
        if tracker is not None:
            own = tracker.embed

            def embed(samples):
                hit = self._prints.pop(id(samples), None)
                if hit is not None and hit[0] is samples and hit[1] is not None:
                    return hit[1]
                return own(samples)
            tracker.embed = embed

    def _peek(self) -> tuple:
        if not self._msgs:
            if self._done:
                return ("end",)
            try:
                msg = pickle.load(self._proc.stdout)
            except (EOFError, pickle.UnpicklingError, OSError) as exc:
                self.close()
                raise RuntimeError(f"the replay's helper process stopped ({exc or 'no output'})") from exc
            if msg[0] == "end":
                self._done, self.helper_peak_mb = True, msg[1]
                return msg
            self._msgs.append(msg)
        return self._msgs[0]

    def _take(self, tag: int) -> list:
        """The segments the helper found at the frame ending at sample ``tag`` (-1: the flush)."""
        out = []
        while (msg := self._peek())[0] != "end" and msg[1] == tag:
            self._msgs.popleft()
            if msg[0] == "seg":
                if not out:
                    self._prints = {}
                self._prints[id(msg[2].samples)] = (msg[2].samples, msg[3])
                out.append(msg[2])
            else:
                self.in_speech = msg[2]
        return out

    def accept(self, frame) -> list:
        self._pos = frame.end_sample
        return self._take(frame.end_sample)

    def flush(self) -> list:
        msg = self._peek()
        if msg[0] == "end" or msg[1] == -1:
            return self._take(-1)
        # the replay stopped before the file's end (the session ended): the helper is already
        # further on, so the segment open here is found again by a VAD of our own (once)
        from timekeeper.audio.sources import WavSource  # noqa: PLC0415
        from timekeeper.audio.vad import Vad  # noqa: PLC0415

        vad, source = Vad(self.cfg), WavSource(self._path)
        source.frame_samples = self._frame_samples
        for frame in source.frames():
            if frame.end_sample > self._pos:
                break
            vad.accept(frame)
        source.close()
        return vad.flush()

    def reset(self) -> None:
        pass  # a replay's VAD is never reset (the pipeline only resets the listener)

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        self._proc.stdout.close()


if __name__ == "__main__":
    raise SystemExit(main())
