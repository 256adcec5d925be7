"""Generic comparison figures: a value by outlet, and by actor × outlet, with CIs.

Both take the tidy table of :func:`framing.compare.outlet_summary` and only reshape
it. Each outlet is drawn as one marker artist (a ``Line2D`` labelled with the outlet,
in its stable colour from :func:`framing.plots.style.outlet_colors`) and one
``LineCollection`` of interval segments (``gid = "ci:<outlet>"``). A point without a
segment had too few articles for an interval; its ``n`` label says
``"n=1: no interval"``. The layout for many outlets is described in
:mod:`framing.plots._dots`; an empty outlet is drawn as ``"(no outlet)"``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from framing.plots._dots import dot_figure, tidy
from framing.plots.style import outlet_label, styled

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["actor_by_outlet", "by_outlet"]

_SUMMARY = ("mean", "ci_low", "ci_high")


def _check(summary: pd.DataFrame, columns: Sequence[str], caller: str) -> None:
    missing = [c for c in columns if c not in summary.columns]
    if missing:
        raise ValueError(
            f"{caller}: the summary lacks column(s) {missing}; it has "
            f"{list(summary.columns)}. Pass the output of framing.compare.outlet_summary"
        )


def by_estimate(table: pd.DataFrame, value: str, by: str) -> list[str]:
    """Outlet labels ordered by ``value``, largest first (missing last, ties by name)."""
    keys = pd.DataFrame(
        {"label": [outlet_label(o) for o in table[by]], "v": table[value].astype(float)}
    )
    keys = keys.assign(missing=keys["v"].isna()).sort_values(
        ["missing", "v", "label"], ascending=[True, False, True], kind="stable"
    )
    return keys["label"].tolist()


def group_order(
    summary: pd.DataFrame,
    column: str,
    labels: Mapping[str, str] | Sequence[tuple[str, str]] | None,
    order: Sequence[str] | None = None,
) -> tuple[list[str], dict[str, str]]:
    """Return the groups (actors, frames) to draw, in order, and their labels.

    The order comes, first to last, from ``order``; a categorical ``column``
    (its categories, which survive a Parquet round trip); ``labels`` (a mapping, or
    ``(key, label)`` pairs, which survive JSON with sorted keys); else first
    appearance. Groups not named by the source of the order follow in first
    appearance.
    """
    present = list(dict.fromkeys(summary[column].astype(str)))
    pairs = list(labels.items()) if isinstance(labels, Mapping) else list(labels or [])
    names = {str(k): str(v) for k, v in pairs}
    if not names and "label" in summary.columns:
        names = dict(zip(summary[column].astype(str), summary["label"].astype(str), strict=True))
    if order is not None:
        first = [str(a) for a in order]
    elif isinstance(summary[column].dtype, pd.CategoricalDtype):
        first = [str(a) for a in summary[column].cat.categories]
    else:
        first = [str(k) for k, _ in pairs]
    ordered = [a for a in dict.fromkeys(first) if a in set(present)]
    return ordered + [a for a in present if a not in ordered], names


@styled
def by_outlet(
    summary: pd.DataFrame,
    *,
    value_label: str,
    by: str = "outlet",
    sort: bool = True,
    ax: Axes | None = None,
) -> Figure:
    """Mean of a value per outlet with its confidence interval (a forest plot).

    Parameters
    ----------
    summary : pandas.DataFrame
        ``framing.compare.outlet_summary(table, value)``: one row per outlet with
        ``by``, ``mean``, ``ci_low``, ``ci_high`` (and ``n``, shown in the labels).
    value_label : str
        Axis label naming the value and its direction, e.g.
        ``"Mean VADER compound (positive = more positive tone)"``.
    by : str, default="outlet"
        The grouping column.
    sort : bool, default=True
        Order outlets by their mean, largest at the top (a forest plot is read by
        rank); ``False`` keeps the table's order.
    ax : matplotlib Axes, optional
        Draw into this axes; default a new single-column figure whose height grows
        with the number of outlets.

    Returns
    -------
    matplotlib.figure.Figure
        Outlets on the y axis, the value on the x axis; each dot's ``n`` at the
        right (``"n=1: no interval"`` without an interval); a dashed line marks 0
        when the values straddle it.
    """
    _check(summary, [by, *_SUMMARY], "by_outlet")
    outlets = [outlet_label(o) for o in summary[by]]
    if len(set(outlets)) != len(outlets):
        raise ValueError(
            f"by_outlet: {by!r} repeats (the summary has several rows per outlet, e.g. "
            "one per actor or frame); select one group or use actor_by_outlet"
        )
    order = by_estimate(summary, "mean", by) if sort else outlets
    fig, _ = dot_figure(
        tidy(summary, by=by, group=None),
        groups=[""],
        group_labels={},
        outlets=order,
        value_label=value_label,
        ax=ax,
    )
    return fig


@styled
def actor_by_outlet(
    summary_within_actor: pd.DataFrame,
    *,
    value_label: str,
    labels: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
    order: Sequence[str] | None = None,
    by: str = "outlet",
    actor: str = "actor",
    ax: Axes | None = None,
) -> Figure:
    """Dot plot of a value per actor × outlet with confidence intervals.

    Parameters
    ----------
    summary_within_actor : pandas.DataFrame
        ``framing.compare.outlet_summary(actor_scores, "sentiment_mean",
        within=["actor"])``: columns ``actor``, ``by``, ``mean``, ``ci_low``,
        ``ci_high``.
    value_label : str
        Axis label naming the value and its direction.
    labels : dict or sequence of (key, label) pairs, optional
        Actor key -> label (``ActorSet.labels``). Default: the summary's ``label``
        column when it has one (summarise with ``within=["actor", "label"]``).
    order : sequence of str, optional
        Actor keys top to bottom (the actor list's order, ``ActorSet.actors``).
        Default: the categories of a categorical ``actor`` column (they survive a
        Parquet round trip, unlike row order), else the order of ``labels``, else
        first appearance (which, for a table read back from disk, is whatever order
        it was saved in: pass ``order`` or a categorical column to be sure).
    by : str, default="outlet"
        The grouping column coloured by outlet.
    actor : str, default="actor"
        The column naming the actor.
    ax : matplotlib Axes, optional
        Draw into this axes; default a new double-column figure.

    Returns
    -------
    matplotlib.figure.Figure
        Actors on the y axis (first at the top), outlets dodged vertically within
        each actor in their stable colours, with a legend of outlets; with more
        than six outlets, one panel per actor with the outlets on the y axis. Each
        dot's ``n`` is printed at the right (``"n=1: no interval"``).
    """
    summary = summary_within_actor
    _check(summary, [actor, by, *_SUMMARY], "actor_by_outlet")
    actors, names = group_order(summary, actor, labels, order)
    outlets = sorted({outlet_label(o) for o in summary[by]})
    fig, _ = dot_figure(
        tidy(summary, by=by, group=actor),
        groups=actors,
        group_labels=names,
        outlets=outlets,
        value_label=value_label,
        ax=ax,
        width="double",
    )
    return fig
