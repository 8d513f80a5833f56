"""Training benchmark: wall time and peak RSS of `secrel train` per configuration.

    python benchmarks/training.py [--configs fast accurate]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--configs", nargs="+", default=["fast"])
    args = ap.parse_args()
    print("| config | wall s | peak RSS MB |\n|---|---|---|")
    for cfg in args.configs:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "pipeline", "train", "--config", cfg, "--output",
                                   str(Path(tmp) / cfg)], cwd=ROOT, capture_output=True, text=True)
            wall = time.perf_counter() - t0
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            if proc.returncode != 0:
                print(f"| {cfg} | failed: {proc.stderr.strip().splitlines()[-1]} | |")
                continue
            meta = json.loads((Path(tmp) / cfg / "meta.json").read_text())
            print(f"| {cfg} | {wall:.0f} (stages {meta['train_seconds']}) | {peak:.0f} |", flush=True)


if __name__ == "__main__":
    main()
