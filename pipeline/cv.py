"""Leave-one-document-out cross-validation.

For each gold document, every trainable stage is trained on the other documents only, then the
held-out document is extracted from its raw text and scored. Nothing learned from the held-out
document reaches its fold: the NER and the relation classifier are retrained per fold, and the
only knowledge shared across folds is the hand-written domain lists (general knowledge) and the
configuration, which is fixed before any fold runs.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from .build import load_config
from .evaluate import score
from .extract import Extractor
from .intervals import bootstrap_intervals
from .train import parse_gold, train

TRAINED_STAGES = {"ner", "relations", "transformer_ner", "transformer_relations"}


def cross_validate(records: Sequence[dict[str, Any]], config: str | Path, seed: int | None = None,
                   progress: Callable[[str], None] = lambda m: None,
                   label_map: dict[str, str | None] | None = None,
                   extra_train: Sequence[dict[str, Any]] = (),
                   extra_train_entities: Sequence[dict[str, Any]] = (),
                   n_resamples: int = 2000, confidence: float = 0.95) -> dict[str, Any]:
    """Pooled (micro) scores over held-out predictions, plus per-fold scores, timings and intervals.

    ``intervals`` holds document-bootstrap confidence intervals of the pooled micro P/R/F1
    (:func:`pipeline.intervals.bootstrap_intervals`, resampling the held-out documents).

    ``extra_train`` documents join every fold's training set and are never evaluated (e.g. a
    development set annotated from other sources); their ids must not clash with ``records``.
    ``extra_train_entities`` documents join every fold's entity training only.
    """
    cfg = load_config(config)
    trainable = bool(TRAINED_STAGES & set(cfg["secrel"]["stages"]))
    if trainable and len(records) < 2:
        raise ValueError("cross-validation needs at least two annotated documents")
    clash = {r["id"] for r in records} & {r["id"] for r in list(extra_train) + list(extra_train_entities)}
    if clash:
        raise ValueError(f"extra training documents also in the evaluated set: {sorted(clash)[:5]}")
    parsed = parse_gold(records, cfg) if trainable else None
    extra_parsed = parse_gold(list(extra_train), cfg) if trainable and extra_train else []
    # extra documents are another domain than the evaluated set (relations.domain_adaptation)
    extra_ids = {r["id"] for r in extra_train}
    predictions: list[dict[str, Any]] = []
    folds = []
    t_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="secrel-cv-") as tmp:
        for k, held in enumerate(records):
            t0 = time.perf_counter()
            progress(f"fold {k + 1}/{len(records)}: held out {held['id']}")
            if trainable:
                train_recs = [r for r in records if r["id"] != held["id"]] + list(extra_train)
                train_parsed = [p for r, p in zip(records, parsed or []) if r["id"] != held["id"]] + extra_parsed
                fold_dir = Path(tmp) / f"fold{k}"
                train(train_recs, config, fold_dir, seed=seed, parsed=train_parsed,
                      entity_only=list(extra_train_entities), source_ids=extra_ids)
                extractor = Extractor.from_model(fold_dir)
            else:
                extractor = Extractor.from_config(config)
            t_train = time.perf_counter() - t0
            t1 = time.perf_counter()
            pred = extractor.process_one(held["id"], held["text"], {})
            t_pred = time.perf_counter() - t1
            predictions.append(pred)
            fold_scores = score([held], [pred], label_map)
            folds.append({"held_out": held["id"], "train_seconds": round(t_train, 1),
                          "predict_seconds": round(t_pred, 2), "words": len(held["text"].split()),
                          "scores": fold_scores})
            progress(f"  entities overlap F1 {fold_scores['entities']['overlap']['f']:.3f}, "
                     f"relations fact F1 {fold_scores['relations']['fact']['f']:.3f}")
    pooled = score(list(records), predictions, label_map)
    words = sum(f["words"] for f in folds)
    pred_s = sum(f["predict_seconds"] for f in folds)
    pooled["cv"] = {"config": cfg["secrel"]["name"], "scheme": "leave-one-document-out",
                    "n_folds": len(folds), "extra_train_documents": len(extra_train),
                    "extra_entity_training_documents": len(extra_train_entities), "seed": seed if seed is not None else int(cfg["secrel"]["seed"]),
                    "total_seconds": round(time.perf_counter() - t_all, 1),
                    "predict_words_per_second": round(words / pred_s, 1) if pred_s else None}
    pooled["intervals"] = bootstrap_intervals([f["scores"] for f in folds], n_resamples, confidence,
                                              seed=pooled["cv"]["seed"])
    pooled["folds"] = folds
    pooled["predictions"] = predictions
    return pooled
