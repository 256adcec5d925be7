"""Issue 15 §3: the static model (model2vec, distilled from MiniLM) against MiniLM.

The sentences
    ``--n`` sentences (default 1,000) of more than 20 characters, drawn with a fixed
    seed from the shared BBC News corpus (split with the workbench's Punkt splitter).
Rate
    sentences/s of each model in the same run, one after the other, embedding cache
    off, after loading the model (loading is timed apart); median of ``--repeat`` runs.
Agreement
    Pearson and Spearman correlation of the ``n (n - 1) / 2`` pairwise cosine
    similarities of the two models, and the mean overlap of each sentence's 10 nearest
    neighbours.

Usage: ``bench_static_embeddings.py [--n 1000] [--repeat 3] [--out FILE]``. The
static model is distilled on first use into the user cache (see
:mod:`framing.embeddings._static`); that time is reported as ``distill_s``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "src"))

from framing.embeddings import embed_texts, get_model
from framing.embeddings._cache import _CACHES
from framing.units import split_sentences


def sentences(n: int) -> list[str]:
    pool = []
    for path in sorted((SHARED / "bbc-news" / "bbc").rglob("*.txt")):
        body = path.read_text(encoding="latin-1").split("\n", 1)[-1]
        pool += [s for s in split_sentences(" ".join(body.split())) if len(s) > 20]
    return random.Random(0).sample(sorted(set(pool)), n)


def rate(model: object, texts: list[str], repeat: int) -> tuple[float, np.ndarray]:
    times = []
    for _ in range(repeat):
        _CACHES.clear()  # the in-process vector cache would answer the repeats
        t0 = time.perf_counter()
        vectors = embed_texts(texts, model=model, cache_dir=None, show_progress=False)
        times.append(time.perf_counter() - t0)
    return len(texts) / statistics.median(times), vectors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"bench_static_embeddings: {SHARED} is absent")
    texts = sentences(args.n)
    result: dict = {"n": len(texts), "load_before": os.getloadavg(), "cores": os.cpu_count()}
    t0 = time.perf_counter()
    get_model("model2vec")
    result["static_load_or_distill_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    get_model(None)
    result["minilm_load_s"] = round(time.perf_counter() - t0, 2)
    result["minilm_per_s"], dense = rate(None, texts, args.repeat)
    result["static_per_s"], static = rate("model2vec", texts, args.repeat)
    result["speedup"] = round(result["static_per_s"] / result["minilm_per_s"], 1)
    upper = np.triu_indices(len(texts), k=1)
    sim_dense, sim_static = (dense @ dense.T)[upper], (static @ static.T)[upper]
    from scipy.stats import pearsonr, spearmanr

    result["pearson"] = round(float(pearsonr(sim_dense, sim_static).statistic), 4)
    result["spearman"] = round(float(spearmanr(sim_dense, sim_static).statistic), 4)
    k = 10
    nn = []
    for sims in (dense @ dense.T, static @ static.T):
        np.fill_diagonal(sims, -np.inf)
        nn.append(np.argsort(-sims, axis=1)[:, :k])
    overlap = [len(set(a) & set(b)) / k for a, b in zip(nn[0], nn[1], strict=True)]
    result["top10_overlap"] = round(float(np.mean(overlap)), 4)
    result["dims"] = {"minilm": int(dense.shape[1]), "static": int(static.shape[1])}
    result["load_after"] = os.getloadavg()
    for key in ("minilm_per_s", "static_per_s"):
        result[key] = round(result[key], 1)
    print(json.dumps(result, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
