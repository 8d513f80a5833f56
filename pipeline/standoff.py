"""Stand-off annotations: gold records whose text lives elsewhere.

Annotations of third-party texts (the shared news corpus) may be kept in the project only
without the text. A stand-off record is a SCHEMA v1 record with ``text`` replaced by
``text_sha256`` and ``text_chars``; non-STATE ``kb_id`` values (normalised names, i.e. words of
the text) are replaced by ``kb_ref``, the id of the cluster's first mention, so the file holds
offsets, labels and ISO codes only. ``attach`` joins the text back from a ``{"id", "text"}``
JSONL file, checks the hash, and restores each ``kb_id`` as the surface text of the referenced
mention (kb_ids only need to be consistent within one document for fact scoring).

Stand-off files are named ``*.standoff.jsonl`` and skipped when annotation folders are
expanded: they become gold only after ``secrel annotations attach``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Iterable

from .records import RecordError, read_jsonl

SUFFIX = ".standoff.jsonl"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def detach(record: dict[str, Any]) -> dict[str, Any]:
    """A stand-off copy of a gold record: no text, no names."""
    text = record["text"]
    first_of: dict[str, int] = {}
    ents = []
    for e in sorted(record.get("entities", []), key=lambda x: (x["start_offset"], x["end_offset"])):
        out = {k: e[k] for k in ("id", "label", "start_offset", "end_offset")}
        kb = e.get("kb_id")
        if e["label"] == "STATE" and kb:
            out["kb_id"] = kb
        elif kb:
            out["kb_ref"] = first_of.setdefault(f"{e['label']}\x00{kb}", e["id"])
        ents.append(out)
    meta = {k: v for k, v in (record.get("meta") or {}).items() if k in ("source", "date", "annotation")}
    return {"id": record["id"], "text_sha256": sha256(text), "text_chars": len(text), "meta": meta,
            "entities": ents, "relations": list(record.get("relations", []))}


def attach(standoff: dict[str, Any], text: str, *, file: str | None = None, line: int | None = None) -> dict[str, Any]:
    """Rebuild the full gold record of ``standoff`` from its text; raises :class:`RecordError`."""
    doc_id = standoff.get("id")

    def fail(msg: str, fld: str) -> RecordError:
        return RecordError(msg, file=file, line=line, doc_id=doc_id, field=fld)

    if len(text) != standoff.get("text_chars") or sha256(text) != standoff.get("text_sha256"):
        raise fail("the text found for this document is not the one that was annotated (hash differs)",
                   "text_sha256")
    by_id = {e.get("id"): e for e in standoff.get("entities", [])}
    ents = []
    for e in standoff.get("entities", []):
        out = {k: e[k] for k in ("id", "label", "start_offset", "end_offset") if k in e}
        if "kb_id" in e:
            out["kb_id"] = e["kb_id"]
        elif "kb_ref" in e:
            ref = by_id.get(e["kb_ref"])
            if ref is None:
                raise fail(f"entity {e.get('id')}: kb_ref {e['kb_ref']!r} names no entity", "kb_ref")
            out["kb_id"] = text[ref["start_offset"]:ref["end_offset"]]
        ents.append(out)
    return {"id": doc_id, "text": text, "meta": dict(standoff.get("meta") or {}), "entities": ents,
            "relations": list(standoff.get("relations", []))}


def read_texts(path: Path | str) -> dict[str, str]:
    """``{"id": ..., "text": ...}`` per line -> id -> text (bad lines raise with file and line)."""
    out: dict[str, str] = {}
    for lineno, rec, err in read_jsonl(path):
        if err:
            raise RecordError(err, file=str(path), line=lineno)
        assert rec is not None
        if not isinstance(rec.get("id"), str) or not isinstance(rec.get("text"), str):
            raise RecordError("a text record needs string 'id' and 'text'", file=str(path), line=lineno,
                              doc_id=rec.get("id") if isinstance(rec.get("id"), str) else None)
        out[rec["id"]] = rec["text"]
    return out


def attach_files(standoff_paths: Iterable[Path | str], texts_path: Path | str) -> list[dict[str, Any]]:
    """Every stand-off record in ``standoff_paths`` joined with its text from ``texts_path``."""
    texts = read_texts(texts_path)
    records = []
    for path in standoff_paths:
        for lineno, rec, err in read_jsonl(path):
            if err:
                raise RecordError(err, file=str(path), line=lineno)
            assert rec is not None
            doc_id = rec.get("id")
            if doc_id not in texts:
                raise RecordError(f"no text with this id in {texts_path}", file=str(path), line=lineno,
                                  doc_id=doc_id, field="id")
            records.append(attach(rec, texts[doc_id], file=str(path), line=lineno))
    return records
