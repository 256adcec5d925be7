"""JSON and JSONL files: article objects, and list-valued bodies joined into text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from framing.corpus.decoding import _NEWLINES
from framing.corpus.problems import FileProblem, RecordProblem

__all__ = ["join_text", "read_json_records", "read_jsonl_records"]


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
