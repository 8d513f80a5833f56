"""Inline annotation markup -> SCHEMA v1 records, with exact offset verification.

Annotators never type offsets. They wrap mentions in a copy of the document::

    [[surface text|LABEL|kb_id]]          an entity mention
    [[surface text|LABEL|kb_id|tag]]      the same, with a tag relations can refer to

and list relations in a sibling ``.rels`` file, one per line::

    TYPE HEAD_TAG TAIL_TAG [item=t1,t2] [date=t] [value=t] [quantity=N] [negated]

Lines starting with ``#`` are comments. Converting strips the markup, checks that the
result equals the original document byte for byte and reports the first divergence
otherwise. Standard library only, so it runs before the project is installed::

    python3 -m pipeline.markup check corpus/DOC.txt annotations/markup/DOC.A.ann
    python3 -m pipeline.markup convert corpus/DOC.txt annotations/markup/DOC.A.ann -o out.jsonl
    python3 -m pipeline.markup compare A.jsonl B.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .schema import ATTRIBUTE_LABELS, ENTITY_LABELS, RELATION_TYPES

OPEN, CLOSE, SEP = "[[", "]]", "|"
TAG_RE = re.compile(r"^[A-Za-z0-9_]+$")
ISO3_RE = re.compile(r"^[A-Z]{3}$")


@dataclass
class MarkupProblem:
    """One problem found in a markup or relation file."""

    file: str
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"


@dataclass
class ParsedMarkup:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    tags: dict[str, int] = field(default_factory=dict)
    problems: list[MarkupProblem] = field(default_factory=list)


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def parse_markup(markup: str, file: str = "<markup>") -> ParsedMarkup:
    """Strip ``[[...]]`` markup, returning plain text and entity records with offsets."""
    out: list[str] = []
    result = ParsedMarkup(text="")
    pos = 0
    plain_len = 0
    while True:
        i = markup.find(OPEN, pos)
        if i < 0:
            rest = markup[pos:]
            if CLOSE in rest:
                j = rest.index(CLOSE) + pos
                result.problems.append(
                    MarkupProblem(file, _line_of(markup, j), "stray ']]' with no opening '[['")
                )
            out.append(rest)
            break
        chunk = markup[pos:i]
        if CLOSE in chunk:
            j = chunk.index(CLOSE) + pos
            result.problems.append(
                MarkupProblem(file, _line_of(markup, j), "stray ']]' with no opening '[['")
            )
        out.append(chunk)
        plain_len += len(chunk)
        j = markup.find(CLOSE, i + 2)
        line = _line_of(markup, i)
        if j < 0:
            result.problems.append(MarkupProblem(file, line, "'[[' never closed"))
            out.append(markup[i:])
            break
        body = markup[i + 2 : j]
        if OPEN in body:
            result.problems.append(
                MarkupProblem(file, line, f"nested '[[' inside a mention (spans are flat): {body[:60]!r}")
            )
        parts = body.split(SEP)
        if len(parts) not in (3, 4):
            result.problems.append(
                MarkupProblem(
                    file, line, f"mention must be [[text|LABEL|kb_id]] or [[text|LABEL|kb_id|tag]], got {body[:80]!r}"
                )
            )
            surface = parts[0]
            out.append(surface)
            plain_len += len(surface)
            pos = j + 2
            continue
        surface, label, kb_id = parts[0], parts[1].strip(), parts[2].strip()
        tag = parts[3].strip() if len(parts) == 4 else None
        if surface != surface.strip() or not surface:
            result.problems.append(
                MarkupProblem(file, line, f"mention text {surface!r} is empty or padded with whitespace")
            )
        if label not in ENTITY_LABELS:
            result.problems.append(MarkupProblem(file, line, f"unknown label {label!r} on {surface!r}"))
        if not kb_id:
            result.problems.append(MarkupProblem(file, line, f"missing kb_id on {surface!r}"))
        elif label == "STATE" and not ISO3_RE.match(kb_id):
            result.problems.append(
                MarkupProblem(file, line, f"STATE kb_id must be ISO 3166-1 alpha-3, got {kb_id!r} on {surface!r}")
            )
        ent_id = len(result.entities) + 1
        result.entities.append(
            {
                "id": ent_id,
                "label": label,
                "start_offset": plain_len,
                "end_offset": plain_len + len(surface),
                "kb_id": kb_id,
            }
        )
        if tag is not None:
            if not TAG_RE.match(tag):
                result.problems.append(MarkupProblem(file, line, f"bad tag {tag!r} (letters, digits, _)"))
            elif tag in result.tags:
                result.problems.append(MarkupProblem(file, line, f"tag {tag!r} used twice"))
            else:
                result.tags[tag] = ent_id
        out.append(surface)
        plain_len += len(surface)
        pos = j + 2
    result.text = "".join(out)
    return result


def first_divergence(a: str, b: str) -> int | None:
    """Index of the first differing character, or None when equal."""
    n = min(len(a), len(b))
    for k in range(n):
        if a[k] != b[k]:
            return k
    return None if len(a) == len(b) else n


def parse_relations(
    rels: str, tags: dict[str, int], entities: list[dict[str, Any]], file: str = "<rels>"
) -> tuple[list[dict[str, Any]], list[MarkupProblem]]:
    """Parse the relation lines, resolving tags to entity ids and checking the schema."""
    by_id = {e["id"]: e for e in entities}
    relations: list[dict[str, Any]] = []
    problems: list[MarkupProblem] = []
    seen: set[tuple[str, int, int]] = set()
    for lineno, raw in enumerate(rels.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        toks = line.split()
        if len(toks) < 3:
            problems.append(MarkupProblem(file, lineno, f"need TYPE HEAD TAIL, got {raw!r}"))
            continue
        rtype, head_tag, tail_tag, *opts = toks
        if rtype not in RELATION_TYPES:
            problems.append(MarkupProblem(file, lineno, f"unknown relation type {rtype!r}"))
            continue
        ids = []
        for role, tag in (("head", head_tag), ("tail", tail_tag)):
            if tag not in tags:
                problems.append(MarkupProblem(file, lineno, f"{role} tag {tag!r} not defined in markup"))
            ids.append(tags.get(tag))
        if None in ids:
            continue
        head, tail = by_id[ids[0]], by_id[ids[1]]
        heads, tails = RELATION_TYPES[rtype]
        if head["label"] not in heads:
            problems.append(MarkupProblem(file, lineno, f"{rtype} head {head_tag} is {head['label']}, allowed {sorted(heads)}"))
        if tail["label"] not in tails:
            problems.append(MarkupProblem(file, lineno, f"{rtype} tail {tail_tag} is {tail['label']}, allowed {sorted(tails)}"))
        rel: dict[str, Any] = {
            "id": len(relations) + 1,
            "from_id": ids[0],
            "to_id": ids[1],
            "type": rtype,
            "item": [],
            "date": None,
            "value": None,
            "quantity": None,
            "negated": False,
        }
        for opt in opts:
            if opt == "negated":
                rel["negated"] = True
                continue
            key, _, val = opt.partition("=")
            if key == "quantity":
                if not (val.isascii() and val.isdigit()):  # '²'.isdigit() is True but int() rejects it
                    problems.append(MarkupProblem(file, lineno, f"quantity must be an integer, got {val!r}"))
                else:
                    rel["quantity"] = int(val)
            elif key in ATTRIBUTE_LABELS:
                refs = [t for t in val.split(",") if t]
                resolved = []
                for t in refs:
                    if t not in tags:
                        problems.append(MarkupProblem(file, lineno, f"{key} tag {t!r} not defined in markup"))
                        continue
                    ent = by_id[tags[t]]
                    if ent["label"] not in ATTRIBUTE_LABELS[key]:
                        problems.append(
                            MarkupProblem(file, lineno, f"{key} {t} is {ent['label']}, must be {sorted(ATTRIBUTE_LABELS[key])}")
                        )
                    resolved.append(tags[t])
                if key == "item":
                    rel["item"] = resolved
                elif len(resolved) > 1:
                    problems.append(MarkupProblem(file, lineno, f"{key} takes one entity, got {len(resolved)}"))
                elif resolved:
                    rel[key] = resolved[0]
            else:
                problems.append(MarkupProblem(file, lineno, f"unknown option {opt!r}"))
        key3 = (rtype, ids[0], ids[1])
        if key3 in seen:
            problems.append(MarkupProblem(file, lineno, f"duplicate relation {rtype} {head_tag} {tail_tag}"))
        seen.add(key3)
        relations.append(rel)
    return relations, problems


def convert(
    original_path: Path, markup_path: Path, rels_path: Path | None = None, doc_id: str | None = None
) -> tuple[dict[str, Any] | None, list[MarkupProblem]]:
    """Convert one markup file (and its ``.rels``) to a SCHEMA v1 record."""
    original = original_path.read_text(encoding="utf-8")
    markup = markup_path.read_text(encoding="utf-8")
    parsed = parse_markup(markup, str(markup_path))
    problems = list(parsed.problems)
    k = first_divergence(parsed.text, original)
    if k is not None:
        ctx_a = parsed.text[max(0, k - 40) : k + 40]
        ctx_b = original[max(0, k - 40) : k + 40]
        problems.append(
            MarkupProblem(
                str(markup_path),
                _line_of(original, k),
                f"stripped text differs from {original_path} at char {k}:\n  markup:   {ctx_a!r}\n  original: {ctx_b!r}",
            )
        )
    rels_path = rels_path or markup_path.with_suffix(".rels")
    relations: list[dict[str, Any]] = []
    if rels_path.exists():
        relations, rp = parse_relations(rels_path.read_text(encoding="utf-8"), parsed.tags, parsed.entities, str(rels_path))
        problems.extend(rp)
        for rel in relations:
            h = parsed.entities[rel["from_id"] - 1]
            t = parsed.entities[rel["to_id"] - 1]
            lo = min(h["start_offset"], t["start_offset"])
            hi = max(h["end_offset"], t["end_offset"])
            if "\n\n" in original[lo:hi]:
                problems.append(
                    MarkupProblem(str(rels_path), 0, f"relation {rel['id']} ({rel['type']}) spans a paragraph break", "warning")
                )
    record = {
        "id": doc_id or original_path.stem,
        "text": original,
        "meta": {"source": str(original_path)},
        "entities": parsed.entities,
        "relations": relations,
    }
    errors = [p for p in problems if p.severity == "error"]
    return (None if errors else record), problems


def _spans(rec: dict[str, Any]) -> dict[int, tuple[int, int, str]]:
    return {e["id"]: (e["start_offset"], e["end_offset"], e["label"]) for e in rec["entities"]}


def agreement(a: dict[str, Any], b: dict[str, Any]) -> dict[str, float]:
    """Strict entity F1 and relation F1 (type + exact head/tail spans) between two records."""
    sa, sb = _spans(a), _spans(b)
    ea, eb = set(sa.values()), set(sb.values())
    ra = {(r["type"], sa[r["from_id"]], sa[r["to_id"]]) for r in a["relations"]}
    rb = {(r["type"], sb[r["from_id"]], sb[r["to_id"]]) for r in b["relations"]}

    def f1(x: set, y: set) -> float:
        return 2 * len(x & y) / (len(x) + len(y)) if (x or y) else 1.0

    return {"entity_f1": f1(ea, eb), "relation_f1": f1(ra, rb), "entities_a": len(ea), "entities_b": len(eb),
            "relations_a": len(ra), "relations_b": len(rb)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.markup", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("check", "convert"):
        p = sub.add_parser(name)
        p.add_argument("original", type=Path)
        p.add_argument("markup", type=Path)
        p.add_argument("--rels", type=Path)
        p.add_argument("--id")
        if name == "convert":
            p.add_argument("-o", "--output", type=Path, required=True)
    p = sub.add_parser("compare")
    p.add_argument("a", type=Path)
    p.add_argument("b", type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "compare":
        a = json.loads(args.a.read_text(encoding="utf-8").splitlines()[0])
        b = json.loads(args.b.read_text(encoding="utf-8").splitlines()[0])
        print(json.dumps(agreement(a, b), indent=2))
        return 0
    record, problems = convert(args.original, args.markup, args.rels, args.id)
    for p in problems:
        print(p, file=sys.stderr)
    if record is None:
        print(f"FAILED: {sum(p.severity == 'error' for p in problems)} error(s)", file=sys.stderr)
        return 1
    counts: dict[str, int] = {}
    for e in record["entities"]:
        counts[e["label"]] = counts.get(e["label"], 0) + 1
    rcounts: dict[str, int] = {}
    for r in record["relations"]:
        rcounts[r["type"]] = rcounts.get(r["type"], 0) + 1
    print(f"OK: {len(record['entities'])} entities {counts}; {len(record['relations'])} relations {rcounts}")
    if args.cmd == "convert":
        args.output.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
