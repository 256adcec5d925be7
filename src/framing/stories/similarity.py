"""Similarity of article pairs for :mod:`framing.stories.build`: views, date blocks, null.

- the text of an article that both views read, its title and lead (:func:`texts`),
  and its TF-IDF rows (:func:`tfidf`);
- the blocks of days in which pairs are compared (:func:`blocks`), and the scored
  links within them (:func:`links`);
- the null sample of unrelated pairs (:func:`null_sample`).

The method and its defaults are documented in :mod:`framing.stories.build`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = [
    "MIN_NULL_PAIRS",
    "NULL_EXCLUDED_NEIGHBOURS",
    "N_NULL_PAIRS",
    "TAIL_START",
    "blocks",
    "links",
    "n_compared",
    "null_sample",
    "tail_quantile",
    "texts",
    "tfidf",
]

#: Smallest null sample from which a quantile threshold is taken.
MIN_NULL_PAIRS = 500
#: Null pairs drawn (their similarities are computed exactly).
N_NULL_PAIRS = 100_000
#: Nearest neighbours of each article left out of a random-pair null (undated
#: corpora): the likeliest story mates, so stories of up to 11 articles stay out.
NULL_EXCLUDED_NEIGHBOURS = 10
#: Quantile above which the null's tail is modelled as exponential.
TAIL_START = 0.95
#: Rows of one similarity block (memory: rows x candidates x 4 bytes).
_BLOCK_ROWS = 512


# ----------------------------------------------------------------------------- views
def _lead(text: str, n_words: int) -> str:
    return " ".join(text.split(maxsplit=n_words)[:n_words])


def texts(articles: pd.DataFrame, lead_words: int) -> list[str]:
    """Return title + the first ``lead_words`` words of the text, per article."""
    body = articles["text"].fillna("").astype(str).tolist()
    if "title" in articles:
        titles = articles["title"].fillna("").astype(str).tolist()
    else:
        titles = [""] * len(body)
    return [f"{t}. {_lead(x, lead_words)}".strip(". ") for t, x in zip(titles, body, strict=True)]


_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern
_CHUNK_DOCS = 4096


def _count_chunk(
    docs: Sequence[str], vocabulary: dict[str, int], stop: frozenset[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, term id, count) of one chunk, term ids from the growing ``vocabulary``."""
    token_lists = [_TOKEN.findall(doc.lower()) for doc in docs]
    lengths = np.fromiter((len(t) for t in token_lists), np.int64, len(token_lists))
    tokens = pd.Series(list(itertools.chain.from_iterable(token_lists)), dtype=object)
    codes, uniques = pd.factorize(tokens)
    keep_term = np.fromiter((u not in stop for u in uniques), bool, len(uniques))
    ids = np.fromiter(
        (vocabulary.setdefault(u, len(vocabulary)) for u in uniques), np.int64, len(uniques)
    )
    rows = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    mask = keep_term[codes] if len(codes) else np.zeros(0, bool)
    key = rows[mask] * (len(uniques) + 1) + codes[mask]
    pair, count = np.unique(key, return_counts=True)
    return pair // (len(uniques) + 1), ids[pair % (len(uniques) + 1)], count


def tfidf(docs: list[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Return L2-normalised TF-IDF rows (sublinear tf, English stop words) and terms.

    Terms must occur in at least 2 documents (a term of one article links nothing),
    except in a corpus of 2 or fewer. The result equals scikit-learn's
    ``TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=...)``
    (same tokens, ``tf = 1 + log(count)``, ``idf = 1 + log((1 + n) / (1 + df))``,
    terms sorted; tested against it), but the tokens are counted a chunk of
    documents at a time with :func:`pandas.factorize` instead of a Python loop
    over every token: the vectoriser was 40 % of the time at 10,000 articles.
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    n = len(docs)
    vocabulary: dict[str, int] = {}
    parts_r, parts_c, parts_v = [], [], []
    for start in range(0, n, _CHUNK_DOCS):
        r, c, v = _count_chunk(docs[start : start + _CHUNK_DOCS], vocabulary, ENGLISH_STOP_WORDS)
        parts_r.append(r + start)
        parts_c.append(c)
        parts_v.append(v)
    n_terms = len(vocabulary)
    if n == 0 or n_terms == 0:
        return sparse.csr_matrix((n, 1), dtype=np.float32), np.array([""])
    counts = sparse.csr_matrix(
        (np.concatenate(parts_v), (np.concatenate(parts_r), np.concatenate(parts_c))),
        shape=(n, n_terms),
        dtype=np.float64,
    )
    df = np.bincount(counts.indices, minlength=n_terms)
    names = np.array(list(vocabulary), dtype=object)
    keep = df >= (2 if n > 2 else 1)
    # terms of stop words were given ids but no counts: df 0, dropped here
    if not keep.any():
        return sparse.csr_matrix((n, 1), dtype=np.float32), np.array([""])
    order = np.flatnonzero(keep)[np.argsort(names[keep].astype(str), kind="stable")]
    counts = counts[:, order].tocsr()
    counts.sort_indices()
    counts.data = 1.0 + np.log(counts.data)
    idf = 1.0 + np.log((1.0 + n) / (1.0 + df[order]))
    counts = counts @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix = sparse.diags(1.0 / norms) @ counts
    return sparse.csr_matrix(matrix, dtype=np.float32), names[order].astype(str)


def _row_dots(matrix: sparse.csr_matrix, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    if len(i) == 0:
        return np.zeros(0, np.float32)
    return np.asarray(matrix[i].multiply(matrix[j]).sum(axis=1), dtype=np.float32).ravel()


# ------------------------------------------------------------------------ candidates
def blocks(days: np.ndarray, window: int) -> Iterator[tuple[np.ndarray, np.ndarray, str]]:
    """Yield (query rows, candidate rows, matched_on) covering every needed pair."""
    n = len(days)
    dated = np.flatnonzero(~np.isnan(days))
    undated = np.flatnonzero(np.isnan(days))
    order = dated[np.argsort(days[dated], kind="stable")]
    sorted_days = days[order]
    for day in np.unique(sorted_days):
        lo = np.searchsorted(sorted_days, day - window, "left")
        hi = np.searchsorted(sorted_days, day + window, "right")
        q_lo = np.searchsorted(sorted_days, day, "left")
        q_hi = np.searchsorted(sorted_days, day, "right")
        cands = np.concatenate([order[lo:hi], undated])
        for start in range(q_lo, q_hi, _BLOCK_ROWS):
            yield order[start : min(q_hi, start + _BLOCK_ROWS)], cands, "date+content"
    everyone = np.arange(n)
    for start in range(0, len(undated), _BLOCK_ROWS):
        yield undated[start : start + _BLOCK_ROWS], everyone, "content"


def n_compared(days: np.ndarray, window: int) -> int:
    """Pairs (ordered) compared in the window blocks, without computing them."""
    return sum(len(rows) * (len(cands) - 1) for rows, cands, _ in blocks(days, window))


def links(
    emb: np.ndarray,
    tfidf_rows: sparse.csr_matrix,
    days: np.ndarray,
    window: int,
    score: Callable[[np.ndarray, np.ndarray], np.ndarray],
    threshold: float,
    max_links: int,
    histogram: Callable[[np.ndarray], np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """Pairs within the window whose ``score(cos_emb, cos_tfidf)`` exceeds ``threshold``.

    Every pair of a block is scored (a dense embedding product and a sparse TF-IDF
    product); each article keeps at most ``max_links`` pairs, the best scored.
    Returns ``(i, j, score, counts)``: the linked pairs (each found from both
    ends), their scores, and ``histogram`` summed over the scores of every
    candidate pair (None without ``histogram``).
    """
    out_i, out_j, out_v = [], [], []
    counts = None
    for rows, cands, _ in blocks(days, window):
        if len(cands) < 2:
            continue
        cos_e = emb[rows] @ emb[cands].T
        cos_t = (tfidf_rows[rows] @ tfidf_rows[cands].T).toarray()
        value = score(cos_e, cos_t)
        value[rows[:, None] == cands[None, :]] = -np.inf
        if histogram is not None:
            block = histogram(value.ravel())
            counts = block if counts is None else counts + block
        r, c = np.nonzero(value > threshold)
        if len(r) == 0:
            continue
        v = value[r, c]
        if np.bincount(r, minlength=len(rows)).max() > max_links:
            order = np.lexsort((-v, r))
            rank = np.arange(len(r)) - np.searchsorted(r[order], r[order], "left")
            keep = order[rank < max_links]
            r, c, v = r[keep], c[keep], v[keep]
        out_i.append(rows[r])
        out_j.append(cands[c])
        out_v.append(v)
    if not out_i:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), counts
    return np.concatenate(out_i), np.concatenate(out_j), np.concatenate(out_v), counts


# ------------------------------------------------------------------------------ null
def _far_pairs(days: np.ndarray, gap: float, rng: Any) -> tuple[np.ndarray, np.ndarray]:
    n = len(days)
    i_all, j_all = [], []
    got = 0
    for _ in range(20):
        i = rng.integers(0, n, 4 * N_NULL_PAIRS)
        j = rng.integers(0, n, 4 * N_NULL_PAIRS)
        far = np.abs(days[i] - days[j]) > gap  # NaN compares False: undated excluded
        i_all.append(i[far])
        j_all.append(j[far])
        got += int(far.sum())
        if got >= N_NULL_PAIRS:
            break
    return np.concatenate(i_all)[:N_NULL_PAIRS], np.concatenate(j_all)[:N_NULL_PAIRS]


def _kth_similarity(emb: np.ndarray, k: int) -> np.ndarray:
    """Each article's ``k``-th highest embedding cosine to another article."""
    n = len(emb)
    k = min(k, n - 1)
    out = np.empty(n, dtype=np.float32)
    for start in range(0, n, _BLOCK_ROWS):
        sims = emb[start : start + _BLOCK_ROWS] @ emb.T
        rows = np.arange(sims.shape[0])
        sims[rows, rows + start] = -np.inf
        out[start : start + len(rows)] = -np.partition(-sims, k - 1, axis=1)[:, k - 1]
    return out


def null_sample(
    emb: np.ndarray,
    tfidf_rows: sparse.csr_matrix,
    days: np.ndarray,
    gaps: Sequence[float],
    rng: Any,
) -> tuple[np.ndarray, np.ndarray, str]:
    """Similarities (embedding, TF-IDF) of random pairs far apart in time.

    Pairs more than ``gaps[0]`` days apart; when fewer than :data:`MIN_NULL_PAIRS`
    exist, more than ``gaps[1]`` days, and so on; then random pairs of any date,
    leaving out pairs in which either article is among the other's
    :data:`NULL_EXCLUDED_NEIGHBOURS` nearest by embedding (its likeliest story
    mates; quadratic, as content-only matching is anyway);
    no sample (kind ``"none"``) when the corpus has fewer than
    :data:`MIN_NULL_PAIRS` pairs in all. Returns ``(cos_emb, cos_tfidf, kind)``.
    """
    n = len(days)
    if n * (n - 1) // 2 < MIN_NULL_PAIRS:
        return np.zeros(0), np.zeros(0), "none"
    for limit in dict.fromkeys(gaps):
        i, j = _far_pairs(days, limit, rng)
        if len(i) >= MIN_NULL_PAIRS:
            kind = f"dated pairs more than {limit:g} days apart"
            break
    else:
        kind = (
            f"random pairs, each article's {NULL_EXCLUDED_NEIGHBOURS} nearest neighbours "
            "left out (too few dated pairs far apart)"
        )
        i = rng.integers(0, n, N_NULL_PAIRS)
        j = rng.integers(0, n, N_NULL_PAIRS)
        kth = _kth_similarity(emb, NULL_EXCLUDED_NEIGHBOURS)
        cos = np.einsum("ij,ij->i", emb[i], emb[j])
        keep = (i != j) & (cos < np.minimum(kth[i], kth[j]))
        i, j = i[keep], j[keep]
    e = np.einsum("ij,ij->i", emb[i], emb[j])
    t = _row_dots(tfidf_rows, i, j)
    return e, t, kind


def tail_quantile(null: np.ndarray, q: float) -> float:
    """Quantile ``q`` of the null, with an exponential tail above :data:`TAIL_START`.

    Up to the 95th percentile the empirical quantile is used. Beyond it the
    exceedances over ``u`` (the 95th percentile) are modelled as exponential
    (peaks over threshold; Coles 2001, ch. 4) with the maximum-likelihood scale,
    their mean ``beta``, so ``Q(q) = u + beta * log(0.05 / (1 - q))``. An
    empirical 1-in-10,000 quantile would be set by the few most similar pairs of
    the sample, which may be same-story or recurring (templated) articles; the
    fitted tail is set by the upper 5 % as a whole.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> round(tail_quantile(rng.exponential(size=200_000), 0.999), 1)  # exact: 6.9
    6.9
    """
    if q <= TAIL_START:
        return float(np.quantile(null, q))
    u = float(np.quantile(null, TAIL_START))
    excess = null[null > u] - u
    beta = float(excess.mean()) if excess.size else 0.0
    return u + beta * float(np.log((1 - TAIL_START) / (1 - q)))
