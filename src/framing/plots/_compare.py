"""Generic comparison figures: a value by outlet, and by actor × outlet, with CIs.

Both take the tidy table of :func:`framing.compare.outlet_summary` and only reshape
it. Each outlet is drawn as one marker artist (a ``Line2D`` labelled with the outlet,
in its stable colour from :func:`framing.plots.style.outlet_colors`) and one
``LineCollection`` of interval segments (``gid = "ci:<outlet>"``). A point without a
segment had too few articles for an interval (the summary's ``note`` says so).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from framing.plots.style import new_figure, outlet_colors, styled

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


def _axes(ax: Axes | None, width: str, height: float) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    return new_figure(width, height)  # type: ignore[return-value]


def _draw_outlet(
    ax: Axes,
    x: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    y: np.ndarray,
    outlet: str,
    color: str,
) -> None:
    """One marker artist and one CI collection for ``outlet`` (NaN CI: point only)."""
    shown = ~np.isnan(x)
    ax.plot(x[shown], y[shown], "o", color=color, label=outlet, zorder=3)
    has_ci = shown & ~np.isnan(low) & ~np.isnan(high)
    ax.hlines(y[has_ci], low[has_ci], high[has_ci], color=color, linewidth=1.0, gid=f"ci:{outlet}")


def _zero_line(ax: Axes, values: np.ndarray) -> None:
    finite = values[np.isfinite(values)]
    if finite.size and finite.min() < 0 < finite.max():
        ax.axvline(0, color="0.4", linewidth=0.6, linestyle="--", zorder=1)


@styled
def by_outlet(
    summary: pd.DataFrame,
    *,
    value_label: str,
    by: str = "outlet",
    ax: Axes | None = None,
) -> Figure:
    """Mean of a value per outlet with its confidence interval (point + bar).

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
    ax : matplotlib Axes, optional
        Draw into this axes; default a new single-column figure.

    Returns
    -------
    matplotlib.figure.Figure
        Outlets on the y axis in the table's order, the value on the x axis; a
        dashed line marks 0 when the values straddle it.
    """
    _check(summary, [by, *_SUMMARY], "by_outlet")
    outlets = summary[by].astype(str).tolist()
    if len(set(outlets)) != len(outlets):
        raise ValueError(
            f"by_outlet: {by!r} repeats (the summary has several rows per outlet, e.g. "
            "one per actor or frame); select one group or use actor_by_outlet"
        )
    colors = outlet_colors(outlets)
    fig, ax = _axes(ax, "single", 0.8 + 0.28 * max(len(outlets), 1))
    for i, outlet in enumerate(outlets):
        row = summary.iloc[[i]]
        _draw_outlet(
            ax,
            row["mean"].to_numpy(dtype=float),
            row["ci_low"].to_numpy(dtype=float),
            row["ci_high"].to_numpy(dtype=float),
            np.array([float(i)]),
            outlet,
            colors[outlet],
        )
    ticks = outlets
    if "n" in summary.columns:
        ticks = [f"{o} (n={int(n)})" for o, n in zip(outlets, summary["n"], strict=True)]
    ax.set_yticks(range(len(outlets)))
    ax.set_yticklabels(ticks)
    ax.set_ylim(len(outlets) - 0.5, -0.5)
    ax.set_xlabel(value_label)
    _zero_line(ax, summary[list(_SUMMARY)].to_numpy(dtype=float).ravel())
    return fig


@styled
def actor_by_outlet(
    summary_within_actor: pd.DataFrame,
    *,
    value_label: str,
    labels: Mapping[str, str] | None = None,
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
    labels : dict, optional
        Actor key -> label (``ActorSet.labels``); also fixes the actor order.
        Default: the summary's ``label`` column when it has one (summarise with
        ``within=["actor", "label"]``), else the keys in order of first appearance.
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
        each actor in their stable colours, with a legend of outlets.
    """
    summary = summary_within_actor
    _check(summary, [actor, by, *_SUMMARY], "actor_by_outlet")
    present = list(dict.fromkeys(summary[actor].astype(str)))
    if labels is None and "label" in summary.columns:
        labels = dict(zip(summary[actor].astype(str), summary["label"].astype(str), strict=True))
    order = [a for a in (labels or {}) if a in set(present)]
    actors = order + [a for a in present if a not in order]
    outlets = sorted(summary[by].astype(str).unique())
    colors = outlet_colors(outlets)
    fig, ax = _axes(ax, "double", 0.9 + 0.32 * max(len(actors), 1))
    position = {a: i for i, a in enumerate(actors)}
    step = 0.7 / max(len(outlets), 1)
    for j, outlet in enumerate(outlets):
        rows = summary[summary[by].astype(str) == outlet]
        y = rows[actor].astype(str).map(position).to_numpy(dtype=float) - 0.35 + step * (j + 0.5)
        _draw_outlet(
            ax,
            rows["mean"].to_numpy(dtype=float),
            rows["ci_low"].to_numpy(dtype=float),
            rows["ci_high"].to_numpy(dtype=float),
            y,
            outlet,
            colors[outlet],
        )
    ax.set_yticks(range(len(actors)))
    ax.set_yticklabels([(labels or {}).get(a, a) for a in actors])
    ax.set_ylim(len(actors) - 0.5, -0.5)
    ax.set_xlabel(value_label)
    _zero_line(ax, summary[list(_SUMMARY)].to_numpy(dtype=float).ravel())
    if outlets:
        ax.legend(
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncols=min(len(outlets), 4),
            borderaxespad=0.2,
        )
    return fig
