"""The extract job: inputs -> records file (+ facts), resumable, losing nothing.

Records are appended to ``OUTPUT.partial`` and flushed one by one; the finished file is
renamed into place atomically. ``resume=True`` keeps every complete record of an interrupted
run and processes only the documents not yet written, so the result is identical to an
uninterrupted run. One bad document is reported and skipped; the others are written.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from .extract import Extractor, facts_table, run_pool
from .ingest import InputDoc, IngestIssue, iter_inputs
from .records import dumps, read_jsonl, write_jsonl

REPO_ROOT = Path(__file__).resolve().parent.parent


def default_model_dir() -> Path:
    """``$SECREL_MODEL``, else the model named in ``models/default.txt`` of this checkout."""
    env = os.environ.get("SECREL_MODEL")
    if env:
        return Path(env)
    pointer = REPO_ROOT / "models" / "default.txt"
    name = pointer.read_text(encoding="utf-8").strip() if pointer.exists() else "fast"
    return REPO_ROOT / "models" / name


@dataclass
class Summary:
    written: int = 0
    resumed: int = 0
    failed: int = 0
    warnings: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (self.written + self.resumed) > 0

    def line(self) -> str:
        return (f"{self.written} document(s) written, {self.resumed} kept from an earlier run, "
                f"{self.failed} failed, {self.warnings} warning(s)")


class Interrupted(Exception):
    """Raised by the ``stop_after`` hook (tests simulate a killed run with it)."""


def _recover_partial(partial: Path) -> set[str]:
    """Ids of complete records in ``partial``; a torn last line is cut off."""
    if not partial.exists():
        return set()
    good: list[dict[str, Any]] = []
    for _, rec, err in read_jsonl(partial):
        if err or rec is None or "id" not in rec:
            break
        good.append(rec)
    write_jsonl(partial, good)
    return {rec["id"] for rec in good}


def _batches(docs: Iterator[InputDoc], size: int) -> Iterator[list[InputDoc]]:
    batch: list[InputDoc] = []
    for d in docs:
        batch.append(d)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_extract(inputs: Sequence[Path | str], output: Path, *, facts: Path | None = None,
                model: Path | None = None, config: str | None = None, n_process: int = 1, batch_size: int = 16,
                resume: bool = False, report: Callable[[str], None] = lambda m: print(m, file=sys.stderr),
                progress: bool = True, stop_after: int | None = None) -> Summary:
    """Run extraction over ``inputs`` into ``output``; returns a :class:`Summary`."""
    summary = Summary()
    output = Path(output)
    partial = output.with_name(output.name + ".partial")
    if resume and output.exists() and not partial.exists():
        os.replace(output, partial)
    done = _recover_partial(partial) if resume else set()
    if not resume:
        partial.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text("", encoding="utf-8")
    summary.resumed = len(done)

    def docs() -> Iterator[InputDoc]:
        for item in iter_inputs(inputs):
            if isinstance(item, IngestIssue):
                report(str(item))
                summary.problems.append(str(item))
                if item.severity == "error":
                    summary.failed += 1
                else:
                    summary.warnings += 1
                continue
            if item.id in done:
                continue
            yield item

    model_s = str(model) if model else None
    extractor = None
    if n_process <= 1:
        extractor = Extractor.from_model(model) if model else Extractor.from_config(config or "baseline")
    from tqdm import tqdm

    bar = tqdm(desc="extract", unit="doc", disable=not progress or None, file=sys.stderr)
    with partial.open("a", encoding="utf-8") as fh:
        def emit(rec: dict[str, Any]) -> None:
            fh.write(dumps(rec) + "\n")
            fh.flush()
            summary.written += 1
            bar.update(1)
            if stop_after is not None and summary.written >= stop_after:
                raise Interrupted(f"stopped after {stop_after} documents")

        def fail(doc_id: str, source: str, msg: str) -> None:
            line = f"{source}: error: doc {doc_id!r}: extraction failed: {msg}"
            report(line)
            summary.problems.append(line)
            summary.failed += 1

        if extractor is not None:
            for batch in _batches(docs(), batch_size):
                items = [(d.id, d.text, d.meta) for d in batch]
                try:
                    recs = list(extractor.process(items, batch_size=batch_size))
                except Interrupted:
                    raise
                except Exception:
                    recs = None
                if recs is not None:
                    for rec in recs:
                        emit(rec)
                    continue
                for d in batch:  # isolate the document that broke the batch
                    try:
                        emit(extractor.process_one(d.id, d.text, d.meta))
                    except Interrupted:
                        raise
                    except Exception as exc:
                        fail(d.id, d.source, f"{type(exc).__name__}: {exc}")
        else:
            lookup: dict[str, InputDoc] = {}

            def items() -> Iterator[tuple[str, str, dict[str, Any]]]:
                for d in docs():
                    lookup[d.id] = d
                    yield (d.id, d.text, d.meta)

            for res in run_pool(list(items()), model_s, config, n_process):
                if isinstance(res, tuple):
                    d = lookup[res[0]]
                    fail(d.id, d.source, res[1])
                else:
                    emit(res)
    bar.close()
    os.replace(partial, output)
    if facts is not None:
        recs = (rec for _, rec, err in read_jsonl(output) if rec is not None)
        write_jsonl(facts, facts_table(recs))
    return summary
