"""The CLI through typer's CliRunner, and the slow end-to-end runs on real text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

ROOT = Path(__file__).resolve().parent.parent
SHARED_CORPUS = ROOT.parent / "shared" / "corpus" / "insightcrime-unlabeled.jsonl"
runner = CliRunner()


def test_extract_and_evaluate_with_trained_model(tmp_path: Path, small_model: Path):
    src = tmp_path / "a.txt"
    src.write_text("Israel sold five Arava planes to Bolivia in 1973.", encoding="utf-8")
    out, facts = tmp_path / "o.jsonl", tmp_path / "f.jsonl"
    res = runner.invoke(app, ["extract", str(src), "--output", str(out), "--facts", str(facts),
                              "--model", str(small_model), "--quiet"])
    assert res.exit_code == 0, res.output
    rec = json.loads(out.read_text(encoding="utf-8"))
    assert rec["id"] == "a" and rec["entities"]
    metrics = tmp_path / "m.json"
    res = runner.invoke(app, ["evaluate", str(ROOT / "annotations/gold/004_69f690513297f282.jsonl"),
                              "--predictions", str(out), "--output", str(metrics)])
    assert res.exit_code == 0, res.output
    m = json.loads(metrics.read_text())
    assert set(m) >= {"entities", "relations", "attributes"}
    assert m["entities"]["strict"]["tp"] == 0  # the prediction file holds another document
    assert "missing" in " ".join(m["warnings"]) or m["warnings"]


def test_extract_exit_1_when_nothing_processed(tmp_path: Path, small_model: Path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x00")
    res = runner.invoke(app, ["extract", str(bad), "--output", str(tmp_path / "o.jsonl"),
                              "--model", str(small_model), "--quiet"])
    assert res.exit_code == 1
    assert "bad.txt" in res.output and "binary" in res.output


def test_evaluate_gold_against_itself_is_perfect(tmp_path: Path):
    gold = ROOT / "annotations/gold/004_69f690513297f282.jsonl"
    res = runner.invoke(app, ["evaluate", str(gold), "--predictions", str(gold), "--output", str(tmp_path / "m.json")])
    assert res.exit_code == 0, res.output
    m = json.loads((tmp_path / "m.json").read_text())
    assert m["entities"]["strict"]["f"] == 1.0 and m["relations"]["fact"]["f"] == 1.0


def test_cv_baseline_runs(tmp_path: Path):
    out = tmp_path / "cv.json"
    res = runner.invoke(app, ["cv", "--config", "baseline", "--annotations",
                              str(ROOT / "annotations/gold/004_69f690513297f282.jsonl"), "--output", str(out)])
    assert res.exit_code == 0, res.output
    r = json.loads(out.read_text())
    assert r["cv"]["n_folds"] == 1 and r["relations"]["mention_strict"]["tp"] == 0
    assert 0 < r["entities"]["overlap"]["f"] <= 1
    assert r["intervals"]["relations"]["fact"]["f"] is None  # one held-out document: nothing to resample


def test_cv_reports_document_bootstrap_intervals(tmp_path: Path):
    out = tmp_path / "cv.json"
    gold = sorted((ROOT / "annotations/gold").glob("*.jsonl"))[3:]
    res = runner.invoke(app, ["cv", "--config", "baseline", "--annotations", str(gold[0]), "--annotations",
                              str(gold[1]), "--bootstrap", "500", "--output", str(out)])
    assert res.exit_code == 0, res.output
    r = json.loads(out.read_text())
    iv = r["intervals"]
    assert iv["n_documents"] == 2 and iv["n_resamples"] == 500 and iv["confidence"] == 0.95
    # with two documents the resamples are A+A, B+B and A+B; the pooled micro F1 (A+B) is a
    # mediant of the single-document ones, so it lies inside the interval they bound
    folds = [f["scores"]["entities"]["overlap"]["f"] for f in r["folds"]]
    lo, hi = iv["entities"]["overlap"]["f"]
    assert lo == pytest.approx(min(folds), abs=1e-4) and hi == pytest.approx(max(folds), abs=1e-4)
    assert lo <= r["entities"]["overlap"]["f"] <= hi
    assert "95% intervals" in res.output


def test_train_rejects_bad_annotations(tmp_path: Path):
    bad = tmp_path / "g.jsonl"
    bad.write_text(json.dumps({"id": "x", "text": "abc", "entities": [
        {"id": 1, "label": "NOPE", "start_offset": 0, "end_offset": 3}], "relations": []}) + "\n")
    res = runner.invoke(app, ["train", "--annotations", str(bad), "--output", str(tmp_path / "m")])
    assert res.exit_code != 0
    assert "NOPE" in str(res.exception) or "NOPE" in res.output


def test_train_extra_train_documents_are_the_relation_source_domain(tmp_path: Path, small_config: Path):
    gold = sorted((ROOT / "annotations" / "gold").glob("*.jsonl"))
    out = tmp_path / "m"
    res = runner.invoke(app, ["train", "--annotations", str(gold[0]), "--extra-train", str(gold[1]),
                              "--config", str(small_config), "--output", str(out)])
    assert res.exit_code == 0, res.output
    meta = json.loads((out / "meta.json").read_text())
    other = json.loads(gold[1].read_text().splitlines()[0])["id"]
    assert meta["source_domain"] == [other] and len(meta["trained_on"]) == 2
    assert meta["relations"]["domain_adapted"] and meta["relations"]["source_domain_documents"] == 1
    clash = runner.invoke(app, ["train", "--annotations", str(gold[0]), "--extra-train", str(gold[0]),
                                "--config", str(small_config), "--output", str(tmp_path / "m2")])
    assert clash.exit_code != 0 and "both in --annotations and --extra-train" in clash.output


@pytest.mark.slow
def test_end_to_end_default_model_on_corpus(tmp_path: Path):
    """README's main job: the shipped default model over the bundled corpus."""
    model = ROOT / "models" / (ROOT / "models/default.txt").read_text().strip()
    out, facts = tmp_path / "corpus.jsonl", tmp_path / "facts.jsonl"
    inputs = sorted(str(p) for p in (ROOT / "corpus").glob("*.txt"))
    res = runner.invoke(app, ["extract", *inputs, "--output", str(out), "--facts", str(facts),
                              "--model", str(model), "--quiet"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["annotations", "validate", str(out)])
    assert res.exit_code == 0, res.output
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(recs) == 5
    for rec, src in zip(recs, inputs):
        assert rec["text"] == Path(src).read_text(encoding="utf-8")  # text unchanged, offsets valid
        assert rec["entities"] and rec["relations"]
        for r in rec["relations"]:
            assert 0 <= r["score"] <= 1 and r["evidence"]["start_offset"] < r["evidence"]["end_offset"]
    assert facts.read_text(encoding="utf-8").strip()


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_CORPUS.exists(), reason="shared InSight Crime corpus not present")
def test_end_to_end_on_real_unlabeled_sample(tmp_path: Path):
    """40 real unseen articles from ../shared (read in place, never copied into the project)."""
    sample = tmp_path / "sample.jsonl"
    with SHARED_CORPUS.open(encoding="utf-8") as src, sample.open("w", encoding="utf-8") as dst:
        for k, line in enumerate(src):
            if k >= 40:
                break
            dst.write(line)
    model = ROOT / "models" / (ROOT / "models/default.txt").read_text().strip()
    out = tmp_path / "o.jsonl"
    res = runner.invoke(app, ["extract", str(sample), "--output", str(out), "--model", str(model), "--quiet"])
    assert res.exit_code == 0, res.output
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(recs) == 40
    assert sum(len(r["relations"]) for r in recs) > 0
    res = runner.invoke(app, ["annotations", "validate", str(out)])
    assert res.exit_code == 0, res.output
