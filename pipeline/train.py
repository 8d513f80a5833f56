"""Training: every trainable stage of a configuration, from annotation records.

The model folder gets ``config.cfg`` (the exact configuration), ``meta.json`` (data, seed,
timings, losses and the candidate recall on the training data — labelled as such, never as
accuracy), ``ner/`` (spaCy ``to_disk``)
or ``transformer_ner/`` (safetensors), and ``relations/model.skops`` or
``transformer_relations/``. Same data, config and seed give identical predictions. Held-out
figures come from :mod:`pipeline.cv` (``secrel train --cv`` saves them as ``metrics.json``).
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import time
import warnings
from pathlib import Path
from typing import Any, Callable, Collection, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from thinc.api import Config

from . import __version__
from .build import add_base_stages, load_base, load_config, relation_component_config, resolve_config_path
from .records import SpanKey, ensure_extensions
from .relations import NONE, SOURCE_DOMAIN, TARGET_DOMAIN, RelationClassifier, RelationModel, augment
from .schema import ENTITY_LABELS
from .textnorm import normalize_text

Progress = Callable[[str], None]


def _quiet(msg: str) -> None:
    pass


def chunk_examples(record: dict[str, Any], max_chars: int, heading_max_chars: int = 60
                   ) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Split a record's normalised text into chunks at line/sentence ends never inside an entity."""
    text = normalize_text(record["text"], heading_max_chars)
    spans = sorted((e["start_offset"], e["end_offset"], e["label"]) for e in record["entities"])
    inside = bytearray(len(text) + 1)
    for s, e, _ in spans:
        for k in range(s + 1, e):
            inside[k] = 1
    cuts = [k + 1 for k, ch in enumerate(text) if ch == "\n" or (ch == " " and k > 0 and text[k - 1] in ".!?")]
    cuts = [c for c in cuts if not inside[c]] + [len(text)]
    out = []
    start = 0
    last_ok = None
    for c in cuts:
        if c - start > max_chars and last_ok is not None and last_ok > start:
            out.append((start, last_ok))
            start = last_ok
        last_ok = c
    out.append((start, len(text)))
    examples = []
    for s, e in out:
        chunk = text[s:e]
        if not chunk.strip():
            continue
        ents = [(a - s, b - s, lab) for a, b, lab in spans if a >= s and b <= e]
        examples.append((chunk, ents))
    return examples


def train_spacy_ner(examples: Sequence[tuple[str, list[tuple[int, int, str]]]], cfg: Config, out_dir: Path,
                    seed: int, progress: Progress = _quiet) -> dict[str, Any]:
    """Fine-tune en_core_web_sm's NER (its own tok2vec) on the schema labels."""
    ncfg = cfg["ner"]
    spacy.util.fix_random_seed(seed)
    base = cfg["secrel"]["base"]
    nlp = spacy.load(base, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
    ner = nlp.get_pipe("ner")
    for label in ENTITY_LABELS:
        ner.add_label(label)
    exs = []
    misaligned = 0
    for text, ents in examples:
        doc = nlp.make_doc(text)
        good = []
        for s, e, lab in ents:
            if doc.char_span(s, e, alignment_mode="strict") is None:
                misaligned += 1
            good.append((s, e, lab))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # misaligned spans become missing values, counted above
            exs.append(Example.from_dict(doc, {"entities": good}))
    optimizer = nlp.resume_training()
    rng = random.Random(seed)
    t0 = time.perf_counter()
    losses_hist = []
    for epoch in range(int(ncfg["epochs"])):
        order = list(range(len(exs)))
        rng.shuffle(order)
        losses: dict[str, float] = {}
        for k in range(0, len(order), int(ncfg["batch_size"])):
            batch = [exs[i] for i in order[k:k + int(ncfg["batch_size"])]]
            nlp.update(batch, drop=float(ncfg["dropout"]), sgd=optimizer, losses=losses)
        losses_hist.append(round(float(losses.get("ner", 0.0)), 3))
        progress(f"ner epoch {epoch + 1}/{ncfg['epochs']} loss {losses.get('ner', 0.0):.1f}")
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir)
    return {"train_seconds": round(time.perf_counter() - t0, 1), "n_examples": len(exs),
            "n_entities": sum(len(e) for _, e in examples), "misaligned_spans": misaligned,
            "epochs": int(ncfg["epochs"]), "loss_per_epoch": losses_hist}


def base_parser(cfg: Config) -> Language:
    """The linguistic base used to parse training documents for relation features."""
    return add_base_stages(load_base(cfg), cfg)


def parse_gold(records: Sequence[dict[str, Any]], cfg: Config, nlp: Language | None = None
               ) -> list[tuple[Doc, dict[tuple[SpanKey, SpanKey], str]]]:
    """Parsed Docs carrying the gold entities (with kb ids) and the gold relation map."""
    ensure_extensions()
    nlp = nlp or base_parser(cfg)
    heading = int(cfg["normalize"]["heading_max_chars"])
    texts = [normalize_text(r["text"], heading) for r in records]
    out = []
    for rec, doc in zip(records, nlp.pipe(texts)):
        spans = []
        keys: dict[int, SpanKey] = {}
        for e in sorted(rec["entities"], key=lambda x: x["start_offset"]):
            span = doc.char_span(e["start_offset"], e["end_offset"], label=e["label"],
                                 kb_id=e.get("kb_id") or "", alignment_mode="expand")
            if span is None or (spans and span.start < spans[-1].end):
                continue
            spans.append(span)
            keys[e["id"]] = (span.start_char, span.end_char, e["label"])
        doc.ents = spans
        gold = {(keys[r["from_id"]], keys[r["to_id"]]): r["type"] for r in rec["relations"]
                if r["from_id"] in keys and r["to_id"] in keys}
        out.append((doc, gold))
    return out


def train_relation_model(examples: Sequence[tuple[Doc, dict[tuple[SpanKey, SpanKey], str]]], cfg: Config,
                         out_dir: Path, seed: int, source: Sequence[bool] | None = None) -> dict[str, Any]:
    """Fit the scikit-learn relation classifier on candidates over gold entities.

    ``source`` flags the examples from another domain than the one the model is for. With
    ``relations.domain_adaptation`` and at least one flagged example, features are augmented
    per domain (:func:`augment`) and the model predicts as the target domain; otherwise every
    example is trained alike.
    """
    rcfg = cfg["relations"]
    comp = RelationClassifier(**relation_component_config(cfg))
    flags = list(source) if source is not None else [False] * len(examples)
    if len(flags) != len(examples):
        raise ValueError(f"{len(flags)} domain flags for {len(examples)} relation training documents")
    adapted = bool(rcfg.get("domain_adaptation", False)) and any(flags)
    X, y = [], []
    per_doc: list[tuple[list, list[dict[str, float]], list[str], dict]] = []
    covered = total = 0
    t0 = time.perf_counter()
    for (doc, gold), from_source in zip(examples, flags):
        domain = SOURCE_DOMAIN if from_source else TARGET_DOMAIN
        seen = set()
        dc, dX, dy = [], [], []
        for cand in comp.candidates(doc):
            key = ((cand.head.start_char, cand.head.end_char, cand.head.label_),
                   (cand.tail.start_char, cand.tail.end_char, cand.tail.label_))
            label = gold.get(key, NONE)
            if label != NONE and label not in cand.types:
                label = NONE
            if label != NONE:
                seen.add(key)
            feats = comp.features(cand)
            if adapted:
                feats = augment(feats, domain)
            X.append(feats)
            y.append(label)
            dc.append(cand)
            dX.append(feats)
            dy.append(label)
        per_doc.append((dc, dX, dy, gold))
        covered += len(seen)
        total += len(gold)
    tuned = None
    if rcfg.get("tune_threshold", False) and len(per_doc) >= 3:
        tuned = tune_threshold(per_doc, comp, rcfg, seed)
        comp.threshold = tuned["threshold"]
    model = RelationModel(C=float(rcfg["C"]), class_weight=rcfg.get("class_weight") or None, seed=seed,
                          strategy=rcfg.get("strategy", "multiclass")).fit(X, y)
    model.domain_adapted = adapted
    comp.model = model
    comp.to_disk(out_dir)
    return {"train_seconds": round(time.perf_counter() - t0, 1), "n_candidates": len(X),
            "threshold": comp.threshold, "threshold_tuning": tuned,
            "n_positive": sum(1 for v in y if v != NONE), "gold_relations": total,
            "domain_adapted": adapted, "source_domain_documents": sum(flags),
            "candidate_recall_on_training_data": round(covered / total, 4) if total else None}


def tune_threshold(per_doc: list[tuple[list, list[dict[str, float]], list[str], dict]], comp: RelationClassifier,
                   rcfg: Config, seed: int) -> dict[str, Any]:
    """Pick the decision threshold by inner leave-one-document-out over the training documents only.

    Mention-level F1 (type + exact head/tail) is computed for each threshold of the grid on the
    inner held-out documents; the best one (ties: the higher threshold) is kept.
    """
    grid = [float(x) for x in rcfg.get("threshold_grid", [0.2, 0.3, 0.4, 0.5, 0.6, 0.7])]
    scored_docs = []
    for j in range(len(per_doc)):
        Xtr = [f for k, d in enumerate(per_doc) if k != j for f in d[1]]
        ytr = [lab for k, d in enumerate(per_doc) if k != j for lab in d[2]]
        if len(set(ytr)) < 2 or not per_doc[j][0]:
            continue
        m = RelationModel(C=float(rcfg["C"]), class_weight=rcfg.get("class_weight") or None, seed=seed,
                          strategy=rcfg.get("strategy", "multiclass")).fit(Xtr, ytr)
        scored_docs.append((list(zip(per_doc[j][0], m.predict_proba(per_doc[j][1]))), per_doc[j][3]))
    results = {}
    saved = comp.threshold
    for th in grid:
        comp.threshold = th
        tp = fp = fn = 0
        for scored, gold in scored_docs:
            pred = {((c.head.start_char, c.head.end_char, c.head.label_),
                     (c.tail.start_char, c.tail.end_char, c.tail.label_), rtype) for c, rtype, _ in comp.decide(scored)}
            gset = {(h, t, r) for (h, t), r in gold.items()}
            tp += len(pred & gset)
            fp += len(pred - gset)
            fn += len(gset - pred)
        results[th] = round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0
    comp.threshold = saved
    best = max(grid, key=lambda th: (results[th], th))
    return {"threshold": best, "inner_f1": {str(k): v for k, v in results.items()}}


def data_fingerprint(records: Sequence[dict[str, Any]], cfg_text: str, seed: int) -> str:
    h = hashlib.sha256()
    for r in sorted(records, key=lambda r: r["id"]):
        h.update(json.dumps(r, sort_keys=True, ensure_ascii=False).encode())
    h.update(cfg_text.encode())
    h.update(str(seed).encode())
    return h.hexdigest()[:12]


def train(records: Sequence[dict[str, Any]], config: str | Path, output: Path, seed: int | None = None,
          progress: Progress = _quiet, parsed: Sequence[tuple[Doc, dict]] | None = None,
          entity_only: Sequence[dict[str, Any]] = (), source_ids: Collection[str] = ()) -> dict[str, Any]:
    """Train every trainable stage of ``config`` on ``records`` into ``output``; returns meta.

    ``entity_only`` documents train the entity stages only (e.g. annotated text from another
    domain, good for names but with relations said differently); ``parsed`` are ``records``
    already parsed for the relation stage. ``source_ids`` names the ``records`` that come from
    another domain than the model is for: they train every stage, and with
    ``relations.domain_adaptation`` the relation classifier keeps their habits apart (augment).
    """
    if not records:
        raise ValueError("no annotation records to train on")
    cfg_path = resolve_config_path(config)
    cfg = load_config(cfg_path)
    seed = int(cfg["secrel"]["seed"] if seed is None else seed)
    stages = cfg["secrel"]["stages"]
    if output.exists():
        shutil.rmtree(output)
    output.mkdir(parents=True)
    cfg_text = cfg_path.read_text(encoding="utf-8")
    (output / "config.cfg").write_text(cfg_text, encoding="utf-8")
    # which documents trained the entity stages only is part of what was trained
    split = "\nentity_only=" + ",".join(sorted(r["id"] for r in entity_only))
    sources = sorted(r["id"] for r in records if r["id"] in source_ids)
    if sources:
        split += "\nsource_domain=" + ",".join(sources)
    fingerprint = data_fingerprint(list(records) + list(entity_only), cfg_text + split, seed)
    meta: dict[str, Any] = {"model_id": f"secrel-{cfg['secrel']['name']}-{fingerprint}",
                            "config": cfg["secrel"]["name"], "seed": seed, "secrel_version": __version__,
                            "spacy_version": spacy.__version__, "base": cfg["secrel"]["base"],
                            "trained_on": sorted(r["id"] for r in records),
                            "entity_only": sorted(r["id"] for r in entity_only),
                            "source_domain": sources,
                            "n_entities": sum(len(r["entities"]) for r in records),
                            "n_relations": sum(len(r["relations"]) for r in records)}
    t0 = time.perf_counter()
    heading = int(cfg["normalize"]["heading_max_chars"])
    ner_examples = [ex for r in list(records) + list(entity_only) for ex in chunk_examples(r, int(cfg["ner"]["max_chunk_chars"])
                                                                  if "ner" in cfg else 1500, heading)]
    if "ner" in stages:
        progress("training spaCy NER")
        meta["ner"] = train_spacy_ner(ner_examples, cfg, output / "ner", seed, progress)
    if "transformer_ner" in stages:
        from .transformer import train_ner

        progress("training transformer NER")
        meta["transformer_ner"] = train_ner(ner_examples, cfg, output / "transformer_ner", seed)
    if "relations" in stages or "transformer_relations" in stages:
        progress("parsing training documents")
        rel_examples = list(parsed) if parsed is not None else parse_gold(records, cfg)
        if "relations" in stages:
            progress("training relation classifier")
            meta["relations"] = train_relation_model(rel_examples, cfg, output / "relations", seed,
                                                     source=[r["id"] in source_ids for r in records])
        if "transformer_relations" in stages:
            from .transformer import train_relations

            progress("training transformer relation classifier")
            meta["transformer_relations"] = train_relations(rel_examples, cfg, output / "transformer_relations", seed)
    meta["train_seconds"] = round(time.perf_counter() - t0, 1)
    (output / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return meta

