"""Issue 15 §5: ``framing run`` with the Dask engine on large synthetic corpora.

The corpus
    N articles built from the sentences of the shared corpora (BBC News and
    ukraine-nyt-guardian-2022, split with the workbench's Punkt splitter), no network:
    outlets drawn from a Zipf law over 60 outlets (exponent 1.1: a few large outlets
    and a long tail, as in NELA-GT), dates over two years (2021-2022) with weekday
    volume 1.6x the weekend's and 30% growth over the period, lengths in sentences
    log-normal with median 22 and sigma 0.6 (clipped to 3..150; news articles run
    500-600 words), 30% of the sentences from the Ukraine corpus so that the
    ``ukraine-diplomacy`` lexicon finds frames. JSONL files of 2,000 articles.
Timed runs
    ``framing run`` (``run_all``) with ``[run] engine = "dask"`` on a LocalCluster
    sized to the machine, topics off, ``compare.n_boot = 200``, ``n_perm = 199``,
    ``max_outlets = 20`` (the comparisons' cost grows with those settings, not with
    the engine). Time per step from ``manifest.json``; articles/s per core for the
    five partitioned steps (corpus, units, sentiment, frames, compare); peak RSS of
    every process (the driver and each worker, sampled every 0.5 s with psutil); then
    1% new articles are added as a new file and the run repeated.
Equality (``--equal``)
    The same corpus through ``engine = "local"`` (in memory) and ``engine = "dask"``:
    every article-level and comparison table equal (floats to rtol 1e-9), except the
    near-duplicate flags, which the store sets within a partition, and the intervals
    and p-values of outlets above 2,000 articles, which the partitioned engine
    approximates (``framing.compare._aggregates``; their other columns must be equal).

Usage: ``bench_scale.py [--sizes 10000,100000] [--equal 10000] [--out FILE]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "src"))

from framing.run.config import load_config
from framing.run.runner import run_all
from framing.units import split_sentences

SETTINGS = {
    "topics.enabled": False,
    "stories.enabled": False,
    "compare.n_boot": 200,
    "compare.n_perm": 199,
    "compare.max_outlets": 20,
    "figures.formats": ["png"],
    "tables.formats": ["csv"],
    "corpus.id": "id",
}
PARTITIONED = ("corpus", "units", "sentiment", "frames", "compare")


# --------------------------------------------------------------------------- corpus
def sentence_pools() -> tuple[list[str], list[str]]:
    """Sentences of BBC News and of the NYT/Guardian Ukraine corpus."""
    if not SHARED.is_dir():
        sys.exit(f"bench_scale: {SHARED} is absent; it needs the shared corpora")
    bbc = []
    for path in sorted((SHARED / "bbc-news" / "bbc").rglob("*.txt")):
        body = path.read_text(encoding="latin-1").split("\n", 1)[-1]
        bbc += [s for s in split_sentences(" ".join(body.split())) if len(s) > 20]
    ukraine = []
    for name in ("NYT_Russia_Ukraine.csv", "Guardians_Russia_Ukraine.csv"):
        table = pd.read_csv(SHARED / "ukraine-nyt-guardian-2022" / name)
        column = next(
            c
            for c in table.columns
            if c.lower() in ("text", "body", "content", "article", "articles")
        )
        for text in table[column].dropna().astype(str):
            ukraine += [s for s in split_sentences(" ".join(text.split())) if len(s) > 20]
    return bbc, ukraine


def make_corpus(
    folder: Path,
    n: int,
    pools: tuple[list[str], list[str]],
    *,
    start: int = 0,
    seed: int = 0,
    per_file: int = 2000,
    prefix: str = "part",
) -> int:
    """Write ``n`` synthetic articles (ids from ``start``) as JSONL; return bytes written."""
    rng = np.random.default_rng(seed)
    pyrng = random.Random(seed)
    bbc, ukraine = pools
    n_outlets = 60
    weights = 1.0 / np.arange(1, n_outlets + 1) ** 1.1
    outlet_of = rng.choice(n_outlets, size=n, p=weights / weights.sum())
    days = pd.date_range("2021-01-01", "2022-12-31", freq="D")
    day_w = np.where(days.day_of_week < 5, 1.6, 1.0) * np.linspace(1.0, 1.3, len(days))
    day_of = rng.choice(len(days), size=n, p=day_w / day_w.sum())
    lengths = np.clip(np.round(rng.lognormal(math.log(22), 0.6, size=n)), 3, 150).astype(int)
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for f0 in range(0, n, per_file):
        lines = []
        for i in range(f0, min(n, f0 + per_file)):
            sents = [
                pyrng.choice(ukraine) if pyrng.random() < 0.3 else pyrng.choice(bbc)
                for _ in range(lengths[i])
            ]
            paras = [" ".join(sents[j : j + 4]) for j in range(0, len(sents), 4)]
            lines.append(
                json.dumps(
                    {
                        "id": f"s{start + i:08d}",
                        "outlet": f"outlet{outlet_of[i]:02d}",
                        "published": days[day_of[i]].strftime("%Y-%m-%d"),
                        "title": sents[0][:80],
                        "text": "\n\n".join(paras),
                    }
                )
            )
        path = folder / f"{prefix}{(start + f0) // per_file:05d}.jsonl"
        data = ("\n".join(lines) + "\n").encode()
        path.write_bytes(data)
        written += len(data)
    return written


# --------------------------------------------------------------------------- measuring
class RssSampler:
    """Peak RSS of this process and every descendant (Dask workers), every 0.5 s."""

    def __init__(self) -> None:
        import psutil

        self.me = psutil.Process()
        self.peaks: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            for proc in [self.me, *self.me.children(recursive=True)]:
                try:
                    rss = proc.memory_info().rss
                    name = "driver" if proc.pid == self.me.pid else f"pid{proc.pid}"
                    self.peaks[name] = max(self.peaks.get(name, 0), rss)
                except Exception:
                    pass
            self._stop.wait(0.5)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def timed_run(corpus: Path, out: Path, **extra: object) -> dict:
    cfg = load_config(
        None, overrides={"corpus.path": str(corpus), "output.dir": str(out), **SETTINGS, **extra}
    )
    t0 = time.perf_counter()
    stamps: list[tuple[float, str]] = []

    def log(message: str) -> None:
        stamps.append((round(time.perf_counter() - t0, 2), message))
        print(f"  [{stamps[-1][0]:8.1f} s] {message}", flush=True)

    with RssSampler() as rss, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = run_all(cfg, log=log)
    wall = time.perf_counter() - t0
    stages = json.loads((out / "manifest.json").read_text())["stages"]
    steps = {k: v.get("seconds", v.get("seconds_load")) for k, v in stages.items()}
    return {
        "wall_s": round(wall, 1),
        "steps_s": steps,
        "pipeline_s": round(sum(steps.get(s) or 0 for s in PARTITIONED), 1),
        "peak_rss_mb": {k: round(v / 2**20) for k, v in rss.peaks.items()},
        "log": stamps,
        "tables": tables,
        "out": out,
    }


def compare_tables(local: dict, dask: dict) -> list[str]:
    """Names of the tables that differ (see the module docstring for the rule)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from test_scale import (  # the test suite's comparison
        COMPARED,
        assert_runs_equal,
        with_article_tables,
    )

    try:
        assert_runs_equal(local["tables"], with_article_tables(dask["tables"], dask["out"]))
    except AssertionError as exc:
        return [str(exc)]
    return [f"{len([n for n in COMPARED if n in local['tables']])} tables + articles equal"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--equal", type=int, default=10000, help="0 = skip the equality run")
    parser.add_argument("--out", default="")
    parser.add_argument("--work", default="", help="work folder (default: a temporary one)")
    args = parser.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="bench-scale-"))
    print(
        f"bench_scale: work folder {work}; load average {os.getloadavg()}; {os.cpu_count()} cores",
        flush=True,
    )
    t0 = time.perf_counter()
    pools = sentence_pools()
    print(
        f"sentence pools: {len(pools[0])} BBC, {len(pools[1])} Ukraine "
        f"({time.perf_counter() - t0:.1f} s)",
        flush=True,
    )
    results: dict = {"load_before": os.getloadavg(), "cores": os.cpu_count(), "runs": {}}

    def save() -> None:
        if args.out:
            Path(args.out).write_text(json.dumps(results, indent=1, default=str))

    if args.equal:
        n = args.equal
        corpus = work / f"eq{n}"
        size = make_corpus(corpus, n, pools)
        print(f"equality corpus: {n} articles, {size / 2**20:.1f} MB", flush=True)
        local = timed_run(corpus, work / f"eq{n}-local", **{"run.store": "memory"})
        dask = timed_run(
            corpus, work / f"eq{n}-dask", **{"run.engine": "dask", "run.partition_mb": 4}
        )
        verdict = compare_tables(local, dask)
        results["equality"] = {
            "n": n,
            "mb": round(size / 2**20, 1),
            "verdict": verdict,
            **{f"{k}_local": local[k] for k in ("wall_s", "steps_s", "peak_rss_mb")},
            **{f"{k}_dask": dask[k] for k in ("wall_s", "steps_s", "peak_rss_mb")},
        }
        print(
            f"equality at {n}: {verdict}; local {local['wall_s']} s, dask {dask['wall_s']} s",
            flush=True,
        )
        save()
    for n in [int(s) for s in args.sizes.split(",") if s]:
        corpus = work / f"c{n}"
        size = make_corpus(corpus, n, pools)
        print(
            f"corpus {n}: {size / 2**20:.1f} MB in {len(list(corpus.iterdir()))} files", flush=True
        )
        run = timed_run(corpus, work / f"o{n}", **{"run.engine": "dask"})
        run.pop("tables")
        run.pop("out")
        extra = max(1, n // 100)
        make_corpus(corpus, extra, pools, start=n, seed=1, per_file=extra, prefix="new")
        again = timed_run(corpus, work / f"o{n}", **{"run.engine": "dask"})
        again.pop("tables")
        again.pop("out")
        cores = os.cpu_count() or 1
        results["runs"][n] = {
            "mb": round(size / 2**20, 1),
            "full": run,
            "add_1pct": again,
            "articles_per_s_per_core": round(n / run["pipeline_s"] / cores, 1),
            "add_1pct_ratio": round(again["pipeline_s"] / run["pipeline_s"], 3),
        }
        print(
            f"N={n}: pipeline {run['pipeline_s']} s, "
            f"{results['runs'][n]['articles_per_s_per_core']} articles/s/core, "
            f"+1%: {again['pipeline_s']} s ({results['runs'][n]['add_1pct_ratio']:.1%}), "
            f"peak RSS {run['peak_rss_mb']}",
            flush=True,
        )
        save()
    sizes = sorted(results["runs"])
    if len(sizes) >= 2:
        a, b = sizes[0], sizes[-1]
        results["time_ratio"] = round(
            results["runs"][b]["full"]["pipeline_s"] / results["runs"][a]["full"]["pipeline_s"], 2
        )
        print(f"time({b}) / time({a}) = {results['time_ratio']} (size ratio {b / a:g})")
    results["load_after"] = os.getloadavg()
    save()


if __name__ == "__main__":
    main()
