"""Document-bootstrap intervals: hand-computed cases, additivity, and the CLI paths."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.evaluate import format_table, score
from pipeline.intervals import MICRO_LEVELS, bootstrap_intervals, score_documents

ROOT = Path(__file__).resolve().parents[1]


def counts(tp: int, fp: int, fn: int) -> dict[str, Any]:
    """A per-document score dict with the same counts at every micro level."""
    c = {"tp": tp, "fp": fp, "fn": fn}
    return {section: {level: c for s, level in MICRO_LEVELS if s == section} for section, _ in MICRO_LEVELS}


def test_identical_documents_give_a_point_interval() -> None:
    # every resample pools k copies of (2, 1, 1): P = R = F = 2/3
    iv = bootstrap_intervals([counts(2, 1, 1)] * 3, n_resamples=200)
    assert iv["relations"]["fact"] == {"p": [0.6667, 0.6667], "r": [0.6667, 0.6667], "f": [0.6667, 0.6667]}
    assert iv["entities"]["overlap"]["f"] == [0.6667, 0.6667]


def test_two_opposite_documents_span_zero_to_one() -> None:
    # resamples: {A, A} F = 1 (p = 1/4), {B, B} F = 0 (1/4), {A, B} F = 2/(2+1+1) = 0.5 (1/2);
    # the 2.5th and 97.5th percentiles are therefore 0 and 1
    iv = bootstrap_intervals([counts(1, 0, 0), counts(0, 1, 1)], n_resamples=2000)
    assert iv["relations"]["fact"]["f"] == [0.0, 1.0]
    # at 40% confidence the 30th-70th percentiles both fall on the mixed resample
    narrow = bootstrap_intervals([counts(1, 0, 0), counts(0, 1, 1)], n_resamples=2000, confidence=0.4)
    assert narrow["relations"]["fact"]["f"] == [0.5, 0.5]


def test_nothing_predicted_and_nothing_gold_follow_prf_zero_rules() -> None:
    iv = bootstrap_intervals([counts(0, 0, 0), counts(0, 0, 3)], n_resamples=100)
    assert iv["relations"]["fact"] == {"p": [0.0, 0.0], "r": [0.0, 0.0], "f": [0.0, 0.0]}


def test_one_document_has_no_interval() -> None:
    iv = bootstrap_intervals([counts(1, 0, 0)])
    assert iv["n_documents"] == 1
    assert iv["relations"]["fact"] == {"p": None, "r": None, "f": None}


def test_same_seed_same_interval_and_bad_arguments() -> None:
    docs = [counts(3, 1, 2), counts(1, 2, 0), counts(4, 0, 1), counts(0, 1, 1)]
    assert bootstrap_intervals(docs, 300, seed=7) == bootstrap_intervals(docs, 300, seed=7)
    with pytest.raises(ValueError, match="confidence"):
        bootstrap_intervals(docs, confidence=1.0)
    with pytest.raises(ValueError, match="n_resamples"):
        bootstrap_intervals(docs, n_resamples=0)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6), st.integers(0, 6)), min_size=2, max_size=6))
def test_interval_is_ordered_and_within_unit_range(docs: list[tuple[int, int, int]]) -> None:
    iv = bootstrap_intervals([counts(*d) for d in docs], n_resamples=100)
    for section, level in MICRO_LEVELS:
        for lo, hi in iv[section][level].values():
            assert 0.0 <= lo <= hi <= 1.0


def _gold() -> list[dict[str, Any]]:
    return [json.loads(p.read_text().splitlines()[0]) for p in sorted((ROOT / "annotations/gold").glob("*.jsonl"))[:3]]


def test_score_documents_adds_up_to_the_pooled_counts() -> None:
    gold = _gold()
    # a prediction that keeps only the first half of each document's entities and no relations;
    # one gold document has no prediction at all (scored as empty) and one prediction is a duplicate
    pred = [{**g, "entities": g["entities"][: len(g["entities"]) // 2], "relations": []} for g in gold[:2]]
    pred.append({**gold[0], "entities": [], "relations": []})
    pooled = score(gold, pred)
    per_doc = score_documents(gold, pred)
    assert len(per_doc) == len(gold)
    for section, level in MICRO_LEVELS:
        for c in ("tp", "fp", "fn"):
            assert sum(d[section][level][c] for d in per_doc) == pooled[section][level][c]
    assert per_doc[2]["entities"]["strict"]["tp"] == 0 and per_doc[2]["entities"]["strict"]["fn"] > 0


def test_format_table_shows_intervals() -> None:
    metrics = score(_gold(), _gold())
    metrics["intervals"] = bootstrap_intervals([counts(1, 0, 0), counts(0, 1, 1)], n_resamples=100)
    text = format_table(metrics)
    assert "95% intervals" in text and "0.000–1.000" in text


def test_evaluate_cli_bootstrap(tmp_path: Path) -> None:
    gold = sorted((ROOT / "annotations/gold").glob("*.jsonl"))[:2]
    pred = tmp_path / "p.jsonl"
    recs = [json.loads(p.read_text().splitlines()[0]) for p in gold]
    recs[1]["relations"] = []
    pred.write_text("".join(json.dumps(r) + "\n" for r in recs))
    out = tmp_path / "m.json"
    res = CliRunner().invoke(app, ["evaluate", *map(str, gold), "--predictions", str(pred), "--bootstrap", "500",
                                   "--output", str(out)])
    assert res.exit_code == 0, res.output
    m = json.loads(out.read_text())
    assert m["intervals"]["n_documents"] == 2 and m["intervals"]["n_resamples"] == 500
    # document 1 is perfect, document 2 has every relation missed: the fact recall interval
    # runs from a resample of document 2 alone (0) to one of document 1 alone (1)
    assert m["intervals"]["relations"]["fact"]["r"] == [0.0, 1.0]
    assert m["intervals"]["entities"]["strict"]["f"] == [1.0, 1.0]
    res = CliRunner().invoke(app, ["evaluate", *map(str, gold), "--predictions", str(pred), "--output", str(out)])
    assert "intervals" not in json.loads(out.read_text())
