"""Walk a corpus and collect one :class:`Record` per article and a Skip for the rest.

:class:`CorpusReader` reads every file :mod:`framing.corpus.files` finds with the
reader of its format (:mod:`framing.corpus.formats`), maps each record's fields
with the options (:class:`framing.corpus.options.LoadOptions`) and the manifest,
cleans pages (:func:`framing.corpus.clean.clean_page`) and records every item it
could not load. :func:`framing.corpus.load_corpus` builds the ``articles`` table
from the records. Nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Mapping as AbcMapping
from pathlib import Path
from typing import Any

import pandas as pd

from framing._strings import StringBlocks
from framing.corpus.clean import clean_lines, clean_page
from framing.corpus.decoding import _BLANK_BYTES, _BOM16, _SNIFF, _check_binary, decode_bytes
from framing.corpus.fields import (
    IdRepeats,
    Record,
    as_str,
    check_columns,
    id_like_key,
    lookup,
    read_text,
    resolve_keys,
)
from framing.corpus.files import FORMATS, discover_files, skip_reason
from framing.corpus.formats.html import read_html_article
from framing.corpus.formats.structured import read_json_records, read_jsonl_records
from framing.corpus.formats.tables import read_table
from framing.corpus.manifest import MANIFEST_COLUMNS, _read_manifest, find_manifest
from framing.corpus.options import _FIELDS, DEFAULT_FIELDS, LoadOptions, spell
from framing.corpus.outlets import outlet_from_source
from framing.corpus.problems import BinaryFile, FileProblem, RecordProblem, Skip
from framing.schema import is_missing as _is_missing

__all__ = ["CorpusReader"]


_ROWS_PER_SLICE = 1000  # rows of a table turned into dicts at a time

# --------------------------------------------------------------------------- records


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

    def __init__(self, source: Path, opts: LoadOptions, files: list[Path] | None = None) -> None:
        self.opts = opts
        self.source = source
        if source.is_dir():
            self.root = source
            # ``files``: read only these files of the folder (a partition of
            # :mod:`framing.corpus.store`); ids and outlets still follow ``source``
            self.files = discover_files(source) if files is None else list(files)
        else:
            self.root = source.parent
            self.files = [source]
        self.single_file = not source.is_dir()
        self.root_name = self.root.resolve().name  # outlet of top-level files (folder mode)
        self.records: list[Record] = []
        self.texts = StringBlocks()
        self.skipped: list[Skip] = []
        self.warnings: list[str] = []
        self.errors: list[str] = []
        self.items_seen = 0
        self.ids = IdRepeats()  # values of unmapped id-like columns
        self.manifest: dict[str, dict[str, str]] = {}
        self.manifest_path: Path | None = None
        self._read_manifest()

    # -- bookkeeping -----------------------------------------------------------------
    def warn(self, message: str) -> None:
        """Record a warning for the load report."""
        self.warnings.append(message)

    def skip(self, source: str, reason: str, detail: str, outlet: str | None = None) -> None:
        """Count an item as seen and report it as skipped.

        ``outlet`` is the item's outlet when known; by default the one its file
        gives (manifest, file or folder name), so skips can be counted per outlet.
        """
        self.items_seen += 1
        if outlet is None:
            outlet = self._file_outlet(source.split("#", 1)[0])
        self.skipped.append(Skip(source, reason, detail, outlet))

    def problem(self, source: str, reason: str, detail: str, outlet: str | None = None) -> None:
        """Report a malformed item: an error under errors='raise', else a skip.

        Errors are collected, not raised: :func:`framing.corpus.load_corpus` lists
        them all at the end of the pass.
        """
        self.skip(source, reason, detail, outlet)
        if self.opts.errors == "raise":
            self.errors.append(detail.rstrip(". "))

    def _file_outlet(self, file: str) -> str:
        """Return the outlet a file gives by itself (manifest, name, folder), or ``""``."""
        if self.opts.outlet_from in ("auto", "column") and not self.manifest:
            return ""
        value, _ = outlet_from_source(
            file,
            record_outlet="",
            manifest_outlet=self.manifest.get(file, {}).get("outlet", ""),
            opts=self.opts,
            root_name=self.root_name,
        )
        return value

    # -- manifest --------------------------------------------------------------------
    def _read_manifest(self) -> None:
        path = find_manifest(self.opts.manifest, self.root, self.single_file)
        if path is None:
            return
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
        for path in self.files:
            if self.manifest_path is not None and path.resolve() == self.manifest_path.resolve():
                continue
            rel = path.relative_to(self.root).as_posix()
            if self.single_file:
                reason = None if path.suffix.lower() in FORMATS else "unsupported format"
            else:
                reason = skip_reason(path, self.root)
            if reason == "own file":
                continue
            if reason == "documentation file":
                detail = f"{rel}: README/LICENSE-type file, not an article"
                self.skip(rel, reason, detail, outlet="")  # not an article of any outlet
            elif reason == "unsupported format":
                self.skip(
                    rel,
                    reason,
                    f"{rel}: suffix {path.suffix or '(none)'!r} is not a corpus format "
                    f"({', '.join(sorted(FORMATS))})",
                    outlet="",
                )
            else:
                self._load_file(path, rel)

    def _load_file(self, path: Path, rel: str) -> None:
        fmt = FORMATS[path.suffix.lower()]
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
        self._finish(record, clean=self.opts.clean is not False, page=True)

    # -- structured records ----------------------------------------------------------
    def _load_json(self, rel: str, text: str) -> None:
        single, items = read_json_records(text, name=rel)
        if single:
            self._add_structured(rel, items[0], self._stem(rel), rel)
            return
        for i, item in enumerate(items, start=1):
            source = f"{rel}#row{i}"
            if isinstance(item, RecordProblem):
                self.problem(source, item.reason, item.detail)
            else:
                self._add_structured(source, item, f"{self._stem(rel)}:{i}", rel)

    def _load_jsonl(self, rel: str, text: str) -> None:
        for line_no, item in read_jsonl_records(text, name=rel):
            source = f"{rel}#L{line_no}"
            if isinstance(item, RecordProblem):
                self.problem(source, item.reason, item.detail)
            else:
                self._add_structured(source, item, f"{self._stem(rel)}:{line_no}", rel)

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
        mapped = tuple(v for k in _FIELDS if (v := getattr(self.opts, k)) and k != "text")
        mapped += self.opts.text_keys
        defaults = tuple(c for names in DEFAULT_FIELDS.values() for c in names)
        mapped += (
            defaults + tuple(c.title() for c in defaults) + tuple(c.upper() for c in defaults)
        )
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
            self.skip(f"{rel}#row{p.number}" if p.number else rel, p.reason, p.detail)
        columns = [str(c) for c in table.columns]
        table.columns = columns
        check_columns(self.opts, rel, columns)
        if not len(table):
            self.skip(rel, "empty table", f"{rel}: the table has a header but no rows")
            return
        stem = self._stem(rel)
        keys = resolve_keys(self.opts, columns)
        id_key = id_like_key(self.opts, columns)
        # the file's own row numbers: skipped malformed rows keep theirs
        bad = {p.number for p in problems}
        numbers = range(1, len(table) + 1)
        if problems and 0 not in bad:
            numbers = [n for n in range(1, len(table) + len(bad) + 1) if n not in bad]
        # Rows become Python dicts a slice at a time, not the whole table at once.
        for start in range(0, len(table), _ROWS_PER_SLICE):
            rows = table.iloc[start : start + _ROWS_PER_SLICE].to_dict("records")
            for n, row in zip(numbers[start : start + len(rows)], rows, strict=True):
                self._add_structured(f"{rel}#row{n}", row, f"{stem}:{n}", rel, keys, id_key)

    def _add_structured(
        self,
        source: str,
        row: AbcMapping[str, Any],
        derived_id: str,
        rel: str,
        keys: dict[str, tuple[str, ...]] | None = None,
        id_key: str | None = None,
    ) -> None:
        opts = self.opts
        if keys is None:  # a JSON record: its own keys
            keys = resolve_keys(opts, row)
            id_key = id_like_key(opts, row)
        found, text = read_text(row, keys["text"])
        if not found:
            wanted = list(keys["text"]) or list(DEFAULT_FIELDS["text"])
            self.problem(
                source,
                "no text field",
                f"{source}: no text field {wanted}; the record has {list(row)}. Pass "
                f"{spell('text', '<key>')}",
                outlet=self._row_outlet(row, keys, rel),
            )
            return
        used = set(found)
        record = Record(article_id=derived_id, source_path=source, file=rel, text=text)
        if opts.id:
            ok, value = lookup(row, opts.id)
            if not ok or _is_missing(value):
                self.problem(
                    source,
                    "missing id",
                    f"{source}: no value in the id field {opts.id!r}",
                    outlet=self._row_outlet(row, keys, rel),
                )
                return
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            record.article_id = str(value).strip()
            used.add(opts.id)
        elif id_key is not None:
            self.ids.note(id_key, row.get(id_key), source)
        for name in ("title", "author", "url", "published", "outlet"):
            if name == "outlet" and opts.outlet_from not in ("auto", "column"):
                continue
            if not keys[name]:
                continue
            ok, value = lookup(row, keys[name][0])
            if not ok:
                continue
            used.add(keys[name][0])
            if name == "published":
                record.published = None if _is_missing(value) else value
            else:
                setattr(record, name, as_str(value))
        record.meta = {k: v for k, v in row.items() if k not in used}
        self._finish(record, clean=opts.clean is not False, page=opts.clean is True)

    def _row_outlet(
        self, row: AbcMapping[str, Any], keys: dict[str, tuple[str, ...]], rel: str
    ) -> str:
        """Return the outlet of a record that is not loaded (for per-outlet skips)."""
        column = as_str(lookup(row, keys["outlet"][0])[1]) if keys["outlet"] else ""
        value, _ = outlet_from_source(
            rel,
            record_outlet=column,
            manifest_outlet=self.manifest.get(rel, {}).get("outlet", ""),
            opts=self.opts,
            root_name=self.root_name,
        )
        return value

    # -- common ----------------------------------------------------------------------
    def _finish(self, record: Record, *, clean: bool, page: bool) -> None:
        """Clean (the page model, or the line cleaner), apply the manifest, keep."""
        opts = self.opts
        if clean and record.text.strip():
            page = (clean_page if page else clean_lines)(record.text)
            record.text = page.text
            record.removed = tuple(page.removed)
            record.title = record.title or page.title
            record.author = record.author or page.author
            record.standfirst = record.standfirst or page.standfirst
            if _is_missing(record.published) and not pd.isna(page.published):
                record.published = page.published
        else:
            record.text = record.text.strip()
        row = self.manifest.get(record.file, {})
        if not record.text.strip():
            self.skip(
                record.source_path,
                "empty text",
                f"{record.source_path}: no article text"
                + (" left after cleaning" if clean and record.removed else ""),
                outlet=self._outlet(record, row, warn=False),
            )
            return
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

    def _outlet(self, record: Record, row: AbcMapping[str, str], warn: bool = True) -> str:
        value, warning = outlet_from_source(
            record.file,
            record_outlet=record.outlet,
            manifest_outlet=row.get("outlet", ""),
            opts=self.opts,
            root_name=self.root_name,
        )
        if warning and warn:
            self.warn(warning)
        return value
