"""Where the first ``framing run`` after installing spends its time (bundled corpus).

A first run differs from later ones by one-time work: matplotlib builds its font
cache, the operating system reads the model and libraries from disk, and, on corpora
whose topic model uses UMAP (300 documents or more), numba compiles the UMAP and
pynndescent functions it caches afterwards (the bundled corpus's 61 paragraphs are
reduced with PCA and import neither). This script
runs ``framing run`` on ``corpus/`` in fresh subprocesses:

- ``first``: empty numba cache (``NUMBA_CACHE_DIR``) and matplotlib config
  (``MPLCONFIGDIR``), fresh output folder: what a new user waits for;
- ``later``: the same caches, now filled, and a fresh output folder.

It prints the wall and CPU time of each (on a shared machine the CPU time is the
fairer comparison) and the time of every step from the manifest;
``--profile`` also runs the first run under cProfile and splits the topics step into
imports, embedding-model load, embedding, numba compilation, the reduction and
HDBSCAN (the parts overlap: numba compiles inside UMAP). Target (issue 17 §1): first
run <= 30 s on an idle 2-core machine. Several jobs share the reference machine, so
quote the load average next to the figures.

Usage::

    .venv/bin/python benchmarks/bench_first_run.py [--repeats 1] [--profile]
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "corpus"
# (label, file fragment, function name): cumulative time of these calls
PARTS = (
    ("load the embedding model", "framing/embeddings/_models.py", "get_model"),
    ("embed texts (all steps)", "framing/embeddings/__init__.py", "_encode"),
    ("numba compilation", "numba/core/dispatcher.py", "_compile_for_args"),
    ("UMAP fit", "umap/umap_.py", "fit"),
    ("PCA fit", "sklearn/decomposition/_pca.py", "fit"),
    ("HDBSCAN fit", "hdbscan/hdbscan_.py", "fit"),
    ("BERTopic fit_transform", "bertopic/_bertopic.py", "fit_transform"),
    ("matplotlib font cache", "matplotlib/font_manager.py", "_load_fontmanager"),
    ("import bertopic", "framing/topics/_backend.py", "_import_bertopic"),
)


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(caches: Path, out: Path, profile: Path | None = None) -> tuple[float, float, dict]:
    env = {
        **os.environ,
        "NUMBA_CACHE_DIR": str(caches / "numba"),
        "MPLCONFIGDIR": str(caches / "mpl"),
        "MPLBACKEND": "Agg",
    }
    cmd = [sys.executable]
    if profile is not None:
        cmd += ["-m", "cProfile", "-o", str(profile)]
    cmd += ["-m", "framing.run.cli", "run", str(BUNDLED), "--out", str(out), "--quiet"]
    start, cpu = time.perf_counter(), _child_cpu()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    seconds, cpu = time.perf_counter() - start, _child_cpu() - cpu
    if done.returncode != 0:
        sys.exit(f"framing run failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds, cpu, json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def steps(manifest: dict) -> str:
    return ", ".join(
        f"{name} {info.get('seconds', 0):.1f}"
        for name, info in manifest["stages"].items()
        if info.get("status") == "ran"
    )


def parts(profile: Path) -> list[tuple[str, float]]:
    stats = pstats.Stats(str(profile)).stats  # type: ignore[attr-defined]
    found = []
    for label, fragment, func in PARTS:
        total = sum(
            value[3]
            for (filename, _line, name), value in stats.items()
            if name == func and filename.replace("\\", "/").endswith(fragment)
        )
        found.append((label, total))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
    firsts, laters = [], []
    for repeat in range(args.repeats):
        with tempfile.TemporaryDirectory() as tmp:
            caches = Path(tmp)
            prof = caches / "first.prof" if args.profile and repeat == 0 else None
            first, cpu, manifest = run_once(caches, caches / "out1", prof)
            firsts.append(first)
            print(f"first run {first:.1f} s (CPU {cpu:.1f} s)   steps: {steps(manifest)}")
            later, cpu, manifest = run_once(caches, caches / "out2")
            laters.append(later)
            print(f"later run {later:.1f} s (CPU {cpu:.1f} s)   steps: {steps(manifest)}")
            if prof is not None:
                print("first run, cumulative seconds (profiled, so slower; parts overlap):")
                for label, seconds in parts(prof):
                    print(f"  {label:<28} {seconds:6.1f}")
    print(
        f"median first {statistics.median(firsts):.1f} s, later "
        f"{statistics.median(laters):.1f} s (target: first <= 30 s on an idle machine); "
        f"load average now {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
