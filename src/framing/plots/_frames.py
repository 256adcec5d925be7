"""Frame figures: prevalence by outlet, a two-frame contrast, keyness.

Each function takes the tidy table of one analysis function and returns a
matplotlib ``Figure``; nothing is computed beyond reshaping, nothing is saved.
Degenerate results are named on the figure rather than drawn as bare results: a
frame that never occurs in the corpus, a contrast of two absent frames, a keyness
table in which no term reaches significance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from framing.plots._compare import by_estimate, group_order
from framing.plots._dots import dot_figure, tidy
from framing.plots.style import new_figure, outlet_colors, outlet_label, styled, wrap

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["frame_contrast", "frame_prevalence", "keyness"]

#: Caption line of a frame figure whose measure has not been checked against coding.
NOT_VALIDATED = "Frame measure not validated on this corpus (no coded units given)."
#: Axis title when neither the caller nor the table's ``measure`` column names the number.
UNNAMED_MEASURE = "frame measure (unnamed: see the table)"


def _measure(table: pd.DataFrame, given: str | None) -> str:
    """Return the axis title: ``given``, else the table's ``measure`` column.

    The comparison tables of a run carry ``measure``, the words of
    :func:`framing.frames.headline.measure_label` (e.g. "frame score (z within
    corpus; + = more frame)"), so a figure always names its number.
    """
    if given:
        return given
    if "measure" in table.columns and len(table):
        names = table["measure"].dropna().astype(str).unique()
        if len(names) == 1:
            return names[0]
    return UNNAMED_MEASURE


def _caption(fig: Figure, validation: str | None) -> None:
    """Write the validation status as a caption line under the figure."""
    text = NOT_VALIDATED if validation is None else str(validation)
    if text:
        fig.text(0.01, 0.0, text, ha="left", va="top", fontsize="x-small", color="0.35")


def _need(table: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise KeyError(f"{what} needs column(s) {missing}; the table has {list(table.columns)}")


def _axes(ax: Axes | None, width: str, height: float) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    return new_figure(width, height)  # type: ignore[return-value]


def add_note(ax: Axes, text: str) -> None:
    """Add a line of note under the value axis label (so it is kept in the layout).

    In a figure of several panels the note goes under the figure's shared label.
    """
    fig = ax.figure
    label = getattr(fig, "_supxlabel", None)
    if label is not None and label.get_text():
        label.set_text(f"{label.get_text()}\nNote: {text}")
    else:
        ax.set_xlabel(f"{ax.get_xlabel()}\nNote: {text}")


def _absent(summary: pd.DataFrame, group: str, value: str = "mean") -> list[str]:
    """Return the groups whose value is 0 in every outlet, interval included (never occurs)."""
    cols = [value, "ci_low", "ci_high"]
    zero = summary[cols].fillna(0.0).eq(0.0).all(axis=1)
    per = zero.groupby(summary[group].astype(str)).all()
    return [str(g) for g, flag in per.items() if flag]


@styled
def frame_prevalence(
    summary: pd.DataFrame,
    *,
    labels: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
    order: Sequence[str] | None = None,
    by: str = "outlet",
    xlabel: str | None = None,
    ax: Axes | None = None,
    validation: str | None = None,
) -> Figure:
    """Frame prevalence per outlet: means with 95% CIs, one row per frame.

    Parameters
    ----------
    summary : pandas.DataFrame
        ``compare.outlet_summary(scores.articles, "score", within=["frame"])`` (or
        ``"share"``): columns ``frame``, ``by``, ``mean``, ``ci_low``, ``ci_high``,
        and optionally ``measure`` (what the number is, written by the run).
    labels : dict or sequence of (key, label) pairs, optional
        Frame key -> label (``FrameScores.labels``).
    order : sequence of str, optional
        Frame keys top to bottom (the frame set's order). Default: the categories
        of a categorical ``frame`` column, else the order of ``labels``, else
        first appearance (as in :func:`actor_by_outlet`).
    by : str, default="outlet"
    xlabel : str, optional
        Axis title naming the measure and its sign, e.g. ``measure_label("score",
        "semantic")`` of :mod:`framing.frames.headline`. Default: the table's
        ``measure`` column, else a title saying the measure is unnamed.
    ax : matplotlib Axes, optional
    validation : str, optional
        Caption line under the figure: the measure's validation status on this
        corpus (e.g. ``FrameScores.summary["validation"]``); default: "not
        validated on this corpus". ``""`` = no caption.

    Returns
    -------
    matplotlib.figure.Figure
        Outlets are dodged vertically within each frame, in their stable colours
        (more than six outlets: one panel per frame, outlets on the y axis). Each
        dot's ``n`` (articles) is printed at the right; ``"n=1: no interval"`` marks
        a point without an interval. Further right = more of the frame (the
        headline score: above the corpus's average article when it is a z-score).
        A frame with share 0 (or no score) everywhere is labelled "(absent in this
        corpus)". The axis includes 0, so zero shares and the corpus average show.
    """
    _need(summary, ["frame", by, "mean", "ci_low", "ci_high"], "frame_prevalence")
    frames, known = group_order(summary, "frame", labels, order)
    names = {f: known.get(f, f) for f in frames}
    absent = _absent(summary, "frame")
    for f in absent:
        names[f] = f"{names[f]} (absent in this corpus)"
    fig, axes = dot_figure(
        tidy(summary, by=by, group="frame"),
        groups=frames,
        group_labels=names,
        outlets=sorted({outlet_label(o) for o in summary[by]}),
        value_label=wrap(_measure(summary, xlabel), 60),
        include_zero=True,
        ax=ax,
    )
    if absent:
        verb = "never occurs" if len(absent) == 1 else "never occur"
        add_note(axes[0], f"{len(absent)} of {len(frames)} frames {verb} in this corpus")
    _caption(fig, validation)
    return fig


def _short(text: str, width: int = 22) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@styled
def frame_contrast(
    contrast: pd.DataFrame,
    *,
    label_a: str | None = None,
    label_b: str | None = None,
    by: str = "outlet",
    sort: bool = True,
    ax: Axes | None = None,
    validation: str | None = None,
    measure: str | None = None,
) -> Figure:
    """Two-frame contrast per outlet: mean of a - b with its 95% CI (a forest plot).

    Parameters
    ----------
    contrast : pandas.DataFrame
        From :func:`framing.compare.frame_contrast`: ``by``, ``frame_a``,
        ``frame_b``, ``mean_diff``, ``ci_low``, ``ci_high``.
    label_a, label_b : str, optional
        Names of the two frames (default: their keys).
    by : str, default="outlet"
    sort : bool, default=True
        Order outlets by the contrast, largest at the top; ``False`` keeps the
        table's order.
    ax : matplotlib Axes, optional
    validation : str, optional
        Caption line under the figure: the measure's validation status on this
        corpus (e.g. ``FrameScores.summary["validation"]``); default: "not
        validated on this corpus". ``""`` = no caption.
    measure : str, optional
        What ``a`` and ``b`` are, e.g. ``measure_label("score", "lexicon")`` of
        :mod:`framing.frames.headline`. Default: the table's ``measure`` column.

    Returns
    -------
    matplotlib.figure.Figure
        Points right of the zero line = the outlet's articles carry frame a more
        than frame b; the axis title names the measure ("Difference in <measure>")
        and the line under it the direction (← more b | more a →). Each dot's
        ``n`` is printed at the right (``"n=1: no interval"``; ``"neither frame
        occurs"`` for an outlet whose contrast is 0 because both shares are); a
        frame with share 0 in every outlet is noted under the axis ("absent in
        this corpus").
    """
    _need(contrast, [by, "frame_a", "frame_b", "mean_diff", "ci_low", "ci_high"], "frame_contrast")
    key_a = str(contrast["frame_a"].iloc[0]) if len(contrast) else "a"
    key_b = str(contrast["frame_b"].iloc[0]) if len(contrast) else "b"
    a, b = label_a or key_a, label_b or key_b
    data = tidy(contrast, by=by, group=None, mean="mean_diff")
    if {"mean_a", "mean_b"} <= set(contrast.columns):
        neither = contrast["mean_a"].eq(0) & contrast["mean_b"].eq(0)
        data["flag"] = np.where(neither.to_numpy(), "neither frame occurs", "")
        absent_a = bool(contrast["mean_a"].fillna(0).eq(0).all()) and len(contrast) > 0
        absent_b = bool(contrast["mean_b"].fillna(0).eq(0).all()) and len(contrast) > 0
    else:
        absent_a = absent_b = False
    order = by_estimate(contrast, "mean_diff", by) if sort else list(data["outlet"])
    fig, axes = dot_figure(
        data,
        groups=[""],
        group_labels={},
        outlets=order,
        value_label=wrap(f"Difference in {_measure(contrast, measure)}", 60)
        + f"\n← more {_short(b)}   |   more {_short(a)} →",
        include_zero=True,
        ax=ax,
    )
    axis = axes[0]
    if not any(list(line.get_xdata()) == [0, 0] for line in axis.get_lines()):
        axis.axvline(0, color="0.4", linewidth=0.6, linestyle="--", zorder=1)
    for frame, flag in ((a, absent_a), (b, absent_b)):
        if flag:
            add_note(axis, f"“{_short(frame, 40)}” absent in this corpus")
    if absent_a and absent_b:
        add_note(axis, "both frames absent: the contrast is 0 by construction")
    _caption(fig, validation)
    return fig


@styled
def keyness(
    table: pd.DataFrame,
    *,
    n: int = 10,
    target_label: str = "target",
    reference_label: str = "reference",
    ax: Axes | None = None,
) -> Figure:
    """Plot the ``n`` most typical terms of each side as horizontal bars of z.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`framing.compare.keyness` (``term``, ``z``).
    n : int, default=10
        Terms per side.
    target_label, reference_label : str
        Names of the two groups (outlet names get their outlet colours).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
        Bars right of zero (positive z, Monroe et al. 2008) are typical of the
        target, bars left of zero of the reference. Bars with |z| < 1.96 (two-sided
        p >= 0.05, unadjusted) are pale, dotted lines mark ±1.96, and a note says
        so when no term of the table reaches it. An empty outlet name is drawn as
        "(no outlet)".
    """
    _need(table, ["term", "z"], "keyness")
    target, reference = outlet_label(target_label), outlet_label(reference_label)
    ordered = table.sort_values("z", ascending=False)
    top = ordered[ordered["z"] > 0].head(n)
    bottom = ordered[ordered["z"] < 0].tail(n)
    shown = pd.concat([top, bottom])
    significant = _significant(table)
    colors = outlet_colors([target, reference])
    fig, ax = _axes(ax, "single", 0.9 + 0.14 * max(len(shown), 3))
    y = np.arange(len(shown))
    strong = _significant(shown)
    bars = ax.barh(
        y,
        shown["z"],
        color=[colors[target] if z > 0 else colors[reference] for z in shown["z"]],
        height=0.75,
    )
    for bar, ok in zip(bars, strong, strict=True):
        bar.set_alpha(1.0 if ok else 0.35)
    ax.set_yticks(y)
    ax.set_yticklabels(shown["term"])
    ax.set_ylim(max(len(shown), 1) - 0.5, -0.5)
    ax.axvline(0, color="0.3", linewidth=0.6)
    for edge in (-_Z_CRIT, _Z_CRIT):
        ax.axvline(edge, color="0.6", linewidth=0.5, linestyle=":", zorder=0)
    ax.set_xlabel(
        "z (log-odds, informative prior); dotted: |z| = 1.96\n"
        f"← {wrap(reference, 24, max_lines=1)}   |   {wrap(target, 24, max_lines=1)} →"
    )
    if shown.empty:
        add_note(ax, "no terms to show")
    elif not significant.any():
        add_note(ax, "no term reaches significance (all |z| < 1.96)")
    return fig


_Z_CRIT = 1.959963984540054  # two-sided 5% of the standard normal


def _significant(table: pd.DataFrame) -> np.ndarray:
    """|z| >= 1.96, i.e. two-sided p < 0.05 unadjusted (Monroe et al. 2008's cut)."""
    return table["z"].abs().to_numpy(dtype=float) >= _Z_CRIT
