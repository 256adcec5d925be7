"""What can go wrong while loading: errors, warnings and the record of a skipped item."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BinaryFile", "CorpusError", "CorpusWarning", "FileProblem", "RecordProblem", "Skip"]


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
    outlet : str
        The item's outlet when known (``""`` otherwise), for per-outlet counts.
    """

    source: str
    reason: str
    detail: str
    outlet: str = ""
