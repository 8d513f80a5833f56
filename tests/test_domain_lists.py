"""The domain-pattern file named in the config, and the blind-list sensitivity check built on it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from benchmarks.blind_lists import blind_list, named_elsewhere
from pipeline.build import build_pipeline, load_config
from pipeline.patterns import DATA_DIR, add_ruler, domain_patterns, domain_patterns_path



def _write(path: Path, pats: list[dict]) -> Path:
    path.write_text("".join(json.dumps(p) + "\n" for p in pats), encoding="utf-8")
    return path


def test_domain_patterns_path_resolution(tmp_path: Path) -> None:
    assert domain_patterns_path(None) == DATA_DIR / "domain_patterns.jsonl"
    assert domain_patterns_path("domain_patterns.jsonl") == DATA_DIR / "domain_patterns.jsonl"
    assert domain_patterns_path(tmp_path / "x.jsonl") == tmp_path / "x.jsonl"
    with pytest.raises(FileNotFoundError, match="x.jsonl"):
        domain_patterns(tmp_path / "x.jsonl")


def test_ruler_reads_the_configured_file(tmp_path: Path) -> None:
    f = _write(tmp_path / "p.jsonl", [{"label": "COMPANY", "pattern": "Acme Arms", "id": "Acme Arms"},
                                      {"label": "WEAPON", "pattern": [{"LOWER": "zappers"}], "id": "zapper"}])
    nlp = spacy.blank("en")
    add_ruler(nlp, patterns_file=f)
    doc = nlp("Acme Arms sold zappers; acme arms did not.")
    assert [(s.text, s.label_) for s in doc.spans["ruler"] if s.label_ == "COMPANY"] == [("Acme Arms", "COMPANY")]
    assert [(s.text, s.label_) for s in doc.spans["ruler_lower"]] == [("zappers", "WEAPON")]


def test_config_key_reaches_the_pipeline(tmp_path: Path) -> None:
    f = _write(tmp_path / "p.jsonl", [{"label": "COMPANY", "pattern": "Acme Arms", "id": "Acme Arms"}])
    cfg = load_config("fast")
    cfg["secrel"]["domain_patterns"] = str(f)
    # the untrained stages only: the ruler, the schema rules and the merger
    cfg["secrel"]["stages"] = [s for s in cfg["secrel"]["stages"] if s not in ("ner", "relations")]
    text = "Acme Arms sold rifles to Freedonia."
    assert ("Acme Arms", "COMPANY") in [(e.text, e.label_) for e in build_pipeline(cfg)(text).ents]
    cfg["secrel"]["domain_patterns"] = "domain_patterns.jsonl"
    assert ("Acme Arms", "COMPANY") not in [(e.text, e.label_) for e in build_pipeline(cfg)(text).ents]


def test_blind_list_drops_named_entities_found_in_the_texts(tmp_path: Path) -> None:
    f = _write(tmp_path / "p.jsonl", [
        {"label": "COMPANY", "pattern": "Acme Arms", "id": "Acme Arms"},
        {"label": "COMPANY", "pattern": "Acme", "id": "Acme Arms"},
        {"label": "COMPANY", "pattern": "Zenith Guns", "id": "Zenith Guns"},
        {"label": "WEAPON", "pattern": [{"LOWER": "rifles"}], "id": "rifle"},
    ])
    out = tmp_path / "blind.jsonl"
    texts = ["Acme sold Rifles to Freedonia."]
    kept, dropped = blind_list(f, texts, out)
    # both patterns of the named entity go; the generic term stays although "Rifles" is capitalised
    assert kept == 2 and dict(dropped) == {"COMPANY": 2}
    assert [json.loads(line)["pattern"] for line in out.read_text().splitlines()] == ["Zenith Guns", [{"LOWER": "rifles"}]]
    # a name that an independent corpus also uses is kept as general knowledge
    kept, dropped = blind_list(f, texts, out, corpus_texts=["Shares in Acme rose."])
    assert kept == 4 and not dropped
    assert named_elsewhere({"Acme Arms": {"Acme"}}, ["Acmes", "the ACME"]) == set()
