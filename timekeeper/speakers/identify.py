"""Online speaker identification: speech segments in, speaker turns out.

Each speech segment is cut in 1.6 s windows every ``hop_s`` (a shorter segment is one
window of what it has); each window's GE2E embedding (speakers/encoder.py) is scored
against every enrolled person: the mean of its ``top_k`` best cosines with that person's
voice prints. A window goes to the best person when that score reaches ``threshold``;
isolated one-window flips inside a segment are smoothed away.

Below ``threshold`` a window matched nobody. Its embedding goes to a pool (the last
``pool_s`` seconds); once ``new_voice_n`` pooled windows are alike (cosine ≥
``cluster_sim`` to a common centre) and that centre scores below ``threshold`` for every
enrolled person, they become a new voice "Voice 1", "Voice 2"... (``rename`` names it).
A discovered voice only ever takes windows that no enrolled person reached, so it can
never absorb an enrolled person's speech. Unmatched pieces wait up to ``hold_s`` for such
a voice, then go to their best enrolled match if it scores at least ``reject``, else to
"unknown". Short segments (under ``short_s``) are scored with what they have; when that
is not clear enough they are attached to the turn they sit in (the same speaker just
before, within ``merge_gap_s``). Pieces of one speaker separated by less than
``merge_gap_s`` form one turn; a turn is returned once it can no longer grow. Thresholds
were chosen with bench/bench_speakers.py on the tuning voices only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from timekeeper.audio.frames import Segment
from timekeeper.speakers import encoder as E
from timekeeper.speakers.profiles import VoiceProfile

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Turn:
    """``speaker`` held the floor from start_s to end_s; ``score`` is the cosine similarity
    of that speech to the speaker's voice prints (1 = identical; below the tracker's
    threshold, 0.72 by default, it matched nobody)."""

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
    best: str = UNKNOWN  # best enrolled candidate of a held-back (unmatched) piece
    held: bool = False
    embs: list = field(default_factory=list)


def person_scores(emb: np.ndarray, prints: list[np.ndarray], top_k: int) -> np.ndarray:
    """(n_windows, n_people): mean of the ``top_k`` best cosines with each person's prints."""
    out = np.empty((len(emb), len(prints)), np.float32)
    for j, p in enumerate(prints):
        sims = emb @ p.T
        k = min(top_k, sims.shape[1])
        out[:, j] = np.sort(sims, axis=1)[:, -k:].mean(axis=1) if k else -1.0
    return out


class SpeakerTracker:
    """Attribute speech segments to enrolled people or to discovered voices, online."""

    def __init__(
        self,
        profiles: list[VoiceProfile],
        *,
        hop_s: float = 0.8,
        merge_gap_s: float = 1.0,
        threshold: float = 0.72,
        voice_threshold: float = 0.65,
        reject: float = 0.66,
        short_s: float = 1.0,
        top_k: int = 3,
        new_voice_n: int = 8,
        cluster_sim: float = 0.62,
        hold_s: float = 10.0,
        pool_s: float = 120.0,
        max_voices: int = 8,
        cluster_unknown: bool | None = None,
        min_s: float = 0.3,
        smooth: bool = True,
    ) -> None:
        names = [p.name for p in profiles]
        if len(set(names)) != len(names):
            raise ValueError("two voice profiles have the same name")
        self.hop_frames = max(1, int(round(hop_s * 100)))
        self.merge_gap_s = merge_gap_s
        self.threshold = threshold
        self.voice_threshold = voice_threshold
        self.reject = reject
        self.short_s = short_s
        self.top_k = top_k
        self.new_voice_n = new_voice_n
        self.cluster_sim = cluster_sim
        self.hold_s = hold_s
        self.pool_s = pool_s
        self.max_voices = max_voices
        # voices are discovered beside enrolled ones; with no profile at all every turn is
        # "unknown" (what the start-up warning and the report say)
        self.cluster_unknown = bool(profiles) if cluster_unknown is None else cluster_unknown
        self.min_s = min_s
        self.smooth = smooth
        self._names: list[str] = list(names)
        self._prints: list[np.ndarray] = [np.asarray(p.embeddings, np.float32) for p in profiles]
        self._n_enrolled = len(names)
        self._voice_count = 0
        self._renames: dict[str, str] = {}
        self._queue: list[_Piece] = []
        self._unk: list[tuple[float, np.ndarray]] = []  # (time, embedding) of unmatched windows
        self._now_s = 0.0
        self._ignored: list[tuple[float, float]] = []

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
        pieces = self._pieces(segment)
        self._queue += pieces
        if any(p.held for p in pieces):
            self._maybe_new_voice()
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

    def embed(self, samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Window embeddings of a segment's audio and each window's (start, end) in frames."""
        mel = E.mel_power(E.normalize_volume(E.to_float(samples)))
        n, w = len(mel), E.PARTIAL_FRAMES
        if n < w + self.hop_frames // 2:
            return E.forward(mel[None]), np.array([[0, n]])
        count = int(np.ceil((n - w) / self.hop_frames)) + 1
        starts = np.linspace(0, n - w, count).round().astype(int)
        return E.embed_frames(mel, starts), np.stack([starts, starts + w], axis=1)

    def _scores(self, emb: np.ndarray) -> np.ndarray:
        return person_scores(emb, self._prints, self.top_k)

    def _pieces(self, seg: Segment) -> list[_Piece]:
        dur = seg.end_s - seg.start_s
        nobody = not self._prints
        if dur < self.min_s or len(seg.samples) < E.HOP * 10 or (nobody and (dur < self.short_s or not self.cluster_unknown)):
            return self._attach(seg, None, None)
        emb, spans = self.embed(seg.samples)
        # cells: each window owns the time from the midpoint with its left neighbour to the
        # midpoint with its right one
        centres = seg.start_s + spans.mean(axis=1) * E.HOP / E.RATE_HZ
        edges = [seg.start_s] + list((centres[:-1] + centres[1:]) / 2) + [seg.end_s]
        if nobody:  # no profile and no voice found yet: everything waits for discovery
            for i in range(len(emb)):
                self._hold(emb[i], edges[i])
            return [_Piece(UNKNOWN, seg.start_s, seg.end_s, 0.0, held=True, embs=list(emb))]
        s = self._scores(emb)
        if dur < self.short_s:
            return self._attach(seg, emb, s[0])
        n_e = self._n_enrolled
        labels: list[int] = []  # per window: a person/voice index, or -1 (matched nobody)
        for i in range(len(emb)):
            e = int(np.argmax(s[i, :n_e])) if n_e else -1
            if e >= 0 and s[i, e] >= self.threshold:
                labels.append(e)  # an enrolled person reached the threshold: no discovered voice takes it
                continue
            if len(self._names) > n_e:
                v = n_e + int(np.argmax(s[i, n_e:]))
                if s[i, v] >= self.voice_threshold:
                    labels.append(v)
                    continue
            labels.append(-1)
        if self.smooth and len(labels) >= 3:
            for i in range(1, len(labels) - 1):
                lt, rt = labels[i - 1], labels[i + 1]
                if lt == rt != labels[i]:
                    labels[i] = lt
                elif labels[i] < 0 and lt >= 0 and rt >= 0:  # a window across a change of speaker
                    labels[i] = lt if s[i, lt] >= s[i, rt] else rt
        pieces: list[_Piece] = []
        for i, lab in enumerate(labels):
            held = lab < 0
            e = int(np.argmax(s[i, :n_e])) if n_e else -1
            score = float(s[i, e] if held and e >= 0 else s[i, lab] if not held else 0.0)
            if held:
                self._hold(emb[i], edges[i])
            elif lab >= n_e:
                self._grow(lab, emb[i])
            speaker = UNKNOWN if held else self._names[lab]
            a, b = edges[i], edges[i + 1]
            if pieces and pieces[-1].speaker == speaker and pieces[-1].held == held:
                p = pieces[-1]
                w0, w1 = p.end_s - p.start_s, b - a
                p.score = (p.score * w0 + score * w1) / max(w0 + w1, 1e-9)
                p.end_s = b
                p.embs.append(emb[i])
            else:
                cand = self._names[e] if e >= 0 else UNKNOWN
                pieces.append(_Piece(speaker, a, b, score, best=cand, held=held, embs=[emb[i]]))
        return pieces

    def _attach(self, seg: Segment, emb: np.ndarray | None, s: np.ndarray | None) -> list[_Piece]:
        """A short segment: its own score when clear, else the speaker of the turn it sits in."""
        if s is not None and len(s):
            best = int(np.argmax(s))
            if s[best] >= self.threshold:
                return [_Piece(self._names[best], seg.start_s, seg.end_s, float(s[best]))]
        if self._queue:
            prev = self._queue[-1]
            if seg.start_s - prev.end_s <= self.merge_gap_s:
                return [_Piece(prev.speaker, seg.start_s, seg.end_s, prev.score, prev.best, prev.held)]
        if s is not None and len(s):
            best = int(np.argmax(s[: self._n_enrolled])) if self._n_enrolled else int(np.argmax(s))
            if s[best] >= self.reject:
                return [_Piece(self._names[best], seg.start_s, seg.end_s, float(s[best]))]
            return [_Piece(UNKNOWN, seg.start_s, seg.end_s, float(s[best]))]
        return [_Piece(UNKNOWN, seg.start_s, seg.end_s, 0.0)]

    # --- discovered voices --------------------------------------------------------------

    def _hold(self, emb: np.ndarray, t_s: float) -> None:
        self._unk.append((t_s, emb))
        self._unk = [(t, e) for t, e in self._unk if t >= t_s - self.pool_s]

    def _maybe_new_voice(self) -> None:
        if not self.cluster_unknown or self._voice_count >= self.max_voices or len(self._unk) < self.new_voice_n:
            return
        x = np.stack([e for _, e in self._unk])
        sims = x @ x.T
        members = sims >= self.cluster_sim
        seed = int(np.argmax(members.sum(axis=1)))
        group = members[seed]
        if group.sum() < self.new_voice_n:
            return
        centre = x[group].mean(axis=0)
        centre /= np.linalg.norm(centre)
        if self._n_enrolled and float(self._scores(centre[None])[0, : self._n_enrolled].max()) >= self.threshold:
            return  # an enrolled person in poor conditions, not a new voice
        self._voice_count += 1
        name = f"Voice {self._voice_count}"
        self._names.append(name)
        self._prints.append(x[group])
        self._unk = [u for u, g in zip(self._unk, group) if not g]
        label = self._renames.get(name, name)
        j = len(self._names) - 1
        for p in self._queue:
            if p.held and p.embs:
                sc = float(self._scores(np.stack(p.embs))[:, j].mean())
                if sc >= self.voice_threshold:
                    p.speaker, p.best, p.held, p.score = label, name, False, sc

    def _grow(self, j: int, emb: np.ndarray) -> None:
        """A discovered voice learns from the windows it takes (up to ``max_prints``)."""
        if len(self._prints[j]) < 60:
            self._prints[j] = np.vstack([self._prints[j], emb[None]])

    def _settle_unknown(self, before_s: float = float("inf")) -> None:
        """Unmatched pieces older than ``before_s`` that no new voice claimed: best enrolled
        match if close enough (``reject``), else "unknown"."""
        for p in self._queue:
            if p.held and p.end_s <= before_s:
                p.held = False
                p.speaker = self._renames.get(p.best, p.best) if p.score >= self.reject else UNKNOWN

    # --- turns --------------------------------------------------------------------------

    def _turn(self, p: _Piece) -> Turn:
        name = self._renames.get(p.speaker, p.speaker)
        return Turn(name, round(float(p.start_s), 3), round(float(p.end_s), 3), round(float(p.score), 3))

    def _drain(self) -> list[Turn]:
        out: list[Turn] = []
        q = self._queue
        while len(q) >= 2 and not q[0].held and not q[1].held:
            a, b = q[0], q[1]
            if a.speaker == b.speaker and b.start_s - a.end_s <= self.merge_gap_s:
                w0, w1 = a.end_s - a.start_s, b.end_s - b.start_s
                a.score = (a.score * w0 + b.score * w1) / max(w0 + w1, 1e-9)
                a.end_s = max(a.end_s, b.end_s)
                a.embs = []
                del q[1]
            else:
                out.append(self._turn(q.pop(0)))
        return out
