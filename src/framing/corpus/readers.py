"""Read corpus files into article records: find files, decode bytes, parse formats.

The first half of this module knows file formats: each reader returns plain Python
records (a ``dict`` per article); problems come back as :class:`RecordProblem`
values (one record) or :class:`FileProblem` exceptions (a whole file). The second
half, :class:`CorpusReader`, walks a corpus with the mapping options
(:class:`LoadOptions`) and the manifest, cleans pages and collects one
:class:`Record` per article plus a :class:`Skip` for every item it could not load.
:func:`framing.corpus.load_corpus` builds the ``articles`` table from them. Nothing
is dropped silently.

Accepted formats (by file suffix, case-insensitive):

==================  ==========================================================
suffix              read as
==================  ==========================================================
``.txt``            one article per file: scraped page text or plain text
``.html``/``.htm``  one article per file: main text and metadata extracted
                    offline with trafilatura (Barbaresi 2021), no fetching
``.json``           one article object, or a list of article objects
``.jsonl``          one article object per line (blank lines ignored)
``.csv``/``.tsv``   one article per row, first row is the header
``.parquet``        one article per row
==================  ==========================================================

Decoding (:func:`decode_bytes`): a byte-order mark selects UTF-8 or UTF-16; then
strict UTF-8; then Windows-1252 (cp1252); then Latin-1. Falling back to cp1252 or
Latin-1 is reported as a warning naming the file, because the guess may be wrong
for other legacy encodings (pass ``encoding=`` then). Files with NUL bytes or many
control characters in their first 8 KiB are binary and are not decoded.

References
----------
Barbaresi, A. (2021). Trafilatura: A Web Scraping Library and Command-Line Tool for
Text Discovery and Extraction. *Proceedings of ACL-IJCNLP 2021: System
Demonstrations*, 122-131.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Callable, Iterator
from collections.abc import Mapping as AbcMapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import pandas as pd

from framing._strings import StringBlocks

__all__ = [
    "DEFAULT_FIELDS",
    "FORMATS",
    "MANIFEST_COLUMNS",
    "BinaryFile",
    "CorpusError",
    "CorpusReader",
    "CorpusWarning",
    "FileProblem",
    "LoadOptions",
    "Record",
    "RecordProblem",
    "Skip",
    "decode_bytes",
    "discover_files",
    "is_documentation_file",
    "join_text",
    "read_html_article",
    "read_json_records",
    "read_jsonl_records",
    "read_table",
]

#: File suffix -> format name.
FORMATS: dict[str, str] = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
}

_DOC_NAME = re.compile(
    r"^(readme|licen[cs]e|provenance|changelog|copying)([._ -].*)?$", re.IGNORECASE
)
_SNIFF = 8192
# Control bytes that never occur in text files (all C0 controls except \t \n \v \f \r
# and ESC).
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_NEWLINES = re.compile(r"\r\n?")
_BOM16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# An optional UTF-8 byte-order mark, then only ASCII whitespace.
_BLANK_BYTES = re.compile(rb"(?:\xef\xbb\xbf)?\s*")
_CHUNK = 1 << 20


class FileProblem(Exception):
    """A whole file cannot be read; ``reason`` is a short label, the message says why."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class BinaryFile(FileProblem):
    """The file holds binary data, not text."""


@dataclass(frozen=True)
class RecordProblem:
    """One record of a multi-record file could not be read.

    Attributes
    ----------
    number : int
        1-based line number (JSONL, CSV) or item number (JSON list).
    reason : str
        Short label, e.g. ``"malformed JSON"``.
    detail : str
        What went wrong, for the load report.
    """

    number: int
    reason: str
    detail: str


_ROWS_PER_SLICE = 1000  # rows of a table turned into dicts at a time


def is_documentation_file(name: str) -> bool:
    """Return True for README/LICENSE/PROVENANCE/CHANGELOG/COPYING files (any suffix).

    Examples
    --------
    >>> is_documentation_file("README.TXT"), is_documentation_file("LICENSE_original.txt")
    (True, True)
    >>> is_documentation_file("readmission_rates.csv")
    False
    """
    return bool(_DOC_NAME.match(name))


def discover_files(root: Path) -> list[Path]:
    """List every non-hidden file under ``root`` (recursively), sorted by relative path.

    Hidden files and folders (name starting with ``.``) are ignored entirely.
    """
    found = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file():
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    if not head:
        return False
    n_control = len(head) - len(head.translate(None, _CONTROL))
    return n_control / len(head) > 0.05


def _check_binary(data: bytes, name: str) -> None:
    if _looks_binary(data[:_SNIFF]):
        raise BinaryFile(
            "binary file",
            f"{name}: holds binary data (NUL or control bytes), not text; "
            "remove it from the corpus folder or convert it to text",
        )


def _first_decode_error(data: bytes, encoding: str) -> UnicodeDecodeError | None:
    """Return the first decoding error of ``data`` (offsets in the file), or None.

    Decodes 1 MiB at a time and discards the text, so a large file is never held
    decoded in full.
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    for start in range(0, len(data), _CHUNK):
        state = decoder.getstate()[0]
        pending = len(state) if isinstance(state, bytes) else 0
        try:
            decoder.decode(view[start : start + _CHUNK], final=start + _CHUNK >= len(data))
        except UnicodeDecodeError as exc:
            base = start - pending
            return UnicodeDecodeError(
                exc.encoding, data, base + exc.start, base + exc.end, exc.reason
            )
    return None


def _fallback_warning(name: str, data: bytes, fallback: str) -> str:
    err = _first_decode_error(data, "utf-8")
    bad = f"byte 0x{data[err.start]:02x} at offset {err.start}" if err else "invalid bytes"
    return (
        f"{name}: not valid UTF-8 ({bad}); decoded as {fallback}. "
        "Pass encoding='...' if the text looks wrong."
    )


def decode_bytes(data: bytes, *, name: str, encoding: str | None = None) -> tuple[str, str | None]:
    """Decode a file's bytes to text and normalise line endings to ``"\\n"``.

    Parameters
    ----------
    data : bytes
        The file content.
    name : str
        The file name used in messages.
    encoding : str, optional
        A Python codec name. ``None`` detects: BOM, UTF-8, cp1252, Latin-1.

    Returns
    -------
    text : str
        Decoded text, without a byte-order mark, with ``\\n`` line endings.
    warning : str or None
        A message naming the file when a fallback encoding was used.

    Raises
    ------
    BinaryFile
        If the data looks binary (NUL bytes or >5 % control bytes in the first 8 KiB).
    FileProblem
        If ``encoding`` is given and the data is not valid in it.

    Examples
    --------
    >>> decode_bytes("caf\\u00e9\\r\\n".encode("cp1252"), name="a.txt")
    ('café\\n', "a.txt: not valid UTF-8 (byte 0xe9 at offset 3); decoded as cp1252. Pass encoding='...' if the text looks wrong.")
    """  # noqa: E501
    warning = None
    if encoding:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise FileProblem(
                "undecodable",
                f"{name}: cannot decode with encoding={encoding!r} ({exc}); "
                "pass the file's real encoding or encoding=None to detect it",
            ) from exc
        text = text.removeprefix("\ufeff")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FileProblem("undecodable", f"{name}: broken UTF-16 ({exc})") from exc
    else:
        _check_binary(data, name)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            for fallback in ("cp1252", "latin-1"):
                try:
                    text = data.decode(fallback)
                except UnicodeDecodeError:
                    continue
                warning = _fallback_warning(name, data, fallback)
                break
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    return text, warning


def join_text(value: Any) -> str:
    """Turn a body value into text: lists are paragraphs, nested lists are sentences.

    A string is returned with ``\\n`` line endings; a list of strings becomes
    paragraphs separated by a blank line; a list of lists of strings (paragraphs of
    sentences, as in BASIL) joins each inner list with a space first. ``None`` and
    NaN become ``""``; other scalars are converted with :class:`str`.

    Examples
    --------
    >>> join_text([["One.", "Two."], ["Three."]])
    'One. Two.\\n\\nThree.'
    >>> join_text(None)
    ''
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return _NEWLINES.sub("\n", value) if "\r" in value else value
    if isinstance(value, (list, tuple)):
        parts = []
        for item in value:
            if isinstance(item, (list, tuple)):
                part = " ".join(join_text(s).strip() for s in item)
            else:
                part = join_text(item)
            part = part.strip()
            if part:
                parts.append(part)
        return "\n\n".join(parts)
    if isinstance(value, float) and value != value:  # NaN
        return ""
    return str(value)


def _json_error(name: str, exc: json.JSONDecodeError, line_offset: int = 0) -> str:
    line = exc.lineno + line_offset
    return f"{name}, line {line}, column {exc.colno}: malformed JSON ({exc.msg})"


def read_json_records(text: str, *, name: str) -> tuple[bool, list[Any]]:
    """Parse a ``.json`` file: one article object, or a list of article objects.

    Returns
    -------
    single : bool
        True when the file holds one object (the file is the article).
    items : list
        The objects; non-object list items are returned as :class:`RecordProblem`.

    Raises
    ------
    FileProblem
        If the JSON is malformed (message names file, line and column) or the top
        level is neither an object nor a list.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileProblem("malformed JSON", _json_error(name, exc)) from exc
    if isinstance(data, dict):
        return True, [data]
    if isinstance(data, list):
        items: list[Any] = []
        for i, item in enumerate(data, start=1):
            if isinstance(item, dict):
                items.append(item)
            else:
                items.append(
                    RecordProblem(
                        i,
                        "not an object",
                        f"{name}, item {i}: expected an article object "
                        f"({{...}}), got {type(item).__name__}",
                    )
                )
        return False, items
    raise FileProblem(
        "unexpected JSON",
        f"{name}: top level is a {type(data).__name__}; expected one article "
        "object or a list of article objects",
    )


def read_jsonl_records(text: str, *, name: str) -> Iterator[tuple[int, Any]]:
    """Yield ``(line_number, object_or_RecordProblem)`` for each non-blank line."""
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            msg = f"{name}, line {line_no}, column {exc.colno}: malformed JSON ({exc.msg})"
            yield line_no, RecordProblem(line_no, "malformed JSON line", msg)
            continue
        if not isinstance(obj, dict):
            yield (
                line_no,
                RecordProblem(
                    line_no,
                    "not an object",
                    f"{name}, line {line_no}: expected an article object, "
                    f"got {type(obj).__name__}",
                ),
            )
            continue
        yield line_no, obj


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
                f"{name}: cannot decode with encoding={encoding!r} ({exc}); "
                "pass the file's real encoding or encoding=None to detect it",
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
                    f"{name}: cannot decode with encoding={encoding!r} ({err}); "
                    "pass the file's real encoding or encoding=None to detect it",
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
                "or pass errors='skip' to skip malformed rows.",
            ) from exc
    n_header = len(pd.read_csv(io.BytesIO(raw), sep=sep, encoding=encoding, nrows=0).columns)
    problems: list[RecordProblem] = []

    def on_bad(fields: list[str]) -> None:
        problems.append(
            RecordProblem(
                0,
                "malformed row",
                f"{name}: a row has {len(fields)} fields, the header has {n_header}: "
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
    return table, problems


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


def read_html_article(text: str, *, name: str) -> dict[str, Any]:
    """Extract the main text and metadata of an HTML page with trafilatura, offline.

    Returns
    -------
    dict
        ``text`` (paragraphs separated by blank lines; a first line equal to the
        title is dropped), ``title``, ``author``, ``url``, ``published`` (the
        string trafilatura found), ``sitename``, ``standfirst`` (the page
        description) and ``language``; missing values are ``""``.

    Raises
    ------
    FileProblem
        If trafilatura finds no main text.
    """
    import trafilatura  # heavy; only when an HTML file is met

    doc = trafilatura.bare_extraction(
        text,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
    )
    if doc is None or not (getattr(doc, "text", None) or "").strip():
        raise FileProblem(
            "no main text",
            f"{name}: trafilatura found no article text in this HTML page",
        )
    title = (doc.title or "").strip()
    lines = [ln.strip() for ln in doc.text.split("\n") if ln.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    return {
        "text": "\n\n".join(lines),
        "title": title,
        "author": (doc.author or "").strip(),
        "url": (doc.url or "").strip(),
        "published": (doc.date or "").strip(),
        "sitename": (doc.sitename or "").strip(),
        "standfirst": (doc.description or "").strip(),
        "language": (doc.language or "").strip(),
    }


# --------------------------------------------------------------------------- corpora

#: Columns of a corpus manifest (``file`` is required, the others optional).
MANIFEST_COLUMNS: tuple[str, ...] = (
    "file",
    "outlet",
    "published",
    "title",
    "author",
    "url",
    "language",
)

#: Keys tried, in order, for each field of a structured record when no mapping is given.
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article"),
    "title": ("title", "headline"),
    "outlet": ("outlet", "source", "publisher", "sitename"),
    "published": ("published", "date", "publish_date", "published_at", "pub_date"),
    "author": ("author", "authors", "byline"),
    "url": ("url", "link"),
}
_FIELDS = ("text", "title", "outlet", "published", "author", "url", "id")
_OUTLET_FROM = ("auto", "column", "manifest", "filename", "folder")


class CorpusError(ValueError):
    """A corpus cannot be loaded as asked; the message names the file, line or column."""


class CorpusWarning(UserWarning):
    """Something was skipped, guessed or could not be parsed while loading a corpus."""


@dataclass(frozen=True)
class Skip:
    """One item that was seen but not loaded.

    Attributes
    ----------
    source : str
        The file (relative to the corpus root) plus ``#L<n>``/``#row<n>`` for a record.
    reason : str
        A short label, e.g. ``"empty file"``, ``"malformed JSON line"``.
    detail : str
        What exactly was wrong and what to do about it.
    """

    source: str
    reason: str
    detail: str


@dataclass(frozen=True)
class LoadOptions:
    """The mapping options of :func:`load_corpus`, normalised (see its docstring).

    Empty strings mean "not set", so a configuration file can use ``""`` for the
    defaults.
    """

    text: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    author: str | None = None
    url: str | None = None
    id: str | None = None
    outlet_from: str = "auto"
    outlet_pattern: str | None = None
    outlet_default: str = ""
    outlet_aliases: AbcMapping[str, Any] | str | Path | None = None
    folder_column: str | None = None
    dayfirst: bool = False
    clean: bool | None = None
    manifest: str | Path | bool | None = None
    errors: str = "raise"
    encoding: str | None = None
    language: str | None = None
    drop_duplicates: bool = False

    def __post_init__(self) -> None:
        unset = {"outlet_from": "auto", "errors": "raise", "outlet_default": ""}
        for f in fields(self):
            if getattr(self, f.name) == "":
                object.__setattr__(self, f.name, unset.get(f.name))
        if self.clean == "auto":
            object.__setattr__(self, "clean", None)
        if self.outlet_from is None:
            object.__setattr__(self, "outlet_from", "auto")
        if self.outlet_from not in _OUTLET_FROM:
            raise CorpusError(
                f"outlet_from={self.outlet_from!r} is not valid; use one of "
                f"{list(_OUTLET_FROM)} ('auto' = manifest, else the outlet column)"
            )
        if self.errors not in ("raise", "skip"):
            raise CorpusError(f"errors={self.errors!r} is not valid; use 'raise' or 'skip'")
        if self.clean not in (None, True, False):
            raise CorpusError(f"clean={self.clean!r} is not valid; use True, False or 'auto'")
        if self.outlet_pattern is not None:
            try:
                pattern = re.compile(self.outlet_pattern)
            except re.error as exc:
                raise CorpusError(
                    f"outlet_pattern={self.outlet_pattern!r} is not a valid regular "
                    f"expression: {exc}"
                ) from exc
            if pattern.groups < 1:
                raise CorpusError(
                    f"outlet_pattern={self.outlet_pattern!r} needs a group, e.g. "
                    "'^([A-Za-z]+)_'; its first group is the outlet"
                )
            if self.outlet_from == "auto":
                object.__setattr__(self, "outlet_from", "filename")
            elif self.outlet_from != "filename":
                raise CorpusError(
                    "outlet_pattern applies to file names; use it with "
                    f"outlet_from='filename', not {self.outlet_from!r}"
                )


# --------------------------------------------------------------------------- manifest


def _read_manifest(path: Path) -> tuple[dict[str, dict[str, str]], dict[str, int]]:
    """Return ``{file: {column: value}}`` (non-empty values only) and ``{file: line}``."""
    try:
        text, _ = decode_bytes(path.read_bytes(), name=str(path))
    except (OSError, FileProblem) as exc:
        raise CorpusError(f"cannot read manifest {path}: {exc}") from exc
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CorpusError(f"manifest {path} is not a valid CSV: {exc}") from exc
    if "file" not in table.columns:
        raise CorpusError(
            f"manifest {path} needs a 'file' column (relative path of each corpus "
            f"file); it has {list(table.columns)}"
        )
    rows: dict[str, dict[str, str]] = {}
    lines: dict[str, int] = {}
    for i, row in enumerate(table.to_dict("records"), start=2):
        name = Path(str(row.pop("file")).strip()).as_posix()
        if not name or name == ".":
            raise CorpusError(f"manifest {path}, line {i}: empty 'file' value")
        if name in rows:
            raise CorpusError(
                f"manifest {path}, line {i}: file {name!r} is listed twice "
                f"(first on line {lines[name]}); keep one row per file"
            )
        rows[name] = {k: str(v).strip() for k, v in row.items() if str(v).strip()}
        lines[name] = i
    return rows, lines


# --------------------------------------------------------------------------- records


@dataclass
class Record:
    """One article as read from its file, before the ``articles`` table is built.

    ``published`` is the raw value (string, number or Timestamp) until
    :func:`framing.corpus.load_corpus` parses all dates at once; ``removed`` holds
    the cleaner's :class:`framing.corpus.clean.RemovedLine` audit; ``meta`` the record's
    extra fields, unchanged. ``text`` holds the body until the reader accepts the
    record: the body then moves to the reader's compact text store
    (:class:`framing._strings.StringBlocks`) at ``text_index`` and ``text`` is
    emptied, so the corpus text is never held twice.
    """

    article_id: str
    source_path: str
    file: str
    text: str
    title: str = ""
    author: str = ""
    url: str = ""
    outlet: str = ""
    published: Any = None
    standfirst: str = ""
    language: str = ""
    removed: tuple[Any, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    n_words: int = 0
    text_index: int = -1


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    if isinstance(value, str) and not value.strip():
        return True
    return bool(value is pd.NaT)


def _as_str(value: Any) -> str:
    if _is_missing(value):
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_as_str(v) for v in value if not _is_missing(v))
    return " ".join(str(value).split())


def _get(record: AbcMapping[str, Any], key: str) -> tuple[bool, Any]:
    """Look ``key`` up in a record; dotted keys walk nested objects (``source.name``)."""
    if key in record:
        return True, record[key]
    if "." in key:
        node: Any = record
        for part in key.split("."):
            if isinstance(node, AbcMapping) and part in node:
                node = node[part]
            else:
                return False, None
        return True, node
    return False, None


class CorpusReader:
    """Walk a corpus folder or file and collect records, skips and warnings.

    The building block of :func:`framing.corpus.load_corpus`, which turns the
    collected :class:`Record` list into the ``articles`` table. After :meth:`run`,
    ``items_seen == len(records) + len(skipped)``.

    Parameters
    ----------
    source : Path
        A folder (files found with :func:`discover_files`) or one file.
    opts : LoadOptions
        The mapping options.
    """

    def __init__(self, source: Path, opts: LoadOptions) -> None:
        self.opts = opts
        self.source = source
        if source.is_dir():
            self.root = source
            self.files = discover_files(source)
        else:
            self.root = source.parent
            self.files = [source]
        self.single_file = not source.is_dir()
        self.records: list[Record] = []
        self.texts = StringBlocks()
        self.skipped: list[Skip] = []
        self.warnings: list[str] = []
        self.items_seen = 0
        self.manifest: dict[str, dict[str, str]] = {}
        self.manifest_path: Path | None = None
        self._read_manifest()

    # -- bookkeeping -----------------------------------------------------------------
    def warn(self, message: str) -> None:
        """Record a warning for the load report."""
        self.warnings.append(message)

    def skip(self, source: str, reason: str, detail: str) -> None:
        """Count an item as seen and report it as skipped."""
        self.items_seen += 1
        self.skipped.append(Skip(source, reason, detail))

    def problem(self, source: str, reason: str, detail: str) -> None:
        """Raise under errors='raise'; otherwise report the item as skipped."""
        if self.opts.errors == "raise":
            hint = "" if "errors='skip'" in detail else " Fix it, or pass errors='skip'."
            raise CorpusError(f"{detail.rstrip('. ')}.{hint}")
        self.skip(source, reason, detail)

    # -- manifest --------------------------------------------------------------------
    def _read_manifest(self) -> None:
        manifest = self.opts.manifest
        if manifest is False:
            return
        if manifest in (None, True):
            candidate = self.root / "manifest.csv"
            if self.single_file or not candidate.is_file():
                if manifest is True:
                    raise CorpusError(f"manifest=True but {candidate} does not exist")
                return
            path = candidate
        else:
            path = Path(manifest)
            if not path.is_file():
                raise CorpusError(f"manifest {path} does not exist; fix the path")
        self.manifest_path = path
        self.manifest, lines = _read_manifest(path)
        present = {p.relative_to(self.root).as_posix() for p in self.files}
        for name, line in lines.items():
            if name not in present and not (self.root / name).is_file():
                detail = (
                    f"{path.name}, line {line}: file {name!r} is listed but does not "
                    f"exist under {self.root}; fix the name or remove the row"
                )
                self.skip(name, "manifest file missing", detail)
                self.warn(detail)

    # -- walking ---------------------------------------------------------------------
    def run(self) -> None:
        """Read every file (the folder's own ``manifest.csv``/``README.md`` excepted)."""
        own = {"manifest.csv", "readme.md"}  # the corpus folder's own files
        for path in self.files:
            if self.manifest_path is not None and path.resolve() == self.manifest_path.resolve():
                continue
            if not self.single_file and path.parent == self.root and path.name.lower() in own:
                continue
            rel = path.relative_to(self.root).as_posix()
            self._load_file(path, rel)

    def _load_file(self, path: Path, rel: str) -> None:
        fmt = FORMATS.get(path.suffix.lower())
        if not self.single_file and is_documentation_file(path.name):
            self.skip(
                rel, "documentation file", f"{rel}: README/LICENSE-type file, not an article"
            )
            return
        if fmt is None:
            self.skip(
                rel,
                "unsupported format",
                f"{rel}: suffix {path.suffix or '(none)'!r} is not a corpus format "
                f"({', '.join(sorted(FORMATS))})",
            )
            return
        try:
            if fmt == "parquet":
                self._add_table(rel, *self._read_table(path, rel, fmt))
                return
            data = path.read_bytes()
            if not data:
                self.skip(rel, "empty file", f"{rel}: the file is empty (0 bytes)")
                return
            if fmt in ("csv", "tsv"):
                parsed = self._read_delimited(path, rel, data, fmt)
                del data  # the rows are read from the parsed table: the bytes can go
                if parsed is not None:
                    self._add_table(rel, *parsed)
                return
            text, warning = decode_bytes(data, name=rel, encoding=self.opts.encoding)
            if warning:
                self.warn(warning)
            if not text.strip():
                self.skip(rel, "whitespace-only file", f"{rel}: the file holds only whitespace")
                return
            if fmt in ("text", "html"):
                self._load_page(rel, text, fmt)
            elif fmt == "json":
                self._load_json(rel, text)
            elif fmt == "jsonl":
                self._load_jsonl(rel, text)
            else:  # pragma: no cover - every format is handled above
                raise AssertionError(fmt)
        except BinaryFile as exc:
            self.skip(rel, exc.reason, exc.detail)
        except FileProblem as exc:
            self.problem(rel, exc.reason, exc.detail)
        except OSError as exc:
            self.problem(rel, "unreadable file", f"{rel}: cannot read the file ({exc})")

    def _stem(self, rel: str) -> str:
        return Path(rel).with_suffix("").as_posix()

    # -- pages -----------------------------------------------------------------------
    def _load_page(self, rel: str, text: str, fmt: str) -> None:
        fields_: dict[str, Any] = {}
        if fmt == "html":
            fields_ = read_html_article(text, name=rel)
            body = fields_.pop("text")
        else:
            body = text
        record = Record(article_id=self._stem(rel), source_path=rel, file=rel, text=body)
        for key in ("title", "author", "url", "standfirst", "language"):
            setattr(record, key, fields_.pop(key, ""))
        record.published = fields_.pop("published", None) or None
        if self.opts.outlet_from in ("auto", "column") and fields_.get("sitename"):
            record.outlet = fields_["sitename"]
        record.meta = {k: v for k, v in fields_.items() if v}
        self._finish(record, clean=self.opts.clean is not False)

    # -- structured records ----------------------------------------------------------
    def _load_json(self, rel: str, text: str) -> None:
        single, items = read_json_records(text, name=rel)
        if single:
            self._add_structured(rel, items[0], self._stem(rel), rel, keys=None)
            return
        for i, item in enumerate(items, start=1):
            source = f"{rel}#row{i}"
            if isinstance(item, RecordProblem):
                self.problem(source, item.reason, item.detail)
            else:
                self._add_structured(source, item, f"{self._stem(rel)}:{i}", rel, keys=None)

    def _load_jsonl(self, rel: str, text: str) -> None:
        for line_no, item in read_jsonl_records(text, name=rel):
            source = f"{rel}#L{line_no}"
            if isinstance(item, RecordProblem):
                self.problem(source, item.reason, item.detail)
            else:
                self._add_structured(source, item, f"{self._stem(rel)}:{line_no}", rel, keys=None)

    def _read_delimited(
        self, path: Path, rel: str, data: bytes, fmt: str
    ) -> tuple[pd.DataFrame, list[RecordProblem]] | None:
        """Check a CSV/TSV file's bytes and parse them (no decoded copy); None if blank."""
        encoding = self.opts.encoding
        if not encoding and not data.startswith(_BOM16):
            _check_binary(data, rel)
        blank = _BLANK_BYTES.fullmatch(data) is not None
        if not blank and len(data) <= _SNIFF:
            # small file: Unicode whitespace, UTF-16 and explicit codecs checked exactly
            blank = not decode_bytes(data, name=rel, encoding=encoding)[0].strip()
        if blank:
            self.skip(rel, "whitespace-only file", f"{rel}: the file holds only whitespace")
            return None
        return self._read_table(path, rel, fmt, raw=data)

    def _read_table(
        self, path: Path, rel: str, fmt: str, raw: bytes | None = None
    ) -> tuple[pd.DataFrame, list[RecordProblem]]:
        mapped = tuple(v for k in _FIELDS if (v := getattr(self.opts, k)))
        mapped += tuple(c for names in DEFAULT_FIELDS.values() for c in names)
        return read_table(
            None,
            name=rel,
            fmt=fmt,
            path=path,
            string_columns=mapped,
            skip_bad_lines=self.opts.errors == "skip",
            raw=raw,
            encoding=self.opts.encoding,
            on_warning=self.warn,
        )

    def _add_table(self, rel: str, table: pd.DataFrame, problems: list[RecordProblem]) -> None:
        for p in problems:
            self.skip(rel, p.reason, p.detail)
        columns = [str(c) for c in table.columns]
        table.columns = columns
        self._check_columns(rel, columns)
        if not len(table):
            self.skip(rel, "empty table", f"{rel}: the table has a header but no rows")
            return
        stem = self._stem(rel)
        # Rows become Python dicts a slice at a time, not the whole table at once.
        for start in range(0, len(table), _ROWS_PER_SLICE):
            rows = table.iloc[start : start + _ROWS_PER_SLICE].to_dict("records")
            for i, row in enumerate(rows, start=start + 1):
                self._add_structured(f"{rel}#row{i}", row, f"{stem}:{i}", rel, keys=columns)

    def _check_columns(self, rel: str, columns: list[str]) -> None:
        """Fail early, listing the columns, when a mapped column is not in a table."""
        for name in _FIELDS:
            key = getattr(self.opts, name)
            if name == "outlet" and self.opts.outlet_from not in ("auto", "column"):
                continue
            if key and _get(dict.fromkeys(columns), key)[0] is False and key not in columns:
                raise FileProblem(
                    f"missing {name} column",
                    f"{rel}: no column {key!r} (mapped with {name}={key!r}); the "
                    f"columns are {columns}. Pass the right column name",
                )
        if not self.opts.text and not any(c in columns for c in DEFAULT_FIELDS["text"]):
            raise FileProblem(
                "no text column",
                f"{rel}: none of the default text columns {list(DEFAULT_FIELDS['text'])} "
                f"exists; the columns are {columns}. Pass text='<column>'",
            )

    def _field(self, record: AbcMapping[str, Any], name: str) -> tuple[str | None, Any]:
        key = getattr(self.opts, name) if name in _FIELDS else None
        if key:
            found, value = _get(record, key)
            return (key if found else None), value
        for candidate in DEFAULT_FIELDS.get(name, ()):
            if candidate in record:
                return candidate, record[candidate]
        return None, None

    def _add_structured(
        self,
        source: str,
        row: AbcMapping[str, Any],
        derived_id: str,
        rel: str,
        keys: list[str] | None,
    ) -> None:
        opts = self.opts
        text_key, body = self._field(row, "text")
        if text_key is None:
            self.problem(
                source,
                "no text field",
                f"{source}: no text field "
                f"{repr(opts.text) if opts.text else list(DEFAULT_FIELDS['text'])}; "
                f"the record has {list(row)}. Pass text='<key>'",
            )
            return
        used = {text_key}
        record = Record(article_id=derived_id, source_path=source, file=rel, text=join_text(body))
        if opts.id:
            found, value = _get(row, opts.id)
            if not found or _is_missing(value):
                self.problem(
                    source,
                    "missing id",
                    f"{source}: no value in the id field {opts.id!r}",
                )
                return
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            record.article_id = str(value).strip()
            used.add(opts.id)
        for name in ("title", "author", "url", "published", "outlet"):
            if name == "outlet" and opts.outlet_from not in ("auto", "column"):
                continue
            key, value = self._field(row, name)
            if key is None:
                continue
            used.add(key)
            if name == "published":
                record.published = None if _is_missing(value) else value
            else:
                setattr(record, name, _as_str(value))
        record.meta = {k: v for k, v in row.items() if k not in used}
        self._finish(record, clean=bool(opts.clean))

    # -- common ----------------------------------------------------------------------
    def _finish(self, record: Record, *, clean: bool) -> None:
        opts = self.opts
        if clean and record.text.strip():
            from framing.corpus.clean import clean_page

            page = clean_page(record.text)
            record.text = page.text
            record.removed = tuple(page.removed)
            record.title = record.title or page.title
            record.author = record.author or page.author
            record.standfirst = record.standfirst or page.standfirst
            if _is_missing(record.published) and not pd.isna(page.published):
                record.published = page.published
        else:
            record.text = record.text.strip()
        if not record.text.strip():
            self.skip(
                record.source_path,
                "empty text",
                f"{record.source_path}: no article text"
                + (" left after cleaning" if clean and record.removed else ""),
            )
            return
        row = self.manifest.get(record.file, {})
        for key in ("title", "author", "url", "language"):
            if row.get(key):
                setattr(record, key, row[key])
        if row.get("published"):
            record.published = row["published"]
        for key, value in row.items():
            if key not in MANIFEST_COLUMNS:
                record.meta[key] = value
        record.outlet = self._outlet(record, row)
        if not record.language and opts.language:
            record.language = opts.language
        if opts.folder_column:
            parent = Path(record.file).parent
            record.meta[opts.folder_column] = (
                parent.name if parent.name else self.root.resolve().name
            )
        self.items_seen += 1
        record.n_words = len(record.text.split())
        record.text_index = self.texts.append(record.text)
        record.text = ""
        self.records.append(record)

    def _outlet(self, record: Record, row: AbcMapping[str, str]) -> str:
        opts = self.opts
        mode = opts.outlet_from
        if mode == "manifest":
            value = row.get("outlet", "")
        elif mode == "filename":
            name = Path(record.file).stem
            value = name
            if opts.outlet_pattern:
                match = re.search(opts.outlet_pattern, name)
                value = (match.group(1) or "") if match else ""
                if not match:
                    self.warn(
                        f"{record.file}: outlet_pattern {opts.outlet_pattern!r} does not "
                        f"match the file name {name!r}; outlet left "
                        f"{opts.outlet_default or 'empty'!r}"
                    )
        elif mode == "folder":
            parent = Path(record.file).parent
            value = parent.name if parent.name else self.root.resolve().name
        elif mode == "column":
            value = record.outlet
        else:  # auto
            value = row.get("outlet") or record.outlet
        return value or opts.outlet_default
