"""The codes file of the coding loop: one row per unit x coder, saved after every code.

The file is a CSV with ``unit_id``, ``coder``, ``labels`` (frame keys separated by
``;``, ``"none"`` or ``"unsure"``), ``coded_at`` (UTC, ISO 8601), and the unit's
``article_id``, ``outlet`` and ``text`` (so the file alone can train a model). It
is rewritten atomically (temporary file + :func:`os.replace`) after every code, so
closing a notebook or killing a process never loses or half-writes a code.

:func:`read_codes` validates a codes file (hand-edited or written by the panel);
:func:`coded_units` turns several coders' codes into one training label per unit;
:func:`coder_agreement` reports Krippendorff's alpha between coders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing.export import atomic_write_text
from framing.frames.coding import (
    NONE_LABEL,
    UNSURE_LABEL,
    CodingSheetError,
    _parse_cell,
    frame_keys,
)
from framing.frames.validation import krippendorff_alpha

__all__ = [
    "CODES_COLUMNS",
    "UNSURE_LABEL",
    "coded_units",
    "coder_agreement",
    "codes_from_sheet",
    "read_codes",
    "record_code",
    "training_table",
    "write_codes",
]

#: Columns of a codes file, in order.
CODES_COLUMNS = ["unit_id", "coder", "labels", "coded_at", "article_id", "outlet", "text"]


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in CODES_COLUMNS})


def _canonical(
    cell: Any, lookup: dict[str, str], order: dict[str, int], mode: str, where: str
) -> str:
    """One labels cell -> canonical ``"a;b"``, ``"none"`` or ``"unsure"``, or raise."""
    labels = _parse_cell(cell)
    if not labels:
        raise CodingSheetError(f"{where}: empty labels cell; write a frame, 'none' or 'unsure'")
    low = [lab.lower() for lab in labels]
    if len(low) == 1 and low[0] in (NONE_LABEL, UNSURE_LABEL):
        return low[0]
    if NONE_LABEL in low or UNSURE_LABEL in low:
        raise CodingSheetError(f"{where}: 'none'/'unsure' combined with frames {labels}")
    unknown = [lab for lab, lw in zip(labels, low, strict=True) if lw not in lookup]
    if unknown:
        raise CodingSheetError(
            f"{where}: unknown frame name(s) {unknown}. Valid labels: "
            f"{[*order, NONE_LABEL, UNSURE_LABEL]}"
        )
    keys = sorted({lookup[lw] for lw in low}, key=order.__getitem__)
    if mode == "single" and len(keys) > 1:
        raise CodingSheetError(
            f"{where}: {keys} are several frames, but the coding is single-label (one frame "
            "per unit); code one, or use mode='multi'"
        )
    return ";".join(keys)


def read_codes(
    codes: str | Path | pd.DataFrame,
    frames: Any,
    *,
    units: pd.DataFrame | None = None,
    mode: str = "single",
) -> pd.DataFrame:
    """Read and validate a codes file.

    Parameters
    ----------
    codes : path or DataFrame
        A codes file (see the module docstring); the text columns are optional
        when ``units`` is given (they are filled from it).
    frames : frame set or list of keys
        Valid frame keys (or labels, case-insensitive), plus ``none`` and ``unsure``.
    units : DataFrame, optional
        The corpus's units table; every ``unit_id`` must be in it.
    mode : {"single", "multi"}, default="single"
        ``single``: one frame (or none/unsure) per code.

    Returns
    -------
    pandas.DataFrame
        :data:`CODES_COLUMNS`, labels in canonical form; identical repeated rows are
        kept once.

    Raises
    ------
    CodingSheetError
        An empty file, missing columns, unknown frame names, several frames in single
        mode, conflicting codes for one unit from one coder, or units not in the
        corpus; each names the line(s) (line 2 = first data row) and what to do.
        Nothing is written: the file stays as it was.
    """
    source = str(codes) if isinstance(codes, str | Path) else "the codes table"
    if isinstance(codes, pd.DataFrame):
        table = codes.copy()
    else:
        try:
            table = pd.read_csv(codes, dtype=str, keep_default_na=False)
        except pd.errors.EmptyDataError:
            table = pd.DataFrame()
        except FileNotFoundError as exc:
            raise CodingSheetError(f"{source}: no such codes file") from exc
    if table.empty:
        raise CodingSheetError(f"{source}: the codes file is empty (no header and no codes)")
    missing = [c for c in ("unit_id", "labels") if c not in table.columns]
    if missing:
        raise CodingSheetError(
            f"{source}: missing column(s) {missing}; a codes file needs 'unit_id', 'labels' "
            f"and optionally 'coder'; it has {list(table.columns)}"
        )
    if "coder" not in table.columns:
        table["coder"] = "coder_1"
    table = table.reset_index(drop=True)
    table["unit_id"] = table["unit_id"].astype(str)
    table["coder"] = table["coder"].astype(str).replace("", "coder_1")
    keys, lookup = frame_keys(frames)
    order = {k: i for i, k in enumerate(keys)}
    table["labels"] = [
        _canonical(cell, lookup, order, mode, f"{source}: line {i + 2}, unit {uid!r}")
        for i, (cell, uid) in enumerate(zip(table["labels"], table["unit_id"], strict=True))
    ]
    table = table.drop_duplicates(subset=["unit_id", "coder", "labels"])
    clash = table[table.duplicated(subset=["unit_id", "coder"], keep=False)]
    if len(clash):
        first = clash.groupby(["unit_id", "coder"], sort=False)
        shown = [
            f"unit {u!r}, coder {c!r}: lines {[int(i) + 2 for i in g.index]} say "
            f"{g['labels'].tolist()}"
            for (u, c), g in list(first)[:5]
        ]
        raise CodingSheetError(
            f"{source}: conflicting codes for one unit from one coder ({'; '.join(shown)}); "
            "keep one row per unit and coder"
        )
    if units is not None:
        known = pd.Index(units["unit_id"].astype(str))
        outside = ~table["unit_id"].isin(known)
        if outside.any():
            bad = [f"line {int(i) + 2}: {u!r}" for i, u in table.loc[outside, "unit_id"].items()]
            raise CodingSheetError(
                f"{source}: {int(outside.sum())} unit(s) not in the corpus "
                f"({'; '.join(bad[:5])}); was "
                "the corpus split differently (units.unit) or changed since coding?"
            )
        info = units.assign(unit_id=units["unit_id"].astype(str)).set_index("unit_id")
        for col in ("article_id", "outlet", "text"):
            if col in info and (col not in table or (table[col].astype(str) == "").all()):
                table[col] = info.loc[table["unit_id"], col].astype(str).to_numpy()
    return table.reindex(columns=CODES_COLUMNS).astype(object).fillna("").reset_index(drop=True)


def write_codes(codes: pd.DataFrame, path: str | Path) -> Path:
    """Write a codes table to ``path`` atomically (all or nothing)."""
    return atomic_write_text(Path(path), codes.reindex(columns=CODES_COLUMNS).to_csv(index=False))


def record_code(
    codes: pd.DataFrame,
    path: str | Path | None,
    unit: pd.Series | dict,
    coder: str,
    labels: str | Sequence[str],
) -> pd.DataFrame:
    """Add (or replace) ``coder``'s code of ``unit`` and save the file at once.

    A new code of a unit by the same coder replaces the old one (a correction).
    ``labels`` must already be canonical (frame keys, ``"none"`` or ``"unsure"``).
    Returns the new table; the file is rewritten atomically when ``path`` is given.
    """
    text = labels if isinstance(labels, str) else ";".join(labels) or NONE_LABEL
    row = {
        "unit_id": str(unit["unit_id"]),
        "coder": str(coder),
        "labels": text,
        "coded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "article_id": str(unit.get("article_id", "")),
        "outlet": str(unit.get("outlet", "") if unit.get("outlet") is not None else ""),
        "text": str(unit.get("text", "")),
    }
    keep = ~((codes["unit_id"] == row["unit_id"]) & (codes["coder"] == row["coder"]))
    out = pd.concat([codes.loc[keep], pd.DataFrame([row])], ignore_index=True)
    if path is not None:
        write_codes(out, path)
    return out


def coded_units(codes: pd.DataFrame, *, mode: str = "single") -> pd.DataFrame:
    """One training row per unit from all coders' codes (majority vote).

    ``unsure`` codes are ignored. ``single``: the label most coders gave; a tie
    leaves the unit out. ``multi``: each frame is present when more than half of
    the unit's coders marked it; a tie on any frame leaves the unit out.

    Returns
    -------
    pandas.DataFrame
        ``unit_id, article_id, outlet, text, labels, n_coders`` in the order units
        were first coded; ``attrs["n_ties"]`` counts units left out by ties.
    """
    sure = codes[codes["labels"] != UNSURE_LABEL]
    if sure.empty:
        out = pd.DataFrame(columns=["unit_id", "article_id", "outlet", "text", "labels"])
        out.attrs["n_ties"] = 0
        return out.assign(n_coders=pd.Series(dtype="int64"))
    rows, ties = [], 0
    for uid, group in sure.groupby("unit_id", sort=False):
        n = len(group)
        if mode == "single":
            counts = group["labels"].value_counts()
            if len(counts) > 1 and counts.iloc[0] == counts.iloc[1]:
                ties += 1
                continue
            label = counts.index[0]
        else:
            sets = [set(v.split(";")) - {NONE_LABEL} for v in group["labels"]]
            frames = sorted(set().union(*sets))
            votes = {f: sum(f in s for s in sets) for f in frames}
            if any(2 * v == n for v in votes.values()):
                ties += 1
                continue
            label = ";".join(f for f in frames if 2 * votes[f] > n) or NONE_LABEL
        first = group.iloc[0]
        rows.append(
            {
                "unit_id": uid,
                "article_id": first["article_id"],
                "outlet": first["outlet"],
                "text": first["text"],
                "labels": label,
                "n_coders": n,
            }
        )
    out = pd.DataFrame(rows)
    out.attrs["n_ties"] = ties
    return out


def coder_agreement(codes: pd.DataFrame, frames: Any, *, mode: str = "single") -> pd.DataFrame:
    """Krippendorff's alpha between coders, on the units at least two coders coded.

    ``unsure`` counts as not coded. ``single``: one nominal alpha over the labels
    (frames and ``none``); ``multi``: one alpha per frame on its presence (0/1),
    plus their mean. Alpha (Krippendorff 2011, via :func:`krippendorff_alpha`): 1 =
    perfect agreement, 0 = chance, negative = systematic disagreement; NaN when no
    unit has two codes or only one value occurs.

    Returns
    -------
    pandas.DataFrame
        ``frame`` (``"all"`` for the single-label alpha, ``"mean"`` for the
        multi-label mean), ``alpha``, ``n_units`` (units with >= 2 codes),
        ``n_coders``.
    """
    sure = codes[codes["labels"] != UNSURE_LABEL]
    wide = sure.pivot(index="coder", columns="unit_id", values="labels")
    paired = wide.columns[wide.notna().sum(axis=0) >= 2]
    wide = wide[paired]
    n_units, n_coders = len(paired), int(wide.shape[0])
    if mode == "single":
        alpha = krippendorff_alpha(wide.to_numpy(dtype=object)) if n_units else np.nan
        return pd.DataFrame(
            [{"frame": "all", "alpha": alpha, "n_units": n_units, "n_coders": n_coders}]
        )
    keys, _ = frame_keys(frames)
    rows = []
    for key in keys:
        present = wide.map(lambda v, k=key: np.nan if pd.isna(v) else float(k in v.split(";")))
        alpha = krippendorff_alpha(present.to_numpy(dtype=float)) if n_units else np.nan
        rows.append({"frame": key, "alpha": alpha, "n_units": n_units, "n_coders": n_coders})
    out = pd.DataFrame(rows)
    mean = {
        "frame": "mean",
        "alpha": out["alpha"].mean(),
        "n_units": n_units,
        "n_coders": n_coders,
    }
    return pd.concat([out, pd.DataFrame([mean])], ignore_index=True)


def training_table(
    path: str | Path,
    frames: Any,
    *,
    mode: str = "single",
    units: pd.DataFrame | None = None,
) -> str | Path | pd.DataFrame:
    """Return what :func:`~framing.frames.supervised.train_frame_classifier` should read.

    A codes file of the coding loop (it has a ``coder`` column) is validated with
    :func:`read_codes` (against ``units`` when given) and merged across coders with
    :func:`coded_units` (``text``, ``labels``); any other coded CSV (text plus a
    ``labels`` column or 0/1 frame columns) is returned as the path, unchanged.
    """
    try:
        header = pd.read_csv(path, nrows=0)
    except pd.errors.EmptyDataError as exc:
        raise CodingSheetError(
            f"{path}: the coded file is empty (no header and no codes)"
        ) from exc
    except FileNotFoundError as exc:
        raise CodingSheetError(f"{path}: no such coded file (frames.coded)") from exc
    if "coder" not in header.columns:
        return path
    codes = read_codes(path, frames, units=units if "unit_id" in header else None, mode=mode)
    return coded_units(codes, mode=mode)[["unit_id", "text", "labels"]]


def codes_from_sheet(
    sheet: str | Path | pd.DataFrame,
    frames: Any,
    *,
    units: pd.DataFrame | None = None,
    mode: str = "multi",
) -> pd.DataFrame:
    """Turn a coding sheet (one ``coder_*`` column per coder) into a codes table.

    For sheets from :func:`framing.frames.coding.export_coding_sheet`: each
    non-empty ``coder_*`` cell becomes one code, validated by :func:`read_codes`.
    """
    table = (
        pd.read_csv(sheet, dtype=str, keep_default_na=False)
        if not isinstance(sheet, pd.DataFrame)
        else sheet
    )
    coders = [c for c in table.columns if str(c).lower().startswith("coder")]
    if "unit_id" not in table.columns or not coders:
        raise CodingSheetError(
            f"{sheet if not isinstance(sheet, pd.DataFrame) else 'the sheet'}: a coding sheet "
            f"needs 'unit_id' and 'coder_*' columns; it has {list(table.columns)}"
        )
    keep = [c for c in ("unit_id", "text") if c in table.columns]
    long = table.melt(id_vars=keep, value_vars=coders, var_name="coder", value_name="labels")
    long = long[long["labels"].astype(str).str.strip() != ""]
    return read_codes(long.reset_index(drop=True), frames, units=units, mode=mode)
