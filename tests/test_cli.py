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
    # the prediction file holds another document: no id matches, so nothing is scored
    assert res.exit_code == 2
    assert "none of its 1 document id(s) is a gold document id" in res.output and not metrics.exists()


def _gold_file(k: int = 4) -> Path:
    return sorted((ROOT / "annotations/gold").glob("*.jsonl"))[k]


def test_evaluate_bad_prediction_record_names_file_line_doc_and_field(tmp_path: Path):
    recs = [json.loads(_gold_file(k).read_text().splitlines()[0]) for k in (3, 4)]
    del recs[1]["entities"][2]["label"]
    pred = tmp_path / "p.jsonl"
    pred.write_text("".join(json.dumps(r) + "\n" for r in recs))
    res = runner.invoke(app, ["evaluate", str(_gold_file(3)), str(_gold_file(4)), "--predictions", str(pred)])
    assert res.exit_code == 2
    eid = recs[1]["entities"][2]["id"]
    assert f"{pred}:2: error: pred doc {recs[1]['id']!r}, entity {eid}: missing field 'label'" in res.output
    assert "nothing scored" in res.output and "Traceback" not in res.output


def test_evaluate_warns_about_gold_documents_without_prediction(tmp_path: Path):
    pred = tmp_path / "p.jsonl"
    pred.write_text(_gold_file(3).read_text())
    res = runner.invoke(app, ["evaluate", str(_gold_file(3)), str(_gold_file(4)), "--predictions", str(pred)])
    assert res.exit_code == 0, res.output
    gid = json.loads(_gold_file(4).read_text())["id"]
    assert f"{pred}: warning: 1 gold document(s) have no prediction and are scored as empty: ['{gid}']" in res.output


def test_evaluate_rejects_model_with_predictions_and_a_missing_label_map(tmp_path: Path):
    res = runner.invoke(app, ["evaluate", str(_gold_file()), "--predictions", str(_gold_file()),
                              "--config", "baseline"])
    assert res.exit_code == 2 and "not both" in res.output
    res = runner.invoke(app, ["evaluate", str(_gold_file()), "--predictions", str(_gold_file()),
                              "--label-map", str(tmp_path / "nope.json")])
    assert res.exit_code == 2 and "error: --label-map:" in res.output and "nope.json" in res.output
    bad = tmp_path / "bad.json"
    bad.write_text('{"COMPANY": 5}')
    res = runner.invoke(app, ["cv", "--config", "baseline", "--annotations", str(_gold_file()), "--label-map", str(bad)])
    assert res.exit_code == 2 and "label map key 'COMPANY' maps to 5" in res.output


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


def test_train_refuses_to_overwrite_a_model_without_overwrite(tmp_path: Path, small_config: Path):
    out = tmp_path / "m"
    out.mkdir()
    (out / "meta.json").write_text("{}")
    res = runner.invoke(app, ["train", "--annotations", str(_gold_file()), "--config", str(small_config),
                              "--output", str(out)])
    assert res.exit_code == 2 and "--overwrite" in res.output
    assert (out / "meta.json").read_text() == "{}"


def test_train_cv_saves_held_out_metrics_beside_the_model(tmp_path: Path, small_config: Path):
    out = tmp_path / "m"
    res = runner.invoke(app, ["train", "--annotations", str(_gold_file(3)), "--annotations", str(_gold_file(4)),
                              "--config", str(small_config), "--output", str(out), "--cv"])
    assert res.exit_code == 0, res.output
    m = json.loads((out / "metrics.json").read_text())
    meta = json.loads((out / "meta.json").read_text())
    assert m["cv"]["scheme"] == "leave-one-document-out" and m["cv"]["n_folds"] == 2
    assert m["cv"]["model_id"] == meta["model_id"] and "predictions" not in m
    assert [f["held_out"] for f in m["folds"]] == [json.loads(_gold_file(k).read_text())["id"] for k in (3, 4)]
    assert set(m["relations"]) >= {"mention_strict", "fact"} and m["intervals"]["n_documents"] == 2
    assert "held-out" in res.output


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
