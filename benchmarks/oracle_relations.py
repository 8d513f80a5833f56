"""Relation classifier alone, on gold entities: where its ceiling is, without NER errors.

    python benchmarks/oracle_relations.py --config fast                      # LODO CV on gold
    python benchmarks/oracle_relations.py --config fast --test /tmp/dev.jsonl  # train gold, test dev
    python benchmarks/oracle_relations.py --test A.jsonl B.jsonl C.jsonl --rotate  # each set, others as extra

Entities, sentences and parses come from the gold annotations (``parse_gold``), so the scores
isolate the relation stage. With ``--test``, the relation model is trained on every
``--annotations`` document and scored on the ``--test`` documents (a development set); without
it, leave-one-document-out over ``--annotations``. ``--set relations.KEY=VALUE`` overrides one
config value (JSON-parsed), for comparing variants on the development set.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from pipeline.annotations import load_gold
from pipeline.build import load_config, relation_component_config
from pipeline.evaluate import score
from pipeline.records import to_record
from pipeline.relations import RelationClassifier
from pipeline.train import parse_gold, train_relation_model


def _predict(train_parsed: list, test_parsed: list, test_recs: list[dict[str, Any]], cfg: Any,
             seed: int, n_source: int = 0) -> list[dict[str, Any]]:
    """Train on ``train_parsed`` (its last ``n_source`` documents are the other domain), predict."""
    flags = [False] * (len(train_parsed) - n_source) + [True] * n_source
    with tempfile.TemporaryDirectory() as tmp:
        train_relation_model(train_parsed, cfg, Path(tmp) / "rel", seed, source=flags)
        comp = RelationClassifier(**relation_component_config(cfg)).from_disk(Path(tmp) / "rel")
    out = []
    for (doc, _), rec in zip(test_parsed, test_recs):
        doc._.relations = None
        comp(doc)
        out.append(to_record(doc, rec["id"], rec["text"]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default="fast")
    ap.add_argument("--annotations", nargs="+", default=["annotations/gold"])
    ap.add_argument("--test", nargs="*", default=None)
    ap.add_argument("--extra-train", nargs="*", default=[],
                    help="added to every training set, never scored; the other domain for relations.domain_adaptation")
    ap.add_argument("--rotate", action="store_true",
                    help="with several --test files: score each one with the other --test files as --extra-train")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=JSON")
    ap.add_argument("--json", action="store_true", help="print the whole relation score dict")
    ap.add_argument("--dump", type=Path, help="write the predicted records here (JSONL)")
    args = ap.parse_args()
    cfg = load_config(args.config)
    for item in args.set:
        key, val = item.split("=", 1)
        section, name = key.split(".", 1)
        cfg[section][name] = json.loads(val)
    recs = load_gold(args.annotations)
    parsed = parse_gold(recs, cfg)
    extra = parse_gold(load_gold(args.extra_train), cfg) if args.extra_train else []
    if args.test and args.rotate:
        if len(args.test) < 2 or args.extra_train:
            ap.error("--rotate needs two or more --test files and no --extra-train")
        sets = [load_gold([f]) for f in args.test]
        parsed_sets = [parse_gold(r, cfg) for r in sets]
        preds, gold = [], []
        for k, test_recs in enumerate(sets):
            others = [p for j, ps in enumerate(parsed_sets) if j != k for p in ps]
            preds += _predict(parsed + others, parsed_sets[k], test_recs, cfg, args.seed, len(others))
            gold += test_recs
    elif args.test:
        test_recs = load_gold(args.test)
        preds = _predict(parsed + extra, parse_gold(test_recs, cfg), test_recs, cfg, args.seed, len(extra))
        gold = test_recs
    else:
        preds = []
        for k in range(len(recs)):
            train_k = [p for i, p in enumerate(parsed) if i != k] + extra
            preds += _predict(train_k, [parsed[k]], [recs[k]], cfg, args.seed, len(extra))
        gold = recs
    if args.dump:
        from pipeline.records import write_jsonl

        write_jsonl(args.dump, preds)
    s = score(gold, preds)["relations"]
    if args.json:
        print(json.dumps(s, indent=1))
        return
    for k in ("mention_strict", "fact"):
        v = s[k]
        print(f"{k:15s} P {v['p']:.3f} R {v['r']:.3f} F {v['f']:.3f}  (tp {v['tp']} fp {v['fp']} fn {v['fn']})")
    for t, v in sorted(s["per_type"].items()):
        m, fa = v["mention_strict"], v["fact"]
        print(f"  {t:20s} mention F {m['f']:.3f} ({m['tp']}/{m['tp'] + m['fn']})  fact F {fa['f']:.3f} "
              f"(tp {fa['tp']} fp {fa['fp']} fn {fa['fn']})")


if __name__ == "__main__":
    main()
