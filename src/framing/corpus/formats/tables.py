"""CSV, TSV and Parquet tables: one article per row, read without a decoded copy."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from framing.corpus.decoding import _BOM16, _NEWLINES, _fallback_warning, _first_decode_error
from framing.corpus.options import spell, spell_unset
from framing.corpus.problems import FileProblem, RecordProblem

__all__ = ["read_table"]


def read_table(
    text: str | None,
    *,
    name: str,
    fmt: str,
    path: Path | None = None,
    string_columns: tuple[str, ...] = (),
    skip_bad_lines: bool = False,
    raw: bytes | None = None,
    encoding: str | None = None,
    on_warning: Callable[[str], None] | None = None,
) -> tuple[pd.DataFrame, list[RecordProblem]]:
    """Read a CSV, TSV or Parquet table.

    CSV/TSV bytes are handed to :func:`pandas.read_csv` as they are (no decoded
    copy of the file is made): UTF-8 with an optional byte-order mark first; only
    if pandas meets a :class:`UnicodeDecodeError` is the file parsed again as
    Windows-1252, then Latin-1, as :func:`decode_bytes` does, and ``on_warning``
    is called with a message naming the file and the first bad byte. A UTF-16
    byte-order mark selects UTF-16. Line endings inside string values
    (``\\r\\n``, ``\\r``) are normalised to ``\\n``.

    Parameters
    ----------
    text : str or None
        Decoded CSV/TSV text; ``None`` for Parquet, or to parse ``raw`` instead.
    name : str
        File name for messages.
    fmt : {"csv", "tsv", "parquet"}
        The format.
    path : Path, optional
        The Parquet file.
    string_columns : tuple of str
        Columns read as Python strings (``object`` dtype: the mapped and default
        text, id and metadata fields), so that ids like ``007`` keep their zeros and
        the article text is not copied into Arrow buffers. Other columns get
        pandas' type inference.
    skip_bad_lines : bool
        If True, rows with the wrong number of fields are returned as problems
        instead of raising.
    raw : bytes, optional
        The file's bytes, parsed when ``text`` is None.
    encoding : str, optional
        A Python codec name for ``raw``; ``None`` detects (see above).
    on_warning : callable, optional
        Called with a message when a fallback encoding was used.

    Raises
    ------
    FileProblem
        If the table cannot be parsed (the message names the file and the line), or
        ``raw`` is not valid in the given ``encoding``.
    """
    if fmt == "parquet":
        try:
            return pd.read_parquet(path), []
        except Exception as exc:
            raise FileProblem("unreadable Parquet", f"{name}: {exc}") from exc
    if text is not None:
        raw, encoding = text.encode("utf-8"), "utf-8"  # bytes: 1 byte per ASCII char
    assert raw is not None
    sep = "\t" if fmt == "tsv" else ","
    # Missing columns in a dtype mapping are ignored by pandas: no header pre-parse.
    dtype = dict.fromkeys(string_columns, object) or None
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise FileProblem(
                "undecodable",
                f"{name}: cannot decode with {spell('encoding', encoding)} ({exc}); "
                f"pass the file's real encoding or {spell_unset('encoding')} to detect it",
            ) from exc
        candidates = [encoding]
    elif raw.startswith(_BOM16):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8-sig", "cp1252", "latin-1"]
    for i, enc in enumerate(candidates):
        try:
            table, problems = _parse_delimited(raw, name, sep, dtype, enc, skip_bad_lines)
        except UnicodeDecodeError as exc:
            if i + 1 < len(candidates):
                continue
            err = _first_decode_error(raw, enc) or exc
            reason = "undecodable"
            if encoding:
                raise FileProblem(
                    reason,
                    f"{name}: cannot decode with {spell('encoding', encoding)} ({err}); "
                    f"pass the file's real encoding or {spell_unset('encoding')} to detect it",
                ) from exc
            raise FileProblem(reason, f"{name}: cannot decode as {enc} ({err})") from exc
        if i and on_warning is not None:
            on_warning(_fallback_warning(name, raw, enc))
        break
    first = table.columns[0] if len(table.columns) else None
    if isinstance(first, str) and first.startswith("\ufeff"):  # a BOM the codec kept
        table = table.rename(columns={first: first[1:]})
    return _normalise_newlines(table), problems


def _parse_delimited(
    raw: bytes,
    name: str,
    sep: str,
    dtype: dict[str, Any] | None,
    encoding: str,
    skip_bad_lines: bool,
) -> tuple[pd.DataFrame, list[RecordProblem]]:
    """Parse CSV/TSV bytes with pandas in one codec; decoding errors propagate."""
    try:
        return pd.read_csv(io.BytesIO(raw), sep=sep, dtype=dtype, encoding=encoding), []
    except pd.errors.EmptyDataError as exc:
        raise FileProblem("empty file", f"{name}: no header and no rows") from exc
    except pd.errors.ParserError as exc:
        if not skip_bad_lines:
            raise FileProblem(
                "malformed table",
                f"{name}: {str(exc).strip()}. Fix the row (often an unquoted separator or quote) "
                f"or pass {spell('errors', 'skip')} to skip malformed rows.",
            ) from exc
    n_header = len(pd.read_csv(io.BytesIO(raw), sep=sep, encoding=encoding, nrows=0).columns)
    bad_rows = _bad_rows(raw, sep, encoding, n_header)
    problems: list[RecordProblem] = []

    def on_bad(fields: list[str]) -> None:
        k = len(problems)
        row, line = bad_rows[k] if k < len(bad_rows) else (0, 0)
        where = f"{name}, line {line} (row {row})" if line else name
        problems.append(
            RecordProblem(
                row,
                "malformed row",
                f"{where}: the row has {len(fields)} fields, the header has {n_header}: "
                f"{sep.join(fields)[:120]!r}",
            )
        )
        return None

    table = pd.read_csv(
        io.BytesIO(raw),
        sep=sep,
        dtype=dtype,
        encoding=encoding,
        engine="python",
        on_bad_lines=on_bad,
    )
    if len(problems) != len(bad_rows):  # the scan disagrees with pandas: no numbers
        problems = [RecordProblem(0, p.reason, p.detail) for p in problems]
    return table, problems


def _bad_rows(raw: bytes, sep: str, encoding: str, n_header: int) -> list[tuple[int, int]]:
    """Return ``(row number, first line)`` of each row whose field count is wrong.

    Rows are numbered from 1 after the header, blank lines not counted, as in
    ``source_path`` (``#row<n>``); lines are the file's 1-based line numbers. The
    scan uses :mod:`csv`, the parser of pandas' Python engine, so both see the same
    rows.
    """
    reader = csv.reader(io.StringIO(raw.decode(encoding)), delimiter=sep)
    bad = []
    row = 0
    end = 0
    for i, fields in enumerate(reader):
        start, end = end + 1, reader.line_num
        if i == 0 or not fields:
            continue
        row += 1
        if len(fields) > n_header:
            bad.append((row, start))
    return bad


def _normalise_newlines(table: pd.DataFrame) -> pd.DataFrame:
    """Replace ``\\r\\n`` and ``\\r`` by ``\\n`` in string values (only columns that have one)."""
    for column in table.columns:
        values = table[column]
        if values.dtype == object:
            if any(isinstance(v, str) and "\r" in v for v in values.array):
                table[column] = pd.Series(
                    [
                        _NEWLINES.sub("\n", v) if isinstance(v, str) and "\r" in v else v
                        for v in values.array
                    ],
                    index=values.index,
                    dtype=object,
                )
        elif isinstance(values.dtype, pd.StringDtype):
            if values.str.contains("\r", regex=False).any():
                table[column] = values.str.replace(_NEWLINES.pattern, "\n", regex=True)
    return table
