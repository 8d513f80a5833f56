"""Loading, validating and counting SCHEMA v1 annotation files.

Every problem names the file, line, document id, entity/relation id and field.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

from .records import read_jsonl
from .schema import ATTRIBUTE_LABELS, ENTITY_LABELS, RELATION_TYPES


@dataclass(frozen=True)
class Problem:
    """One validation finding."""

    file: str
    line: int
    doc_id: str | None
    item: str | None  # "entity 3" / "relation 7" / None
    field: str | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = [f"doc {self.doc_id!r}" if self.doc_id is not None else "", self.item or "",
                 f"field {self.field!r}" if self.field else ""]
        ctx = ", ".join(w for w in where if w)
        return f"{self.file}:{self.line}: {self.severity}: " + (f"{ctx}: " if ctx else "") + self.message


def iter_annotation_files(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Expand files and folders (recursively) into ``*.jsonl`` files, sorted."""
    for p in map(Path, paths):
        if p.is_dir():
            # stand-off files hold no text: they become gold only once attached (see standoff.py)
            yield from sorted(x for x in p.rglob("*.jsonl") if x.is_file() and not x.name.endswith(".standoff.jsonl"))
        else:
            yield p


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


@lru_cache(maxsize=1)
def _sentencizer() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Rule-based sentence bounds, used only for the same-sentence warning."""

    from .textnorm import normalize_text

    nlp = _sentencizer()
    nlp.max_length = max(nlp.max_length, len(text) + 1)
    doc = nlp(normalize_text(text))
    return [(s.start_char, s.end_char) for s in doc.sents]


def validate_record(rec: dict[str, Any], file: str, line: int, *, check_sentences: bool = True) -> list[Problem]:
    """Check one record against the schema; returns all problems found."""
    probs: list[Problem] = []
    doc_id = rec.get("id")

    def add(msg: str, item: str | None = None, fld: str | None = None, sev: str = "error") -> None:
        probs.append(Problem(file, line, None if doc_id is None else str(doc_id), item, fld, msg, sev))

    if not isinstance(doc_id, str) or not doc_id:
        add("missing or non-string document id", fld="id")
    text = rec.get("text")
    if not isinstance(text, str):
        add(f"text must be a string, got {type(text).__name__}", fld="text")
        return probs
    if "meta" in rec and not isinstance(rec["meta"], dict):
        add("meta must be an object", fld="meta")
    ents = rec.get("entities", [])
    rels = rec.get("relations", [])
    if not isinstance(ents, list):
        add("entities must be a list", fld="entities")
        ents = []
    if not isinstance(rels, list):
        add("relations must be a list", fld="relations")
        rels = []
    by_id: dict[Any, dict[str, Any]] = {}
    good_spans: list[tuple[int, int, Any]] = []
    for k, ent in enumerate(ents):
        if not isinstance(ent, dict):
            add(f"entity #{k} is not an object", fld="entities")
            continue
        eid = ent.get("id")
        tag = f"entity {eid}"
        if not _is_int(eid):
            add("entity id must be an integer", tag, "id")
        elif eid in by_id:
            add("duplicate entity id", tag, "id")
        else:
            by_id[eid] = ent
        label = ent.get("label")
        if label not in ENTITY_LABELS:
            add(f"unknown label {label!r} (allowed: {', '.join(ENTITY_LABELS)})", tag, "label")
        s, e = ent.get("start_offset"), ent.get("end_offset")
        if not (_is_int(s) and _is_int(e)):
            add("start_offset/end_offset must be integers", tag, "start_offset")
            continue
        if not (0 <= s < e <= len(text)):
            add(f"offsets [{s}, {e}) out of range for text of length {len(text)}", tag, "start_offset")
            continue
        mention = text[s:e]
        if mention != mention.strip():
            add(f"mention {mention!r} has leading or trailing whitespace", tag, "start_offset")
        if "kb_id" not in ent or not ent.get("kb_id"):
            add("missing kb_id", tag, "kb_id", "warning")
        elif not isinstance(ent["kb_id"], str):
            add("kb_id must be a string", tag, "kb_id")
        elif label == "STATE" and not (len(ent["kb_id"]) == 3 and ent["kb_id"].isalpha() and ent["kb_id"].isupper()):
            add(f"STATE kb_id must be ISO 3166-1 alpha-3, got {ent['kb_id']!r}", tag, "kb_id")
        if "text" in ent and ent["text"] != mention:
            add(f"text {ent['text']!r} does not match text[start:end] {mention!r}", tag, "text")
        good_spans.append((s, e, eid))
    good_spans.sort()
    # compare each span with the furthest-reaching earlier one, not just its neighbour,
    # so that B and C both inside a long A are both reported
    prev: tuple[int, int, Any] | None = None
    for s2, e2, i2 in good_spans:
        if prev is not None and s2 < prev[1]:
            s1, e1, i1 = prev
            add(f"overlaps entity {i1} [{s1}, {e1}) (spans must be flat)", f"entity {i2}", "start_offset")
        if prev is None or e2 > prev[1]:
            prev = (s2, e2, i2)
    sents = _sentence_bounds(text) if check_sentences and rels else []
    rel_ids: set[Any] = set()
    seen: set[tuple[Any, Any, Any]] = set()
    for k, rel in enumerate(rels):
        if not isinstance(rel, dict):
            add(f"relation #{k} is not an object", fld="relations")
            continue
        rid = rel.get("id")
        tag = f"relation {rid}"
        if not _is_int(rid):
            add("relation id must be an integer", tag, "id")
        elif rid in rel_ids:
            add("duplicate relation id", tag, "id")
        else:
            rel_ids.add(rid)
        rtype = rel.get("type")
        if not isinstance(rtype, str) or rtype not in RELATION_TYPES:
            add(f"unknown relation type {rtype!r} (allowed: {', '.join(RELATION_TYPES)})", tag, "type")
        ends = {}
        for fld in ("from_id", "to_id"):
            ref = rel.get(fld)
            if not (_is_int(ref) and ref in by_id):
                add(f"refers to missing entity {ref!r}", tag, fld)
            else:
                ends[fld] = by_id[ref]
        if isinstance(rtype, str) and rtype in RELATION_TYPES and len(ends) == 2:
            heads, tails = RELATION_TYPES[rtype]
            if ends["from_id"].get("label") not in heads:
                add(f"head label {ends['from_id'].get('label')} not allowed for {rtype} (allowed: {sorted(heads)})", tag, "from_id")
            if ends["to_id"].get("label") not in tails:
                add(f"tail label {ends['to_id'].get('label')} not allowed for {rtype} (allowed: {sorted(tails)})", tag, "to_id")
            key = (rtype, rel.get("from_id"), rel.get("to_id"))
            if key in seen:
                add("duplicate relation (same type, head and tail)", tag, "type")
            seen.add(key)
            if sents and all(_is_int(e.get("start_offset")) and _is_int(e.get("end_offset"))
                             for e in ends.values()):
                lo = min(e.get("start_offset", 0) for e in ends.values())
                hi = max(e.get("end_offset", 0) for e in ends.values())
                if not any(a <= lo and hi <= b for a, b in sents):
                    add("head and tail are not in one sentence", tag, "to_id", "warning")
        item = rel.get("item", [])
        if item is None:
            item = []
        if not isinstance(item, list):
            add("item must be a list of entity ids", tag, "item")
            item = []
        for ref in item:
            if not (_is_int(ref) and ref in by_id):
                add(f"refers to missing entity {ref!r}", tag, "item")
            elif by_id[ref].get("label") not in ATTRIBUTE_LABELS["item"]:
                add(f"entity {ref} is {by_id[ref].get('label')}, item must be WEAPON or SURVEILLANCE", tag, "item")
        for fld in ("date", "value"):
            ref = rel.get(fld)
            if ref is None:
                continue
            if not (_is_int(ref) and ref in by_id):
                add(f"refers to missing entity {ref!r}", tag, fld)
            elif by_id[ref].get("label") not in ATTRIBUTE_LABELS[fld]:
                add(f"entity {ref} is {by_id[ref].get('label')}, {fld} must be {sorted(ATTRIBUTE_LABELS[fld])[0]}", tag, fld)
        q = rel.get("quantity")
        if q is not None and not (_is_int(q) and q >= 0):
            add(f"quantity must be a non-negative integer or null, got {q!r}", tag, "quantity")
        if "negated" in rel and not isinstance(rel["negated"], bool):
            add(f"negated must be true or false, got {rel['negated']!r}", tag, "negated")
    return probs


def _validate(paths: Iterable[Path | str], check_sentences: bool) -> tuple[list[Problem], list[dict[str, Any]]]:
    """One pass over the files: every problem found, and every record that parsed."""
    paths = list(paths)
    problems: list[Problem] = []
    records: list[dict[str, Any]] = []
    seen_ids: dict[str, str] = {}
    files = list(iter_annotation_files(paths))
    for path in files:
        if not path.exists():
            problems.append(Problem(str(path), 0, None, None, None, "file does not exist"))
            continue
        for lineno, rec, err in read_jsonl(path):
            if err:
                problems.append(Problem(str(path), lineno, None, None, None, err))
                continue
            assert rec is not None
            records.append(rec)
            problems.extend(validate_record(rec, str(path), lineno, check_sentences=check_sentences))
            did = rec.get("id")
            if isinstance(did, str):
                where = f"{path}:{lineno}"
                if did in seen_ids:
                    problems.append(Problem(str(path), lineno, did, None, "id",
                                            f"duplicate document id (first at {seen_ids[did]})"))
                else:
                    seen_ids[did] = where
    if not files:
        problems.append(Problem(",".join(map(str, paths)), 0, None, None, None, "no .jsonl annotation files found"))
    return problems, records


def validate_paths(paths: Iterable[Path | str], *, check_sentences: bool = True) -> tuple[list[Problem], int]:
    """Validate every record in the given files/folders. Returns (problems, n_records)."""
    problems, records = _validate(paths, check_sentences)
    return problems, len(records)


def _raise_on_errors(problems: list[Problem]) -> None:
    """The edge check of every loader: any error-level problem stops the load, naming the first."""
    from .records import RecordError

    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise RecordError(f"{len(errors)} annotation error(s); first: {errors[0]}")


def load_gold(paths: Iterable[Path | str]) -> list[dict[str, Any]]:
    """Load annotation records, raising on any validation error (edge check)."""
    problems, records = _validate(paths, check_sentences=False)
    _raise_on_errors(problems)
    return records


def load_annotations(paths: Iterable[Path | str], texts: Path | str | None = None) -> list[dict[str, Any]]:
    """Gold records from annotation files/folders and from stand-off files (``*.standoff.jsonl``),
    whose texts are joined from ``texts`` (a ``{"id", "text"}`` JSONL file; see standoff.py)."""
    from .records import RecordError
    from .standoff import SUFFIX, attach_files

    paths = [Path(p) for p in paths]
    standoff = [p for p in paths if p.name.endswith(SUFFIX)]
    plain = [p for p in paths if not p.name.endswith(SUFFIX)]
    records = load_gold(plain) if plain else []
    if standoff:
        if texts is None:
            raise RecordError(f"{standoff[0]} holds no text: pass --texts with the corpus it annotates",
                              file=str(standoff[0]))
        attached = attach_files(standoff, texts)
        _raise_on_errors([p for i, rec in enumerate(attached, 1)
                          for p in validate_record(rec, str(standoff[0]), i, check_sentences=False)])
        records += attached
    return records


def stats(records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Counts per entity label and relation type, per document and in total."""
    per_doc: dict[str, Any] = {}
    tot_e: Counter[str] = Counter()
    tot_r: Counter[str] = Counter()
    for rec in records:
        e = Counter(x["label"] for x in rec.get("entities", []))
        r = Counter(x["type"] for x in rec.get("relations", []))
        per_doc[rec["id"]] = {"entities": dict(sorted(e.items())), "relations": dict(sorted(r.items())),
                              "n_entities": sum(e.values()), "n_relations": sum(r.values())}
        tot_e.update(e)
        tot_r.update(r)
    return {"documents": per_doc,
            "total": {"entities": dict(sorted(tot_e.items())), "relations": dict(sorted(tot_r.items())),
                      "n_entities": sum(tot_e.values()), "n_relations": sum(tot_r.values()),
                      "n_documents": len(per_doc)}}
