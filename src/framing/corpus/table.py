"""The ``articles`` table from the reader's records: dates, outlets, columns, metadata."""

from __future__ import annotations

import warnings
from typing import Any

import pandas as pd

from framing._strings import StringBlocks
from framing.corpus.checks import no_outlet_message
from framing.corpus.dates import DateParseWarning, parse_date
from framing.corpus.fields import Record
from framing.corpus.options import LoadOptions, spell
from framing.corpus.outlets import normalise_outlets
from framing.corpus.report import _REMOVED_COLUMNS

__all__ = ["build_table", "removed_table"]


def parse_published(records: list[Record], opts: LoadOptions) -> tuple[pd.Series, list[str]]:
    """Parse every record's date; warn once per file with unparseable values."""
    cache: dict[Any, pd.Timestamp] = {}
    values = []
    bad: dict[str, list[str]] = {}
    for rec in records:
        raw = rec.published
        if raw is None:
            values.append(pd.NaT)
            continue
        if isinstance(raw, pd.Timestamp):
            values.append(raw.tz_convert("UTC").tz_localize(None) if raw.tzinfo else raw)
            continue
        key = raw if isinstance(raw, (str, int, float)) else repr(raw)
        if key not in cache:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DateParseWarning)
                cache[key] = parse_date(raw, dayfirst=opts.dayfirst)
        value = cache[key]
        if pd.isna(value):
            bad.setdefault(rec.file, []).append(str(raw))
        values.append(value)
    messages = []
    for file, raws in bad.items():
        examples = list(dict.fromkeys(raws))[:5]
        messages.append(
            f"{file}: {len(raws)} date(s) could not be parsed and were set to NaT, "
            f"e.g. {examples}; fix them, or pass {spell('dayfirst', True)} for day-first "
            "dates"
        )
    published = pd.to_datetime(pd.Series(values, dtype=object), utc=False)
    if published.dt.tz is not None:  # pragma: no cover - values are tz-naive
        published = published.dt.tz_convert("UTC").dt.tz_localize(None)
    return published.astype("datetime64[ns]"), messages


def build_table(
    records: list[Record], texts: StringBlocks, opts: LoadOptions, has_manifest: bool = False
) -> tuple[pd.DataFrame, list[str]]:
    """Build the ``articles`` table from ``records``; return it and warnings for the report.

    Dates are parsed once per distinct value, outlet names go through the alias map
    (the names before it in ``outlet_original``), bodies come from the reader's
    compact text store, and extra metadata fields follow the schema columns.
    """
    messages: list[str] = []
    published, date_messages = parse_published(records, opts)
    messages += date_messages
    raw_outlets = [r.outlet for r in records]
    outlets, outlet_messages = normalise_outlets(raw_outlets, opts.outlet_aliases)
    messages += outlet_messages
    no_outlet = [r.file for r, o in zip(records, outlets, strict=True) if not o]
    if no_outlet:
        messages.append(no_outlet_message(no_outlet, opts, has_manifest))

    # String columns use pandas' default ``str`` dtype (Arrow storage). The bodies
    # are already in the reader's compact store: no Python string per article.
    repaired: dict[str, int] = {}

    def strings(values: list[str], name: str) -> pd.Series:
        store = StringBlocks()
        store.extend(values)
        series = store.to_series()  # encodes (and repairs) the last block
        if store.n_replaced:
            repaired[name] = store.n_replaced
        return series

    kept = [r.text_index for r in records]
    text = texts.to_array(take=kept)
    n_text = len(set(texts.replaced).intersection(kept))
    if n_text:
        repaired["text"] = n_text
    columns: dict[str, Any] = {
        "article_id": strings([r.article_id for r in records], "article_id"),
        "outlet": strings(outlets, "outlet"),
        "published": published,
        "title": strings([r.title for r in records], "title"),
        "author": strings([r.author for r in records], "author"),
        "url": strings([r.url for r in records], "url"),
        "text": pd.Series(text, copy=False),
        "n_words": pd.Series([r.n_words for r in records], dtype="int64"),
        "source_path": strings([r.source_path for r in records], "source_path"),
        "standfirst": strings([r.standfirst for r in records], "standfirst"),
        "n_removed_lines": pd.Series([len(r.removed) for r in records], dtype="int64"),
    }
    if any(r.language for r in records):
        columns["language"] = strings([r.language for r in records], "language")
    if opts.outlet_aliases is not None and outlets != [" ".join(o.split()) for o in raw_outlets]:
        columns["outlet_original"] = strings(raw_outlets, "outlet_original")
    if repaired:
        messages.append(
            f"{sum(repaired.values())} value(s) held surrogate code points (invalid "
            "Unicode, e.g. from a JSON '\\ud800' escape), by column "
            f"{repaired}: a lone surrogate became U+FFFD, a split pair was joined"
        )
    table = pd.DataFrame(columns)
    meta_keys = list(dict.fromkeys(k for r in records for k in r.meta))
    if meta_keys:
        renamed = {}
        for key in meta_keys:
            if key in table.columns:
                renamed[key] = f"meta_{key}"
                messages.append(
                    f"metadata field {key!r} collides with an articles column and is "
                    f"kept as {renamed[key]!r}"
                )
        meta = pd.DataFrame.from_records([r.meta for r in records], columns=meta_keys)
        table = pd.concat([table, meta.rename(columns=renamed)], axis=1)
    return table, messages


def removed_table(records: list[Record]) -> pd.DataFrame:
    """Return the cleaning audit of ``records``: ``article_id, line_no, reason, text``."""
    rows = [
        (r.article_id, int(line.line_no), str(line.reason), str(line.text))
        for r in records
        for line in r.removed
    ]
    table = pd.DataFrame(rows, columns=_REMOVED_COLUMNS)
    table["line_no"] = table["line_no"].astype("int64")
    return table
