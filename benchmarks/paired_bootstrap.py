"""Paired bootstrap over documents: is variant B's relation fact F1 better than A's beyond noise?

    python benchmarks/paired_bootstrap.py GOLD.jsonl A_PRED.jsonl B_PRED.jsonl [--n 2000] [--seed 0]

GOLD is one or more concatenated gold record files; A_PRED and B_PRED are prediction records for
the same documents (e.g. two ``oracle_relations.py --dump`` files). Documents are resampled with
replacement; each sample's pooled fact F1 of B minus A is recorded. Prints the observed difference,
the share of samples in which B is better, and the 95% interval.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from pipeline.evaluate import score


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", type=Path)
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    gold = _records(args.gold)
    preds = {name: {r["id"]: r for r in _records(path)} for name, path in (("a", args.a), ("b", args.b))}
    counts = {}
    for g in gold:
        for name in ("a", "b"):
            f = score([g], [preds[name][g["id"]]])["relations"]["fact"]
            counts.setdefault(g["id"], {})[name] = (f["tp"], f["fp"], f["fn"])
    ids = list(counts)

    def f1(sample: list[str], name: str) -> float:
        tp, fp, fn = (sum(counts[i][name][k] for i in sample) for k in range(3))
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    rng = random.Random(args.seed)
    diffs = sorted(f1(s, "b") - f1(s, "a") for s in ([rng.choice(ids) for _ in ids] for _ in range(args.n)))
    better = sum(d > 0 for d in diffs) / args.n
    print(f"fact F1 B - A {f1(ids, 'b') - f1(ids, 'a'):+.4f}  P(B better) {better:.3f}  "
          f"95% interval [{diffs[int(0.025 * args.n)]:+.4f}, {diffs[int(0.975 * args.n)]:+.4f}]  ({len(ids)} documents)")


if __name__ == "__main__":
    main()
