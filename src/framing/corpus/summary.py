"""Summary tables of a loaded corpus: per outlet, and the corpus in a few numbers.

Both take the ``articles`` table (:func:`framing.load_corpus`) and return a new table;
``framing run`` exports them as ``tables/corpus_by_outlet`` and
``tables/corpus_overview``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["corpus_by_outlet", "corpus_overview"]


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
    rows = []
    groups = [(str(o), g) for o, g in articles.groupby("outlet", sort=True, dropna=False)]
    if len(groups) != 1:
        groups.append(("all", articles))
    for outlet, group in groups:
        words = group["n_words"]
        row = {
            "outlet": outlet,
            "n_articles": len(group),
            "words_total": int(words.sum()),
            "words_median": float(words.median()) if len(group) else float("nan"),
            "words_min": int(words.min()) if len(group) else 0,
            "words_max": int(words.max()) if len(group) else 0,
            "first_published": group["published"].min(),
            "last_published": group["published"].max(),
            "n_undated": int(group["published"].isna().sum()),
        }
        if "duplicate_of" in group:
            row["n_duplicates"] = int((group["duplicate_of"].fillna("") != "").sum())
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
    published = articles["published"]
    items_seen = getattr(report, "items_seen", None)
    skipped = getattr(report, "skipped", [])
    rows = [
        ("items seen", items_seen if items_seen is not None else len(articles)),
        ("articles loaded", len(articles)),
        ("items skipped", len(skipped)),
        ("outlets", articles["outlet"].nunique()),
        ("words", int(articles["n_words"].sum())),
        ("first published", "" if published.isna().all() else str(published.min().date())),
        ("last published", "" if published.isna().all() else str(published.max().date())),
        ("undated articles", int(published.isna().sum())),
    ]
    if "duplicate_of" in articles:
        rows.append(("duplicates", int((articles["duplicate_of"].fillna("") != "").sum())))
    return pd.DataFrame({"measure": [r[0] for r in rows], "value": [str(r[1]) for r in rows]})
