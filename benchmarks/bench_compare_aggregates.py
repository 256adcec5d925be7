"""Issue 15: the partitioned engine's ``compare`` step alone, on synthetic article tables.

What it times
    The worker side (``framing.run.compare_parts.compare_task``'s reductions, one
    partition after the other in this process) and the driver side
    (``framing.run.compare_parts.compare_from_parts``: combine, select outlets,
    intervals, tests) in a fresh subprocess, whose peak RSS (``ru_maxrss``) and RSS
    after imports are reported: the driver's memory for comparing.
The tables
    Per article: an outlet (Zipf over 60 outlets, exponent 1.1, as bench_scale), a
    sentiment mean (normal, sd 0.3), and 11 frame shares (0 for 85% of the articles,
    else Beta(1.2, 6)); partitions of 7,700 articles (bench_scale's 32 MB partitions).
    ``[compare]`` as bench_scale: ``n_boot = 200``, ``n_perm = 199``, ``max_outlets =
    20``; the frame contrast of the first two frames.
+1%
    A partition of N/100 new articles is added: its reduction plus the driver side
    again, as a share of the full compare step.

Usage: ``bench_compare_aggregates.py [--sizes 10000,100000,300000] [--out FILE]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from framing.run import compare_parts

PER_PART = 7700
FRAMES = [f"frame{i:02d}" for i in range(11)]
SETTINGS = {
    "compare.n_boot": 200,
    "compare.n_perm": 199,
    "compare.max_outlets": 20,
    "frames.measure": "share",
}


def write_partition(folder: Path, pid: str, start: int, n: int, seed: int) -> tuple[str, str]:
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, 61) ** 1.1
    outlets = np.array([f"outlet{i:02d}" for i in range(60)])[
        rng.choice(60, size=n, p=weights / weights.sum())
    ]
    ids = np.array([f"s{i:08d}" for i in range(start, start + n)])
    sent = pd.DataFrame(
        {"article_id": ids, "outlet": outlets, "sentiment_mean": rng.normal(0.05, 0.3, n)}
    )
    share = rng.beta(1.2, 6, size=(n, len(FRAMES))) * (rng.random((n, len(FRAMES))) < 0.15)
    frames = pd.DataFrame(
        {
            "article_id": np.repeat(ids, len(FRAMES)),
            "outlet": np.repeat(outlets, len(FRAMES)),
            "frame": np.tile(FRAMES, n),
            "share": share.ravel(),
        }
    )
    paths = (str(folder / f"{pid}.sent.parquet"), str(folder / f"{pid}.frames.parquet"))
    sent.to_parquet(paths[0], index=False)
    frames.to_parquet(paths[1], index=False)
    return paths


def reduce(folder: Path, pid: str, paths: tuple[str, str]) -> float:
    t0 = time.perf_counter()
    out = str(folder / pid)
    compare_parts.compare_task(paths[0], "", paths[1], FRAMES[:2], "share", None, 2000, 0, out)
    return time.perf_counter() - t0


def driver(folder: str, pids: list[str]) -> dict:
    """The driver side, in this (fresh) process."""
    from framing.run.compare_parts import compare_from_parts
    from framing.run.config import load_config

    overrides = {**SETTINGS, "frames.contrast": FRAMES[:2]}
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cfg = load_config(None, overrides=overrides)
    ctx = SimpleNamespace(cfg=cfg)
    t0 = time.perf_counter()
    result, _ = compare_from_parts(ctx, [str(Path(folder) / p) for p in pids], pids)
    return {
        "driver_s": round(time.perf_counter() - t0, 2),
        "rss_after_imports_mb": round(base / 1024),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "rows": {k: len(v) for k, v in result.tables.items()},
    }


def run_driver(folder: Path, pids: list[str]) -> dict:
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); "
        "from bench_compare_aggregates import driver; "
        "print(json.dumps(driver(sys.argv[2], sys.argv[3].split(','))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "benchmarks"), str(folder), ",".join(pids)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,300000")
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    results: dict = {"load_before": os.getloadavg(), "runs": {}}
    for n in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory(prefix="bench-cmp-") as tmp:
            folder = Path(tmp)
            pids, workers = [], 0.0
            for i, start in enumerate(range(0, n, PER_PART)):
                pid = f"p{i:05d}"
                paths = write_partition(folder, pid, start, min(PER_PART, n - start), seed=i)
                workers += reduce(folder, pid, paths)
                pids.append(pid)
            full = run_driver(folder, pids)
            pid = "p99999"
            paths = write_partition(folder, pid, n, max(1, n // 100), seed=99999)
            new_worker = reduce(folder, pid, paths)
            again = run_driver(folder, [*pids, pid])
            total = workers + full["driver_s"]
            results["runs"][n] = {
                "partitions": len(pids),
                "workers_s": round(workers, 2),
                "workers_s_per_partition": round(workers / len(pids), 3),
                "full": full,
                "add_1pct": {**again, "worker_s": round(new_worker, 2)},
                "add_1pct_share": round((new_worker + again["driver_s"]) / total, 3),
            }
            print(n, json.dumps(results["runs"][n]), flush=True)
    results["load_after"] = os.getloadavg()
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
