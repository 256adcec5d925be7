"""Story figures: raw vs story-matched outlet differences, and exemplars by story.

:func:`story_matched_differences` draws the table of
:func:`framing.stories.story_matched_differences`: one row per measure x group x
outlet pair, the raw difference (open marker, ``gid="raw"``) above the
story-matched one (filled marker, ``gid="matched"``), each with its CI. When the
outlets cover different date windows, the title carries the warning.
:func:`story_exemplars` sets each outlet's top sentences in one story side by side.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from framing.plots.style import new_figure, outlet_colors, styled

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["story_exemplars", "story_matched_differences"]

#: Outlets side by side in :func:`story_exemplars` (more wrap onto further rows).
_COLUMNS = 3

_NEEDED = (
    "measure",
    "group",
    "a",
    "b",
    "raw_diff",
    "raw_ci_low",
    "raw_ci_high",
    "matched_diff",
    "matched_ci_low",
    "matched_ci_high",
)


@styled
def story_matched_differences(table: pd.DataFrame, *, max_rows: int = 40) -> Figure:
    """Raw vs story-matched difference (``a - b``) per measure x outlet pair, with CIs.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`framing.stories.story_matched_differences`.
    max_rows : int, default=40
        Rows drawn; more would not be legible. When the table has more, the rows
        with a story-matched estimate (pairs that share stories) come first, in
        table order, then the others.

    Returns
    -------
    matplotlib.figure.Figure
        Positive values: outlet ``a`` scores higher. An empty table gives a figure
        that says why (``table.attrs["reason"]``).
    """
    missing = [c for c in _NEEDED if c not in table.columns]
    if missing:
        raise ValueError(
            f"story_matched_differences: the table lacks {missing}; pass the output of "
            "framing.stories.story_matched_differences"
        )
    rows = table
    if len(table) > max_rows:  # pairs that share stories first: they carry the comparison
        matched = table["matched_diff"].notna()
        rows = pd.concat([table[matched], table[~matched]])
    rows = rows.head(max_rows)
    fig, ax = new_figure("double", 0.9 + 0.32 * max(len(rows), 1))
    if len(table) > len(rows):
        n_matched = int(table["matched_diff"].notna().sum())
        fig.text(
            0.01,
            0.002,
            f"{len(rows)} of {len(table)} rows shown ({n_matched} with a story-matched "
            "estimate, shown first); the full table is story_matched_differences.csv",
            fontsize="x-small",
            color="0.3",
        )
    if rows.empty:
        reason = table.attrs.get("reason", "no outlet pair to compare")
        ax.text(
            0.5,
            0.5,
            textwrap.fill(f"No story-matched comparison: {reason}", 70),
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
        ax.set_axis_off()
        return fig
    y = np.arange(len(rows), dtype=float)
    for kind, offset, face in (("raw", -0.17, "white"), ("matched", 0.17, "black")):
        x = rows[f"{kind}_diff"].to_numpy(float)
        lo, hi = rows[f"{kind}_ci_low"].to_numpy(float), rows[f"{kind}_ci_high"].to_numpy(float)
        ok = ~np.isnan(lo) & ~np.isnan(hi)
        ax.hlines(y[ok] + offset, lo[ok], hi[ok], color="0.2", linewidth=1.0, gid=f"ci:{kind}")
        ax.plot(
            x,
            y + offset,
            "o",
            markerfacecolor=face,
            markeredgecolor="black",
            linestyle="none",
            label="raw (all articles)" if kind == "raw" else "story-matched (shared stories)",
            gid=kind,
            zorder=3,
        )
    labels = [
        f"{r.measure}{' ' + str(r.group) if r.group else ''}: {r.a} - {r.b}"
        for r in rows.itertuples()
    ]
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.axvline(0, color="0.4", linewidth=0.6, linestyle="--", zorder=1)
    ax.set_xlabel("Difference a - b (positive = outlet a higher)")
    ax.legend(loc="best", frameon=False)
    notes = sorted({n for n in table.get("coverage_note", pd.Series(dtype=str)) if n})
    if notes:
        ax.set_title(textwrap.fill("Warning: " + notes[0], 110), fontsize="small", loc="left")
    return fig


@styled
def story_exemplars(table: pd.DataFrame, *, width: int = 42) -> Figure:
    """Each outlet's top sentences for a frame in one story, in side-by-side columns.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`framing.stories.story_exemplars`.
    width : int, default=42
        Characters per wrapped line.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per outlet of the story (``table.attrs["outlets"]``), headed in the
        outlet's colour, at most three side by side (more outlets wrap onto further
        rows); an outlet without a sentence carrying the frame says so.
    """
    outlets = table.attrs.get("outlets") or sorted(map(str, table["outlet"].unique()))
    colors = outlet_colors(outlets)
    # at most COLUMNS outlets side by side; more outlets wrap onto further rows, so a
    # story told by 15 outlets stays readable instead of 15 slivers
    ncols = min(max(len(outlets), 1), _COLUMNS)
    nrows = -(-max(len(outlets), 1) // ncols)
    lines = {  # wrapped lines per outlet (a blank line between sentences, one for the title)
        outlet: 1 + sum(len(textwrap.wrap(str(s), width)) + 1 for s in sub["text"])
        for outlet, sub in table.groupby(table["outlet"].astype(str), sort=False)
    }
    rows = [outlets[i : i + ncols] for i in range(0, len(outlets), ncols)]
    # about 0.13 in per line of small text, at least 0.8 in per row of panels
    heights = [max(0.8, 0.3 + 0.13 * max(lines.get(o, 2) for o in row)) for row in rows]
    fig, axes = new_figure(
        "double", 0.3 + sum(heights), nrows=nrows, ncols=ncols, height_ratios=heights
    )
    axes = np.atleast_1d(axes).ravel()
    for ax in axes[len(outlets) :]:
        ax.set_visible(False)
    for ax, outlet in zip(axes, outlets, strict=False):
        ax.set_axis_off()
        sub = table[table["outlet"].astype(str) == outlet]
        ax.set_title(outlet, color=colors[outlet], loc="left", fontweight="bold")
        if sub.empty:
            body = "(no sentence carries this frame)"
        else:
            body = "\n\n".join(
                f"{int(r.rank)}. " + textwrap.fill(str(r.text), width) for r in sub.itertuples()
            )
        ax.text(0, 1, body, va="top", ha="left", fontsize="small", transform=ax.transAxes)
    if len(table):
        label = str(table["story_label"].iloc[0])
        frame = table.attrs.get("frame", "")
        title = f"{frame}: {label}" if frame else label
        fig.suptitle(textwrap.fill(title, 110), fontsize="small")
    return fig
