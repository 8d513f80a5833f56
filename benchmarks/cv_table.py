"""Render `secrel cv --output` JSON files as the README's markdown results table.

    python benchmarks/cv_table.py results/cv-baseline.json results/cv-fast.json [results/cv-accurate.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pipeline.intervals import bootstrap_intervals


def _intervals(run: dict) -> dict:
    """The run's document-bootstrap intervals; files written before they existed get them from their folds
    (same function, same seed, so the figures are the ones ``secrel cv`` would have written)."""
    if "intervals" in run:
        return run["intervals"]
    return bootstrap_intervals([f["scores"] for f in run["folds"]], seed=run["cv"]["seed"])


def main(paths: list[str]) -> None:
    runs = [(Path(p).stem.replace("cv-", ""), json.loads(Path(p).read_text())) for p in paths]
    head = "| | " + " | ".join(name for name, _ in runs) + " |"
    print(head + "  <!-- cells: F1 (P/R) -->")
    print("|" + "---|" * (len(runs) + 1))

    def row(label: str, get) -> None:
        vals = []
        for _, r in runs:
            try:
                d = get(r)
                vals.append(f"{d['f']:.3f} ({d['p']:.2f}/{d['r']:.2f})")
            except KeyError:
                vals.append("–")
        print(f"| {label} | " + " | ".join(vals) + " |")

    row("**entities, strict (micro)**", lambda r: r["entities"]["strict"])
    row("**entities, overlap (micro)**", lambda r: r["entities"]["overlap"])
    labels = sorted({k for _, r in runs for k in r["entities"]["per_label"]})
    for lab in labels:
        vals = []
        for _, r in runs:
            d = r["entities"]["per_label"].get(lab)
            vals.append(f"{d['strict']['f']:.3f} / {d['overlap']['f']:.3f}" if d else "–")
        print(f"| {lab} (strict / overlap F1) | " + " | ".join(vals) + " |")
    row("**relations, mention strict**", lambda r: r["relations"]["mention_strict"])
    row("**relations, mention overlap**", lambda r: r["relations"]["mention_overlap"])
    row("**relations, fact**", lambda r: r["relations"]["fact"])
    types = sorted({k for _, r in runs for k in r["relations"]["per_type"]})
    for t in types:
        vals = []
        for _, r in runs:
            d = r["relations"]["per_type"].get(t)
            vals.append(f"{d['mention_strict']['f']:.3f} / {d['fact']['f']:.3f} ({d['fact']['p']:.2f}/{d['fact']['r']:.2f})"
                        if d else "–")
        print(f"| {t} (mention strict / fact F1, fact P/R) | " + " | ".join(vals) + " |")
    intervals = [_intervals(r) for _, r in runs]
    for section, level, label in (("entities", "overlap", "entities, overlap"), ("relations", "fact", "relations, fact")):
        cells = []
        for iv in intervals:
            f = iv[section][level]["f"]
            cells.append("–" if f is None else f"{f[0]:.3f}–{f[1]:.3f}")
        print(f"| {label}: {intervals[0]['confidence']:.0%} interval of F1 | " + " | ".join(cells) + " |")
    print()
    print("Speed (words/s while predicting held-out folds, 2 CPU cores): " + ", ".join(
        f"{name} {r['cv'].get('predict_words_per_second')}" for name, r in runs))


if __name__ == "__main__":
    main(sys.argv[1:])
