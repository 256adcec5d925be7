"""Find stories: articles about the same event, across outlets.

Method (Nicholls & Bright 2019, with sentence embeddings added to TF-IDF)
------------------------------------------------------------------------
1. **Two views of each article's lead.** Both views read the title and the lead
   (the first ``lead_words`` words): a MiniLM sentence embedding (short enough
   that the model truncates nothing), cached by text hash through
   :mod:`framing.embeddings`, and a TF-IDF vector (sublinear term frequency,
   English stop words removed, terms in at least 2 articles, L2-normalised).
   Cosine similarity of each view is a dot product. News is written as an
   inverted pyramid: the lead says who did what, where and when, which is what
   identifies an event; the body goes on to background and context, which
   articles on *different* events of one running issue share (the Indiana and
   Arkansas religious-freedom laws, a shutdown and the reactions to it). A
   TF-IDF over whole bodies therefore measures the issue as much as the event,
   and long articles weigh more in it. The lead also bounds the cost: the
   vectoriser reads at most ``lead_words`` words of each article, whatever its
   length (it read whole bodies and took 40 % of the time at 10,000 articles).
2. **Candidates within a date window** (sub-quadratic). Articles are grouped by
   day; an article is compared only with articles published at most ``window``
   days before or after it, a block of days at a time (a dense product of
   embeddings and a sparse product of TF-IDF rows). Undated articles are compared
   with every article on content alone, and flagged (``matched_on = "content"``).
   Cost: ``N x (articles within the window)``, not ``N^2`` (except for undated
   articles); memory: one block of at most 512 rows at a time.
3. **A threshold from an empirical null**, not a number tuned on labels. Pairs of
   articles published more than ``max(30, 2 * window)`` days apart are almost never
   about the same event; a random sample of such pairs gives the distribution of
   similarity between *unrelated* articles of this corpus (so a one-topic corpus
   gets a stricter threshold than a general news feed). Each similarity is
   standardised by the null's mean and standard deviation and the two views are
   averaged with equal weight, ``z = (z_embedding + z_tfidf) / 2``. A candidate
   pair is linked when ``z`` exceeds the null's ``threshold`` quantile; quantiles
   beyond the 95th percentile come from an exponential tail fitted to the null's
   upper 5 % (:func:`framing.stories.similarity.tail_quantile`), so a few
   same-story or templated pairs in the sample cannot set the threshold. The default
   ``threshold="auto"`` takes the quantile ``1 - chance_links / K``, where ``K`` is
   the mean number of articles within an article's window: each article then
   gets, in expectation, at most ``chance_links`` (0.1) links to unrelated
   articles (a Bonferroni bound over its ``K`` comparisons).
   A corpus that spans less than a month uses pairs more than ``2 * window + 1``
   days apart (never candidates of each other, and rarely of one story).
   Without 500 dated pairs that far apart, the null is a random sample of all pairs
   less each article's 10 nearest neighbours by embedding (its likeliest story
   mates, which would otherwise raise the null's tail); a story of more than 11
   articles still leaves some of its pairs in it, which makes content-only
   matching conservative. A corpus with fewer than 500 pairs in all (under 33 articles) has no
   usable null, and its TF-IDF weights rest on a handful of documents; it falls
   back to linking pairs
   whose embedding cosine is at least 0.5, the midpoint of the positive cosine
   scale (0 for unrelated, 1 for the same text).
   Both fallbacks are reported in ``attrs["stories_params"]``.
4. **Weighted links.** A link above the threshold is not yet a story: the
   threshold bounds the *number* of chance links per article, but a pair just
   above it is much less likely to be one story than a pair far above it. In an
   unweighted graph both count the same, and an article with weak links to all
   three articles of a neighbouring story on the same topic (a follow-up, a
   reaction piece) is pulled into it, away from the two articles it truly
   shares with. Each link is therefore weighted by the posterior probability
   that the pair is the same story, ``1 - lfdr(z)``, the local false discovery
   rate of the candidate pairs against the same null (Efron 2010;
   :mod:`framing.stories.posterior`). Links with weight 0 are dropped.
5. **Communities.** The Leiden algorithm (Traag, Waltman & van Eck 2019;
   ``leidenalg``/``igraph``) optimises the constant Potts model (Traag, Van
   Dooren & Nesterov 2011) on the weighted graph; unlike modularity it has no
   resolution limit: small stories are not merged just because the corpus is
   large. Two groups join when the sum of the weights between them exceeds
   ``resolution`` times the number of pairs between them, i.e. when the expected
   share of same-story pairs between them exceeds ``resolution``. The default
   0.5 is the Bayes decision rule with equal costs for a false merge and a false
   split: join when a same-story pair is more likely than not (for two single
   articles: link them when ``P(same story) > 0.5``). Without a null (tiny
   corpora) the graph is unweighted and 0.5 is the majority rule: most pairs
   of a story are linked. Each article keeps at most
   ``max_links`` (200) links, its best-scored ones, so the graph has at most
   ``N * max_links`` edges however large a story grows; a story of more than
   about ``2 * max_links`` articles may then be split in parts (it is never
   merged with others).

References
----------
Coles, S. (2001). *An Introduction to Statistical Modeling of Extreme Values*.
Springer.
Efron, B. (2010). *Large-Scale Inference*. Cambridge University Press.
Nicholls, T. & Bright, J. (2019). Understanding news story chains using information
retrieval and network clustering techniques. *Communication Methods and Measures*
13(1), 43-59.
Traag, V. A., Van Dooren, P. & Nesterov, Y. (2011). Narrow scope for
resolution-limit-free community detection. *Physical Review E* 84, 016114.
Traag, V. A., Waltman, L. & van Eck, N. J. (2019). From Louvain to Leiden:
guaranteeing well-connected communities. *Scientific Reports* 9, 5233.
"""

from __future__ import annotations

import math
import os
import time
import warnings
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import sparse

from framing.stories.labels import label_stories
from framing.stories.posterior import same_story_probability, z_histogram
from framing.stories.similarity import (
    MIN_NULL_PAIRS,
    links,
    n_compared,
    null_sample,
    tail_quantile,
    texts,
    tfidf,
)

__all__ = ["StoryWarning", "find_stories"]

STORY_COLUMNS = [
    "story_id",
    "article_id",
    "outlet",
    "published",
    "story_label",
    "story_headline",
    "story_terms",
    "story_size",
    "story_n_outlets",
    "centrality",
    "matched_on",
    "counted",
]


class StoryWarning(UserWarning):
    """Stories were found under a restriction the reader should know about."""


# ------------------------------------------------------------------------ community
def _leiden(
    n: int, pairs: np.ndarray, weights: np.ndarray | None, resolution: float, seed: int
) -> np.ndarray:
    import igraph
    import leidenalg

    if len(pairs) == 0:
        return np.arange(n)
    graph = igraph.Graph(n=n, edges=pairs, directed=False)
    part = leidenalg.find_partition(
        graph,
        leidenalg.CPMVertexPartition,
        weights=None if weights is None else weights.tolist(),
        resolution_parameter=resolution,
        seed=seed,
    )
    return np.asarray(part.membership, dtype=np.int64)


# ------------------------------------------------------------------------------ main
def _check(articles: pd.DataFrame) -> None:
    if not isinstance(articles, pd.DataFrame):
        raise TypeError(f"articles must be a pandas DataFrame, got {type(articles).__name__}")
    missing = [c for c in ("article_id", "outlet", "text") if c not in articles.columns]
    if missing:
        raise ValueError(
            f"find_stories: articles lack column(s) {missing}; pass the table of "
            "framing.load_corpus (article_id, outlet, published, title, text)"
        )
    if articles["article_id"].duplicated().any():
        dup = articles.loc[articles["article_id"].duplicated(), "article_id"].iloc[0]
        raise ValueError(f"find_stories: article_id {dup!r} is repeated; ids must be unique")


def _day_numbers(articles: pd.DataFrame) -> np.ndarray:
    if "published" not in articles.columns:
        return np.full(len(articles), np.nan)
    published = pd.to_datetime(articles["published"], errors="coerce", utc=True)
    days = (published.dt.tz_localize(None).dt.normalize() - pd.Timestamp("1970-01-01")).dt.days
    return days.to_numpy(dtype=float, na_value=np.nan)


def _counted(articles: pd.DataFrame, story: np.ndarray) -> np.ndarray:
    """Mark False a duplicate whose original is in the same story and outlet."""
    counted = np.ones(len(articles), dtype=bool)
    if "duplicate_of" not in articles.columns:
        return counted
    dup_of = articles["duplicate_of"].fillna("").astype(str).to_numpy()
    pos = pd.Series(np.arange(len(articles)), index=articles["article_id"].astype(str))
    outlets = articles["outlet"].astype(str).to_numpy()
    for row in np.flatnonzero(dup_of != ""):
        orig = pos.get(dup_of[row])
        if orig is not None and story[orig] == story[row] and outlets[orig] == outlets[row]:
            counted[row] = False
    return counted


def find_stories(
    articles: pd.DataFrame,
    *,
    window: int = 3,
    threshold: float | Literal["auto"] = "auto",
    resolution: float = 0.5,
    chance_links: float = 0.1,
    max_links: int = 200,
    lead_words: int = 60,
    embeddings: np.ndarray | None = None,
    embedding_model: Any = None,
    cache_dir: str | os.PathLike[str] | None = None,
    random_state: int = 0,
) -> pd.DataFrame:
    """Group articles about the same event into stories, across outlets.

    See the module docstring for the method (TF-IDF and embeddings within a date
    window, a threshold from an empirical null, links weighted by their local-fdr
    posterior, Leiden/CPM communities).

    Parameters
    ----------
    articles : pandas.DataFrame
        ``article_id``, ``outlet``, ``text``; ``published`` and ``title`` are used
        when present; ``duplicate_of`` (from :func:`framing.load_corpus`) marks
        syndicated or repeated copies, counted once per outlet inside a story.
    window : int, default=3
        Days before or after an article within which candidates are sought. News
        coverage of one event clusters in the days after it; three days covers
        next-day print editions, weekends and time-zone shifts in dates. A story
        can last longer than the window through chains of links.
    threshold : float in (0, 1) or "auto", default="auto"
        Quantile of the null similarity (step 3) a pair must exceed to be linked;
        ``"auto"`` is ``1 - chance_links / (mean candidates per article)``.
    resolution : float, default=0.5
        CPM resolution: the expected share of same-story pairs (sum of link
        weights over pairs) two groups need to merge (0.5: more likely than not).
    chance_links : float, default=0.1
        Expected links per article to unrelated articles that the automatic
        threshold allows.
    max_links : int, default=200
        Most links an article keeps (its best-scored pairs above the threshold):
        bounds the graph at ``N * max_links`` edges however large a story is.
    lead_words : int, default=60
        Words of the text read after the title, by both views (step 1): about
        the first two paragraphs of a news article (a lead paragraph runs to
        25-40 words), and well inside the embedding model's 256 word pieces.
    embeddings : numpy.ndarray, optional
        Precomputed unit-length embeddings, one row per article (in order); by
        default title + lead are embedded with ``embedding_model`` and cached in
        ``cache_dir``.
    embedding_model, cache_dir :
        As for :func:`framing.embeddings.embed_texts`.
    random_state : int, default=0
        Seed of the null sample and of Leiden.

    Returns
    -------
    pandas.DataFrame
        One row per article: ``story_id`` (int, 1.. in order of the story's first
        date), ``article_id``, ``outlet``, ``published``, ``story_label`` (the
        most central headline and the top TF-IDF terms), ``story_headline``,
        ``story_terms``, ``story_size`` (articles), ``story_n_outlets``,
        ``centrality`` (cosine of the article's embedding to its story's mean, in
        [-1, 1]), ``matched_on`` (``"date+content"``, or ``"content"`` for an
        undated article) and ``counted`` (False for a duplicate whose original
        sits in the same story and outlet). ``attrs["stories_params"]`` records
        the settings, the null, the threshold and timings.

    Warns
    -----
    StoryWarning
        When articles have no date (matched on content alone) or the threshold
        had to fall back.
    """
    _check(articles)
    if window < 0:
        raise ValueError(f"find_stories: window must be >= 0 days, got {window!r}")
    if threshold != "auto" and not 0 < float(threshold) < 1:
        raise ValueError(
            f"find_stories: threshold must be a quantile in (0, 1) or 'auto', got {threshold!r}"
        )
    resolution = float(resolution)
    articles = articles.reset_index(drop=True)
    n = len(articles)
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    days = _day_numbers(articles)
    n_undated = int(np.isnan(days).sum())
    if n and n_undated == n:
        warnings.warn(
            "find_stories: no article has a date; stories are matched on content alone. "
            "Every article is compared with every other (quadratic time), so the "
            "threshold is stricter (more comparisons per article) and fewer pairs "
            "link, and a recurring event can merge with its earlier occurrences",
            StoryWarning,
            stacklevel=2,
        )
    elif n_undated:
        warnings.warn(
            f"find_stories: {n_undated} of {n} articles have no date; they are matched "
            "on content alone and flagged matched_on='content'",
            StoryWarning,
            stacklevel=2,
        )
    lead = texts(articles, lead_words)
    if embeddings is None:
        from framing.embeddings import embed_texts

        emb = embed_texts(lead, model=embedding_model, cache_dir=cache_dir) if n else None
    else:
        emb = np.asarray(embeddings, dtype=np.float32)
        if emb.shape[0] != n:
            raise ValueError(f"find_stories: embeddings has {emb.shape[0]} rows for {n} articles")
    if n == 0:
        return pd.DataFrame(columns=STORY_COLUMNS)
    timings["embed"] = time.perf_counter() - clock
    clock = time.perf_counter()
    tfidf_rows, terms = tfidf(lead)
    timings["tfidf"] = time.perf_counter() - clock

    rng = np.random.default_rng(random_state)
    gaps = (max(30.0, 2.0 * window), 2.0 * window + 1)
    null_e, null_t, null_kind = null_sample(emb, tfidf_rows, days, gaps, rng)
    n_pairs = n_compared(days, window)
    params: dict[str, Any] = {
        "window": window,
        "resolution": resolution,
        "chance_links": chance_links,
        "max_links": max_links,
        "lead_words": lead_words,
        "null": null_kind,
        "n_null_pairs": len(null_e),
        "n_candidate_pairs": n_pairs,
        "n_undated": n_undated,
    }
    if null_kind == "none":
        warnings.warn(
            "find_stories: too few articles for an empirical null (fewer than "
            f"{MIN_NULL_PAIRS} pairs); pairs are linked when their embedding cosine is "
            "at least 0.5",
            StoryWarning,
            stacklevel=2,
        )
        params.update(threshold_quantile=math.nan, threshold_z=math.nan, fallback_cosine=0.5)
        z_null = np.zeros(0)
        thr = 0.5 - 1e-9

        def score(cos_e: np.ndarray, cos_t: np.ndarray) -> np.ndarray:
            return cos_e

    else:
        me, se = float(null_e.mean()), float(null_e.std()) or 1.0
        mt, st = float(null_t.mean()), float(null_t.std()) or 1.0
        z_null = ((null_e - me) / se + (null_t - mt) / st) / 2
        if threshold == "auto":
            q = 1 - chance_links / max(n_pairs / n, 1.0)
        else:
            q = float(threshold)
        thr = tail_quantile(z_null, q)
        params.update(threshold_quantile=q, threshold_z=thr)

        def score(cos_e: np.ndarray, cos_t: np.ndarray) -> np.ndarray:
            return ((cos_e - me) / se + (cos_t - mt) / st) / 2

    clock = time.perf_counter()
    histogram = z_histogram if len(z_null) else None
    i, j, z, counts = links(emb, tfidf_rows, days, window, score, thr, max_links, histogram)
    timings["links"] = time.perf_counter() - clock
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    pairs, first = np.unique(np.column_stack([lo, hi]), axis=0, return_index=True)
    z = z[first]
    params["n_links"] = len(pairs)
    clock = time.perf_counter()
    probability = None if counts is None else same_story_probability(z_null, counts)
    weights = None
    if probability is not None:
        weights = probability(z)
        pairs, weights = pairs[weights > 0], weights[weights > 0]
    params["weights"] = "unweighted" if weights is None else "P(same story), local fdr"
    params["n_weighted_links"] = len(pairs)
    membership = _leiden(n, pairs, weights, resolution, random_state)
    timings["communities"] = time.perf_counter() - clock
    clock = time.perf_counter()
    table = _assemble(articles, membership, days, emb, tfidf_rows, terms)
    timings["labels"] = time.perf_counter() - clock
    params["timings_s"] = {k: round(v, 3) for k, v in timings.items()}
    table.attrs["stories_params"] = params
    return table


def _assemble(
    articles: pd.DataFrame,
    membership: np.ndarray,
    days: np.ndarray,
    emb: np.ndarray,
    tfidf: sparse.csr_matrix,
    terms: np.ndarray,
) -> pd.DataFrame:
    # story ids in order of first date (undated last), then of first article id
    ids = articles["article_id"].astype(str).to_numpy()
    key = pd.DataFrame({"m": membership, "day": days, "id": ids})
    first = key.groupby("m").agg(day=("day", "min"), id=("id", "min"))
    first = first.sort_values(["day", "id"], na_position="last")
    renumber = pd.Series(np.arange(1, len(first) + 1), index=first.index)
    story = renumber.loc[membership].to_numpy()
    labels = label_stories(story, emb, tfidf, terms, articles)
    table = pd.DataFrame(
        {
            "story_id": story.astype(np.int64),
            "article_id": articles["article_id"].to_numpy(),
            "outlet": articles["outlet"].to_numpy(),
            "published": articles["published"].to_numpy()
            if "published" in articles.columns
            else pd.NaT,
        }
    )
    table = table.join(labels, on="story_id")
    table["story_size"] = table.groupby("story_id")["article_id"].transform("size")
    table["story_n_outlets"] = table.groupby("story_id")["outlet"].transform("nunique")
    table["centrality"] = labels.attrs["centrality"]
    table["matched_on"] = np.where(np.isnan(days), "content", "date+content")
    table["counted"] = _counted(articles, story)
    return (
        table[STORY_COLUMNS]
        .sort_values(["story_id", "published", "article_id"])
        .reset_index(drop=True)
    )
