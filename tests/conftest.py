"""Shared fixtures: the real gold set and a small model trained from it once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def gold_records() -> list[dict]:
    from pipeline.annotations import load_gold

    return load_gold([ROOT / "annotations" / "gold"])


@pytest.fixture(scope="session")
def small_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fast config with 3 NER epochs: real training, test-sized."""
    src = (ROOT / "pipeline" / "configs" / "fast.cfg").read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("cfg") / "small.cfg"
    path.write_text(src.replace("epochs = 25", "epochs = 3").replace('name = "fast"', 'name = "small"'),
                    encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def small_model(tmp_path_factory: pytest.TempPathFactory, gold_records: list[dict], small_config: Path) -> Path:
    from pipeline.train import train

    out = tmp_path_factory.mktemp("model") / "small"
    train(gold_records[:3], small_config, out, seed=0)
    return out


@pytest.fixture(scope="session")
def small_extractor(small_model: Path):
    from pipeline.extract import Extractor

    return Extractor.from_model(small_model)
