"""Progress for long work: bars when someone watches, plain lines in logs, heartbeats.

- :func:`progress_bar` is a tqdm bar when standard error is a terminal or the code
  runs in Jupyter, and otherwise (a log file, a pipe, CI) a :class:`LineProgress` that
  prints one plain line every :data:`LINE_EVERY` seconds instead of thousands of
  ``\\r`` updates.
- :func:`wants_progress` resolves a ``show_progress`` argument: with ``None`` (the
  default of the public functions) progress shows only when the job is large *and*
  someone is watching, so logs, tests and CI stay quiet.
- :func:`heartbeat` prints "still working" every so often while a long step runs, so
  that a phase that reports nothing itself (loading a model, compiling numba code)
  does not look hung.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

__all__ = [
    "LineProgress",
    "heartbeat",
    "interactive",
    "note_output",
    "progress_bar",
    "wants_progress",
]

#: Seconds between two plain progress lines (and before the first one).
LINE_EVERY = 10.0
#: Seconds of silence before :func:`heartbeat` prints, then between its lines.
HEARTBEAT_FIRST, HEARTBEAT_EVERY = 10.0, 30.0
_last_output = [time.monotonic()]


def interactive() -> bool:
    """Whether someone watches: a Jupyter kernel, or standard error is a terminal."""
    return "ipykernel" in sys.modules or bool(
        hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
    )


def note_output() -> None:
    """Record that progress was just printed (a heartbeat then waits)."""
    _last_output[0] = time.monotonic()


def wants_progress(show_progress: bool | None, *, large: bool) -> bool:
    """Resolve a ``show_progress`` argument: ``None`` means large and interactive."""
    if show_progress is not None:
        return bool(show_progress)
    return large and interactive()


class LineProgress:
    """A progress "bar" for logs: a plain line every ``every`` seconds, then one at the end.

    Has the part of tqdm's interface the package uses: ``n``, ``total``,
    ``update(k)`` and ``close()``.

    Examples
    --------
    >>> lines = []
    >>> bar = LineProgress(4, unit="article", desc="Splitting", every=0, write=lines.append)
    >>> bar.update(2); bar.update(2); bar.close()
    >>> lines[0]
    'Splitting: 2/4 articles (50%)'
    >>> lines[-1].startswith("Splitting: done, 4 articles in ")
    True
    """

    def __init__(
        self,
        total: int,
        *,
        unit: str,
        desc: str,
        every: float = LINE_EVERY,
        write: Callable[[str], None] | None = None,
    ) -> None:
        self.n = 0
        self.total = int(total)
        self.unit = unit
        self.desc = desc
        self.every = every
        self._write = write or _stderr_line
        self._start = self._last = time.monotonic()
        self._printed = False

    def update(self, k: int = 1) -> None:
        """Count ``k`` more; print a line when ``every`` seconds have passed."""
        self.n += int(k)
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            pct = f" ({100 * self.n / self.total:.0f}%)" if self.total else ""
            self._emit(f"{self.desc}: {self.n:,}/{self.total:,} {self.unit}s{pct}")

    def close(self) -> None:
        """Print the closing line if any progress line was printed."""
        if self._printed:
            seconds = time.monotonic() - self._start
            self._emit(f"{self.desc}: done, {self.n:,} {self.unit}s in {seconds:.0f} s")

    def _emit(self, text: str) -> None:
        self._printed = True
        note_output()
        self._write(text)


def _stderr_line(text: str) -> None:
    print(f"framing: {text}", file=sys.stderr, flush=True)


def progress_bar(enabled: bool, total: int, *, unit: str, desc: str) -> Any:
    """Return a tqdm bar, a :class:`LineProgress` (not interactive), or ``None``."""
    if not enabled:
        return None
    if not interactive():
        return LineProgress(total, unit=unit, desc=desc)
    from tqdm.auto import tqdm

    return tqdm(total=total, unit=unit, desc=desc, leave=False)


@contextlib.contextmanager
def heartbeat(
    log: Callable[[str], None] | None,
    label: str,
    *,
    first: float | None = None,
    every: float | None = None,
) -> Iterator[None]:
    """While the block runs, call ``log(f"{label}: still working (N s)")`` now and then.

    The first line comes after ``first`` seconds without other progress output
    (:func:`note_output`), the next ones every ``every`` seconds of silence
    (defaults: :data:`HEARTBEAT_FIRST`, :data:`HEARTBEAT_EVERY`). ``log`` None:
    nothing is printed.
    """
    if log is None:
        yield
        return
    first = HEARTBEAT_FIRST if first is None else first
    every = HEARTBEAT_EVERY if every is None else every
    stop = threading.Event()
    start = time.monotonic()
    note_output()

    def beat() -> None:
        wait = first
        while not stop.wait(max(0.05, wait - (time.monotonic() - _last_output[0]))):
            silent = time.monotonic() - _last_output[0]
            if silent >= wait:
                log(f"{label}: still working ({time.monotonic() - start:.0f} s)")
                note_output()
                wait = every

    thread = threading.Thread(target=beat, name="framing-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
