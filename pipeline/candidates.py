"""Candidate pairs for the relation stage: schema-admissible entity pairs inside one sentence.

``candidates`` is pure and schema-driven (SCHEMA.md's head/tail types, the sentence boundary, a
token distance); the span-pair predicates here (``same_referent``, ``source_phrase``) are the
checks that say two mentions cannot be a relation's arguments whatever the classifier thinks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from spacy.tokens import Doc, Span

from .schema import allowed_types


@dataclass(frozen=True)
class Candidate:
    """An ordered entity pair in one sentence and the relation types the schema allows for it."""

    head: Span
    tail: Span
    sent: Span
    types: tuple[str, ...]
    frames: tuple[str, ...] = ()  # types whose syntactic frame the pair fills (see frames.py)
    # types for which the head or the tail fills a frame with another entity of the sentence
    rivals: tuple[str, ...] = ()
    # types for which the head is only acted upon: it fills the tail role of an agentless frame
    head_patient: tuple[str, ...] = ()


def _acronym_of(short: Span, full: Span) -> bool:
    """Are ``short``'s capitals an in-order selection of ``full``'s, starting with its first
    ("AMLO" of "Andrés Manuel López Obrador", "FARC" of "Fuerzas Armadas Revolucionarias")?"""
    letters = [c for c in short.text if c.isupper()]
    caps = [c for c in full.text if c.isupper()]
    if len(letters) < 2 or len(short) != 1 or not caps or letters[0] != caps[0]:
        return False
    it = iter(caps)
    return all(c in it for c in letters)


def same_referent(a: Span, b: Span, alias_cues: Sequence[str]) -> bool:
    """Does the text name one entity twice, the second mention an alias of the first? Either
    joined by an alias cue ("Alexander Montoya Usuga, alias 'El Flaco'", "the National Command and
    Control Center, known as the 'Bunker'") or a parenthesis right after the name that spells it
    out again: its acronym ("Andrés Manuel López Obrador (AMLO)") or a name of the same label
    ("the Special Reaction Force (Fuerza Especializada de Reaccion)"). "Senator Patrick Leahy
    (D-Vt.)" is no alias: the party is another entity. Empty ``alias_cues`` turns the rule off."""
    if not alias_cues:
        return False
    if b.start < a.start:
        a, b = b, a
    if a.end > b.start:
        return False
    doc = a.doc
    gap = [t for t in doc[a.end:b.start] if not t.is_space]
    words = " ".join(t.lower_ for t in gap if not (t.is_punct or t.is_quote) and t.lower_ not in ("the", "a", "an"))
    if words and words in alias_cues:
        return True
    if [t.text for t in gap if not t.is_quote] == ["("] and b.end < len(doc) and doc[b.end].text in (")", "-", "–", ","):
        return a.label_ == b.label_ or _acronym_of(b, a)
    return False


def source_phrase(span: Span, source_preps: Sequence[str]) -> int | None:
    """The token index of the attribution phrase ("according to") whose object contains ``span``,
    or None. A cited source reports the facts of its sentence and takes no part in them; only what
    the phrase itself says ("according to PRI President Enrique Ochoa Reza") is about it."""
    if not source_preps:
        return None
    tok = span.root
    while tok.head.i != tok.i:
        head = tok.head
        if tok.dep_ == "pobj" and head.head.i != head.i and f"{head.head.lower_} {head.lower_}" in source_preps:
            return head.head.i
        tok = head
    return None


def candidates(doc: Doc, max_distance: int = 80, alias_cues: Sequence[str] = ()) -> list[Candidate]:
    """All schema-admissible ordered pairs within one sentence, at most ``max_distance`` tokens apart;
    a name and its alias (``same_referent``) are no pair."""
    out: list[Candidate] = []
    ents = list(doc.ents)
    if not ents:
        return out
    for sent in doc.sents:
        in_sent = [e for e in ents if e.start >= sent.start and e.end <= sent.end]
        for h in in_sent:
            for t in in_sent:
                if h is t or h.start == t.start:
                    continue
                if h.label_ == t.label_ and h.kb_id_ and h.kb_id_ == t.kb_id_:
                    continue  # the same entity twice: never a relation with itself
                if max(h.start, t.start) - min(h.end, t.end) > max_distance:
                    continue
                if same_referent(h, t, alias_cues):
                    continue
                types = tuple(allowed_types(h.label_, t.label_))
                if types:
                    out.append(Candidate(h, t, sent, types))
    return out
