"""Stage ``descriptions``: definite descriptions of an armed group already named in the document.

SCHEMA.md admits "a specific definite description of a unique organisation" as a mention ("the
army" for the Bolivian army). Crime reporting refers back to a named group the same way: "the
Valle Valle clan ... the two brothers who lead the drug trafficking clan", "Mario Urbina, the
organization's accountant". The NER learns the frequent "the group" but not the rarer heads, and
the AFFILIATION facts of such sentences hang on them. This stage adds those descriptions as
ARMED_GROUP mentions on tokens no other entity holds; the linker then ties each to the last named
group before it.

A description is taken when the document has named an ARMED_GROUP before it and either its head
names a criminal organisation by itself ("clan", "cartel"), a modifier says it is one ("the drug
trafficking operation"), or the nearest organisation mentioned before it is an armed group ("the
organization" after "Los Urabenos", not after "the UN"). Plurals ("the cartels") are generic.
"""

from __future__ import annotations

from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

# labels that an organisation-like description can refer back to
_ORG_LABELS = ("ORG", "COMPANY", "ARMED_GROUP", "STATE")
# "the paramilitary mafia known as the Urabenos" names the group instead of referring back to it
_NAMING_VERBS = ("know", "call", "name", "dub")
# what may stand between the determiner and the head: "the vaunted family-based drug trafficking clan"
_MODIFIER_DEPS = ("amod", "compound", "nmod", "npadvmod", "advmod", "punct", "hyph")


@Language.factory(
    "secrel_descriptions",
    requires=["doc.ents", "token.dep", "token.tag"],
    assigns=["doc.ents"],
    default_config={"heads": [], "criminal_heads": [], "criminal_modifiers": [], "determiners": ["the"]},
)
def make_descriptions(nlp: Language, name: str, heads: list[str], criminal_heads: list[str],
                      criminal_modifiers: list[str], determiners: list[str]) -> "GroupDescriptions":
    return GroupDescriptions(heads, criminal_heads, criminal_modifiers, determiners)


class GroupDescriptions:
    """Add ARMED_GROUP mentions for definite descriptions of a group named earlier in the doc."""

    def __init__(self, heads: Iterable[str], criminal_heads: Iterable[str] = (),
                 criminal_modifiers: Iterable[str] = (), determiners: Iterable[str] = ("the",)) -> None:
        self.criminal_heads = frozenset(w.lower() for w in criminal_heads)
        self.heads = frozenset(w.lower() for w in heads) | self.criminal_heads
        self.criminal_modifiers = frozenset(w.lower() for w in criminal_modifiers)
        self.determiners = frozenset(w.lower() for w in determiners)

    def _span(self, head: Token) -> Span | None:
        """The description headed by ``head``: determiner, lower-case modifiers and the head."""
        doc = head.doc
        if head.tag_ != "NN" or not head.is_lower or head.lower_ not in self.heads:
            return None
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in head.rights):
            return None  # "the organization of American States", "the network of ports": a name or a kind
        if head.dep_ in ("attr", "oprd", "appos") or any(
                c.dep_ == "appos" or (c.dep_ == "acl" and c.lemma_ in _NAMING_VERBS) for c in head.rights):
            # a predicate or an apposition describes a group, it does not refer back to one: "became
            # the most powerful criminal group", "the paramilitary mafia known as the Urabenos"
            return None
        dets = [c for c in head.lefts if c.dep_ == "det"]
        poss = [c for c in head.lefts if c.dep_ == "poss"]
        if poss or len(dets) != 1 or dets[0].lower_ not in self.determiners:
            return None
        k = head.i - 1
        while k > dets[0].i and doc[k].is_lower and doc[k].dep_ in _MODIFIER_DEPS:
            k -= 1
        if any(t.tag_ in ("JJS", "RBS") for t in doc[dets[0].i + 1:head.i]):
            return None  # a superlative ranks groups: "the largest criminal organization"
        if k != dets[0].i:
            return None  # something other than modifiers stands between the determiner and the head
        # "the" belongs to the span (GUIDELINES §1); "this" and "that" do not
        start = dets[0].i if dets[0].lower_ == "the" else dets[0].i + 1
        return Span(doc, start, head.i + 1, label="ARMED_GROUP")

    def _refers_to_group(self, span: Span, before: list[Span]) -> bool:
        words = {t.lower_ for t in span[:-1]} | {w for t in span[:-1] for w in t.lower_.split("-")}
        if span[-1].lower_ in self.criminal_heads or words & self.criminal_modifiers:
            return True
        nearest = [e for e in before if e.label_ in _ORG_LABELS]
        return bool(nearest) and nearest[-1].label_ == "ARMED_GROUP"

    def find(self, doc: Doc) -> list[Span]:
        """The descriptions to add (pure: does not modify the doc)."""
        ents = list(doc.ents)
        taken = [False] * len(doc)
        for e in ents:
            for i in range(e.start, e.end):
                taken[i] = True
        out: list[Span] = []
        for tok in doc:
            span = self._span(tok)
            if span is None or any(taken[span.start:span.end]):
                continue
            before = [e for e in ents if e.end <= span.start]
            if not any(e.label_ == "ARMED_GROUP" for e in before) or not self._refers_to_group(span, before):
                continue
            out.append(span)
            for i in range(span.start, span.end):
                taken[i] = True
        return out

    def __call__(self, doc: Doc) -> Doc:
        found = self.find(doc)
        if found:
            doc.ents = sorted(list(doc.ents) + found, key=lambda s: s.start)
        return doc
