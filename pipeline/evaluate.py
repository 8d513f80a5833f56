"""Score predicted SCHEMA v1 records against gold records (a pure function of its inputs).

Usage::

    from pipeline.evaluate import score, format_table
    metrics = score(gold_records, predicted_records, label_map=None)
    print(format_table(metrics))

What is scored
--------------
Documents are matched by ``id``. A gold document without a prediction is scored as an empty
prediction; a predicted document without gold is ignored. Both cases, duplicate document ids
(the first record wins) and relations or attributes that point at entity ids the document
does not have are reported in ``metrics["warnings"]``.

Before scoring, on both sides:

* the optional ``label_map`` (one flat map for entity labels *and* relation types) is applied
  once, not transitively: a key that is absent leaves the label unchanged, a value ``None``
  drops that entity or relation; relations whose head or tail entity was dropped are dropped
  too, and dropped entities are removed from relation attributes;
* duplicates are removed: entities with the same ``(start, end, label)`` count once, and
  relations with the same ``(type, head span, tail span)`` count once (the first one is
  kept, with its attributes). Gold is deduplicated the same way as predictions.

Entities (``metrics["entities"]``) are scored with nervaluate (SemEval-2013 semantics):
``strict`` is an exact span and the same label, ``overlap`` is nervaluate's ``ent_type``
(any overlap, same label). nervaluate matches greedily in prediction order and lets a
prediction with the wrong label consume a gold entity, so predictions that match a gold
entity exactly are handed to it first, then those that overlap a gold entity of their label.

Relations (``metrics["relations"]``), micro-averaged over documents and per type:

* ``mention_strict``: same type, exact head span and exact tail span (labels ignored);
* ``mention_overlap``: same type, head spans overlap and tail spans overlap; one-to-one,
  greedily by the largest total character overlap (head + tail);
* ``fact``: per document the set of ``(type, head kb, tail kb)``. A gold mention's kb is its
  ``kb_id`` or, when missing, its lowercased text. A predicted mention takes the kb of the gold
  mention it overlaps most (ties: the earliest gold mention), else its own ``kb_id``, else its
  lowercased text. Negation does not enter the fact.

Attributes (``metrics["attributes"]``) are scored over the ``mention_overlap`` matched pairs:
``negated`` and ``quantity`` (pairs whose gold quantity is not null) as accuracy with ``n``;
``item``, ``date`` and ``value`` as P/R/F1 of the attached entities, matched one-to-one by span
overlap within each pair.

P/R/F conventions: ``p = tp / (tp + fp)`` (0.0 when nothing is predicted), ``r = tp / (tp + fn)``
(0.0 when there is no gold), ``f`` the harmonic mean (0.0 when ``p + r == 0``); floats are
rounded to 4 decimals.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence, TypeVar

from nervaluate import Evaluator
from rich import box
from rich.console import Console
from rich.table import Table

Span = tuple[int, int]
T = TypeVar("T")

ATTRIBUTE_ENTITY_FIELDS: tuple[str, ...] = ("item", "date", "value")
RELATION_LEVELS: tuple[str, ...] = ("mention_strict", "mention_overlap", "fact")
ENTITY_MODES: tuple[str, ...] = ("strict", "overlap")
DIGITS = 4


# --------------------------------------------------------------------------- data model


@dataclass(frozen=True)
class _Mention:
    """An entity mention after label mapping; ``text`` is the covered text (may be empty)."""

    start: int
    end: int
    label: str
    kb_id: str | None
    text: str

    @property
    def span(self) -> Span:
        return (self.start, self.end)

    def own_kb(self) -> str:
        """The mention's own fact-level identity: its kb_id, else its lowercased text."""
        return self.kb_id if self.kb_id else self.text.lower()


@dataclass(frozen=True)
class _Relation:
    """A relation whose head, tail and attribute entities are resolved to mentions."""

    type: str
    head: _Mention
    tail: _Mention
    attrs: dict[str, tuple[_Mention, ...]]
    quantity: Any
    negated: bool

    @property
    def key(self) -> tuple[str, Span, Span]:
        return (self.type, self.head.span, self.tail.span)


@dataclass(frozen=True)
class _Doc:
    """One document, prepared for scoring (mapped and deduplicated)."""

    id: str
    mentions: tuple[_Mention, ...]
    relations: tuple[_Relation, ...]


@dataclass
class _Counts:
    """tp/fp/fn accumulator."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn


@dataclass
class _Accuracy:
    """Correct/total accumulator."""

    correct: int = 0
    n: int = 0

    def add(self, ok: bool) -> None:
        self.correct += int(ok)
        self.n += 1

    def as_dict(self) -> dict[str, float | int]:
        return {"accuracy": _round(self.correct / self.n if self.n else 0.0), "n": self.n}


@dataclass
class _RelationTally:
    """Micro and per-type counts for the three relation levels."""

    micro: dict[str, _Counts] = field(default_factory=lambda: {k: _Counts() for k in RELATION_LEVELS})
    per_type: dict[str, dict[str, _Counts]] = field(default_factory=dict)

    def add(self, level: str, rtype: str, tp: int, fp: int, fn: int) -> None:
        self.micro[level].add(tp, fp, fn)
        by_level = self.per_type.setdefault(rtype, {k: _Counts() for k in RELATION_LEVELS})
        by_level[level].add(tp, fp, fn)


# --------------------------------------------------------------------------- P/R/F helpers


def empty_prf() -> dict[str, float | int]:
    """The P/R/F dict of nothing scored: all zeros."""
    return {"p": 0.0, "r": 0.0, "f": 0.0, "tp": 0, "fp": 0, "fn": 0}


def _round(x: float) -> float:
    return round(float(x), DIGITS)


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    """P/R/F1 from counts (p = 0.0 with nothing predicted, r = 0.0 with no gold)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": _round(p), "r": _round(r), "f": _round(f), "tp": tp, "fp": fp, "fn": fn}


def _prf_counts(c: _Counts) -> dict[str, float | int]:
    return prf(c.tp, c.fp, c.fn)


def _overlap(a: Span, b: Span) -> int:
    """Characters shared by two half-open spans (0 when they do not overlap)."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _greedy_match(gold: Sequence[T], pred: Sequence[T],
                  weight: Callable[[T, T], int | None]) -> list[tuple[int, int]]:
    """One-to-one matching of gold and pred indices, greedily by the largest weight.

    ``weight`` returns None for pairs that may not match. Ties are broken by gold order, then
    prediction order, so the result is deterministic.
    """
    candidates = sorted(
        (-w, gi, pi)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(pred)
        if (w := weight(g, p)) is not None
    )
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in used_gold and pi not in used_pred:
            used_gold.add(gi)
            used_pred.add(pi)
            pairs.append((gi, pi))
    return pairs


# --------------------------------------------------------------------------- label map


def _validate_label_map(mapping: Any, source: str) -> dict[str, str | None]:
    """Check a label map is ``{str: str | None}``; errors name ``source`` and the key."""
    if not isinstance(mapping, Mapping):
        raise ValueError(f"{source}: label map must be a JSON object, got {type(mapping).__name__}")
    out: dict[str, str | None] = {}
    for key, value in mapping.items():
        if not isinstance(key, str) or not key:
            raise ValueError(f"{source}: label map key {key!r} must be a non-empty string")
        if value is not None and (not isinstance(value, str) or not value):
            raise ValueError(
                f"{source}: label map key {key!r} maps to {value!r}; expected a non-empty string or null"
            )
        out[key] = value
    return out


def load_label_map(path: Path) -> dict[str, str | None]:
    """Read a label map: a JSON object ``{"OLD": "NEW" | null}`` (null drops the label).

    Raises ValueError naming the file (and the offending key) when the content is invalid.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON: {exc}") from exc
    return _validate_label_map(data, str(path))


def _map_label(label: str, label_map: Mapping[str, str | None]) -> str | None:
    return label_map.get(label, label)


# --------------------------------------------------------------------------- preparation


def _field(obj: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in obj:
        raise ValueError(f"{where}: missing field {key!r}")
    return obj[key]


def _as_id_list(value: Any) -> list[Any]:
    """Attribute references as a list: None → [], a scalar id → [id], a list as is."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _prepare_mentions(record: Mapping[str, Any], text: str, label_map: Mapping[str, str | None],
                      where: str) -> tuple[tuple[_Mention, ...], dict[Any, _Mention], set[Any]]:
    """Map and deduplicate entities; return mentions, id → mention, and the dropped ids."""
    mentions: dict[tuple[int, int, str], _Mention] = {}
    by_id: dict[Any, _Mention] = {}
    dropped: set[Any] = set()
    for ent in record.get("entities") or []:
        ent_where = f"{where}, entity {ent.get('id')!r}"
        label = _map_label(_field(ent, "label", ent_where), label_map)
        if label is None:
            dropped.add(ent.get("id"))
            continue
        start, end = int(_field(ent, "start_offset", ent_where)), int(_field(ent, "end_offset", ent_where))
        key = (start, end, label)
        if key not in mentions:
            mentions[key] = _Mention(start, end, label, ent.get("kb_id") or None, text[start:end])
        by_id[ent.get("id")] = mentions[key]
    return tuple(mentions.values()), by_id, dropped


def _resolve(ref: Any, by_id: Mapping[Any, _Mention], dropped: set[Any], what: str,
             warnings: list[str]) -> _Mention | None:
    """The mention an entity id refers to; None (with a warning if unknown) otherwise."""
    if ref in by_id:
        return by_id[ref]
    if ref not in dropped:
        warnings.append(f"{what}: unknown entity id {ref!r}; ignored")
    return None


def _prepare_relation(rel: Mapping[str, Any], by_id: Mapping[Any, _Mention], dropped: set[Any],
                      label_map: Mapping[str, str | None], where: str,
                      warnings: list[str]) -> _Relation | None:
    """Resolve one relation record, or None when it is dropped."""
    rel_where = f"{where}, relation {rel.get('id')!r}"
    rtype = _map_label(_field(rel, "type", rel_where), label_map)
    if rtype is None:
        return None
    head = _resolve(_field(rel, "from_id", rel_where), by_id, dropped, rel_where, warnings)
    tail = _resolve(_field(rel, "to_id", rel_where), by_id, dropped, rel_where, warnings)
    if head is None or tail is None:
        return None
    attrs: dict[str, tuple[_Mention, ...]] = {}
    for name in ATTRIBUTE_ENTITY_FIELDS:
        resolved = (_resolve(ref, by_id, dropped, f"{rel_where}, {name}", warnings)
                    for ref in _as_id_list(rel.get(name)))
        attrs[name] = tuple(dict.fromkeys(m for m in resolved if m is not None))
    return _Relation(rtype, head, tail, attrs, rel.get("quantity"), bool(rel.get("negated") or False))


def _prepare_doc(record: Mapping[str, Any], label_map: Mapping[str, str | None], side: str,
                 fallback_text: str, warnings: list[str]) -> _Doc:
    """Turn one record into a mapped, deduplicated :class:`_Doc`."""
    doc_id = str(record["id"])
    where = f"{side} doc {doc_id!r}"
    text = record.get("text") or fallback_text
    mentions, by_id, dropped = _prepare_mentions(record, text, label_map, where)
    relations: dict[tuple[str, Span, Span], _Relation] = {}
    for rel in record.get("relations") or []:
        prepared = _prepare_relation(rel, by_id, dropped, label_map, where, warnings)
        if prepared is not None:
            relations.setdefault(prepared.key, prepared)
    return _Doc(doc_id, mentions, tuple(relations.values()))


def check_record(record: Mapping[str, Any], side: str = "pred") -> None:
    """Raise ValueError (naming the document, entity or relation, and the field) if ``record``
    cannot be scored; the checks are exactly the scorer's own."""
    if not isinstance(record, Mapping) or "id" not in record:
        raise ValueError(f"{side} record: missing field 'id'")
    _prepare_doc(record, {}, side, "", [])


def _index_by_id(records: Iterable[Mapping[str, Any]], side: str,
                 warnings: list[str]) -> dict[str, Mapping[str, Any]]:
    """Records by document id (first one wins; duplicates are warned about)."""
    out: dict[str, Mapping[str, Any]] = {}
    for i, rec in enumerate(records):
        if not isinstance(rec, Mapping) or "id" not in rec:
            raise ValueError(f"{side} record #{i}: missing field 'id'")
        doc_id = str(rec["id"])
        if doc_id in out:
            warnings.append(f"{side} doc {doc_id!r} appears more than once; the first record is used")
            continue
        out[doc_id] = rec
    return out


def _pair_documents(gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]],
                    label_map: Mapping[str, str | None],
                    warnings: list[str]) -> list[tuple[_Doc, _Doc]]:
    """Prepared (gold, pred) document pairs in gold order; missing predictions are empty."""
    gold_by_id = _index_by_id(gold, "gold", warnings)
    pred_by_id = _index_by_id(pred, "pred", warnings)
    for doc_id in pred_by_id:
        if doc_id not in gold_by_id:
            warnings.append(f"pred doc {doc_id!r} has no gold document; ignored")
    pairs = []
    for doc_id, g_rec in gold_by_id.items():
        g_text = g_rec.get("text") or ""
        p_rec = pred_by_id.get(doc_id)
        if p_rec is None:
            warnings.append(f"gold doc {doc_id!r} has no prediction; scored as empty")
            p_rec = {"id": doc_id, "entities": [], "relations": []}
        pairs.append((_prepare_doc(g_rec, label_map, "gold", "", warnings),
                      _prepare_doc(p_rec, label_map, "pred", g_text, warnings)))
    return pairs


# --------------------------------------------------------------------------- entities


def _nervaluate_order(pred: Sequence[_Mention], gold: Sequence[_Mention]) -> list[_Mention]:
    """Predictions reordered (stably) so nervaluate's greedy matcher sees good matches first:
    exact span+label matches, then same-label overlaps, then the rest."""
    exact = {(m.start, m.end, m.label) for m in gold}

    def rank(m: _Mention) -> int:
        if (m.start, m.end, m.label) in exact:
            return 0
        if any(g.label == m.label and _overlap(g.span, m.span) for g in gold):
            return 1
        return 2

    return sorted(pred, key=rank)


def _nv_spans(mentions: Iterable[_Mention]) -> list[dict[str, Any]]:
    """Mentions in nervaluate's dict format (its ``end`` is inclusive)."""
    return [{"label": m.label, "start": m.start, "end": m.end - 1} for m in mentions]


def _from_nervaluate(result: Any) -> dict[str, float | int]:
    tp = result.correct
    return prf(tp, result.actual - tp, result.possible - tp)


def _score_entities(pairs: Sequence[tuple[_Doc, _Doc]]) -> dict[str, Any]:
    """Micro strict/overlap and per-label entity scores via nervaluate."""
    labels = sorted({m.label for g, p in pairs for m in (*g.mentions, *p.mentions)})
    if not labels:
        return {"strict": empty_prf(), "overlap": empty_prf(), "per_label": {}}
    true = [_nv_spans(g.mentions) for g, _ in pairs]
    pred = [_nv_spans(_nervaluate_order(p.mentions, g.mentions)) for g, p in pairs]
    # loader="dict": nervaluate's "default" inference indexes true[0][0] and fails on an
    # empty first document.
    results = Evaluator(true, pred, tags=labels, loader="dict").evaluate()
    nv_modes = {"strict": "strict", "overlap": "ent_type"}
    per_label = {
        label: {mode: _from_nervaluate(results["entities"][label][nv]) for mode, nv in nv_modes.items()}
        for label in labels
    }
    overall = {mode: _from_nervaluate(results["overall"][nv]) for mode, nv in nv_modes.items()}
    return {**overall, "per_label": per_label}


# --------------------------------------------------------------------------- relations


def _relation_overlap(g: _Relation, p: _Relation) -> int | None:
    """Total head+tail overlap when ``p`` may match ``g`` at mention_overlap level."""
    if g.type != p.type:
        return None
    head, tail = _overlap(g.head.span, p.head.span), _overlap(g.tail.span, p.tail.span)
    return head + tail if head and tail else None


def _fact_kb(mention: _Mention, gold_mentions: Sequence[_Mention]) -> str:
    """A predicted mention's kb: that of the most-overlapping gold mention, else its own."""
    best: _Mention | None = None
    best_overlap = 0
    for g in sorted(gold_mentions, key=lambda m: (m.start, m.end)):
        ov = _overlap(g.span, mention.span)
        if ov > best_overlap:
            best, best_overlap = g, ov
    return (best or mention).own_kb()


def _facts(doc: _Doc, gold_mentions: Sequence[_Mention] | None) -> set[tuple[str, str, str]]:
    """Fact set of a document; pass the gold mentions to project predicted mentions."""
    def kb(m: _Mention) -> str:
        return m.own_kb() if gold_mentions is None else _fact_kb(m, gold_mentions)

    return {(r.type, kb(r.head), kb(r.tail)) for r in doc.relations}


def _count_set(tally: _RelationTally, level: str, gold: set[tuple], pred: set[tuple]) -> None:
    """Add set-comparison counts, per type (the first tuple element), to ``tally``."""
    for rtype in {k[0] for k in gold | pred}:
        g = {k for k in gold if k[0] == rtype}
        p = {k for k in pred if k[0] == rtype}
        tp = len(g & p)
        tally.add(level, rtype, tp, len(p) - tp, len(g) - tp)


def _count_overlap(tally: _RelationTally, gold: Sequence[_Relation], pred: Sequence[_Relation],
                   matches: Sequence[tuple[int, int]]) -> None:
    """Add mention_overlap counts, per type, from a one-to-one matching."""
    for rtype in {r.type for r in (*gold, *pred)}:
        tp = sum(1 for gi, _ in matches if gold[gi].type == rtype)
        n_gold = sum(1 for r in gold if r.type == rtype)
        n_pred = sum(1 for r in pred if r.type == rtype)
        tally.add("mention_overlap", rtype, tp, n_pred - tp, n_gold - tp)


def _relation_metrics(tally: _RelationTally) -> dict[str, Any]:
    out: dict[str, Any] = {level: _prf_counts(c) for level, c in tally.micro.items()}
    out["per_type"] = {
        rtype: {level: _prf_counts(c) for level, c in by_level.items()}
        for rtype, by_level in sorted(tally.per_type.items())
    }
    return out


# --------------------------------------------------------------------------- attributes


@dataclass
class _AttributeTally:
    """Accumulators for the attribute scores over matched relation pairs."""

    negated: _Accuracy = field(default_factory=_Accuracy)
    quantity: _Accuracy = field(default_factory=_Accuracy)
    entities: dict[str, _Counts] = field(
        default_factory=lambda: {k: _Counts() for k in ATTRIBUTE_ENTITY_FIELDS})

    def add_pair(self, g: _Relation, p: _Relation) -> None:
        self.negated.add(g.negated == p.negated)
        if g.quantity is not None:
            self.quantity.add(p.quantity == g.quantity)
        for name in ATTRIBUTE_ENTITY_FIELDS:
            gold_ents, pred_ents = g.attrs[name], p.attrs[name]
            tp = len(_greedy_match(gold_ents, pred_ents,
                                   lambda a, b: _overlap(a.span, b.span) or None))
            self.entities[name].add(tp, len(pred_ents) - tp, len(gold_ents) - tp)

    def as_dict(self) -> dict[str, Any]:
        return {"negated": self.negated.as_dict(), "quantity": self.quantity.as_dict(),
                **{name: _prf_counts(c) for name, c in self.entities.items()}}


# --------------------------------------------------------------------------- scoring


def _score_pair(g: _Doc, p: _Doc, rel_tally: _RelationTally, attr_tally: _AttributeTally) -> None:
    """Add one document's relation and attribute counts."""
    _count_set(rel_tally, "mention_strict", {r.key for r in g.relations}, {r.key for r in p.relations})
    matches = _greedy_match(g.relations, p.relations, _relation_overlap)
    _count_overlap(rel_tally, g.relations, p.relations, matches)
    _count_set(rel_tally, "fact", _facts(g, None), _facts(p, g.mentions))
    for gi, pi in matches:
        attr_tally.add_pair(g.relations[gi], p.relations[pi])


def score(gold: Sequence[dict], pred: Sequence[dict],
          label_map: Mapping[str, str | None] | None = None) -> dict:
    """Score predicted records against gold records (see the module docstring).

    Returns a JSON-serialisable dict with the keys ``entities``, ``relations``,
    ``attributes``, ``n_documents`` and ``warnings``.
    """
    mapping = _validate_label_map(label_map or {}, "label_map")
    warnings: list[str] = []
    pairs = _pair_documents(gold, pred, mapping, warnings)
    rel_tally, attr_tally = _RelationTally(), _AttributeTally()
    for g, p in pairs:
        _score_pair(g, p, rel_tally, attr_tally)
    return {
        "entities": _score_entities(pairs),
        "relations": _relation_metrics(rel_tally),
        "attributes": attr_tally.as_dict(),
        "n_documents": len(pairs),
        "warnings": warnings,
    }


# --------------------------------------------------------------------------- table


def _prf_row(name: str, level: str, m: Mapping[str, Any]) -> list[str]:
    return [name, level, f"{m['p']:.4f}", f"{m['r']:.4f}", f"{m['f']:.4f}",
            str(m["tp"]), str(m["fp"]), str(m["fn"])]


def _prf_table(title: str, first: str, rows: Iterable[list[str]]) -> Table:
    table = Table(title=title, box=box.ASCII, title_justify="left")
    table.add_column(first)
    table.add_column("level")
    for col in ("P", "R", "F1", "TP", "FP", "FN"):
        table.add_column(col, justify="right")
    for row in rows:
        table.add_row(*row)
    return table


def _entity_table(ents: Mapping[str, Any]) -> Table:
    rows = [_prf_row(label, mode, by_mode[mode])
            for label, by_mode in ents["per_label"].items() for mode in ENTITY_MODES]
    rows += [_prf_row("micro", mode, ents[mode]) for mode in ENTITY_MODES]
    return _prf_table("Entities", "label", rows)


def _relation_table(rels: Mapping[str, Any]) -> Table:
    rows = [_prf_row(rtype, level, by_level[level])
            for rtype, by_level in rels["per_type"].items() for level in RELATION_LEVELS]
    rows += [_prf_row("micro", level, rels[level]) for level in RELATION_LEVELS]
    return _prf_table("Relations", "type", rows)


def _attribute_table(attrs: Mapping[str, Any]) -> Table:
    table = Table(title="Attributes (over mention_overlap matches)", box=box.ASCII,
                  title_justify="left")
    table.add_column("attribute")
    for col in ("accuracy", "n", "P", "R", "F1", "TP", "FP", "FN"):
        table.add_column(col, justify="right")
    for name in ("negated", "quantity"):
        a = attrs[name]
        table.add_row(name, f"{a['accuracy']:.4f}", str(a["n"]), *[""] * 6)
    for name in ATTRIBUTE_ENTITY_FIELDS:
        m = attrs[name]
        table.add_row(name, "", "", f"{m['p']:.4f}", f"{m['r']:.4f}", f"{m['f']:.4f}",
                      str(m["tp"]), str(m["fp"]), str(m["fn"]))
    return table


def _interval_table(iv: Mapping[str, Any]) -> Table:
    table = Table(title=f"{iv['confidence']:.0%} intervals ({iv['method']}, {iv['n_documents']} documents, "
                        f"{iv['n_resamples']} resamples)", box=box.ASCII, title_justify="left")
    for col in ("score", "level", "P", "R", "F1"):
        table.add_column(col, justify="left" if col in ("score", "level") else "right")
    for section in ("entities", "relations"):
        for level, cell in iv.get(section, {}).items():
            table.add_row(section, level, *("–" if cell[m] is None else f"{cell[m][0]:.3f}–{cell[m][1]:.3f}"
                                            for m in ("p", "r", "f")))
    return table


def format_table(metrics: dict) -> str:
    """Render :func:`score`'s output as plain-text tables (entities, relations, attributes, and
    the bootstrap intervals when the dict has them)."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system=None, force_terminal=False)
    console.print(f"documents: {metrics.get('n_documents', 0)}")
    console.print(_entity_table(metrics["entities"]))
    console.print(_relation_table(metrics["relations"]))
    console.print(_attribute_table(metrics["attributes"]))
    if metrics.get("intervals"):
        console.print(_interval_table(metrics["intervals"]))
    warnings = metrics.get("warnings") or []
    if warnings:
        console.print(f"warnings ({len(warnings)}):", markup=False)
        for w in warnings:
            console.print(f"  - {w}", markup=False, highlight=False)
    return buffer.getvalue()
