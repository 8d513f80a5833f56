"""Span rules of the entity merge that need no merger setting: pure functions of a span (or of the
chosen spans) and its parse.

``EntityMerger`` (``pipeline/entities.py``) decides when each applies; keeping them here keeps the
merger class to its configuration and the order of its rules, and lets each rule be read alone.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from .normalise import exact_state, resolve_state, state_metonym, subnational_place
from .patterns import POSSESSED

# a place named as where something happens, not as an actor
LOCATIVE_PREPS = frozenset({"in", "at", "near", "outside", "around", "across", "throughout", "inside", "within"})


def located_capital(span: Span) -> bool:
    """A capital named as the place where something happens ("arrested in Buenos Aires")."""
    root = span.root
    return state_metonym(span.text) and root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_PREPS


def headline_fit(span: Span, heads: list[Span]) -> Span | None:
    """A NER guess inside a headline, checked against the headline's lower-cased re-parse: a
    country name followed by common nouns is that STATE; a PERSON made of verbs and function
    words is none."""
    if not any(h.start <= span.start and span.end <= h.end for h in heads):
        return span
    doc = span.doc
    for k in range(min(span.end - 1, span.start + 3), span.start, -1):
        code = exact_state(doc[span.start:k].text)
        if code and all(t.pos_ in ("NOUN", "VERB", "ADJ", "ADV") for t in doc[k:span.end]):
            return Span(doc, span.start, k, label="STATE", kb_id=code)
    if span.label_ == "PERSON" and not any(t.pos_ in ("PROPN", "NOUN") for t in span):
        # "New President to Push for ...": "push" is a verb. Nouns stay: lower-casing makes
        # unknown surnames common nouns ("Cora Currier and Jesse Franzblau / The Intercept")
        return None
    return span


def fit_rule_span(doc: Doc, span: Span) -> Span | None:
    """Apply the span rules of GUIDELINES §3.1 to a government-phrase match."""
    if span.label_ == "_BLOCK":
        return span
    if any(t.dep_ in ("compound", "amod", "nmod") and t.head.i >= span.end for t in (span.root, span[-1])):
        return None  # used as a modifier: "government officials", "Israeli military equipment"
    if span.label_ == "ORG" and span.id_ == POSSESSED:
        k = next(i for i, t in enumerate(span) if t.lower_ in ("’s", "'s"))
        owner = span[:k].text
        if owner.lower() not in ("country", "nation") and not exact_state(owner) and not subnational_place(owner):
            return None  # "the Attorney General's office" is a name, not a country's office
        return Span(doc, span.start + k + 1, span.end, label="ORG")  # the owner is its own mention
    if span.label_ == "ORG":
        return span
    words = [t.lower_ for t in span]
    named = [t for t in span if t.pos_ == "PROPN" or resolve_state(t.text)]
    if not named and words[0] != "the" and (span.root.tag_ == "NNS" or (
            span.start > 0 and doc[span.start - 1].lower_ in ("a", "an"))):
        return None  # "governments in the region", "a government that": generic, not annotated
    if named and subnational_place(" ".join(t.text for t in named)):
        # GUIDELINES §6.3: a provincial or federal-state government is ORG ("the Veracruz government")
        return Span(doc, span.start, span.end, label="ORG")
    if "’s" in words or "'s" in words:
        k = words.index("’s") if "’s" in words else words.index("'s")
        if resolve_state(span[:k].text):
            return None  # "Bolivia’s far-right government": the country is its own span
    if "of" in words:
        k = words.index("of")
        # only a complement that is wholly a country splits off ("of [Venezuela]"), not one
        # naming a leader ("of Argentine President Mauricio Macri")
        code = exact_state(span[k + 1:].text) if k > 0 and words[k - 1] != "state" else None
        if code:  # "the government of [Bolivia]": the country is its own span and names the government
            return Span(doc, span.start, span.start + k, label="STATE", kb_id=code)
    return Span(doc, span.start, span.end, label="STATE")


def join_state_into_org(chosen: list[Span]) -> list[Span]:
    """ "the [U.S.] [Drug Enforcement Administration]" is one ORG (SCHEMA: the longest name
    wins, as in "Israeli defense ministry"): a STATE right before an ORG that it modifies joins it.
    ``chosen`` is sorted by start."""
    out: list[Span] = []
    for s in chosen:
        prev = out[-1] if out else None
        if prev is not None and prev.label_ == "STATE" and s.label_ == "ORG" and prev.end == s.start \
                and s.start <= prev.root.head.i < s.end and prev.root.dep_ in ("compound", "nmod", "amod"):
            out[-1] = Span(s.doc, prev.start, s.end, label="ORG")
            continue
        out.append(s)
    return out


def join_nicknames(chosen: list[Span], taken: list[bool]) -> list[Span]:
    """ 'Jose Miguel "Chepe" Handal' is one PERSON: a quoted nickname between the given names
    and the surname belongs to the name (GUIDELINES §4.1, as in the gold). ``chosen`` is sorted by
    start; the tokens a joined name takes are marked in ``taken``, so later rules leave them alone."""
    if not chosen:
        return chosen
    doc = chosen[0].doc
    merged: list[Span] = []
    for s in chosen:
        if s.label_ != "PERSON" or (merged and s.start < merged[-1].end):
            continue
        opening = [k for k in range(s.start + 1, min(s.end + 1, len(doc))) if doc[k].is_quote]
        if not opening:
            continue
        close = next((k for k in range(opening[0] + 1, min(opening[0] + 6, len(doc))) if doc[k].is_quote), None)
        if close is None or close + 1 >= len(doc) or not (doc[close + 1].pos_ == "PROPN" and doc[close + 1].is_title):
            continue
        end = close + 1
        while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title and end - close <= 3:
            end += 1
        merged.append(Span(doc, s.start, end, label="PERSON"))
    if not merged:
        return chosen
    keep = [c for c in chosen if not any(c.start < m.end and m.start < c.end for m in merged)]
    for m in merged:
        for k in range(m.start, m.end):
            taken[k] = True
    return sorted(keep + merged, key=lambda c: c.start)
