"""Load a corpus into the ``articles`` table, with a load report that hides nothing.

:func:`load_corpus` reads a folder (recursively) or a single file in any format of
:mod:`framing.corpus.readers` (``.txt``, ``.html``/``.htm``, ``.json``, ``.jsonl``,
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

import argparse
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterable
from collections.abc import Mapping as AbcMapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from framing._strings import StringBlocks, release_free_memory
from framing.corpus.readers import (
    _OUTLET_FROM,
    DEFAULT_FIELDS,
    MANIFEST_COLUMNS,
    CorpusError,
    CorpusReader,
    CorpusWarning,
    LoadOptions,
    Record,
    Skip,
)
from framing.schema import validate_articles

__all__ = [
    "DEFAULT_FIELDS",
    "MANIFEST_COLUMNS",
    "CorpusError",
    "CorpusWarning",
    "LoadOptions",
    "LoadReport",
    "Skip",
    "add_mapping_arguments",
    "format_summary",
    "get_load_report",
    "load_corpus",
    "load_outlet_aliases",
    "mapping_from_args",
    "normalise_outlets",
    "outlet_key",
    "removed_lines",
    "summarize_corpus",
]

_REMOVED_COLUMNS = ["article_id", "line_no", "reason", "text"]


@dataclass(eq=False)
class LoadReport(dict):
    """What :func:`load_corpus` saw, loaded, skipped and warned about.

    ``items_seen == articles_loaded + len(skipped)`` always holds. An item is a
    single-article file, a record of a multi-record file, a whole file that could
    not be read, or a manifest row whose file is missing. The report is a record
    attached to the table: copying the table shares it (it is not deep-copied),
    and two reports are equal only if they are the same object.

    As a mapping, the report holds its :meth:`summary` (counts only), so that
    pandas can store the table's ``attrs`` as JSON: ``articles.to_parquet(...)``
    keeps the summary, and ``pd.read_parquet`` gives it back as a plain ``dict``.

    Attributes
    ----------
    source : str
        The corpus path as given.
    items_seen, articles_loaded : int
        Counts.
    skipped : list of Skip
        Every item not loaded, with its reason.
    warnings : list of str
        Every warning issued while loading (decoding fallbacks, unparseable dates,
        unmapped outlet names, ...).
    removed_lines : pandas.DataFrame
        The cleaning audit: ``article_id, line_no, reason, text``, one row per line
        :func:`framing.corpus.clean.clean_page` removed from a loaded article.
    n_duplicates : int
        Articles flagged as duplicates (or dropped, with ``drop_duplicates=True``).
    """

    source: str
    items_seen: int
    articles_loaded: int
    skipped: list[Skip] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    removed_lines: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=_REMOVED_COLUMNS)
    )
    n_duplicates: int = 0

    def __post_init__(self) -> None:
        self.update(self.summary())

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    __hash__ = object.__hash__

    def __deepcopy__(self, memo: dict[int, Any]) -> LoadReport:
        return self  # a read-only record; pandas deep-copies attrs on every operation

    def __copy__(self) -> LoadReport:
        return self

    @property
    def n_skipped(self) -> int:
        """Number of items not loaded."""
        return len(self.skipped)

    def skipped_by_reason(self) -> dict[str, int]:
        """Return ``{reason: count}`` over the skipped items, most frequent first."""
        return dict(Counter(s.reason for s in self.skipped).most_common())

    def summary(self) -> dict[str, Any]:
        """Return the counts of the report as plain, JSON-ready values."""
        return {
            "source": self.source,
            "items_seen": self.items_seen,
            "articles_loaded": self.articles_loaded,
            "n_skipped": self.n_skipped,
            "skipped_by_reason": self.skipped_by_reason(),
            "n_duplicates": self.n_duplicates,
            "n_removed_lines": len(self.removed_lines),
            "n_warnings": len(self.warnings),
        }

    def to_frame(self) -> pd.DataFrame:
        """Return the skipped items as a table ``source, reason, detail``."""
        return pd.DataFrame(
            [(s.source, s.reason, s.detail) for s in self.skipped],
            columns=["source", "reason", "detail"],
        )

    def __str__(self) -> str:
        lines = [
            f"Load report for {self.source}",
            f"  items seen:      {self.items_seen}",
            f"  articles loaded: {self.articles_loaded}",
            f"  items skipped:   {self.n_skipped}",
        ]
        for reason, n in self.skipped_by_reason().items():
            lines.append(f"    {n:>5}  {reason}")
        for s in self.skipped[:10]:
            lines.append(f"      - {s.detail}")
        if self.n_skipped > 10:
            lines.append(f"      ... and {self.n_skipped - 10} more (report.to_frame())")
        lines.append(f"  duplicates flagged: {self.n_duplicates}")
        lines.append(f"  lines removed by cleaning: {len(self.removed_lines)}")
        if self.warnings:
            lines.append(f"  warnings: {len(self.warnings)}")
            lines.extend(f"    - {w}" for w in self.warnings[:10])
            if len(self.warnings) > 10:
                lines.append(f"    ... and {len(self.warnings) - 10} more")
        return "\n".join(lines)


# --------------------------------------------------------------------------- outlets


def outlet_key(name: str) -> str:
    """Return the matching key of an outlet name: NFKC, case-folded, letters/digits only.

    Examples
    --------
    >>> outlet_key("The Huffington Post") == outlet_key("thehuffingtonpost")
    True
    """
    text = unicodedata.normalize("NFKC", str(name)).casefold()
    return re.sub(r"[\W_]+", "", text)


def _alias_pairs(data: Any, origin: str) -> Iterable[tuple[str, str]]:
    if not isinstance(data, AbcMapping):
        raise CorpusError(
            f"{origin}: an outlet alias map must be a mapping of canonical name -> list "
            "of aliases, or alias -> canonical name"
        )
    if "aliases" in data and isinstance(data["aliases"], AbcMapping):
        data = data["aliases"]
    for key, value in data.items():
        if isinstance(value, str):
            yield str(key), value
        elif isinstance(value, (list, tuple)):
            yield str(key), str(key)
            for alias in value:
                yield str(alias), str(key)
        else:
            raise CorpusError(
                f"{origin}: entry {key!r} must be a name or a list of aliases, "
                f"got {type(value).__name__}"
            )


def load_outlet_aliases(aliases: AbcMapping[str, Any] | str | Path) -> dict[str, str]:
    """Read an outlet alias map and return ``{outlet_key(alias): canonical name}``.

    Parameters
    ----------
    aliases : mapping or path
        Either ``{canonical: [alias, ...]}`` or ``{alias: canonical}`` (entries may
        mix both forms), as a Python mapping, a YAML file (the same structure, at the
        top level or under an ``aliases:`` key, so the file can also carry ``name``,
        ``version`` and ``source``) or a CSV file with columns ``alias, outlet``. A
        canonical name is also an alias of itself.

    Returns
    -------
    dict
        Keys are :func:`outlet_key` of each alias, values the canonical names.

    Raises
    ------
    CorpusError
        If the file is missing or malformed, or one alias maps to two names.

    Examples
    --------
    >>> load_outlet_aliases({"HuffPost": ["thehuffingtonpost"]})["thehuffingtonpost"]
    'HuffPost'
    """
    origin = "outlet_aliases"
    if isinstance(aliases, (str, Path)):
        path = Path(aliases)
        origin = str(path)
        if not path.is_file():
            raise CorpusError(f"outlet alias file {path} does not exist")
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError as exc:
                raise CorpusError(f"{path}: malformed YAML ({exc})") from exc
            pairs = list(_alias_pairs(data, origin))
        elif path.suffix.lower() == ".csv":
            table = pd.read_csv(path, dtype=str, keep_default_na=False)
            if not {"alias", "outlet"} <= set(table.columns):
                raise CorpusError(
                    f"{path}: an alias CSV needs columns 'alias' and 'outlet'; it has "
                    f"{list(table.columns)}"
                )
            pairs = [(o, o) for o in table["outlet"]]
            pairs += list(zip(table["alias"], table["outlet"], strict=True))
        else:
            raise CorpusError(f"{path}: outlet aliases must be a .yaml, .yml or .csv file")
    else:
        pairs = list(_alias_pairs(aliases, origin))
    result: dict[str, str] = {}
    for alias, canonical in pairs:
        key = outlet_key(alias)
        if not key:
            continue
        if key in result and result[key] != canonical:
            raise CorpusError(
                f"{origin}: alias {alias!r} maps to both {result[key]!r} and "
                f"{canonical!r}; keep one"
            )
        result[key] = canonical
    return result


def normalise_outlets(
    outlets: Iterable[str], aliases: AbcMapping[str, Any] | str | Path | None = None
) -> tuple[list[str], list[str]]:
    """Map outlet names through an alias map; report names that still look alike.

    Whitespace is collapsed in every name. With an alias map, a name whose
    :func:`outlet_key` is an alias becomes the canonical name; other names are
    kept as they are. Names that differ only in case, spacing or punctuation and are
    not merged by the map are kept apart and reported.

    Returns
    -------
    names : list of str
        The normalised names, in input order.
    messages : list of str
        Warnings for the load report.

    Examples
    --------
    >>> normalise_outlets(["thehuffingtonpost", "The Huffington Post"],
    ...                   {"HuffPost": ["the huffington post"]})[0]
    ['HuffPost', 'HuffPost']
    """
    table = load_outlet_aliases(aliases) if aliases is not None else {}
    mapping: dict[str, str] = {}
    unmapped: dict[str, set[str]] = {}
    for raw in dict.fromkeys(outlets):
        name = " ".join(str(raw).split())
        key = outlet_key(name)
        if key and key in table:
            mapping[raw] = table[key]
        else:
            mapping[raw] = name
            if key:
                unmapped.setdefault(key, set()).add(name)
    messages = []
    if table:
        names = sorted({n for group in unmapped.values() for n in group})
        if names:
            messages.append(
                f"{len(names)} outlet name(s) are not in the alias map and were kept as "
                f"they are: {names[:20]}{' ...' if len(names) > 20 else ''}"
            )
    alike = [sorted(group) for group in unmapped.values() if len(group) > 1]
    if alike:
        messages.append(
            f"{len(alike)} group(s) of outlet names differ only in case, spacing or "
            f"punctuation and count as different outlets: {alike[:10]}"
            f"{' ...' if len(alike) > 10 else ''}; merge them with outlet_aliases"
        )
    return [mapping[o] for o in outlets], messages


# --------------------------------------------------------------------------- assembly


def _parse_published(records: list[Record], opts: LoadOptions) -> tuple[pd.Series, list[str]]:
    """Parse every record's date; warn once per file with unparseable values."""
    from framing.corpus.dates import DateParseWarning, parse_date

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
            f"e.g. {examples}; fix them, or pass dayfirst=True for day-first dates"
        )
    published = pd.to_datetime(pd.Series(values, dtype=object), utc=False)
    if published.dt.tz is not None:  # pragma: no cover - values are tz-naive
        published = published.dt.tz_convert("UTC").dt.tz_localize(None)
    return published.astype("datetime64[ns]"), messages


def _resolve_duplicate_ids(loader: CorpusReader) -> list[Record]:
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
        return keep
    examples = "; ".join(f"{k!r} in {v}" for k, v in list(dups.items())[:5])
    if loader.opts.errors == "raise":
        raise CorpusError(
            f"{len(dups)} article id(s) repeat: {examples}. Ids must be unique: map a "
            "unique id column with id=, drop id= to derive ids from paths, or pass "
            "errors='skip' to keep the first copy of each id (in path order)"
        )
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
    return keep


def _build_table(
    records: list[Record], texts: StringBlocks, opts: LoadOptions
) -> tuple[pd.DataFrame, list[str]]:
    messages: list[str] = []
    published, date_messages = _parse_published(records, opts)
    messages += date_messages
    raw_outlets = [r.outlet for r in records]
    outlets, outlet_messages = normalise_outlets(raw_outlets, opts.outlet_aliases)
    messages += outlet_messages
    n_no_outlet = sum(1 for o in outlets if not o)
    if n_no_outlet:
        messages.append(
            f"{n_no_outlet} article(s) have no outlet; give one with a manifest, "
            "outlet=<column>, outlet_from='filename'/'folder' or outlet_default="
        )

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
    records = _resolve_duplicate_ids(loader)
    if not records:
        reasons = Counter(s.reason for s in loader.skipped)
        raise CorpusError(
            f"no article could be loaded from {source}: {loader.items_seen} item(s) "
            f"seen, skipped: {dict(reasons) or 'nothing found'}. "
            "Check the path, the format and the text= mapping."
        )
    table, messages = _build_table(records, loader.texts, opts)
    for message in messages:
        loader.warn(message)
    validate_articles(table)
    release_free_memory()  # reading and cleaning leave freed pages behind
    from framing.corpus.dedup import flag_duplicates

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
            f"{report.skipped_by_reason()}. See framing.corpus.get_load_report(articles).",
            CorpusWarning,
            stacklevel=3,
        )
    return flagged


# --------------------------------------------------------------------------- reports


def get_load_report(articles: pd.DataFrame) -> LoadReport:
    """Return the :class:`LoadReport` that :func:`load_corpus` attached to ``articles``.

    Raises
    ------
    CorpusError
        If the table carries no report (it was not made by :func:`load_corpus`, or a
        pandas operation such as ``concat`` of differently loaded tables dropped
        ``attrs``).
    """
    report = articles.attrs.get("load_report")
    if not isinstance(report, LoadReport):
        raise CorpusError(
            "this table has no load report: it is attached by load_corpus() at "
            "attrs['load_report'] and some pandas operations drop attrs; "
            "keep the table returned by load_corpus()"
        )
    return report


def removed_lines(articles: pd.DataFrame, article_id: str | None = None) -> pd.DataFrame:
    """Show what the cleaner removed: ``article_id, line_no, reason, text``.

    Parameters
    ----------
    articles : pandas.DataFrame
        A table returned by :func:`load_corpus`.
    article_id : str, optional
        Only this article's lines.

    Returns
    -------
    pandas.DataFrame
        One row per removed line, in article and line order; ``line_no`` is 1-based
        in the text the cleaner received: the file as read for ``.txt`` pages, the
        extracted text (paragraphs separated by blank lines) for HTML pages and
        structured records.
    """
    table = get_load_report(articles).removed_lines
    if article_id is not None:
        if article_id not in set(articles["article_id"]):
            raise CorpusError(f"no article {article_id!r} in this table")
        table = table[table["article_id"] == article_id]
    return table.reset_index(drop=True)


def _iso(value: Any) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def summarize_corpus(articles: pd.DataFrame) -> dict[str, Any]:
    """Summarise a loaded corpus: outlets, dates, word counts, duplicates, skips.

    Returns
    -------
    dict
        JSON-serialisable: ``n_articles``, ``articles_per_outlet`` (most first),
        ``outlet_dates`` (``{outlet: [first, last]}``, ISO dates or None),
        ``date_min``/``date_max`` (ISO dates or None), ``n_undated``, ``words``
        (``min``, ``median``, ``max``, ``total``), ``n_duplicates``, and from the load
        report (when present) ``source``, ``items_seen``, ``n_skipped``,
        ``skipped_by_reason``, ``skipped`` (list of ``{source, reason, detail}``),
        ``n_removed_lines`` and ``warnings``.
    """
    words = articles["n_words"]
    dates = articles["published"].dropna()
    counts = articles["outlet"].value_counts()
    by_outlet = articles.groupby("outlet")["published"].agg(["min", "max"])
    summary: dict[str, Any] = {
        "n_articles": len(articles),
        "articles_per_outlet": {str(k): int(v) for k, v in counts.items()},
        "outlet_dates": {
            str(k): [_iso(by_outlet.loc[k, "min"]), _iso(by_outlet.loc[k, "max"])]
            for k in counts.index
        },
        "date_min": dates.min().date().isoformat() if len(dates) else None,
        "date_max": dates.max().date().isoformat() if len(dates) else None,
        "n_undated": int(articles["published"].isna().sum()),
        "words": {
            "min": int(words.min()) if len(words) else 0,
            "median": float(words.median()) if len(words) else 0.0,
            "max": int(words.max()) if len(words) else 0,
            "total": int(words.sum()),
        },
        "n_duplicates": int((articles["duplicate_of"] != "").sum())
        if "duplicate_of" in articles
        else 0,
    }
    report = articles.attrs.get("load_report")
    if isinstance(report, LoadReport):
        summary.update(
            source=report.source,
            items_seen=report.items_seen,
            n_skipped=report.n_skipped,
            skipped_by_reason=report.skipped_by_reason(),
            skipped=[
                {"source": s.source, "reason": s.reason, "detail": s.detail}
                for s in report.skipped
            ],
            n_removed_lines=len(report.removed_lines),
            warnings=list(report.warnings),
        )
        summary["n_duplicates"] = max(summary["n_duplicates"], report.n_duplicates)
    return summary


def format_summary(summary: AbcMapping[str, Any], *, max_items: int = 20) -> str:
    """Format :func:`summarize_corpus` output as plain text for the terminal."""
    lines = []
    if summary.get("source"):
        lines.append(f"Corpus: {summary['source']}")
    lines.append(f"Articles: {summary['n_articles']}")
    lines.append("Articles per outlet:")
    per_outlet = list(summary["articles_per_outlet"].items())
    width = max([len(o or "(none)") for o, _ in per_outlet] + [6])
    dates = summary.get("outlet_dates", {})
    for outlet, n in per_outlet[:max_items]:
        first, last = dates.get(outlet, [None, None])
        span = f"  {first} to {last}" if first else "  (no dates)"
        lines.append(f"  {outlet or '(none)':<{width}}  {n:>7}{span}")
    if len(per_outlet) > max_items:
        lines.append(f"  ... and {len(per_outlet) - max_items} more outlets")
    if summary["date_min"]:
        lines.append(
            f"Dates: {summary['date_min']} to {summary['date_max']} "
            f"({summary['n_undated']} undated)"
        )
    else:
        lines.append(f"Dates: none known ({summary['n_undated']} undated)")
    w = summary["words"]
    lines.append(
        f"Words per article: min {w['min']}, median {w['median']:g}, max {w['max']}; "
        f"total {w['total']}"
    )
    lines.append(f"Duplicates flagged: {summary['n_duplicates']}")
    if "items_seen" in summary:
        lines.append(
            f"Items seen: {summary['items_seen']}, loaded: {summary['n_articles']}, "
            f"skipped: {summary['n_skipped']}"
        )
        for reason, n in summary["skipped_by_reason"].items():
            lines.append(f"  {n:>7}  {reason}")
        for s in summary["skipped"][:max_items]:
            lines.append(f"    - {s['detail']}")
        if len(summary["skipped"]) > max_items:
            lines.append(f"    ... and {len(summary['skipped']) - max_items} more")
        lines.append(f"Lines removed by cleaning: {summary['n_removed_lines']}")
        if summary["warnings"]:
            lines.append(f"Warnings ({len(summary['warnings'])}):")
            lines.extend(f"  - {m}" for m in summary["warnings"][:max_items])
    return "\n".join(lines)


# --------------------------------------------------------------------------- CLI glue


# (option, keyword arguments of ArgumentParser.add_argument); dest is map_<field>.
_CLI_OPTIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    *(
        (f"--{name}", {"metavar": "KEY", "help": f"column/key holding the {name} in records"})
        for name in ("text", "title", "outlet", "published", "author", "url", "id")
    ),
    ("--outlet-from", {"choices": _OUTLET_FROM, "help": "where the outlet comes from"}),
    ("--outlet-pattern", {"metavar": "REGEX", "help": "file-name regex; group 1 = outlet"}),
    ("--outlet-default", {"metavar": "NAME", "help": "outlet when no source names one"}),
    ("--outlet-aliases", {"metavar": "FILE", "help": "YAML/CSV outlet alias map"}),
    ("--folder-column", {"metavar": "NAME", "help": "column for the parent folder name"}),
    ("--dayfirst", {"action": "store_true", "help": "read 05/04/2022 as 5 April"}),
    (
        "--clean",
        {
            "action": argparse.BooleanOptionalAction,
            "help": "remove site chrome (default: pages yes, records no)",
        },
    ),
    ("--manifest", {"metavar": "FILE", "help": "manifest CSV (default <folder>/manifest.csv)"}),
    ("--errors", {"choices": ("raise", "skip"), "help": "malformed items: stop or skip"}),
    ("--encoding", {"metavar": "CODEC", "help": "file encoding (default: detect)"}),
    ("--language", {"metavar": "CODE", "help": "language code of the articles, e.g. en"}),
    ("--drop-duplicates", {"action": "store_true", "help": "drop flagged duplicates"}),
)


def add_mapping_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the :func:`load_corpus` mapping options to an argparse parser.

    Shared by ``framing corpus`` and ``framing run``; read them back with
    :func:`mapping_from_args`. Every option defaults to "not given"; ``--no-manifest``
    ignores ``<folder>/manifest.csv``.
    """
    group = parser.add_argument_group("corpus mapping (see framing.load_corpus)")
    for option, kwargs in _CLI_OPTIONS:
        dest = "map_" + option.removeprefix("--").replace("-", "_")
        group.add_argument(option, dest=dest, default=None, **kwargs)
    group.add_argument(
        "--no-manifest", dest="map_manifest", action="store_false", help="ignore the manifest"
    )
    return parser


def mapping_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """Return the ``load_corpus`` keyword arguments given on the command line.

    Only options the user gave are returned, so they can override a config file.
    """
    out = {}
    for f in fields(LoadOptions):
        value = getattr(args, f"map_{f.name}", None)
        if value is not None:
            out[f.name] = value
    return out
