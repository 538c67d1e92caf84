"""Export Resemblyzer's pretrained GE2E voice-encoder weights to numpy, once.

    pip download --no-deps resemblyzer==0.1.4 -d /tmp/rz     # the reference wheel (Apache-2.0)
    pip install torch==2.13.0                                 # only to read the checkpoint
    python scripts/export_ge2e.py /tmp/rz/Resemblyzer-0.1.4-py3-none-any.whl

Writes timekeeper/speakers/model/ge2e.npz (the LSTM and projection parameters, float16:
2.8 MB; the product computes in float32) and its LICENSE beside it. The test
tests/test_speakers_encoder.py checks the numpy forward pass against the reference.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "timekeeper" / "speakers" / "model"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wheel", help="Resemblyzer-0.1.4-py3-none-any.whl")
    args = ap.parse_args()
    import torch

    with zipfile.ZipFile(args.wheel) as z:
        blob = z.read("resemblyzer/pretrained.pt")
        licence = z.read("Resemblyzer-0.1.4.dist-info/LICENSE")
    state = torch.load(io.BytesIO(blob), map_location="cpu", weights_only=False)["model_state"]
    arrays = {k: v.detach().numpy().astype(np.float16) for k, v in state.items()
              if k.startswith(("lstm.", "linear."))}
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT / "ge2e.npz", **arrays)
    (OUT / "LICENSE").write_bytes(licence)
    n = sum(a.size for a in arrays.values())
    print(f"wrote {OUT / 'ge2e.npz'}: {len(arrays)} arrays, {n} parameters, "
          f"{(OUT / 'ge2e.npz').stat().st_size / 1e6:.1f} MB; "
          f"source pretrained.pt sha256 {hashlib.sha256(blob).hexdigest()}")


if __name__ == "__main__":
    main()
