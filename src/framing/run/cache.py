"""The step cache: every step's tables as Parquet, and a record of how they were made.

``cache/stages/<step>/<table>.parquet`` holds the tables; ``cache/stages.json`` maps
each step to its key, tables, exported files and manifest facts. A step whose record
is complete and whose key is unchanged is reloaded instead of recomputed.
"""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from framing.export import atomic_write, atomic_write_text, save_table
from framing.run.context import StepContext, StepResult

__all__ = ["load_tables", "persist", "read_records", "record_complete", "write_records"]


def stage_dir(out: Path, step: str) -> Path:
    """Return the folder of step ``step``'s Parquet tables."""
    return out / "cache" / "stages" / step


def _records_path(out: Path) -> Path:
    return out / "cache" / "stages.json"


def read_records(out: Path) -> dict[str, Any]:
    """Return the step records of ``out`` (``{}`` when none or unreadable)."""
    path = _records_path(out)
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        warnings.warn(f"{path} is unreadable; every step will run again", stacklevel=2)
        return {}


def write_records(out: Path, records: dict[str, Any]) -> None:
    """Write the step records atomically."""
    atomic_write_text(_records_path(out), json.dumps(records, indent=2, sort_keys=True))


def record_complete(out: Path, record: dict[str, Any] | None) -> bool:
    """Whether every table and file of ``record`` is still on disk."""
    if not record:
        return False
    step_dir = stage_dir(out, record["step"])
    tables_ok = all((step_dir / f"{t}.parquet").exists() for t in record.get("tables", []))
    files_ok = all((out / f).exists() for f in record.get("files", []))
    return tables_ok and files_ok


def load_tables(out: Path, record: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """Read back the tables of a recorded step."""
    step_dir = stage_dir(out, record["step"])
    return {t: pd.read_parquet(step_dir / f"{t}.parquet") for t in record.get("tables", [])}


def _parquet_bytes(table: pd.DataFrame) -> bytes:
    """Serialise ``table`` to Parquet; object columns Arrow cannot type become text."""
    clean = table.copy(deep=False)
    clean.attrs = {}
    buffer = io.BytesIO()
    try:
        clean.to_parquet(buffer, index=False)
    except (TypeError, ValueError, OverflowError):
        for col in clean.columns:
            if clean[col].dtype == object:
                clean[col] = clean[col].map(lambda v: v if v is None else str(v))
        buffer = io.BytesIO()
        clean.to_parquet(buffer, index=False)
    return buffer.getvalue()


def export_view(table: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO strings, so CSV and TeX show ``2025-05-15`` not a timestamp."""
    view = table.copy(deep=False)
    view.attrs = {}
    for col in view.columns:
        if pd.api.types.is_datetime64_any_dtype(view[col]):
            view[col] = view[col].dt.strftime("%Y-%m-%d").fillna("")
    return view


def persist(ctx: StepContext, step: str, result: StepResult) -> list[str]:
    """Write the step's Parquet tables and exports; return the exported files."""
    step_dir = stage_dir(ctx.out, step)
    for name, table in result.tables.items():
        data = _parquet_bytes(table)
        atomic_write(step_dir / f"{name}.parquet", lambda tmp, d=data: tmp.write_bytes(d))
    files = list(result.files)
    for name, formats in result.exports.items():
        paths = save_table(
            export_view(result.tables[name]),
            name,
            ctx.out / "tables",
            formats=formats or ctx.cfg.tables.formats,
        )
        files += [p.relative_to(ctx.out).as_posix() for p in paths]
    return files
