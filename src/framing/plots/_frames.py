"""Frame figures: prevalence by outlet, a two-frame contrast, keyness.

Each function takes the tidy table of one analysis function and returns a
matplotlib ``Figure``; nothing is computed beyond reshaping, nothing is saved.
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

__all__ = ["frame_contrast", "frame_prevalence", "keyness"]

#: Caption line of a frame figure whose measure has not been checked against coding.
NOT_VALIDATED = "Frame measure not validated on this corpus (no coded units given)."


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


def _errors(table: pd.DataFrame, centre: str) -> np.ndarray:
    """Asymmetric error bars from ci_low / ci_high (0 where the CI is missing)."""
    low = (table[centre] - table["ci_low"]).to_numpy(dtype=float)
    high = (table["ci_high"] - table[centre]).to_numpy(dtype=float)
    return np.nan_to_num(np.vstack([low, high]), nan=0.0)


@styled
def frame_prevalence(
    summary: pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    by: str = "outlet",
    xlabel: str = "Share of sentences with the frame",
    ax: Axes | None = None,
    validation: str | None = None,
) -> Figure:
    """Frame prevalence per outlet: means with 95% CIs, one row per frame.

    Parameters
    ----------
    summary : pandas.DataFrame
        ``compare.outlet_summary(scores.articles, "share", within=["frame"])``:
        columns ``frame``, ``by``, ``mean``, ``ci_low``, ``ci_high``.
    labels : dict, optional
        Frame key -> label (``FrameScores.labels``); also fixes the frame order.
    by : str, default="outlet"
    xlabel : str
    ax : matplotlib Axes, optional
    validation : str, optional
        Caption line under the figure: the measure's validation status on this
        corpus (e.g. ``FrameScores.summary["validation"]``); default: "not
        validated on this corpus". ``""`` = no caption.

    Returns
    -------
    matplotlib.figure.Figure
        Outlets are dodged vertically within each frame, in their stable colours;
        a point without bars had too few articles for an interval.
    """
    _need(summary, ["frame", by, "mean", "ci_low", "ci_high"], "frame_prevalence")
    frames = [f for f in (labels or {}) if f in set(summary["frame"])] or list(
        dict.fromkeys(summary["frame"])
    )
    outlets = sorted(summary[by].astype(str).unique())
    colors = outlet_colors(outlets)
    fig, ax = _axes(ax, "single", 0.8 + 0.32 * len(frames))
    step = 0.7 / max(len(outlets), 1)
    for i, outlet in enumerate(outlets):
        rows = (
            summary[summary[by].astype(str) == outlet]
            .set_index("frame")
            .reindex(frames)
            .dropna(subset=["mean"])
        )
        y = np.array([frames.index(f) for f in rows.index], dtype=float)
        y = y - 0.35 + step * (i + 0.5)
        ax.errorbar(
            rows["mean"],
            y,
            xerr=_errors(rows, "mean"),
            fmt="o",
            color=colors[outlet],
            label=outlet,
            elinewidth=1.0,
        )
    ax.set_yticks(range(len(frames)))
    ax.set_yticklabels([(labels or {}).get(f, f) for f in frames])
    ax.set_ylim(len(frames) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    right = np.nanmax(summary[["mean", "ci_high"]].to_numpy(dtype=float))
    ax.set_xlim(0, 1.08 * right if np.isfinite(right) and right > 0 else 1)
    ax.legend(
        loc="lower left", bbox_to_anchor=(0, 1.0), ncols=min(len(outlets), 3), borderaxespad=0.2
    )
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
    ax: Axes | None = None,
    validation: str | None = None,
) -> Figure:
    """Two-frame contrast per outlet: mean of a - b with its 95% CI.

    Parameters
    ----------
    contrast : pandas.DataFrame
        From :func:`framing.compare.frame_contrast`: ``by``, ``frame_a``,
        ``frame_b``, ``mean_diff``, ``ci_low``, ``ci_high``.
    label_a, label_b : str, optional
        Names of the two frames (default: their keys).
    by : str, default="outlet"
    ax : matplotlib Axes, optional
    validation : str, optional
        Caption line under the figure: the measure's validation status on this
        corpus (e.g. ``FrameScores.summary["validation"]``); default: "not
        validated on this corpus". ``""`` = no caption.

    Returns
    -------
    matplotlib.figure.Figure
        Points right of the zero line = the outlet's articles carry frame a more
        than frame b.
    """
    _need(contrast, [by, "frame_a", "frame_b", "mean_diff", "ci_low", "ci_high"], "frame_contrast")
    a = label_a or (str(contrast["frame_a"].iloc[0]) if len(contrast) else "a")
    b = label_b or (str(contrast["frame_b"].iloc[0]) if len(contrast) else "b")
    outlets = [str(o) for o in contrast[by]]
    colors = outlet_colors(outlets)
    fig, ax = _axes(ax, "single", 0.9 + 0.3 * len(outlets))
    y = np.arange(len(outlets))
    for i, outlet in enumerate(outlets):
        row = contrast.iloc[[i]]
        ax.errorbar(
            row["mean_diff"],
            [y[i]],
            xerr=_errors(row, "mean_diff"),
            fmt="o",
            color=colors[outlet],
            elinewidth=1.0,
        )
    ax.axvline(0, color="0.4", linewidth=0.6, linestyle="--")
    ax.set_yticks(y)
    ax.set_yticklabels(outlets)
    ax.set_ylim(len(outlets) - 0.5, -0.5)
    ax.set_xlabel(f"Difference in share\n({_short(a)} − {_short(b)})")
    ax.text(0.0, 1.01, f"← more {_short(b)}", transform=ax.transAxes, ha="left", va="bottom")
    ax.text(1.0, 1.01, f"more {_short(a)} →", transform=ax.transAxes, ha="right", va="bottom")
    span = np.nanmax(np.abs(contrast[["ci_low", "ci_high", "mean_diff"]].to_numpy(dtype=float)))
    if np.isfinite(span) and span > 0:
        ax.set_xlim(-1.1 * span, 1.1 * span)
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
        target, bars left of zero of the reference.
    """
    _need(table, ["term", "z"], "keyness")
    ordered = table.sort_values("z", ascending=False)
    top = ordered[ordered["z"] > 0].head(n)
    bottom = ordered[ordered["z"] < 0].tail(n)
    shown = pd.concat([top, bottom])
    colors = outlet_colors([target_label, reference_label])
    fig, ax = _axes(ax, "single", 0.9 + 0.14 * len(shown))
    y = np.arange(len(shown))
    ax.barh(
        y,
        shown["z"],
        color=[colors[target_label] if z > 0 else colors[reference_label] for z in shown["z"]],
        height=0.75,
    )
    ax.set_yticks(y)
    ax.set_yticklabels(shown["term"])
    ax.invert_yaxis()
    ax.axvline(0, color="0.3", linewidth=0.6)
    ax.set_xlabel(f"z (log-odds, informative prior)\n← {reference_label}   |   {target_label} →")
    return fig
