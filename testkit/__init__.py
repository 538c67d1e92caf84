"""Realistic test sessions: a generator of meeting audio with ground truth, and a scorer.

    from testkit import load_script, generate
    truth = generate(load_script("session.toml"), Path("out.wav"), seed=1)

Heavy imports (numpy, scipy) happen when these functions are used.
"""

from __future__ import annotations

from typing import Any

__all__ = ["load_script", "generate", "render", "Truth", "truth_path", "Script"]


def __getattr__(name: str) -> Any:
    if name in ("load_script", "Script"):
        from testkit import script

        return getattr(script, name)
    if name in ("generate", "render"):
        from testkit import generator

        return getattr(generator, name)
    if name in ("Truth", "truth_path"):
        from testkit import truth

        return getattr(truth, name)
    raise AttributeError(name)
