"""Which key of a structured record holds each field of the ``articles`` table.

A mapped key (``text="body"``) is looked up as given; a dotted key walks nested
objects (``"source.name"``). An unmapped field tries :data:`DEFAULT_FIELDS` in
order: first an exact key, then the same names ignoring case (``Text``, ``BODY``,
``Content``), so a file whose columns match exactly reads as before. ``text`` may
name several keys; their values are joined in order with a blank line between.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from framing.corpus.formats.structured import join_text
from framing.corpus.options import _FIELDS, DEFAULT_FIELDS, LoadOptions
from framing.schema import is_missing

__all__ = ["ID_COLUMNS", "as_str", "guess_key", "id_like_key", "lookup", "resolve_keys"]

#: Column names (any case) that usually hold an article id.
ID_COLUMNS: tuple[str, ...] = ("id", "article_id", "articleid", "doc_id", "docid", "uuid", "guid")
#: The fields read from a record, besides ``id``.
RECORD_FIELDS = ("text", "title", "author", "url", "published", "outlet")


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
