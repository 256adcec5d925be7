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

from framing._strings import release_free_memory
from framing.corpus.checks import (
    error_listing,
    extreme_articles,
    outlet_losses,
    tokenised_articles,
)
from framing.corpus.dedup import flag_duplicates
from framing.corpus.fields import Record
from framing.corpus.options import LoadOptions, corpus_command, spell
from framing.corpus.outlets import load_outlet_aliases, normalise_outlets
from framing.corpus.problems import CorpusError, CorpusWarning, Skip
from framing.corpus.reader import CorpusReader
from framing.corpus.report import LoadReport
from framing.corpus.table import build_table, removed_table
from framing.schema import validate_articles

__all__ = ["load_corpus"]


# --------------------------------------------------------------------------- assembly


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
        ``text`` may name several keys (``"title,desc"`` or a list): their values
        are joined in order with a blank line between. Unmapped fields try
        :data:`DEFAULT_FIELDS` in order, an exact key first, then ignoring case
        (``Text``, ``BODY``) (text: ``text``,
        ``body``, ``content``, ``article``; title: ``title``, ``headline``; outlet:
        ``outlet``, ``source``, ``publisher``, ``sitename``; published:
        ``published``, ``date``, ``publish_date``, ``published_at``, ``pub_date``;
        author: ``author``, ``authors``, ``byline``; url: ``url``, ``link``). A
        mapped column missing from a table is an error listing the columns. A text
        value that is a list is joined: items are paragraphs (blank line between),
        nested lists are sentences (joined by a space).
    id : str, optional
        Key/column with a unique article id; it replaces the path-derived id.
        When unmapped, a column that looks like an id (``id``, ``article_id``,
        ``uuid``, ... in any case) is only checked: repeated values are warned
        about, nothing is dropped.
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
        Remove site chrome, listing every removed line in the load report
        (:func:`removed_lines`). Default (``None``/``"auto"``): ``.txt`` and
        ``.html`` pages go through the page cleaner
        (:func:`framing.corpus.clean.clean_page`: header, story lists, chrome),
        and bodies of structured records (CSV, TSV, JSON, JSONL, Parquet) through
        the line cleaner (:func:`framing.corpus.clean.clean_lines`), which removes
        only lines that are chrome on their own (player controls, share and
        newsletter prompts, "Read more" links) and keeps every other line as it
        is. ``True``: the page cleaner on every body. ``False``: every text as it
        is (before version 0.3 the default left structured records uncleaned; pass
        ``False`` for that). The page cleaner's title, author, date and standfirst
        fill fields the record or manifest leaves empty.
    manifest : path or bool, optional
        A manifest CSV (see the module docstring). Default: ``<folder>/manifest.csv``
        when present; ``False`` ignores it.
    errors : {"raise", "skip"}, default "raise"
        What to do with a malformed record or unreadable file (malformed JSON/JSONL
        line, CSV parse error, missing mapped column, duplicate ids): with
        ``"raise"``, the whole corpus is read first and one :class:`CorpusError`
        lists every such problem, naming file and line/column; with ``"skip"``,
        each is skipped and listed in the load report, and a repeated id keeps
        the first copy in path order. Empty, whitespace-only, binary and
        documentation files, records with no text and manifest rows whose file is
        missing are always skipped and reported, never fatal.
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
    for message in loader.ids.warnings():
        loader.warn(message)
    if not records:
        reasons = Counter(s.reason for s in loader.skipped)
        raise CorpusError(
            f"no article could be loaded from {source}: {loader.items_seen} item(s) "
            f"seen, skipped: {dict(reasons) or 'nothing found'}. "
            f"Check the path, the format and the {spell('text', '<column>')} mapping."
        )
    table, messages = build_table(records, loader.texts, opts, bool(loader.manifest))
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
    for message in extreme_articles(flagged) + tokenised_articles(flagged):
        loader.warn(message)
    report = LoadReport(
        source=str(source),
        items_seen=loader.items_seen,
        articles_loaded=len(flagged),
        skipped=loader.skipped,
        warnings=loader.warnings,
        removed_lines=removed_table(records),
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
        return f"`{corpus_command(source)}` lists them."
    return "See framing.corpus.get_load_report(articles)."
