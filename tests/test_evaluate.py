"""Tests for pipeline.evaluate: tiny hand-built SCHEMA v1 records, hand-computed scores."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.evaluate import empty_prf, format_table, load_label_map, score

# Offsets:  Israel 0-6 | 300 Uzi guns 12-24 | Mexico 28-34 | 1973 38-42
TEXT = "Israel sold 300 Uzi guns to Mexico in 1973."


def span(text: str, sub: str, occurrence: int = 0) -> tuple[int, int]:
    """(start, end) of the ``occurrence``-th ``sub`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(sub, start + 1)
    return start, start + len(sub)


def ent(eid: int, label: str, se: tuple[int, int], kb: str | None = None) -> dict[str, Any]:
    return {"id": eid, "label": label, "start_offset": se[0], "end_offset": se[1], "kb_id": kb}


def rel(rid: int, head: int, tail: int, rtype: str = "ARMS_TRANSFER", **attrs: Any) -> dict[str, Any]:
    base = {"id": rid, "from_id": head, "to_id": tail, "type": rtype, "item": [], "date": None,
            "value": None, "quantity": None, "negated": False}
    return {**base, **attrs}


def doc(did: str, entities: list, relations: list | None = None, text: str = TEXT) -> dict[str, Any]:
    return {"id": did, "text": text, "entities": entities, "relations": relations or []}


def gold_doc(did: str = "d1") -> dict[str, Any]:
    """Israel --ARMS_TRANSFER(item=guns, date=1973, quantity=300)--> Mexico."""
    return doc(did, [
        ent(1, "STATE", span(TEXT, "Israel"), "ISR"),
        ent(2, "WEAPON", span(TEXT, "300 Uzi guns"), "Uzi"),
        ent(3, "STATE", span(TEXT, "Mexico"), "MEX"),
        ent(4, "DATE", span(TEXT, "1973")),
    ], [rel(1, 1, 3, item=[2], date=4, quantity=300)])


def prf(p: float, r: float, f: float, tp: int, fp: int, fn: int) -> dict[str, Any]:
    return {"p": p, "r": r, "f": f, "tp": tp, "fp": fp, "fn": fn}


PERFECT = prf(1.0, 1.0, 1.0, 1, 0, 0)


# --------------------------------------------------------------------------- shape / edges


def test_output_keys_and_json_serialisable() -> None:
    m = score([gold_doc()], [gold_doc()])
    assert set(m) == {"entities", "relations", "attributes", "n_documents", "warnings"}
    assert set(m["entities"]) == {"strict", "overlap", "per_label"}
    assert set(m["relations"]) == {"mention_strict", "mention_overlap", "fact", "per_type"}
    assert set(m["attributes"]) == {"negated", "quantity", "item", "date", "value"}
    json.dumps(m)


def test_empty_inputs() -> None:
    m = score([], [])
    assert m["entities"] == {"strict": empty_prf(), "overlap": empty_prf(), "per_label": {}}
    assert m["relations"]["per_type"] == {}
    assert m["relations"]["fact"] == empty_prf()
    assert m["attributes"]["negated"] == {"accuracy": 0.0, "n": 0}
    assert m["n_documents"] == 0 and m["warnings"] == []


def test_empty_prf() -> None:
    assert empty_prf() == prf(0.0, 0.0, 0.0, 0, 0, 0)


# --------------------------------------------------------------------------- entities


def test_perfect_prediction() -> None:
    m = score([gold_doc()], [gold_doc()])
    # 4 gold, 4 predicted, all exact: p = r = f = 4/4 = 1
    assert m["entities"]["strict"] == prf(1.0, 1.0, 1.0, 4, 0, 0)
    assert m["entities"]["overlap"] == prf(1.0, 1.0, 1.0, 4, 0, 0)
    assert m["entities"]["per_label"]["STATE"]["strict"] == prf(1.0, 1.0, 1.0, 2, 0, 0)
    assert set(m["entities"]["per_label"]) == {"STATE", "WEAPON", "DATE"}
    for level in ("mention_strict", "mention_overlap", "fact"):
        assert m["relations"][level] == PERFECT
    assert m["attributes"]["negated"] == {"accuracy": 1.0, "n": 1}
    assert m["attributes"]["quantity"] == {"accuracy": 1.0, "n": 1}
    assert m["attributes"]["item"] == PERFECT
    assert m["attributes"]["date"] == PERFECT
    # no value on either side: all zeros
    assert m["attributes"]["value"] == empty_prf()
    assert m["warnings"] == []


def test_empty_prediction() -> None:
    m = score([gold_doc()], [doc("d1", [])])
    # tp=0, fp=0, fn=4: p = 0.0 (nothing predicted), r = 0/4 = 0, f = 0
    assert m["entities"]["strict"] == prf(0.0, 0.0, 0.0, 0, 0, 4)
    assert m["entities"]["overlap"] == prf(0.0, 0.0, 0.0, 0, 0, 4)
    assert m["relations"]["mention_strict"] == prf(0.0, 0.0, 0.0, 0, 0, 1)
    assert m["relations"]["fact"] == prf(0.0, 0.0, 0.0, 0, 0, 1)
    assert m["attributes"]["negated"] == {"accuracy": 0.0, "n": 0}


def test_empty_gold() -> None:
    pred = doc("d1", [ent(1, "STATE", span(TEXT, "Israel")), ent(2, "STATE", span(TEXT, "Mexico"))],
               [rel(1, 1, 2)])
    m = score([doc("d1", [])], [pred])
    # tp=0, fp=2, fn=0: p = 0/2 = 0, r = 0.0 (no gold), f = 0
    assert m["entities"]["strict"] == prf(0.0, 0.0, 0.0, 0, 2, 0)
    assert m["entities"]["per_label"]["STATE"]["overlap"] == prf(0.0, 0.0, 0.0, 0, 2, 0)
    assert m["relations"]["mention_overlap"] == prf(0.0, 0.0, 0.0, 0, 1, 0)


def test_empty_first_document_is_handled() -> None:
    m = score([doc("d0", []), gold_doc()], [doc("d0", []), gold_doc()])
    assert m["entities"]["strict"] == prf(1.0, 1.0, 1.0, 4, 0, 0)
    assert m["n_documents"] == 2


def test_boundary_error_counts_in_overlap_not_strict() -> None:
    pred = gold_doc()
    pred["entities"][1] = ent(2, "WEAPON", span(TEXT, "Uzi guns"))  # gold: "300 Uzi guns"
    m = score([gold_doc()], [pred])
    # strict: 3 exact, the boundary error is fp and fn: tp=3 fp=1 fn=1 -> p = r = 3/4 = .75, f = .75
    assert m["entities"]["strict"] == prf(0.75, 0.75, 0.75, 3, 1, 1)
    # overlap: same label, spans overlap -> all 4 correct
    assert m["entities"]["overlap"] == prf(1.0, 1.0, 1.0, 4, 0, 0)
    assert m["entities"]["per_label"]["WEAPON"]["strict"] == prf(0.0, 0.0, 0.0, 0, 1, 1)
    assert m["entities"]["per_label"]["WEAPON"]["overlap"] == prf(1.0, 1.0, 1.0, 1, 0, 0)
    # item attribute matched by overlap: still tp=1
    assert m["attributes"]["item"] == PERFECT


def test_label_error() -> None:
    pred = gold_doc()
    pred["entities"][2] = ent(3, "ORG", span(TEXT, "Mexico"), "MEX")  # gold: STATE
    m = score([gold_doc()], [pred])
    # micro: 3 correct, 1 wrong label -> tp=3 fp=1 fn=1: p = r = f = .75 (strict and overlap)
    assert m["entities"]["strict"] == prf(0.75, 0.75, 0.75, 3, 1, 1)
    assert m["entities"]["overlap"] == prf(0.75, 0.75, 0.75, 3, 1, 1)
    # STATE: gold 2, pred 1 (Israel) -> tp=1 fp=0 fn=1: p=1, r=.5, f=2*.5/1.5=.6667
    assert m["entities"]["per_label"]["STATE"]["strict"] == prf(1.0, 0.5, 0.6667, 1, 0, 1)
    # ORG: only predicted -> tp=0 fp=1 fn=0
    assert m["entities"]["per_label"]["ORG"]["strict"] == prf(0.0, 0.0, 0.0, 0, 1, 0)
    # relation spans are unchanged, so relations still match (labels not required)
    assert m["relations"]["mention_strict"] == PERFECT


def test_same_span_two_labels_exact_one_still_counts() -> None:
    pred = gold_doc()
    pred["entities"].insert(0, ent(9, "ORG", span(TEXT, "Israel")))  # before the exact STATE one
    m = score([gold_doc()], [pred])
    # 4 exact matches + 1 spurious ORG: tp=4 fp=1 fn=0 -> p = 4/5 = .8, r = 1, f = 1.6/1.8 = .8889
    assert m["entities"]["strict"] == prf(0.8, 1.0, 0.8889, 4, 1, 0)


def test_duplicate_predictions_count_once() -> None:
    pred = gold_doc()
    pred["entities"].append(ent(5, "STATE", span(TEXT, "Israel"), "ISR"))  # same span+label as id 1
    pred["relations"].append(rel(2, 5, 3))  # same type, head span and tail span as relation 1
    pred["relations"].append(rel(3, 1, 3))  # exact duplicate
    m = score([gold_doc()], [pred])
    # after deduplication the prediction equals gold
    assert m["entities"]["strict"] == prf(1.0, 1.0, 1.0, 4, 0, 0)
    for level in ("mention_strict", "mention_overlap", "fact"):
        assert m["relations"][level] == PERFECT
    assert m["attributes"]["negated"]["n"] == 1


# --------------------------------------------------------------------------- label maps


def test_label_map_merges_two_labels() -> None:
    pred = gold_doc()
    pred["entities"][1] = ent(2, "SURVEILLANCE", span(TEXT, "300 Uzi guns"))
    unmapped = score([gold_doc()], [pred])
    # without the map the WEAPON/SURVEILLANCE confusion is a label error: tp=3 fp=1 fn=1
    assert unmapped["entities"]["strict"] == prf(0.75, 0.75, 0.75, 3, 1, 1)
    mapped = score([gold_doc()], [pred], {"WEAPON": "ITEM", "SURVEILLANCE": "ITEM"})
    assert mapped["entities"]["strict"] == prf(1.0, 1.0, 1.0, 4, 0, 0)
    assert set(mapped["entities"]["per_label"]) == {"STATE", "ITEM", "DATE"}
    assert mapped["entities"]["per_label"]["ITEM"]["strict"] == prf(1.0, 1.0, 1.0, 1, 0, 0)


def test_label_map_drops_label_and_its_relations() -> None:
    pred = gold_doc()
    pred["entities"][3] = ent(4, "DATE", span(TEXT, "in 1973"))  # boundary error on DATE
    m = score([gold_doc()], [pred], {"STATE": None})
    # STATE gone: WEAPON exact, DATE boundary error -> strict tp=1 fp=1 fn=1: p = r = f = .5
    assert m["entities"]["strict"] == prf(0.5, 0.5, 0.5, 1, 1, 1)
    assert set(m["entities"]["per_label"]) == {"WEAPON", "DATE"}
    # the only relation had STATE head and tail: dropped on both sides, silently
    assert m["relations"]["mention_strict"] == empty_prf()
    assert m["relations"]["fact"] == empty_prf()
    assert m["relations"]["per_type"] == {}
    assert m["warnings"] == []


def test_label_map_renames_and_drops_relation_types() -> None:
    renamed = score([gold_doc()], [gold_doc()], {"ARMS_TRANSFER": "TRANSFER"})
    assert set(renamed["relations"]["per_type"]) == {"TRANSFER"}
    dropped = score([gold_doc()], [gold_doc()], {"ARMS_TRANSFER": None})
    assert dropped["relations"]["mention_overlap"] == empty_prf()
    assert dropped["entities"]["strict"]["tp"] == 4  # entities untouched


def test_label_map_dropping_attribute_entities() -> None:
    m = score([gold_doc()], [gold_doc()], {"WEAPON": None})
    # relation kept, its item list is empty on both sides
    assert m["relations"]["mention_strict"] == PERFECT
    assert m["attributes"]["item"] == empty_prf()


def test_invalid_label_map_argument() -> None:
    with pytest.raises(ValueError, match="STATE"):
        score([gold_doc()], [gold_doc()], {"STATE": 3})  # type: ignore[dict-item]


def test_load_label_map(tmp_path: Path) -> None:
    good = tmp_path / "map.json"
    good.write_text(json.dumps({"WEAPON": "ITEM", "LOC": None}), encoding="utf-8")
    assert load_label_map(good) == {"WEAPON": "ITEM", "LOC": None}

    bad_value = tmp_path / "bad.json"
    bad_value.write_text(json.dumps({"WEAPON": ["ITEM"]}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.json.*'WEAPON'"):
        load_label_map(bad_value)

    not_object = tmp_path / "list.json"
    not_object.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValueError, match=r"list\.json"):
        load_label_map(not_object)

    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.json"):
        load_label_map(broken)


# --------------------------------------------------------------------------- relations

# "The Israeli government" 0-22, "Israeli government" 4-22, Mexico 36-42 / 69-75, Israel 44-50
# (occurrence 1: occurrence 0 is inside "Israeli"), arms 28-32 / 61-65
TEXT2 = "The Israeli government sold arms to Mexico. Israel also sold arms to Mexico."


def two_mention_gold() -> dict[str, Any]:
    """The same fact (ISR -> MEX) stated twice."""
    return doc("d2", [
        ent(1, "STATE", span(TEXT2, "Israeli government"), "ISR"),
        ent(2, "STATE", span(TEXT2, "Mexico"), "MEX"),
        ent(3, "STATE", span(TEXT2, "Israel", 1), "ISR"),
        ent(4, "STATE", span(TEXT2, "Mexico", 1), "MEX"),
    ], [rel(1, 1, 2), rel(2, 3, 4)], text=TEXT2)


def test_relations_strict_vs_overlap_vs_fact() -> None:
    pred = doc("d2", [
        ent(1, "STATE", span(TEXT2, "The Israeli government"), "Israeli government"),  # wider, own kb
        ent(2, "STATE", span(TEXT2, "Mexico"), "MEX"),
        ent(3, "STATE", span(TEXT2, "Israel", 1)),  # no kb_id
        ent(4, "STATE", span(TEXT2, "Mexico", 1), "MEX"),
    ], [rel(1, 1, 2), rel(2, 3, 4)], text=TEXT2)
    m = score([two_mention_gold()], [pred])
    # mention_strict: relation 1's head span differs (0-22 vs 4-22): tp=1 fp=1 fn=1 -> .5/.5/.5
    assert m["relations"]["mention_strict"] == prf(0.5, 0.5, 0.5, 1, 1, 1)
    # mention_overlap: heads overlap, tails exact -> tp=2
    assert m["relations"]["mention_overlap"] == prf(1.0, 1.0, 1.0, 2, 0, 0)
    # fact: gold {(AT, ISR, MEX)} (two mentions count once); the predicted heads overlap gold
    # mentions and take their kb ISR -> pred {(AT, ISR, MEX)}: tp=1 fp=0 fn=0
    assert m["relations"]["fact"] == prf(1.0, 1.0, 1.0, 1, 0, 0)
    assert m["relations"]["per_type"]["ARMS_TRANSFER"]["mention_strict"] == prf(0.5, 0.5, 0.5, 1, 1, 1)


def test_fact_falls_back_to_lowercased_text() -> None:
    gold = two_mention_gold()
    for e in gold["entities"]:
        e["kb_id"] = None  # gold kb -> "israeli government", "mexico", "israel", "mexico"
    pred = doc("d2", [
        ent(1, "STATE", span(TEXT2, "Israel", 1), "ISR"),  # overlaps gold "Israel" -> "israel"
        ent(2, "STATE", span(TEXT2, "Mexico", 1), "MEX"),  # -> "mexico"
        ent(3, "STATE", span(TEXT2, "arms")),  # overlaps no gold, no kb -> "arms"
    ], [rel(1, 1, 2), rel(2, 1, 3)], text=TEXT2)
    m = score([gold], [pred])
    # gold facts {(AT, israeli government, mexico), (AT, israel, mexico)}
    # pred facts {(AT, israel, mexico), (AT, israel, arms)}: tp=1 fp=1 fn=1 -> .5/.5/.5
    assert m["relations"]["fact"] == prf(0.5, 0.5, 0.5, 1, 1, 1)


def test_overlap_matching_is_one_to_one() -> None:
    pred = doc("d2", [
        ent(1, "STATE", span(TEXT2, "Israeli government"), "ISR"),
        ent(2, "STATE", span(TEXT2, "The Israeli government"), "ISR"),
        ent(3, "STATE", span(TEXT2, "Mexico"), "MEX"),
    ], [rel(1, 2, 3), rel(2, 1, 3)], text=TEXT2)
    gold = two_mention_gold()
    gold["relations"] = gold["relations"][:1]  # only Israeli government -> Mexico (1)
    m = score([gold], [pred])
    # both predictions overlap the one gold relation (head overlap 18 + tail 6 = 24 each);
    # it matches only one of them: tp=1 fp=1 fn=0 -> p=.5, r=1, f=2*.5/1.5=.6667
    assert m["relations"]["mention_overlap"] == prf(0.5, 1.0, 0.6667, 1, 1, 0)
    # strict: only rel 2 has the exact head span: tp=1 fp=1 fn=0
    assert m["relations"]["mention_strict"] == prf(0.5, 1.0, 0.6667, 1, 1, 0)


def test_per_type_keys() -> None:
    gold = doc("d1", [
        ent(1, "STATE", span(TEXT, "Israel"), "ISR"),
        ent(3, "STATE", span(TEXT, "Mexico"), "MEX"),
    ], [rel(1, 1, 3, "ARMS_TRANSFER"), rel(2, 1, 3, "TRAINING")])
    pred = copy.deepcopy(gold)
    pred["relations"] = [rel(1, 1, 3, "ARMS_TRANSFER"), rel(2, 1, 3, "RECOGNITION")]
    m = score([gold], [pred])
    per_type = m["relations"]["per_type"]
    assert set(per_type) == {"ARMS_TRANSFER", "TRAINING", "RECOGNITION"}
    for by_level in per_type.values():
        assert set(by_level) == {"mention_strict", "mention_overlap", "fact"}
    assert per_type["ARMS_TRANSFER"]["fact"] == PERFECT
    assert per_type["TRAINING"]["mention_strict"] == prf(0.0, 0.0, 0.0, 0, 0, 1)
    assert per_type["RECOGNITION"]["mention_overlap"] == prf(0.0, 0.0, 0.0, 0, 1, 0)
    # micro: tp=1 fp=1 fn=1 -> .5/.5/.5
    assert m["relations"]["mention_strict"] == prf(0.5, 0.5, 0.5, 1, 1, 1)


# --------------------------------------------------------------------------- attributes

# Israel 0-6 / 36-42, "300 Uzi guns" 12-24, Mexico 28-34, "five Arava planes" 59-76,
# Bolivia 80-87, "two radars" 92-102
TEXT3 = ("Israel sold 300 Uzi guns to Mexico. Israel refused to sell five Arava planes to "
         "Bolivia and two radars.")


def attr_gold() -> dict[str, Any]:
    return doc("d3", [
        ent(1, "STATE", span(TEXT3, "Israel"), "ISR"),
        ent(2, "WEAPON", span(TEXT3, "300 Uzi guns")),
        ent(3, "STATE", span(TEXT3, "Mexico"), "MEX"),
        ent(4, "STATE", span(TEXT3, "Israel", 1), "ISR"),
        ent(5, "WEAPON", span(TEXT3, "five Arava planes")),
        ent(6, "STATE", span(TEXT3, "Bolivia"), "BOL"),
    ], [rel(1, 1, 3, item=[2], quantity=300, negated=False),
        rel(2, 4, 6, item=[5], quantity=None, negated=True)], text=TEXT3)


def test_attribute_scores() -> None:
    pred = doc("d3", [
        ent(1, "STATE", span(TEXT3, "Israel"), "ISR"),
        ent(2, "WEAPON", span(TEXT3, "Uzi guns")),  # overlaps gold item "300 Uzi guns"
        ent(7, "SURVEILLANCE", span(TEXT3, "two radars")),  # overlaps no gold item
        ent(3, "STATE", span(TEXT3, "Mexico"), "MEX"),
        ent(4, "STATE", span(TEXT3, "Israel", 1), "ISR"),
        ent(6, "STATE", span(TEXT3, "Bolivia"), "BOL"),
    ], [rel(1, 1, 3, item=[2, 7], quantity=300, negated=False),
        rel(2, 4, 6, item=[], quantity=5, negated=False),
        rel(3, 1, 6, negated=True)],  # spurious: not matched, ignored by attributes
        text=TEXT3)
    m = score([attr_gold()], [pred])
    attrs = m["attributes"]
    # matched pairs: (1,1) and (2,2); negated equal in 1 of 2 -> accuracy .5, n=2
    assert attrs["negated"] == {"accuracy": 0.5, "n": 2}
    # gold quantity not null only on pair 1 (300 == 300) -> 1/1
    assert attrs["quantity"] == {"accuracy": 1.0, "n": 1}
    # item: pair 1 gold {guns} pred {guns, radars} -> tp=1 fp=1; pair 2 gold {planes} pred {} -> fn=1
    # tp=1 fp=1 fn=1 -> p = r = f = .5
    assert attrs["item"] == prf(0.5, 0.5, 0.5, 1, 1, 1)
    assert attrs["date"] == empty_prf()
    assert m["relations"]["mention_overlap"] == prf(0.6667, 1.0, 0.8, 2, 1, 0)  # 2/3, 2/2, 2*(2/3)/(5/3)


# --------------------------------------------------------------------------- documents


def test_doc_missing_from_predictions() -> None:
    m = score([gold_doc("a"), gold_doc("b")], [gold_doc("a"), gold_doc("c")])
    # doc a: tp=4; doc b (no prediction): fn=4; doc c (no gold): ignored
    # tp=4 fp=0 fn=4 -> p=1, r=.5, f=2*.5/1.5=.6667
    assert m["entities"]["strict"] == prf(1.0, 0.5, 0.6667, 4, 0, 4)
    # relations: tp=1 (a) fn=1 (b)
    assert m["relations"]["fact"] == prf(1.0, 0.5, 0.6667, 1, 0, 1)
    assert m["n_documents"] == 2
    assert any("'b'" in w for w in m["warnings"])
    assert any("'c'" in w for w in m["warnings"])


def test_unknown_entity_reference_is_warned() -> None:
    pred = gold_doc()
    pred["relations"].append(rel(2, 1, 99))
    m = score([gold_doc()], [pred])
    assert m["relations"]["mention_strict"] == PERFECT
    assert any("99" in w for w in m["warnings"])


def test_format_table_contains_labels() -> None:
    pred = gold_doc()
    pred["entities"][2] = ent(3, "ORG", span(TEXT, "Mexico"), "MEX")
    out = format_table(score([gold_doc()], [pred]))
    assert isinstance(out, str)
    for name in ("STATE", "ORG", "WEAPON", "DATE", "micro", "strict", "overlap",
                 "ARMS_TRANSFER", "mention_strict", "mention_overlap", "fact",
                 "negated", "quantity", "item"):
        assert name in out
    assert "\x1b[" not in out  # plain text, no ANSI escapes


# --------------------------------------------------------------------------- properties

_spans = st.tuples(st.integers(0, 40), st.integers(1, 20)).map(lambda t: (t[0], t[0] + t[1]))
_ents = st.lists(st.tuples(_spans, st.sampled_from(["STATE", "ORG", "WEAPON"])), max_size=8)


@settings(max_examples=60, deadline=None)
@given(_ents)
def test_self_score_is_perfect(entities: list) -> None:
    text = "x" * 80
    record = doc("p", [ent(i, label, se) for i, (se, label) in enumerate(entities)],
                 [rel(1, 0, i) for i in range(1, len(entities))], text=text)
    m = score([record], [copy.deepcopy(record)])
    n_unique = len({(se, label) for se, label in entities})
    for mode in ("strict", "overlap"):
        assert m["entities"][mode]["tp"] == n_unique
        assert m["entities"][mode]["fp"] == m["entities"][mode]["fn"] == 0
    assert m["relations"]["mention_strict"]["fp"] == m["relations"]["mention_strict"]["fn"] == 0
    assert m["relations"]["mention_overlap"]["fp"] == m["relations"]["mention_overlap"]["fn"] == 0
