"""The JSONL boundary: to_record/from_record round trips and atomic writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.records import Relation, from_record, make_attrs, read_jsonl, to_record, write_jsonl


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def _record() -> dict:
    text = "Israel sold five Arava planes to Bolivia in 1973."
    return {"id": "d1", "text": text, "meta": {"source": "x"},
            "entities": [
                {"id": 1, "label": "STATE", "start_offset": 0, "end_offset": 6, "kb_id": "ISR"},
                {"id": 2, "label": "WEAPON", "start_offset": 12, "end_offset": 29, "kb_id": "arava planes"},
                {"id": 3, "label": "STATE", "start_offset": 33, "end_offset": 40, "kb_id": "BOL"},
                {"id": 4, "label": "DATE", "start_offset": 44, "end_offset": 48, "kb_id": "1973"}],
            "relations": [{"id": 1, "from_id": 1, "to_id": 3, "type": "ARMS_TRANSFER", "item": [2], "date": 4,
                           "value": None, "quantity": 5, "negated": False}]}


def test_round_trip(nlp):
    rec = _record()
    doc = from_record(rec, nlp)
    assert [e.text for e in doc.ents] == ["Israel", "five Arava planes", "Bolivia", "1973"]
    rel = doc._.relations[0]
    assert isinstance(rel, Relation) and rel.head == (0, 6, "STATE") and rel.attr("quantity") == 5
    back = to_record(doc, "d1", meta=rec["meta"], with_scores=False)
    for e in back["entities"]:
        del e["text"]
    assert back["entities"] == rec["entities"]
    assert back["relations"] == rec["relations"]


def test_relation_is_frozen():
    r = Relation((0, 1, "STATE"), (2, 3, "STATE"), "RECOGNITION", 0.9, make_attrs())
    with pytest.raises(Exception):
        r.label = "X"  # type: ignore[misc]


def test_to_record_rejects_length_mismatch(nlp):
    doc = nlp("abc def")
    with pytest.raises(ValueError, match="differ in length"):
        to_record(doc, "x", text="abc")


def test_write_jsonl_atomic_and_read_back(tmp_path: Path):
    out = tmp_path / "o.jsonl"
    n = write_jsonl(out, [{"id": "a", "text": "é"}, {"id": "b", "text": "x"}])
    assert n == 2 and not list(tmp_path.glob(".o.jsonl*"))
    rows = list(read_jsonl(out))
    assert [r[1]["id"] for r in rows] == ["a", "b"] and all(r[2] is None for r in rows)


def test_write_jsonl_failure_keeps_old_file(tmp_path: Path):
    out = tmp_path / "o.jsonl"
    out.write_text('{"id": "old"}\n')

    def boom():
        yield {"id": "new"}
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_jsonl(out, boom())
    assert out.read_text() == '{"id": "old"}\n'
    assert not list(tmp_path.glob(".o.jsonl*"))


def test_read_jsonl_reports_bad_lines(tmp_path: Path):
    p = tmp_path / "x.jsonl"
    p.write_bytes(b'{"id": 1}\n{bad\n[1]\n\n\xff\xfe\n{"id": 2}\n')
    rows = list(read_jsonl(p))
    assert [(n, e is None) for n, _, e in rows] == [(1, True), (2, False), (3, False), (5, False), (6, True)]
    assert "malformed JSON" in rows[1][2] and "JSON object" in rows[2][2] and "UTF-8" in rows[3][2]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["Mexico", "sold", "guns", "to", "Israel", ",", "1973", "the", "army"]),
                min_size=1, max_size=25), st.data())
def test_offsets_survive_round_trip(words, data):
    nlp = spacy.blank("en")
    text = " ".join(words)
    doc = nlp(text)
    # choose non-overlapping token spans as entities
    starts = sorted(set(data.draw(st.lists(st.integers(0, len(doc) - 1), max_size=5))))
    ents, last = [], -1
    for s in starts:
        if s <= last:
            continue
        ents.append(doc[s:s + 1])
        last = s
    rec = {"id": "p", "text": text, "entities": [
        {"id": i + 1, "label": "STATE", "start_offset": e.start_char, "end_offset": e.end_char, "kb_id": "MEX"}
        for i, e in enumerate(ents)], "relations": []}
    back = to_record(from_record(rec, nlp), "p")
    for e in back["entities"]:
        assert text[e["start_offset"]:e["end_offset"]] == e["text"]
    assert [(e["start_offset"], e["end_offset"]) for e in back["entities"]] == \
        [(e["start_offset"], e["end_offset"]) for e in rec["entities"]]
    json.dumps(back)
