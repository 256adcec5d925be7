"""Summary tables of a loaded corpus: per outlet, and the corpus in a few numbers.

Both take the ``articles`` table (:func:`framing.load_corpus`) and return a new table;
``framing run`` exports them as ``tables/corpus_by_outlet`` and
``tables/corpus_overview``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "by_outlet_from_lengths",
    "combine_lengths",
    "corpus_by_outlet",
    "corpus_overview",
    "length_table",
    "overview_from_lengths",
]


def corpus_by_outlet(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles, words and dates per outlet (one row per outlet, plus ``all``).

    Parameters
    ----------
    articles : pandas.DataFrame
        The ``articles`` table.

    Returns
    -------
    pandas.DataFrame
        ``outlet, n_articles, words_total, words_median, words_min, words_max,
        first_published, last_published, n_undated`` and ``n_duplicates`` when the
        table has ``duplicate_of``. The ``all`` row is added when there is not
        exactly one outlet.

    Examples
    --------
    >>> arts = pd.DataFrame({"outlet": ["a", "a", "b"], "n_words": [10, 30, 5],
    ...                      "published": pd.to_datetime(["2025-01-02", None, "2025-01-01"])})
    >>> corpus_by_outlet(arts)[["outlet", "n_articles", "words_median", "n_undated"]]
      outlet  n_articles  words_median  n_undated
    0      a           2          20.0          1
    1      b           1           5.0          0
    2    all           3          10.0          1
    """
    return by_outlet_from_lengths(length_table(articles))


def length_table(articles: pd.DataFrame) -> pd.DataFrame:
    """Return the per-outlet sufficient statistics of :func:`corpus_by_outlet`.

    One row per outlet and article length: ``outlet, n_words, n`` (articles),
    ``n_undated``, ``first_published``, ``last_published`` and ``n_duplicates``
    (when the table has ``duplicate_of``). Its size grows with outlets x distinct
    lengths, not with articles; tables of corpus parts are combined by
    :func:`combine_lengths`, and the summaries computed from the combination equal
    those of the whole table (the median from the length counts).
    """
    table = pd.DataFrame(
        {
            "outlet": articles["outlet"],
            "n_words": articles["n_words"],
            "n": 1,
            "n_undated": articles["published"].isna().astype("int64"),
            "first_published": articles["published"],
            "last_published": articles["published"],
        }
    )
    if "duplicate_of" in articles:
        table["n_duplicates"] = (articles["duplicate_of"].fillna("") != "").astype("int64")
    return combine_lengths([table])


def combine_lengths(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Combine :func:`length_table` tables of corpus parts (sums, minima, maxima)."""
    table = pd.concat(tables, ignore_index=True) if len(tables) != 1 else tables[0]
    how = {"n": "sum", "n_undated": "sum", "first_published": "min", "last_published": "max"}
    if "n_duplicates" in table:
        how["n_duplicates"] = "sum"
    return table.groupby(["outlet", "n_words"], sort=True, dropna=False).agg(how).reset_index()


def _median(lengths: pd.Series, counts: pd.Series) -> float:
    """Median of ``lengths`` repeated ``counts`` times (NaN lengths left out)."""
    keep = lengths.notna()
    values, weights = lengths[keep].to_numpy(dtype=float), counts[keep].to_numpy()
    total = int(weights.sum())
    if not total:
        return float("nan")
    order = np.argsort(values, kind="stable")
    values, cum = values[order], np.cumsum(weights[order])
    lo = values[np.searchsorted(cum, (total - 1) // 2, side="right")]
    hi = values[np.searchsorted(cum, total // 2, side="right")]
    return float((lo + hi) / 2)


def by_outlet_from_lengths(lengths: pd.DataFrame) -> pd.DataFrame:
    """:func:`corpus_by_outlet` from a (combined) :func:`length_table`."""
    rows = []
    groups = [(str(o), g) for o, g in lengths.groupby("outlet", sort=True, dropna=False)]
    if len(groups) != 1:
        groups.append(("all", lengths))
    for outlet, group in groups:
        n = int(group["n"].sum())
        words, counts = group["n_words"], group["n"]
        has = words.notna()
        row = {
            "outlet": outlet,
            "n_articles": n,
            "words_total": int((words[has] * counts[has]).sum()),
            "words_median": _median(words, counts) if n else float("nan"),
            "words_min": int(words.min()) if n else 0,
            "words_max": int(words.max()) if n else 0,
            "first_published": group["first_published"].min(),
            "last_published": group["last_published"].max(),
            "n_undated": int(group["n_undated"].sum()),
        }
        if "n_duplicates" in group:
            row["n_duplicates"] = int(group["n_duplicates"].sum())
        rows.append(row)
    return pd.DataFrame(rows)


def corpus_overview(articles: pd.DataFrame, report: Any = None) -> pd.DataFrame:
    """Describe the corpus in a few numbers, as a two-column ``measure, value`` table.

    Parameters
    ----------
    articles : pandas.DataFrame
        The ``articles`` table.
    report : LoadReport, optional
        ``articles.attrs["load_report"]``: gives the items seen and skipped (without
        it, every item counts as loaded).

    Returns
    -------
    pandas.DataFrame
        ``measure, value`` (values as text): items seen, articles loaded, items
        skipped, outlets, words, first and last publication date, undated articles
        and, when flagged, duplicates.
    """
    return overview_from_lengths(length_table(articles), report)


def overview_from_lengths(lengths: pd.DataFrame, report: Any = None) -> pd.DataFrame:
    """:func:`corpus_overview` from a (combined) :func:`length_table`."""
    n = int(lengths["n"].sum())
    first, last = lengths["first_published"].min(), lengths["last_published"].max()
    has = lengths["n_words"].notna()
    items_seen = getattr(report, "items_seen", None)
    skipped = getattr(report, "skipped", [])
    rows = [
        ("items seen", items_seen if items_seen is not None else n),
        ("articles loaded", n),
        ("items skipped", len(skipped)),
        ("outlets", lengths["outlet"].nunique()),
        ("words", int((lengths["n_words"][has] * lengths["n"][has]).sum())),
        ("first published", "" if pd.isna(first) else str(first.date())),
        ("last published", "" if pd.isna(last) else str(last.date())),
        ("undated articles", int(lengths["n_undated"].sum())),
    ]
    if "n_duplicates" in lengths:
        rows.append(("duplicates", int(lengths["n_duplicates"].sum())))
    return pd.DataFrame({"measure": [r[0] for r in rows], "value": [str(r[1]) for r in rows]})
