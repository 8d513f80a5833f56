"""Pattern and knowledge builders for the entity stage: the country alias table, the domain
SpanRuler patterns and the schema-rule patterns, and the rulers that match them.

These are data, read once when the pipeline is assembled; the per-document merge of their matches
with the NER is ``pipeline/entities.py``. They live apart so that modules needing only the
knowledge (``normalise`` reads the alias table) do not import the merger.
"""

from __future__ import annotations

import itertools
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language

from .schema import ENTITY_LABELS

DATA_DIR = Path(__file__).parent / "data"


@lru_cache(maxsize=4)
def load_state_aliases(path: str | None = None) -> dict[str, Any]:
    """Load the state alias table and add every country name that pycountry knows."""
    import pycountry

    data = json.loads(Path(path or DATA_DIR / "state_aliases.json").read_text(encoding="utf-8"))
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            val = getattr(c, attr, None)
            if val and "," not in val:
                names[val] = c.alpha_3
    for c in pycountry.historic_countries:
        if getattr(c, "name", None) and "," not in c.name:
            names.setdefault(c.name, c.alpha_3)
    names.update(data.get("aliases", {}))
    data["names"] = names
    return data


@lru_cache(maxsize=1)
def state_surface_forms() -> frozenset[str]:
    """Every country name and demonym in the alias table (for filtering base NORP entities)."""
    al = load_state_aliases()
    return frozenset(al["demonyms"]) | frozenset(al["names"])


def state_patterns(aliases: dict[str, Any]) -> list[dict[str, Any]]:
    """SpanRuler phrase patterns for country names and demonyms (not metonyms: too ambiguous)."""
    pats = []
    for table in ("names", "demonyms"):
        for text, code in sorted(aliases[table].items()):
            pats.append({"label": "STATE", "pattern": text, "id": code})
    return pats


GOV_WORDS = ["government", "governments", "regime", "regimes", "administration", "administrations", "junta",
             "juntas", "dictatorship", "dictatorships"]
GOV_MODIFIERS = ["military", "new", "former", "current", "previous", "succeeding", "then", "far", "-", "right",
                 "left", "wing", "leftist", "rightist", "civilian", "federal", "interim", "transitional", "de",
                 "facto", "socialist", "communist", "authoritarian", "brutal", "repressive", "national", "central",
                 "incoming", "outgoing", "elected", "coup", "successive", "various", "two"]

ORG_MODIFIERS = ["federal", "national", "state", "armed", "special", "military", "security", "naval", "air",
                 "defense", "defence", "foreign", "interior", "justice", "intelligence", "police", "border"]
ORG_HEADS = ["army", "military", "police", "navy", "marines", "forces", "ministry", "embassy", "intelligence",
             "guard", "gendarmerie", "congress", "parliament", "senate", "legislature", "judiciary"]

# heads of a definite organisation named by its owner ("Chile's customs agency")
POSSESSED_ORG_HEADS = ORG_HEADS + ["agency", "institute", "party", "force", "office", "court", "service", "unit",
                                   "division", "department", "commission", "bureau", "council", "ministry"]
# pattern id of the owner-named ORG patterns: span_rules.fit_rule_span splits the owner off them
POSSESSED = "possessed"


def rule_patterns(aliases: dict[str, Any], path: Path | None = None) -> list[dict[str, Any]]:
    """Schema rules as patterns: government phrases are STATE (GUIDELINES §2, §3.1), and names of
    programmes, laws and industries are never entities (label ``_BLOCK``)."""
    the = {"LOWER": "the", "OP": "?"}
    mods = {"LOWER": {"IN": GOV_MODIFIERS}, "OP": "*"}
    gov = {"LOWER": {"IN": GOV_WORDS}}
    demonyms = sorted({d.lower() for d in aliases["demonyms"]} | {n.lower() for n in aliases["names"] if " " not in n})
    pats: list[dict[str, Any]] = [
        {"label": "STATE", "pattern": [the, mods, {"LOWER": {"IN": demonyms}}, mods, gov], "id": ""},
        {"label": "STATE", "pattern": [the, mods, {"POS": "PROPN", "OP": "+"}, mods, gov], "id": ""},
        {"label": "STATE", "pattern": [the, mods, gov], "id": ""},
        {"label": "STATE", "pattern": [{"POS": "PROPN", "OP": "+"}, {"LOWER": {"IN": ["’s", "'s"]}}, mods, gov],
         "id": ""},
        {"label": "STATE", "pattern": [the, mods, gov, {"LOWER": "of"}, {"POS": "PROPN", "OP": "+"}], "id": ""},
        # GUIDELINES §3.1, leader-named governments: "the administration of Argentine President
        # Mauricio Macri" is one STATE span
        {"label": "STATE", "pattern": [the, mods, gov, {"LOWER": "of"}, {"LOWER": {"IN": demonyms}},
                                       {"POS": "PROPN", "OP": "+"}], "id": ""},
        {"label": "STATE", "pattern": [the, {"ORTH": "State"}, {"LOWER": "of"}, {"POS": "PROPN", "OP": "+"}],
         "id": ""},
    ]
    org_mods = {"LOWER": {"IN": ORG_MODIFIERS}, "OP": "*"}
    org_head = {"LOWER": {"IN": ORG_HEADS}}
    pats += [
        {"label": "ORG", "pattern": [the, {"LOWER": {"IN": demonyms}}, org_mods, org_head], "id": ""},
        {"label": "ORG", "pattern": [the, {"LOWER": {"IN": demonyms}}, org_mods, org_head, {"LOWER": "and"},
                                     org_mods, org_head], "id": ""},
        # GUIDELINES §1: a definite description of one specific organisation is ORG ("the army",
        # "the armed forces"); the bare generic plural is not
        {"label": "ORG", "pattern": [{"LOWER": "the"}, org_mods, org_head], "id": ""},
        # ... and so is one named by its owner: "Chile's customs agency", "the country's military"
        # (the possessor is not part of the span: span_rules.fit_rule_span trims it)
        {"label": "ORG", "pattern": [{"POS": "PROPN", "OP": "+"}, {"LOWER": {"IN": ["’s", "'s"]}},
                                     {"IS_LOWER": True, "POS": {"IN": ["ADJ", "NOUN", "VERB"]}, "OP": "{0,3}"},
                                     {"LOWER": {"IN": POSSESSED_ORG_HEADS}, "IS_LOWER": True}], "id": POSSESSED},
        {"label": "ORG", "pattern": [{"LOWER": {"IN": ["country", "nation"]}}, {"LOWER": {"IN": ["’s", "'s"]}},
                                     {"IS_LOWER": True, "POS": {"IN": ["ADJ", "NOUN", "VERB"]}, "OP": "{0,3}"},
                                     {"LOWER": {"IN": POSSESSED_ORG_HEADS}, "IS_LOWER": True}], "id": POSSESSED},
    ]
    path = path or DATA_DIR / "non_entities.jsonl"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                pats.append({**json.loads(line), "label": "_BLOCK"})
    return pats


def add_rules(nlp: Language, name: str = "secrel_rules", spans_key: str = "rules", **kwargs: Any) -> Any:
    """A second SpanRuler for the schema rules (runs after the parser: patterns use POS)."""
    ruler = nlp.add_pipe("span_ruler", name=name, config={"spans_key": spans_key, "spans_filter": None,
                                                          "phrase_matcher_attr": None, "validate": False},
                         **kwargs)
    ruler.add_patterns(rule_patterns(load_state_aliases()))
    return ruler


DEFAULT_DOMAIN_PATTERNS = "domain_patterns.jsonl"


def domain_patterns_path(name: str | Path | None = None) -> Path:
    """The domain-pattern file a config names (``[secrel] domain_patterns``): a bare name is looked
    up in ``pipeline/data/``, a path with a folder is taken as it is; None is the shipped list."""
    if name is None:
        return DATA_DIR / DEFAULT_DOMAIN_PATTERNS
    path = Path(name)
    return path if path.is_absolute() or path.parent != Path(".") else DATA_DIR / path


def domain_patterns(path: Path | None = None) -> list[dict[str, Any]]:
    """The hand-written domain patterns (general knowledge of the field) plus state patterns."""
    path = path or domain_patterns_path()
    if not path.exists():
        raise FileNotFoundError(f"domain pattern file {path} does not exist ([secrel] domain_patterns)")
    pats: list[dict[str, Any]] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            pat = json.loads(line)
            if pat.get("label") not in ENTITY_LABELS:
                raise ValueError(f"{path}:{lineno}: label {pat.get('label')!r} is not a schema label")
            pats.append(pat)
    return pats + state_patterns(load_state_aliases())


MAX_EXPANSIONS = 200


@lru_cache(maxsize=4)
def item_head_words(path: Path | None = None) -> frozenset[str]:
    """Head words of the WEAPON/SURVEILLANCE domain lists ("rifles", "helicopters", "spyware"):
    the nouns an item mention can end in."""
    out: set[str] = set()
    for pat in domain_patterns(path):
        if pat["label"] not in ("WEAPON", "SURVEILLANCE"):
            continue
        p = pat["pattern"]
        if isinstance(p, str):
            out.add(p.split()[-1].lower())
            continue
        last = p[-1].get("LOWER") or p[-1].get("ORTH") or p[-1].get("LEMMA")
        out.update(w.lower() for w in (last.get("IN", []) if isinstance(last, dict) else [last]) if w)
    return frozenset(out)


def _expand_lower(pattern: list[dict[str, Any]]) -> list[str] | None:
    """Phrases equivalent to a token pattern of plain LOWER/ORTH tokens, without its optional
    leading count (added back by the merger); None when the pattern is not of that form."""
    toks = list(pattern)
    if toks and set(toks[0]) == {"LIKE_NUM", "OP"} and toks[0].get("OP") == "?":
        toks = toks[1:]
    options: list[list[str | None]] = []
    for t in toks:
        keys = set(t) - {"OP"}
        if t.get("OP") not in (None, "?") or len(keys) != 1:
            return None
        val = t[next(iter(keys))]
        if keys == {"LOWER"}:
            vals = val["IN"] if isinstance(val, dict) and set(val) == {"IN"} else [val]
        elif keys == {"ORTH"} and isinstance(val, str):
            vals = [val]
        else:
            return None
        if not all(isinstance(v, str) for v in vals):
            return None
        options.append(list(vals) + ([None] if t.get("OP") == "?" else []))
    combos = 1
    for o in options:
        combos *= len(o)
    if not options or combos > MAX_EXPANSIONS:
        return None
    phrases = {" ".join(w for w in combo if w) for combo in itertools.product(*options)}
    return sorted(p for p in phrases if p)


def add_ruler(nlp: Language, name: str = "secrel_ruler", spans_key: str = "ruler", patterns_file: Path | None = None,
              **kwargs: Any) -> Any:
    """Add the domain-pattern rulers: case-sensitive names and residual token patterns in
    ``doc.spans[spans_key]``, and the generic lower-case terms, expanded into phrases for a
    hash-based PhraseMatcher (much faster than the equivalent token patterns), in
    ``doc.spans[spans_key + "_lower"]``."""
    exact, lower = [], []
    for pat in domain_patterns(patterns_file):
        phrases = _expand_lower(pat["pattern"]) if isinstance(pat["pattern"], list) else None
        if phrases is None:
            exact.append(pat)
        else:
            lower.extend({"label": pat["label"], "pattern": ph, "id": pat.get("id", "")} for ph in phrases)
    ruler = nlp.add_pipe("span_ruler", name=name, config={"spans_key": spans_key, "spans_filter": None,
                                                          "phrase_matcher_attr": None, "validate": False},
                         **kwargs)
    ruler.add_patterns(exact)
    low = nlp.add_pipe("span_ruler", name=name + "_lower", after=name,
                       config={"spans_key": spans_key + "_lower", "spans_filter": None,
                               "phrase_matcher_attr": "LOWER", "validate": False})
    low.add_patterns(lower)
    return ruler

