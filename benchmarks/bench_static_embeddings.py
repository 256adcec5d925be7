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

Quality (``--quality``; issue 15 §3: "make it the default above a corpus size only if
topic and frame quality stay within 0.02 of MiniLM")
    the same measures with each model, default settings otherwise: per-frame ROC AUC of
    the semantic headline score on ``narrative-frames-climate`` and the zero-shot
    macro AUC on ``frac-frames-gold`` (loaders and label maps of ``bench_frames.py``),
    and BERTopic on BBC News (the 2,127 articles of ``bench_topics.py``) at
    ``--ks`` topic counts: mean NPMI, topic diversity and NMI against the categories
    (``bench_topics._evaluate``). Differences are static minus MiniLM.

Usage: ``bench_static_embeddings.py [--n 1000] [--repeat 3] [--out FILE]
[--quality [--ks 10,20,30,40,50] [--cache-dir DIR]]``. The
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


MODELS = {"MiniLM": None, "static": "model2vec"}


def frame_quality(cache_dir: str) -> dict:
    """Climate per-frame AUC and FrAC macro AUC of the semantic headline, per model."""
    import pandas as pd
    from sklearn.metrics import roc_auc_score

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_frames import FRAC, FRAC_LABELS, load_climate

    from framing.frames import score_frames

    articles, labels = load_climate()
    gold = pd.read_csv(FRAC)
    units = pd.DataFrame(
        {
            "article_id": [f"s{i}" for i in range(len(gold))],
            "unit_id": [f"s{i}:0" for i in range(len(gold))],
            "text": gold["sentence"].astype(str),
        }
    )
    out: dict = {}
    for name, model in MODELS.items():
        t0 = time.perf_counter()
        climate = score_frames(
            articles, "generic-news", method="semantic", model=model, cache_dir=cache_dir
        ).articles
        row = {}
        for frame in labels.columns:
            score = climate[climate["frame"] == frame].set_index("article_id")["score"]
            row[frame] = roc_auc_score(labels[frame], score.reindex(labels.index).fillna(0))
        frac = score_frames(
            units, "policy-frames", method="semantic", model=model, cache_dir=cache_dir
        ).articles.pivot(index="article_id", columns="frame", values="score")
        frac = frac.reindex(units["article_id"])
        row["frac_macro"] = float(
            np.mean(
                [
                    roc_auc_score(gold["label"] == label, frac[keys].max(axis=1))
                    for label, keys in FRAC_LABELS.items()
                ]
            )
        )
        row["seconds"] = round(time.perf_counter() - t0, 1)
        out[name] = row
        print(f"frames, {name}: " + json.dumps({k: round(v, 3) for k, v in row.items()}))
    return out


def topic_quality(cache_dir: str, ks: list[int]) -> dict:
    """BERTopic on BBC News with each model: mean NPMI, TD and NMI over ``ks``."""
    import warnings

    from sklearn.feature_extraction.text import CountVectorizer

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_topics import DATA as BBC
    from bench_topics import _evaluate, load_bbc

    from framing.topics.evaluation import tokenize_for_coherence
    from framing.topics.model import clean_for_terms, fit_topics

    warnings.simplefilter("ignore")
    articles, _, _ = load_bbc(BBC)
    min_df = 0.005  # bench_topics' vocabulary rule
    vocab = CountVectorizer(stop_words="english", min_df=min_df).fit(
        [clean_for_terms(t) for t in articles["text"]]
    )
    tokens = tokenize_for_coherence(articles["text"], vocabulary=vocab.vocabulary_)
    categories = articles["category"].tolist()
    out: dict = {}
    for name, model in MODELS.items():
        rows = []
        for k in ks:
            t0 = time.perf_counter()
            result = fit_topics(
                articles,
                unit="article",
                embedding_model=model,
                nr_topics=k,
                random_state=42,
                top_n_words=25,
                n_boot=200,
                min_df=min_df,
                cache_dir=cache_dir,
            )
            rows.append(
                {"k": k, "s": time.perf_counter() - t0, **_evaluate(result, tokens, categories)}
            )
        out[name] = {m: float(np.mean([r[m] for r in rows])) for m in ("npmi", "td", "nmi")}
        out[name]["fit_s_median"] = float(statistics.median(r["s"] for r in rows))
        print(f"topics, {name}: " + json.dumps({k: round(v, 3) for k, v in out[name].items()}))
    return out


def quality(args: argparse.Namespace) -> dict:
    ks = [int(k) for k in args.ks.split(",")]
    result = {"load_before": os.getloadavg()}
    result["frames"] = frame_quality(args.cache_dir)
    result["topics"] = topic_quality(args.cache_dir, ks)
    result["load_after"] = os.getloadavg()
    print("\nstatic minus MiniLM (issue 15 §3: within 0.02 to become a default):")
    worst = 0.0
    for part in ("frames", "topics"):
        for measure, value in result[part]["static"].items():
            if measure in ("seconds", "fit_s_median"):
                continue
            diff = value - result[part]["MiniLM"][measure]
            worst = min(worst, diff)
            print(
                f"  {part:6s} {measure:24s} {result[part]['MiniLM'][measure]:.3f} -> "
                f"{value:.3f} ({diff:+.3f})"
            )
    verdict = (
        "within 0.02: may become a default"
        if worst >= -0.02
        else "NOT within 0.02: stays an option"
    )
    print(f"largest loss {worst:+.3f}: {verdict}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default="")
    parser.add_argument("--quality", action="store_true")
    parser.add_argument("--ks", default="10,20,30,40,50")
    parser.add_argument("--cache-dir", default=str(ROOT / "benchmarks" / "out" / "cache"))
    args = parser.parse_args()
    if not SHARED.is_dir():
        sys.exit(f"bench_static_embeddings: {SHARED} is absent")
    if args.quality:
        result = quality(args)
        if args.out:
            Path(args.out).write_text(json.dumps(result, indent=1))
        return
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
