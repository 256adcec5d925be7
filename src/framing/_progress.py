"""Progress bars for long loops: shown on request, or by default for large jobs.

A bar is shown when ``show_progress=True``; with ``None`` (the default of the
public functions) only when the job is large *and* someone is watching (a
Jupyter kernel, or standard error is a terminal), so logs, tests and CI stay quiet.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["progress_bar", "wants_progress"]


def wants_progress(show_progress: bool | None, *, large: bool) -> bool:
    """Resolve a ``show_progress`` argument: ``None`` means large and interactive."""
    if show_progress is not None:
        return bool(show_progress)
    interactive = "ipykernel" in sys.modules or (
        hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
    )
    return large and interactive


def progress_bar(enabled: bool, total: int, *, unit: str, desc: str) -> Any:
    """Return a tqdm bar (terminal or Jupyter widget), or ``None`` when disabled."""
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit=unit, desc=desc, leave=False)
