"""Syntactic relation frames: does a candidate pair fill the roles of a trigger word of a type?

A frame is general linguistic knowledge of how the schema's relations are said in English,
written from SCHEMA.md's definitions (not mined from annotations), e.g. for ARMS_TRANSFER:
the supplier is the agent of *sell/supply/export* and the recipient its *to*-object; the
recipient is the agent of *buy/receive/acquire* and the supplier its *from*-object or a
modifier of the item ("bought Israeli weapons"); a light verb with a trigger noun works the
same way ("provided training to", "granted asylum to"). Frames feed the relation classifier
as features (it learns how far to trust each) and can set a probability floor.

The lexicon of every frame is data, not code: ``pipeline/data/relation_frames.json`` (config key
``[relations] frames_file``) or inline ``[relations.frames.TYPE]`` config sections, with keys:

- ``give_verbs``: head = agent, tail = recipient (*to*/*for* object, dative, or the direct
  object for ``object_verbs``);
- ``get_verbs``: tail = agent, head = source (*from* object or a modifier of the object);
- ``money_get_verbs``: the same when the direct object is a sum of money (MONEY entity);
- ``give_nouns`` / ``get_nouns``: nouns that take the roles through a light verb
  (``light_give`` / ``light_get``) or their own modifiers ("US aid to Mexico");
- ``object_verbs``: give verbs whose direct object is the recipient ("trained the police"), and
  with ``object_mods`` also the object's modifiers ("recognised Palestinian statehood");
- ``mutual_nouns``: trigger nouns of a relation both parties enter, whose coordinated agents fill
  both roles when no tail is named ("X and Y established diplomatic relations");
- ``seat_nouns`` / ``seat_verbs``: a diplomatic seat opened in a state ("opened an embassy in
  Bolivia": the opener is the head, the host the tail); a seat merely kept says nothing;
- ``place_agent_preps``: prepositions whose object is the head when the act has no agent of its
  own ("were trained in Israel", "received training in Israel");
- ``object_place_preps``: with an ``object_verbs`` verb whose direct object is a generic noun
  (no entity, no modifier naming one), the objects of these prepositions are the tail ("trained
  security forces in Guatemala and Haiti": the forces of those states were trained);
- ``agent_nouns``: trigger nouns (of ``give_nouns`` or ``get_nouns``) that name a party, not the
  act: the entity they name is that party and their possessor the other one ("Israel, Ecuador's
  main supplier"; "Ecuador became Israel's best customer");
- ``noun_tail_preps`` (default to/for/into) and ``noun_mods_role`` (``head`` or ``tail``): how a
  trigger noun takes its roles ("the extradition of X", "Zerón's extradition");
- ``embedded_verbs``: verbs whose object is the tail when they complement a light verb, whose
  agent is the head ("requested that Israel extradite Roemer");
- ``refuge_verbs``: tail = agent, head = the *to*/*in* object ("fled to Israel");
- ``made_by_suffixes``: "U.S.-supplied weapons" names the supplier of whoever holds the item;
- ``requires_labels``: the sentence must hold an entity with one of these labels (an item), or one
  of the ``item_words`` ("arms" in "Ecuador's arms supplier", where it is no mention of its own);
- ``title_nouns`` (AFFILIATION only): post nouns tying a PERSON to an organisation;
- ``source_verbs`` (AFFILIATION only): reporting verbs whose subject is cited as a source
  ("La Tercera reported"); a cited source is no organisation of the sentence's people unless a
  title frame ties them (:func:`attribution_source`);
- ``member_verbs`` (AFFILIATION only): verbs of hiring and dismissing; any other verb whose
  subject is the organisation and whose object is the person ("the court indicted X") says
  nothing of membership, nor does a coordination ("X and the ministry") (:func:`acted_upon`);
- ``max_path`` (AFFILIATION only): a person and an organisation more than this many dependency arcs
  apart, with no title frame tying them, are no member and organisation (they sit in different
  clauses: "a policy instituted by President X ... kept the Y police out"). Off unless set: with 4,
  the development set's gain was within noise (session 8);
- ``destination_veto`` (AFFILIATION only): true makes a place the person is sent to or goes to no
  organisation of theirs ("X was flown to the United States", "the extradition of X to Caracas"),
  unless the verb is a ``member_verbs`` one ("transferred to the unit") (:func:`destination_only`);
- ``private_roles`` (AFFILIATION only): roles outside any government; a STATE that only
  qualifies one of them, or another entity, is no organisation of the person
  (:func:`nationality_only`).

``sentence_roles`` finds every trigger's role pairs once per sentence; ``match_frames`` then
checks a candidate pair against them.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from spacy.tokens import Span, Token

_SUBJ = ("nsubj", "csubj")
_MODS = ("poss", "amod", "compound", "nmod")


def compile_frames(frames: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The frame specs with every word list as a frozenset and each type's trigger words gathered,
    built once per component instead of once per sentence and trigger."""
    out: dict[str, dict[str, Any]] = {}
    for rtype, spec in frames.items():
        comp = {k: frozenset(v) if isinstance(v, (list, tuple, set, frozenset)) and k not in _ORDERED else v
                for k, v in spec.items()}
        comp["_triggers"] = _trigger_words(spec)
        out[rtype] = comp
    return out


def _words(val: Iterable[str]) -> frozenset[str]:
    """A word list as a set (free when it already is one, as in compiled specs)."""
    return val if isinstance(val, frozenset) else frozenset(val)


def _lex(spec: Mapping[str, Any], key: str) -> frozenset[str]:
    """A word list of a spec as a set."""
    return _words(spec.get(key, ()))


def _trigger_words(spec: Mapping[str, Any]) -> frozenset[str]:
    """The words that can trigger a type's frame (compiled specs carry them precomputed)."""
    return spec.get("_triggers") or frozenset(w for key in _TRIGGER_KEYS for w in spec.get(key, ()))


def _agents(verb: Token) -> list[Token]:
    """The agent of a verb: its subject, the *by*-object of a passive, or an inherited subject
    ("began exporting", "sold and delivered", "the firm that sold")."""
    out = [c for c in verb.children if c.dep_ in _SUBJ]
    for c in verb.children:
        if c.dep_ == "agent":
            out += [g for g in c.children if g.dep_ == "pobj"]
    gov = verb.head
    if verb.dep_ == "pcomp" and gov.dep_ in ("prep", "conj"):  # "accused of selling": the accused sold
        while gov.dep_ == "conj" and gov.head.i != gov.i:  # "accused of X and of selling"
            gov = gov.head
        gov = gov.head
        while gov.dep_ == "prep" and gov.pos_ == "ADP" and gov.head.i != gov.i:
            gov = gov.head  # "trained forces, along with providing assistance": the trainer provides
    if not out and verb.dep_ == "pcomp" and verb.head.lower_ in ("of", "for") and gov.i != verb.i:
        # "accused the United States of financing the police": the accused did it
        out = [c for c in gov.children if c.dep_ == "dobj"]
    if not out and verb.dep_ in ("xcomp", "conj", "advcl", "pcomp") and gov.i != verb.i:
        out = [c for c in gov.children if c.dep_ in _SUBJ + ("nsubjpass",)]
        # "members joined the unit and continue to receive funding": up a chain of
        # complements and conjuncts to the first verb with a subject
        up = gov
        for _ in range(3):
            if out or up.dep_ not in ("xcomp", "conj") or up.head.i == up.i:
                break
            up = up.head
            out = [c for c in up.children if c.dep_ in _SUBJ + ("nsubjpass",)]
        if not out and verb.dep_ == "pcomp" and gov.dep_ in ("acl", "amod"):
            out = [gov.head]  # "police suspected of selling guns": the police sold
    if not out and verb.dep_ in ("acl", "relcl") and verb.tag_ == "VB" and verb.head.dep_ == "dobj" \
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        # "Israel signed a deal to sell drones": the subject of the deal's verb acts
        out = [c for c in verb.head.head.children if c.dep_ in _SUBJ]
    if not out:  # "advised and equipped by the DEA": conjoined participles share the by-agent
        out = [g for c in verb.children if c.dep_ == "conj" for a in c.children if a.dep_ == "agent"
               for g in a.children if g.dep_ == "pobj"]
    if verb.dep_ == "relcl":
        out = [t for t in out if t.tag_ not in ("WP", "WDT")]  # "who", "which": the antecedent acts
        if not out:
            out = [verb.head]
            if verb.head.dep_ == "appos":  # "X -- another ETA leader who fled to Venezuela"
                out.append(verb.head.head)
    # a generic agent stands for its modifier: "Israeli firms", "U.S. gunmakers"
    return _stand_ins(out)


def _stand_ins(toks: list[Token]) -> list[Token]:
    """Role tokens plus, for a common noun, its modifiers: "Israeli firms" sold, arming "Costa
    Rican gangs", sold to "Brazilian criminal groups" (the state behind a generic group)."""
    return toks + [m for t in toks if t.pos_ == "NOUN" and not t.ent_type_ for m in _modifiers(t)]


def _governing_verb(noun: Token) -> Token | None:
    """The verb a trigger noun depends on, through prepositions and quantities
    ("spent $3 billion on aid", "receive $5 million in aid")."""
    tok = noun
    for _ in range(4):
        if tok.dep_ not in ("dobj", "nsubjpass", "attr", "pobj", "prep") or tok.head.i == tok.i:
            return None
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            return tok
    return None


def _preps(tok: Token, words: Iterable[str]) -> list[Token]:
    """Objects of the given prepositions attached to ``tok`` or to its direct object."""
    words = set(words)
    heads = [tok] + [c for c in tok.children if c.dep_ in ("dobj", "attr", "oprd")]
    out = []
    for h in heads:
        for c in h.children:
            if c.dep_ in ("prep", "dative") and c.lower_ in words:
                out += [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            elif c.dep_ == "dative":
                out.append(c)
    return out


def _agent_noun_roles(noun: Token, gives: bool, spec: Mapping[str, Any]) -> Iterable[tuple[list[Token], list[Token]]]:
    """Roles of a noun naming a party ("supplier", "trainer", "customer"): who it names (its
    apposition or the subject of a copula: "Israel, Ecuador's supplier", "Israel became Ecuador's
    supplier") and its nationality modifier ("Israeli advisers") are that party; its possessor is
    the other party ("Ecuador's supplier"), as is a *to*/*for* object ("supplier of arms to Chile")."""
    named = [c for c in noun.children if c.dep_ == "appos"]
    if noun.dep_ == "appos":
        named.append(noun.head)
    if noun.dep_ in ("attr", "oprd") and noun.head.lemma_.lower() in ("be", "become", "remain"):
        named += _agents(noun.head)
    own = [c for c in noun.children if c.dep_ in ("amod", "compound", "nmod") and c.i < noun.i]
    other = [c for c in noun.children if c.dep_ == "poss"]
    preps = tuple(spec.get("noun_tail_preps", ("to", "for", "into"))) if gives else ("from",)
    other += [g for c in noun.children if c.dep_ == "prep" and c.lower_ in preps
              for g in c.children if g.dep_ == "pobj"]
    party = _stand_ins(named) + own
    yield (party, other) if gives else (other, party)


def _first_object(verb: Token, obj: Token) -> list[Token]:
    """The first object of a two-object verb that the parser folded into the second as a name
    compound: "sold [Guatemala] helicopters", "sold [the Somoza regime] weapons". Only an entity
    mention right after the verb counts, and not an abbreviation, which is the usual way to name
    an item's maker ("sold US helicopters to Peru")."""
    doc = verb.doc
    ent = next((e for e in doc.ents if e.start == verb.i + 1), None)
    if ent is None or ent.end > obj.i or not {t.i for t in ent} <= {t.i for t in obj.subtree}:
        return []
    folded = [t for t in ent if t.dep_ == "compound"]
    if not folded or (len(ent) == 1 and (ent[0].is_upper or "." in ent[0].text)):
        return []
    return folded


def _preps_of(tok: Token, words: Iterable[str]) -> list[Token]:
    """Objects of the given prepositions attached to ``tok`` itself."""
    words = set(words)
    return [g for c in tok.children if c.dep_ == "prep" and c.lower_ in words for g in c.children if g.dep_ == "pobj"]


def _by_agents(noun: Token) -> list[Token]:
    """The *by*-object of an event noun, attached to the noun or (as parsers often do) to its
    *of*-object: "the recognition of Palestine by Venezuela"."""
    hosts = [noun] + [g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
                      for g in c.children if g.dep_ == "pobj"]
    return [g for h in hosts for c in h.children if c.dep_ in ("prep", "agent") and c.lower_ == "by"
            for g in c.children if g.dep_ == "pobj"]


def _modifiers(tok: Token) -> list[Token]:
    """Possessors and pre-modifiers of a noun, through compound chains ("Israeli arms sales")."""
    out, todo = [], [tok]
    while todo:
        t = todo.pop()
        for c in t.children:
            if c.dep_ in _MODS and c.i < tok.i:
                out.append(c)
                todo.append(c)
    return out


def _in(span: Span, toks: Iterable[Token]) -> bool:
    """Does the span fill a role: does it contain a role token, or does its root attach to one
    as a conjunct, a name modifier, or an example ("groups including the Urabenos")?"""
    ids = {t.i for t in toks}
    if any(span.start <= i < span.end for i in ids):
        return True
    # a mis-parsed span can have several tokens attached outside it ("the 6th Front" with "the"
    # and "Front" hanging off different words): try each
    for r in (t for t in span if not (span.start <= t.head.i < span.end) or t.head is t):
        for _ in range(6):
            if r.dep_ in ("conj", "nmod", "compound", "appos"):
                r = r.head
            elif r.dep_ == "pobj" and r.head.head.i != r.head.i and (r.head.lower_ in ("including", "like") or (
                    r.head.lower_ == "as" and any(c.lower_ == "such" for c in r.head.children))):
                r = r.head.head  # "groups including / like / such as the Zetas"
            else:
                break
            if r.i in ids:
                return True
    return False


def _roles(trigger: Token, spec: Mapping[str, Any]) -> Iterable[tuple[list[Token], list[Token]]]:
    """(head-role tokens, tail-role tokens) the trigger offers under one type's frame."""
    lemma = trigger.lemma_.lower()
    give_v, get_v = _lex(spec, "give_verbs"), _lex(spec, "get_verbs")
    give_n, get_n = _lex(spec, "give_nouns"), _lex(spec, "get_nouns")
    obj_v = _lex(spec, "object_verbs")
    light_give, light_get = _lex(spec, "light_give"), _lex(spec, "light_get")
    to = ("to", "for", "into")
    if trigger.pos_ in ("VERB", "AUX") or trigger.tag_.startswith("VB"):
        if lemma in give_v:
            tails = _stand_ins(_preps(trigger, to))
            if lemma in obj_v:
                objs = [c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass")]
                part = trigger.head if trigger.dep_ == "conj" else trigger
                if part.dep_ == "acl" and trigger.tag_ == "VBN":
                    objs.append(part.head)  # "a task force advised and equipped by the DEA"
                tails += _stand_ins(objs)
                if spec.get("object_mods"):
                    tails += [m for o in objs for m in _modifiers(o)]
                places = _lex(spec, "object_place_preps")
                if places and objs and all(o.pos_ == "NOUN" and not o.ent_type_ for o in objs) \
                        and not any(m.ent_type_ for m in _stand_ins(objs)):
                    # "trained security forces in Guatemala": a generic object stands for where it is
                    tails += _preps_of(trigger, places) + [g for o in objs for g in _preps_of(o, places)]
            dobjs = [c for c in trigger.children if c.dep_ == "dobj"]
            if dobjs:
                # passive of a two-object verb: "Guatemala was given rifles by Israel"
                tails += _stand_ins([c for c in trigger.children if c.dep_ == "nsubjpass"])
                if not tails:
                    tails = _first_object(trigger, dobjs[0])
            agents = _agents(trigger)
            if not agents and any(c.dep_ == "nsubjpass" for c in trigger.children):
                # "was given rifles by Israel", with the by-phrase parsed under the object
                agents = [g for o in dobjs for c in o.children if c.dep_ == "prep" and c.lower_ == "by"
                          for g in c.children if g.dep_ == "pobj"]
                places = _lex(spec, "place_agent_preps")
                if not agents and places:
                    # "officers were trained in Israel": the country where it was done did it
                    # "trained in counterinsurgency in the United States": also a place under a prep object
                    hosts = [trigger] + [g for c in trigger.children if c.dep_ == "prep"
                                         for g in c.children if g.dep_ == "pobj"]
                    agents = [g for h in hosts for c in h.children if c.dep_ == "prep" and c.lower_ in places
                              for g in c.children if g.dep_ == "pobj"]
            if not agents and lemma not in obj_v:
                # passive with no by-agent: the owner of what was given gave it
                # ("Israeli arms have been sent to ...", "Guatemala's stockpiles were filtered to ...")
                agents = [m for c in trigger.children if c.dep_ == "nsubjpass" for m in _modifiers(c)]
            yield agents, tails
            yield _preps(trigger, ("from",)), tails  # "trafficked from the US to Brazil"
        if lemma in _lex(spec, "embedded_verbs") and trigger.dep_ in ("ccomp", "xcomp") \
                and trigger.head.lemma_.lower() in light_give:
            yield _agents(trigger.head), [c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass")]
        if lemma in _lex(spec, "refuge_verbs"):
            yield _preps(trigger, ("to", "in", "into")), _agents(trigger)
        if lemma in get_v:
            objs = [c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass")]
            # "bought weapons from Israel", "bought Israeli weapons", "ordered weaponry through SEDENA"
            sources = _preps(trigger, ("from", "through")) + [m for o in objs for m in _modifiers(o)]
            yield sources, _agents(trigger)
        if lemma in _lex(spec, "money_get_verbs") and any(
                c.ent_type_ == "MONEY" for o in trigger.children if o.dep_ == "dobj" for c in o.subtree):
            # "Peru received $38 million from the U.S."
            yield _preps(trigger, ("from",)), _agents(trigger)
    suffixes = tuple(spec.get("made_by_suffixes", ()))
    maker: Token | None = None
    if suffixes and trigger.dep_ in ("amod", "compound"):
        doc = trigger.doc
        if trigger.lower_.endswith(suffixes):  # one token: "U.S.-supplied"
            maker = trigger
        elif trigger.i >= 2 and doc[trigger.i - 1].text == "-" and "-" + trigger.lower_ in suffixes:
            maker = doc[trigger.i - 2]  # split: "Ruritania" "-" "supplied"
    if maker is not None:
        # "U.S.-supplied weapons": the country in the modifier supplied whoever holds the item
        item = trigger.head
        holders = [c for c in item.children if c.dep_ == "poss"]
        verb = _governing_verb(item)
        if verb is not None:
            holders += _agents(verb)
        yield [maker], holders
    if trigger.pos_ in ("NOUN", "PROPN"):
        verb = _governing_verb(trigger)
        mods = _modifiers(trigger)
        if lemma in _lex(spec, "agent_nouns"):
            yield from _agent_noun_roles(trigger, lemma in give_n, spec)
            return
        if lemma in give_n:
            preps = tuple(spec.get("noun_tail_preps", to))
            # a generic object stands for its modifier, as for verbs ("assistance in Honduras'
            # efforts", "training for Colombian police")
            tails = _stand_ins([g for c in trigger.children if c.dep_ == "prep" and c.lower_ in preps
                                for g in c.children if g.dep_ == "pobj"])
            if verb is not None:
                tails = tails + _preps(verb, to)
            owner = trigger.head.head if trigger.dep_ == "pobj" and trigger.head.lower_ == "in" else None
            acl_hosts = [trigger] + ([owner] if owner is not None and owner.ent_type_ == "MONEY" else [])
            for acl in (c for h in acl_hosts for c in h.children
                        if c.dep_ == "acl" and c.lemma_.lower() in light_give):
                # "the aid granted by the United States to the region", "$36 million in U.S. aid,
                # granted to Nicaragua": the giver is the by-agent or the noun's modifier
                yield _agents(acl) + mods, _preps(acl, to)
            heads = mods
            if spec.get("noun_mods_role") == "tail":
                heads, tails = [], tails + mods
            if verb is not None and verb.lemma_.lower() in light_give:
                passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
                yield _agents(verb), tails + passive
                if not tails and lemma in _lex(spec, "mutual_nouns"):
                    # "Israel and Mexico established diplomatic relations": each party is both
                    # roles (one direction is kept per pair downstream)
                    parties = [t for a in _agents(verb) for t in (a, *a.conjuncts)]
                    for a in parties:
                        yield [a], [b for b in parties if b.i != a.i]
                if passive:  # "he was granted Bolivian citizenship"
                    yield mods, passive
            if verb is not None and verb.lemma_.lower() in light_get:
                # "received training from Israel", "... in Israel" (place_agent_preps), "received $5
                # million in assistance from the US" (the from-phrase under the noun)
                srcs = ("from", *_lex(spec, "place_agent_preps"))
                yield _preps(verb, srcs) + _preps_of(trigger, srcs) + mods, _agents(verb)
            if verb is None:
                # "Uruguay extended recognition to Palestine", where the small parser makes the light
                # verb a modifier of the noun and the noun an object of the subject
                misparsed = [c for c in trigger.children if c.dep_ == "amod" and c.tag_ == "VBD"
                             and c.lemma_.lower() in light_give and c.i == trigger.i - 1]
                if misparsed and trigger.dep_ == "dobj" and trigger.head.ent_type_:
                    yield [trigger.head], tails + _preps_of(trigger, to)
            if heads:
                yield heads, tails
            if spec.get("noun_mods_role") != "tail":
                # "the recognition of Palestine by Venezuela", "the sale of drones by Israel to Mexico"
                yield _by_agents(trigger), tails
        if lemma in _lex(spec, "seat_nouns") and verb is not None and verb.lemma_.lower() in _lex(spec, "seat_verbs"):
            # "Israel opened an embassy in Bolivia": the opener recognises the host
            yield _agents(verb) + [m for m in mods if m.dep_ == "poss"], _preps_of(trigger, ("in",))
        if lemma in get_n:
            sources = [g for c in trigger.children if c.dep_ == "prep" and c.lower_ == "from"
                       for g in c.children if g.dep_ == "pobj"]
            yield sources, mods
            # "the purchase of drones by Mexico from Israel", "from" often parsed under "by"'s object
            buyers = _by_agents(trigger)
            yield sources + [g for b in buyers for c in b.children if c.dep_ == "prep" and c.lower_ == "from"
                             for g in c.children if g.dep_ == "pobj"], buyers


def _title_tokens(person: Span, titles: frozenset[str] | set[str]) -> list[Token]:
    """Post nouns a PERSON mention is tied to: "FARC commander X", "X, the director of Y",
    "Y's minister, X", "X is the head of Y"."""
    r = person.root
    out = [c for c in r.children if c.dep_ in ("compound", "appos", "nmod") and c.lemma_.lower() in titles
           and not (person.start <= c.i < person.end)]
    if r.dep_ in ("appos", "compound", "nmod") and r.head.lemma_.lower() in titles:
        out.append(r.head)
    if r.dep_ == "nsubj" and r.head.lemma_ == "be":
        out += [c for c in r.head.children if c.dep_ == "attr" and c.lemma_.lower() in titles]
    # "former head of ...": a title noun can itself be a compound chain ("Defense Minister")
    out += [c for t in list(out) for c in t.children if c.dep_ == "compound" and c.lemma_.lower() in titles]
    return out


def _organisations(title: Token) -> list[Token]:
    """Where a post is held: the title's modifiers and its of/at/for/in objects, chained
    ("director of investigations at the ministry")."""
    out, todo, seen = [], [title], set()
    while todo:
        t = todo.pop()
        if t.i in seen:
            continue
        seen.add(t.i)
        for c in t.children:
            if c.dep_ in _MODS and t is title:  # not "Argentina" in "director at Argentina's ministry"
                out.append(c)
            elif c.dep_ == "prep" and c.lower_ in ("of", "at", "for", "in", "with"):
                for g in c.children:
                    if g.dep_ == "pobj":
                        out.append(g)
                        todo.append(g)
    return out


def affiliation_frame(person: Span, org: Span, titles: frozenset[str] | set[str]) -> bool:
    """Does ``person`` hold a post in ``org`` by the syntax of the sentence?"""
    return any(_in(org, _organisations(t)) for t in _title_tokens(person, titles))


def attribution_source(span: Span, source_verbs: Iterable[str]) -> bool:
    """Is the mention cited as the source of the sentence's information ("according to El Nuevo
    Herald", "La Tercera reported", "told the AP")? Naming a source says nothing of who works
    for it."""
    r = span.root
    if r.dep_ == "pobj" and r.head.lower_ == "to" and r.head.head.lower_ == "according":
        return True
    # "according to Spanish news agency El Confidencial, X ...": the phrase up to the next
    # punctuation, however the parser attached it
    doc, k = span.doc, span.start - 1
    while k > span.sent.start and not (doc[k].is_punct or doc[k].pos_ in ("VERB", "AUX")):
        k -= 1
    if k > span.sent.start and doc[k].lower_ == "to" and doc[k - 1].lower_ == "according":
        return True
    verbs = _words(source_verbs)
    if r.dep_ in ("nsubj", "agent", "pobj") and r.head.lemma_.lower() in verbs:
        return True  # "La Tercera reported", "reported by the AP" (through the agent's pobj below)
    if r.dep_ == "pobj" and r.head.dep_ == "agent" and r.head.head.lemma_.lower() in verbs:
        return True
    return r.dep_ in ("dobj", "dative") and r.head.lemma_.lower() == "tell"


def acted_upon(person: Span, org: Span, member_verbs: Iterable[str]) -> bool:
    """Is the person only a fellow participant of the organisation, or the object of what it does
    ("Duarte and the Veracruz government embezzled", "the court indicted X", "X was arrested by
    the police")? Neither says the person belongs to it, unless the verb is one of hiring,
    appointing or dismissing (``member_verbs``)."""
    member_verbs = _words(member_verbs)
    p, o = person.root, org.root
    if o.i in {t.i for t in p.conjuncts} or p.i in {t.i for t in o.conjuncts}:
        return True
    objs = [p] + [c for c in (p.head,) if p.dep_ == "conj"]  # "indicted X and Y"
    for tok in objs:
        verb = tok.head
        if verb.lemma_.lower() in member_verbs:
            continue
        if tok.dep_ == "dobj" and o.dep_ == "nsubj" and o.head.i == verb.i:
            return True
        if tok.dep_ == "nsubjpass" and o.dep_ == "pobj" and o.head.dep_ == "agent" and o.head.head.i == verb.i:
            return True
    return False


def destination_only(person: Span, place: Span, member_verbs: Iterable[str]) -> bool:
    """Is the entity only where the person is sent or goes ("X was flown to the United States",
    "the extradition of X to Caracas", "sending X to the US")? A destination is no membership,
    unless the verb is one of posting or assigning (``member_verbs``: "transferred to the unit")."""
    r = place.root
    if r.dep_ != "pobj" or r.head.lower_ not in ("to", "into"):
        return False
    gov = r.head.head
    if gov.lemma_.lower() in _words(member_verbs):
        return False
    p = person.root
    if p.head.i == gov.i and p.dep_ in ("dobj", "nsubjpass", "nsubj"):
        return True
    # "the extradition of X to Caracas": the person is the event noun's of-object
    return p.dep_ == "pobj" and p.head.lower_ == "of" and p.head.head.i == gov.i


def nationality_only(state: Span, person: Span, private_roles: Iterable[str]) -> bool:
    """Does the STATE only qualify something else: another entity ("Spain's Basque ETA") or a
    private role ("Chilean car importer", "Colombian crime boss", "Colombia's drug traffickers")?
    A nationality or a country of operation is no post in its government."""
    private_roles = _words(private_roles)
    r = state.root
    if r.dep_ not in _MODS:
        return False
    head = r.head
    if head.ent_type_ and not (person.start <= head.i < person.end):
        return True
    return head.lemma_.lower() in private_roles


RoleTable = dict[str, list[tuple[list[Token], list[Token]]]]


def sentence_roles(sent: Span, frames: Mapping[str, Mapping[str, Any]]) -> RoleTable:
    """Every (head-role, tail-role) pair the sentence's trigger words offer, per type; computed
    once per sentence and shared by all its candidate pairs."""
    present = {e.label_ for e in sent.ents}
    table: RoleTable = {}
    for rtype, spec in frames.items():
        if rtype == "AFFILIATION":
            continue  # depends on the person mention, see affiliation_frame
        if spec.get("requires_labels") and not present & _lex(spec, "requires_labels") \
                and not any(t.lemma_.lower() in _lex(spec, "item_words") for t in sent):
            continue
        # only trigger words (and item modifiers, for "-supplied") can offer roles: skip the rest
        # cheaply instead of testing every token against every lexicon
        words = _trigger_words(spec)
        maker = bool(spec.get("made_by_suffixes"))
        toks = [t for t in sent if t.lemma_.lower() in words or (maker and t.dep_ in ("amod", "compound"))]
        # a pair with no head-role tokens still tells who is acted upon ("... is training Mexican
        # soldiers" with the subject lost to a mis-parse): kept for ``patient_types``
        table[rtype] = [(h, t) for tok in toks for h, t in _roles(tok, spec) if t]
    return table


# keys whose order matters (suffix and preposition tuples) stay sequences
_ORDERED = ("made_by_suffixes", "noun_tail_preps")
# the lexicon keys whose words are triggers in _roles (light verbs only act through a trigger noun)
_TRIGGER_KEYS = ("give_verbs", "get_verbs", "give_nouns", "get_nouns", "embedded_verbs", "refuge_verbs",
                 "money_get_verbs", "seat_nouns")


def match_frames(head: Span, tail: Span, roles: RoleTable, frames: Mapping[str, Mapping[str, Any]],
                 types: Iterable[str]) -> set[str]:
    """Types (among ``types``) for which ``head`` and ``tail`` fill the two roles of a frame."""
    hits: set[str] = set()
    for rtype in types:
        if rtype == "AFFILIATION":
            spec = frames.get("AFFILIATION")
            if spec and head.label_ == "PERSON" and affiliation_frame(head, tail, _lex(spec, "title_nouns")):
                hits.add(rtype)
        elif any(_in(head, h) and _in(tail, t) for h, t in roles.get(rtype, ())):
            hits.add(rtype)
    return hits


def patient_types(span: Span, roles: RoleTable, types: Iterable[str]) -> set[str]:
    """Types (among ``types``) for which ``span`` fills the tail role of a frame whose head role
    found no entity-bearing token (an agentless frame): the span is acted upon, not acting."""
    return {r for r in types if any(not h and _in(span, t) for h, t in roles.get(r, ()))}


def frame_types(head: Span, tail: Span, sent: Span, frames: Mapping[str, Mapping[str, Any]],
                types: Iterable[str]) -> set[str]:
    """Relation types (among ``types``) whose frame has ``head`` and ``tail`` in its two roles."""
    types = [t for t in types if t in frames]
    return match_frames(head, tail, sentence_roles(sent, {t: frames[t] for t in types}), frames, types) if types else set()


def dependency_path(a: Token, b: Token) -> list[tuple[str, Token]]:
    """Dependency path from ``a`` up to the lowest common ancestor and down to ``b``."""
    anc_a = [a] + list(a.ancestors)
    anc_b = [b] + list(b.ancestors)
    ids_b = {t.i: k for k, t in enumerate(anc_b)}
    for k, t in enumerate(anc_a):
        if t.i in ids_b:
            up = [("^" + x.dep_, x) for x in anc_a[:k]]
            down = [("v" + x.dep_, x) for x in reversed(anc_b[:ids_b[t.i]])]
            return up + [("lca", t)] + down
    return []


def hypothetical(head: Span, tail: Span, plan_words: Iterable[str], modals: Iterable[str]) -> bool:
    """Is the act tying the pair only planned or possible? SCHEMA.md: hypothetical or merely
    proposed events are not annotated. True when the dependency path between the pair runs through
    a plan word that the act complements ("announced plans to purchase helicopters from the U.S.",
    "seeks to buy") or through a verb with a modal auxiliary ("may have sold", "would fund")."""
    plan_words, modals = set(plan_words), set(modals)
    a, b = head.root, tail.root
    path = [tok for _, tok in dependency_path(a, b)]
    on_path = {t.i for t in path}
    for t in path:
        if t.i in (a.i, b.i):
            continue
        if t.lemma_.lower() in plan_words and any(c.i in on_path and c.dep_ in ("xcomp", "acl", "ccomp")
                                                  for c in t.children):
            return True
        if t.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.lower_ in modals for c in t.children):
            return True
    return False
