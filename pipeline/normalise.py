"""Normalisation stage: a ``kb_id`` for every entity.

STATE mentions get ISO 3166-1 alpha-3 codes from names, demonyms, "the X government",
metonyms, pycountry and, for a government named after its leader ("the Somoza regime"), a table
of leaders; a STATE mention with no country in it ("the junta") takes the nearest preceding
resolved state in the document, else the document's most frequent one. Other labels are
clustered within the document: acronyms, surname-only mentions and head-noun descriptions
("the cartel") join the longest matching full mention.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from spacy.language import Language
from spacy.tokens import Doc, Span

from .patterns import load_state_aliases

_LEADING_DET = re.compile(r"^(the|a|an|these|those|this|that)\s+", re.I)
_POSSESSIVE = re.compile(r"(’s|'s|’|')$")
_COUNT = re.compile(r"^(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                    r"twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|dozens?|several|some)\s+", re.I)
_ACRO_STOP = {"of", "de", "del", "la", "las", "los", "el", "the", "and", "y", "for", "on", "in", "&"}


def clean_mention(text: str) -> str:
    """Collapse whitespace, drop a leading determiner and a trailing possessive."""
    t = " ".join(text.split())
    t = _LEADING_DET.sub("", t)
    return _POSSESSIVE.sub("", t).strip()


@lru_cache(maxsize=1)
def _state_tables() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    """Surface form -> code (exact and lower-cased) and the government words, built once."""
    al = load_state_aliases()
    lookup = {**al["names"], **al["demonyms"], **al["metonyms"]}
    return lookup, {k.lower(): v for k, v in lookup.items()}, frozenset(al.get("government_words", []))


@lru_cache(maxsize=4096)
def exact_state(text: str) -> str | None:
    """ISO code when the whole mention is a country's name, demonym or metonym ("the United States",
    "Paraguay", "Mexican"), else None; unlike :func:`resolve_state` it never looks inside a phrase."""
    import pycountry

    lookup, lower, _ = _state_tables()
    t = clean_mention(text)
    if t in lookup:
        return lookup[t]
    if t.lower() in lower:
        return lower[t.lower()]
    # pycountry also matches bare ISO codes, and no country's name is that short: "AG" (attorney
    # general), "PRI" (a party), "PM" would be Antigua, Puerto Rico and Saint Pierre. The codes that
    # writers do use ("US", "UK", "UAE") are aliases in state_aliases.json.
    if len(t) <= 3:
        return None
    try:
        return pycountry.countries.lookup(t).alpha_3
    except LookupError:
        return None


def government_words() -> frozenset[str]:
    """Words that make a mention a government phrase ("regime", "junta", "administration")."""
    return _state_tables()[2]


@lru_cache(maxsize=4096)
def state_metonym(text: str) -> bool:
    """Is the whole mention a capital-city metonym of a state ("Washington", "Buenos Aires")?"""
    al = load_state_aliases()
    return clean_mention(text) in al["metonyms"]


def _fold(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=1)
def _subdivision_names() -> frozenset[str]:
    """Folded names of ISO 3166-2 subdivisions (provinces, federal states), also without an
    honorific tail ("Veracruz de Ignacio de la Llave" -> "veracruz")."""
    import pycountry

    out: set[str] = set()
    for sub in pycountry.subdivisions:
        name = _fold(sub.name)
        out.add(name)
        if " de " in name and sub.type in ("State", "Province", "Department"):
            out.add(name.split(" de ")[0])
    return frozenset(out)


@lru_cache(maxsize=4096)
def subnational_place(text: str) -> bool:
    """Is the mention a province or federal state (ISO 3166-2) and no country's name or metonym?
    GUIDELINES §2 and §6.3: such places are LOC and their governments ORG, never STATE."""
    folded = _fold(clean_mention(text))
    if exact_state(text) or exact_state(folded):
        return False
    return folded in _subdivision_names()


@lru_cache(maxsize=4096)
def resolve_state(text: str, government_words: tuple[str, ...] | None = None) -> str | None:
    """ISO alpha-3 code for a STATE mention's text, or None when it names no country."""
    whole = exact_state(text)
    if whole:
        return whole
    lookup, lower, default_gov = _state_tables()
    gov = set(government_words) if government_words else default_gov
    words = [w for w in re.split(r"[\s\-]+", clean_mention(text)) if w]
    # "Mexican government", "government of Bolivia", "Bolivia's military regime"
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            cand = _POSSESSIVE.sub("", " ".join(words[i:i + n]))
            if cand.lower() in gov:
                continue
            if cand in lookup:
                return lookup[cand]
            if n > 1 and cand.lower() in lower:
                return lower[cand.lower()]
    # "the Somoza regime", "the Reagan administration": a leader's name with a government word
    if any(w.lower() in gov for w in words):
        leaders = _leaders()
        for n in (3, 2, 1):
            for i in range(len(words) - n + 1):
                cand = _POSSESSIVE.sub("", " ".join(words[i:i + n]))
                if cand in leaders:
                    return leaders[cand]
    return None


@lru_cache(maxsize=1)
def _leaders() -> dict[str, str]:
    """Leader name -> code, for governments named after their leader (state_aliases.json)."""
    return dict(load_state_aliases().get("leaders", {}))


def _acronym(text: str) -> str:
    words = [w for w in re.split(r"[\s\-]+", text) if w and w.lower() not in _ACRO_STOP]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def cluster_kb(mentions: list[tuple[int, str, str, str]]) -> dict[int, str]:
    """Canonical names for non-STATE mentions of one document.

    ``mentions`` are ``(index, label, text, hint)`` in document order; ``hint`` is a kb id
    from the domain patterns or "". Returns index -> kb_id.
    """
    out: dict[int, str] = {}
    full: dict[str, list[tuple[int, str]]] = {}
    for idx, label, text, hint in mentions:
        full.setdefault(label, []).append((idx, clean_mention(text)))
    for idx, label, text, hint in mentions:
        name = clean_mention(text)
        if hint:
            out[idx] = hint
            continue
        if label in ("WEAPON", "SURVEILLANCE"):
            out[idx] = _COUNT.sub("", name).lower() or name.lower()
            continue
        if label in ("DATE", "MONEY"):
            out[idx] = normalise_date(name) if label == "DATE" else name
            continue
        others = [n for _, n in full.get(label, []) if n != name and len(n) > len(name)]
        best = None
        if label == "PERSON":
            toks = set(name.split())
            matches = [n for n in others if toks and toks <= set(n.split())]
            best = max(matches, key=len) if matches else None
        else:
            if name.isupper() and 2 <= len(name) <= 8:
                matches = [n for n in others if _acronym(n) == name.replace(".", "")]
                best = max(matches, key=len) if matches else None
            if best is None and len(name.split()) == 1 and name.islower():
                # a definite description by head noun: "the cartel", "the ministry"
                prev = [n for j, n in full.get(label, []) if j < idx and name in n.lower().split()]
                best = prev[-1] if prev else None
            if best is None and label == "ARMED_GROUP" and name.islower():
                # "the drug trafficking clan": the group last named before it
                prev = [n for j, n in full.get(label, []) if j < idx and not n.islower()]
                best = prev[-1] if prev else None
        out[idx] = best or name
    # a mention resolved to another name inherits that name's own resolution
    by_name = {clean_mention(t): out[i] for i, _, t, _ in mentions}
    return {i: by_name.get(kb, kb) for i, kb in out.items()}


@lru_cache(maxsize=8192)
def normalise_date(text: str) -> str:
    """ISO form of a DATE when it is a full date, a month or a year; else the cleaned text."""
    if re.fullmatch(r"\d{4}", text):
        return text
    years = re.findall(r"\b(1[89]\d\d|20\d\d)\b", text)
    if not years or len(years) > 1:
        return text
    import dateparser

    settings = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year", "month"], "STRICT_PARSING": False}
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:  # dateparser raises several internal error types on odd strings
        parsed = None
    if parsed is None:
        return years[0]
    has_day = re.search(r"\b([12]?\d|3[01])(st|nd|rd|th)?\b(?!\d)", re.sub(years[0], "", text))
    return parsed.strftime("%Y-%m-%d" if has_day else "%Y-%m")


@Language.factory(
    "secrel_linker",
    requires=["doc.ents"],
    assigns=["doc.ents", "token.ent_kb_id"],
    default_config={"fallback": "previous"},
)
def make_linker(nlp: Language, name: str, fallback: str) -> "Linker":
    return Linker(fallback)


class Linker:
    """Assign ``kb_id`` to every entity in ``doc.ents``."""

    def __init__(self, fallback: str = "previous") -> None:
        if fallback not in ("previous", "frequent"):
            raise ValueError("fallback must be 'previous' or 'frequent'")
        self.fallback = fallback

    def link(self, doc: Doc) -> list[str]:
        """kb ids aligned with ``doc.ents`` (pure: does not modify the doc)."""
        ents = list(doc.ents)
        kbs: list[str | None] = [None] * len(ents)
        for i, e in enumerate(ents):
            if e.label_ == "STATE":
                kbs[i] = resolve_state(e.text) or (e.kb_id_ if len(e.kb_id_) == 3 else None)
        resolved = [k for k in kbs if k]
        frequent = Counter(resolved).most_common(1)[0][0] if resolved else "UNK"
        last = None
        for i, e in enumerate(ents):
            if e.label_ != "STATE":
                continue
            if kbs[i]:
                last = kbs[i]
            else:
                kbs[i] = last if (self.fallback == "previous" and last) else frequent
        others = [(i, e.label_, e.text, e.kb_id_) for i, e in enumerate(ents) if e.label_ != "STATE"]
        for i, kb in cluster_kb(others).items():
            kbs[i] = kb
        return [k or clean_mention(e.text) for k, e in zip(kbs, ents)]

    def __call__(self, doc: Doc) -> Doc:
        kbs = self.link(doc)
        doc.ents = [Span(doc, e.start, e.end, label=e.label_, kb_id=kb) for e, kb in zip(doc.ents, kbs)]
        return doc

