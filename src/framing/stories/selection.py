"""Selection (agenda): which stories each outlet covers, and when.

All functions take the ``stories`` table of :func:`framing.stories.find_stories`
and count only ``counted`` rows, so a syndicated or twice-scraped copy counts once
per outlet inside a story.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd

__all__ = ["coverage_over_time", "coverage_windows", "story_selection", "story_summary"]

#: Share of an outlet's articles that must fall inside another's date range before
#: the two are said to cover the same period.
MIN_WINDOW_SHARE = 0.9


def _counted(stories: pd.DataFrame, caller: str) -> pd.DataFrame:
    missing = [c for c in ("story_id", "article_id", "outlet") if c not in stories.columns]
    if missing:
        raise ValueError(
            f"{caller}: column(s) {missing} missing; pass the table of "
            "framing.stories.find_stories"
        )
    if "counted" in stories.columns:
        return stories[stories["counted"].astype(bool)]
    return stories


def story_summary(stories: pd.DataFrame) -> pd.DataFrame:
    """One row per story: dates, outlets, size, label.

    Parameters
    ----------
    stories : pandas.DataFrame
        From :func:`framing.stories.find_stories`.

    Returns
    -------
    pandas.DataFrame
        ``story_id``, ``story_label``, ``first``, ``last`` (publication dates; NaT
        when undated), ``n_articles`` (counted articles), ``n_duplicates`` (copies
        not counted), ``n_outlets``, ``outlets`` (``"; "``-joined, sorted),
        ``multi_outlet`` (covered by 2 or more outlets).

    Examples
    --------
    >>> s = pd.DataFrame({"story_id": [1, 1, 2], "article_id": ["a", "b", "c"],
    ...                   "outlet": ["x", "y", "x"], "story_label": ["L1", "L1", "L2"]})
    >>> story_summary(s)[["story_id", "n_articles", "outlets", "multi_outlet"]]
       story_id  n_articles outlets  multi_outlet
    0         1           2    x; y          True
    1         2           1       x         False
    """
    counted = _counted(stories, "story_summary")
    published = (
        pd.to_datetime(counted["published"])
        if "published" in counted
        else pd.Series(pd.NaT, index=counted.index)
    )
    data = counted.assign(_p=published)
    grouped = data.groupby("story_id", sort=True)
    out = pd.DataFrame(
        {
            "story_label": grouped["story_label"].first()
            if "story_label" in data
            else grouped["story_id"].first().astype(str),
            "first": grouped["_p"].min(),
            "last": grouped["_p"].max(),
            "n_articles": grouped["article_id"].size(),
            "n_outlets": grouped["outlet"].nunique(),
            "outlets": grouped["outlet"].agg(lambda s: "; ".join(sorted(map(str, set(s))))),
        }
    )
    dups = stories.groupby("story_id").size() - out["n_articles"]
    out.insert(4, "n_duplicates", dups.reindex(out.index).fillna(0).astype("int64"))
    out["multi_outlet"] = out["n_outlets"] >= 2
    return out.reset_index()


def story_selection(stories: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: how much of the shared agenda it covers, and what only it covers.

    Parameters
    ----------
    stories : pandas.DataFrame
        From :func:`framing.stories.find_stories`.

    Returns
    -------
    pandas.DataFrame
        One row per outlet: ``n_articles`` (counted), ``n_stories`` (stories it
        covers), ``n_multi_outlet`` (multi-outlet stories in the corpus, the same
        on every row), ``n_multi_covered`` and ``share_multi_covered`` (in [0, 1]:
        the share of the corpus's multi-outlet stories this outlet covers),
        ``n_exclusive`` (stories only this outlet covers), ``n_exclusive_multi_article``
        (of those, stories of 2 or more of its articles: events it followed that
        no other outlet covered), ``share_articles_in_multi`` (share of its
        articles that sit in multi-outlet stories).

    Examples
    --------
    >>> s = pd.DataFrame({"story_id": [1, 1, 2, 2, 3], "article_id": list("abcde"),
    ...                   "outlet": ["x", "y", "x", "x", "y"]})
    >>> story_selection(s)[["outlet", "share_multi_covered", "n_exclusive"]]
      outlet  share_multi_covered  n_exclusive
    0      x                  1.0            1
    1      y                  1.0            1
    """
    counted = _counted(stories, "story_selection")
    n_out = counted.groupby("story_id")["outlet"].nunique()
    multi = set(n_out.index[n_out >= 2])
    per = counted.groupby(["outlet", "story_id"]).size().rename("n").reset_index()
    per["multi"] = per["story_id"].isin(multi)
    per["size_ok"] = per["n"] >= 2
    rows = []
    for outlet, sub in per.groupby("outlet", sort=True):
        exclusive = sub[~sub["multi"]]
        n_multi_cov = int(sub["multi"].sum())
        rows.append(
            {
                "outlet": outlet,
                "n_articles": int(sub["n"].sum()),
                "n_stories": len(sub),
                "n_multi_outlet": len(multi),
                "n_multi_covered": n_multi_cov,
                "share_multi_covered": n_multi_cov / len(multi) if multi else np.nan,
                "n_exclusive": len(exclusive),
                "n_exclusive_multi_article": int(exclusive["size_ok"].sum()),
                "share_articles_in_multi": float(
                    sub.loc[sub["multi"], "n"].sum() / sub["n"].sum()
                ),
            }
        )
    return pd.DataFrame(rows)


def coverage_over_time(stories: pd.DataFrame, *, freq: str = "M") -> pd.DataFrame:
    """Stories and articles per outlet and period.

    Parameters
    ----------
    stories : pandas.DataFrame
        From :func:`framing.stories.find_stories` (undated articles are left out).
    freq : str, default="M"
        Period (a pandas period alias: ``"M"`` calendar months, ``"W"`` weeks).

    Returns
    -------
    pandas.DataFrame
        ``period`` (start), ``outlet``, ``n_articles``, ``n_stories`` (distinct
        stories it published in), ``n_multi_outlet_stories`` (of those, stories
        other outlets covered too).
    """
    counted = _counted(stories, "coverage_over_time")
    n_out = counted.groupby("story_id")["outlet"].transform("nunique")
    data = counted.assign(_multi=n_out >= 2, _p=pd.to_datetime(counted["published"]))
    data = data[data["_p"].notna()]
    if data.empty:
        return pd.DataFrame(
            columns=["period", "outlet", "n_articles", "n_stories", "n_multi_outlet_stories"]
        )
    stamps = data["_p"].dt.tz_localize(None) if data["_p"].dt.tz else data["_p"]
    data = data.assign(period=stamps.dt.to_period(freq).dt.start_time)
    grouped = data.groupby(["period", "outlet"], sort=True)
    out = pd.DataFrame(
        {
            "n_articles": grouped.size(),
            "n_stories": grouped["story_id"].nunique(),
            "n_multi_outlet_stories": grouped.apply(
                lambda g: g.loc[g["_multi"], "story_id"].nunique(), include_groups=False
            ),
        }
    )
    return out.reset_index()


def coverage_windows(table: pd.DataFrame, *, warn: bool = True) -> pd.DataFrame:
    """Pairs of outlets whose articles cover different date windows.

    For outlets ``a`` and ``b``, ``share_a_in_b`` is the share of ``a``'s dated
    articles published within ``b``'s first-to-last date range (and vice versa).
    When either share is below 0.9 (more than one article in ten falls outside the
    other outlet's window), a raw comparison of the two confounds outlet with
    period; ``note`` says so and, with ``warn``, one :class:`UserWarning` says it for
    every such pair (naming the first when there are several).

    Parameters
    ----------
    table : pandas.DataFrame
        Any table with ``outlet`` and ``published`` (articles or stories).
    warn : bool, default=True

    Returns
    -------
    pandas.DataFrame
        ``a``, ``b`` (``a < b``), ``first_a``, ``last_a``, ``first_b``, ``last_b``,
        ``share_a_in_b``, ``share_b_in_a`` (in [0, 1]), ``note`` (empty when the
        windows agree).
    """
    if "published" not in table.columns:
        return pd.DataFrame(columns=["a", "b", "note"])
    dated = table[["outlet", "published"]].assign(p=pd.to_datetime(table["published"])).dropna()
    ranges = dated.groupby("outlet")["p"].agg(["min", "max"])
    rows = []
    for a, b in itertools.combinations(sorted(ranges.index, key=str), 2):
        pa, pb = dated.loc[dated["outlet"] == a, "p"], dated.loc[dated["outlet"] == b, "p"]
        a_in_b = float(pa.between(ranges.at[b, "min"], ranges.at[b, "max"]).mean())
        b_in_a = float(pb.between(ranges.at[a, "min"], ranges.at[a, "max"]).mean())
        note = ""
        if min(a_in_b, b_in_a) < MIN_WINDOW_SHARE:
            note = (
                f"coverage windows differ: {a} {ranges.at[a, 'min']:%Y-%m-%d} to "
                f"{ranges.at[a, 'max']:%Y-%m-%d}, {b} {ranges.at[b, 'min']:%Y-%m-%d} to "
                f"{ranges.at[b, 'max']:%Y-%m-%d} ({a_in_b:.0%} of {a} inside {b}'s window, "
                f"{b_in_a:.0%} of {b} inside {a}'s); the raw difference confounds outlet "
                "with period, read the story-matched one"
            )
        rows.append(
            (
                a,
                b,
                ranges.at[a, "min"],
                ranges.at[a, "max"],
                ranges.at[b, "min"],
                ranges.at[b, "max"],
                a_in_b,
                b_in_a,
                note,
            )
        )
    notes = [row[-1] for row in rows if row[-1]]
    if warn and notes:  # one warning, however many pairs (79 outlets: 3,081 pairs)
        message = notes[0]
        if len(notes) > 1:
            message = (
                f"coverage windows differ for {len(notes)} of {len(rows)} outlet pairs "
                f"(the story_coverage_windows table lists them), e.g. {notes[0][25:]}"
            )
        warnings.warn(message, UserWarning, stacklevel=2)
    return pd.DataFrame(
        rows,
        columns=[
            "a",
            "b",
            "first_a",
            "last_a",
            "first_b",
            "last_b",
            "share_a_in_b",
            "share_b_in_a",
            "note",
        ],
    )
