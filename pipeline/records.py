"""The one data model and the one JSONL boundary.

Entities live in ``doc.ents`` (flat); ``kb_id`` is stored on each span's ``kb_id_``.
Relations are frozen :class:`Relation` records on the ``doc._.relations`` extension, their
spans identified by full character offsets. ``to_record`` / ``from_record`` convert between a
Doc and a SCHEMA v1 record; ``read_jsonl`` / ``write_jsonl`` are the only file readers and
writers of JSONL in the project.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from spacy.tokens import Doc, Span

SpanKey = tuple[int, int, str]  # (start_char, end_char, label)


class RecordError(ValueError):
    """A record that breaks the schema; carries where it came from."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 doc_id: str | None = None, field: str | None = None) -> None:
        self.file, self.line, self.doc_id, self.field, self.detail = file, line, doc_id, field, message
        where = ":".join(str(x) for x in (file, line) if x is not None)
        parts = [p for p in (where, f"doc {doc_id!r}" if doc_id is not None else None,
                             f"field {field!r}" if field else None) if p]
        super().__init__(f"{', '.join(parts)}: {message}" if parts else message)


@dataclass(frozen=True)
class Relation:
    """A directed relation between two entity spans of one Doc.

    ``head`` and ``tail`` are ``(start_char, end_char, label)``; ``attrs`` holds the optional
    schema attributes: ``item`` (tuple of span keys), ``date``/``value`` (span key or None),
    ``quantity`` (int or None), ``negated`` (bool), and ``evidence`` (sentence char offsets).
    """

    head: SpanKey
    tail: SpanKey
    label: str
    score: float = 1.0
    attrs: tuple[tuple[str, Any], ...] = field(default_factory=tuple)

    def attr(self, name: str, default: Any = None) -> Any:
        return dict(self.attrs).get(name, default)


def ensure_extensions() -> None:
    """Register the Doc extensions lazily (never at import time)."""
    if not Doc.has_extension("relations"):
        Doc.set_extension("relations", default=None)
    if not Doc.has_extension("secrel_meta"):
        Doc.set_extension("secrel_meta", default=None)


def span_key(span: Span) -> SpanKey:
    return (span.start_char, span.end_char, span.label_)


def make_attrs(item: Iterable[SpanKey] = (), date: SpanKey | None = None, value: SpanKey | None = None,
               quantity: int | None = None, negated: bool = False,
               evidence: tuple[int, int] | None = None) -> tuple[tuple[str, Any], ...]:
    return (("item", tuple(item)), ("date", date), ("value", value), ("quantity", quantity),
            ("negated", bool(negated)), ("evidence", evidence))


def to_record(doc: Doc, doc_id: str, text: str | None = None, meta: dict[str, Any] | None = None,
              *, with_scores: bool = True) -> dict[str, Any]:
    """Serialise a Doc to a SCHEMA v1 record.

    ``text`` is the original text the offsets refer to (it may differ from ``doc.text`` only by
    length-preserving normalisation); defaults to ``doc.text``.
    """
    ensure_extensions()
    text = doc.text if text is None else text
    if len(text) != len(doc.text):
        raise RecordError("original text and doc text differ in length", doc_id=doc_id, field="text")
    ents = sorted(doc.ents, key=lambda s: (s.start_char, s.end_char))
    ids: dict[SpanKey, int] = {}
    entities = []
    for i, span in enumerate(ents, start=1):
        ids[span_key(span)] = i
        entities.append({"id": i, "label": span.label_, "start_offset": span.start_char,
                         "end_offset": span.end_char, "kb_id": span.kb_id_ or None,
                         "text": text[span.start_char:span.end_char]})
    relations = []
    for rel in sorted(doc._.relations or [], key=lambda r: (r.head[0], r.tail[0], r.label)):
        if rel.head not in ids or rel.tail not in ids:
            continue  # relation over a span that did not survive entity resolution
        rec: dict[str, Any] = {
            "id": len(relations) + 1, "from_id": ids[rel.head], "to_id": ids[rel.tail], "type": rel.label,
            "item": [ids[k] for k in rel.attr("item", ()) if k in ids],
            "date": ids.get(rel.attr("date")) if rel.attr("date") else None,
            "value": ids.get(rel.attr("value")) if rel.attr("value") else None,
            "quantity": rel.attr("quantity"), "negated": bool(rel.attr("negated", False)),
        }
        if with_scores:
            rec["score"] = round(float(rel.score), 4)
            ev = rel.attr("evidence")
            if ev:
                rec["evidence"] = {"start_offset": ev[0], "end_offset": ev[1]}
        relations.append(rec)
    out: dict[str, Any] = {"id": doc_id, "text": text, "meta": dict(meta or {}),
                           "entities": entities, "relations": relations}
    return out


def from_record(record: dict[str, Any], nlp_or_vocab: Any, *, doc: Doc | None = None) -> Doc:
    """Build (or annotate ``doc`` with) a record's entities and relations.

    Entity spans are aligned to tokens with ``alignment_mode="expand"``; a span that cannot be
    placed (overlap after expansion) raises :class:`RecordError`.
    """
    ensure_extensions()
    if doc is None:
        vocab = getattr(nlp_or_vocab, "vocab", nlp_or_vocab)
        tok = getattr(nlp_or_vocab, "tokenizer", None)
        doc = tok(record["text"]) if tok is not None else Doc(vocab, words=record["text"].split())
    by_id: dict[int, SpanKey] = {}
    spans = []
    for ent in record.get("entities", []):
        span = doc.char_span(ent["start_offset"], ent["end_offset"], label=ent["label"],
                             kb_id=ent.get("kb_id") or "", alignment_mode="expand")
        if span is None:
            raise RecordError(f"entity {ent['id']} cannot be aligned to tokens", doc_id=record.get("id"),
                              field="entities")
        by_id[ent["id"]] = (ent["start_offset"], ent["end_offset"], ent["label"])
        spans.append(span)
    doc.ents = spans
    rels = []
    for r in record.get("relations", []):
        ev = r.get("evidence")
        rels.append(Relation(
            head=by_id[r["from_id"]], tail=by_id[r["to_id"]], label=r["type"], score=float(r.get("score", 1.0)),
            attrs=make_attrs(item=[by_id[i] for i in r.get("item") or []],
                             date=by_id.get(r["date"]) if r.get("date") else None,
                             value=by_id.get(r["value"]) if r.get("value") else None,
                             quantity=r.get("quantity"), negated=bool(r.get("negated")),
                             evidence=(ev["start_offset"], ev["end_offset"]) if ev else None)))
    doc._.relations = rels
    return doc


def read_jsonl(path: Path | str) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """Yield ``(line_number, record, error)`` for each non-blank line; never raises on bad lines."""
    path = Path(path)
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield lineno, None, f"invalid UTF-8 at byte {exc.start}"
                continue
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield lineno, None, f"malformed JSON: {exc.msg} (column {exc.colno})"
                continue
            if not isinstance(obj, dict):
                yield lineno, None, f"expected a JSON object, got {type(obj).__name__}"
                continue
            yield lineno, obj, None


def dumps(record: dict[str, Any]) -> str:
    """Canonical one-line JSON (stable key order as built, UTF-8, no ASCII escaping)."""
    return json.dumps(record, ensure_ascii=False, separators=(", ", ": "))


def write_jsonl(path: Path | str, records: Iterable[dict[str, Any]]) -> int:
    """Write records atomically: a temporary file in the same folder, then rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    n = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(dumps(rec) + "\n")
                n += 1
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n
