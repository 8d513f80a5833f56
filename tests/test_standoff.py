"""Stand-off annotations: detach/attach round trip, no text kept, precise errors, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.annotations import iter_annotation_files, load_gold
from pipeline.cli import app
from pipeline.records import RecordError
from pipeline.standoff import attach, attach_files, detach

ROOT = Path(__file__).resolve().parent.parent
GOLD_FILE = sorted((ROOT / "annotations" / "gold").glob("*.jsonl"))[0]


@pytest.fixture(scope="module")
def gold() -> dict:
    return load_gold([GOLD_FILE])[0]


def test_round_trip_keeps_spans_relations_and_fact_identity(gold: dict) -> None:
    back = attach(detach(gold), gold["text"])
    key = lambda e: (e["start_offset"], e["end_offset"], e["label"])  # noqa: E731
    assert sorted(map(key, back["entities"])) == sorted(map(key, gold["entities"]))
    assert back["relations"] == gold["relations"]
    orig = {e["id"]: e for e in gold["entities"]}
    for e in back["entities"]:
        o = orig[e["id"]]
        if e["label"] == "STATE":
            assert e["kb_id"] == o["kb_id"]
    # kb clusters are the same partition of mentions as in the original record
    part = lambda ents: {frozenset(e["id"] for e in ents if (e["label"], e.get("kb_id")) == k)  # noqa: E731
                         for k in {(x["label"], x.get("kb_id")) for x in ents}}
    assert part(back["entities"]) == part(gold["entities"])


def test_standoff_holds_no_words_of_the_text(gold: dict) -> None:
    so = json.dumps(detach(gold), ensure_ascii=False)
    assert "text" not in detach(gold)
    names = {gold["text"][e["start_offset"]:e["end_offset"]] for e in gold["entities"] if e["label"] != "STATE"}
    long_names = [n for n in names if len(n) > 6]
    assert long_names
    assert not [n for n in long_names if n in so]


def test_attach_rejects_a_different_text(gold: dict) -> None:
    with pytest.raises(RecordError) as exc:
        attach(detach(gold), gold["text"].replace("a", "b", 1), file="x.standoff.jsonl", line=3)
    assert exc.value.field == "text_sha256" and exc.value.line == 3 and exc.value.doc_id == gold["id"]


def test_attach_files_names_a_missing_text(tmp_path: Path, gold: dict) -> None:
    so = tmp_path / "d.standoff.jsonl"
    so.write_text(json.dumps(detach(gold)) + "\n", encoding="utf-8")
    texts = tmp_path / "texts.jsonl"
    texts.write_text(json.dumps({"id": "other", "text": "x"}) + "\n", encoding="utf-8")
    with pytest.raises(RecordError) as exc:
        attach_files([so], texts)
    assert exc.value.field == "id" and exc.value.doc_id == gold["id"] and exc.value.line == 1
    texts.write_text(json.dumps({"id": gold["id"], "text": gold["text"]}) + "\n", encoding="utf-8")
    assert attach_files([so], texts)[0]["text"] == gold["text"]


def test_folders_skip_standoff_files(tmp_path: Path, gold: dict) -> None:
    (tmp_path / "d.standoff.jsonl").write_text(json.dumps(detach(gold)) + "\n", encoding="utf-8")
    (tmp_path / "g.jsonl").write_text(json.dumps(gold) + "\n", encoding="utf-8")
    assert [p.name for p in iter_annotation_files([tmp_path])] == ["g.jsonl"]


def test_cli_attach_writes_valid_gold(tmp_path: Path, gold: dict) -> None:
    so = tmp_path / "d.standoff.jsonl"
    so.write_text(json.dumps(detach(gold)) + "\n", encoding="utf-8")
    texts = tmp_path / "texts.jsonl"
    texts.write_text(json.dumps({"id": gold["id"], "text": gold["text"]}) + "\n", encoding="utf-8")
    out = tmp_path / "out" / "dev.jsonl"
    res = CliRunner().invoke(app, ["annotations", "attach", str(so), "--texts", str(texts), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert load_gold([out])[0]["id"] == gold["id"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": gold["id"], "text": gold["text"] + " "}) + "\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["annotations", "attach", str(so), "--texts", str(bad), "-o", str(out)])
    assert res.exit_code == 2 and "text_sha256" in res.output


def test_load_annotations_joins_standoff_files(tmp_path: Path, gold: dict) -> None:
    from pipeline.annotations import load_annotations

    so = tmp_path / "d.standoff.jsonl"
    other = dict(detach(gold), id="copy")
    so.write_text(json.dumps(other) + "\n", encoding="utf-8")
    texts = tmp_path / "texts.jsonl"
    texts.write_text(json.dumps({"id": "copy", "text": gold["text"]}) + "\n", encoding="utf-8")
    recs = load_annotations([GOLD_FILE, so], texts)
    assert [r["id"] for r in recs] == [gold["id"], "copy"]
    with pytest.raises(RecordError, match="--texts"):
        load_annotations([so])
