"""The one recogniser interface every engine adapter implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np


@dataclass(frozen=True)
class Hypothesis:
    """A final result for one whole utterance. ``confidence`` is engine-specific (None: none).

    ``details["words"]``, when the engine gives word times: ``[(word, start_s, end_s), ...]``
    relative to the start of the samples, fillers (``<sil>``, ``[noise]``) included or not."""

    text: str
    confidence: float | None = None
    engine: str = ""
    details: dict[str, Any] = field(default_factory=dict)


class Recognizer(Protocol):
    name: str
    lang: str

    def recognize(self, samples: np.ndarray) -> Hypothesis:
        """Decode one whole utterance (16 kHz mono int16); final result only."""
        ...

    def reset(self) -> None: ...

    def close(self) -> None: ...
