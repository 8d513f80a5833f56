"""The extract job: bad inputs are reported and skipped, resume loses and duplicates nothing,
output is deterministic, facts aggregate across documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.runner import Interrupted, run_extract

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def inputs(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text("Israel sold five Arava planes to Bolivia in 1973.\n", encoding="utf-8")
    (d / "b.txt").write_text("The United States trained Mexican police in 2010.", encoding="utf-8")
    (d / "empty.txt").write_text("   \n", encoding="utf-8")
    (d / "bin.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (d / "c.jsonl").write_text(
        json.dumps({"id": "c1", "text": "Mexico recognized the State of Palestine in 2023."}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "c2", "title": "no text"}) + "\n"
        + json.dumps({"id": "c3", "text": 42}) + "\n"
        + json.dumps({"id": "a", "text": "duplicate id of a.txt"}) + "\n"
        + json.dumps({"id": "c4", "text": "Guatemala bought Galil rifles from Israel."}) + "\n",
        encoding="utf-8")
    return d


def _ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_bad_inputs_reported_good_ones_written(inputs: Path, tmp_path: Path, small_model: Path):
    msgs: list[str] = []
    out = tmp_path / "out.jsonl"
    s = run_extract([inputs], out, model=small_model, report=msgs.append, progress=False)
    assert _ids(out) == ["a", "b", "bin", "c1", "c4"] or _ids(out) == ["a", "b", "c1", "c4"]
    assert s.written == len(_ids(out)) and s.failed >= 5
    joined = "\n".join(msgs)
    assert "empty.txt" in joined and "empty document" in joined
    assert "c.jsonl:2" in joined and "malformed JSON" in joined
    assert "c.jsonl:3" in joined and "text" in joined
    assert "c.jsonl:4" in joined and "must be a string" in joined
    assert "c.jsonl:5" in joined and "duplicate" in joined
    for line in out.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        assert rec["pipeline"]["name"] == "secrel"
        for e in rec["entities"]:
            assert rec["text"][e["start_offset"]:e["end_offset"]] == e["text"]


def test_resume_after_interruption_matches_uninterrupted(inputs: Path, tmp_path: Path, small_model: Path):
    full = tmp_path / "full.jsonl"
    run_extract([inputs], full, model=small_model, report=lambda m: None, progress=False, batch_size=1)
    part = tmp_path / "part.jsonl"
    with pytest.raises(Interrupted):
        run_extract([inputs], part, model=small_model, report=lambda m: None, progress=False, batch_size=1,
                    stop_after=2)
    partial = part.with_name(part.name + ".partial")
    assert not part.exists() and len(_ids(partial)) == 2
    # a torn last line, as left by a kill mid-write, is dropped and redone
    with partial.open("a", encoding="utf-8") as fh:
        fh.write('{"id": "c1", "text": "trunc')
    s = run_extract([inputs], part, model=small_model, report=lambda m: None, progress=False, batch_size=1,
                    resume=True)
    assert s.resumed == 2
    assert part.read_bytes() == full.read_bytes()  # identical records, same order, nothing duplicated


def test_output_is_deterministic(inputs: Path, tmp_path: Path, small_model: Path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    run_extract([inputs], a, model=small_model, report=lambda m: None, progress=False)
    run_extract([inputs], b, model=small_model, report=lambda m: None, progress=False, batch_size=2)
    assert a.read_bytes() == b.read_bytes()


def test_facts_table(tmp_path: Path, small_model: Path):
    d = tmp_path / "in"
    d.mkdir()
    for k in range(2):
        (d / f"d{k}.txt").write_text("Israel sold weapons to Bolivia. Israel trained the Bolivian army.",
                                     encoding="utf-8")
    out, facts = tmp_path / "o.jsonl", tmp_path / "facts.jsonl"
    run_extract([d], out, facts=facts, model=small_model, report=lambda m: None, progress=False)
    rows = [json.loads(x) for x in facts.read_text(encoding="utf-8").splitlines()]
    keys = [(r["type"], r["head"]["kb_id"], r["tail"]["kb_id"]) for r in rows]
    assert len(keys) == len(set(keys))
    for r in rows:
        assert r["n_documents"] == len({s["doc_id"] for s in r["support"]})
        for s in r["support"]:
            assert s["sentence"]["text"] and s["head"]["text"]


def test_nothing_processable_is_not_ok(tmp_path: Path, small_model: Path):
    p = tmp_path / "empty.txt"
    p.write_text("")
    s = run_extract([p], tmp_path / "o.jsonl", model=small_model, report=lambda m: None, progress=False)
    assert not s.ok and s.failed == 1


def test_two_processes_match_one(inputs: Path, tmp_path: Path, small_model: Path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run_extract([inputs], one, model=small_model, report=lambda m: None, progress=False)
    s = run_extract([inputs], two, model=small_model, report=lambda m: None, progress=False, n_process=2)
    assert s.written == len(_ids(one))
    assert one.read_bytes() == two.read_bytes()
