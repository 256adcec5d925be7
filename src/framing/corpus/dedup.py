"""Exact and near-duplicate articles: syndicated wire copy, pages scraped twice.

Method
------
**Exact duplicates** have the same *normalised* text: case-folded
(:meth:`str.casefold`) with every run of whitespace collapsed to one space and the
ends stripped. Texts are compared by a 128-bit BLAKE2b digest of that string.

**Near duplicates** are found with MinHash locality-sensitive hashing (Broder
1997; banding as in Leskovec, Rajaraman & Ullman 2014, ch. 3):

1. Each text becomes the *set* of its word ``shingle``-grams (default 5): the
   tokens are the ``\\w+`` runs of the case-folded text, so punctuation and
   spacing edits do not matter. A text with fewer than ``shingle`` tokens has one
   shingle made of all its tokens. Every token is hashed to 64 bits (a polynomial
   hash of its code points modulo ``2**64`` through the SplitMix64 finaliser of
   Steele, Lea & Flood 2014), the ``shingle`` token hashes are combined in order,
   and the result is mixed again; all of this is vectorised with NumPy, without
   building a Python string per token.
2. A MinHash signature keeps, for each of ``num_perm`` hash functions
   ``h_i(x) = (a_i x + b_i) mod 2**64`` (``a_i`` odd; ``a_i``, ``b_i`` drawn from
   ``numpy.random.default_rng(random_state)``), the top 32 bits of the minimum over
   the text's shingles. The share of equal signature entries of two texts is an
   unbiased estimate of the Jaccard similarity of their shingle sets. The hashing
   is vectorised with NumPy (all permutations of a block of shingles at once).
3. The signature is cut into ``b`` bands of ``r`` rows; texts that agree on all
   rows of at least one band become *candidate pairs*. ``r`` is the largest value
   (with ``b = num_perm // r``) for which a pair whose Jaccard similarity equals
   ``threshold`` becomes a candidate with probability ``1 - (1 - t**r)**b >= 0.99``
   (higher for more similar pairs). For the defaults (``threshold=0.8``,
   ``num_perm=128``) that is 21 bands of 6 rows. Within one band bucket the members
   (in the stable order below) are paired with the bucket's first member and with
   their neighbour, so a bucket costs linear, not quadratic, work.
4. Every candidate pair is **verified** with the exact Jaccard similarity of the
   two shingle sets, ``|A ∩ B| / |A ∪ B|``, and accepted when it is
   ``>= threshold``. The MinHash estimate only proposes pairs; it never decides.
   (The sets hold the top 48 bits of each shingle hash: two distinct shingles of
   a pair of news articles share them with a probability of about 1e-9, so the
   value equals the Jaccard similarity of the word shingles themselves.)
5. Accepted pairs are merged into clusters, the connected components of the
   graph of accepted pairs (:func:`scipy.sparse.csgraph.connected_components`),
   so chains resolve to one original:
   if ``A ~ B`` and ``B ~ C`` then ``B`` and ``C`` are both duplicates of ``A``,
   even when ``C`` alone is less similar than ``threshold`` to ``A``.

Which copy is the original
--------------------------
Articles are put in a stable order: by ``published`` (``NaT`` last), then by
``article_id``. In every cluster of exact or near duplicates the first article in
that order is the original (``duplicate_of == ""``) and every other member gets
``duplicate_of`` = the original's ``article_id``. The result therefore does not
depend on the row order of the input.

``duplicate_kind`` says how a flagged article relates to its original:
``"exact"`` when their normalised texts are identical, else ``"near"``.

Empty texts (empty or whitespace-only after normalisation, or missing) are never
duplicates of each other or of anything else: an empty body carries no evidence
that two pages are the same article. A text with characters but no word tokens
(e.g. ``"***"``) can only be an exact duplicate.

Cost: linear in the total number of shingles (times ``num_perm``) plus the
candidate pairs, so 100,000 news articles take well under two minutes on two
cores (see ``benchmarks/bench_dedup.py``). Texts are read from the table in
chunks of about 100,000 characters, so memory stays near the signatures
(``4 * num_perm`` bytes per article) plus the shingle sets of candidate pairs
whose verification is pending. Thresholds below about 0.5 make the bands wide
and the candidate lists long; they still work but get slower.

Why not datasketch: its ``MinHash`` hashes each shingle in Python (SHA-1 per
shingle), about 114 s of CPU per 100,000 BBC-length articles for the signatures
alone (measured 2026-12-07 on 2,000 BBC articles, 128 permutations), where this
module's vectorised signatures, banding and verification take about 33 s of CPU
for the whole detection (``benchmarks/bench_dedup.py``), against a target of
under 2 minutes of wall time. Clustering uses scipy's connected components.

References
----------
Broder, A. Z. (1997). On the resemblance and containment of documents.
*Proceedings of Compression and Complexity of SEQUENCES 1997*, 21-29.

Leskovec, J., Rajaraman, A., & Ullman, J. D. (2014). *Mining of Massive
Datasets* (2nd ed.), chapter 3. Cambridge University Press.

Steele, G. L., Lea, D., & Flood, C. H. (2014). Fast splittable pseudorandom
number generators. *OOPSLA 2014*, 453-472.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from framing.corpus.minhash import (
    _band_shape,
    _candidate_pairs,
    _components,
    _earliest_in_cluster,
    _signatures,
)
from framing.corpus.shingles import (
    _POWER_TABLES,
    _chunks,
    _iter_shingle_sets,
    _jaccard,
    _normalise,
    _shingle_set,
    _TextColumn,
)
from framing.schema import SchemaError

__all__ = ["duplicate_pairs", "flag_duplicates"]


@dataclass
class _Result:
    duplicate_of: list[str]
    kind: list[str]
    jaccard: np.ndarray
    report: dict = field(default_factory=dict)


def _check_args(threshold: float, num_perm: int, shingle: int) -> None:
    if not 0.0 < float(threshold) <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    if int(num_perm) != num_perm or num_perm < 2:
        raise ValueError(f"num_perm must be an integer >= 2, got {num_perm!r}")
    if int(shingle) != shingle or shingle < 1:
        raise ValueError(f"shingle must be an integer >= 1, got {shingle!r}")


def _stable_order(articles: pd.DataFrame) -> np.ndarray:
    """Row positions sorted by (published, article_id), NaT last."""
    ids = articles["article_id"].astype(str).to_numpy(dtype=object)
    if "published" not in articles.columns:
        return np.argsort(ids, kind="stable")
    published = articles["published"]
    if not pd.api.types.is_datetime64_any_dtype(published):
        raise SchemaError(
            f"articles.published must be datetime64 to order copies, got {published.dtype}; "
            "convert it with pandas.to_datetime or load the corpus with framing.load_corpus"
        )
    key = pd.DataFrame({"published": published.to_numpy(), "article_id": ids})
    return key.sort_values(
        ["published", "article_id"], na_position="last", kind="stable"
    ).index.to_numpy()


def _detect(
    articles: pd.DataFrame,
    *,
    threshold: float,
    num_perm: int,
    shingle: int,
    random_state: int,
    with_jaccard: bool = False,
) -> _Result:
    _check_args(threshold, num_perm, shingle)
    for col in ("article_id", "text"):
        if col not in articles.columns:
            raise SchemaError(
                f"flag_duplicates needs an articles table with column {col!r}; "
                f"it has {list(articles.columns)}"
            )
    ids_series = articles["article_id"]
    if ids_series.isna().any():
        raise SchemaError("articles.article_id has missing values; every row needs an id")
    if ids_series.duplicated().any():
        repeated = sorted(set(ids_series[ids_series.duplicated()].astype(str)))[:5]
        raise SchemaError(
            f"articles.article_id must be unique to name originals; repeated: {repeated}"
        )
    n = len(articles)
    missing_text = articles["text"].isna().to_numpy()
    if missing_text.any():
        warnings.warn(
            f"flag_duplicates: {int(missing_text.sum())} article(s) have no text (NaN); "
            "they are treated as empty and never flagged as duplicates",
            stacklevel=3,
        )
    order = _stable_order(articles)
    ids = ids_series.astype(str).to_numpy(dtype=object)[order]
    # texts in stable order, fetched slice by slice (never all as Python strings)
    texts = _TextColumn(articles["text"], order)

    # 1. exact duplicates on the normalised text; empty texts stay apart
    rep_of = np.arange(n)
    first_with: dict[bytes, int] = {}
    is_empty = np.zeros(n, dtype=bool)
    for c0, chunk in _chunks(texts):
        for i, t in enumerate(chunk, start=c0):
            norm = _normalise(t)
            if not norm:
                is_empty[i] = True
                continue
            digest = hashlib.blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=16)
            rep_of[i] = first_with.setdefault(digest.digest(), i)
    reps = np.flatnonzero(rep_of == np.arange(n))
    reps = reps[~is_empty[reps]]

    # 2. MinHash LSH over one representative per exact group
    bands, rows, p_at_t = _band_shape(threshold, num_perm)
    sig, has = _signatures(
        texts.subset(reps),
        num_perm=num_perm,
        shingle=shingle,
        random_state=random_state,
    )
    pairs = _candidate_pairs(sig, bands, rows, random_state, np.flatnonzero(has))
    del sig, has  # positions in ``reps`` (ordered by rank) from here on

    # 3. verify candidates with exact Jaccard. The candidate pairs fall into small
    # groups (connected components: an article and its copies). Shingle sets are
    # built group by group, in chunks, and each is dropped after its last pair, so
    # only a few groups' sets are in memory.
    accepted: list[tuple[int, int]] = []
    shingles: dict[int, np.ndarray] = {}
    if len(pairs):
        involved, local = np.unique(pairs, return_inverse=True)
        local = local.reshape(pairs.shape)
        m = involved.size
        group = _components(m, local)
        visit = np.lexsort((involved, group))  # by group, then by rank
        step = np.empty(m, dtype=np.int64)
        step[visit] = np.arange(m)  # when each involved article's set is built
        ready = step[local].max(axis=1)  # a pair can be checked once both sets exist
        by_ready = np.lexsort((pairs[:, 0], pairs[:, 1], ready))
        pairs, ready = pairs[by_ready], ready[by_ready]
        last_use = np.zeros(len(reps), dtype=np.int64)
        np.maximum.at(last_use, pairs.ravel(), np.repeat(np.arange(len(pairs)), 2))
        last = last_use.tolist()
        todo = pairs.tolist()
        ready_at = ready.tolist()
        visit_docs = involved[visit]
        p = 0
        for start, sets in _iter_shingle_sets(texts.subset(reps[visit_docs]), shingle):
            stop = start + len(sets)
            shingles.update(zip(visit_docs[start:stop].tolist(), sets, strict=True))
            while p < len(todo) and ready_at[p] < stop:
                i, j = todo[p]
                if _jaccard(shingles[i], shingles[j]) >= threshold:
                    accepted.append((i, j))
                if not with_jaccard:
                    if last[i] == p:
                        del shingles[i]
                    if last[j] == p:
                        del shingles[j]
                p += 1
    _POWER_TABLES.clear()

    def shingle_set(pos: int) -> np.ndarray:
        s = shingles.get(pos)
        if s is None:
            s = shingles[pos] = _shingle_set(texts[int(reps[pos])], shingle)
        return s

    # 4. accepted pairs chain into clusters (connected components); every article
    # maps to its cluster's earliest copy (positions in ``reps`` follow the rank)
    root_rank = np.arange(n)
    root_rank[reps] = reps[_earliest_in_cluster(len(reps), accepted)]
    root_rank = root_rank[rep_of]  # exact copies follow their representative
    pos_of_rep = {int(r): p for p, r in enumerate(reps.tolist())}
    duplicate_of = [""] * n
    kind = [""] * n
    jaccard = np.full(n, np.nan)
    for i in np.flatnonzero(root_rank != np.arange(n)).tolist():
        root = int(root_rank[i])
        duplicate_of[i] = ids[root]
        if rep_of[i] == root:
            kind[i] = "exact"
            jaccard[i] = 1.0
        else:
            kind[i] = "near"
            if with_jaccard:
                jaccard[i] = _jaccard(
                    shingle_set(pos_of_rep[int(rep_of[i])]), shingle_set(pos_of_rep[root])
                )

    # back to the input's row order
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.arange(n)
    n_exact = kind.count("exact")
    n_near = kind.count("near")
    report = {
        "n_articles": n,
        "n_exact": n_exact,
        "n_near": n_near,
        "n_empty": int(is_empty.sum()),
        "n_missing_text": int(missing_text.sum()),
        "threshold": float(threshold),
        "num_perm": int(num_perm),
        "shingle": int(shingle),
        "bands": bands,
        "rows_per_band": rows,
        "candidate_probability_at_threshold": round(p_at_t, 6),
        "n_candidate_pairs": len(pairs),
        "n_verified_pairs": len(pairs),
        "n_accepted_pairs": len(accepted),
        "random_state": random_state,
    }
    return _Result(
        duplicate_of=[duplicate_of[k] for k in inverse],
        kind=[kind[k] for k in inverse],
        jaccard=jaccard[inverse],
        report=report,
    )


def flag_duplicates(
    articles: pd.DataFrame,
    *,
    threshold: float = 0.8,
    num_perm: int = 128,
    shingle: int = 5,
    drop: bool = False,
    random_state: int = 1,
) -> pd.DataFrame:
    """Flag exact and near-duplicate articles (MinHash LSH; Broder 1997).

    Exact duplicates share their case-folded, whitespace-collapsed text. Near
    duplicates have a Jaccard similarity of word ``shingle``-gram sets of at least
    ``threshold``, found with MinHash LSH and then verified exactly; clusters are
    merged transitively. The method and its parameters are described in
    :mod:`framing.corpus.dedup`.

    Parameters
    ----------
    articles : pandas.DataFrame
        An ``articles`` table; needs ``article_id`` (unique) and ``text``, and uses
        ``published`` (datetime64) when present to decide which copy is earliest.
    threshold : float, default=0.8
        Minimum exact Jaccard similarity of shingle sets for a near duplicate,
        in ``(0, 1]``. Higher is stricter.
    num_perm : int, default=128
        Number of MinHash permutations. More permutations give a sharper LSH
        threshold at a proportional cost.
    shingle : int, default=5
        Words per shingle.
    drop : bool, default=False
        If True, remove the flagged rows (and warn with their count) instead of
        only flagging them.
    random_state : int, default=1
        Seed of the MinHash permutations and band keys. The verified result
        depends on it only through the (tiny) chance that a qualifying pair is
        never proposed as a candidate.

    Returns
    -------
    pandas.DataFrame
        A new table: the input's rows (in the input's order; without the flagged
        rows when ``drop=True``) plus ``duplicate_of`` (str: ``article_id`` of the
        earliest copy by (``published``, ``article_id``), ``NaT`` last, or ``""`` for
        an original) and ``duplicate_kind`` (``"exact"``, ``"near"`` or ``""``).
        ``result.attrs["dedup_report"]`` holds counts and the LSH parameters.
        Empty texts are never duplicates.

    Raises
    ------
    SchemaError
        If ``article_id`` or ``text`` is missing, ``article_id`` has missing or
        repeated values, or ``published`` is not a datetime column.

    Examples
    --------
    >>> import pandas as pd
    >>> arts = pd.DataFrame({
    ...     "article_id": ["a", "b", "c"],
    ...     "published": pd.to_datetime(["2025-01-02", "2025-01-01", None]),
    ...     "text": ["Talks resume in Geneva.", "talks  RESUME in Geneva.", ""],
    ... })
    >>> flagged = flag_duplicates(arts)
    >>> flagged["duplicate_of"].tolist(), flagged["duplicate_kind"].tolist()
    (['b', '', ''], ['exact', '', ''])
    """
    result = _detect(
        articles,
        threshold=threshold,
        num_perm=num_perm,
        shingle=shingle,
        random_state=random_state,
    )
    out = articles.copy()
    out["duplicate_of"] = pd.Series(result.duplicate_of, index=out.index, dtype="str")
    out["duplicate_kind"] = pd.Series(result.kind, index=out.index, dtype="str")
    report = dict(result.report)
    report["n_dropped"] = 0
    if drop:
        flagged = out["duplicate_of"] != ""
        n_flagged = int(flagged.sum())
        if n_flagged:
            warnings.warn(
                f"flag_duplicates(drop=True): removed {n_flagged} duplicate article(s) "
                f"({report['n_exact']} exact, {report['n_near']} near) of {len(out)}",
                stacklevel=2,
            )
        out = out.loc[~flagged].copy()
        report["n_dropped"] = n_flagged
    out.attrs["dedup_report"] = report
    return out


def duplicate_pairs(
    articles: pd.DataFrame,
    *,
    threshold: float = 0.8,
    num_perm: int = 128,
    shingle: int = 5,
    random_state: int = 1,
) -> pd.DataFrame:
    """List each flagged article with its original and their Jaccard similarity.

    For auditing :func:`flag_duplicates` (same method and parameters): read the
    pairs with the lowest ``jaccard`` to check that the threshold is right.

    Parameters
    ----------
    articles : pandas.DataFrame
        An ``articles`` table (``article_id``, ``text``, optionally ``published``).
    threshold, num_perm, shingle, random_state
        As in :func:`flag_duplicates`.

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id``, ``duplicate_of`` (the earliest copy, as in
        :func:`flag_duplicates`) and ``jaccard``: the exact Jaccard similarity of
        the two articles' word-shingle sets, in ``[0, 1]`` (higher = more alike;
        1.0 for exact duplicates). It can be below ``threshold`` for a member of a
        chain (``A ~ B ~ C``) that is only indirectly similar to its original.
        One row per flagged article, sorted by ``duplicate_of`` then
        ``article_id``; empty when there are no duplicates.

    Examples
    --------
    >>> import pandas as pd
    >>> arts = pd.DataFrame({"article_id": ["x", "y"],
    ...                      "text": ["One two three.", "ONE two   three."]})
    >>> duplicate_pairs(arts)
      article_id duplicate_of  jaccard
    0          y            x      1.0
    """
    result = _detect(
        articles,
        threshold=threshold,
        num_perm=num_perm,
        shingle=shingle,
        random_state=random_state,
        with_jaccard=True,
    )
    ids = articles["article_id"].astype(str).tolist()
    table = pd.DataFrame(
        {
            "article_id": pd.Series(ids, dtype="str"),
            "duplicate_of": pd.Series(result.duplicate_of, dtype="str"),
            "jaccard": result.jaccard,
        }
    )
    table = table.loc[table["duplicate_of"] != ""]
    table = table.sort_values(["duplicate_of", "article_id"], kind="stable")
    table = table.reset_index(drop=True)
    table.attrs["dedup_report"] = result.report
    return table
