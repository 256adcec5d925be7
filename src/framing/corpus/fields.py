"""Records: one article as read, and which key of a structured record holds each field.

A mapped key (``text="body"``) is looked up as given; a dotted key walks nested
objects (``"source.name"``). An unmapped field tries :data:`DEFAULT_FIELDS` in
order: first an exact key, then the same names ignoring case (``Text``, ``BODY``,
``Content``), so a file whose columns match exactly reads as before. ``text`` may
name several keys; their values are joined in order with a blank line between.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from framing.corpus.formats.structured import join_text
from framing.corpus.options import _FIELDS, DEFAULT_FIELDS, LoadOptions, spell
from framing.corpus.problems import FileProblem
from framing.schema import is_missing

__all__ = [
    "ID_COLUMNS",
    "IdRepeats",
    "Record",
    "as_str",
    "check_columns",
    "guess_key",
    "id_like_key",
    "lookup",
    "resolve_keys",
]

#: Column names (any case) that usually hold an article id.
ID_COLUMNS: tuple[str, ...] = ("id", "article_id", "articleid", "doc_id", "docid", "uuid", "guid")
# Id values that say "no id" (BASIL writes "empty"): never counted as repeats.
_PLACEHOLDERS = frozenset({"empty", "none", "null", "nan", "n/a", "na", "-", "unknown"})
#: The fields read from a record, besides ``id``.
RECORD_FIELDS = ("text", "title", "author", "url", "published", "outlet")


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


def as_str(value: Any) -> str:
    """Return a metadata value as one line of text (lists joined with ``"; "``)."""
    if is_missing(value):
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(as_str(v) for v in value if not is_missing(v))
    return " ".join(str(value).split())


def lookup(record: Mapping[str, Any], key: str) -> tuple[bool, Any]:
    """Look ``key`` up in a record; dotted keys walk nested objects (``source.name``)."""
    if key in record:
        return True, record[key]
    if "." in key:
        node: Any = record
        for part in key.split("."):
            if isinstance(node, Mapping) and part in node:
                node = node[part]
            else:
                return False, None
        return True, node
    return False, None


def guess_key(candidates: Iterable[str], keys: Iterable[str]) -> str | None:
    """Return the first candidate among ``keys``: exact first, then ignoring case.

    Examples
    --------
    >>> guess_key(DEFAULT_FIELDS["text"], ["Title", "BODY", "Text"])
    'Text'
    >>> guess_key(DEFAULT_FIELDS["text"], ["Title", "BODY", "text"])
    'text'
    """
    keys = [str(k) for k in keys]
    present = set(keys)
    candidates = tuple(candidates)
    for name in candidates:
        if name in present:
            return name
    folded: dict[str, str] = {}
    for key in keys:
        folded.setdefault(key.casefold(), key)
    for name in candidates:
        if name.casefold() in folded:
            return folded[name.casefold()]
    return None


def resolve_keys(opts: LoadOptions, keys: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Return the key(s) of each record field: mapped, else guessed, else ``()``."""
    keys = list(keys)
    out: dict[str, tuple[str, ...]] = {}
    for name in RECORD_FIELDS:
        if name == "text" and opts.text_keys:
            out[name] = opts.text_keys
            continue
        mapped = getattr(opts, name) if name in _FIELDS else None
        if mapped:
            out[name] = (mapped,)
            continue
        guess = guess_key(DEFAULT_FIELDS.get(name, ()), keys)
        out[name] = (guess,) if guess is not None else ()
    return out


def id_like_key(opts: LoadOptions, keys: Iterable[str]) -> str | None:
    """Return an unmapped key that looks like an article id (see :data:`ID_COLUMNS`)."""
    if opts.id:
        return None
    return guess_key(ID_COLUMNS, keys)


def read_text(record: Mapping[str, Any], keys: tuple[str, ...]) -> tuple[list[str], str]:
    """Return the text keys found in ``record`` and the text (several joined in order)."""
    found, parts = [], []
    for key in keys:
        ok, value = lookup(record, key)
        if ok:
            found.append(key)
            parts.append(join_text(value))
    if len(keys) == 1:
        return found, parts[0] if parts else ""
    return found, "\n\n".join(p.strip() for p in parts if p.strip())


def check_columns(opts: LoadOptions, rel: str, columns: list[str]) -> None:
    """Raise :class:`FileProblem`, listing the columns, when a mapped column is missing."""
    present = dict.fromkeys(columns)
    for name in _FIELDS:
        if name == "outlet" and opts.outlet_from not in ("auto", "column"):
            continue
        keys = opts.text_keys if name == "text" else (getattr(opts, name),)
        for key in keys:
            if key and lookup(present, key)[0] is False:
                guess = guess_key([key], columns)
                hint = (
                    f"did you mean {spell(name, guess)}?"
                    if guess
                    else f"pass {spell(name, '<column>')} with one of them"
                )
                raise FileProblem(
                    f"missing {name} column",
                    f"{rel}: no column {key!r} (mapped with {spell(name, key)}); the "
                    f"columns are {columns}; {hint}",
                )
    if not opts.text and guess_key(DEFAULT_FIELDS["text"], columns) is None:
        raise FileProblem(
            "no text column",
            f"{rel}: none of the default text columns {list(DEFAULT_FIELDS['text'])} "
            f"exists (in any case); the columns are {columns}. Pass "
            f"{spell('text', '<column>')}, or {spell('text', '<column1>,<column2>')} "
            "to join several",
        )


class IdRepeats:
    """Values of unmapped id-like columns, to warn when they repeat (nothing is dropped)."""

    def __init__(self) -> None:
        self.first: dict[str, dict[Any, str]] = {}  # key -> value -> first source
        self.repeats: dict[str, list[tuple[Any, str, str]]] = {}

    def note(self, key: str, value: Any, source: str) -> None:
        """Remember one record's value of the id-like column ``key``."""
        if is_missing(value) or (
            isinstance(value, str) and value.strip().casefold() in _PLACEHOLDERS
        ):
            return
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        first = self.first.setdefault(key, {}).setdefault(value, source)
        if first != source:
            self.repeats.setdefault(key, []).append((value, first, source))

    def warnings(self) -> list[str]:
        """Return one warning per id-like column whose values repeat."""
        out = []
        for key, repeats in self.repeats.items():
            examples = "; ".join(f"{v!r} in {a} and {b}" for v, a, b in repeats[:3])
            out.append(
                f"column {key!r} looks like an article id and {len(repeats)} of its "
                f"values repeat ({examples}); ids are derived from the file and row, "
                "so each repeat loads as another article. If they are the same "
                f"articles, map the column with {spell('id', key)} (repeats are then "
                f"errors; {spell('errors', 'skip')} keeps the first copy) or pass "
                f"{spell('drop_duplicates', True)}"
            )
        return out
