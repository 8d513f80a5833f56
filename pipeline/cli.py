"""``secrel`` command line: thin typer wrappers over the importable functions."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional, Sequence

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Extract evidence-linked security relations between states from news text.")
ann_app = typer.Typer(no_args_is_help=True, help="Validate, count and build annotation files.")
app.add_typer(ann_app, name="annotations")


TEXTS_HELP = ('JSONL of {"id", "text"} holding the texts of any *.standoff.jsonl annotation files given '
              "(e.g. ../shared/corpus/insightcrime-unlabeled.jsonl).")


def _err(msg: str) -> None:
    typer.echo(msg, err=True)


def _write_json(path: Path, obj: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


@app.command()
def extract(
    inputs: List[Path] = typer.Argument(..., help="Files (.txt, .html, .htm, .jsonl) or folders."),
    output: Path = typer.Option(..., "--output", "-o", help="Records JSONL (SCHEMA v1 + score/evidence)."),
    facts: Optional[Path] = typer.Option(None, "--facts", help="Also write the deduplicated fact table."),
    model: Optional[Path] = typer.Option(None, "--model", help="Trained model folder (default: models/default.txt)."),
    config: Optional[str] = typer.Option(None, "--config", help="Run an untrained config instead (baseline)."),
    n_process: int = typer.Option(1, "--n-process", min=1, help="Worker processes."),
    batch_size: int = typer.Option(16, "--batch-size", min=1),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run into the same output."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
) -> None:
    """Run the pipeline on new articles and write one JSON record per document."""
    from .runner import default_model_dir, run_extract

    if config is None and model is None:
        model = default_model_dir()
        if not (model / "config.cfg").exists():
            _err(f"error: no trained model at {model}; run 'secrel train' or pass --model/--config")
            raise typer.Exit(2)
    summary = run_extract(inputs, output, facts=facts, model=model, config=config, n_process=n_process,
                          batch_size=batch_size, resume=resume, progress=not quiet)
    _err(summary.line() + f" -> {output}")
    if not summary.ok:
        raise typer.Exit(1)


@app.command()
def train(
    annotations: List[Path] = typer.Option([Path("annotations/gold")], "--annotations", "-a"),
    output: Path = typer.Option(Path("models/fast"), "--output", "-o"),
    config: str = typer.Option("fast", "--config", "-c", help="fast | hybrid | accurate | path to .cfg"),
    seed: Optional[int] = typer.Option(None, "--seed"),
    texts: Optional[Path] = typer.Option(None, "--texts", help=TEXTS_HELP),
    entity_only: List[Path] = typer.Option([], "--entity-only",
                                           help="Annotation files that train the entity stages only."),
    extra_train: List[Path] = typer.Option(
        [], "--extra-train", help="Annotation files of another domain: they train every stage, and the relation "
                                  "classifier keeps them apart (relations.domain_adaptation)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace the model already in --output."),
    with_cv: bool = typer.Option(False, "--cv", help="Also cross-validate the same training set-up "
                                                     "(leave one --annotations document out) and save the "
                                                     "held-out scores beside the model as metrics.json."),
) -> None:
    """Retrain every trainable stage from the annotation files.

    The model folder holds the config it was trained with (``config.cfg``) and ``meta.json``
    (data, seed, losses); with ``--cv`` also ``metrics.json``, the held-out figures of this
    set-up. Scores of the model on its own training documents are never written as accuracy.
    """
    from .annotations import load_annotations
    from .train import train as do_train

    if output.exists() and any(output.iterdir()) and not overwrite:
        _err(f"error: {output} already holds a model; pass --overwrite to replace it, or choose another --output")
        raise typer.Exit(2)
    records = load_annotations(annotations, texts)
    ent_only = load_annotations(entity_only, texts) if entity_only else []
    other = load_annotations(extra_train, texts) if extra_train else []
    clash = {r["id"] for r in records} & {r["id"] for r in other}
    if clash:
        raise typer.BadParameter(f"documents both in --annotations and --extra-train: {sorted(clash)[:5]}")
    meta = do_train(records + other, config, output, seed=seed, progress=lambda m: _err(m), entity_only=ent_only,
                    source_ids={r["id"] for r in other})
    extra = f" (+{len(ent_only)} for the entity stages only)" if ent_only else ""
    extra += f" (+{len(other)} of another domain)" if other else ""
    _err(f"trained {meta['model_id']} on {len(records)} document(s){extra} in {meta['train_seconds']} s -> {output}")
    if with_cv:
        from .cv import cross_validate

        result = cross_validate(records, config, seed=seed, progress=_err, extra_train=other,
                                extra_train_entities=ent_only)
        result.pop("predictions")
        result["cv"]["model_id"] = meta["model_id"]
        _write_json(output / "metrics.json", result)
        _err(f"held-out (leave-one-document-out) entity overlap F1 {result['entities']['overlap']['f']:.3f}, "
             f"relation fact F1 {result['relations']['fact']['f']:.3f} -> {output / 'metrics.json'}")


def _load_predictions(path: Path, gold_ids: Sequence[str]) -> list[dict]:
    """Prediction records, every one checked as the scorer reads it; any error names the file,
    line, document and field, and stops the evaluation (a score over silently dropped documents
    would mislead)."""
    from .evaluate import check_record
    from .records import read_jsonl

    preds, errors = [], []
    for lineno, rec, err in read_jsonl(path):
        if err is None:
            try:
                check_record(rec)
            except ValueError as exc:
                err = str(exc)
        if err:
            errors.append(f"{path}:{lineno}: error: {err}")
            continue
        preds.append(rec)
    for e in errors:
        _err(e)
    if errors:
        _err(f"{path}: {len(errors)} bad record(s); nothing scored")
        raise typer.Exit(2)
    ids = {str(r["id"]) for r in preds}
    if preds and not ids & set(gold_ids):
        _err(f"{path}: error: none of its {len(ids)} document id(s) is a gold document id "
             f"(predictions {sorted(ids)[:3]}, gold {sorted(gold_ids)[:3]})")
        raise typer.Exit(2)
    missing = [g for g in gold_ids if g not in ids]
    if missing:
        _err(f"{path}: warning: {len(missing)} gold document(s) have no prediction and are scored as empty: "
             f"{missing[:5]}")
    return preds


def _label_map_or_exit(path: Optional[Path]) -> Optional[dict]:
    from .evaluate import load_label_map

    if path is None:
        return None
    try:
        return load_label_map(path)
    except (OSError, ValueError) as exc:
        _err(f"error: --label-map: {exc}")
        raise typer.Exit(2)


@app.command()
def evaluate(
    gold: List[Path] = typer.Argument(..., help="Gold annotation files or folders."),
    model: Optional[Path] = typer.Option(None, "--model", help="A trained model folder (default: the shipped "
                                                                "model, models/default.txt)."),
    predictions: Optional[Path] = typer.Option(None, "--predictions", help="Score these records instead."),
    config: Optional[str] = typer.Option(None, "--config", help="An untrained config (baseline)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o"),
    label_map: Optional[Path] = typer.Option(None, "--label-map"),
    texts: Optional[Path] = typer.Option(None, "--texts", help=TEXTS_HELP),
    bootstrap: int = typer.Option(0, "--bootstrap", min=0,
                                  help="Add document-bootstrap intervals of the micro scores, from this many "
                                       "resamples (0 = none)."),
    confidence: float = typer.Option(0.95, "--confidence", min=0.5, max=0.999, help="Interval level."),
) -> None:
    """Precision/recall/F1 against gold (entities strict/overlap, relations mention/fact, attributes).

    Scores of a model on the documents it was trained on are training fit, not accuracy:
    use ``secrel cv`` for held-out figures.
    """
    from .annotations import load_annotations
    from .evaluate import format_table, score
    from .extract import Extractor
    from .runner import default_model_dir

    if predictions is not None and (model is not None or config is not None):
        raise typer.BadParameter("give --predictions, or --model/--config to run a pipeline, not both")
    lmap = _label_map_or_exit(label_map)
    gold_recs = load_annotations(gold, texts)
    if predictions is not None:
        preds = _load_predictions(predictions, [str(r["id"]) for r in gold_recs])
    else:
        ex = Extractor.from_config(config) if config else Extractor.from_model(model or default_model_dir())
        trained_on = set(ex.meta.get("trained_on", [])) | set(ex.meta.get("entity_only", []))
        overlap = trained_on & {r["id"] for r in gold_recs}
        if overlap:
            _err(f"warning: the model was trained on {len(overlap)} of these documents; "
                 "these scores are training fit, not held-out accuracy (use 'secrel cv')")
        preds = [ex.process_one(r["id"], r["text"], {}) for r in gold_recs]
    metrics = score(gold_recs, preds, lmap)
    if bootstrap:
        from .intervals import bootstrap_intervals, score_documents

        metrics["intervals"] = bootstrap_intervals(score_documents(gold_recs, preds, lmap), bootstrap, confidence)
    typer.echo(format_table(metrics))
    if output:
        _write_json(output, metrics)


@app.command()
def cv(
    annotations: List[Path] = typer.Option([Path("annotations/gold")], "--annotations", "-a"),
    config: str = typer.Option("fast", "--config", "-c"),
    output: Optional[Path] = typer.Option(None, "--output", "-o"),
    seed: Optional[int] = typer.Option(None, "--seed"),
    label_map: Optional[Path] = typer.Option(None, "--label-map"),
    extra_train: List[Path] = typer.Option([], "--extra-train",
                                           help="Gold files of another domain added to every fold's training set, never scored "
                                                "(the relation source domain under relations.domain_adaptation)."),
    extra_train_entities: List[Path] = typer.Option(
        [], "--extra-train-entities", help="Gold files added to every fold's entity training only, never scored."),
    texts: Optional[Path] = typer.Option(None, "--texts", help=TEXTS_HELP),
    bootstrap: int = typer.Option(2000, "--bootstrap", min=1,
                                  help="Resamples for the document-bootstrap intervals of the pooled scores."),
    confidence: float = typer.Option(0.95, "--confidence", min=0.5, max=0.999, help="Interval level."),
) -> None:
    """Leave-one-document-out cross-validation: the honest accuracy figures, with intervals."""
    from .annotations import load_annotations
    from .cv import cross_validate
    from .evaluate import format_table

    lmap = _label_map_or_exit(label_map)
    records = load_annotations(annotations, texts)
    extra = load_annotations(extra_train, texts) if extra_train else []
    extra_ents = load_annotations(extra_train_entities, texts) if extra_train_entities else []
    result = cross_validate(records, config, seed=seed, progress=_err, label_map=lmap, extra_train=extra,
                            extra_train_entities=extra_ents, n_resamples=bootstrap, confidence=confidence)
    typer.echo(format_table(result))
    if output:
        _write_json(output, result)


@ann_app.command("validate")
def annotations_validate(paths: List[Path] = typer.Argument(...),
                         no_sentences: bool = typer.Option(False, "--no-sentence-check")) -> None:
    """Check annotation files against the schema; non-zero exit on any error."""
    from .annotations import validate_paths

    problems, n = validate_paths(paths, check_sentences=not no_sentences)
    for p in problems:
        typer.echo(str(p), err=p.severity == "error")
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    _err(f"{n} record(s), {errors} error(s), {warnings} warning(s)")
    if errors:
        raise typer.Exit(1)


@ann_app.command("attach")
def annotations_attach(
    standoff: List[Path] = typer.Argument(..., help="*.standoff.jsonl files (annotations without text)."),
    texts: Path = typer.Option(..., "--texts", help='JSONL of {"id", "text"} holding the annotated texts.'),
    output: Path = typer.Option(..., "--output", "-o", help="Gold records with text (keep outside the repo "
                                                               "when the texts are third-party)."),
) -> None:
    """Join stand-off annotations with their texts into ordinary gold records, then validate them."""
    from .annotations import validate_record
    from .records import RecordError, write_jsonl
    from .standoff import attach_files

    try:
        records = attach_files(standoff, texts)
    except RecordError as e:
        _err(f"error: {e}")
        raise typer.Exit(2)
    problems = [p for i, r in enumerate(records, 1) for p in validate_record(r, str(output), i)
                if p.severity == "error"]
    for p in problems:
        _err(str(p))
    if problems:
        raise typer.Exit(1)
    write_jsonl(output, records)
    _err(f"{len(records)} record(s) -> {output}")


@ann_app.command("stats")
def annotations_stats(paths: List[Path] = typer.Argument(...),
                      as_json: bool = typer.Option(False, "--json")) -> None:
    """Counts per entity label and relation type, per document and in total."""
    from .annotations import load_gold, stats

    st = stats(load_gold(paths))
    if as_json:
        typer.echo(json.dumps(st, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    labels = sorted({k for d in st["documents"].values() for k in d["entities"]})
    types = sorted({k for d in st["documents"].values() for k in d["relations"]})
    console = Console(width=200)
    for title, keys, field in (("entities", labels, "entities"), ("relations", types, "relations")):
        table = Table(title=title)
        table.add_column("document")
        for k in keys:
            table.add_column(k, justify="right")
        table.add_column("total", justify="right")
        rows = list(st["documents"].items()) + [("TOTAL", st["total"])]
        for doc_id, d in rows:
            table.add_row(doc_id, *[str(d[field].get(k, 0)) for k in keys], str(d[f"n_{field}"]))
        console.print(table)


def main() -> None:
    try:
        app()
    except BrokenPipeError:
        sys.exit(1)


if __name__ == "__main__":
    main()
