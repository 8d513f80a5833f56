"""Extraction: documents in, SCHEMA v1 records out, plus the cross-document fact table.

Long documents are split at paragraph breaks into chunks the models can hold, processed
separately and merged back with shifted offsets (relations never cross a sentence, so never a
paragraph). The models see the length-preserving normalised text; records carry the original.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from spacy.language import Language
from thinc.api import Config

from . import __version__
from .build import build_pipeline, load_config, load_model
from .records import to_record
from .textnorm import normalize_text

DEFAULT_MAX_CHUNK = 100_000


def split_chunks(text: str, max_chars: int = DEFAULT_MAX_CHUNK) -> list[tuple[int, int]]:
    """Cover ``text`` with consecutive ``(start, end)`` chunks of at most ``max_chars``,
    cutting at paragraph breaks, else line breaks, else whitespace."""
    if len(text) <= max_chars:
        return [(0, len(text))]
    out = []
    start = 0
    while start < len(text):
        end = min(len(text), start + max_chars)
        if end < len(text):
            window = text[start:end]
            for pat in ("\n\n", "\n", " "):
                k = window.rfind(pat)
                if k > max_chars // 4:
                    end = start + k + len(pat)
                    break
        out.append((start, end))
        start = end
    return out


def merge_chunk_records(doc_id: str, text: str, meta: dict[str, Any], parts: list[tuple[int, dict[str, Any]]]
                        ) -> dict[str, Any]:
    """Concatenate chunk records (offset, record) into one record over ``text``."""
    entities: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    for offset, rec in parts:
        remap = {}
        for e in rec["entities"]:
            new = dict(e, id=len(entities) + 1, start_offset=e["start_offset"] + offset,
                       end_offset=e["end_offset"] + offset)
            remap[e["id"]] = new["id"]
            entities.append(new)
        for r in rec["relations"]:
            new = dict(r, id=len(relations) + 1, from_id=remap[r["from_id"]], to_id=remap[r["to_id"]],
                       item=[remap[i] for i in r["item"]],
                       date=remap.get(r["date"]) if r["date"] else None,
                       value=remap.get(r["value"]) if r["value"] else None)
            if "evidence" in r:
                new["evidence"] = {k: v + offset for k, v in r["evidence"].items()}
            relations.append(new)
    return {"id": doc_id, "text": text, "meta": meta, "entities": entities, "relations": relations}


class Extractor:
    """A loaded pipeline that turns (id, text, meta) into records."""

    def __init__(self, nlp: Language, cfg: Config, meta: dict[str, Any] | None = None,
                 max_chunk_chars: int = DEFAULT_MAX_CHUNK) -> None:
        self.nlp, self.cfg = nlp, cfg
        self.meta = meta or {}
        self.max_chunk_chars = max_chunk_chars
        self.heading_max_chars = int(cfg["normalize"]["heading_max_chars"])
        self.nlp.max_length = max(self.nlp.max_length, max_chunk_chars + 1)
        self.provenance = {"name": "secrel", "version": __version__, "config": cfg["secrel"]["name"],
                           "model": self.meta.get("model_id", cfg["secrel"]["name"])}

    @classmethod
    def from_model(cls, model_dir: Path | str) -> "Extractor":
        nlp, cfg, meta = load_model(model_dir)
        return cls(nlp, cfg, meta)

    @classmethod
    def from_config(cls, config: str | Path) -> "Extractor":
        """For configs without trained stages (the baseline)."""
        cfg = load_config(config)
        return cls(build_pipeline(cfg, None), cfg, {})

    def process(self, items: Iterable[tuple[str, str, dict[str, Any]]], batch_size: int = 16
                ) -> Iterator[dict[str, Any]]:
        """Records for ``(doc_id, text, meta)`` items, in input order."""
        def chunks() -> Iterator[tuple[str, tuple[int, int, int, str, str, dict[str, Any]]]]:
            for doc_id, text, meta in items:
                spans = split_chunks(text, self.max_chunk_chars)
                for k, (s, e) in enumerate(spans):
                    norm = normalize_text(text[s:e], self.heading_max_chars)
                    yield norm, (k, len(spans), s, doc_id, text, meta)

        parts: list[tuple[int, dict[str, Any]]] = []
        for doc, (k, n, start, doc_id, text, meta) in self.nlp.pipe(chunks(), as_tuples=True,
                                                                      batch_size=batch_size):
            parts.append((start, to_record(doc, doc_id, text[start:start + len(doc.text)], {})))
            if k == n - 1:
                rec = merge_chunk_records(doc_id, text, dict(meta), parts)
                rec["pipeline"] = self.provenance
                parts = []
                yield rec

    def process_one(self, doc_id: str, text: str, meta: dict[str, Any] | None = None) -> dict[str, Any]:
        return next(self.process([(doc_id, text, meta or {})]))


# -- worker pool for --n-process -------------------------------------------------------------
_WORKER: Extractor | None = None


def _init_worker(model: str | None, config: str | None) -> None:
    global _WORKER
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _WORKER = Extractor.from_model(model) if model else Extractor.from_config(config or "baseline")


def _work(item: tuple[str, str, dict[str, Any]]) -> dict[str, Any] | tuple[str, str]:
    assert _WORKER is not None
    try:
        return _WORKER.process_one(*item)
    except Exception as exc:  # one bad document must not stop the run
        return (item[0], f"{type(exc).__name__}: {exc}")


def facts_table(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Deduplicated facts across documents: one row per (type, head kb_id, tail kb_id)."""
    table: dict[tuple[str, str, str], dict[str, Any]] = {}
    for rec in records:
        ents = {e["id"]: e for e in rec["entities"]}
        text = rec["text"]
        for r in rec["relations"]:
            h, t = ents[r["from_id"]], ents[r["to_id"]]
            hk = h.get("kb_id") or text[h["start_offset"]:h["end_offset"]]
            tk = t.get("kb_id") or text[t["start_offset"]:t["end_offset"]]
            key = (r["type"], hk, tk)
            row = table.setdefault(key, {"type": r["type"], "head": {"kb_id": hk, "label": h["label"]},
                                         "tail": {"kb_id": tk, "label": t["label"]}, "n_mentions": 0,
                                         "n_documents": 0, "n_negated": 0, "max_score": 0.0, "support": []})
            ev = r.get("evidence") or {"start_offset": min(h["start_offset"], t["start_offset"]),
                                       "end_offset": max(h["end_offset"], t["end_offset"])}
            row["support"].append({
                "doc_id": rec["id"], "relation_id": r["id"], "score": r.get("score"), "negated": r["negated"],
                "sentence": {"start_offset": ev["start_offset"], "end_offset": ev["end_offset"],
                             "text": re.sub(r"\s+", " ", text[ev["start_offset"]:ev["end_offset"]]).strip()},
                "head": {"start_offset": h["start_offset"], "end_offset": h["end_offset"],
                         "text": text[h["start_offset"]:h["end_offset"]]},
                "tail": {"start_offset": t["start_offset"], "end_offset": t["end_offset"],
                         "text": text[t["start_offset"]:t["end_offset"]]},
            })
            row["n_mentions"] += 1
            row["n_negated"] += int(bool(r["negated"]))
            row["max_score"] = max(row["max_score"], float(r.get("score") or 0.0))
    rows = []
    for key in sorted(table):
        row = table[key]
        row["n_documents"] = len({s["doc_id"] for s in row["support"]})
        rows.append(row)
    return rows


def run_pool(items: Sequence[tuple[str, str, dict[str, Any]]], model: str | None, config: str | None,
             n_process: int) -> Iterator[dict[str, Any] | tuple[str, str]]:
    """Process items in ``n_process`` worker processes, preserving input order."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    with ctx.Pool(n_process, initializer=_init_worker, initargs=(model, config)) as pool:
        yield from pool.imap(_work, items, chunksize=1)
