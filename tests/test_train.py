"""Training: determinism, saved formats, inner-CV threshold selection, chunking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.build import load_config
from pipeline.extract import Extractor
from pipeline.train import chunk_examples, parse_gold, train, train_relation_model


def test_same_data_and_seed_give_identical_predictions(tmp_path: Path, gold_records, small_config, small_model):
    again = tmp_path / "again"
    train(gold_records[:3], small_config, again, seed=0)
    a = Extractor.from_model(small_model).process_one("x", gold_records[4]["text"])
    b = Extractor.from_model(again).process_one("x", gold_records[4]["text"])
    a["pipeline"].pop("model"), b["pipeline"].pop("model")
    assert json.dumps(a) == json.dumps(b)
    meta = json.loads((again / "meta.json").read_text())
    assert meta["trained_on"] == sorted(r["id"] for r in gold_records[:3])
    # load-safe formats only: spaCy to_disk and skops, no pickle files
    files = {p.suffix for p in again.rglob("*") if p.is_file()}
    assert ".pkl" not in files and ".pickle" not in files
    assert (again / "relations" / "model.skops").exists() and (again / "ner" / "meta.json").exists()


def test_chunks_never_cut_an_entity(gold_records):
    rec = gold_records[0]
    chunks = chunk_examples(rec, max_chars=400)
    assert len(chunks) > 5
    total = sum(len(ents) for _, ents in chunks)
    assert total == len(rec["entities"])
    for text, ents in chunks:
        for s, e, _ in ents:
            assert 0 <= s < e <= len(text)


def test_inner_cv_threshold_is_chosen_from_training_docs_only(tmp_path: Path, gold_records):
    cfg = load_config("fast")
    cfg["relations"]["tune_threshold"] = True
    parsed = parse_gold(gold_records[:3], cfg)
    info = train_relation_model(parsed, cfg, tmp_path / "rel", seed=0)
    grid = [float(x) for x in cfg["relations"]["threshold_grid"]]
    assert info["threshold"] in grid
    assert set(info["threshold_tuning"]["inner_f1"]) == {str(g) for g in grid}
    saved = json.loads((tmp_path / "rel" / "decision.json").read_text())
    assert saved["threshold"] == info["threshold"]
    assert info["candidate_recall_on_training_data"] == 1.0


def test_cv_extra_training_documents_join_every_fold_and_are_never_scored(monkeypatch, gold_records, small_config):
    import pipeline.cv as cvmod

    seen: list[list[str]] = []
    real_train = cvmod.train

    def spy(records, *a, **kw):
        seen.append([r["id"] for r in records])
        return real_train(records, *a, **kw)

    monkeypatch.setattr(cvmod, "train", spy)
    evaluated, extra = gold_records[3:5], [gold_records[2]]
    res = cvmod.cross_validate(evaluated, small_config, seed=0, extra_train=extra)
    assert [f["held_out"] for f in res["folds"]] == [r["id"] for r in evaluated]
    assert seen == [[evaluated[1]["id"], extra[0]["id"]], [evaluated[0]["id"], extra[0]["id"]]]
    assert res["cv"]["extra_train_documents"] == 1 and res["n_documents"] == 2
    with pytest.raises(ValueError, match="also in the evaluated set"):
        cvmod.cross_validate(evaluated, small_config, extra_train=[evaluated[0]])


def test_entity_only_documents_train_the_ner_but_not_the_relations(tmp_path: Path, gold_records, small_config):
    import pipeline.train as trainmod

    seen: dict[str, list] = {}
    real_ner, real_rel = trainmod.train_spacy_ner, trainmod.train_relation_model

    def spy_ner(examples, *a, **kw):
        seen["ner"] = examples
        return real_ner(examples, *a, **kw)

    def spy_rel(examples, *a, **kw):
        seen["rel"] = examples
        return real_rel(examples, *a, **kw)

    mp = pytest.MonkeyPatch()
    mp.setattr(trainmod, "train_spacy_ner", spy_ner)
    mp.setattr(trainmod, "train_relation_model", spy_rel)
    try:
        main, other = [gold_records[4]], [gold_records[3]]
        meta = trainmod.train(main, small_config, tmp_path / "m", seed=0, entity_only=other)
    finally:
        mp.undo()
    assert meta["trained_on"] == [main[0]["id"]] and meta["entity_only"] == [other[0]["id"]]
    cfg = load_config(small_config)
    n = lambda r: len(chunk_examples(r, int(cfg["ner"]["max_chunk_chars"]), int(cfg["normalize"]["heading_max_chars"])))  # noqa: E731
    assert len(seen["ner"]) == n(main[0]) + n(other[0])
    assert len(seen["rel"]) == 1  # the relation stage saw the main document only


def test_augment_adds_one_domain_tagged_copy_of_each_feature():
    from pipeline.relations import augment

    f = {"frame=TRAINING": 1.0, "dist=2": 1.0}
    assert augment(f, "src") == {"frame=TRAINING": 1.0, "dist=2": 1.0, "src|frame=TRAINING": 1.0, "src|dist=2": 1.0}
    assert f == {"frame=TRAINING": 1.0, "dist=2": 1.0}  # the input is not mutated


def test_domain_adaptation_needs_a_source_document_and_survives_save_and_load(tmp_path: Path, gold_records):
    from pipeline.build import relation_component_config
    from pipeline.relations import RelationClassifier, RelationModel

    cfg = load_config("fast")
    assert cfg["relations"]["domain_adaptation"] is True
    parsed = parse_gold(gold_records[:3], cfg)
    plain = train_relation_model(parsed, cfg, tmp_path / "plain", seed=0)
    same = train_relation_model(parsed, cfg, tmp_path / "same", seed=0, source=[False, False, False])
    adapted = train_relation_model(parsed, cfg, tmp_path / "adapted", seed=0, source=[False, False, True])
    assert not plain["domain_adapted"] and not same["domain_adapted"]
    assert adapted["domain_adapted"] and adapted["source_domain_documents"] == 1
    # no source document: the very model an unflagged training gives (the skops zip differs only
    # in its timestamps, so the fitted coefficients are compared)
    coef = lambda d: RelationModel.from_disk(tmp_path / d / "model.skops").pipelines["multiclass"][-1].coef_  # noqa: E731
    assert (coef("plain") == coef("same")).all()
    model = RelationModel.from_disk(tmp_path / "adapted" / "model.skops")
    assert model.domain_adapted
    names = set(model.pipelines["multiclass"].named_steps["vec"].feature_names_)
    assert any(n.startswith("src|") for n in names) and any(n.startswith("tgt|") for n in names)
    # prediction augments as the target domain: the same candidates score differently from a
    # model that ignores the flag, and the saved component predicts without error
    comp = RelationClassifier(**relation_component_config(cfg)).from_disk(tmp_path / "adapted")
    doc = parsed[1][0]
    doc._.relations = None
    scored = comp.predict([doc])[0]
    assert scored
    comp.model.domain_adapted = False
    unflagged = comp.predict([doc])[0]
    assert [p for _, p in scored] != [p for _, p in unflagged]
    with pytest.raises(ValueError, match="domain flags"):
        train_relation_model(parsed, cfg, tmp_path / "bad", seed=0, source=[True])


def test_cv_extra_documents_are_the_source_domain(monkeypatch, gold_records, small_config):
    import pipeline.cv as cvmod

    seen: list = []
    real_train = cvmod.train

    def spy(records, *a, **kw):
        seen.append(sorted(kw.get("source_ids", ())))
        return real_train(records, *a, **kw)

    monkeypatch.setattr(cvmod, "train", spy)
    evaluated, extra = gold_records[3:5], [gold_records[2]]
    cvmod.cross_validate(evaluated, small_config, seed=0, extra_train=extra)
    assert seen == [[extra[0]["id"]], [extra[0]["id"]]]
