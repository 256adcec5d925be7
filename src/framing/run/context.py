"""What a step of ``framing run`` receives and returns, and the run's error class.

Every step is a function ``run(ctx: StepContext) -> StepResult`` (one module per step
under :mod:`framing.run.steps`; the registry is :mod:`framing.run.registry`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from framing.run.config import RunConfig

__all__ = ["RunError", "StepContext", "StepResult"]


class RunError(RuntimeError):
    """A run cannot start or continue; the message says what to do."""


@dataclasses.dataclass
class StepResult:
    """What one step produced.

    Attributes
    ----------
    tables : dict
        Every table of the step, persisted as Parquet under ``cache/stages/<step>/``.
    exports : dict
        Table name -> formats written to ``tables/`` (``None`` = the configured
        ``tables.formats``).
    counts : dict
        Row counts and other numbers recorded in the manifest.
    meta : dict
        Other facts for the manifest (frame-set name and version, notes...).
    files : list
        Files the step wrote itself (figures, report), relative to the out folder.
    """

    tables: dict[str, pd.DataFrame] = dataclasses.field(default_factory=dict)
    exports: dict[str, Sequence[str] | None] = dataclasses.field(default_factory=dict)
    counts: dict[str, Any] = dataclasses.field(default_factory=dict)
    meta: dict[str, Any] = dataclasses.field(default_factory=dict)
    files: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class StepContext:
    """What a step reads: the configuration, the out folder and earlier tables.

    ``meta`` holds each finished step's facts (frame-set labels, figure names...);
    ``force`` is ``framing run --force`` (recompute, and re-read every input file).
    """

    cfg: RunConfig
    out: Path
    tables: dict[str, pd.DataFrame]
    meta: dict[str, dict[str, Any]]
    show_progress: bool
    log: Callable[[str], None]
    force: bool = False

    @property
    def cache_dir(self) -> Path:
        """The run's ``cache/`` folder (embedding cache, step tables)."""
        return self.out / "cache"

    def table(self, name: str) -> pd.DataFrame | None:
        """Return the table ``name`` if an earlier step made it, else None."""
        return self.tables.get(name)
