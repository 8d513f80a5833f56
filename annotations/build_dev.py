"""Build the stand-off development set from adjudicated markup kept outside the repository.

The development documents are articles of the shared, third-party news corpus; their markup
(which contains the text) stays outside the project. This script converts each adjudicated
``ID.gold.ann`` / ``ID.gold.rels`` against the text found in the shared corpus, writes the
stand-off records (offsets, labels and ISO codes only) to ``annotations/dev/`` and records the
A-vs-B agreement before adjudication::

    python3 annotations/build_dev.py MARKUP_DIR ../shared/corpus/insightcrime-unlabeled.jsonl

Turn the stand-off file back into gold records (outside the repository) with::

    secrel annotations attach annotations/dev/shared-corpus-dev.standoff.jsonl \\
        --texts ../shared/corpus/insightcrime-unlabeled.jsonl -o /tmp/dev-gold.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.markup import agreement, convert  # noqa: E402
from pipeline.standoff import detach, read_texts  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("markup_dir", type=Path)
    ap.add_argument("texts", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "annotations/dev/shared-corpus-dev.standoff.jsonl")
    ap.add_argument("--ids", help="only these documents: comma-separated ids, or @FILE with one id per line")
    ap.add_argument("--set-name", default="development set", help="recorded in each record's meta")
    args = ap.parse_args()
    texts = read_texts(args.texts)
    ids = sorted(p.name[: -len(".gold.ann")] for p in args.markup_dir.glob("*.gold.ann"))
    if args.ids:
        raw = Path(args.ids[1:]).read_text(encoding="utf-8").split() if args.ids.startswith("@") else args.ids.split(",")
        wanted = {x.strip() for x in raw if x.strip()}
        missing = wanted - set(ids)
        if missing:
            print(f"no adjudicated markup for: {sorted(missing)}", file=sys.stderr)
            return 1
        ids = [i for i in ids if i in wanted]
    out, rows, ok = [], [], True
    with tempfile.TemporaryDirectory() as tmp:
        for doc_id in ids:
            original = Path(tmp) / f"{doc_id}.txt"
            original.write_text(texts[doc_id], encoding="utf-8")
            rec, problems = convert(original, args.markup_dir / f"{doc_id}.gold.ann", doc_id=doc_id)
            for p in problems:
                print(p, file=sys.stderr)
            if rec is None or any(p.severity == "error" for p in problems):
                ok = False
                continue
            rec["meta"] = {"source": f"shared corpus, id {doc_id}",
                           "annotation": f"{args.set_name}: two passes, adjudicated"}
            out.append(detach(rec))
            a, _ = convert(original, args.markup_dir / f"{doc_id}.A.ann", doc_id=doc_id)
            b, _ = convert(original, args.markup_dir / f"{doc_id}.B.ann", doc_id=doc_id)
            ag = agreement(a, b) if a and b else {}
            rows.append({"id": doc_id, **ag, "gold_entities": len(rec["entities"]),
                         "gold_relations": len(rec["relations"])})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out), encoding="utf-8")
    (args.out.parent / (args.out.name.split(".")[0] + ".agreement.json")).write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    for r in rows:
        print(r)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
