"""The two central tables, ``articles`` and ``units``: documented and validated here.

Every analysis in :mod:`framing` receives one of these tables and returns a new
tidy table keyed by ``article_id`` (and ``unit_id`` for unit-level tables).

``articles``: one row per article
---------------------------------
========================  =====================  ===========================================
column                    dtype                  meaning
========================  =====================  ===========================================
``article_id``            str, unique, non-null  stable key derived from the source path or
                                                 record id, never from row order
``outlet``                str                    the publishing outlet (the unit of comparison);
                                                 ``""`` when it could not be determined
``published``             datetime64[ns]         publication date-time, timezone-naive (UTC
                                                 when the source gave a zone); ``NaT`` if unknown
``title``                 str                    headline; ``""`` when unknown
``author``                str                    byline name(s); ``""`` when unknown
``url``                   str                    canonical URL; ``""`` when unknown
``text``                  str, non-null          the cleaned article body (site chrome removed)
``n_words``               int64                  whitespace-token count of ``text``
``source_path``           str                    the file the article came from (plus ``#line``
                                                 or ``#row`` for multi-record files)
========================  =====================  ===========================================

Any further columns are metadata passed through unchanged from the source.

Tables made by :func:`framing.load_corpus` and :func:`framing.split_units` hold
their strings in pandas' default ``str`` dtype (Arrow storage, ``NaN`` when
missing), each text column in one contiguous buffer; tables built by hand may
use ``object`` columns of Python strings, which validate the same way.

``units``: one row per sentence or paragraph
--------------------------------------------
=================  ===================================================================
column             meaning
=================  ===================================================================
``article_id``     the article the unit belongs to
``unit_id``        ``"<article_id>:<s|p><position>"``; unique across the table
``unit``           ``"sentence"`` or ``"paragraph"``
``position``       0-based position of the unit within its article
``text``           the unit's text (whitespace inside it collapsed to single spaces)
``outlet``         copied from ``articles``
``published``      copied from ``articles``
=================  ===================================================================
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "ARTICLE_COLUMNS",
    "UNIT_COLUMNS",
    "SchemaError",
    "is_missing",
    "validate_articles",
    "validate_units",
]

ARTICLE_COLUMNS: tuple[str, ...] = (
    "article_id",
    "outlet",
    "published",
    "title",
    "author",
    "url",
    "text",
    "n_words",
    "source_path",
)
UNIT_COLUMNS: tuple[str, ...] = (
    "article_id",
    "unit_id",
    "unit",
    "position",
    "text",
    "outlet",
    "published",
)
_STRING_COLUMNS = ("article_id", "outlet", "title", "author", "url", "text", "source_path")


class SchemaError(ValueError):
    """A table does not follow the documented schema."""


def _require_columns(table: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise SchemaError(
            f"the {name} table is missing column(s) {missing}; "
            f"it has {list(table.columns)}. See framing.schema for the schema."
        )


def _require_unique(table: pd.DataFrame, column: str, name: str) -> None:
    values = table[column]
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        # Checked by sorting in Arrow: pandas' duplicated() and Arrow's hash kernels
        # take several times the column's size for a few hundred thousand ids.
        import pyarrow.compute as pc

        # Nulls sort last and never compare equal; two or more of them repeat.
        arrow = values.array._pa_array
        ordered = arrow.take(pc.sort_indices(arrow))
        repeats = len(ordered) > 1 and pc.any(pc.equal(ordered[1:], ordered[:-1])).as_py()
        if not repeats and arrow.null_count <= 1:
            return
    dup = values[values.duplicated(keep=False)]
    if len(dup):
        examples = sorted(set(map(str, dup)))[:5]
        raise SchemaError(
            f"{name}.{column} must be unique; {dup.nunique()} value(s) repeat, "
            f"e.g. {examples}. Pass distinct ids or let load_corpus derive them."
        )


def validate_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """Check that ``articles`` follows the schema and return it unchanged.

    Parameters
    ----------
    articles : pandas.DataFrame
        A table that should follow the ``articles`` schema in :mod:`framing.schema`.

    Returns
    -------
    pandas.DataFrame
        The same object, for chaining.

    Raises
    ------
    SchemaError
        If a column is missing, ``article_id`` is null or repeated, ``text`` is
        null, ``published`` is not a timezone-naive datetime, or ``n_words`` is not
        an integer column.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"article_id": ["a"], "outlet": ["x"],
    ...                   "published": pd.to_datetime(["2025-05-15"]), "title": [""],
    ...                   "author": [""], "url": [""], "text": ["Hi."],
    ...                   "n_words": [1], "source_path": ["a.txt"]})
    >>> validate_articles(t) is t
    True
    """
    _require_columns(articles, ARTICLE_COLUMNS, "articles")
    if articles["article_id"].isna().any():
        raise SchemaError("articles.article_id has missing values; every row needs an id")
    _require_unique(articles, "article_id", "articles")
    if articles["text"].isna().any():
        bad = articles.loc[articles["text"].isna(), "article_id"].tolist()[:5]
        raise SchemaError(f"articles.text is missing for {bad}; use '' for no text")
    published = articles["published"]
    if not pd.api.types.is_datetime64_dtype(published):
        raise SchemaError(
            f"articles.published must be timezone-naive datetime64, got {published.dtype}"
        )
    if not pd.api.types.is_integer_dtype(articles["n_words"]):
        raise SchemaError(f"articles.n_words must be integer, got {articles['n_words'].dtype}")
    for col in _STRING_COLUMNS:
        if isinstance(articles[col].dtype, pd.StringDtype):
            continue  # holds strings by construction
        values = articles[col].dropna()
        if len(values) and not all(isinstance(v, str) for v in values):
            raise SchemaError(f"articles.{col} must hold strings")
    return articles


def validate_units(units: pd.DataFrame, *, check_unique: bool = True) -> pd.DataFrame:
    """Check that ``units`` follows the schema and return it unchanged.

    Parameters
    ----------
    units : pandas.DataFrame
        A table that should follow the ``units`` schema in :mod:`framing.schema`.
    check_unique : bool, default=True
        Check that ``unit_id`` does not repeat. :func:`framing.split_units` passes
        ``False`` because it has already checked the article ids its unit ids are
        built from (the sort this check needs takes memory on large tables).

    Returns
    -------
    pandas.DataFrame
        The same object.

    Raises
    ------
    SchemaError
        If a column is missing, ``unit_id`` repeats, or ``unit`` holds a value
        other than ``"sentence"`` or ``"paragraph"``.
    """
    _require_columns(units, UNIT_COLUMNS, "units")
    if check_unique:
        _require_unique(units, "unit_id", "units")
    bad = set(units["unit"].dropna().unique()) - {"sentence", "paragraph"}
    if bad:
        raise SchemaError(f"units.unit must be 'sentence' or 'paragraph', got {sorted(bad)}")
    return units


def empty_articles() -> pd.DataFrame:
    """Return an empty ``articles`` table with the schema's columns and dtypes."""
    return pd.DataFrame(
        {
            "article_id": pd.Series(dtype="str"),
            "outlet": pd.Series(dtype="str"),
            "published": pd.Series(dtype="datetime64[ns]"),
            "title": pd.Series(dtype="str"),
            "author": pd.Series(dtype="str"),
            "url": pd.Series(dtype="str"),
            "text": pd.Series(dtype="str"),
            "n_words": pd.Series(dtype="int64"),
            "source_path": pd.Series(dtype="str"),
        }
    )


def is_missing(value: Any) -> bool:
    """Return True when one cell value means "no value": the one rule of the package.

    Missing: ``None``, ``NaN`` (Python or NumPy float), ``NaT`` (pandas or NumPy),
    ``pd.NA``, and a string that is empty or only whitespace. Everything else is a
    value, including ``0``, ``False``, lists and strings such as ``"nan"`` (a date
    parser may still treat such placeholders as no date; see
    :func:`framing.corpus.dates.parse_date`).

    Examples
    --------
    >>> [is_missing(v) for v in (None, float("nan"), pd.NaT, pd.NA, "  ", "x", 0, [])]
    [True, True, True, True, True, False, False, False]
    """
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (float, np.floating)):
        return bool(value != value)
    if isinstance(value, (np.datetime64, np.timedelta64)):
        return bool(np.isnat(value))
    return False
