"""Topic tables: topic words, per-outlet words, shares with bootstrap intervals.

See :mod:`framing.topics.model` ("Shares and intervals") for the rules.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framing._resampling import percentile_interval

# --------------------------------------------------------------------------- tables


def _format_terms(pairs: list[tuple[str, float]]) -> str:
    return ", ".join(f"{w} ({s:.3g})" for w, s in pairs)


def _topic_tables(topics: np.ndarray, terms: dict[int, list[tuple[str, float]]]):
    sizes = pd.Series(topics).value_counts()
    rows, long = [], []
    for t in sorted(terms):
        pairs = terms[t]
        label = "outlier" if t == -1 else ", ".join(w for w, _ in pairs[:3]) or f"topic {t}"
        rows.append((t, int(sizes.get(t, 0)), label, _format_terms(pairs), len(pairs)))
        long.extend((t, r, w, s) for r, (w, s) in enumerate(pairs, start=1))
    info = pd.DataFrame(rows, columns=["topic", "size", "label", "top_terms", "n_terms"])
    term_table = pd.DataFrame(long, columns=["topic", "rank", "term", "weight"])
    return info.astype({"topic": "int64", "size": "int64"}), term_table.astype(
        {"topic": "int64", "rank": "int64", "weight": "float64"}
    )


def _class_tfidf(class_counts: sp.csr_matrix) -> sp.csr_matrix:
    """c-TF-IDF (Grootendorst 2022): l1-normalised class term frequency x log(1 + A/f_t)."""
    class_counts = sp.csr_matrix(class_counts, dtype=float)
    row_sums = np.asarray(class_counts.sum(axis=1)).ravel()
    tf = sp.diags(np.divide(1.0, row_sums, out=np.zeros_like(row_sums), where=row_sums > 0))
    freq = np.asarray(class_counts.sum(axis=0)).ravel()
    avg = int(row_sums.mean()) if len(row_sums) else 0
    idf = np.log(np.divide(avg, freq, out=np.zeros_like(freq), where=freq > 0) + 1)
    return (tf @ class_counts @ sp.diags(idf)).tocsr()


def _outlet_terms(docs, topics, counts, vocab, top_n) -> dict[tuple[str, int], str]:
    pairs = pd.Series(list(zip(docs["outlet"], topics.tolist(), strict=True)), dtype=object)
    inverse, classes = pd.factorize(pairs)
    group = sp.csr_matrix(
        (np.ones(len(topics)), (inverse, np.arange(len(topics)))),
        shape=(len(classes), len(topics)),
    )
    weights = _class_tfidf(group @ sp.csr_matrix(counts))
    out = {}
    for c, (outlet, topic) in enumerate(classes):
        row = weights.getrow(c)
        top = np.argsort(-row.data, kind="stable")[:top_n]
        out[(outlet, int(topic))] = _format_terms(
            [(str(vocab[row.indices[i]]), float(row.data[i])) for i in top if row.data[i] > 0]
        )
    return out


def _bootstrap_shares(articles, topics_of_units, topic_ids, n_boot, ci, seed):
    """Shares with percentile-bootstrap intervals that resample articles.

    Returns (shares, low, high) arrays over ``topic_ids``. share = units in the topic /
    all units; a resample draws articles with replacement (each with all its units) and
    recomputes that ratio for every topic at once, through the package's one
    bootstrap (:func:`framing._resampling.percentile_interval`, as
    :func:`framing.compare.bootstrap_ci`; the tests check equality).
    """
    art_codes, art_index = np.unique(articles, return_inverse=True)
    pos = {t: i for i, t in enumerate(topic_ids)}
    col = np.array([pos[t] for t in topics_of_units], dtype=int)
    m = len(art_codes)
    counts = np.zeros((m, len(topic_ids)))
    np.add.at(counts, (art_index, col), 1.0)
    totals = counts.sum(axis=1)
    shares = counts.sum(axis=0) / totals.sum()
    low = np.full(len(topic_ids), np.nan)
    high = np.full(len(topic_ids), np.nan)
    if m < 2 or n_boot < 1:
        return shares, low, high

    def ratio(draws: np.ndarray, axis: int = -1) -> np.ndarray:
        """Topic shares of each resample of articles (rows of ``draws``): (topics, b)."""
        b = draws.shape[0]
        flat = (np.arange(b)[:, None] * m + draws.astype(np.intp)).ravel()
        weights = np.bincount(flat, minlength=b * m).reshape(b, m).astype(float)
        return ((weights @ counts) / (weights @ totals)[:, None]).T

    low, high = percentile_interval(
        (np.arange(m),), ratio, n_boot=n_boot, ci=ci, random_state=seed, width=m
    )
    return shares, low, high


def _seed(random_state: int, *parts: str) -> int:
    """Derive a group's seed from ``random_state`` and its name (not its position)."""
    entropy = [int(random_state), *(zlib.crc32(p.encode("utf-8")) for p in parts)]
    return int(np.random.SeedSequence(entropy).generate_state(1)[0])


def _share_table(docs, topics, topic_ids, labels, group_cols, opts, outlet_terms=None):
    rows = []
    frame = docs.assign(topic=topics)
    for key, sub in frame.groupby(group_cols, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        seed = _seed(opts["random_state"], *map(str, key))
        shares, low, high = _bootstrap_shares(
            sub["article_id"].to_numpy(),
            sub["topic"].to_numpy(),
            topic_ids,
            opts["n_boot"],
            opts["ci"],
            seed,
        )
        n_art = sub["article_id"].nunique()
        n_in = sub["topic"].value_counts()
        note = "" if n_art >= 2 else "1 article: no interval"
        for i, t in enumerate(topic_ids):
            row = dict(zip(group_cols, key, strict=True))
            row.update(
                topic=int(t),
                label=labels.get(t, ""),
                n_docs=int(n_in.get(t, 0)),
                n_group_docs=len(sub),
                n_articles=int(n_art),
                share=float(shares[i]),
                ci_low=float(low[i]),
                ci_high=float(high[i]),
            )
            if outlet_terms is not None:
                row["top_terms_outlet"] = outlet_terms.get((key[0], int(t)), "")
            row["note"] = note
            rows.append(row)
    return pd.DataFrame(rows)


def _by_outlet(docs, topics, topic_ids, labels, counts, vocab, opts):
    terms = _outlet_terms(docs, topics, counts, vocab, opts["top_n_words"])
    table = _share_table(docs, topics, topic_ids, labels, ["outlet"], opts, terms)
    return table.rename(columns={"n_group_docs": "n_outlet_docs"})[
        [
            "outlet",
            "topic",
            "label",
            "n_docs",
            "n_outlet_docs",
            "n_articles",
            "share",
            "ci_low",
            "ci_high",
            "top_terms_outlet",
            "note",
        ]
    ]


def _over_time(docs, topics, topic_ids, labels, opts, notes):
    cols = [
        "period",
        "outlet",
        "topic",
        "label",
        "n_docs",
        "n_period_docs",
        "n_articles",
        "share",
        "ci_low",
        "ci_high",
        "note",
    ]
    dated = docs["published"].notna().to_numpy()
    notes["n_undated_docs"] = int((~dated).sum())
    if not dated.any():
        notes["topics_over_time"] = "no publication dates: table left empty"
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    freq = {"month": "M", "week": "W"}[opts["period"]]
    sub = docs.loc[dated].copy()
    sub["period"] = sub["published"].dt.to_period(freq).dt.start_time
    table = _share_table(sub, topics[dated], topic_ids, labels, ["period", "outlet"], opts)
    return table.rename(columns={"n_group_docs": "n_period_docs"})[cols]
