"""How ``framing`` reports problems: which errors are the user's, warnings shown once.

- :func:`_expected_errors`: the error classes that mean "fix your input", printed
  as ``framing: error: ...`` without a traceback (exit code 2);
- :func:`_write_error_message`: a plain message for a file that cannot be written;
- :func:`_show_warning`: each distinct warning once, without the code location.
"""

from __future__ import annotations

import errno
import sys
import warnings

__all__: list[str] = []


def _expected_errors() -> tuple[type[BaseException], ...]:
    """Error classes that mean "fix your input", reported without a traceback."""
    from framing.run.config import ConfigError
    from framing.run.context import RunError
    from framing.schema import SchemaError

    errors: list[type[BaseException]] = [ConfigError, RunError, SchemaError, FileNotFoundError]
    for module, name in (
        ("framing.corpus", "CorpusError"),
        ("framing.frames", "FrameSetError"),
        ("framing.frames.coding", "CodingSheetError"),
        ("framing.sentiment.actors", "ActorSetError"),
        ("framing.topics", "TopicModelError"),
        ("framing.embeddings", "EmbeddingModelError"),
    ):
        try:
            cls = getattr(__import__(module, fromlist=[name]), name)
        except (ImportError, AttributeError):
            continue
        if isinstance(cls, type) and issubclass(cls, BaseException):
            errors.append(cls)
    return tuple(errors)


_SHOWN: set[str] = set()


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Print each distinct warning once, without the code location."""
    text = str(message)
    if text not in _SHOWN:
        _SHOWN.add(text)
        print(f"framing: warning: {text}", file=sys.stderr)


def _listed_in_output(command: str) -> None:
    """Silence on stderr the warnings a command lists in its own output."""
    if command == "corpus":  # the summary ends with every loading warning
        from framing.corpus import CorpusWarning

        warnings.filterwarnings("ignore", category=CorpusWarning)


_WRITE_ERRORS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT}


def _write_error_message(exc: OSError) -> str | None:
    """Return a plain message for a file that cannot be written (permission, disk)."""
    if exc.errno not in _WRITE_ERRORS:
        return None
    where = exc.filename or "a file"
    advice = (
        "free some disk space"
        if exc.errno in (errno.ENOSPC, errno.EDQUOT)
        else "choose a folder you can write to"
    )
    return f"cannot write {where}: {exc.strerror or exc}; {advice}"
