"""Wall time of ``framing run``: bundled corpus cold and warm, a 407-article corpus,
and time and peak memory per step on a ~3,400-article corpus of all the shared data.

Targets (issue 6 §6, this 2-core machine):

- bundled corpus (``corpus/``), cold (fresh output folder, empty caches): <= 60 s
- bundled corpus, warm (same output folder, nothing changed): <= 15 s
- ``../shared/data/ukraine-nyt-guardian-2022`` (407 articles), cold: <= 5 minutes

Each run is a fresh ``framing run`` subprocess, timed from start to exit (so it
includes interpreter start-up and imports), with the default configuration. The
bundled corpus is measured ``--repeats`` times (default 3) and the median is
reported; the large corpus once cold and once warm (``--large-repeats`` to change).
Several helpers share the machine's two cores, so single timings are noisy.

``--mixed`` (issue 13 point 1) instead builds, in a temporary folder, one JSONL corpus
of every article in ``../shared/data``'s bbc-news (2,225; outlet "BBC", undated),
ukraine-nyt-guardian-2022 (407), basil (300; NYT, Fox News, HuffPost) and
narrative-frames-climate (428; outlet names as given, not normalised), 3,360 articles
in all, and runs the whole default ``framing run`` (topics included) one step at a
time (``--only STEP``, each reading the previous steps from the output folder), so
that each step's time and peak resident memory (the process tree's, sampled every
0.2 s, and the child's own ``ru_maxrss``) are measured alone. Target: it completes,
with peak RSS <= 3 GB in every step.

Usage::

    python benchmarks/bench_run.py [--repeats 3] [--large-repeats 1] [--skip-large]
    python benchmarks/bench_run.py --mixed [--set compare.n_perm=999 ...]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
BUNDLED = ROOT / "corpus"
LARGE = SHARED / "ukraine-nyt-guardian-2022"
LARGE_MAPPING = [
    "--text", "articles",
    "--title", "headlines",
    "--published", "published",
    "--outlet-pattern", "^([A-Za-z]+)_",
]  # fmt: skip
TARGETS = {"bundled_cold": 60.0, "bundled_warm": 15.0, "large_cold": 300.0}
MIXED_RSS_TARGET_GB = 3.0
BASIL_OUTLETS = {"nyt": "New York Times", "fox": "Fox News", "hpo": "HuffPost"}


def build_mixed_corpus(folder: Path) -> int:
    """Write every shared article to ``folder/mixed.jsonl``; return the article count."""
    records: list[dict] = []
    for path in sorted((SHARED / "bbc-news" / "bbc").glob("*/*.txt")):
        raw = path.read_bytes().decode("utf-8", errors="replace")
        title, _, body = raw.strip().partition("\n")
        records.append(
            {"id": f"bbc-{path.parent.name}-{path.stem}", "outlet": "BBC",
             "published": "", "title": title.strip(), "text": body.strip()}
        )  # fmt: skip
    csv.field_size_limit(1 << 30)
    for name, outlet in [("NYT", "New York Times"), ("Guardians", "The Guardian")]:
        with open(LARGE / f"{name}_Russia_Ukraine.csv", encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh)):
                records.append(
                    {"id": f"ukr-{name}-{i}", "outlet": outlet, "published": row["published"],
                     "title": row["headlines"], "text": row["articles"]}
                )  # fmt: skip
    for path in sorted((SHARED / "basil" / "articles").glob("*/*.json")):
        item = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = [" ".join(p) for p in item.get("body-paragraphs", [])]
        records.append(
            {"id": f"basil-{path.stem}",
             "outlet": BASIL_OUTLETS.get(str(item.get("source", "")).lower(), item.get("source")),
             "published": item.get("date", ""), "title": item.get("title", ""),
             "text": "\n\n".join(paragraphs)}
        )  # fmt: skip
    climate = SHARED / "narrative-frames-climate" / "articles_metadata.tsv"
    with open(climate, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            records.append(
                {"id": f"climate-{row['ID']}", "outlet": row["source"],
                 "published": row["date"], "title": "", "text": row["text"]}
            )  # fmt: skip
    with open(folder / "mixed.jsonl", "w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(records)


def run_step_measured(cmd: list[str]) -> tuple[float, float, int, str]:
    """Run ``cmd``; return (seconds, peak RSS GB of the tree, return code, stderr tail)."""
    import psutil

    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        peak = 0
        root = psutil.Process(proc.pid)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            try:
                tree = [root, *root.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree))
            except psutil.Error:
                pass
            time.sleep(0.2)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        err.seek(0)
        tail = err.read().decode("utf-8", errors="replace")[-3000:]
    own = usage.ru_maxrss * 1024  # KiB on Linux
    return seconds, max(peak, own) / 2**30, proc.returncode, tail


def mixed(extra_sets: list[str], keep: Path | None = None, steps: list[str] | None = None) -> None:
    """Time and peak RSS per step of the default run on the mixed shared corpus.

    ``keep``: work in this folder and leave it (to re-time single ``steps`` later).
    """
    from framing.run.registry import STEPS

    step_names = [step.name for step in STEPS]
    work = keep or Path(tempfile.mkdtemp(prefix="bench_run_mixed_"))
    try:
        corpus = work / "mixed"
        corpus.mkdir(parents=True, exist_ok=True)
        n = build_mixed_corpus(corpus)
        print(f"mixed corpus: {n} articles in {corpus}")
        out = work / "out"
        sets = [arg for s in extra_sets for arg in ("--set", s)]
        total, worst = 0.0, 0.0
        for step in steps or step_names:
            cmd = [*framing_command(), "run", str(corpus), "--out", str(out), "--quiet",
                   "--only", step, *sets]  # fmt: skip
            seconds, peak, code, tail = run_step_measured(cmd)
            total += seconds
            worst = max(worst, peak)
            print(f"  {step:<10} {seconds:8.1f} s   peak RSS {peak:5.2f} GB", flush=True)
            if code != 0:
                sys.exit(f"step {step} failed ({code}):\n{tail}")
        verdict = "PASS" if worst <= MIXED_RSS_TARGET_GB else "FAIL"
        print(f"mixed total {total:.1f} s; peak RSS {worst:.2f} GB "
              f"(target <= {MIXED_RSS_TARGET_GB:.0f} GB: {verdict})")  # fmt: skip
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def framing_command() -> list[str]:
    exe = Path(sys.executable).with_name("framing")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "framing.run.cli"]


def timed_run(corpus: Path, out: Path, extra: list[str]) -> tuple[float, dict]:
    cmd = [*framing_command(), "run", str(corpus), "--out", str(out), "--quiet", *extra]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"framing run failed ({done.returncode}):\n{done.stderr[-3000:]}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return seconds, manifest


def stage_seconds(manifest: dict) -> str:
    parts = []
    for step, info in manifest["stages"].items():
        seconds = info.get("seconds_load") if info.get("status") == "cached" else None
        seconds = seconds if seconds is not None else info.get("seconds")
        if seconds is not None:
            parts.append(f"{step} {seconds:.1f}s ({info.get('status')})")
    return ", ".join(parts)


def report(name: str, times: list[float]) -> float:
    median = statistics.median(times)
    target = TARGETS.get(name)
    verdict = ""
    if target:
        verdict = f"  target <= {target:.0f} s: {'PASS' if median <= target else 'FAIL'}"
        verdict += f" (ratio {median / target:.2f})"
    runs = ", ".join(f"{t:.1f}" for t in times)
    print(f"{name:<14} median {median:7.1f} s  runs [{runs}]{verdict}")
    return median


def compare_tables(n_articles: int, n_outlets: int, n_frames: int, seed: int = 0):
    """Synthetic article-level inputs of the compare step (sentiment, frame shares).

    Outlet sizes follow a Zipf law (a few large outlets, many small ones), as in the
    corpora of issue 13 (3,669 articles / 13 outlets; 838 articles / 79 outlets).
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, n_outlets + 1)
    outlets = rng.choice([f"outlet{i:02d}" for i in range(n_outlets)], n_articles,
                         p=weights / weights.sum())  # fmt: skip
    ids = [f"a{i}" for i in range(n_articles)]
    sentiment = pd.DataFrame(
        {"article_id": ids, "outlet": outlets, "sentiment_mean": rng.normal(0, 0.3, n_articles)}
    )
    frames = pd.DataFrame(
        {
            "article_id": np.repeat(ids, n_frames),
            "outlet": np.repeat(outlets, n_frames),
            "frame": np.tile([f"f{j}" for j in range(n_frames)], n_articles),
            "share": rng.beta(0.3, 3.0, n_articles * n_frames),
        }
    )
    return sentiment, frames


def time_compare(n_articles: int, n_outlets: int, n_frames: int = 6) -> float:
    """Seconds of the compare step's bootstrap and pairwise calls on synthetic tables."""
    import framing.compare as compare

    sentiment, frames = compare_tables(n_articles, n_outlets, n_frames)
    boot = {"n_boot": 2000, "ci": 0.95, "random_state": 42}
    perm = {"n_perm": 9999, **boot}
    start = time.perf_counter()
    compare.outlet_summary(sentiment, "sentiment_mean", **boot)
    compare.pairwise_tests(sentiment, "sentiment_mean", **perm)
    compare.outlet_summary(frames, "share", within=["frame"], **boot)
    compare.pairwise_tests(frames, "share", within=["frame"], **perm)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--large-repeats", type=int, default=1)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument(
        "--mixed", action="store_true", help="per-step time and RSS, 3,360 articles"
    )
    parser.add_argument("--set", action="append", default=[], help="passed to framing run")
    parser.add_argument("--keep", type=Path, help="--mixed: work folder to keep")
    parser.add_argument("--steps", help="--mixed: comma-separated steps (default all)")
    parser.add_argument(
        "--compare-outlets",
        metavar="ARTICLES:OUTLETS",
        help="only time the compare statistics on synthetic tables, e.g. 3669:13",
    )
    args = parser.parse_args()
    if args.compare_outlets:
        n_articles, n_outlets = map(int, args.compare_outlets.split(":"))
        seconds = time_compare(n_articles, n_outlets)
        print(f"compare {n_articles} articles, {n_outlets} outlets: {seconds:.1f} s")
        return
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} is absent: the benchmark needs ../shared/data next to the repo")
    if args.mixed:
        mixed(args.set, args.keep, args.steps.split(",") if args.steps else None)
        return
    work = Path(tempfile.mkdtemp(prefix="bench_run_"))
    try:
        cold, warm = [], []
        for i in range(args.repeats):
            out = work / f"bundled_{i}"
            seconds, manifest = timed_run(BUNDLED, out, [])
            cold.append(seconds)
            print(f"  bundled cold #{i + 1}: {seconds:.1f} s  [{stage_seconds(manifest)}]")
            seconds, manifest = timed_run(BUNDLED, out, [])
            warm.append(seconds)
            print(f"  bundled warm #{i + 1}: {seconds:.1f} s  [{stage_seconds(manifest)}]")
        print()
        report("bundled_cold", cold)
        report("bundled_warm", warm)
        if args.skip_large:
            return
        if not LARGE.is_dir():
            sys.exit(f"{LARGE} is absent")
        large_cold, large_warm = [], []
        for i in range(args.large_repeats):
            out = work / f"large_{i}"
            seconds, manifest = timed_run(LARGE, out, LARGE_MAPPING)
            large_cold.append(seconds)
            counts = manifest["stages"]["corpus"]["counts"]
            print(
                f"  large cold #{i + 1}: {seconds:.1f} s, {counts['articles']} articles "
                f"[{stage_seconds(manifest)}]"
            )
            seconds, manifest = timed_run(LARGE, out, LARGE_MAPPING)
            large_warm.append(seconds)
            print(f"  large warm #{i + 1}: {seconds:.1f} s  [{stage_seconds(manifest)}]")
        print()
        report("large_cold", large_cold)
        report("large_warm", large_warm)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
