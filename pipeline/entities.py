"""Entity stage: the deterministic merge of the entity sources into flat ``doc.ents``.

Sources, each in its own place until the merge:
- ``ner``: the trained schema NER (``secrel_ner``), which writes ``doc.ents``;
- ``ruler``: domain-knowledge patterns (countries and demonyms, arms makers, spyware vendors,
  weapon systems, agencies, cartels) in ``doc.spans["ruler"]``;
- ``rules``: schema-rule patterns (government phrases, blocked non-entities) in ``doc.spans["rules"]``;
- ``base``: en_core_web_sm's OntoNotes entities in ``doc.spans["base_ents"]``, mapped to schema
  labels.

The patterns and the rulers that match them are built in ``pipeline/patterns.py``; the span rules
that need no merger setting are functions in ``pipeline/span_rules.py``. ``secrel_entities``
resolves overlaps greedily by (source priority, longer span first, earlier start), so the result is
flat and reproducible.
"""

from __future__ import annotations

import re
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .base import HEADLINES_KEY
from .normalise import exact_state, government_words, resolve_state, subnational_place
from .patterns import domain_patterns_path, item_head_words, state_surface_forms
from .schema import ENTITY_LABELS
from .span_rules import fit_rule_span, headline_fit, join_nicknames, join_state_into_org, located_capital

# "the First Secretary": an ordinal before a title is part of the post
ORDINALS = frozenset({"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"})

DEFAULT_BASE_MAP = {"GPE": "STATE", "NORP": "STATE", "ORG": "ORG", "PERSON": "PERSON", "DATE": "DATE",
                    "MONEY": "MONEY", "LOC": "LOC", "FAC": "LOC"}

# nouns naming a kind of place: "the city of X" is a LOC
PLACE_NOUNS = frozenset({"city", "town", "village", "municipality", "department", "province", "state", "port",
                         "region", "district", "island", "capital"})
# particles inside Spanish and Portuguese personal names ("Juan de Dios Usuga")
NAME_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "da", "das", "do", "dos"})
_NOT_A_NAME = re.compile(r"[()\[\]/:\d]")
# a one-word name is a noun; the tagger calls capitalised sentence-initial adjectives ADJ
_NAME_POS = frozenset({"PROPN", "NOUN", "X"})
# diplomatic cables abbreviate governments: GOH (Honduras), GOES (El Salvador), USG
_GOVERNMENT_ACRONYM = re.compile(r"^(GO[A-Z]{1,3}|USG)$")


def _beside_slash(span: Span) -> bool:
    """Is the span glued to a slash? Cable headers and markers: "WHA/CEN", "(S/NF)"."""
    text = span.doc.text
    return "/" in text[max(0, span.start_char - 1):span.start_char] + text[span.end_char:span.end_char + 1]

# a compass word modifying a country makes a region of it (LOC): "northern Mexico"
DIRECTIONS = ["northern", "southern", "eastern", "western", "northeastern", "northwestern", "southeastern",
              "southwestern", "central", "north", "south", "east", "west"]


@Language.factory(
    "secrel_entities",
    requires=["doc.ents", "doc.spans"],
    assigns=["doc.ents"],
    default_config={"priority": ["ner", "ruler", "base"], "ruler_key": "ruler", "base_key": "base_ents",
                    "base_label_map": DEFAULT_BASE_MAP, "norp_requires_state_alias": True,
                    "ruler_first_labels": [], "org_head_nouns": [], "person_titles": [],
                    "country_names_are_states": False, "strip_possessive": False, "leading_the_labels": [],
                    "surname_consistency": False, "headline_names": False, "drop_modifier_items": False,
                    "states_need_a_country": False, "alias_is_person": False, "person_needs_name": False,
                    "item_head_nouns": None, "join_state_into_org": False, "places_are_loc": False,
                    "nicknames_in_person": False, "aid_nouns": [], "domain_patterns": None},
)
def make_entity_merger(nlp: Language, name: str, priority: list[str], ruler_key: str, base_key: str,
                       base_label_map: dict[str, str], norp_requires_state_alias: bool,
                       ruler_first_labels: list[str], org_head_nouns: list[str],
                       person_titles: list[str], country_names_are_states: bool,
                       strip_possessive: bool, leading_the_labels: list[str], headline_names: bool,
                       surname_consistency: bool, drop_modifier_items: bool, states_need_a_country: bool,
                       alias_is_person: bool, person_needs_name: bool,
                       item_head_nouns: list[str] | None, join_state_into_org: bool,
                       places_are_loc: bool, nicknames_in_person: bool, aid_nouns: list[str],
                       domain_patterns: str | None) -> "EntityMerger":
    return EntityMerger(priority, ruler_key, base_key, base_label_map, norp_requires_state_alias, ruler_first_labels,
                        org_head_nouns, person_titles, country_names_are_states, strip_possessive,
                        leading_the_labels, surname_consistency, headline_names, drop_modifier_items,
                        states_need_a_country=states_need_a_country, alias_is_person=alias_is_person,
                        person_needs_name=person_needs_name, item_head_nouns=item_head_nouns,
                        join_state_into_org=join_state_into_org, places_are_loc=places_are_loc,
                        nicknames_in_person=nicknames_in_person, aid_nouns=aid_nouns,
                        domain_patterns=domain_patterns)


class EntityMerger:
    """Combine NER, ruler and base entities into flat ``doc.ents``."""

    def __init__(self, priority: list[str], ruler_key: str = "ruler", base_key: str = "base_ents",
                 base_label_map: dict[str, str] | None = None, norp_requires_state_alias: bool = True,
                 ruler_first_labels: Iterable[str] = (), org_head_nouns: Iterable[str] = (),
                 person_titles: Iterable[str] = (), country_names_are_states: bool = False,
                 strip_possessive: bool = False, leading_the_labels: Iterable[str] = (),
                 surname_consistency: bool = False, headline_names: bool = False,
                 drop_modifier_items: bool = False, *, states_need_a_country: bool = False,
                 alias_is_person: bool = False, person_needs_name: bool = False,
                 item_head_nouns: Iterable[str] | None = None, join_state_into_org: bool = False,
                 places_are_loc: bool = False, nicknames_in_person: bool = False,
                 aid_nouns: Iterable[str] = (), domain_patterns: str | None = None) -> None:
        unknown = set(priority) - {"rules", "ner", "ruler", "base"}
        if unknown:
            raise ValueError(f"unknown entity sources in priority: {sorted(unknown)}")
        self.priority = list(priority)
        self.ruler_key, self.base_key = ruler_key, base_key
        self.base_label_map = dict(base_label_map or DEFAULT_BASE_MAP)
        self.norp_requires_state_alias = norp_requires_state_alias
        # labels whose domain-list matches beat every other source: a known arms maker or cartel
        # name is better evidence than the NER's guess of ORG for it
        self.ruler_first_labels = set(ruler_first_labels)
        # schema rules: an army, police force or ministry is an ORG even when named by its country
        # ("the Israeli army"); titles are not part of a PERSON span ("General Meza" -> "Meza")
        self.org_head_nouns = {w.lower() for w in org_head_nouns}
        self.person_titles = {w.lower() for w in person_titles}
        # SCHEMA/GUIDELINES §1-2: a mention that is nothing but a country's name, demonym or metonym
        # is STATE whatever a model guessed ("the United States" is never ORG, "Paraguay" never
        # LOC), and a possessive 's is never part of a span ("Costa Rica's" -> "Costa Rica")
        self.country_names_are_states = country_names_are_states
        self.strip_possessive = strip_possessive
        # GUIDELINES §1: a leading "the" is part of the span when it determines the entity itself
        # ("the FARC", "the State Department"), not when the entity only modifies the noun phrase
        # ("the Israeli firms"); domain-list matches never include it
        self.leading_the_labels = set(leading_the_labels)
        # news refers to a person by surname after the first mention: a lone capitalised word equal
        # to the surname of a PERSON named in full in the same document is that PERSON too
        self.surname_consistency = surname_consistency
        # in a title-case headline (marked by secrel_headline_parse) the NER takes capitals for
        # names: "Mexico Cartels", "Brazilian Gangs" are a STATE and a common noun
        self.headline_names = headline_names
        # a lower-case WEAPON/SURVEILLANCE word that only modifies a noun names no item ("weapons
        # laws", "arms trafficking")
        self.drop_modifier_items = drop_modifier_items
        # SCHEMA: a STATE's kb_id is an ISO code, so a proper name that is no country, metonym or
        # government phrase ("Houston", "Ardon") is no STATE: it takes the base NER's label for the
        # same span when there is one, else LOC (a proper noun) or nothing; a capital named as a
        # location ("arrested in Buenos Aires") is a LOC, not the government it can stand for.
        # Acronyms are left alone ("the GOH", "USG")
        self.states_need_a_country = states_need_a_country
        # GUIDELINES §4.1: an alias ("alias 'El Cepillo'") is a PERSON mention
        self.alias_is_person = alias_is_person
        # a PERSON span holding brackets, slashes, colons or digits, or glued to a slash, is no name
        # (cable headers: "DECL: 10/01/2018", "WHA/CEN", "(a),(b)")
        self.person_needs_name = person_needs_name
        # SCHEMA: WEAPON/SURVEILLANCE are arms, platforms and security technology; a count with
        # any noun is none ("five ways", "907 homicides"): an item mention ends in a head word of
        # the domain lists or in these extra nouns, or names a model
        # (the head words come from the same domain-pattern file as the ruler: [secrel] domain_patterns)
        self.item_nouns = (None if item_head_nouns is None else
                           item_head_words(domain_patterns_path(domain_patterns)) | {w.lower() for w in item_head_nouns})
        # GUIDELINES §4.1: places are LOC: "the city of Medellin", a province named alone
        # ("Choluteca")
        self.places_are_loc = places_are_loc
        # GUIDELINES §4.1: a quoted nickname inside a name is part of the PERSON
        self.nicknames_in_person = nicknames_in_person
        # nouns of aid whose lower-case organisation modifiers are generic ("U.S. military and
        # police aid": STATE "U.S." only)
        self.aid_nouns = frozenset(w.lower() for w in aid_nouns)
        # SCHEMA: "Israeli defense ministry" is one ORG; a STATE the NER split off joins its ORG
        self.join_state_into_org = join_state_into_org

    def candidates(self, doc: Doc) -> list[tuple[int, Span]]:
        """All candidate spans with their source rank (lower wins)."""
        demonyms = state_surface_forms() if self.norp_requires_state_alias else frozenset()
        out: list[tuple[int, Span]] = []
        for rank, source in enumerate(self.priority):
            if source == "ner":
                spans: Iterable[Span] = [s for s in doc.ents if s.label_ in ENTITY_LABELS]
                heads = list(doc.spans[HEADLINES_KEY]) if self.headline_names and HEADLINES_KEY in doc.spans else []
                if heads:
                    spans = [f for f in (headline_fit(s, heads) for s in spans) if f is not None]
            elif source == "rules":
                group = doc.spans["rules"] if "rules" in doc.spans else []
                spans = [sp for sp in (fit_rule_span(doc, s) for s in group) if sp is not None]
            elif source == "ruler":
                group = doc.spans[self.ruler_key] if self.ruler_key in doc.spans else []
                # the pattern id is the canonical name: keep it as a kb hint for the linker
                spans = [Span(doc, s.start, s.end, label=s.label_, kb_id=s.id_) for s in group]
                lower_key = self.ruler_key + "_lower"
                for s in doc.spans[lower_key] if lower_key in doc.spans else []:
                    spans.append(Span(doc, s.start, s.end, label=s.label_, kb_id=s.id_))
                    if s.start > 0 and doc[s.start - 1].like_num:  # the optional leading count
                        spans.append(Span(doc, s.start - 1, s.end, label=s.label_, kb_id=s.id_))
            else:
                spans = []
                for s in doc.spans[self.base_key] if self.base_key in doc.spans else []:
                    label = self.base_label_map.get(s.label_)
                    if label is None:
                        continue
                    if s.label_ == "NORP" and self.norp_requires_state_alias and s.text not in demonyms:
                        continue
                    spans.append(Span(doc, s.start, s.end, label=label))
            out.extend((-1 if source == "ruler" and s.label_ in self.ruler_first_labels else rank, s)
                       for s in spans)
        return out

    def _apply_label_rules(self, span: Span) -> Span | None:
        doc = span.doc
        if self.strip_possessive and len(span) > 1 and doc[span.end - 1].lower_ in ("'s", "’s", "'", "’"):
            span = Span(doc, span.start, span.end - 1, label=span.label_, kb_id=span.kb_id_)
        if self.states_need_a_country and span.label_ == "STATE":
            checked = self._state_check(span)
            if checked is None:
                return Span(doc, span.start, span.start)
            span = checked
        if self.alias_is_person and span.label_ != "PERSON" and span.start > 0:
            k = span.start - 1
            while k > 0 and doc[k].is_quote:
                k -= 1
            if doc[k].lower_ == "alias" and span.text[:1].isupper():
                return Span(doc, span.start, span.end, label="PERSON")
        if self.item_nouns is not None and span.label_ in ("WEAPON", "SURVEILLANCE") and not self._names_an_item(span):
            return Span(doc, span.start, span.start)
        if self.person_needs_name and span.label_ == "PERSON" and (_NOT_A_NAME.search(span.text) or _beside_slash(span)
                                                                    or (len(span) == 1 and span[0].pos_ not in _NAME_POS)):
            return Span(doc, span.start, span.start)  # "DECL:", "WHA/CEN", '"Armed, uniformed Americans"'
        if self.country_names_are_states and span.label_ == "STATE":
            if subnational_place(span.text):
                return Span(doc, span.start, span.end, label="LOC")  # "Veracruz", "Chiapas" are LOC
            prev = doc[span.start - 1] if span.start > 0 else None
            if prev is not None and prev.lower_ in DIRECTIONS and prev.head.i == span.root.i:
                return Span(doc, prev.i, span.end, label="LOC")  # "northeastern Honduras" is a region
        if self.places_are_loc and span.label_ in ("ORG", "STATE", "ARMED_GROUP", "COMPANY"):
            words = [t.lower_ for t in span]
            k = 1 if words[0] == "the" else 0
            if len(words) > k + 3 and words[k] in DIRECTIONS:
                k += 1  # "the southern department of Choluteca"
            if len(words) > k + 2 and words[k] in PLACE_NOUNS and span[k].is_lower and words[k + 1] == "of" \
                    and not exact_state(span[k + 2:].text):
                return Span(doc, span.start, span.end, label="LOC")  # "the city of Medellin"
            if span.label_ != "STATE" and subnational_place(span.text):
                return Span(doc, span.start, span.end, label="LOC")  # "Choluteca", a department
        if self.country_names_are_states and span.label_ in ("ORG", "LOC", "PERSON", "COMPANY", "ARMED_GROUP"):
            code = exact_state(span.text)
            if code and not (self.states_need_a_country and located_capital(span)):
                return Span(doc, span.start, span.end, label="STATE", kb_id=code)
        if span.label_ in ("STATE", "PERSON", "LOC") and span.root.lemma_.lower() in self.org_head_nouns \
                and span.root.i == span.end - 1:
            return Span(doc, span.start, span.end, label="ORG", kb_id=span.kb_id_)
        if span.label_ in ("WEAPON", "SURVEILLANCE") and any(
                not t.is_lower and {t.lemma_.lower(), t.lower_} & self.org_head_nouns for t in span):
            return Span(doc, span.start, span.end, label="ORG")  # "GOH Ministries of Defense"
        if span.label_ == "ORG" and self.person_titles:
            fixed = self._org_before_title(span)
            if fixed is None:
                fixed = self._org_ending_in_title(span)
            if fixed is not None:
                return fixed
        if span.label_ == "ORG" and self.country_names_are_states:
            fixed = self._generic_org_modifier(span)
            if fixed is not None:
                return fixed
        if span.label_ in ("WEAPON", "SURVEILLANCE") and self.drop_modifier_items and span.text.islower() \
                and span[-1].dep_ in ("compound", "nmod", "amod") and span[-1].head.i >= span.end:
            return Span(doc, span.start, span.start)  # "weapons laws", "arms trafficking": a modifier, no item
        if self.person_titles and span.label_ == "PERSON" \
                and all(self._is_title(t) for t in span):
            return Span(doc, span.start, span.start)  # a bare title ("General") names no one
        if self.person_titles and span.label_ in ("PERSON", "ORG") and len(span) > 1:
            k = span.start
            while k < span.end - 1 and self._is_title(doc[k]):
                k += 1
            rest = doc[k:span.end]
            # a name is singular: "Foreign Affairs" is the ministry, not Mr Affairs
            if k > span.start and all(t.pos_ == "PROPN" for t in rest) and rest[-1].tag_ != "NNPS" \
                    and not any(t.lemma_.lower() in self.org_head_nouns for t in rest) \
                    and not all(self._is_title(t) for t in rest):
                return Span(doc, k, span.end, label="PERSON")
        return span

    def _is_title(self, tok: Token) -> bool:
        return tok.lower_.rstrip(".") in self.person_titles

    def _org_before_title(self, span: Span) -> Span | None:
        """ "The Colombian Defense Minister": an ORG guess ending in the first word of a title is the
        demonym (STATE) or the organisation before it; None when the rule does not apply."""
        doc = span.doc
        if span.end >= len(doc) or not self._is_title(doc[span.end]):
            return None
        end = span.end
        while end > span.start and self._is_title(doc[end - 1]):
            end -= 1
        if end == span.end:
            return None
        start = span.start + 1 if doc[span.start].lower_ == "the" else span.start
        if start >= end:
            return Span(doc, span.start, span.start)
        code = exact_state(doc[start:end].text)
        if code:
            return Span(doc, start, end, label="STATE", kb_id=code)
        return Span(doc, span.start, end, label="ORG")

    def _org_ending_in_title(self, span: Span) -> Span | None:
        """ "the First Secretary", "Salvadoran President", "ETA Terrorist Group Leaders": an ORG guess
        ending in a person's title names the post, not an organisation (SCHEMA: titles are outside
        entity spans). What precedes the title is kept as the STATE or ORG it names, a bare ordinal
        ("First") is dropped, and a span of titles only ("the attorney general", the office) stays.
        Names with "of" ("Secretariat of National Defense") are organisations whatever they end in.
        None when the rule does not apply."""
        doc = span.doc
        last = span[-1]

        def titled(tok: Token) -> bool:  # "Leaders" counts by its lemma
            return bool({tok.lower_, tok.lemma_.lower()} & self.person_titles)

        if not titled(last) or last.pos_ not in ("NOUN", "PROPN") \
                or {last.lower_, last.lemma_.lower()} & self.org_head_nouns \
                or any(t.lower_ in ("of", "for", "and") for t in span):
            return None
        end = span.end
        while end > span.start and titled(doc[end - 1]):
            end -= 1
        start = span.start + 1 if doc[span.start].lower_ == "the" and span.start < end else span.start
        if start >= end:
            return None
        rest = doc[start:end]
        code = exact_state(rest.text)
        if code:
            return Span(doc, start, end, label="STATE", kb_id=code)
        if all(t.like_num or t.lower_ in ORDINALS for t in rest):
            return Span(doc, span.start, span.start)
        return Span(doc, span.start, end, label="ORG")

    def _generic_org_modifier(self, span: Span) -> Span | None:
        """ "$36 million in U.S. military and police aid": lower-case organisation words naming the
        kind of aid are no organisation (SCHEMA: "security forces" in general is not annotated);
        a leading country stays STATE. "Colombian army officials" keeps its ORG. None when the
        rule does not apply."""
        doc = span.doc
        root = span.root
        if not self.aid_nouns or root.dep_ not in ("compound", "nmod", "amod") or root.head.i < span.end \
                or root.head.lemma_.lower() not in self.aid_nouns or any(t.dep_ in ("det", "poss") for t in span):
            return None
        k = span.start
        while k < span.end and not doc[k].is_lower:
            k += 1
        if k == span.end or not all(t.is_lower or t.is_punct for t in doc[k:span.end]):
            return None
        code = exact_state(doc[span.start:k].text) if k > span.start else None
        if code:
            return Span(doc, span.start, k, label="STATE", kb_id=code)
        return Span(doc, span.start, span.start) if k == span.start else None

    def _names_an_item(self, span: Span) -> bool:
        """Does the item mention end in an item noun ("five Arava planes") or name a model
        ("AK-47s", "Galil")? "five ways", "190 countries", "861 kilos of cocaine" do not."""
        assert self.item_nouns is not None
        root = span.root
        if root.lower_ in self.item_nouns or root.lemma_.lower() in self.item_nouns:
            return True
        return any(t.pos_ == "PROPN" or (any(c.isdigit() for c in t.text) and any(c.isalpha() for c in t.text))
                   for t in span)

    def _state_check(self, span: Span) -> Span | None:
        """The span kept as STATE when it names a country (LOC for a located capital), else
        relabelled: LOC for a province, the base NER's label, LOC for a proper noun; None drops it."""
        doc = span.doc
        if any(t.lower_ in government_words() for t in span):
            return span
        if resolve_state(span.text) or exact_state(span.text):
            return Span(doc, span.start, span.end, label="LOC") if located_capital(span) else span
        names = [t for t in span if t.is_alpha]
        if len(names) == 1 and names[0].is_upper and len(names[0]) > 1 and not _GOVERNMENT_ACRONYM.match(names[0].text):
            # an acronym that is no country alias and no cable abbreviation of a government ("GOH",
            # "USG") names an organisation ("PRI", "ATF"); beside a slash it is a cable marker ("S/NF")
            return None if _beside_slash(span) else Span(doc, span.start, span.end, label="ORG")
        if not names or any(t.is_upper for t in names) or not all(t.is_title or t.is_lower for t in names) \
                or not any(t.is_title for t in names):
            return span  # odd casing: no evidence either way
        if subnational_place(span.text):
            return Span(doc, span.start, span.end, label="LOC")
        for b in doc.spans[self.base_key] if self.base_key in doc.spans else []:
            if b.start <= span.root.i < b.end:
                label = "LOC" if b.label_ in ("GPE", "LOC", "FAC") else self.base_label_map.get(b.label_)
                if label and label != "STATE":
                    return Span(doc, span.start, span.end, label=label)
                break
        if all(t.pos_ == "PROPN" for t in names):
            return Span(doc, span.start, span.end, label="LOC")  # a place name the NER took for a country
        return None

    def _with_the(self, span: Span) -> Span:
        doc = span.doc
        if span.label_ not in self.leading_the_labels or span.start == 0:
            return span
        det = doc[span.start - 1]
        if det.lower_ == "the" and det.dep_ == "det" and span.start <= det.head.i < span.end \
                and det.head.i == span.root.i:
            return Span(doc, span.start - 1, span.end, label=span.label_, kb_id=span.kb_id_)
        return span

    def _surnames(self, doc: Doc, chosen: list[Span], taken: list[bool]) -> list[Span]:
        surnames = {s[-1].text for s in chosen if s.label_ == "PERSON" and len(s) > 1 and s[-1].is_title}
        if not surnames:
            return chosen
        base_people = {t.i for b in doc.spans.get(self.base_key, []) if b.label_ == "PERSON" for t in b} \
            if self.base_key in doc.spans else set()
        out = []
        for s in chosen:
            if s.label_ not in ("PERSON", "_BLOCK", "STATE") and s[-1].text in surnames and not (
                    len(s) > 1 and subnational_place(s.text)) and (len(s) == 1 or (
                    all(t.pos_ == "PROPN" or t.lower_ in NAME_PARTICLES for t in s)
                    and (any(t.lower_ in NAME_PARTICLES for t in s[1:-1]) or s.root.i in base_people))):
                # "Juan de Dios Usuga" guessed ORG in a text that names "Dario Antonio Usuga": a full
                # name (with a name particle, or a PERSON to the base NER too) ending in that surname
                s = Span(doc, s.start, s.end, label="PERSON")
            out.append(s)
        for tok in doc:
            if not taken[tok.i] and tok.text in surnames and tok.pos_ == "PROPN":
                out.append(Span(doc, tok.i, tok.i + 1, label="PERSON"))
        return sorted(out, key=lambda s: s.start)

    def _split_title(self, span: Span) -> list[Span]:
        """ "Navy Adm. Kurt Tidd" -> ORG "Navy" + PERSON "Kurt Tidd": a title inside a name span
        separates the organisation from the person (SCHEMA: titles are outside PERSON spans)."""
        if not self.person_titles or span.label_ not in ("PERSON", "ORG", "ARMED_GROUP") or len(span) < 3:
            return [span]
        doc = span.doc
        for k in range(span.end - 2, span.start, -1):
            rest = doc[k + 1:span.end]
            if self._is_title(doc[k]) and not self._is_title(doc[k - 1]) and len(rest) >= 2 \
                    and rest[0].pos_ == "PROPN" \
                    and all(t.pos_ == "PROPN" or t.lower_ in NAME_PARTICLES for t in rest) \
                    and all(t.pos_ == "PROPN" for t in doc[span.start:k]) \
                    and not any(t.lemma_.lower() in self.org_head_nouns for t in rest):
                return [Span(doc, span.start, k, label="ORG" if span.label_ == "PERSON" else span.label_),
                        Span(doc, k + 1, span.end, label="PERSON")]
        return [span]

    def resolve(self, doc: Doc) -> list[Span]:
        cands = sorted(self.candidates(doc), key=lambda x: (x[0], -(x[1].end - x[1].start), x[1].start,
                                                             not x[1].kb_id_))
        taken = [False] * len(doc)
        chosen: list[Span] = []
        for _, whole in cands:
            parts = [self._apply_label_rules(p) for p in self._split_title(whole)]
            if any(any(taken[p.start:p.end]) for p in parts):
                continue
            for span in parts:
                if span.start == span.end:
                    continue
                # whitespace-only or padded spans are never entities
                if not span.text.strip() or doc[span.start].is_space or doc[span.end - 1].is_space:
                    continue
                for i in range(span.start, span.end):
                    taken[i] = True
                chosen.append(span)
        if self.join_state_into_org:
            chosen = join_state_into_org(sorted(chosen, key=lambda s: s.start))
        if self.nicknames_in_person:
            chosen = join_nicknames(sorted(chosen, key=lambda s: s.start), taken)
        if self.leading_the_labels:
            chosen = [self._with_the(s) if s.start == 0 or not taken[s.start - 1] else s for s in chosen]
        if self.surname_consistency:
            chosen = self._surnames(doc, chosen, taken)
        return sorted((s for s in chosen if s.label_ != "_BLOCK"), key=lambda s: s.start)

    def __call__(self, doc: Doc) -> Doc:
        doc.ents = self.resolve(doc)
        return doc
