"""Wall time of ``framing run``: bundled corpus cold and warm, and a 407-article corpus.

Targets (issue 6 §6, this 2-core machine):

- bundled corpus (``corpus/``), cold (fresh output folder, empty caches): <= 60 s
- bundled corpus, warm (same output folder, nothing changed): <= 15 s
- ``../shared/data/ukraine-nyt-guardian-2022`` (407 articles), cold: <= 5 minutes

Each run is a fresh ``framing run`` subprocess, timed from start to exit (so it
includes interpreter start-up and imports), with the default configuration. The
bundled corpus is measured ``--repeats`` times (default 3) and the median is
reported; the large corpus once cold and once warm (``--large-repeats`` to change).
Several helpers share the machine's two cores, so single timings are noisy.

Usage::

    python benchmarks/bench_run.py [--repeats 3] [--large-repeats 1] [--skip-large]
"""

from __future__ import annotations

import argparse
import json
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--large-repeats", type=int, default=1)
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} is absent: the benchmark needs ../shared/data next to the repo")
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
