"""Benchmark story detection and the story-matched comparison (issue 14, section 3).

Sections (each can be skipped):

- ``seeds``: the two articles in ``corpus/`` must form one story with two outlets,
  and the story-matched "allies divided" minus "balancing interests" contrast
  must keep the direction of the raw one.
- ``basil``: ``../shared/data/basil`` (100 events x NYT, Fox News, HuffPost).
  Stories are found from text and dates alone; ``triplet-uuid`` is used only to
  score them: adjusted Rand index (scikit-learn) and pairwise same-story precision
  and recall (targets: ARI >= 0.95, precision and recall >= 0.95). A sensitivity
  table over ``window`` and ``resolution`` follows; it is *not* used to choose the
  defaults (their rules are in :mod:`framing.stories.build`).
- ``ukraine``: ``../shared/data/ukraine-nyt-guardian-2022`` with the README's
  mapping: share of articles in multi-outlet stories, coverage windows, and raw vs
  story-matched differences for the ``ukraine-diplomacy`` frames
  (``framing.score_frames`` as it is now).
- ``speed``: synthetic corpora of N articles built from the BBC News articles
  (``../shared/data/bbc-news``): each story is one BBC article retold by 1-6
  outlets (its headline, a random subset of its paragraphs and one paragraph of
  another article), plus one 250-article story; stories are spread over
  ``N / 150`` days. A story mixes two BBC articles (half the paragraphs of each),
  so that stories reusing a BBC article (unavoidable beyond 2,225 stories) are
  only partly alike. Embeddings are *cached* (as the issue's speed target
  assumes): each BBC headline and lead paragraph is embedded once (cached on
  disk), and an article's vector is the normalised mean of its headline and lead
  vectors. Reports wall time of ``find_stories`` per N (targets: 10,000 <= 60 s,
  100,000 <= 600 s), the growth exponent between sizes, and ARI.

Run from the repository root::

    python benchmarks/bench_stories.py                      # everything
    python benchmarks/bench_stories.py --sections basil,ukraine
    python benchmarks/bench_stories.py --sections speed --sizes 2000,10000,100000
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score
from sklearn.metrics.cluster import contingency_matrix

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
CACHE = ROOT / "results" / "bench_stories" / "cache"
sys.path.insert(0, str(ROOT / "src"))

from framing import load_corpus, score_frames
from framing.stories import (
    coverage_windows,
    find_stories,
    frame_measures,
    story_matched_differences,
    story_selection,
)


def pair_scores(truth: np.ndarray, found: np.ndarray) -> tuple[float, float]:
    """Pairwise same-story precision and recall, from the sparse contingency table."""
    table = contingency_matrix(truth, found, sparse=True).tocsr()

    def pairs(counts: np.ndarray) -> float:
        counts = np.asarray(counts, dtype=np.float64).ravel()
        return float((counts * (counts - 1) / 2).sum())

    both = pairs(table.data)
    return both / max(pairs(table.sum(axis=0)), 1), both / max(pairs(table.sum(axis=1)), 1)


def seeds() -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = load_corpus(ROOT / "corpus")
        stories = find_stories(articles, cache_dir=CACHE)
        scores = score_frames(articles)
        table = story_matched_differences(
            stories, frame_measures(scores, ("allies_divided", "balancing_interests"))
        )
    row = table[table["measure"] == "allies_divided - balancing_interests"].iloc[0]
    return {
        "n_articles": len(articles),
        "n_stories": int(stories["story_id"].nunique()),
        "outlets_in_story": int(stories["story_n_outlets"].max()),
        "raw_contrast_a_minus_b": float(row["raw_diff"]),
        "matched_contrast_a_minus_b": float(row["matched_diff"]),
        "pair": f"{row['a']} - {row['b']}",
        "same_direction": bool(np.sign(row["raw_diff"]) == np.sign(row["matched_diff"])),
    }


def basil() -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = load_corpus(
            SHARED / "basil" / "articles",
            text="body-paragraphs",
            outlet="source",
            outlet_aliases={"New York Times": ["nyt"], "Fox News": ["fox"], "HuffPost": ["hpo"]},
        )
    truth = articles.set_index("article_id")["triplet-uuid"]
    out: dict = {}
    grid = [(3, 0.5)] + [
        (w, r) for w, r in itertools.product((1, 2, 3, 5), (0.25, 0.5, 0.75)) if (w, r) != (3, 0.5)
    ]
    rows = []
    for window, resolution in grid:
        clock = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            stories = find_stories(articles, window=window, resolution=resolution, cache_dir=CACHE)
        seconds = time.perf_counter() - clock
        t = truth.loc[stories["article_id"]].to_numpy()
        f = stories["story_id"].to_numpy()
        precision, recall = pair_scores(t, f)
        rows.append(
            {
                "window": window,
                "resolution": resolution,
                "ari": round(adjusted_rand_score(t, f), 4),
                "precision": round(precision, 4),
                "recall": round(recall, 4),
                "n_stories": int(stories["story_id"].nunique()),
                "seconds": round(seconds, 2),
            }
        )
        if (window, resolution) == (3, 0.5):
            out["defaults"] = rows[-1] | {"params": stories.attrs["stories_params"]}
    out["sensitivity"] = rows
    return out


def ukraine() -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = load_corpus(
            SHARED / "ukraine-nyt-guardian-2022",
            text="articles",
            title="headlines",
            published="published",
            outlet_pattern="^([A-Za-z]+)_",
        )
        clock = time.perf_counter()
        stories = find_stories(articles, cache_dir=CACHE)
        seconds = time.perf_counter() - clock
        scores = score_frames(articles)
        clock = time.perf_counter()
        table = story_matched_differences(
            stories, frame_measures(scores, ("allies_divided", "balancing_interests"))
        )
        compare_seconds = time.perf_counter() - clock
    counted = stories[stories["counted"]]
    multi = counted["story_n_outlets"] >= 2
    cols = [
        "measure",
        "group",
        "a",
        "b",
        "raw_diff",
        "raw_ci_low",
        "raw_ci_high",
        "raw_p_adjusted",
        "matched_diff",
        "matched_ci_low",
        "matched_ci_high",
        "matched_p_adjusted",
        "n_stories",
    ]
    return {
        "n_articles": len(articles),
        "n_stories": int(stories["story_id"].nunique()),
        "n_multi_outlet_stories": int(counted.loc[multi, "story_id"].nunique()),
        "share_articles_in_multi_outlet_stories": round(float(multi.mean()), 4),
        "n_duplicates_not_counted": int((~stories["counted"]).sum()),
        "find_stories_seconds": round(seconds, 2),
        "compare_seconds": round(compare_seconds, 2),
        "params": stories.attrs["stories_params"],
        "selection": story_selection(stories).round(4).to_dict("records"),
        "coverage_windows": coverage_windows(stories, warn=False)["note"].tolist(),
        "differences": table[cols].round(4).to_dict("records"),
    }


# ----------------------------------------------------------------------------- speed
def read_bbc() -> list[tuple[str, list[str]]]:
    out = []
    for path in sorted((SHARED / "bbc-news" / "bbc").glob("*/*.txt")):
        text = path.read_bytes().decode("utf-8", "replace")
        parts = [p.strip() for p in text.split("\n\n") if p.strip()]
        if len(parts) >= 3:
            out.append((parts[0], parts[1:]))
    return out


def synthetic(n: int, bbc: list, vectors: dict, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """N articles: each story retells two BBC articles (a main one and a second one)."""
    rng = random.Random(seed)
    outlets = [f"outlet_{k}" for k in range(8)]
    days = max(1, n // 150)
    n_stories = max(1, n // 3)
    rows, embs = [], []
    story = 0
    big = 250 if n >= 1000 else 0
    while len(rows) < n:
        sizes = [1, 1, 2, 2, 3, 3, 4, 5, 6]
        size = big if story == 0 and big else min(rng.choice(sizes), n - len(rows))
        title, paras = bbc[story % len(bbc)]
        _, others = bbc[(7 * story + 3) % len(bbc)]
        start = (story / n_stories) * days  # stories run in order through the period
        for _ in range(size):
            lead = rng.randrange(min(3, len(paras)))
            body = [paras[lead], *rng.sample(paras, k=max(1, len(paras) // 2))]
            body += rng.sample(others, k=max(1, len(others) // 2))
            body.append(rng.choice(rng.choice(bbc)[1]))
            day = start + rng.expovariate(1.0)
            rows.append(
                {
                    "article_id": f"a{len(rows):06d}",
                    "outlet": rng.choice(outlets),
                    "published": pd.Timestamp("2020-01-01") + pd.Timedelta(days=int(day)),
                    "title": title,
                    "text": "\n\n".join(body),
                    "truth": story,
                }
            )
            v = vectors[title] + vectors[paras[lead]] + vectors[others[0]]
            embs.append(v / np.linalg.norm(v))
        story += 1
    return pd.DataFrame(rows), np.asarray(embs, dtype=np.float32)


def speed(sizes: list[int]) -> dict:
    from framing.embeddings import embed_texts

    bbc = read_bbc()
    texts = sorted({t for t, _ in bbc} | {p for _, ps in bbc for p in ps[:3]})
    clock = time.perf_counter()
    vecs = embed_texts(texts, cache_dir=CACHE, show_progress=False)
    embed_seconds = time.perf_counter() - clock
    vectors = dict(zip(texts, vecs, strict=True))
    rows = []
    for n in sizes:
        articles, emb = synthetic(n, bbc, vectors)
        clock = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            stories = find_stories(articles.drop(columns="truth"), embeddings=emb)
        seconds = time.perf_counter() - clock
        truth = articles.set_index("article_id").loc[stories["article_id"], "truth"].to_numpy()
        precision, recall = pair_scores(truth, stories["story_id"].to_numpy())
        big = stories.loc[
            stories["article_id"].isin(articles.loc[articles["truth"] == 0, "article_id"])
        ]
        rows.append(
            {
                "n": n,
                "seconds": round(seconds, 1),
                "timings": stories.attrs["stories_params"]["timings_s"],
                "n_links": stories.attrs["stories_params"]["n_links"],
                "ari": round(adjusted_rand_score(truth, stories["story_id"]), 4),
                "precision": round(precision, 4),
                "recall": round(recall, 4),
                "big_story_parts": int(big["story_id"].nunique()),
                "big_story_largest_part": int(big["story_id"].value_counts().max()),
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    growth = [
        round(math.log(b["seconds"] / a["seconds"]) / math.log(b["n"] / a["n"]), 2)
        for a, b in itertools.pairwise(rows)
    ]
    return {
        "embedding_seconds_for_bbc_pieces": round(embed_seconds, 1),
        "runs": rows,
        "growth_exponent": growth,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sections", default="seeds,basil,ukraine,speed")
    parser.add_argument("--sizes", default="2000,10000,100000")
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON")
    args = parser.parse_args()
    results = {}
    for name in args.sections.split(","):
        clock = time.perf_counter()
        if name == "speed":
            results[name] = speed([int(s) for s in args.sizes.split(",")])
        else:
            results[name] = globals()[name]()
        print(f"== {name} ({time.perf_counter() - clock:.0f} s)")
        print(json.dumps(results[name], indent=1, default=str))
    if args.out:
        args.out.write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
