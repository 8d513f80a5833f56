"""Disagreement report between two annotation passes of one document (for adjudication).

    python3 -m pipeline.markup_diff corpus/DOC.txt annotations/markup/DOC.A.ann annotations/markup/DOC.B.ann
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .markup import agreement, convert


def _ctx(text: str, s: int, e: int, w: int = 30) -> str:
    return (text[max(0, s - w):s] + "[" + text[s:e] + "]" + text[e:e + w]).replace("\n", " ")


def report(original: Path, a_path: Path, b_path: Path) -> str:
    a, pa = convert(original, a_path)
    b, pb = convert(original, b_path)
    if a is None or b is None:
        return "\n".join(map(str, pa + pb))
    text = a["text"]
    out = [f"agreement: {agreement(a, b)}", "", "== entity disagreements (span+label) =="]
    ea = {(e["start_offset"], e["end_offset"], e["label"]): e for e in a["entities"]}
    eb = {(e["start_offset"], e["end_offset"], e["label"]): e for e in b["entities"]}
    for key in sorted(set(ea) ^ set(eb)):
        who = "A only" if key in ea else "B only"
        e = ea.get(key) or eb[key]
        out.append(f"{who:7} {key[2]:12} {e['kb_id']!r:30} {_ctx(text, key[0], key[1])}")
    out.append("")
    out.append("== kb_id disagreements on shared spans ==")
    for key in sorted(set(ea) & set(eb)):
        if ea[key]["kb_id"] != eb[key]["kb_id"]:
            out.append(f"A={ea[key]['kb_id']!r} B={eb[key]['kb_id']!r} {_ctx(text, key[0], key[1], 10)}")
    out.append("")
    out.append("== relation disagreements (type, head span, tail span) ==")

    def rels(rec):
        sp = {e["id"]: e for e in rec["entities"]}
        res = {}
        for r in rec["relations"]:
            h, t = sp[r["from_id"]], sp[r["to_id"]]
            res[(r["type"], h["start_offset"], h["end_offset"], t["start_offset"], t["end_offset"])] = (r, h, t)
        return res

    ra, rb = rels(a), rels(b)
    for key in sorted(set(ra) ^ set(rb), key=lambda k: k[1]):
        who = "A only" if key in ra else "B only"
        r, h, t = ra.get(key) or rb[key]
        out.append(f"{who:7} {key[0]:20} {text[h['start_offset']:h['end_offset']]!r} -> "
                   f"{text[t['start_offset']:t['end_offset']]!r} neg={r['negated']}  @ {_ctx(text, h['start_offset'], h['end_offset'], 40)}")
    out.append("")
    out.append("== attribute disagreements on shared relations ==")
    for key in sorted(set(ra) & set(rb), key=lambda k: k[1]):
        x, y = ra[key][0], rb[key][0]
        for f in ("negated", "quantity"):
            if x[f] != y[f]:
                out.append(f"{key[0]} {text[key[1]:key[2]]!r}->{text[key[3]:key[4]]!r}: {f} A={x[f]} B={y[f]}")
        for f in ("date", "value"):
            if bool(x[f]) != bool(y[f]):
                out.append(f"{key[0]} {text[key[1]:key[2]]!r}->{text[key[3]:key[4]]!r}: {f} A={'set' if x[f] else 'none'} B={'set' if y[f] else 'none'}")
        if len(x["item"]) != len(y["item"]):
            out.append(f"{key[0]} {text[key[1]:key[2]]!r}->{text[key[3]:key[4]]!r}: item count A={len(x['item'])} B={len(y['item'])}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Command line: print the report (``--help`` describes the arguments)."""
    ap = argparse.ArgumentParser(prog="python3 -m pipeline.markup_diff",
                                 description="Disagreement report between two annotation passes of one document; "
                                             "each pass's relations are read from the .rels file beside its .ann.")
    ap.add_argument("text", type=Path, help="the document's plain text")
    ap.add_argument("pass_a", type=Path, help="pass A markup (.ann)")
    ap.add_argument("pass_b", type=Path, help="pass B markup (.ann)")
    args = ap.parse_args(argv)
    print(report(args.text, args.pass_a, args.pass_b))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
