"""Tests for pipeline.markup: inline [[...]] markup, .rels files, convert() and agreement()."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline.annotations import validate_record
from pipeline.markup import (
    MarkupProblem,
    agreement,
    convert,
    first_divergence,
    parse_markup,
    parse_relations,
)
from pipeline.schema import ENTITY_LABELS

ORIGINAL = (
    "Israel sold 300 Uzi guns to Mexico in 1973.\n"
    "Mexico’s army bought Pegasus for $32 million.\n"
    "\n"
    "Tomás Zerón fled to Israel."
)
MARKUP = (
    "[[Israel|STATE|ISR|isr]] sold [[300 Uzi guns|WEAPON|Uzi|uzi]] to [[Mexico|STATE|MEX|mex]] in "
    "[[1973|DATE|1973|d73]].\n"
    "[[Mexico’s army|ORG|Mexican Army|army]] bought [[Pegasus|SURVEILLANCE|Pegasus|peg]] for "
    "[[$32 million|MONEY|$32 million|m32]].\n"
    "\n"
    "[[Tomás Zerón|PERSON|Tomás Zerón|tz]] fled to [[Israel|STATE|ISR|isr2]]."
)
SURFACES = ["Israel", "300 Uzi guns", "Mexico", "1973", "Mexico’s army", "Pegasus", "$32 million",
            "Tomás Zerón", "Israel"]


def messages(problems: list[MarkupProblem]) -> list[str]:
    return [p.message for p in problems]


def one(problems: list[MarkupProblem], substring: str, line: int | None = None) -> MarkupProblem:
    """The single problem; it must contain ``substring`` (and be on ``line`` when given)."""
    assert len(problems) == 1, messages(problems)
    p = problems[0]
    assert substring in p.message, p.message
    if line is not None:
        assert p.line == line
    assert p.severity == "error"
    return p


# ----------------------------------------------------------------------------- parse_markup


def test_parse_markup_offsets_labels_kb_and_tags() -> None:
    pm = parse_markup(MARKUP, "doc.ann")
    assert pm.problems == []
    assert pm.text == ORIGINAL
    assert [pm.text[e["start_offset"]:e["end_offset"]] for e in pm.entities] == SURFACES
    assert [e["id"] for e in pm.entities] == list(range(1, 10))
    assert [e["label"] for e in pm.entities] == ["STATE", "WEAPON", "STATE", "DATE", "ORG", "SURVEILLANCE",
                                                 "MONEY", "PERSON", "STATE"]
    assert pm.entities[7]["kb_id"] == "Tomás Zerón" and pm.entities[4]["kb_id"] == "Mexican Army"
    assert pm.entities[0] == {"id": 1, "label": "STATE", "start_offset": 0, "end_offset": 6, "kb_id": "ISR"}
    assert pm.entities[8]["start_offset"] == ORIGINAL.rindex("Israel")
    assert pm.tags == {"isr": 1, "uzi": 2, "mex": 3, "d73": 4, "army": 5, "peg": 6, "m32": 7, "tz": 8, "isr2": 9}


def test_parse_markup_mention_across_a_line_break_and_without_tag() -> None:
    pm = parse_markup("home to [[the\nZapatistas|ARMED_GROUP|EZLN]] and [[Gaza|LOC|Gaza]]")
    assert pm.problems == [] and pm.tags == {}
    assert pm.text == "home to the\nZapatistas and Gaza"
    assert [pm.text[e["start_offset"]:e["end_offset"]] for e in pm.entities] == ["the\nZapatistas", "Gaza"]


def test_parse_markup_surface_may_start_with_a_bracket() -> None:
    # corpus convention (annotations/markup/002...): the first '[[' opens the mention
    pm = parse_markup("within the [[[Mexican] Army|ORG|Mexican Armed Forces]] believed")
    assert pm.problems == []
    assert pm.text == "within the [Mexican] Army believed"
    e = pm.entities[0]
    assert pm.text[e["start_offset"]:e["end_offset"]] == "[Mexican] Army"


def test_stray_closing_brackets() -> None:
    pm = parse_markup("one\ntwo ]] three [[Israel|STATE|ISR]]")
    one(pm.problems, "stray ']]' with no opening '[['", line=2)
    assert pm.text == "one\ntwo ]] three Israel"
    # after the last mention (the other code path)
    pm = parse_markup("[[Israel|STATE|ISR]] a\nb\nc ]]")
    one(pm.problems, "stray ']]'", line=3)


def test_unclosed_opening_brackets() -> None:
    pm = parse_markup("[[Israel|STATE|ISR]] sold\n[[arms|WEAPON|arms to Mexico.")
    one(pm.problems, "'[[' never closed", line=2)
    assert len(pm.entities) == 1


def test_nested_mention() -> None:
    pm = parse_markup("the [[Mexican [[army|ORG|army]]|ORG|Mexican Army]]")
    assert any("nested '[[' inside a mention (spans are flat)" in m for m in messages(pm.problems))
    assert all(p.line == 1 for p in pm.problems)


@pytest.mark.parametrize("body", ["Israel|STATE", "Israel", "Israel|STATE|ISR|t|extra"])
def test_bad_field_count(body: str) -> None:
    pm = parse_markup(f"x\n[[{body}]] sold")
    one(pm.problems, "mention must be [[text|LABEL|kb_id]] or [[text|LABEL|kb_id|tag]]", line=2)
    assert pm.entities == []
    assert pm.text == "x\nIsrael sold"  # the surface is kept so later offsets stay right


def test_unknown_label() -> None:
    pm = parse_markup("[[Iguala|CITY|Iguala]]")
    one(pm.problems, "unknown label 'CITY' on 'Iguala'", line=1)


@pytest.mark.parametrize("kb", ["Israel", "isr", "IS", "ISRL", "IS1"])
def test_state_kb_not_iso(kb: str) -> None:
    pm = parse_markup(f"[[Israel|STATE|{kb}]]")
    one(pm.problems, f"STATE kb_id must be ISO 3166-1 alpha-3, got {kb!r} on 'Israel'", line=1)


def test_missing_kb_id() -> None:
    one(parse_markup("[[Iguala|LOC|]]").problems, "missing kb_id on 'Iguala'")


@pytest.mark.parametrize("surface", [" Israel", "Israel ", "Israel\n", ""])
def test_padded_or_empty_surface(surface: str) -> None:
    pm = parse_markup(f"[[{surface}|STATE|ISR]]")
    one(pm.problems, "is empty or padded with whitespace")


def test_bad_and_repeated_tags() -> None:
    one(parse_markup("[[Israel|STATE|ISR|is-1]]").problems, "bad tag 'is-1'")
    pm = parse_markup("[[Israel|STATE|ISR|t]] and\n[[Mexico|STATE|MEX|t]]")
    one(pm.problems, "tag 't' used twice", line=2)
    assert pm.tags == {"t": 1}


def test_first_divergence() -> None:
    assert first_divergence("abc", "abc") is None
    assert first_divergence("abc", "abd") == 2
    assert first_divergence("ab", "abc") == 2
    assert first_divergence("", "") is None


# ----------------------------------------------------------------------------- convert


def write(tmp_path: Path, original: str, markup: str, rels: str | None = None) -> tuple[Path, Path]:
    o = tmp_path / "doc-x.txt"
    m = tmp_path / "doc-x.A.ann"
    o.write_text(original, encoding="utf-8")
    m.write_text(markup, encoding="utf-8")
    if rels is not None:
        (tmp_path / "doc-x.A.rels").write_text(rels, encoding="utf-8")
    return o, m


RELS = (
    "# comment line\n"
    "ARMS_TRANSFER isr mex item=uzi date=d73 quantity=300  # Israel sold 300 Uzi guns\n"
    "\n"
    "ASYLUM isr2 tz\n"
)


def test_convert_clean_document_gives_a_valid_record(tmp_path: Path) -> None:
    o, m = write(tmp_path, ORIGINAL, MARKUP, RELS)
    rec, problems = convert(o, m)
    assert problems == []
    assert rec is not None
    assert rec["id"] == "doc-x" and rec["text"] == ORIGINAL
    assert rec["relations"] == [
        {"id": 1, "from_id": 1, "to_id": 3, "type": "ARMS_TRANSFER", "item": [2], "date": 4, "value": None,
         "quantity": 300, "negated": False},
        {"id": 2, "from_id": 9, "to_id": 8, "type": "ASYLUM", "item": [], "date": None, "value": None,
         "quantity": None, "negated": False},
    ]
    assert validate_record(rec, "x", 1) == []


def test_convert_detects_one_character_divergence(tmp_path: Path) -> None:
    # the annotator's copy has a straight apostrophe where the original has ’ (line 2)
    o, m = write(tmp_path, ORIGINAL, MARKUP.replace("Mexico’s", "Mexico's"))
    rec, problems = convert(o, m)
    assert rec is None
    k = ORIGINAL.index("’")
    p = one(problems, f"stripped text differs from {o} at char {k}", line=2)
    assert p.file == str(m)
    assert "Mexico's army" in p.message and "Mexico’s army" in p.message


def test_convert_detects_truncated_markup(tmp_path: Path) -> None:
    o, m = write(tmp_path, ORIGINAL, MARKUP[:-1])  # final "." dropped
    rec, problems = convert(o, m)
    assert rec is None
    one(problems, f"at char {len(ORIGINAL) - 1}", line=4)


def test_convert_warns_on_relation_across_paragraph_break(tmp_path: Path) -> None:
    o, m = write(tmp_path, ORIGINAL, MARKUP, "ASYLUM isr tz\n")  # Israel (par. 1) -> Zerón (par. 2)
    rec, problems = convert(o, m)
    assert rec is not None  # a warning does not block conversion
    assert len(problems) == 1 and problems[0].severity == "warning"
    assert "spans a paragraph break" in problems[0].message


# ----------------------------------------------------------------------------- parse_relations


@pytest.fixture(scope="module")
def pm():
    parsed = parse_markup(MARKUP)
    assert parsed.problems == []
    return parsed


def rels(pm: Any, text: str) -> tuple[list[dict[str, Any]], list[MarkupProblem]]:
    return parse_relations(text, pm.tags, pm.entities, "doc.rels")


def test_relation_unknown_tag(pm: Any) -> None:
    out, problems = rels(pm, "# header\nARMS_TRANSFER isr nowhere item=uzi\n")
    one(problems, "tail tag 'nowhere' not defined in markup", line=2)
    assert out == []
    _, problems = rels(pm, "ARMS_TRANSFER isr mex item=ghost\n")
    one(problems, "item tag 'ghost' not defined in markup", line=1)


def test_relation_unknown_type_and_short_line(pm: Any) -> None:
    one(rels(pm, "SELLS isr mex\n")[1], "unknown relation type 'SELLS'", line=1)
    one(rels(pm, "\nARMS_TRANSFER isr\n")[1], "need TYPE HEAD TAIL", line=2)


def test_relation_wrong_head_label(pm: Any) -> None:
    out, problems = rels(pm, "ASYLUM tz isr\n")  # PERSON as host
    assert len(problems) == 2  # PERSON is a bad head and STATE a bad tail for ASYLUM
    assert "ASYLUM head tz is PERSON, allowed ['STATE']" in problems[0].message
    _, problems = rels(pm, "ARMS_TRANSFER d73 mex\n")
    one(problems, "ARMS_TRANSFER head d73 is DATE, allowed", line=1)


def test_relation_wrong_tail_label(pm: Any) -> None:
    _, problems = rels(pm, "EXTRADITION_REQUEST mex isr\n")
    one(problems, "EXTRADITION_REQUEST tail isr is STATE, allowed ['PERSON']", line=1)


def test_relation_item_label_check(pm: Any) -> None:
    _, problems = rels(pm, "ARMS_TRANSFER isr mex item=uzi,m32\n")
    one(problems, "item m32 is MONEY, must be ['SURVEILLANCE', 'WEAPON']", line=1)
    out, problems = rels(pm, "ARMS_TRANSFER isr mex item=uzi,peg value=m32 date=d73\n")
    assert problems == []
    assert (out[0]["item"], out[0]["value"], out[0]["date"]) == ([2, 6], 7, 4)
    one(rels(pm, "ARMS_TRANSFER isr mex date=m32\n")[1], "date m32 is MONEY, must be ['DATE']")
    one(rels(pm, "ARMS_TRANSFER isr mex value=m32,m32\n")[1], "value takes one entity, got 2")


@pytest.mark.parametrize("q", ["five", "-1", "3.5", "²", ""])
def test_relation_quantity_non_integer(pm: Any, q: str) -> None:
    out, problems = rels(pm, f"ARMS_TRANSFER isr mex quantity={q}\n")
    one(problems, f"quantity must be an integer, got {q!r}", line=1)
    assert out[0]["quantity"] is None


def test_relation_options_negated_and_unknown(pm: Any) -> None:
    out, problems = rels(pm, "ARMS_TRANSFER isr mex quantity=300 negated\n")
    assert problems == [] and out[0]["negated"] is True and out[0]["quantity"] == 300
    one(rels(pm, "ARMS_TRANSFER isr mex colour=red\n")[1], "unknown option 'colour=red'")


def test_duplicate_relation(pm: Any) -> None:
    out, problems = rels(pm, "ARMS_TRANSFER isr mex\nTRAINING isr mex\nARMS_TRANSFER isr mex item=uzi\n")
    one(problems, "duplicate relation ARMS_TRANSFER isr mex", line=3)
    assert [r["id"] for r in out] == [1, 2, 3]


# ----------------------------------------------------------------------------- agreement

# "Israel sold 300 Uzi guns to Mexico in 1973."
#  Israel 0-6 | 300 Uzi guns 12-24 | Uzi guns 16-24 | Mexico 28-34 | 1973 38-42
AG_TEXT = "Israel sold 300 Uzi guns to Mexico in 1973."


def test_agreement_hand_computed() -> None:
    a = {"id": "d", "text": AG_TEXT,
         "entities": [
             {"id": 1, "label": "STATE", "start_offset": 0, "end_offset": 6},
             {"id": 2, "label": "WEAPON", "start_offset": 12, "end_offset": 24},
             {"id": 3, "label": "STATE", "start_offset": 28, "end_offset": 34},
             {"id": 4, "label": "DATE", "start_offset": 38, "end_offset": 42}],
         "relations": [
             {"id": 1, "from_id": 1, "to_id": 3, "type": "ARMS_TRANSFER"},
             {"id": 2, "from_id": 1, "to_id": 3, "type": "TRAINING"}]}
    # B numbers its entities differently (matching is by span + label, never by id),
    # shortens the weapon span and mislabels the date.
    b = {"id": "d", "text": AG_TEXT,
         "entities": [
             {"id": 10, "label": "STATE", "start_offset": 28, "end_offset": 34},
             {"id": 20, "label": "STATE", "start_offset": 0, "end_offset": 6},
             {"id": 30, "label": "WEAPON", "start_offset": 16, "end_offset": 24},
             {"id": 40, "label": "MONEY", "start_offset": 38, "end_offset": 42}],
         "relations": [
             {"id": 1, "from_id": 20, "to_id": 10, "type": "ARMS_TRANSFER"}]}
    r = agreement(a, b)
    # entities: A = 4, B = 4, common = {Israel STATE 0-6, Mexico STATE 28-34} = 2
    #   F1 = 2 * 2 / (4 + 4) = 4 / 8 = 0.5
    assert r["entity_f1"] == pytest.approx(0.5)
    # relations: A = {AT Israel->Mexico, TRAINING Israel->Mexico} = 2, B = {AT Israel->Mexico} = 1,
    #   common = 1 -> F1 = 2 * 1 / (2 + 1) = 2 / 3
    assert r["relation_f1"] == pytest.approx(2 / 3)
    assert (r["entities_a"], r["entities_b"], r["relations_a"], r["relations_b"]) == (4, 4, 2, 1)
    # symmetric
    r2 = agreement(b, a)
    assert (r2["entity_f1"], r2["relation_f1"]) == (r["entity_f1"], r["relation_f1"])
    # direction matters for relations: reversing B's head/tail loses the only match
    #   common = 0 -> F1 = 0 / 3 = 0.0
    b["relations"][0].update(from_id=10, to_id=20)
    assert agreement(a, b)["relation_f1"] == 0.0
    # identical records agree perfectly; two empty records count as full agreement
    assert agreement(a, a)["entity_f1"] == 1.0 and agreement(a, a)["relation_f1"] == 1.0
    empty = {"id": "e", "text": "", "entities": [], "relations": []}
    assert agreement(empty, empty)["entity_f1"] == 1.0 and agreement(empty, empty)["relation_f1"] == 1.0


# ----------------------------------------------------------------------------- property

# Plain text may hold single '[' / ']' but never the markup's own '[[', ']]' or '|'.
PLAIN = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="|"),
                max_size=60).filter(lambda t: "[[" not in t and "]]" not in t)


@st.composite
def text_and_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    text = draw(PLAIN)
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=12))))
    spans = []
    for s, e in zip(cuts[::2], cuts[1::2]):  # consecutive pairs: disjoint, possibly adjacent
        if s < e:
            spans.append((s, e, draw(st.sampled_from(ENTITY_LABELS))))
    return text, spans


def wrap(text: str, spans: list[tuple[int, int, str]]) -> str:
    out, pos = [], 0
    for k, (s, e, label) in enumerate(spans):
        out.append(text[pos:s])
        out.append(f"[[{text[s:e]}|{label}|ABC|t{k}]]")
        pos = e
    out.append(text[pos:])
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(text_and_spans())
def test_wrapping_then_parsing_round_trips(case: tuple[str, list[tuple[int, int, str]]]) -> None:
    text, spans = case
    # A plain '[' right before an opener makes '[[[', which by convention opens the mention
    # one character early (a surface may start with '['); that markup is ambiguous by design.
    ends = {e for _, e, _ in spans}
    assume(not any(s > 0 and text[s - 1] == "[" and s not in ends for s, _, _ in spans))
    pm = parse_markup(wrap(text, spans))
    assert pm.text == text
    assert [(e["start_offset"], e["end_offset"], e["label"]) for e in pm.entities] == spans
    assert all(pm.text[e["start_offset"]:e["end_offset"]] == text[s:t]
               for e, (s, t, _) in zip(pm.entities, spans))
    assert pm.tags == {f"t{k}": k + 1 for k in range(len(spans))}
    # the only complaint possible here is a surface that starts or ends with whitespace
    padded = sum(text[s:e] != text[s:e].strip() for s, e, _ in spans)
    assert len(pm.problems) == padded
    assert all("padded with whitespace" in p.message for p in pm.problems)


def test_markup_diff_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m pipeline.markup_diff TEXT A B`` prints one row per disagreement; ``--help`` works."""
    from pipeline.markup_diff import main

    text = "Ruritania sold rifles to Freedonia in 1999."
    (tmp_path / "d.txt").write_text(text, encoding="utf-8")
    (tmp_path / "d.A.ann").write_text("[[Ruritania|STATE|RUR|h]] sold [[rifles|WEAPON|rifles|w]] to "
                                      "[[Freedonia|STATE|FRE|t]] in [[1999|DATE|1999]].", encoding="utf-8")
    (tmp_path / "d.A.rels").write_text("ARMS_TRANSFER h t item=w\n", encoding="utf-8")
    (tmp_path / "d.B.ann").write_text("[[Ruritania|STATE|RUR|h]] sold rifles to [[Freedonia|STATE|FRE|t]] in 1999.",
                                      encoding="utf-8")
    (tmp_path / "d.B.rels").write_text("ARMS_TRANSFER h t\n", encoding="utf-8")
    assert main([str(tmp_path / "d.txt"), str(tmp_path / "d.A.ann"), str(tmp_path / "d.B.ann")]) == 0
    out = capsys.readouterr().out
    assert "A only  WEAPON" in out and "A only  DATE" in out
    assert "item count A=1 B=0" in out
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
