"""Online speaker identification: speech segments in, speaker turns out.

Each segment's speech frames are scored against every voice model at once (enrolled
profiles, then voices discovered during the session) and against a generic voice of the
room (one broad Gaussian with the mean and spread of all enrolled models). A window's
score is the best model's log-likelihood ratio per frame over that generic voice,
averaged over ``window_s`` every ``hop_s``, so a change of speaker inside a long segment
is caught; isolated one-cell flips are smoothed away.

A window scoring below ``threshold`` matches nobody. Its frames go to a pool of unmatched
speech (the last ``pool_s`` seconds); once the pool holds ``new_voice_s`` seconds a new
voice "Voice 1", "Voice 2"... is trained on it and tracked like anyone else (``rename``
gives it a name). A discovered voice must beat enrolled models by ``voice_bias`` per
frame, since it was trained in this very room. Unmatched pieces wait up to ``hold_s``
for such a voice, then go to their best match if its score is at least ``reject``, else
to "unknown". Voice discovery is on by default only when every profile has ``min_profile_s`` of
speech (measured: with 12 s, enrolled people are taken for new voices). Pieces of one
speaker separated by less than ``merge_gap_s`` form one
turn; a turn is returned once it can no longer grow (another speaker started, a longer
pause, or ``flush``). Thresholds were measured with bench/bench_speakers.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from timekeeper.audio.frames import Segment
from timekeeper.speakers import features as F
from timekeeper.speakers.gmm import DiagGMM, Scorer, broad, train_gmm
from timekeeper.speakers.profiles import VoiceProfile

UNKNOWN = "unknown"
_FRAME_S = F.HOP / F.RATE_HZ


@dataclass(frozen=True)
class Turn:
    """``speaker`` held the floor from start_s to end_s; ``score`` is the mean log-likelihood
    ratio per frame over the generic room voice (higher: surer; below the tracker's
    threshold, -0.5 by default: matched nobody)."""

    speaker: str
    start_s: float
    end_s: float
    score: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass
class _Piece:
    speaker: str
    start_s: float
    end_s: float
    score: float
    best: str = UNKNOWN  # best candidate of a held-back (unmatched) piece
    held: bool = False


@dataclass
class _Voice:
    name: str
    gmm: DiagGMM
    frames: list[np.ndarray] = field(default_factory=list)
    trained_n: int = 0


class SpeakerTracker:
    """Attribute speech segments to enrolled people or to discovered voices, online."""

    def __init__(
        self,
        profiles: list[VoiceProfile],
        *,
        window_s: float = 2.0,
        hop_s: float = 1.0,
        merge_gap_s: float = 1.0,
        threshold: float = -0.5,
        reject: float = -1.5,
        new_voice_s: float = 8.0,
        hold_s: float = 10.0,
        voice_bias: float = 1.0,
        pool_s: float = 120.0,
        voice_components: int = 8,
        max_voices: int = 8,
        cluster_unknown: bool | None = None,
        min_profile_s: float = 15.0,
        min_frames: int = 20,
        smooth: bool = True,
    ) -> None:
        names = [p.name for p in profiles]
        if len(set(names)) != len(names):
            raise ValueError("two voice profiles have the same name")
        self.window_s = window_s
        self.hop_s = hop_s
        self.merge_gap_s = merge_gap_s
        self.threshold = threshold
        self.reject = reject
        self.new_voice_s = new_voice_s
        self.hold_s = hold_s
        self.voice_bias = voice_bias
        self.pool_s = pool_s
        self.voice_components = voice_components
        self.max_voices = max_voices
        # discovering voices needs well-trained profiles: with less than ``min_profile_s`` of
        # enrollment speech, enrolled people score low and would be taken for new voices
        if cluster_unknown is None:
            cluster_unknown = all(p.speech_s >= min_profile_s for p in profiles)
        self.cluster_unknown = cluster_unknown
        self.min_frames = min_frames
        self.smooth = smooth
        self._names: list[str] = list(names)
        self._gmms: list[DiagGMM] = [p.gmm for p in profiles]
        self._voices: dict[str, _Voice] = {}
        self._voice_count = 0
        self._renames: dict[str, str] = {}
        self._n_enrolled = len(self._gmms)
        self._scorer: Scorer | None = None
        self._rebuild()
        self._queue: list[_Piece] = []
        self._unk: list[tuple[float, np.ndarray]] = []  # (time, frames) of unmatched windows
        self._now_s = 0.0
        self._ignored: list[tuple[float, float]] = []

    def _rebuild(self) -> None:
        """Score against every model plus the generic voice (broad Gaussian of the enrolled)."""
        if not self._gmms:
            self._scorer = None
            return
        ref = self._gmms[: self._n_enrolled] or self._gmms
        self._scorer = Scorer(self._gmms + [broad(ref)])

    # --- public -------------------------------------------------------------------

    @property
    def speakers(self) -> list[str]:
        """Every name a turn may carry so far (enrolled, then discovered voices)."""
        return [self._renames.get(n, n) for n in self._names]

    def ignore(self, start_s: float, end_s: float) -> None:
        """Never attribute audio in [start_s, end_s) (the announcer speaking)."""
        self._ignored.append((start_s, end_s))

    def rename(self, old: str, new: str) -> None:
        """Give a discovered voice (or anyone) a new name for all turns from now on."""
        for k in self._names:
            if self._renames.get(k, k) == old:
                self._renames[k] = new
        for p in self._queue:
            if p.speaker == old:
                p.speaker = new

    def accept(self, segment: Segment) -> list[Turn]:
        if any(a < segment.end_s and segment.start_s < b for a, b in self._ignored):
            return self._drain()
        self._now_s = segment.end_s
        for piece in self._pieces(segment):
            self._queue.append(piece)
        self._settle_unknown(before_s=self._now_s - self.hold_s)
        return self._drain()

    def pending(self) -> Turn | None:
        """The turn still open (it may grow with the next segment), for live figures."""
        if self._queue and not self._queue[0].held:
            return self._turn(self._queue[0])
        return None

    def flush(self) -> list[Turn]:
        self._settle_unknown()
        out = self._drain()
        if self._queue:
            out += [self._turn(p) for p in self._queue]
            self._queue = []
        return out

    # --- scoring ------------------------------------------------------------------

    def _pieces(self, seg: Segment) -> list[_Piece]:
        ff = F.mfcc(seg.samples)
        mask = F.speech_mask(ff.log_energy)
        feats = ff.feats[mask]
        times = seg.start_s + (np.flatnonzero(mask) * F.HOP + F.FRAME_LEN / 2) / F.RATE_HZ
        if self._scorer is None or len(feats) < self.min_frames:
            return self._short(seg, feats)
        ll = self._scorer.frame_loglik(feats)
        llr = ll[:, :-1] - ll[:, -1:]
        k = llr.shape[1]
        csum = np.vstack([np.zeros((1, k)), np.cumsum(llr, axis=0)])
        # windows: start every hop_s, each window_s long, the last one ends at the segment end
        dur = seg.end_s - seg.start_s
        if dur <= self.window_s * 1.5:
            edges = [seg.start_s, seg.end_s]
        else:
            n_cells = max(1, int(round(dur / self.hop_s)))
            edges = list(np.linspace(seg.start_s, seg.end_s, n_cells + 1))
        cells = []  # (start, end, label index or -1, score, frames slice)
        half = self.window_s / 2
        for a, b in zip(edges[:-1], edges[1:]):
            c = (a + b) / 2
            wa, wb = c - half, c + half
            if wa < seg.start_s:
                wa, wb = seg.start_s, min(seg.end_s, seg.start_s + self.window_s)
            if wb > seg.end_s:
                wa, wb = max(seg.start_s, seg.end_s - self.window_s), seg.end_s
            i0, i1 = np.searchsorted(times, [wa, wb])
            if i1 - i0 < self.min_frames // 2:
                i0, i1 = 0, len(times)
            s = (csum[i1] - csum[i0]) / (i1 - i0)
            if k > self._n_enrolled:
                # a discovered voice, trained on this very room, must beat an enrolled model clearly
                s[self._n_enrolled :] -= self.voice_bias
            best = int(np.argmax(s))
            ca, cb = np.searchsorted(times, [a, b])
            cells.append([a, b, best, float(s[best]), ca, cb])
        if self.smooth and len(cells) >= 3:
            labels = [c[2] for c in cells]
            for i in range(1, len(cells) - 1):
                if labels[i - 1] == labels[i + 1] != labels[i]:
                    cells[i][2] = labels[i - 1]
        pieces: list[_Piece] = []
        for a, b, best, score, ca, cb in cells:
            name = self._names[best]
            held = score < self.threshold
            if not held and name in self._voices and cb > ca:
                self._grow_voice(name, feats[ca:cb])
            if held:
                self._hold(feats[ca:cb], a)
            speaker = UNKNOWN if held else name
            if pieces and pieces[-1].speaker == speaker and pieces[-1].held == held:
                p = pieces[-1]
                w0, w1 = p.end_s - p.start_s, b - a
                p.score = (p.score * w0 + score * w1) / (w0 + w1)
                p.end_s = b
            else:
                pieces.append(_Piece(speaker, a, b, score, best=name, held=held))
        if any(p.held for p in pieces):
            self._maybe_new_voice()
        return pieces

    def _short(self, seg: Segment, feats: np.ndarray) -> list[_Piece]:
        """Too little speech to judge: the same speaker as just before if close, else unknown."""
        if self._queue:
            prev = self._queue[-1]
            if seg.start_s - prev.end_s <= self.merge_gap_s:
                return [_Piece(prev.speaker, seg.start_s, seg.end_s, prev.score, prev.best, prev.held)]
        if self._scorer is not None and len(feats) >= 5:
            s = self._scorer.frame_loglik(feats).mean(axis=0)[:-1]
            b = int(np.argmax(s))
            return [_Piece(self._names[b], seg.start_s, seg.end_s, self.threshold, self._names[b])]
        return [_Piece(UNKNOWN, seg.start_s, seg.end_s, self.threshold)]

    # --- discovered voices --------------------------------------------------------------

    def _hold(self, feats: np.ndarray, t_s: float) -> None:
        self._unk.append((t_s, feats))
        self._unk = [(t, f) for t, f in self._unk if t >= t_s - self.pool_s]

    def _maybe_new_voice(self) -> None:
        if not self.cluster_unknown or len(self._voices) >= self.max_voices:
            return
        if sum(len(f) for _, f in self._unk) * _FRAME_S < self.new_voice_s:
            return
        x = np.vstack([f for _, f in self._unk])
        self._voice_count += 1
        name = f"Voice {self._voice_count}"
        gmm = train_gmm(x, self.voice_components, iters=10)
        self._voices[name] = _Voice(name, gmm, [x], len(x))
        self._names.append(name)
        self._gmms.append(gmm)
        self._rebuild()
        label = self._renames.get(name, name)
        for p in self._queue:
            if p.held:
                p.speaker, p.best, p.held = label, name, False
        self._unk = []

    def _grow_voice(self, name: str, feats: np.ndarray) -> None:
        v = self._voices[name]
        total = sum(len(f) for f in v.frames)
        if total >= 6000:  # 60 s is plenty
            return
        v.frames.append(feats)
        total += len(feats)
        if total - v.trained_n >= 500:
            v.gmm = train_gmm(np.vstack(v.frames), self.voice_components * 2 if total > 2000 else self.voice_components, iters=10)
            v.trained_n = total
            self._gmms[self._names.index(name)] = v.gmm
            self._rebuild()

    def _settle_unknown(self, before_s: float = float("inf")) -> None:
        """Unmatched pieces older than ``before_s`` that no new voice claimed: best match if
        close enough (``reject``), else "unknown". Their frames stay in the pool."""
        for p in self._queue:
            if p.held and p.end_s <= before_s:
                p.held = False
                p.speaker = self._renames.get(p.best, p.best) if p.score >= self.reject else UNKNOWN

    # --- turns --------------------------------------------------------------------------

    def _turn(self, p: _Piece) -> Turn:
        name = self._renames.get(p.speaker, p.speaker)
        return Turn(name, round(p.start_s, 3), round(p.end_s, 3), round(p.score, 3))

    def _drain(self) -> list[Turn]:
        out: list[Turn] = []
        q = self._queue
        while len(q) >= 2 and not q[0].held and not q[1].held:
            a, b = q[0], q[1]
            if a.speaker == b.speaker and b.start_s - a.end_s <= self.merge_gap_s:
                w0, w1 = a.end_s - a.start_s, b.end_s - b.start_s
                a.score = (a.score * w0 + b.score * w1) / max(w0 + w1, 1e-9)
                a.end_s = max(a.end_s, b.end_s)
                del q[1]
            else:
                out.append(self._turn(q.pop(0)))
        return out
