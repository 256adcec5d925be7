"""Validate automated frame scores against human coding.

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
5. :func:`agreement_report` gives, per frame, precision, recall and F1 of the
   method against the coders' majority, and Krippendorff's alpha (nominal) between
   the coders and between the method and the coders' majority, with bootstrap CIs.

:func:`krippendorff_alpha` is our own implementation of nominal alpha
(Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"), which handles
any number of coders and missing values.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from framing.frames.core import FrameScores

__all__ = [
    "CodingSheetError",
    "agreement_report",
    "export_coding_sheet",
    "krippendorff_alpha",
    "majority_labels",
    "parse_coded_labels",
    "read_coding_sheet",
    "sample_for_coding",
]

NONE_LABEL = "none"
_LABEL_SPLIT = re.compile(r"\s*[;,|]\s*")


class CodingSheetError(ValueError):
    """A coded table has missing columns or labels that are not frames."""


# ----------------------------------------------------------------- Krippendorff


def _alpha_parts(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-unit pieces of nominal alpha from a ``(units, categories)`` count matrix.

    Returns ``(disagreement, totals, m)`` restricted to pairable units (``m >= 2``):
    ``disagreement[u] = (m_u^2 - sum_c n_uc^2) / (m_u - 1)`` is unit u's
    contribution to the off-diagonal of the coincidence matrix, ``totals[u]`` its
    row of value counts and ``m[u]`` its number of values.
    """
    m = counts.sum(axis=1)
    keep = m >= 2
    counts, m = counts[keep], m[keep]
    disagreement = (m**2 - (counts**2).sum(axis=1)) / (m - 1)
    return disagreement, counts, m


def _alpha_from_sums(dis: np.ndarray, n_c: np.ndarray) -> np.ndarray:
    """Alpha from summed disagreement ``dis`` (...,) and value totals ``n_c`` (..., C)."""
    n = n_c.sum(axis=-1)
    expected = n**2 - (n_c**2).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = 1.0 - (n - 1) * dis / expected
    return np.where(expected > 0, alpha, np.nan)


def _count_matrix(data: Any) -> np.ndarray:
    """``(coders, units)`` reliability data -> ``(units, categories)`` value counts."""
    frame = pd.DataFrame(np.asarray(data, dtype=object))
    long = frame.stack(future_stack=True).dropna()
    long = long[~long.map(lambda v: isinstance(v, float) and np.isnan(v))]
    if long.empty:
        return np.zeros((frame.shape[1], 0))
    units = long.index.get_level_values(1)
    values = pd.Categorical(long.to_numpy())
    counts = pd.crosstab(units, values.codes).reindex(range(frame.shape[1]), fill_value=0)
    return counts.to_numpy(dtype=float)


def krippendorff_alpha(reliability_data: Any) -> float:
    """Krippendorff's alpha for nominal data, with missing values.

    Implements the coincidence-matrix computation of Krippendorff (2011),
    "Computing Krippendorff's Alpha-Reliability": only units with at least two
    values are pairable; each unit's ordered value pairs (from different coders)
    enter the coincidence matrix with weight ``1 / (m_u - 1)``; then
    ``alpha = 1 - (n - 1) * D_o / D_e`` with ``D_o`` the off-diagonal coincidences
    and ``D_e = sum_{c != k} n_c n_k``. 1 = perfect agreement, 0 = agreement at
    chance level, negative = systematic disagreement.

    Parameters
    ----------
    reliability_data : array-like, shape (n_coders, n_units)
        Values (numbers or strings); ``NaN``/``None`` = the coder did not code the
        unit.

    Returns
    -------
    float
        Alpha; NaN when fewer than two values are pairable or only one value
        occurs (alpha is undefined without variation).

    Examples
    --------
    The 4 coders x 12 units example of Krippendorff (2011), nominal alpha 0.743:

    >>> nan = float("nan")
    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...         [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    >>> round(krippendorff_alpha(data), 3)
    0.743
    """
    counts = _count_matrix(reliability_data)
    if counts.size == 0:
        return float("nan")
    dis, totals, _ = _alpha_parts(counts)
    if len(dis) == 0:
        return float("nan")
    return float(_alpha_from_sums(dis.sum(), totals.sum(axis=0)))


def _bootstrap_alpha(
    counts: np.ndarray, n_boot: int, ci: float, rng: np.random.Generator
) -> tuple[float, float, float]:
    """Alpha and a percentile bootstrap CI, resampling units with replacement."""
    dis, totals, _ = _alpha_parts(counts)
    if len(dis) == 0:
        return float("nan"), float("nan"), float("nan")
    point = float(_alpha_from_sums(dis.sum(), totals.sum(axis=0)))
    if n_boot <= 0 or len(dis) < 2:
        return point, float("nan"), float("nan")
    weights = rng.multinomial(len(dis), np.full(len(dis), 1.0 / len(dis)), size=n_boot)
    boot = _alpha_from_sums(weights @ dis, weights @ totals)
    boot = boot[np.isfinite(boot)]
    if len(boot) < 0.5 * n_boot:  # mostly undefined: no honest interval
        return point, float("nan"), float("nan")
    tail = (1 - ci) / 2
    low, high = np.quantile(boot, [tail, 1 - tail])
    return point, float(low), float(high)


# --------------------------------------------------------------- coded labels


def _frame_keys(frames: Any) -> tuple[list[str], dict[str, str]]:
    """Frame keys and a lookup {lowercased key or label: key}."""
    from framing.frames.core import load_frame_set

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
    keys, lookup = _frame_keys(frames) if frames is not None else (None, None)
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
    from framing.frames.core import FrameScores

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
    from framing.export import atomic_write_text

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
        from framing.frames.core import load_frame_set

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
    keys, lookup = _frame_keys(frames)
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


# ------------------------------------------------------------------ agreement


def _predicted_long(predicted: FrameScores | pd.DataFrame) -> pd.DataFrame:
    from framing.frames.core import FrameScores

    table = predicted.units if isinstance(predicted, FrameScores) else predicted
    missing = [c for c in ("unit_id", "frame", "present") if c not in table.columns]
    if missing:
        raise CodingSheetError(
            f"predicted needs columns unit_id, frame, present (FrameScores.units); "
            f"missing {missing}"
        )
    out = table[["unit_id", "frame", "present"]].copy()
    out["unit_id"] = out["unit_id"].astype(str)
    out["method"] = out["present"].astype(bool).astype(float)
    return out.drop(columns="present")


def _counts(values: np.ndarray) -> np.ndarray:
    """``(units, raters)`` binary values with NaN -> ``(units, 2)`` category counts."""
    ones = np.nansum(values == 1, axis=1)
    zeros = np.nansum(values == 0, axis=1)
    return np.column_stack([zeros, ones]).astype(float)


def agreement_report(
    coded: pd.DataFrame,
    predicted: FrameScores | pd.DataFrame,
    frames: Any,
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    random_state: int = 0,
) -> pd.DataFrame:
    """Agreement of the automated frames with human coders, per frame.

    For each frame (presence coded 0/1):

    - ``precision``, ``recall``, ``f1``: the method's ``present`` against the
      coders' majority (units where the coders tie, or nobody coded, are left out
      and counted in ``n_ties``). Precision = share of units the method flags
      that coders also flag.
    - ``alpha_coders``: Krippendorff's alpha (nominal; Krippendorff 2011) among
      the coders, using every coded value (missing values allowed);
    - ``alpha_method``: alpha between the method and the coders' majority
      (two "coders"; tied units left out);
    - each alpha with a percentile bootstrap CI from ``n_boot`` resamples of units
      (seeded with ``random_state``).

    A final row ``frame = "all"`` pools every unit x frame decision (micro-averaged
    precision/recall/F1 and alpha over the pooled decisions).

    Parameters
    ----------
    coded : pandas.DataFrame
        From :func:`read_coding_sheet` (one row per unit x coder x frame).
    predicted : FrameScores or DataFrame
        The method's scores (``unit_id``, ``frame``, ``present``).
    frames : frame set or list of keys
        Frames to report (must be scored and coded).
    n_boot : int, default=1000
    ci : float, default=0.95
    random_state : int, default=0

    Returns
    -------
    pandas.DataFrame
        ``frame``, ``n_units``, ``n_coders``, ``n_ties``, ``prevalence_coders``,
        ``prevalence_method``, ``precision``, ``recall``, ``f1``, ``alpha_coders``,
        ``alpha_coders_ci_low``, ``alpha_coders_ci_high``, ``alpha_method``,
        ``alpha_method_ci_low``, ``alpha_method_ci_high``, ``note``. Alphas near 1 =
        agreement; 0 = chance; Krippendorff (2004) suggests alpha >= 0.8 for firm
        conclusions and >= 0.667 for tentative ones.
    """
    from sklearn.metrics import precision_recall_fscore_support

    keys, _ = _frame_keys(frames)
    needed = {"unit_id", "coder", "frame", "present"}
    if not needed <= set(coded.columns):
        raise CodingSheetError(
            f"coded must be the table from read_coding_sheet with columns {sorted(needed)}; "
            f"got {list(coded.columns)}"
        )
    coded = coded.assign(unit_id=coded["unit_id"].astype(str))
    method = _predicted_long(predicted)
    not_scored = sorted(set(coded["unit_id"]) - set(method["unit_id"]))
    if not_scored:
        raise CodingSheetError(
            f"{len(not_scored)} coded unit(s) have no automated score, e.g. {not_scored[:5]}; "
            "code units sampled from the same FrameScores"
        )
    rng = np.random.default_rng(random_state)
    coders = sorted(coded["coder"].unique())
    wide = coded.pivot_table(
        index=["unit_id", "frame"],
        columns="coder",
        values="present",
        aggfunc="first",
        dropna=False,
    ).reindex(columns=coders)
    wide = wide.astype(float)
    majority = majority_labels(coded).set_index(["unit_id", "frame"])
    joined = wide.join(majority).join(method.set_index(["unit_id", "frame"]), how="left")
    joined = joined[joined.index.get_level_values("frame").isin(keys)]
    rows = []
    for key in [*keys, "all"]:
        frames_of = joined.index.get_level_values("frame")
        part = joined if key == "all" else joined[frames_of == key]
        part = part[part["n_coders"].fillna(0) > 0]
        decided = part.dropna(subset=["truth"])
        notes = []
        if key != "all" and key not in set(coded["frame"]):
            notes.append("frame not in the coding sheet")
        row: dict[str, Any] = {
            "frame": key,
            "n_units": int(part.index.get_level_values("unit_id").nunique()),
            "n_coders": len(coders),
            "n_ties": int(part["tie"].fillna(False).sum()),
            "prevalence_coders": decided["truth"].mean() if len(decided) else np.nan,
            "prevalence_method": part["method"].mean() if len(part) else np.nan,
        }
        if len(decided):
            p, r, f, _ = precision_recall_fscore_support(
                decided["truth"].astype(int),
                decided["method"].astype(int),
                average="binary",
                zero_division=np.nan,
            )
        else:
            p = r = f = np.nan
            notes.append("no unit with a coders' majority")
        row.update(precision=p, recall=r, f1=f)
        if len(coders) >= 2:
            a, lo, hi = _bootstrap_alpha(_counts(part[coders].to_numpy()), n_boot, ci, rng)
        else:
            a = lo = hi = np.nan
            notes.append("one coder: no inter-coder alpha")
        row.update(alpha_coders=a, alpha_coders_ci_low=lo, alpha_coders_ci_high=hi)
        pair = decided[["truth", "method"]].to_numpy(dtype=float)
        a, lo, hi = _bootstrap_alpha(_counts(pair), n_boot, ci, rng)
        row.update(alpha_method=a, alpha_method_ci_low=lo, alpha_method_ci_high=hi)
        if np.isnan(a) and len(decided):
            notes.append("alpha undefined: only one value occurs")
        row["note"] = "; ".join(notes)
        rows.append(row)
    return pd.DataFrame(rows)
