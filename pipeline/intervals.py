"""Document-level bootstrap confidence intervals for the micro-averaged scores.

With a handful of gold documents a point F1 says little on its own: one document more or less
moves it by several points. Resampling whole documents with replacement (not mentions, which
are correlated within a document) and recomputing the pooled P/R/F1 shows how far the figure
would move on another draw of documents like these. Intervals are percentile intervals from
``scipy.stats.bootstrap``; with few documents they are coarse (five documents allow only 126
distinct resamples) and tend to be too narrow, so read them as a lower bound on the uncertainty.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np
from scipy.stats import bootstrap

from .evaluate import score

# (section, level) pairs of score()'s output that are additive over documents
MICRO_LEVELS: tuple[tuple[str, str], ...] = (
    ("entities", "strict"),
    ("entities", "overlap"),
    ("relations", "mention_strict"),
    ("relations", "mention_overlap"),
    ("relations", "fact"),
)
_COUNTS = ("tp", "fp", "fn")


def _prf_arrays(totals: np.ndarray) -> dict[str, np.ndarray]:
    """P/R/F1 from a ``(..., 3)`` array of tp/fp/fn totals, with :func:`evaluate.prf`'s zero rules."""
    tp, fp, fn = totals[..., 0], totals[..., 1], totals[..., 2]
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1), 0.0)
        r = np.where(tp + fn > 0, tp / np.maximum(tp + fn, 1), 0.0)
        f = np.where(p + r > 0, 2 * p * r / np.where(p + r > 0, p + r, 1), 0.0)
    return {"p": p, "r": r, "f": f}


def per_document_counts(per_doc: Sequence[Mapping[str, Any]]) -> np.ndarray:
    """``(n_documents, len(MICRO_LEVELS), 3)`` tp/fp/fn counts from per-document score dicts."""
    return np.array([[[doc[section][level][c] for c in _COUNTS] for section, level in MICRO_LEVELS]
                     for doc in per_doc], dtype=float).reshape(len(per_doc), len(MICRO_LEVELS), 3)


def bootstrap_intervals(per_doc: Sequence[Mapping[str, Any]], n_resamples: int = 2000,
                        confidence: float = 0.95, seed: int = 0) -> dict[str, Any]:
    """Percentile intervals of pooled P/R/F1, resampling documents.

    ``per_doc`` holds one :func:`pipeline.evaluate.score` dict per document (e.g. the folds of a
    leave-one-document-out run). Returns ``{"method", "n_documents", "n_resamples",
    "confidence", "entities": {"strict": {"p": [lo, hi], "r": ..., "f": ...}, "overlap": ...},
    "relations": {"mention_strict": ..., "mention_overlap": ..., "fact": ...}}``. With fewer than
    two documents there is nothing to resample and every interval is ``None``.
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence}")
    if n_resamples < 1:
        raise ValueError(f"n_resamples must be positive, got {n_resamples}")
    counts = per_document_counts(per_doc)
    out: dict[str, Any] = {"method": "document bootstrap, percentile", "n_documents": len(per_doc),
                           "n_resamples": n_resamples, "confidence": confidence}
    for k, (section, level) in enumerate(MICRO_LEVELS):
        cell: dict[str, list[float] | None] = {}
        for metric in ("p", "r", "f"):
            if len(per_doc) < 2:
                cell[metric] = None
                continue

            def statistic(idx: np.ndarray, axis: int = -1, k: int = k, metric: str = metric) -> np.ndarray:
                # idx holds resampled document indices; sum their counts, then score the pool
                totals = counts[idx.astype(int), k, :].sum(axis=-2)
                return _prf_arrays(totals)[metric]

            res = bootstrap((np.arange(len(per_doc)),), statistic, n_resamples=n_resamples,
                            vectorized=True, confidence_level=confidence, method="percentile",
                            rng=np.random.default_rng(seed))
            ci = res.confidence_interval
            cell[metric] = [round(float(ci.low), 4), round(float(ci.high), 4)]
        out.setdefault(section, {})[level] = cell
    return out


def score_documents(gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]],
                    label_map: Mapping[str, str | None] | None = None) -> list[dict[str, Any]]:
    """One :func:`pipeline.evaluate.score` dict per gold document, paired by id as ``score`` pairs them.

    The first prediction of an id is used and a gold document without one is scored as empty, so
    the per-document counts add up to ``score(gold, pred)``'s micro counts.
    """
    first: dict[str, Mapping[str, Any]] = {}
    for rec in pred:
        first.setdefault(str(rec.get("id")), rec)
    return [score([g], [first[str(g["id"])]] if str(g["id"]) in first else [], label_map) for g in gold]
