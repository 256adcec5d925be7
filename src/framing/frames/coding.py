"""Human coding of frames: sample units, blinded coding sheets, coded labels.

The workflow (Krippendorff 2004; Grimmer & Stewart 2013, "validate, validate,
validate"):

1. :func:`sample_for_coding` draws a stratified random sample of units (by outlet
   x predicted frame, including a ``"none"`` stratum) from a :class:`FrameScores`;
2. :func:`export_coding_sheet` writes it as a *blinded* CSV: coders see the text
   and empty ``coder_*`` columns, never the scores, the predicted frame or (by
   default) the outlet;
3. coders enter frame keys in their column, separated by ``;`` (``"none"`` for no
   frame, empty for "not coded");
4. :func:`read_coding_sheet` reads the coded CSV back and validates every label;
5. :func:`framing.frames.validation.agreement_report` compares the method with the
   coders.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing.export import atomic_write_text
from framing.frames.results import FrameScores
from framing.frames.sets import load_frame_set

__all__ = [
    "NONE_LABEL",
    "UNSURE_LABEL",
    "CodingSheetError",
    "export_coding_sheet",
    "frame_keys",
    "majority_labels",
    "parse_coded_labels",
    "read_coding_sheet",
    "sample_for_coding",
]

NONE_LABEL = "none"
#: Code for "cannot decide": kept in a codes file, left out of training and agreement.
UNSURE_LABEL = "unsure"
_LABEL_SPLIT = re.compile(r"\s*[;,|]\s*")


class CodingSheetError(ValueError):
    """A coded table has missing columns or labels that are not frames."""


def frame_keys(frames: Any) -> tuple[list[str], dict[str, str]]:
    """Frame keys and a lookup {lowercased key or label: key}."""
    if isinstance(frames, Sequence) and not isinstance(frames, str):
        keys = [str(k) for k in frames]
        return keys, {k.lower(): k for k in keys}
    frame_set = load_frame_set(frames)
    lookup = {k.lower(): k for k in frame_set.keys}
    lookup.update({f.label.lower(): k for k, f in frame_set.frames.items()})
    return frame_set.keys, lookup


def _parse_cell(value: Any) -> list[str] | None:
    """Split one cell into labels; None = not coded."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    if not text:
        return None
    return [part for part in _LABEL_SPLIT.split(text) if part]


def _labels_to_matrix(
    cells: pd.Series, keys: list[str], lookup: Mapping[str, str], where: str
) -> pd.DataFrame:
    """Label strings -> 0/1 frame matrix (NaN rows for uncoded cells)."""
    rows: list[dict[str, float]] = []
    problems: list[str] = []
    for row_number, value in zip(range(len(cells)), cells, strict=True):
        labels = _parse_cell(value)
        if labels is None:
            rows.append(dict.fromkeys(keys, np.nan))
            continue
        found: dict[str, float] = dict.fromkeys(keys, 0.0)
        lowered = [lab.lower() for lab in labels]
        if NONE_LABEL in lowered and len(lowered) > 1:
            problems.append(f"line {row_number + 2}: 'none' combined with frames {labels}")
        for label, low in zip(labels, lowered, strict=True):
            if low == NONE_LABEL:
                continue
            if low not in lookup:
                problems.append(f"line {row_number + 2}: unknown label {label!r}")
                continue
            found[lookup[low]] = 1.0
        rows.append(found)
    if problems:
        shown = "; ".join(problems[:10]) + (
            f"; ... ({len(problems)} in all)" if len(problems) > 10 else ""
        )
        raise CodingSheetError(
            f"{where}: {shown}. Valid labels: {[*keys, NONE_LABEL]} (several frames "
            "separated by ';'; leave the cell empty if the unit was not coded)"
        )
    return pd.DataFrame(rows, columns=keys, index=cells.index)


def parse_coded_labels(
    table: pd.DataFrame,
    frames: Any = None,
    *,
    text_column: str | None = "text",
    labels_column: str = "labels",
    source: str = "the coded table",
) -> pd.DataFrame:
    """Turn human codes into a 0/1 matrix with one column per frame.

    Two layouts are accepted: a ``labels`` column holding frame keys (or labels)
    separated by ``;`` (``"none"`` or empty for no frame), or one column per frame
    holding 0/1 (or true/false).

    Parameters
    ----------
    table : pandas.DataFrame
        Coded units.
    frames : frame set, list of keys, or None
        Valid frames. ``None`` infers them: the distinct labels of the labels
        column, or every 0/1 column.
    text_column : str or None, default="text"
        Required column (None: not required).
    labels_column : str, default="labels"
    source : str
        Name used in error messages (e.g. the CSV path).

    Returns
    -------
    pandas.DataFrame
        Integer 0/1 matrix, index of ``table``, one column per frame.

    Raises
    ------
    CodingSheetError
        Missing columns, unknown labels or non-0/1 frame columns, naming them and
        the valid ones.

    Examples
    --------
    >>> coded = pd.DataFrame({"text": ["a", "b"], "labels": ["conflict;Morality", "none"]})
    >>> parse_coded_labels(coded, ["conflict", "morality"])
       conflict  morality
    0         1         1
    1         0         0
    """
    if text_column is not None and text_column not in table.columns:
        raise CodingSheetError(
            f"{source}: missing the text column {text_column!r}; columns are {list(table.columns)}"
        )
    keys, lookup = frame_keys(frames) if frames is not None else (None, None)
    if labels_column in table.columns:
        if keys is None:
            found = {
                lab
                for cell in table[labels_column]
                for lab in (_parse_cell(cell) or [])
                if lab.lower() != NONE_LABEL
            }
            keys = sorted(found)
            lookup = {k.lower(): k for k in keys}
        matrix = _labels_to_matrix(table[labels_column], keys, lookup, source)
        uncoded = int(matrix.isna().all(axis=1).sum())
        if uncoded:
            raise CodingSheetError(
                f"{source}: {uncoded} row(s) have an empty {labels_column!r} cell; write "
                "'none' for units without a frame or remove uncoded rows"
            )
        return matrix.astype("int64")
    skip = {text_column, "unit_id", "article_id", "outlet", "item", "position"}
    candidates = [c for c in table.columns if c not in skip]
    if keys is None:
        keys = [c for c in candidates if _is_binary(table[c])]
    missing = [k for k in keys if k not in table.columns]
    if not keys or missing:
        raise CodingSheetError(
            f"{source}: found neither a {labels_column!r} column nor 0/1 columns for "
            f"frame(s) {missing or keys}; columns are {list(table.columns)}. Valid frames: "
            f"{keys}"
        )
    bad = [k for k in keys if not _is_binary(table[k])]
    if bad:
        raise CodingSheetError(
            f"{source}: frame column(s) {bad} must hold only 0/1 (or true/false) with "
            "no empty cells"
        )
    return table[keys].astype(float).astype("int64")


def _is_binary(column: pd.Series) -> bool:
    if column.isna().any():
        return False
    if pd.api.types.is_bool_dtype(column):
        return True
    try:
        values = set(pd.to_numeric(column).unique().tolist())
    except (ValueError, TypeError):
        values = {str(v).strip().lower() for v in column.unique()}
        return values <= {"true", "false"} and bool(values)
    return values <= {0, 1} and bool(values)


# ------------------------------------------------------------ sampling / sheets


def _unit_table(unit_scores: FrameScores | pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (unit x frame scores, unit texts) from FrameScores or a units table."""
    if isinstance(unit_scores, FrameScores):
        return unit_scores.units, unit_scores.texts
    needed = {"unit_id", "frame", "score", "present", "text"}
    missing = sorted(needed - set(unit_scores.columns))
    if missing:
        raise CodingSheetError(
            f"sample_for_coding needs a FrameScores or a unit x frame table with "
            f"{sorted(needed)}; missing {missing}"
        )
    texts = unit_scores.drop_duplicates("unit_id")
    cols = [c for c in ("unit_id", "article_id", "outlet", "text") if c in texts]
    return unit_scores, texts[cols]


def sample_for_coding(
    unit_scores: FrameScores | pd.DataFrame,
    *,
    n_per_stratum: int,
    random_state: int = 0,
    n_coders: int = 2,
) -> pd.DataFrame:
    """Draw a stratified random sample of units for human coding.

    Each unit's *predicted frame* is the present frame with the highest score
    (ties broken at random, seeded), or ``"none"`` when no frame is present.
    Strata are outlet x predicted frame; ``n_per_stratum`` units are drawn
    without replacement from each (all of them when a stratum is smaller, with a
    warning). Rows are shuffled so that coders cannot infer the stratum from the
    order.

    Because small strata are over-sampled, agreement measured on the sample
    describes the method across frames, not the corpus-wide error rate; the
    ``weight`` column (stratum size / units drawn) re-weights to the corpus.

    Parameters
    ----------
    unit_scores : FrameScores or DataFrame
        Scores from :func:`framing.score_frames` (or its ``units`` table with a
        ``text`` column).
    n_per_stratum : int
        Units per outlet x predicted-frame stratum.
    random_state : int, default=0
    n_coders : int, default=2
        Number of empty ``coder_<i>`` columns.

    Returns
    -------
    pandas.DataFrame
        ``item``, ``unit_id``, ``article_id``, ``outlet``, ``predicted_frame``,
        ``stratum_size``, ``weight``, ``text``, ``coder_1`` ... (empty strings).
        Only ``item``, ``unit_id``, ``text`` and the coder columns go to coders
        (:func:`export_coding_sheet`).
    """
    if n_per_stratum < 1:
        raise ValueError(f"n_per_stratum must be >= 1, got {n_per_stratum}")
    units, texts = _unit_table(unit_scores)
    rng = np.random.default_rng(random_state)
    wide = units.pivot(index="unit_id", columns="frame", values="score")
    present = units.pivot(index="unit_id", columns="frame", values="present").astype(bool)
    frames = list(wide.columns)
    jitter = rng.random(wide.shape)  # random tie-break between equal top scores
    ranked = np.where(present.to_numpy(), wide.to_numpy(dtype=float), -np.inf)
    top = ranked.max(axis=1, keepdims=True) if ranked.size else ranked
    best = np.argmax(np.where((ranked == top) & np.isfinite(ranked), jitter, -1.0), axis=1)
    best = np.where(np.isfinite(ranked).any(axis=1), best, -1)
    predicted = pd.Series(
        [frames[b] if b >= 0 else "none" for b in best], index=wide.index, name="predicted_frame"
    )
    table = texts.set_index("unit_id").join(predicted, how="inner").reset_index()
    if "outlet" not in table:
        table["outlet"] = ""
    picks = []
    short = []
    for (outlet, frame), group in table.groupby(["outlet", "predicted_frame"], sort=True):
        take = min(n_per_stratum, len(group))
        if take < n_per_stratum:
            short.append(f"{outlet or '(no outlet)'} x {frame}: {len(group)}")
        chosen = group.iloc[rng.choice(len(group), size=take, replace=False)].copy()
        chosen["stratum_size"] = len(group)
        chosen["weight"] = len(group) / take
        picks.append(chosen)
    if short:
        warnings.warn(
            f"{len(short)} stratum/strata have fewer than {n_per_stratum} units and are "
            f"taken whole: {short[:8]}",
            stacklevel=2,
        )
    sample = pd.concat(picks, ignore_index=True) if picks else table.iloc[:0]
    sample = sample.iloc[rng.permutation(len(sample))].reset_index(drop=True)
    sample.insert(0, "item", np.arange(1, len(sample) + 1))
    for i in range(1, n_coders + 1):
        sample[f"coder_{i}"] = ""
    cols = [
        "item",
        "unit_id",
        "article_id",
        "outlet",
        "predicted_frame",
        "stratum_size",
        "weight",
        "text",
        *[f"coder_{i}" for i in range(1, n_coders + 1)],
    ]
    return sample.reindex(columns=cols)


def export_coding_sheet(
    sample: pd.DataFrame,
    path: str | Path,
    *,
    frames: Any = None,
    show_outlet: bool = False,
) -> list[Path]:
    """Write a blinded coding sheet (CSV) and, with ``frames``, its codebook.

    The sheet holds ``item``, ``unit_id``, ``text`` (plus ``outlet`` when
    ``show_outlet``) and the empty ``coder_*`` columns: never a score or the
    predicted frame. The codebook ``<stem>_codebook.csv`` lists every valid label
    (``key``, ``label``, ``description``) and ``none``.

    Returns
    -------
    list of Path
        The files written (atomically).
    """
    coder_cols = [c for c in sample.columns if str(c).startswith("coder")]
    if not coder_cols:
        raise CodingSheetError(
            f"the sample has no coder_* columns (columns: {list(sample.columns)}); make "
            "it with sample_for_coding"
        )
    cols = ["item", "unit_id", *(["outlet"] if show_outlet else []), "text", *coder_cols]
    missing = [c for c in cols if c not in sample.columns]
    if missing:
        raise CodingSheetError(f"the sample is missing column(s) {missing}")
    path = Path(path)
    written = [atomic_write_text(path, sample[cols].to_csv(index=False))]
    if frames is not None:
        fs = load_frame_set(frames)
        book = pd.DataFrame(
            [(k, f.label, f.description) for k, f in fs.frames.items()]
            + [(NONE_LABEL, "None", "None of the frames above is present.")],
            columns=["key", "label", "description"],
        )
        book_path = path.with_name(f"{path.stem}_codebook.csv")
        written.append(atomic_write_text(book_path, book.to_csv(index=False)))
    return written


def read_coding_sheet(
    path: str | Path | pd.DataFrame,
    frames: Any,
    *,
    coder_columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Read a coded sheet and return one row per unit x coder x frame.

    Parameters
    ----------
    path : path or DataFrame
        The coded CSV (from :func:`export_coding_sheet`).
    frames : frame set or list of keys
        Valid labels: frame keys or labels (case-insensitive), ``"none"``.
    coder_columns : list of str, optional
        Default: every column whose name starts with ``"coder"``.

    Returns
    -------
    pandas.DataFrame
        ``unit_id``, ``coder``, ``frame``, ``present`` (nullable Int8: 1, 0, or
        ``<NA>`` when that coder left the unit empty).

    Raises
    ------
    CodingSheetError
        Missing ``unit_id``/coder columns, repeated units, or unknown labels
        (naming the line, the label and the valid labels).
    """
    source = str(path) if not isinstance(path, pd.DataFrame) else "the coding sheet"
    sheet = (
        pd.read_csv(path, dtype=str, keep_default_na=False)
        if not isinstance(path, pd.DataFrame)
        else path
    )
    coders = (
        list(coder_columns)
        if coder_columns is not None
        else [c for c in sheet.columns if str(c).lower().startswith("coder")]
    )
    missing = [c for c in ("unit_id", *coders) if c not in sheet.columns]
    if missing or not coders:
        raise CodingSheetError(
            f"{source}: missing column(s) {missing or ['coder_1']}; a coding sheet needs "
            f"'unit_id' and at least one 'coder_*' column; it has {list(sheet.columns)}"
        )
    if sheet["unit_id"].duplicated().any():
        dup = sheet.loc[sheet["unit_id"].duplicated(), "unit_id"].head(5).tolist()
        raise CodingSheetError(f"{source}: unit_id repeats, e.g. {dup}; one row per unit")
    keys, lookup = frame_keys(frames)
    parts = []
    for coder in coders:
        matrix = _labels_to_matrix(sheet[coder], keys, lookup, f"{source}, column {coder!r}")
        matrix.index = sheet["unit_id"].astype(str).to_numpy()
        long = (
            matrix.rename_axis("unit_id")
            .reset_index()
            .melt(id_vars="unit_id", var_name="frame", value_name="present")
        )
        long.insert(1, "coder", str(coder))
        parts.append(long)
    out = pd.concat(parts, ignore_index=True)
    out["present"] = out["present"].astype("Int8")
    uncoded = out.groupby("coder")["present"].apply(lambda s: int(s.isna().sum()))
    if uncoded.sum():
        warnings.warn(
            f"{source}: some units are not coded (empty cells) and count as missing: "
            f"{(uncoded // max(len(keys), 1)).to_dict()} unit(s) per coder",
            stacklevel=2,
        )
    return out[["unit_id", "coder", "frame", "present"]]


def majority_labels(coded: pd.DataFrame) -> pd.DataFrame:
    """Return the coders' majority per unit x frame.

    Parameters
    ----------
    coded : pandas.DataFrame
        Long table from :func:`read_coding_sheet`.

    Returns
    -------
    pandas.DataFrame
        ``unit_id``, ``frame``, ``truth`` (1.0 / 0.0, NaN on a tie or when no
        coder coded the unit), ``n_coders`` (coders who coded it), ``tie`` (bool).
    """
    valid = coded.dropna(subset=["present"])
    grouped = valid.groupby(["unit_id", "frame"], sort=False)["present"]
    stats = pd.DataFrame({"yes": grouped.sum().astype(float), "n_coders": grouped.size()})
    tie = 2 * stats["yes"] == stats["n_coders"]
    truth = (2 * stats["yes"] > stats["n_coders"]).astype(float).where(~tie)
    out = pd.DataFrame(
        {"truth": truth, "n_coders": stats["n_coders"].astype("int64"), "tie": tie}
    ).reset_index()
    return out
