"""The shared figure style: one rc file, stable outlet colours, journal sizes.

- :func:`paper_style` applies the shipped ``framing.mplstyle`` (8-pt sans-serif,
  TrueType fonts embedded in PDF, 300-dpi PNG).
- :func:`outlet_colors` gives every outlet one colour from colour-blind-safe palettes
  (Okabe & Ito 2008, then Tol's "muted" scheme), the same colour in every figure of
  a session: colours are assigned in sorted order of the outlets first seen, or of the
  list passed to :func:`register_outlets` (``framing run`` registers the corpus's
  outlets once).
- :func:`new_figure` makes a figure of single-column (3.5 in) or double-column
  (7.2 in) width. Its figures render themselves as PNG in Jupyter (``_repr_png_``),
  so they show inline in notebooks executed by nbconvert or papermill, whatever the
  matplotlib backend.
- :func:`outlet_label` and :func:`wrap` are the one rule for drawing category names:
  an empty or missing outlet is drawn as ``"(no outlet)"``, long names wrap.

Matplotlib reads many rc settings when an artist is created, so every plot function
draws inside the style: decorate it with :func:`styled` (or use ``with paper_style():``).
:func:`framing.export.save_figure` re-applies the style when it renders.
"""

from __future__ import annotations

import contextlib
import functools
import io
import textwrap
import warnings
from collections.abc import Callable, Iterable, Iterator
from importlib.resources import files
from typing import Literal, ParamSpec, TypeVar

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

__all__ = [
    "DOUBLE_COLUMN",
    "NO_OUTLET",
    "PALETTE",
    "SINGLE_COLUMN",
    "STYLE_PATH",
    "PaperFigure",
    "new_figure",
    "outlet_colors",
    "outlet_label",
    "paper_style",
    "register_outlets",
    "reset_outlet_colors",
    "styled",
    "wrap",
]
_P = ParamSpec("_P")
_R = TypeVar("_R")

SINGLE_COLUMN = 3.5  # inches
DOUBLE_COLUMN = 7.2  # inches
STYLE_PATH = str(files("framing") / "data" / "framing.mplstyle")

#: Okabe & Ito (2008) without yellow first, then Paul Tol's muted scheme (Tol 2021).
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#E69F00",
    "#CC79A7",
    "#56B4E9",
    "#000000",
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
)
_registry: dict[str, str] = {}

#: How an article without an outlet is labelled in every figure.
NO_OUTLET = "(no outlet)"


def outlet_label(outlet: object) -> str:
    """Return the label drawn for ``outlet``: ``"(no outlet)"`` when it is empty or missing.

    Examples
    --------
    >>> outlet_label("nyt"), outlet_label(""), outlet_label(None)
    ('nyt', '(no outlet)', '(no outlet)')
    """
    if outlet is None or (not isinstance(outlet, str) and pd.isna(outlet)):
        return NO_OUTLET
    text = str(outlet).strip()
    return text or NO_OUTLET


def wrap(text: object, width: int = 24, *, max_lines: int = 3) -> str:
    """Wrap ``text`` at word boundaries into lines of at most ``width`` characters.

    Labels are wrapped, not cut: only beyond ``max_lines`` lines is the rest
    replaced by an ellipsis.

    Examples
    --------
    >>> wrap("6: city, council, mayor, budget", 16)
    '6: city,\\ncouncil, mayor,\\nbudget'
    """
    lines = textwrap.wrap(str(text), width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1][: width - 1] + "…"]
    return "\n".join(lines)


def reset_outlet_colors() -> None:
    """Forget every outlet colour assigned so far in this session."""
    _registry.clear()


def register_outlets(outlets: Iterable[str]) -> dict[str, str]:
    """Assign colours to ``outlets`` (sorted) ahead of any figure; returns the mapping.

    Outlets that already have a colour keep it.
    """
    for outlet in sorted({str(o) for o in outlets}):
        if outlet not in _registry:
            index = len(_registry)
            if index == len(PALETTE):
                warnings.warn(
                    f"more than {len(PALETTE)} outlets: colours repeat from here on; "
                    "compare fewer outlets per figure for colour-blind-safe figures",
                    stacklevel=2,
                )
            _registry[outlet] = PALETTE[index % len(PALETTE)]
    return dict(_registry)


def outlet_colors(outlets: Iterable[str]) -> dict[str, str]:
    """Return ``{outlet: hex colour}``, stable across every figure of the session.

    Parameters
    ----------
    outlets : iterable of str
        Outlet names shown in a figure.

    Returns
    -------
    dict
        A colour for each outlet in ``outlets``.

    Examples
    --------
    >>> reset_outlet_colors()
    >>> outlet_colors(["nyt", "fox"])
    {'nyt': '#D55E00', 'fox': '#0072B2'}
    >>> outlet_colors(["nyt"])  # same colour in the next figure
    {'nyt': '#D55E00'}
    """
    outlets = [str(o) for o in outlets]
    register_outlets(outlets)
    return {o: _registry[o] for o in outlets}


class PaperFigure(Figure):
    """A matplotlib ``Figure`` that renders itself as PNG for Jupyter.

    IPython shows a bare ``Figure`` as text (``<Figure size 350x432 with 1 Axes>``)
    unless the inline backend is active, which it is not when a notebook runs with
    ``MPLBACKEND=Agg`` or never imports pyplot. ``_repr_png_`` renders the figure in
    the paper style at 200 dpi and tells the front end to show it at 100 dpi (sharp
    on high-density screens), the size it has in the paper.
    """

    def _repr_png_(self) -> tuple[bytes, dict[str, int]]:
        buffer = io.BytesIO()
        with paper_style():
            self.savefig(buffer, format="png", dpi=200)
        data = buffer.getvalue()
        # PNG header: width and height are big-endian uint32 at bytes 16-24
        width = int.from_bytes(data[16:20], "big") // 2
        height = int.from_bytes(data[20:24], "big") // 2
        return data, {"width": width, "height": height}


@contextlib.contextmanager
def paper_style() -> Iterator[None]:
    """Apply the shipped ``framing.mplstyle`` within a ``with`` block."""
    import matplotlib.pyplot as plt

    with plt.style.context(STYLE_PATH):
        yield


def styled(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Decorate a plot function so that it draws inside :func:`paper_style`."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with paper_style():
            return func(*args, **kwargs)

    return wrapper


def new_figure(
    width: Literal["single", "double"] | float = "single",
    height: float | None = None,
    *,
    nrows: int = 1,
    ncols: int = 1,
    **subplot_kw: object,
) -> tuple[matplotlib.figure.Figure, object]:
    """Create a figure in the paper style at a journal column width.

    Parameters
    ----------
    width : {"single", "double"} or float, default="single"
        3.5 in, 7.2 in, or a width in inches.
    height : float, optional
        Height in inches; default ``0.75 * width`` capped at 2.6 in for single column.
    nrows, ncols : int
        Passed to :meth:`matplotlib.figure.Figure.subplots`.
    **subplot_kw
        Further keyword arguments to ``subplots`` (e.g. ``sharey=True``).

    Returns
    -------
    (Figure, Axes or array of Axes)
    """
    if width == "single":
        inches = SINGLE_COLUMN
    elif width == "double":
        inches = DOUBLE_COLUMN
    else:
        inches = float(width)
    if height is None:
        height = min(0.75 * inches, 2.6 if inches <= SINGLE_COLUMN else 3.6)
    with paper_style():
        fig = PaperFigure(figsize=(inches, height), layout="constrained")
        axes = fig.subplots(nrows=nrows, ncols=ncols, **subplot_kw)
    # Remember the style so save_figure can re-apply it when rendering.
    fig._framing_style = STYLE_PATH  # type: ignore[attr-defined]
    return fig, axes
