"""Stratified samples of a corpus and the stability of topic models fitted on them.

Used by the partitioned engine (:mod:`framing.run.topics_parts`), which fits BERTopic
on a sample and measures stability with a second, disjoint sample.

:func:`stratified_sample` draws a sample stratified by outlet and calendar month,
with proportional allocation by the largest-remainder (Hamilton) method.
:func:`topic_stability` compares two models' assignments of the same documents: the
adjusted Rand index (Hubert & Arabie 1985) and the adjusted mutual information (Vinh,
Epps & Bailey 2010) from ``sklearn.metrics``, outliers counted as one cluster
(1 = the same partition, about 0 = chance), and the share of each model's topics
whose top 10 words share at least :data:`STABILITY_OVERLAP` with a topic of the
other.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "MIN_STABILITY_DOCS",
    "STABILITY_OVERLAP",
    "stratified_sample",
    "top_words",
    "topic_stability",
]

#: Fewest articles outside the first sample for the stability measure (each of the
#: second sample and the evaluation sample then has at least half of them): 100 is
#: where ``scaled_sizes`` reaches BERTopic's own minimum topic size of 10.
MIN_STABILITY_DOCS = 200
#: Top words (of 10) two topics must share to count as the same topic: a majority.
STABILITY_OVERLAP = 5


# --------------------------------------------------------------------------- sampling
def _strata(meta: pd.DataFrame) -> pd.Series:
    """Stratum of each article: outlet and calendar month (``undated`` when missing)."""
    month = pd.to_datetime(meta["published"], errors="coerce").dt.strftime("%Y-%m")
    return meta["outlet"].fillna("").astype(str) + "|" + month.fillna("undated")


def stratified_sample(
    meta: pd.DataFrame, n: int, *, random_state: int, exclude: Any = ()
) -> np.ndarray:
    """Return ``n`` article ids sampled without replacement, stratified by outlet x month.

    Each stratum (outlet and calendar month of ``published``; undated articles form a
    stratum per outlet) gets ``n`` times its share of the eligible articles, rounded
    by the largest-remainder method (Hamilton), ties by stratum name; within a stratum
    the articles are drawn uniformly (a seeded permutation). Deterministic for a seed.

    Parameters
    ----------
    meta : pandas.DataFrame
        ``article_id``, ``outlet``, ``published``.
    n : int
        Sample size; all eligible articles when ``n`` is at least their number.
    random_state : int
        Seed of the draw.
    exclude : iterable of str, optional
        Article ids not eligible (an earlier sample).

    Returns
    -------
    numpy.ndarray
        The sampled ids, sorted.
    """
    ids = meta["article_id"].astype(str)
    keep = ~ids.isin(set(map(str, exclude))).to_numpy()
    pool = meta.loc[keep].assign(article_id=ids[keep])
    pool = pool.sort_values("article_id", kind="stable").reset_index(drop=True)
    if n >= len(pool):
        return pool["article_id"].to_numpy(dtype=object)
    strata = _strata(pool)
    sizes = strata.value_counts().sort_index()
    quota = n * sizes / sizes.sum()
    alloc = np.floor(quota).astype(int)
    short = n - int(alloc.sum())
    remainder = (quota - alloc).sort_values(ascending=False, kind="stable")
    alloc[remainder.index[:short]] += 1
    rng = np.random.default_rng(random_state)
    pool["_key"] = rng.random(len(pool))
    pool["_stratum"] = strata
    pool = pool.sort_values(["_stratum", "_key"], kind="stable")
    rank = pool.groupby("_stratum", sort=False).cumcount().to_numpy()
    taken = rank < pool["_stratum"].map(alloc).to_numpy()
    return np.sort(pool.loc[taken, "article_id"].to_numpy(dtype=object))


# --------------------------------------------------------------------------- stability
def top_words(info: pd.DataFrame, terms: pd.DataFrame, top_n: int = 10) -> list[set[str]]:
    """Each topic's top ``top_n`` words (outlier topic -1 left out), in topic order."""
    kept = terms[(terms["topic"] != -1) & (terms["rank"] <= top_n)]
    return [set(g["term"]) for _, g in kept.groupby("topic", sort=True)]


def _overlap_share(a: list[set[str]], b: list[set[str]]) -> float:
    if not a:
        return float("nan")
    hits = [any(len(x & y) >= STABILITY_OVERLAP for y in b) for x in a]
    return float(np.mean(hits))


def topic_stability(
    labels_a: np.ndarray,
    labels_b: np.ndarray,
    words_a: list[set[str]],
    words_b: list[set[str]],
) -> pd.DataFrame:
    """Agreement of two topic models on the same documents (see the module docstring).

    Parameters
    ----------
    labels_a, labels_b : numpy.ndarray
        Each model's topic of every evaluation document (``-1`` = outlier, counted as
        one cluster).
    words_a, words_b : list of set of str
        Each model's topics' top 10 words (outlier topic left out).

    Returns
    -------
    pandas.DataFrame
        ``measure, value, n, note``: ``adjusted_rand`` and ``adjusted_mutual_info``
        (1 = identical partitions, about 0 = chance, can be negative),
        ``words_a_in_b`` / ``words_b_in_a`` (share of a model's topics, in [0, 1],
        with a topic of the other sharing at least :data:`STABILITY_OVERLAP` top
        words), ``outliers_a`` / ``outliers_b`` (share of documents in topic -1),
        ``topics_a`` / ``topics_b`` (numbers of topics).
    """
    from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score

    n = len(labels_a)
    rows = [
        ("adjusted_rand", adjusted_rand_score(labels_a, labels_b), n, "outliers as one cluster"),
        (
            "adjusted_mutual_info",
            adjusted_mutual_info_score(labels_a, labels_b),
            n,
            "outliers as one cluster",
        ),
        (
            "words_a_in_b",
            _overlap_share(words_a, words_b),
            len(words_a),
            f">= {STABILITY_OVERLAP} of 10 top words shared",
        ),
        (
            "words_b_in_a",
            _overlap_share(words_b, words_a),
            len(words_b),
            f">= {STABILITY_OVERLAP} of 10 top words shared",
        ),
        ("outliers_a", float(np.mean(labels_a == -1)) if n else np.nan, n, ""),
        ("outliers_b", float(np.mean(labels_b == -1)) if n else np.nan, n, ""),
        ("topics_a", float(len(words_a)), len(words_a), ""),
        ("topics_b", float(len(words_b)), len(words_b), ""),
    ]
    table = pd.DataFrame(rows, columns=["measure", "value", "n", "note"])
    return table.astype({"value": "float64", "n": "int64"})
