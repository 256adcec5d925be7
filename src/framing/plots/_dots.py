"""The dot-and-interval layout shared by every per-outlet figure.

One estimate per outlet (and per group: frame, actor, topic) is drawn as a dot in
the outlet's stable colour with a horizontal interval. The layout follows the
number of outlets so that a figure stays legible from 1 to 20 of them:

- **one group** (e.g. sentiment by outlet): one panel, outlets on the y axis;
- **groups, up to** :data:`DODGE_MAX` **outlets**: one panel, groups on the y axis,
  outlets dodged within each group, a legend of outlets above the panel;
- **groups, more outlets**: small multiples, one panel per group with the outlets
  on a shared y axis (labelled directly, no legend), panels in up to three columns.

Heights grow with the number of rows drawn, never squeezing a row below the size of
its label. Every dot carries its ``n`` at the right edge of its panel, and
``"n=1: no interval"`` where no interval could be computed, so that a lone article
cannot pass for a finding (in small multiples where each outlet has one ``n`` in
every panel, it is said once, in the outlet's label). Dots sit inside the axes (a
margin on both sides), so a share of 0 is never clipped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from framing.plots.style import (
    DOUBLE_COLUMN,
    SINGLE_COLUMN,
    new_figure,
    outlet_colors,
    outlet_label,
    wrap,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Outlets dodged inside one panel; with more, each group gets its own panel.
DODGE_MAX = 6
_ROW = 0.11  # inches per dot row: the 5.5-pt n label needs ~0.08 in
_NOTE_SIZE = 5.5


def n_text(n: object, low: float, high: float) -> str:
    """``"n=12"``, or ``"n=1: no interval"`` when the interval is missing."""
    count = "n=?" if n is None or pd.isna(n) else f"n={int(n)}"  # type: ignore[arg-type]
    if math.isnan(low) or math.isnan(high):
        return f"{count}: no interval"
    return count


def legend_columns(labels: Sequence[str], width_in: float) -> int:
    """Legend columns that fit ``width_in`` inches at 7 pt (~18 characters an inch)."""
    longest = max((len(s) for s in labels), default=1)
    fit = int(width_in * 18 // (longest + 5))
    return max(1, min(len(labels), fit, 4))


def value_limits(values: np.ndarray, *, include_zero: bool = False) -> tuple[float, float]:
    """Return x limits with a 6% margin on both sides (0 inside when ``include_zero``)."""
    finite = values[np.isfinite(values)]
    if not finite.size:
        return (0.0, 1.0) if include_zero else (-1.0, 1.0)
    lo, hi = float(finite.min()), float(finite.max())
    if include_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    span = hi - lo or max(abs(hi), 1.0)
    return lo - 0.06 * span, hi + 0.06 * span


def zero_line(ax: Axes, values: np.ndarray) -> None:
    """Draw a dashed line at 0 when the values straddle it."""
    finite = values[np.isfinite(values)]
    if finite.size and finite.min() < 0 < finite.max():
        ax.axvline(0, color="0.4", linewidth=0.6, linestyle="--", zorder=1)


def annotate_n(ax: Axes, y: float, text: str) -> None:
    """Write ``text`` at the right edge of ``ax``, level with data row ``y``."""
    ax.annotate(
        text,
        xy=(1.0, y),
        xycoords=("axes fraction", "data"),
        xytext=(3, 0),
        textcoords="offset points",
        ha="left",
        va="center",
        fontsize=_NOTE_SIZE,
        color="0.35",
        annotation_clip=False,
    )


def draw_outlet(
    ax: Axes, rows: pd.DataFrame, y: np.ndarray, outlet: str, color: str, *, label_n: bool = True
) -> None:
    """One marker artist (labelled ``outlet``) and one interval collection for it.

    ``rows`` has ``mean``, ``ci_low``, ``ci_high``, ``n`` and optionally ``flag`` (a
    note appended to the n label); the collection's gid is
    ``"ci:<outlet>"``. Points without an interval get no segment; an outlet with no
    value here gets no artist.
    """
    x = rows["mean"].to_numpy(dtype=float)
    low = rows["ci_low"].to_numpy(dtype=float)
    high = rows["ci_high"].to_numpy(dtype=float)
    shown = ~np.isnan(x)
    if not shown.any():
        return  # an empty artist drawn unclipped would collapse the layout
    ax.plot(x[shown], y[shown], "o", color=color, label=outlet, zorder=3, clip_on=False)
    has_ci = shown & ~np.isnan(low) & ~np.isnan(high)
    ax.hlines(y[has_ci], low[has_ci], high[has_ci], color=color, linewidth=1.0, gid=f"ci:{outlet}")
    flags = rows["flag"] if "flag" in rows.columns else [""] * len(rows)
    for yi, n, lo, hi, ok, flag in zip(y, rows["n"], low, high, shown, flags, strict=True):
        if ok and label_n:
            annotate_n(ax, float(yi), n_text(n, lo, hi) + (f"; {flag}" if flag else ""))


def tidy(
    table: pd.DataFrame,
    *,
    by: str,
    group: str | None,
    mean: str = "mean",
    n: str | None = "n",
    scale: float = 1.0,
) -> pd.DataFrame:
    """Return the columns the layout draws: ``group``, ``outlet`` (label), mean, CI, n."""
    out = pd.DataFrame(
        {
            "group": table[group].astype(str).to_numpy() if group else "",
            "outlet": [outlet_label(o) for o in table[by]],
            "mean": scale * table[mean].to_numpy(dtype=float),
            "ci_low": scale * table["ci_low"].to_numpy(dtype=float),
            "ci_high": scale * table["ci_high"].to_numpy(dtype=float),
            "n": table[n].to_numpy() if n and n in table.columns else np.nan,
        }
    )
    return out


def dot_figure(
    data: pd.DataFrame,
    *,
    groups: Sequence[str],
    group_labels: Mapping[str, str],
    outlets: Sequence[str],
    value_label: str,
    include_zero: bool = False,
    ax: Axes | None = None,
    width: str = "single",
    outlet_ticks: Mapping[str, str] | None = None,
) -> tuple[Figure, list[Axes]]:
    """Draw ``data`` (from :func:`tidy`) in the layout chosen by the outlet count.

    Returns the figure and the axes drawn into (one, or one per group).
    """
    colors = outlet_colors(outlets)
    values = data[["mean", "ci_low", "ci_high"]].to_numpy(dtype=float).ravel()
    limits = value_limits(values, include_zero=include_zero)
    groups = list(groups) or [""]
    untitled = groups == [""]
    if untitled or (ax is None and len(outlets) > DODGE_MAX):
        fig, axes = _panels(
            data, groups, group_labels, outlets, colors, ax, outlet_ticks, value_label.count("\n")
        )
    else:
        fig, axes = _dodged(data, groups, group_labels, outlets, colors, ax, width)
    for axis in axes:
        axis.set_xlim(*limits)
        # at most ~6 ticks: long labels such as "-0.014" must not run together
        axis.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
        zero_line(axis, values)
    if len(axes) == 1:
        axes[0].set_xlabel(value_label)
    else:
        fig.supxlabel(value_label, fontsize="medium")
    return fig, axes


def _dodged(
    data: pd.DataFrame,
    groups: Sequence[str],
    group_labels: Mapping[str, str],
    outlets: Sequence[str],
    colors: Mapping[str, str],
    ax: Axes | None,
    width: str,
) -> tuple[Figure, list[Axes]]:
    k = max(len(outlets), 1)
    group_h = max(0.3, _ROW * k + 0.1)
    if ax is None:
        inches = SINGLE_COLUMN if width == "single" else DOUBLE_COLUMN
        if width == "single":  # widen for long group labels, as in _panels
            longest = max((len(wrap(group_labels.get(g, g), 26)) for g in groups), default=0)
            inches = min(DOUBLE_COLUMN, max(SINGLE_COLUMN, min(longest, 26) / 15 + 2.8))
        legend_rows = math.ceil(k / legend_columns(outlets, inches / 2)) if k > 1 else 0
        height = 0.55 + 0.16 * legend_rows + group_h * max(len(groups), 1)
        fig, ax = new_figure(inches, height)
    else:
        fig = ax.figure  # type: ignore[assignment]
    position = {g: i for i, g in enumerate(groups)}
    step = 0.8 / k
    for j, outlet in enumerate(outlets):
        rows = data[(data["outlet"] == outlet) & data["group"].isin(position)]
        rank = rows["group"].map(position).to_numpy(dtype=float)
        rows, rank = rows.iloc[np.argsort(rank, kind="stable")], np.sort(rank, kind="stable")
        y = rank - 0.4 + step * (j + 0.5)
        draw_outlet(ax, rows, y, outlet, colors[outlet])
    ax.set_yticks(range(len(groups)))
    ax.set_yticklabels([wrap(group_labels.get(g, g), 26) for g in groups])
    ax.set_ylim(len(groups) - 0.5, -0.5)
    ax.grid(False, axis="y")
    if len(outlets) > 1:
        # the legend sits over the axes, which the tick labels and n labels narrow
        longest = max(len(t.get_text().split("\n")[0]) for t in ax.get_yticklabels())
        inches = max(1.2, fig.get_size_inches()[0] - longest / 16 - 0.8)
        handles = {h.get_label(): h for h in ax.get_lines() if h.get_label() in set(outlets)}
        shown = [o for o in outlets if o in handles]
        ax.legend(
            [handles[o] for o in shown],
            shown,
            loc="lower left",
            bbox_to_anchor=(0, 1.0),
            ncols=legend_columns(shown, inches),
            borderaxespad=0.2,
        )
    return fig, [ax]  # type: ignore[list-item]


def _panels(
    data: pd.DataFrame,
    groups: Sequence[str],
    group_labels: Mapping[str, str],
    outlets: Sequence[str],
    colors: Mapping[str, str],
    ax: Axes | None,
    outlet_ticks: Mapping[str, str] | None,
    extra_label_lines: int = 0,
) -> tuple[Figure, list[Axes]]:
    k = max(len(outlets), 1)
    titled = groups != [""]
    if ax is not None:
        if len(groups) > 1:
            raise ValueError("one Axes was passed but the figure needs a panel per group")
        fig, axes = ax.figure, [ax]
    else:
        ncols = min(len(groups), 3)
        nrows = math.ceil(len(groups) / ncols)
        panel_h = max(0.6, _ROW * k + 0.2) + (0.3 if titled else 0.0)
        if ncols == 1:
            # one panel: widen it (up to double column) so long outlet names and
            # the n labels leave the data at least ~2 inches
            longest = max((len((outlet_ticks or {}).get(o, o)) for o in outlets), default=0)
            width: str | float = min(DOUBLE_COLUMN, max(SINGLE_COLUMN, longest / 15 + 2.8))
        else:
            width = "double"
        fig, grid = new_figure(
            width,
            0.45 + 0.14 * extra_label_lines + panel_h * nrows,
            nrows=nrows,
            ncols=ncols,
            sharex=True,
            sharey=True,
            squeeze=False,
        )
        cells = list(grid.ravel())
        for extra in cells[len(groups) :]:
            extra.set_visible(False)
        axes = cells[: len(groups)]
    # one n per outlet (the same in every panel): say it once, in the outlet's label
    per_outlet = data.groupby("outlet")["n"].nunique(dropna=False)
    n_in_ticks = titled and bool((per_outlet <= 1).all())
    ticks = dict(outlet_ticks or {})
    if n_in_ticks:
        first = data.drop_duplicates("outlet").set_index("outlet")
        for o in outlets:
            if o in first.index:
                n = first.loc[o, "n"]
                few = pd.notna(n) and int(n) < 2
                ticks[o] = f"{ticks.get(o, o)} ({n_text(n, math.nan if few else 0.0, 0.0)})"
    for axis, group in zip(axes, groups, strict=True):
        part = data[data["group"] == group]
        for i, outlet in enumerate(outlets):
            rows = part[part["outlet"] == outlet]
            y = np.full(len(rows), float(i))
            draw_outlet(axis, rows, y, outlet, colors[outlet], label_n=not n_in_ticks)
        axis.set_yticks(range(len(outlets)))
        axis.set_yticklabels([wrap(ticks.get(o, o), 44, max_lines=1) for o in outlets])
        axis.set_ylim(len(outlets) - 0.5, -0.5)
        axis.grid(False, axis="y")
        if titled:
            axis.set_title(wrap(group_labels.get(group, group), 30, max_lines=2), loc="left")
    if len(axes) > 1:
        ncols = axes[0].get_subplotspec().get_gridspec().ncols
        for index, axis in enumerate(axes):
            axis.tick_params(labelleft=index % ncols == 0, labelbottom=index + ncols >= len(axes))
    return fig, axes  # type: ignore[return-value]
