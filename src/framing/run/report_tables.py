"""Tables in ``report.html``: escaped HTML, one number format per column, long ones folded.

Numbers are the run's own (never re-computed here); each numeric column gets one
format (:func:`_number_format`) and long free-text columns get room to wrap.
"""

from __future__ import annotations

import html
import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["OPEN_ROWS", "table_html"]

#: Tables with more rows start collapsed (a click shows them).
OPEN_ROWS = 10
#: ... and so do tables whose text would wrap to more lines than this in all.
OPEN_LINES = 20
#: Characters per line of a wrapped text cell (text columns are at least 24em wide).
_CHARS_PER_LINE = 48


def _display_lines(table: pd.DataFrame) -> int:
    """Estimate the lines a table takes on the page: per row, its tallest wrapped cell."""
    text = [
        c
        for c in table.columns
        if table[c].dtype == object or pd.api.types.is_string_dtype(table[c])
    ]
    if not text:
        return len(table)
    lengths = table[text].astype(str).apply(lambda col: col.str.len()).to_numpy()
    return int((-(-lengths // _CHARS_PER_LINE)).clip(min=1).max(axis=1).sum())


def _fmt(value: Any) -> str:
    if value is None or value is pd.NaT:
        return "–"
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        if abs(value) >= 1000:
            return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
        return f"{value:.2e}" if value and abs(value) < 1e-3 else f"{value:.3f}"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def _number_format(column: pd.Series) -> str:
    """One format for a whole numeric column (so 531 and 1,323 look alike).

    Whole numbers get thousands separators; other columns 3 decimals, 1 decimal when
    a value reaches 1,000, or scientific notation when a non-zero value is below
    0.001 (p-values).
    """
    if pd.api.types.is_bool_dtype(column):
        return ""
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    finite = values[np.isfinite(values)]
    if pd.api.types.is_integer_dtype(column) or (
        finite.size and np.array_equal(finite, np.round(finite))
    ):
        return ",.0f"
    if finite.size and np.abs(finite).max() >= 1000:
        return ",.1f"
    if finite.size and ((finite != 0) & (np.abs(finite) < 1e-3)).any():
        return ".2e"
    return ".3f"


def _cell(value: Any, number_format: str | None) -> str:
    if (
        number_format
        and isinstance(value, int | float | np.number)
        and not isinstance(value, bool | np.bool_)
    ):
        return "–" if value != value else format(value, number_format)
    return _fmt(value)


def _is_text(column: pd.Series) -> bool:
    """Long free text (notes, exemplars, documents): gets room and wraps."""
    if not (pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)):
        return False
    lengths = column.dropna().astype(str).str.len()
    return bool(len(lengths)) and (lengths.max() > 60 or lengths.median() > 30)


def table_html(table: pd.DataFrame, *, max_rows: int = 25, name: str | None = None) -> str:
    """Render ``table`` as an escaped HTML table (first ``max_rows`` rows).

    Each numeric column has one number format (:func:`_number_format`); long text
    columns are marked ``class="text"`` so that they get room and wrap.

    Examples
    --------
    >>> html_text = table_html(pd.DataFrame({"outlet": ["<a>"], "mean": [0.5]}))
    >>> html_text[html_text.index("<tbody>"):]
    '<tbody><tr><td>&lt;a&gt;</td><td class="num">0.500</td></tr></tbody></table>'
    """
    shown = table.head(max_rows)
    formats = {
        c: _number_format(shown[c])
        for c in table.columns
        if pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])
    }
    text = {c for c in table.columns if c not in formats and _is_text(shown[c])}
    classes = {
        c: ' class="num"' if c in formats else ' class="text"' if c in text else ""
        for c in table.columns
    }
    head = "".join(f"<th{classes[c]}>{html.escape(str(c))}</th>" for c in table.columns)
    rows = []
    for record in shown.itertuples(index=False):
        cells = "".join(
            f"<td{classes[col]}>{html.escape(_cell(value, formats.get(col)))}</td>"
            for col, value in zip(table.columns, record, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    out = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    if len(table) > max_rows:
        where = f" (all rows in tables/{name}.csv)" if name else ""
        out += f'<p class="note">First {max_rows} of {len(table)} rows{where}.</p>'
    return out


def _table_block(caption: str, table: pd.DataFrame, name: str | None = None) -> str:
    """Return a captioned table; a long one starts collapsed.

    Long: more than :data:`OPEN_ROWS` rows, or text that wraps to more than
    :data:`OPEN_LINES` lines (documents, exemplar sentences, term lists).
    """
    if table.empty:
        return f'<h3>{html.escape(caption)}</h3><p class="note">(none)</p>'
    body = table_html(table, name=name)
    if len(table) <= OPEN_ROWS and _display_lines(table) <= OPEN_LINES:
        return f"<h3>{html.escape(caption)}</h3>{body}"
    return (
        f"<details><summary>{html.escape(caption)} "
        f'<span class="note">({len(table)} rows; click to show)</span></summary>'
        f"{body}</details>"
    )
