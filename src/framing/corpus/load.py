"""Load a corpus into the ``articles`` table, with a load report that hides nothing.

:func:`load_corpus` reads a folder (recursively) or a single file in any format of
:mod:`framing.corpus.files` (``.txt``, ``.html``/``.htm``, ``.json``, ``.jsonl``,
``.csv``/``.tsv``, ``.parquet``), maps each record's fields onto the ``articles``
schema (:mod:`framing.schema`), cleans scraped page text with
:func:`framing.corpus.clean.clean_page`, parses dates with
:func:`framing.corpus.dates.parse_dates`, normalises outlet names with an alias map, flags
duplicates with
:func:`framing.corpus.dedup.flag_duplicates` and validates the table once.

Every item the loader sees is either loaded or reported: the
:class:`LoadReport` at ``articles.attrs["load_report"]`` (see
:func:`get_load_report`) reconciles ``items_seen = articles_loaded + len(skipped)``,
lists each :class:`Skip` with its reason, every warning, and the lines the cleaner
removed (:func:`removed_lines`).

Article ids
-----------
``article_id`` is derived from the file's path relative to the corpus root without
its suffix (``nyt/2022-05-10-talks`` for ``nyt/2022-05-10-talks.txt``; the file stem
for a single-file source). Records of multi-record files get
``<path stem>:<n>``, where ``n`` is the JSONL line number, the CSV/TSV/Parquet row
number (1-based, header excluded) or the JSON list item number, matching the
``#L<n>`` / ``#row<n>`` suffix of ``source_path``. A mapped ``id=`` column wins.
Ids never depend on the order of the final table.

Manifest
--------
A folder corpus may hold a ``manifest.csv`` (columns ``file, outlet, published,
title, author, url, language`` plus any extra columns; only ``file`` is required;
``file`` is relative to the corpus folder). A non-empty manifest value fills or
overrides that field for every article of the file; extra columns become metadata
columns. A manifest row whose file does not exist is reported as a skip with a
warning (there is nothing to load for it). See ``corpus/README.md``.

References
----------
Barbaresi, A. (2021). Trafilatura: A Web Scraping Library and Command-Line Tool for
Text Discovery and Extraction. *Proceedings of ACL-IJCNLP 2021: System
Demonstrations*, 122-131. (HTML pages.)

Broder, A. Z. (1997). On the resemblance and containment of documents.
*Proceedings of Compression and Complexity of Sequences*, 21-29. (Near-duplicate
flags, via :mod:`framing.corpus.dedup`.)
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Mapping as AbcMapping
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from framing._strings import StringBlocks, release_free_memory
from framing.corpus.checks import (
    error_listing,
    extreme_articles,
    no_outlet_message,
    outlet_losses,
)
from framing.corpus.dates import DateParseWarning, parse_date
from framing.corpus.dedup import flag_duplicates
from framing.corpus.options import LoadOptions, spell
from framing.corpus.outlets import load_outlet_aliases, normalise_outlets
from framing.corpus.problems import CorpusError, CorpusWarning, Skip
from framing.corpus.reader import CorpusReader, Record
from framing.corpus.report import _REMOVED_COLUMNS, LoadReport
from framing.schema import validate_articles

__all__ = ["load_corpus"]


# --------------------------------------------------------------------------- assembly


def _parse_published(records: list[Record], opts: LoadOptions) -> tuple[pd.Series, list[str]]:
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


def _resolve_duplicate_ids(loader: CorpusReader) -> tuple[list[Record], list[str]]:
    """Keep the first record of each article id; return the records and the errors."""
    seen: dict[str, Record] = {}
    keep = []
    dups: dict[str, list[str]] = {}
    for rec in loader.records:
        first = seen.get(rec.article_id)
        if first is None:
            seen[rec.article_id] = rec
            keep.append(rec)
        else:
            dups.setdefault(rec.article_id, [first.source_path]).append(rec.source_path)
    if not dups:
        return keep, []
    if loader.opts.errors == "raise":
        hint = (
            f"ids must be unique: map a unique id column with {spell('id', '<column>')}, "
            "or leave the id out to derive ids from paths"
        )
        return keep, [f"article id {k!r} repeats in {v}; {hint}" for k, v in dups.items()]
    for article_id, sources in dups.items():
        for s in sources[1:]:
            # counted as seen when it was read; now reported as skipped instead
            loader.skipped.append(
                Skip(
                    s,
                    "duplicate id",
                    f"{s}: article id {article_id!r} is already used by {sources[0]}",
                )
            )
    return keep, []


def _build_table(
    records: list[Record], texts: StringBlocks, opts: LoadOptions, has_manifest: bool = False
) -> tuple[pd.DataFrame, list[str]]:
    messages: list[str] = []
    published, date_messages = _parse_published(records, opts)
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


def _removed_table(records: list[Record]) -> pd.DataFrame:
    rows = [
        (r.article_id, int(line.line_no), str(line.reason), str(line.text))
        for r in records
        for line in r.removed
    ]
    table = pd.DataFrame(rows, columns=_REMOVED_COLUMNS)
    table["line_no"] = table["line_no"].astype("int64")
    return table


def load_corpus(
    source: str | Path,
    *,
    text: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    author: str | None = None,
    url: str | None = None,
    id: str | None = None,
    outlet_from: Literal["auto", "column", "manifest", "filename", "folder"] = "auto",
    outlet_pattern: str | None = None,
    outlet_default: str = "",
    outlet_aliases: AbcMapping[str, Any] | str | Path | None = None,
    folder_column: str | None = None,
    dayfirst: bool = False,
    clean: bool | Literal["auto"] | None = None,
    manifest: str | Path | bool | None = None,
    errors: Literal["raise", "skip"] = "raise",
    encoding: str | None = None,
    language: str | None = None,
    drop_duplicates: bool = False,
) -> pd.DataFrame:
    """Load a corpus folder or file into the ``articles`` table.

    Parameters
    ----------
    source : str or Path
        A folder (read recursively, files in sorted path order; hidden files and
        folders ignored; README/LICENSE/PROVENANCE/CHANGELOG/COPYING files and
        unsupported suffixes reported as skipped) or a single file: ``.txt``,
        ``.html``/``.htm``, ``.json`` (one object or a list), ``.jsonl``,
        ``.csv``/``.tsv`` or ``.parquet``.
    text, title, outlet, published, author, url : str, optional
        The key/column of structured records (JSON, JSONL, CSV, TSV, Parquet)
        holding each field. A dotted key walks nested objects (``"source.name"``).
        Unmapped fields try :data:`DEFAULT_FIELDS` in order (text: ``text``,
        ``body``, ``content``, ``article``; title: ``title``, ``headline``; outlet:
        ``outlet``, ``source``, ``publisher``, ``sitename``; published:
        ``published``, ``date``, ``publish_date``, ``published_at``, ``pub_date``;
        author: ``author``, ``authors``, ``byline``; url: ``url``, ``link``). A
        mapped column missing from a table is an error listing the columns. A text
        value that is a list is joined: items are paragraphs (blank line between),
        nested lists are sentences (joined by a space).
    id : str, optional
        Key/column with a unique article id; it replaces the path-derived id.
    outlet_from : {"auto", "column", "manifest", "filename", "folder"}, default "auto"
        Where the outlet comes from. ``"auto"``: the manifest, else the outlet
        column (or an HTML page's site name). ``"column"``: only the column.
        ``"manifest"``: only the manifest. ``"filename"``: the file-name stem
        (``nyt.csv`` -> ``nyt``) or the first group of ``outlet_pattern``.
        ``"folder"``: the file's parent folder (``corpus/nyt/a.txt`` -> ``nyt``).
    outlet_pattern : str, optional
        Regular expression searched in the file-name stem; its first group is the
        outlet (implies ``outlet_from="filename"``), e.g. ``r"^([A-Za-z]+)_"``.
    outlet_default : str, default ""
        Outlet for articles no other source names (e.g. a single-outlet corpus).
    outlet_aliases : mapping or path, optional
        Alias map (see :func:`load_outlet_aliases`): ``{canonical: [aliases]}`` or
        ``{alias: canonical}``, or a YAML/CSV file. Matching ignores case, spacing
        and punctuation, so one entry merges ``thehuffingtonpost`` and ``The
        Huffington Post``. The names before mapping are kept in ``outlet_original``.
    folder_column : str, optional
        Store each file's parent-folder name in this metadata column (e.g.
        ``"category"`` when folders are topics, not outlets).
    dayfirst : bool, default False
        Read ambiguous numeric dates such as ``05/04/2022`` as day first.
    clean : bool or "auto", optional
        Remove site chrome with :func:`framing.corpus.clean.clean_page`. Default
        (``None``/``"auto"``): clean ``.txt`` and ``.html`` pages, not structured
        records. The cleaner's title, author, date and standfirst fill fields the
        record or manifest leaves empty; removed lines go to the load report.
    manifest : path or bool, optional
        A manifest CSV (see the module docstring). Default: ``<folder>/manifest.csv``
        when present; ``False`` ignores it.
    errors : {"raise", "skip"}, default "raise"
        What to do with a malformed record or unreadable file (malformed JSON/JSONL
        line, CSV parse error, missing mapped column, duplicate ids): raise
        :class:`CorpusError` naming the file and line/column, or skip it and list it
        in the load report. With ``"skip"``, a repeated id keeps the first copy in
        path order. Empty, whitespace-only, binary and documentation files, records
        with no text and manifest rows whose file is missing are always skipped and
        reported, never fatal.
    encoding : str, optional
        Codec of the files. Default: detect (BOM, UTF-8, then cp1252 and Latin-1
        with a warning naming the file).
    language : str, optional
        Language code for the ``language`` column where neither the manifest nor
        the page gives one.
    drop_duplicates : bool, default False
        Drop the rows :func:`framing.corpus.dedup.flag_duplicates` flags (they are then
        reported as skipped); otherwise only flag them in ``duplicate_of``.

    Returns
    -------
    pandas.DataFrame
        The ``articles`` table (:mod:`framing.schema`): ``article_id, outlet,
        published, title, author, url, text, n_words, source_path``, then
        ``standfirst``, ``n_removed_lines``, ``language`` (when known),
        ``outlet_original`` (when an alias map changed a name), every extra metadata
        field unchanged (renamed ``meta_<name>`` if it collides), and
        ``duplicate_of``/``duplicate_kind``. ``attrs["load_report"]`` holds the
        :class:`LoadReport`.

    Raises
    ------
    CorpusError
        If the source does not exist, an option is invalid, no article could be
        loaded, or (with ``errors="raise"``) an item is malformed.

    Warns
    -----
    CorpusWarning
        One summary warning when items were skipped or problems were found; the
        details are in the load report.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "talks.csv").write_text(
    ...     "headline,body,site\\nTalks stall,Negotiators left Geneva.,Daily\\n")
    >>> arts = load_corpus(folder, title="headline", text="body", outlet="site")
    >>> arts[["article_id", "outlet", "title", "n_words", "source_path"]]
      article_id outlet        title  n_words     source_path
    0    talks:1  Daily  Talks stall        3  talks.csv#row1
    """
    opts = LoadOptions(
        text=text,
        title=title,
        outlet=outlet,
        published=published,
        author=author,
        url=url,
        id=id,
        outlet_from=outlet_from,
        outlet_pattern=outlet_pattern,
        outlet_default=outlet_default,
        outlet_aliases=outlet_aliases,
        folder_column=folder_column,
        dayfirst=dayfirst,
        clean=clean,
        manifest=manifest,
        errors=errors,
        encoding=encoding,
        language=language,
        drop_duplicates=drop_duplicates,
    )
    return _load(Path(source), opts)


def _load(source: Path, opts: LoadOptions) -> pd.DataFrame:
    if not source.exists():
        raise CorpusError(f"corpus path {source} does not exist; pass a folder or a file")
    if opts.outlet_aliases is not None:
        load_outlet_aliases(opts.outlet_aliases)  # fail early on a bad alias map
    loader = CorpusReader(source, opts)
    loader.run()
    records, id_errors = _resolve_duplicate_ids(loader)
    if loader.errors or id_errors:
        raise error_listing(source, loader.errors + id_errors)
    for message in loader.id_warnings():
        loader.warn(message)
    if not records:
        reasons = Counter(s.reason for s in loader.skipped)
        raise CorpusError(
            f"no article could be loaded from {source}: {loader.items_seen} item(s) "
            f"seen, skipped: {dict(reasons) or 'nothing found'}. "
            f"Check the path, the format and the {spell('text', '<column>')} mapping."
        )
    table, messages = _build_table(records, loader.texts, opts, bool(loader.manifest))
    for message in messages:
        loader.warn(message)
    validate_articles(table)
    release_free_memory()  # reading and cleaning leave freed pages behind
    flagged = flag_duplicates(table, drop=False)
    is_dup = flagged["duplicate_of"] != ""
    n_dup = int(is_dup.sum())
    if opts.drop_duplicates and n_dup:
        for aid, src, of, kind in zip(
            flagged.loc[is_dup, "article_id"],
            flagged.loc[is_dup, "source_path"],
            flagged.loc[is_dup, "duplicate_of"],
            flagged.loc[is_dup, "duplicate_kind"],
            strict=True,
        ):
            loader.skipped.append(
                Skip(src, "duplicate article", f"{src} ({aid}): {kind} duplicate of {of}")
            )
        flagged = flagged.loc[~is_dup].reset_index(drop=True)
        kept = set(flagged["article_id"])
        records = [r for r in records if r.article_id in kept]
    # skipped items count under their outlet as named in the table (alias map applied)
    skip_outlets, _ = normalise_outlets([s.outlet for s in loader.skipped], opts.outlet_aliases)
    loader.skipped[:] = [
        replace(s, outlet=o) if o != s.outlet else s
        for s, o in zip(loader.skipped, skip_outlets, strict=True)
    ]
    for message in outlet_losses(flagged["outlet"], loader.skipped):
        loader.warn(message)
    for message in extreme_articles(flagged):
        loader.warn(message)
    report = LoadReport(
        source=str(source),
        items_seen=loader.items_seen,
        articles_loaded=len(flagged),
        skipped=loader.skipped,
        warnings=loader.warnings,
        removed_lines=_removed_table(records),
        n_duplicates=n_dup,
    )
    assert report.items_seen == report.articles_loaded + report.n_skipped, report
    flagged.attrs["load_report"] = report  # next to flag_duplicates' "dedup_report"
    release_free_memory()
    for message in report.warnings:
        warnings.warn(message, CorpusWarning, stacklevel=3)
    if report.skipped:
        warnings.warn(
            f"load_corpus({source}): loaded {report.articles_loaded} of "
            f"{report.items_seen} item(s); skipped {report.n_skipped} "
            f"{report.skipped_by_reason()}. {_see_skips(source)}",
            CorpusWarning,
            stacklevel=3,
        )
    return flagged


def _see_skips(source: Path) -> str:
    if spell("x", True) == "--x":  # the command line
        return f"`framing corpus {source}` lists them."
    return "See framing.corpus.get_load_report(articles)."
