"""Issue 15 §5 (simulation): rates of the partitioned topics step, extrapolated.

Measured
    A synthetic corpus of ``--n`` articles from ``bench_scale.py``'s generator (BBC
    and Ukraine sentences, Zipf outlets, median 22 sentences, so nearly every article
    fills MiniLM's 256 word pieces, as real news articles do) goes through
    ``framing run`` with the partitioned engine in one process (``[run] store =
    "partitioned"``, engine local: one worker), sentiment, frames and stories off,
    ``[topics] sample = n/2`` (so that the stability model and its evaluation get
    n/4 each). From the step's meta (``timing``) and the partition receipts: seconds
    per article of embedding (phase 1, cold cache) and of ``transform`` (phase 3,
    vectors from the cache), and the driver's fit. Then ``fit_topics`` alone, on
    cached vectors, for samples of n/4, n/2 and n articles, gives the fit time as a
    function of the sample size, ``t = a * s**b`` (least squares on logs).
Extrapolated
    To N = 1M and 10M articles on W = 1, 8 and 64 workers, each worker as fast as
    this process (2 cores here): embedding and transform N * rate / W (partitions
    are independent; the scheduler's cost per task, milliseconds, is negligible next
    to a partition's minutes); the fit on the driver, serial and independent of N and
    W, at the default sample of 20,000: ``2 * t(20,000)`` (the model and the stability
    model) plus the stability transform of 20,000 articles by both models.

Usage: ``bench_topics_scale.py [--n 1600] [--out FILE]`` (from a worktree, set
``FRAMING_SHARED_DATA``). Writes ``benchmarks/out/bench_topics_scale.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FRAMING_SHARED_DATA", ROOT.parent / "shared" / "data"))
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT / "benchmarks"))
SAMPLE = 20_000  # the default [topics] sample
SIZES = (1_000_000, 10_000_000)
WORKERS = (1, 8, 64)


def _fmt(seconds: float) -> str:
    if seconds < 3600:
        return f"{seconds / 60:.1f} min"
    if seconds < 86400 * 2:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1600)
    parser.add_argument("--out", type=Path, default=OUT / "bench_topics_scale.json")
    parser.add_argument("--work", type=Path, help="work folder (kept; reused if it exists)")
    args = parser.parse_args()
    import bench_scale

    from framing.run.config import load_config
    from framing.run.runner import run_all
    from framing.topics import fit_topics

    bench_scale.SHARED = SHARED
    work = args.work or Path(tempfile.mkdtemp(prefix="bench_topics_scale_"))
    corpus = work / "corpus"
    if not corpus.is_dir():
        bench_scale.make_corpus(corpus, args.n, bench_scale.sentence_pools(), per_file=200)
    out = work / "out"
    cfg = load_config(
        None,
        overrides={
            "corpus.path": str(corpus),
            "output.dir": str(out),
            "corpus.id": "id",
            "run.store": "partitioned",
            "run.partition_mb": 0.3,
            "topics.sample": args.n // 2,
            "sentiment.enabled": False,
            "frames.enabled": False,
            "stories.enabled": False,
            "compare.n_boot": 200,
            "figures.formats": ["png"],
            "tables.formats": ["csv"],
        },
    )
    t0 = time.perf_counter()

    def log(message: str) -> None:
        print(f"  [{time.perf_counter() - t0:8.1f} s] {message}", flush=True)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # the partitioned compare needs sentiment; topics are what is timed here
        tables = run_all(cfg, steps="corpus,topics", log=log)
    manifest = json.loads((out / "manifest.json").read_text())
    meta = manifest["stages"]["topics"]["meta"]
    timing = meta["timing"]
    n_docs = len(tables["doc_topics"])
    # cold embedding: the receipts of partitions whose texts were not in the cache yet
    # (a re-run after a code change embeds nothing and reads the cache)
    cold = [
        json.loads(p.read_text())
        for p in (out / "cache" / "parts" / "topics_embed").glob("*/*.json")
    ]
    cold = [r for r in cold if r["embedded"] > 0]
    embed_rate = sum(r["seconds"] for r in cold) / sum(r["embedded"] for r in cold)
    # transform + term counts + writing (the vectors come from the cache)
    transform_rate = (timing["assign_seconds"] - timing["assign_embed_seconds"]) / n_docs
    # the fit alone, on cached vectors, at three sample sizes
    from framing.corpus.store import CorpusStore
    from framing.embeddings import embed_texts

    articles = CorpusStore(out / "cache" / "store").read_all()
    articles = articles[articles["text"].str.strip() != ""].reset_index(drop=True)
    vectors = embed_texts(articles["text"].tolist(), cache_dir=out / "cache" / "embeddings")
    rng = np.random.default_rng(0)
    with warnings.catch_warnings():  # warm-up: imports, numba's cache, model load
        warnings.simplefilter("ignore")
        pick = np.sort(rng.choice(len(articles), size=args.n // 4, replace=False))
        fit_topics(articles.iloc[pick], unit="article", embeddings=vectors[pick], n_boot=0)
    # the rates again, now, in one process at one load: embedding of new articles
    # (cold) and the saved model's transform of them
    from framing.run.topics_parts import _assign, _load_model

    fresh = work / "fresh"
    if not fresh.is_dir():
        bench_scale.make_corpus(fresh, 200, bench_scale.sentence_pools(), seed=99, start=10**7)
    new = pd.concat([pd.read_json(p, lines=True) for p in sorted(fresh.glob("*.jsonl"))])
    texts = new["text"].tolist()
    t1 = time.perf_counter()
    new_vectors = embed_texts(texts)  # no cache
    now_embed = (time.perf_counter() - t1) / len(texts)
    fit_json = next((out / "cache" / "parts" / "topics").glob("*/fit.json"))
    model = _load_model(json.loads(fit_json.read_text())["model"])
    t1 = time.perf_counter()
    _assign(model, texts, new_vectors)
    now_transform = (time.perf_counter() - t1) / len(texts)
    print(f"  now: embedding {1 / now_embed:.1f} articles/s, transform {1 / now_transform:.0f} "
          f"articles/s (load {os.getloadavg()[0]:.2f})")  # fmt: skip
    fits = {}
    for size in (args.n // 4, args.n // 2, len(articles)):
        pick = np.sort(rng.choice(len(articles), size=size, replace=False))
        t1 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit_topics(articles.iloc[pick], unit="article", embeddings=vectors[pick], n_boot=0)
        fits[size] = time.perf_counter() - t1
        print(f"  fit_topics on {size} articles (cached vectors): {fits[size]:.1f} s")
    # the extrapolation uses the rates measured together with the fits
    run_rates = {"embed_s_per_article": embed_rate, "transform_s_per_article": transform_rate}
    embed_rate, transform_rate = now_embed, now_transform
    b, log_a = np.polyfit(np.log(list(fits)), np.log(list(fits.values())), 1)
    fit_at = float(np.exp(log_a) * SAMPLE**b)
    driver = 2 * fit_at + 2 * SAMPLE * transform_rate
    rows = []
    for n in SIZES:
        for w in WORKERS:
            embed, transform = n * embed_rate / w, n * transform_rate / w
            rows.append(
                {
                    "articles": n,
                    "workers": w,
                    "embed_s": embed,
                    "transform_s": transform,
                    "driver_fit_s": driver,
                    "total_s": embed + transform + driver,
                }
            )
    result = {
        "n": args.n,
        "documents": n_docs,
        "partitions": timing["partitions"],
        "embed_s_per_article": embed_rate,
        "transform_s_per_article": transform_rate,
        "in_the_run": run_rates,
        "run_fit_s": timing["fit_seconds"],
        "run_stability_s": timing["stability_seconds"],
        "fit_s_by_sample": fits,
        "fit_exponent": float(b),
        "fit_s_at_20000": fit_at,
        "stability": meta["stability"],
        "load": os.getloadavg(),
        "rows": rows,
    }
    print(
        f"\nrates: embedding {1 / embed_rate:.1f} articles/s, transform "
        f"{1 / transform_rate:.0f} articles/s; fit t = a * s^{b:.2f}, "
        f"t(20,000) = {_fmt(fit_at)}; load {os.getloadavg()[0]:.2f}"
    )
    print(f"{'articles':>10} {'workers':>7} {'embedding':>10} {'transform':>10} "
          f"{'fit (driver)':>12} {'total':>10}")  # fmt: skip
    for r in rows:
        print(f"{r['articles']:>10,} {r['workers']:>7} {_fmt(r['embed_s']):>10} "
              f"{_fmt(r['transform_s']):>10} {_fmt(r['driver_fit_s']):>12} "
              f"{_fmt(r['total_s']):>10}")  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
