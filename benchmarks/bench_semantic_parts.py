"""Issue 15 §2: semantic frames per partition against bare MiniLM, in one process.

The sentences
    ``3 * --n`` distinct sentences (default n = 1,500) of more than 20 characters from
    the shared BBC News corpus (as ``bench_static_embeddings.py``), split into three
    disjoint sets so that no block finds another's vectors in a cache.
Bare MiniLM
    ``embed_texts`` on set A, embedding cache off, model already loaded; again on
    set C after the semantic block, so that a drift of the machine's load shows.
Semantic frames per partition
    set B as one units partition (20 sentences per article, three outlets), through
    the three tasks of :mod:`framing.run.semantic_parts` with a fresh on-disk cache:
    embed (pass 1), score with the pooled mean (pass 2), finish at the pooled
    cut-off (pass 3), frame set ``ukraine-diplomacy``; each pass timed. Pass 2 is
    timed twice: the first time it also embeds the frame prototypes (once per corpus
    and run, then cached), the second time as every later partition runs it.
Ratio
    semantic rate / mean of the two bare rates (1 = no cost beyond embedding), with
    and without the one-off prototypes.

Usage: ``bench_semantic_parts.py [--n 1500] [--out FILE]``; report with ``uptime``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_static_embeddings import sentences  # the same BBC sentences

from framing.embeddings import embed_texts, get_model
from framing.embeddings._cache import _CACHES
from framing.frames.semantic import PRESENT_SD
from framing.run import semantic_parts


def bare(texts: list[str]) -> float:
    _CACHES.clear()
    t0 = time.perf_counter()
    embed_texts(texts, cache_dir=None, show_progress=False)
    return len(texts) / (time.perf_counter() - t0)


def semantic(texts: list[str], folder: Path) -> dict[str, float]:
    _CACHES.clear()
    units = pd.DataFrame(
        {
            "article_id": [f"a{i // 20:05d}" for i in range(len(texts))],
            "unit_id": [f"a{i // 20:05d}-{i % 20}" for i in range(len(texts))],
            "unit": "sentence",
            "position": [i % 20 for i in range(len(texts))],
            "text": texts,
            "outlet": [["x", "y", "z"][(i // 20) % 3] for i in range(len(texts))],
            "published": pd.Timestamp("2022-01-01"),
        }
    )
    path = str(folder / "units.parquet")
    units.to_parquet(path, index=False)
    cache, out = str(folder / "emb"), str(folder / "p0")
    times = {}
    t0 = time.perf_counter()
    first = semantic_parts.embed_task(path, "", cache, out + ".e")
    times["embed_s"] = time.perf_counter() - t0
    mean = (np.asarray(first["sum"]) / first["n"]).tolist()
    t0 = time.perf_counter()
    scored = semantic_parts.score_task(path, "ukraine-diplomacy", "", cache, mean, out + ".s")
    times["score_s"] = time.perf_counter() - t0
    # once more, as every later partition runs it: the frame prototypes (567 texts for
    # ukraine-diplomacy) are embedded once per corpus and then come from the cache
    t0 = time.perf_counter()
    scored = semantic_parts.score_task(path, "ukraine-diplomacy", "", cache, mean, out + ".s")
    times["score_again_s"] = time.perf_counter() - t0
    _, m, sd = semantic_parts.combine_moments([scored])
    t0 = time.perf_counter()
    semantic_parts.finish_task(
        path, out + ".s.scores.parquet", "ukraine-diplomacy", (m + PRESENT_SD * sd).tolist(),
        {}, "sentence", 3, out + ".f",
    )  # fmt: skip
    times["finish_s"] = time.perf_counter() - t0
    first = times["embed_s"] + times["score_s"] + times["finish_s"]
    later = times["embed_s"] + times["score_again_s"] + times["finish_s"]
    return {
        **{k: round(v, 2) for k, v in times.items()},
        "per_s": len(texts) / first,
        "per_s_prototypes_cached": len(texts) / later,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1500)
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"bench_semantic_parts: {SHARED} is absent")
    pool = sentences(3 * args.n)
    a, b, c = pool[: args.n], pool[args.n : 2 * args.n], pool[2 * args.n :]
    result: dict = {"n": args.n, "load_before": os.getloadavg(), "cores": os.cpu_count()}
    get_model(None)
    result["bare_before_per_s"] = round(bare(a), 1)
    with tempfile.TemporaryDirectory() as tmp:
        sem = semantic(b, Path(tmp))
    result["semantic"] = {
        **sem,
        "per_s": round(sem["per_s"], 1),
        "per_s_prototypes_cached": round(sem["per_s_prototypes_cached"], 1),
    }
    result["bare_after_per_s"] = round(bare(c), 1)
    base = (result["bare_before_per_s"] + result["bare_after_per_s"]) / 2
    result["ratio_semantic_to_bare"] = round(sem["per_s"] / base, 3)
    result["ratio_prototypes_cached"] = round(sem["per_s_prototypes_cached"] / base, 3)
    result["load_after"] = os.getloadavg()
    print(json.dumps(result, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
