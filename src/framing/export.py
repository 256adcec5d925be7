"""Write figures and tables for papers, atomically, with names that say what they show.

- :func:`save_figure` writes PDF (TrueType fonts embedded), SVG and 300-dpi PNG.
- :func:`save_table` writes CSV and LaTeX (booktabs rules).
- :func:`atomic_write_text` / :func:`atomic_write_bytes` write to a temporary file in
  the target folder and move it into place with :func:`os.replace`, so an interrupted
  run never leaves a half-written file.

Names are content-based (``sentiment_by_outlet``, never ``fig3a``): a name is reduced
to lowercase letters, digits, ``-`` and ``_``. Figures are saved without creation
dates so that the same figure gives the same bytes in PDF and SVG.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pandas.io.formats.style_render import _escape_latex

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "FIGURE_FORMATS",
    "TABLE_FORMATS",
    "atomic_write",
    "atomic_write_bytes",
    "atomic_write_text",
    "safe_name",
    "save_figure",
    "save_table",
    "to_latex_booktabs",
]

FIGURE_FORMATS = ("pdf", "svg", "png")
TABLE_FORMATS = ("csv", "tex", "parquet")
_NAME_BAD = re.compile(r"[^a-z0-9_-]+")


def safe_name(name: str) -> str:
    """Return ``name`` as a file-name stem: lowercase ``[a-z0-9_-]``.

    Examples
    --------
    >>> safe_name("Sentiment by outlet (VADER)")
    'sentiment_by_outlet_vader'
    """
    stem = _NAME_BAD.sub("_", str(name).strip().lower()).strip("_")
    if not stem:
        raise ValueError(f"cannot make a file name from {name!r}; use a descriptive name")
    return stem


def _umask() -> int:
    """Return the process umask without changing it (Linux), else by setting it back."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: str | os.PathLike[str], writer: Callable[[Path], object]) -> Path:
    """Call ``writer(tmp_path)`` then move the finished file to ``path`` atomically.

    The temporary file lives in the target folder (so :func:`os.replace` is atomic on
    the same file system) and is removed if ``writer`` fails. The file ends with the
    permissions of any new file (``0o666`` minus the process umask).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        writer(tmp_path)
        # mkstemp makes the file private (0600); give it the permissions any new file
        # gets here (0666 minus the umask), so that results can be shared
        os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return target


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; returns the path."""
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically; returns the path."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding=encoding))


def save_figure(
    fig: Figure,
    name: str,
    out_dir: str | os.PathLike[str],
    *,
    formats: Sequence[str] = FIGURE_FORMATS,
    dpi: int = 300,
) -> list[Path]:
    """Save ``fig`` as ``<out_dir>/<name>.{pdf,svg,png}`` in the paper style.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (from a :mod:`framing.plots` function).
    name : str
        What the figure shows, e.g. ``"sentiment_by_outlet"``; see :func:`safe_name`.
    out_dir : path-like
        Folder to write into (created if missing).
    formats : sequence of {"pdf", "svg", "png"}, default all three
        PDF embeds TrueType (Type 42) fonts; PNG is rendered at ``dpi``.
    dpi : int, default=300
        Resolution of the PNG.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``formats``.
    """
    from framing.plots.style import paper_style

    unknown = [f for f in formats if f not in FIGURE_FORMATS]
    if unknown:
        raise ValueError(f"unknown figure format(s) {unknown}; choose from {FIGURE_FORMATS}")
    stem = safe_name(name)
    written = []
    metadata = {
        "pdf": {"CreationDate": None, "Producer": "framing-workbench"},
        "svg": {"Date": None},
        "png": {"Software": "framing-workbench"},
    }
    with paper_style():
        for fmt in formats:
            target = Path(out_dir) / f"{stem}.{fmt}"
            written.append(
                atomic_write(
                    target,
                    lambda tmp, fmt=fmt: fig.savefig(
                        tmp, format=fmt, dpi=dpi, metadata=metadata[fmt]
                    ),
                )
            )
    return written


def to_latex_booktabs(
    table: pd.DataFrame,
    *,
    caption: str | None = None,
    label: str | None = None,
    float_format: str = "{:.3f}",
) -> str:
    """Render ``table`` as a LaTeX ``tabular`` with booktabs rules.

    A thin wrapper around :meth:`pandas.io.formats.style.Styler.to_latex`
    (``hrules=True`` for ``\\toprule``/``\\midrule``/``\\bottomrule``,
    ``escape="latex"`` for cells, column names and the caption). Floats are formatted
    with ``float_format``; None, NaN and NaT become ``--``;
    other values are written as ``str(value)``, escaped. Numeric columns are
    right-aligned, the others left-aligned; the index is not written. With a
    ``caption`` or ``label`` the tabular is wrapped in a centred ``table``
    environment. Needs ``\\usepackage{booktabs}`` in the paper.

    Examples
    --------
    >>> print(to_latex_booktabs(pd.DataFrame({"outlet": ["a_b"], "mean": [0.5]})))
    \\begin{tabular}{lr}
    \\toprule
    outlet & mean \\\\
    \\midrule
    a\\_b & 0.500 \\\\
    \\bottomrule
    \\end{tabular}
    """
    align = "".join("r" if pd.api.types.is_numeric_dtype(table[c]) else "l" for c in table.columns)
    # floats keep their value for ``float_format``; every other present value is
    # written as its ``str`` so that Styler escapes it (it escapes strings only)
    cells = table.astype(object).map(_latex_cell)
    cells.columns = [str(c) for c in table.columns]
    styler = (
        cells.style.format(
            lambda v: float_format.format(v) if isinstance(v, float) else v,
            na_rep="--",
            escape="latex",
        )
        .format_index(escape="latex", axis="columns")
        .hide(axis="index")
    )
    wrap = {}
    if caption is not None or label is not None:
        wrap = {"environment": "table", "position_float": "centering"}
        if caption:
            wrap["caption"] = _escape_latex(caption)
        if label:
            wrap["label"] = label
    return styler.to_latex(column_format=align, hrules=True, **wrap).rstrip("\n")


def _latex_cell(value: object) -> object:
    """Floats as floats, None/NaN/NaT as missing (``--``), anything else as ``str``."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, (float, np.floating)):
        return float(value)
    return str(value)


def save_table(
    table: pd.DataFrame,
    name: str,
    out_dir: str | os.PathLike[str],
    *,
    formats: Sequence[str] = ("csv", "tex"),
    caption: str | None = None,
    float_format: str = "{:.3f}",
) -> list[Path]:
    """Save ``table`` as ``<out_dir>/<name>.csv`` and ``.tex`` (and/or ``.parquet``).

    Parameters
    ----------
    table : pandas.DataFrame
        A tidy table; the index is not written.
    name : str
        What the table holds, e.g. ``"sentiment_by_outlet"``.
    out_dir : path-like
        Folder to write into (created if missing).
    formats : sequence of {"csv", "tex", "parquet"}, default ("csv", "tex")
        CSV is UTF-8 with full precision; TeX is a booktabs ``tabular`` rounded by
        ``float_format``; Parquet keeps dtypes (used by ``framing run`` to resume).
    caption : str, optional
        Wraps the TeX table in a ``table`` environment with this caption and a
        ``tab:<name>`` label.
    float_format : str, default="{:.3f}"
        Format for floats in TeX only.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    unknown = [f for f in formats if f not in TABLE_FORMATS]
    if unknown:
        raise ValueError(f"unknown table format(s) {unknown}; choose from {TABLE_FORMATS}")
    stem = safe_name(name)
    out = Path(out_dir)
    written = []
    for fmt in formats:
        target = out / f"{stem}.{fmt}"
        if fmt == "csv":
            written.append(atomic_write(target, lambda tmp: table.to_csv(tmp, index=False)))
        elif fmt == "parquet":
            written.append(atomic_write(target, lambda tmp: table.to_parquet(tmp, index=False)))
        else:
            label = f"tab:{stem}" if caption else None
            tex = to_latex_booktabs(table, caption=caption, label=label, float_format=float_format)
            written.append(atomic_write_text(target, tex + "\n"))
    return written
