"""Tests for pipeline.annotations: one crafted bad file per validator check.

Every test builds the same small valid record, breaks exactly one thing, writes it to
tmp_path as JSONL (after a valid first line, so the bad record sits on line 2) and asserts
every field of the single Problem the validator reports.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pipeline.annotations import Problem, load_gold, stats, validate_paths, validate_record
from pipeline.records import RecordError

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "annotations" / "gold"

# Two sentences for the relations of the first, a third for ASYLUM; "Iguala" (entity 10) is
# referenced by no relation, so tests can break it without side effects.
TEXT = (
    "Israel sold 300 Uzi guns to Mexico in 1973 for $5 million. "
    "Pegasus was bought by Mexico. "
    "Tomás Zerón fled to Israel from Iguala."
)


def span(sub: str, occurrence: int = 0) -> tuple[int, int]:
    """(start, end) of the ``occurrence``-th ``sub`` in TEXT."""
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(sub, start + 1)
    return start, start + len(sub)


def ent(eid: int, label: str, sub: str, kb: str, occurrence: int = 0) -> dict[str, Any]:
    s, e = span(sub, occurrence)
    return {"id": eid, "label": label, "start_offset": s, "end_offset": e, "kb_id": kb}


def base(doc_id: str = "doc-1") -> dict[str, Any]:
    """A small record that validates with no problem at all (sentence check included)."""
    return {
        "id": doc_id,
        "text": TEXT,
        "meta": {"source": "test", "date": "2024-01-01"},
        "entities": [
            ent(1, "STATE", "Israel", "ISR"),
            ent(2, "WEAPON", "300 Uzi guns", "Uzi"),
            ent(3, "STATE", "Mexico", "MEX"),
            ent(4, "DATE", "1973", "1973"),
            ent(5, "MONEY", "$5 million", "$5 million"),
            ent(6, "SURVEILLANCE", "Pegasus", "Pegasus"),
            ent(7, "STATE", "Mexico", "MEX", occurrence=1),
            ent(8, "PERSON", "Tomás Zerón", "Tomás Zerón"),
            ent(9, "STATE", "Israel", "ISR", occurrence=1),
            ent(10, "LOC", "Iguala", "Iguala"),
        ],
        "relations": [
            {"id": 1, "from_id": 1, "to_id": 3, "type": "ARMS_TRANSFER", "item": [2], "date": 4,
             "value": 5, "quantity": 300, "negated": False},
            {"id": 2, "from_id": 9, "to_id": 8, "type": "ASYLUM", "item": [], "date": None,
             "value": None, "quantity": None, "negated": False},
        ],
    }


def entity(rec: dict[str, Any], eid: int) -> dict[str, Any]:
    return next(e for e in rec["entities"] if e["id"] == eid)


def relation(rec: dict[str, Any], rid: int) -> dict[str, Any]:
    return next(r for r in rec["relations"] if r["id"] == rid)


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def bad_file(tmp_path: Path, rec: dict[str, Any] | str, name: str = "bad.jsonl") -> Path:
    """A valid record on line 1, then ``rec`` (a record or a raw line) on line 2."""
    second = rec if isinstance(rec, str) else json.dumps(rec, ensure_ascii=False)
    return write_lines(tmp_path / name, [json.dumps(base("ok-doc"), ensure_ascii=False), second])


def only_problem(path: Path, **kw: Any) -> Problem:
    problems, _ = validate_paths([path], **kw)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def check(p: Problem, path: Path, *, line: int = 2, doc_id: str | None = "doc-1", item: str | None,
          field: str | None, message: str, severity: str = "error") -> None:
    assert p.file == str(path)
    assert p.line == line
    assert p.doc_id == doc_id
    assert p.item == item
    assert p.field == field
    assert p.severity == severity
    assert message in p.message, p.message


# ----------------------------------------------------------------------------- baseline


def test_base_record_is_valid(tmp_path: Path) -> None:
    rec = base()
    assert validate_record(rec, "x.jsonl", 1) == []
    path = bad_file(tmp_path, rec)
    problems, n = validate_paths([path])
    assert problems == [] and n == 2
    assert all(TEXT[e["start_offset"]:e["end_offset"]] for e in rec["entities"])


def test_problem_str_names_file_line_doc_item_field() -> None:
    p = Problem("a.jsonl", 7, "d", "entity 3", "label", "unknown label 'X'")
    assert str(p) == "a.jsonl:7: error: doc 'd', entity 3, field 'label': unknown label 'X'"
    assert str(Problem("a.jsonl", 2, None, None, None, "malformed JSON")) == "a.jsonl:2: error: malformed JSON"


# ----------------------------------------------------------------------------- file level


def test_malformed_json_line_other_lines_still_validated(tmp_path: Path) -> None:
    later = base("doc-3")
    entity(later, 10)["label"] = "CITY"
    path = write_lines(tmp_path / "a.jsonl", [json.dumps(base("doc-1")), '{"id": "doc-2", "text": ',
                                              json.dumps(later)])
    problems, n = validate_paths([path])
    assert n == 2  # lines 1 and 3 were parsed and validated
    assert len(problems) == 2, "\n".join(map(str, problems))
    check(problems[0], path, line=2, doc_id=None, item=None, field=None, message="malformed JSON")
    check(problems[1], path, line=3, doc_id="doc-3", item="entity 10", field="label",
          message="unknown label 'CITY'")


def test_non_object_line(tmp_path: Path) -> None:
    path = bad_file(tmp_path, "[1, 2, 3]")
    check(only_problem(path), path, doc_id=None, item=None, field=None,
          message="expected a JSON object, got list")


def test_missing_id(tmp_path: Path) -> None:
    rec = base()
    del rec["id"]
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, doc_id=None, item=None, field="id",
          message="missing or non-string document id")


def test_non_string_text(tmp_path: Path) -> None:
    rec = base()
    rec["text"] = 42
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item=None, field="text", message="text must be a string, got int")


def test_duplicate_document_id_across_two_files(tmp_path: Path) -> None:
    a = write_lines(tmp_path / "a.jsonl", [json.dumps(base("doc-1"))])
    b = write_lines(tmp_path / "b.jsonl", [json.dumps(base("doc-2")), json.dumps(base("doc-1"))])
    problems, n = validate_paths([tmp_path])  # a folder: files are read sorted, a before b
    assert n == 3
    assert len(problems) == 1, "\n".join(map(str, problems))
    check(problems[0], b, item=None, field="id", message=f"duplicate document id (first at {a}:1)")


def test_missing_file_and_empty_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nope.jsonl"
    check(only_problem(missing), missing, line=0, doc_id=None, item=None, field=None,
          message="file does not exist")
    empty = tmp_path / "empty"
    empty.mkdir()
    problems, n = validate_paths([empty])
    assert n == 0 and len(problems) == 1
    assert "no .jsonl annotation files found" in problems[0].message
    assert problems[0].severity == "error"


# ----------------------------------------------------------------------------- entities


def test_duplicate_entity_id(tmp_path: Path) -> None:
    rec = base()
    entity(rec, 10)["id"] = 1  # Iguala now claims Israel's id
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="entity 1", field="id", message="duplicate entity id")


def test_entity_offsets_out_of_range(tmp_path: Path) -> None:
    rec = base()
    entity(rec, 10)["end_offset"] = len(TEXT) + 5
    path = bad_file(tmp_path, rec)
    s = entity(rec, 10)["start_offset"]
    check(only_problem(path), path, item="entity 10", field="start_offset",
          message=f"offsets [{s}, {len(TEXT) + 5}) out of range for text of length {len(TEXT)}")


@pytest.mark.parametrize("delta", [0, -3])
def test_entity_start_not_before_end(tmp_path: Path, delta: int) -> None:
    rec = base()
    e = entity(rec, 10)
    e["end_offset"] = e["start_offset"] + delta  # empty (start == end) or reversed span
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="entity 10", field="start_offset",
          message=f"offsets [{e['start_offset']}, {e['end_offset']}) out of range")


@pytest.mark.parametrize("bad", ["3", 3.0, True, None])
def test_entity_non_integer_offsets(tmp_path: Path, bad: Any) -> None:
    rec = base()
    entity(rec, 10)["start_offset"] = bad
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="entity 10", field="start_offset",
          message="start_offset/end_offset must be integers")


def test_non_integer_offsets_on_a_related_entity_do_not_crash(tmp_path: Path) -> None:
    # entity 1 is the head of relation 1, which gets the same-sentence check
    rec = base()
    entity(rec, 1)["start_offset"] = "0"
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="entity 1", field="start_offset",
          message="start_offset/end_offset must be integers")


def test_mention_padded_with_whitespace(tmp_path: Path) -> None:
    rec = base()
    entity(rec, 10)["start_offset"] -= 1  # " Iguala"
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="entity 10", field="start_offset",
          message="mention ' Iguala' has leading or trailing whitespace")


def test_overlapping_spans(tmp_path: Path) -> None:
    rec = base()
    s, e = span("Uzi guns")
    rec["entities"].append({"id": 11, "label": "WEAPON", "start_offset": s, "end_offset": e, "kb_id": "Uzi"})
    path = bad_file(tmp_path, rec)
    s2, e2 = span("300 Uzi guns")
    check(only_problem(path), path, item="entity 11", field="start_offset",
          message=f"overlaps entity 2 [{s2}, {e2}) (spans must be flat)")


def test_overlap_reports_every_span_inside_a_long_one() -> None:
    # A = [0, 14) covers B = [5, 9) and C = [10, 14). Sorted: A, B, C. Comparing only sorted
    # neighbours sees A/B but not A/C (B ends before C starts); both must be reported.
    rec = {"id": "d", "text": "aaaa bbbb cccc", "entities": [
        {"id": 1, "label": "ORG", "start_offset": 0, "end_offset": 14, "kb_id": "A"},
        {"id": 2, "label": "ORG", "start_offset": 5, "end_offset": 9, "kb_id": "B"},
        {"id": 3, "label": "ORG", "start_offset": 10, "end_offset": 14, "kb_id": "C"},
    ], "relations": []}
    problems = validate_record(rec, "f.jsonl", 1)
    assert [(p.item, p.field, p.message) for p in problems] == [
        ("entity 2", "start_offset", "overlaps entity 1 [0, 14) (spans must be flat)"),
        ("entity 3", "start_offset", "overlaps entity 1 [0, 14) (spans must be flat)"),
    ]


def test_unknown_label(tmp_path: Path) -> None:
    rec = base()
    entity(rec, 10)["label"] = "CITY"
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="entity 10", field="label", message="unknown label 'CITY' (allowed: STATE,")


@pytest.mark.parametrize("kb", ["Israel", "isr", "IS", "IS1", "ISRL"])
def test_state_kb_id_not_alpha3(tmp_path: Path, kb: str) -> None:
    rec = base()
    entity(rec, 9)["kb_id"] = kb
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="entity 9", field="kb_id",
          message=f"STATE kb_id must be ISO 3166-1 alpha-3, got {kb!r}")


@pytest.mark.parametrize("how", ["absent", None, ""])
def test_missing_kb_id_is_a_warning(tmp_path: Path, how: Any) -> None:
    rec = base()
    if how == "absent":
        del entity(rec, 10)["kb_id"]
    else:
        entity(rec, 10)["kb_id"] = how
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="entity 10", field="kb_id", message="missing kb_id", severity="warning")
    assert len(load_gold([path])) == 2  # warnings do not block loading


def test_entity_text_field_not_matching_span(tmp_path: Path) -> None:
    rec = base()
    entity(rec, 1)["text"] = "Israeli"
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="entity 1", field="text",
          message="text 'Israeli' does not match text[start:end] 'Israel'")
    entity(rec, 1)["text"] = "Israel"  # a matching text field is fine
    assert validate_record(rec, "f", 1) == []


# ----------------------------------------------------------------------------- relations


def test_duplicate_relation_id(tmp_path: Path) -> None:
    rec = base()
    relation(rec, 2)["id"] = 1
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="relation 1", field="id", message="duplicate relation id")


def test_unknown_relation_type(tmp_path: Path) -> None:
    rec = base()
    relation(rec, 2)["type"] = "HARBOURS"
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="relation 2", field="type",
          message="unknown relation type 'HARBOURS' (allowed: ARMS_TRANSFER,")


def test_head_label_not_allowed_for_type(tmp_path: Path) -> None:
    rec = base()
    relation(rec, 1)["from_id"] = 4  # DATE "1973" as supplier
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="relation 1", field="from_id",
          message="head label DATE not allowed for ARMS_TRANSFER")


def test_tail_label_not_allowed_for_type(tmp_path: Path) -> None:
    rec = base()
    relation(rec, 2)["to_id"] = 9  # ASYLUM Israel -> Israel: tail must be a PERSON
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="relation 2", field="to_id",
          message="tail label STATE not allowed for ASYLUM (allowed: ['PERSON'])")


@pytest.mark.parametrize("ref", [99, "1", [9]])
def test_from_id_refers_to_missing_entity(tmp_path: Path, ref: Any) -> None:
    rec = base()
    relation(rec, 2)["from_id"] = ref
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="relation 2", field="from_id",
          message=f"refers to missing entity {ref!r}")


def test_item_refers_to_non_weapon_entity(tmp_path: Path) -> None:
    rec = base()
    relation(rec, 1)["item"] = [2, 3]
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="relation 1", field="item",
          message="entity 3 is STATE, item must be WEAPON or SURVEILLANCE")
    relation(rec, 1)["item"] = [2, 6]  # WEAPON and SURVEILLANCE are both fine
    assert validate_record(rec, "f", 1) == []


def test_item_refers_to_missing_entity(tmp_path: Path) -> None:
    rec = base()
    relation(rec, 1)["item"] = [2, 42]
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="relation 1", field="item", message="refers to missing entity 42")


def test_date_refers_to_non_date(tmp_path: Path) -> None:
    rec = base()
    relation(rec, 1)["date"] = 5  # the MONEY entity
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="relation 1", field="date", message="entity 5 is MONEY, date must be DATE")


def test_value_refers_to_non_money(tmp_path: Path) -> None:
    rec = base()
    relation(rec, 1)["value"] = 4  # the DATE entity
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="relation 1", field="value", message="entity 4 is DATE, value must be MONEY")


@pytest.mark.parametrize("q", ["300", 3.5, True, -1])
def test_quantity_not_an_integer(tmp_path: Path, q: Any) -> None:
    rec = base()
    relation(rec, 1)["quantity"] = q
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="relation 1", field="quantity",
          message=f"quantity must be a non-negative integer or null, got {q!r}")


@pytest.mark.parametrize("neg", ["false", 0, None])
def test_negated_not_a_bool(tmp_path: Path, neg: Any) -> None:
    rec = base()
    relation(rec, 1)["negated"] = neg
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="relation 1", field="negated",
          message=f"negated must be true or false, got {neg!r}")


def test_duplicate_relation_same_type_head_tail(tmp_path: Path) -> None:
    rec = base()
    dup = copy.deepcopy(relation(rec, 2))
    dup["id"] = 3
    rec["relations"].append(dup)
    path = bad_file(tmp_path, rec)
    check(only_problem(path), path, item="relation 3", field="type",
          message="duplicate relation (same type, head and tail)")


def test_head_and_tail_in_different_sentences_is_a_warning(tmp_path: Path) -> None:
    rec = base()
    rec["relations"].append({"id": 3, "from_id": 1, "to_id": 7, "type": "ARMS_TRANSFER", "item": [6]})
    path = bad_file(tmp_path, rec)  # Israel (sentence 1) -> Mexico (sentence 2)
    check(only_problem(path), path, item="relation 3", field="to_id",
          message="head and tail are not in one sentence", severity="warning")
    assert validate_paths([path], check_sentences=False)[0] == []
    assert len(load_gold([path])) == 2


# ----------------------------------------------------------------------------- gold, stats, load_gold


def test_real_gold_folder_validates_without_errors() -> None:
    problems, n = validate_paths([GOLD])
    errors = [p for p in problems if p.severity == "error"]
    assert errors == [], "\n".join(map(str, errors[:10]))
    n_lines = sum(1 for f in GOLD.rglob("*.jsonl") for line in f.read_text(encoding="utf-8").splitlines()
                  if line.strip())
    assert n == n_lines > 0


def test_stats_totals_match_hand_count() -> None:
    rec = base()
    # hand count of base(): Israel, Mexico, Mexico, Israel = 4 STATE; one each of WEAPON, DATE,
    # MONEY, SURVEILLANCE, PERSON, LOC -> 10 entities; ARMS_TRANSFER + ASYLUM -> 2 relations
    st = stats([rec])
    want_e = {"DATE": 1, "LOC": 1, "MONEY": 1, "PERSON": 1, "STATE": 4, "SURVEILLANCE": 1, "WEAPON": 1}
    want_r = {"ARMS_TRANSFER": 1, "ASYLUM": 1}
    assert st["documents"]["doc-1"] == {"entities": want_e, "relations": want_r, "n_entities": 10,
                                        "n_relations": 2}
    assert st["total"] == {"entities": want_e, "relations": want_r, "n_entities": 10, "n_relations": 2,
                           "n_documents": 1}
    # two documents: totals add up, per-document counts stay separate
    other = base("doc-2")
    other["relations"] = []
    st2 = stats([rec, other])
    assert st2["total"]["n_documents"] == 2
    assert st2["total"]["n_entities"] == 20 and st2["total"]["n_relations"] == 2
    assert st2["total"]["entities"]["STATE"] == 8
    assert st2["documents"]["doc-2"]["n_relations"] == 0


def test_load_gold_raises_on_errors_and_returns_records(tmp_path: Path) -> None:
    good = write_lines(tmp_path / "good.jsonl", [json.dumps(base("doc-1")), json.dumps(base("doc-2"))])
    assert [r["id"] for r in load_gold([good])] == ["doc-1", "doc-2"]
    rec = base()
    entity(rec, 10)["label"] = "CITY"
    bad = bad_file(tmp_path, rec)
    with pytest.raises(RecordError, match=r"1 annotation error\(s\); first: .*bad\.jsonl:2: error"):
        load_gold([bad])


# ----------------------------------------------------------------------------- CLI

runner = CliRunner()


def invoke(*args: str):
    from pipeline.cli import app

    return runner.invoke(app, ["annotations", *args])


def test_cli_validate_bad_file_exits_1_with_file_line(tmp_path: Path) -> None:
    rec = base()
    entity(rec, 10)["label"] = "CITY"
    path = bad_file(tmp_path, rec)
    res = invoke("validate", str(path))
    assert res.exit_code == 1, res.output
    assert f"{path}:2: error: doc 'doc-1', entity 10, field 'label': unknown label 'CITY'" in res.output
    assert "2 record(s), 1 error(s), 0 warning(s)" in res.output


def test_cli_validate_warnings_only_exits_0(tmp_path: Path) -> None:
    rec = base()
    del entity(rec, 10)["kb_id"]
    path = bad_file(tmp_path, rec)
    res = invoke("validate", str(path))
    assert res.exit_code == 0, res.output
    assert f"{path}:2: warning:" in res.output
    assert "0 error(s), 1 warning(s)" in res.output


def test_cli_validate_gold_exits_0() -> None:
    res = invoke("validate", str(GOLD))
    assert res.exit_code == 0, res.output
    assert " 0 error(s)" in res.output


def test_cli_stats_json_prints_totals(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "a.jsonl", [json.dumps(base("doc-1")), json.dumps(base("doc-2"))])
    res = invoke("stats", str(path), "--json")
    assert res.exit_code == 0, res.output
    st = json.loads(res.stdout)
    assert st["total"]["n_documents"] == 2
    assert st["total"]["n_entities"] == 20
    assert st["total"]["relations"] == {"ARMS_TRANSFER": 2, "ASYLUM": 2}
    assert set(st["documents"]) == {"doc-1", "doc-2"}


def test_cli_stats_table(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "a.jsonl", [json.dumps(base("doc-1"))])
    res = invoke("stats", str(path))
    assert res.exit_code == 0, res.output
    assert "TOTAL" in res.output and "doc-1" in res.output and "ARMS_TRANSFER" in res.output


def test_cli_empty_folder_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    res = invoke("validate", str(empty))
    assert res.exit_code == 1
    assert "no .jsonl annotation files found" in res.output
    assert "0 record(s), 1 error(s)" in res.output
    res = invoke("stats", str(empty), "--json")
    assert res.exit_code != 0
    assert isinstance(res.exception, RecordError) or "no .jsonl annotation files found" in res.output
