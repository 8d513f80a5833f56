"""Rebuild annotations/gold/*.jsonl from the adjudicated markup and record pass agreement.

    python3 annotations/build_gold.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.markup import agreement, convert  # noqa: E402


def main() -> int:
    manifest = {json.loads(l)["id"]: json.loads(l) for l in (ROOT / "corpus/manifest.jsonl").read_text().splitlines() if l.strip()}
    rows = []
    ok = True
    for doc_id, m in sorted(manifest.items()):
        original = ROOT / "corpus" / m["source_file"]
        mk = ROOT / "annotations/markup"
        rec, problems = convert(original, mk / f"{doc_id}.gold.ann", doc_id=doc_id)
        for p in problems:
            print(p, file=sys.stderr)
        if rec is None:
            ok = False
            continue
        rec["meta"] = {"source": f"corpus/{m['source_file']}", "title": m.get("title"), "publisher": m.get("publisher"),
                       "date": m.get("date")}
        (ROOT / "annotations/gold" / f"{doc_id}.jsonl").write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
        a, _ = convert(original, mk / f"{doc_id}.A.ann", doc_id=doc_id)
        b, _ = convert(original, mk / f"{doc_id}.B.ann", doc_id=doc_id)
        ag = agreement(a, b) if a and b else {}
        rows.append({"id": doc_id, **ag, "gold_entities": len(rec["entities"]), "gold_relations": len(rec["relations"])})
    (ROOT / "annotations/agreement.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    for r in rows:
        print(r)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
