"""Topic figures: term bars, shares by outlet with intervals, shares over time.

Each function draws a table returned by :func:`framing.fit_topics` and returns the
``Figure``; nothing is computed beyond selecting and ordering rows, nothing is saved.
The outlier topic (``-1``) is left out unless asked for by ``topics=[-1, ...]``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from framing.plots._dots import DODGE_MAX, dot_figure, legend_columns, tidy
from framing.plots.style import new_figure, outlet_colors, outlet_label, styled, wrap

__all__ = ["topic_shares_by_outlet", "topic_shares_over_time", "topic_terms_bars"]


def _select_topics(table: pd.DataFrame, topics: Sequence[int] | None) -> list[int]:
    if topics is None:
        return sorted(int(t) for t in table["topic"].unique() if t != -1)
    topics = [int(t) for t in topics]
    absent = sorted(set(topics) - {int(t) for t in table["topic"].unique()})
    if absent:
        raise ValueError(f"topic(s) {absent} are not in the table")
    return topics


def _panels(n: int, ax: Any, ncols: int, height_per_row: float):
    """Return (figure, list of n axes): new ones, or the ``ax`` the caller passed."""
    if ax is None:
        ncols = max(1, min(ncols, n))
        nrows = math.ceil(n / ncols)
        width = "double" if ncols > 1 else "single"
        fig, axes = new_figure(width, height=height_per_row * nrows, nrows=nrows, ncols=ncols)
        axes = list(np.atleast_1d(axes).ravel())
        for extra in axes[n:]:
            extra.set_visible(False)
        return fig, axes[:n]
    axes = list(np.atleast_1d(ax).ravel())
    if len(axes) < n:
        raise ValueError(f"{n} panels are needed but {len(axes)} axes were passed")
    return axes[0].figure, axes[:n]


def _title(topic: int, label: Any, max_chars: int = 28) -> str:
    """``"3: tax, budget"``, wrapped (not cut) into lines of ``max_chars``."""
    if topic == -1:
        return "-1: outliers"
    text = f"{topic}: {label}" if isinstance(label, str) and label else f"topic {topic}"
    return wrap(text, max_chars, max_lines=2)


@styled
def topic_terms_bars(
    topic_terms: pd.DataFrame,
    *,
    topics: Sequence[int] | None = None,
    n_terms: int = 8,
    labels: dict[int, str] | pd.DataFrame | None = None,
    ncols: int = 3,
    ax: Any = None,
) -> Any:
    """Horizontal bars of each topic's top terms and their weights.

    Parameters
    ----------
    topic_terms : pandas.DataFrame
        ``TopicResult.topic_terms`` (``topic``, ``rank``, ``term``, ``weight``).
    topics : sequence of int, optional
        Topics to show (default: all but ``-1``), one panel each.
    n_terms : int, default=8
        Terms per topic, best on top.
    labels : dict or ``topic_info`` table, optional
        Panel titles (``topic`` -> ``label``).
    ncols : int, default=3
        Panels per row when the figure is created here.
    ax : Axes or sequence of Axes, optional
        Where to draw (one Axes per topic).

    Returns
    -------
    matplotlib.figure.Figure
        Bar length = term weight (c-TF-IDF for BERTopic, topic-term probability for
        LDA/NMF); longer = more characteristic of the topic.
    """
    shown = _select_topics(topic_terms, topics)
    if isinstance(labels, pd.DataFrame):
        labels = dict(zip(labels["topic"], labels["label"], strict=True))
    labels = labels or {}
    fig, axes = _panels(len(shown), ax, ncols, 0.75 + 0.12 * n_terms)
    for axis, topic in zip(axes, shown, strict=True):
        rows = topic_terms[(topic_terms["topic"] == topic) & (topic_terms["rank"] <= n_terms)]
        rows = rows.sort_values("rank")
        y = np.arange(len(rows))[::-1]
        axis.barh(y, rows["weight"].to_numpy(), color="#0072B2", height=0.7)
        axis.set_yticks(y, rows["term"].tolist())
        axis.set_title(_title(topic, labels.get(topic)), loc="left", fontsize="medium")
        axis.set_xlabel("weight")
    return fig


@styled
def topic_shares_by_outlet(
    topics_by_outlet: pd.DataFrame,
    *,
    topics: Sequence[int] | None = None,
    ax: Any = None,
) -> Any:
    """Each outlet's share of documents per topic, with bootstrap intervals.

    Parameters
    ----------
    topics_by_outlet : pandas.DataFrame
        ``TopicResult.topics_by_outlet``.
    topics : sequence of int, optional
        Topics to show (default: all but ``-1``), top to bottom in this order.
    ax : Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        One row per topic, one point per outlet (share in %), horizontal lines =
        the article-level bootstrap interval; further right = a larger share of the
        outlet's documents. With more than six outlets, one panel per topic with
        the outlets on the y axis. Each dot's ``n`` (articles) is printed at the
        right; topic labels wrap instead of being cut.
    """
    shown = _select_topics(topics_by_outlet, topics)
    table = topics_by_outlet[topics_by_outlet["topic"].isin(shown)]
    labels = topics_by_outlet.drop_duplicates("topic").set_index("topic")["label"]
    n = "n_articles" if "n_articles" in table.columns else "n_outlet_docs"
    data = tidy(table, by="outlet", group="topic", mean="share", n=n, scale=100.0)
    fig, _ = dot_figure(
        data,
        groups=[str(t) for t in shown],
        group_labels={str(t): _title(t, labels.get(t), 40) for t in shown},
        outlets=sorted({outlet_label(o) for o in table["outlet"]}),
        value_label="share of documents (%)",
        include_zero=True,
        ax=ax,
        width="double" if len(shown) > 1 else "single",
    )
    return fig


@styled
def topic_shares_over_time(
    topics_over_time: pd.DataFrame,
    *,
    topics: Sequence[int] | None = None,
    ncols: int = 2,
    ax: Any = None,
) -> Any:
    """Topic shares per period and outlet, one panel per topic, with intervals.

    Parameters
    ----------
    topics_over_time : pandas.DataFrame
        ``TopicResult.topics_over_time``.
    topics : sequence of int, optional
        Topics to show (default: all but ``-1``).
    ncols : int, default=2
        Panels per row when the figure is created here.
    ax : Axes or sequence of Axes, optional
        One Axes per topic.

    Returns
    -------
    matplotlib.figure.Figure
        Lines = share of the outlet's documents in the period (%), bands = bootstrap
        intervals; higher = more of that period's coverage on the topic. The
        legend of outlets sits above the panels, or at the right in one column
        when there are more than six outlets (the bands are then left out: many
        overlapping bands hide the lines; the table has the intervals).
    """
    if topics_over_time.empty:
        raise ValueError("topics_over_time is empty (no dated documents); nothing to plot")
    shown = _select_topics(topics_over_time, topics)
    topics_over_time = topics_over_time.assign(
        outlet=[outlet_label(o) for o in topics_over_time["outlet"]]
    )
    outlets = sorted(topics_over_time["outlet"].unique())
    colors = outlet_colors(outlets)
    labels = topics_over_time.drop_duplicates("topic").set_index("topic")["label"]
    fig, axes = _panels(len(shown), ax, ncols, 1.6)
    for axis, topic in zip(axes, shown, strict=True):
        for outlet in outlets:
            rows = topics_over_time[
                (topics_over_time["topic"] == topic)
                & (topics_over_time["outlet"].astype(str) == outlet)
            ].sort_values("period")
            x = pd.to_datetime(rows["period"]).to_numpy()
            axis.plot(
                x,
                100 * rows["share"].to_numpy(dtype=float),
                marker="o",
                color=colors[outlet],
                label=outlet,
            )
            if len(outlets) > DODGE_MAX:
                continue  # bands of many outlets pile into one grey block
            axis.fill_between(
                x,
                100 * rows["ci_low"].to_numpy(dtype=float),
                100 * rows["ci_high"].to_numpy(dtype=float),
                color=colors[outlet],
                alpha=0.2,
                linewidth=0,
            )
        axis.set_title(_title(topic, labels.get(topic)), loc="left", fontsize="medium")
        axis.set_ylabel("share (%)")
        axis.set_ylim(bottom=0)
    if len(outlets) > 1:
        handles = {h.get_label(): h for a in axes for h in a.get_lines()}
        shown_outlets = [o for o in outlets if o in handles]
        many = len(shown_outlets) > DODGE_MAX
        fig.legend(
            [handles[o] for o in shown_outlets],
            [wrap(o, 22, max_lines=2) for o in shown_outlets],
            loc="outside right upper" if many else "outside upper center",
            ncols=1 if many else legend_columns(shown_outlets, fig.get_size_inches()[0]),
        )
    for axis in axes:
        axis.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=2, maxticks=7))
        axis.xaxis.set_major_formatter(mdates.ConciseDateFormatter(axis.xaxis.get_major_locator()))
    return fig
