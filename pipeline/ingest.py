"""Reading input documents: plain text, HTML articles and JSONL records.

:func:`iter_inputs` turns files and folders into a stream of :class:`InputDoc` objects, mixed
with :class:`IngestIssue` objects for everything that went wrong (errors: the document is
skipped) or looked suspicious (warnings: the document is still yielded, after the warning).
It never raises on bad input, so one broken file cannot stop a run.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

from pipeline.records import read_jsonl

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")

# Top-level JSONL fields that are not carried into ``meta``.
_RESERVED_FIELDS = frozenset({"id", "text", "meta", "entities", "relations"})
# Elements whose text is never article text; removed before extraction so that trafilatura's
# recall fallback cannot return a page's navigation or scripts as its "article".
_BOILERPLATE_XPATH = "//script|//style|//noscript|//template|//nav"


@dataclass(frozen=True)
class InputDoc:
    """One input document with a stable id. ``line`` is set only for JSONL records."""

    id: str
    text: str
    meta: dict[str, Any]
    source: str
    line: int | None


@dataclass(frozen=True)
class IngestIssue:
    """A problem found while reading inputs; ``severity`` is ``"error"`` or ``"warning"``."""

    file: str
    line: int | None
    doc_id: str | None
    field: str | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = [p for p in (f"doc {self.doc_id!r}" if self.doc_id is not None else None,
                            f"field {self.field!r}" if self.field else None) if p]
        context = f"{', '.join(what)}: " if what else ""
        return f"{where}: {self.severity}: {context}{self.message}"


class _Undecodable(Exception):
    """Raised by :func:`_decode` for binary or undecodable bytes."""


def iter_inputs(paths: Sequence[Path | str]) -> Iterator[InputDoc | IngestIssue]:
    """Yield the documents (and issues) of ``paths``, in order.

    Folders are walked recursively in sorted order, keeping only files with a supported suffix;
    a file named explicitly must have one. A file reached twice is read once. Document ids must
    be unique over the whole run: a later duplicate is reported as an error and skipped.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    seen_files: set[Path] = set()
    seen_ids: dict[str, str] = {}  # id -> "FILE" or "FILE:LINE" where it was first seen
    for item in _iter_files(paths):
        if isinstance(item, IngestIssue):
            yield item
            continue
        key = item.resolve()
        if key in seen_files:
            continue
        seen_files.add(key)
        reader = _read_jsonl_file if item.suffix.lower() == ".jsonl" else _read_text_file
        for out in reader(item):
            if isinstance(out, InputDoc):
                where = out.source if out.line is None else f"{out.source}:{out.line}"
                if out.id in seen_ids:
                    yield IngestIssue(out.source, out.line, out.id, "id",
                                      f"duplicate document id, first seen at {seen_ids[out.id]}")
                    continue
                seen_ids[out.id] = where
            yield out


def _iter_files(paths: Sequence[Path | str]) -> Iterator[Path | IngestIssue]:
    """Expand ``paths`` into supported files, reporting missing and unsupported ones."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*")
                              if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
        elif not path.exists():
            yield IngestIssue(str(path), None, None, None, "no such file or directory")
        elif not path.is_file():
            yield IngestIssue(str(path), None, None, None, "not a regular file or folder")
        elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
            yield IngestIssue(str(path), None, None, None,
                              f"unsupported file type {path.suffix or '(no suffix)'!r}; "
                              f"expected one of {', '.join(SUPPORTED_SUFFIXES)}")
        else:
            yield path


def _decode(raw: bytes) -> tuple[str, str | None]:
    """Decode file bytes: strict UTF-8 (BOM stripped), else charset-normalizer's best guess.

    Returns ``(text, warning)``; raises :class:`_Undecodable` for NUL bytes or no guess.
    """
    if b"\x00" in raw:
        raise _Undecodable
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        from charset_normalizer import from_bytes

        best = from_bytes(raw).best()
        if best is None:
            raise _Undecodable from exc
        return str(best), (f"not valid UTF-8 ({exc.reason} at byte {exc.start}); "
                           f"decoded as {best.encoding} (detected by charset-normalizer)")


def _read_text_file(path: Path) -> Iterator[InputDoc | IngestIssue]:
    """Read one ``.txt`` / ``.html`` / ``.htm`` file as a single document named by its stem."""
    file, doc_id = str(path), path.stem
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield IngestIssue(file, None, doc_id, None, f"cannot read file: {exc.strerror or exc}")
        return
    try:
        text, warning = _decode(raw)
    except _Undecodable:
        yield IngestIssue(file, None, doc_id, None, "binary or undecodable file")
        return
    if warning:
        yield IngestIssue(file, None, doc_id, None, warning, severity="warning")
    if not text.strip():
        yield IngestIssue(file, None, doc_id, None, "empty document")
        return
    meta: dict[str, Any] = {}
    if path.suffix.lower() in (".html", ".htm"):
        extracted = _extract_html(text)
        if extracted is None:
            yield IngestIssue(file, None, doc_id, None, "no article text found in HTML")
            return
        text, meta = extracted
    meta.setdefault("source", file)
    yield InputDoc(id=doc_id, text=text, meta=meta, source=file, line=None)


def _extract_html(html: str) -> tuple[str, dict[str, Any]] | None:
    """Return ``(article_text, metadata)`` for an HTML page, or None if it has no article."""
    import trafilatura

    tree = trafilatura.load_html(html)
    if tree is None:
        return None
    meta: dict[str, Any] = {}
    info = trafilatura.extract_metadata(copy.deepcopy(tree))
    for key in ("title", "author", "date"):
        value = getattr(info, key, None) if info is not None else None
        if value:
            meta[key] = value
    for element in tree.xpath(_BOILERPLATE_XPATH):
        element.drop_tree()  # keeps the element's tail text
    options = {"include_comments": False, "include_tables": False}
    text = trafilatura.extract(copy.deepcopy(tree), favor_precision=True, **options)
    if text is None:
        text = trafilatura.extract(tree, favor_recall=True, **options)
    if text is None or not text.strip():
        return None
    return text, meta


def _read_jsonl_file(path: Path) -> Iterator[InputDoc | IngestIssue]:
    """Read one ``.jsonl`` file: one document per record, validated field by field."""
    file = str(path)
    try:
        for lineno, record, err in read_jsonl(path):
            if err is not None or record is None:
                yield IngestIssue(file, lineno, None, None, err or "unreadable line")
                continue
            yield from _record_to_doc(record, file, path.stem, lineno)
    except OSError as exc:
        yield IngestIssue(file, None, None, None, f"cannot read file: {exc.strerror or exc}")


def _record_to_doc(record: dict[str, Any], file: str, stem: str,
                   lineno: int) -> Iterator[InputDoc | IngestIssue]:
    """Validate one JSONL record and yield its issues, then its document if it is valid."""
    raw_id = record.get("id")
    if isinstance(raw_id, int) and not isinstance(raw_id, bool):
        doc_id = str(raw_id)
    elif raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
        doc_id = f"{stem}:{lineno}"
        yield IngestIssue(file, lineno, doc_id, "id", f"missing id; using {doc_id!r}",
                          severity="warning")
    elif isinstance(raw_id, str):
        doc_id = raw_id
    else:
        yield IngestIssue(file, lineno, None, "id",
                          f"id must be a string or an integer, got {type(raw_id).__name__}")
        return

    if "text" not in record:
        yield IngestIssue(file, lineno, doc_id, "text", "missing text")
        return
    text = record["text"]
    if not isinstance(text, str):
        yield IngestIssue(file, lineno, doc_id, "text",
                          f"text must be a string, got {type(text).__name__}")
        return
    if not text.strip():
        yield IngestIssue(file, lineno, doc_id, "text", "empty document")
        return

    base_meta = record.get("meta") or {}
    if not isinstance(base_meta, dict):
        yield IngestIssue(file, lineno, doc_id, "meta",
                          f"meta must be an object, got {type(base_meta).__name__}")
        return
    meta = {**base_meta, **{k: v for k, v in record.items() if k not in _RESERVED_FIELDS}}
    meta.setdefault("source", file)
    meta.setdefault("line", lineno)
    yield InputDoc(id=doc_id, text=text, meta=meta, source=file, line=lineno)
