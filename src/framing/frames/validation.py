"""Agreement of automated frame scores with human coders.

:func:`agreement_report` gives, per frame, precision, recall and F1 of the method
against the coders' majority, and Krippendorff's alpha (nominal; Krippendorff 2011,
computed by the ``krippendorff`` package) between the coders and between the method
and the coders' majority, with percentile bootstrap CIs (``scipy.stats.bootstrap``,
resampling units). Sampling and coding sheets are in :mod:`framing.frames.coding`;
their names are re-exported here.
"""

from __future__ import annotations

import warnings
from typing import Any

import krippendorff
import numpy as np
import pandas as pd

from framing.frames.coding import (
    NONE_LABEL,
    CodingSheetError,
    export_coding_sheet,
    frame_keys,
    majority_labels,
    parse_coded_labels,
    read_coding_sheet,
    sample_for_coding,
)
from framing.frames.results import FrameScores

__all__ = [
    "NONE_LABEL",
    "CodingSheetError",
    "agreement_report",
    "export_coding_sheet",
    "krippendorff_alpha",
    "majority_labels",
    "parse_coded_labels",
    "read_coding_sheet",
    "sample_for_coding",
]


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


def _alpha_of_counts(counts: np.ndarray) -> float:
    """Nominal alpha of a ``(units, categories)`` count matrix; NaN when undefined."""
    if counts.ndim != 2 or counts.shape[1] < 2 or not (counts.sum(axis=1) >= 2).any():
        return float("nan")
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(krippendorff.alpha(value_counts=counts, level_of_measurement="nominal"))


def krippendorff_alpha(reliability_data: Any) -> float:
    """Krippendorff's alpha for nominal data, with missing values.

    The coincidence-matrix computation of Krippendorff (2011), "Computing
    Krippendorff's Alpha-Reliability", by the ``krippendorff`` package (values are
    mapped to category codes first, so strings work): only units with at least two
    values are pairable. 1 = perfect agreement, 0 = agreement at chance level,
    negative = systematic disagreement.

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
    return _alpha_of_counts(_count_matrix(reliability_data))


def _bootstrap_alpha(
    counts: np.ndarray, n_boot: int, ci: float, rng: np.random.Generator
) -> tuple[float, float, float]:
    """Alpha and a percentile bootstrap CI (``scipy.stats.bootstrap``) over units.

    Units without two values cannot pair and are dropped first. Resamples where
    alpha is undefined (one value only) are left out of the percentiles; when more
    than half are undefined there is no honest interval (NaN bounds).
    """
    from scipy.stats import DegenerateDataWarning, bootstrap

    counts = counts[counts.sum(axis=1) >= 2] if counts.size else counts
    point = _alpha_of_counts(counts)
    if np.isnan(point) and not len(counts):
        return point, float("nan"), float("nan")
    if n_boot <= 0 or len(counts) < 2:
        return point, float("nan"), float("nan")
    with warnings.catch_warnings():  # degenerate resamples are handled below
        warnings.simplefilter("ignore", DegenerateDataWarning)
        result = bootstrap(
            (np.arange(len(counts)),),
            lambda idx: _alpha_of_counts(counts[idx]),
            n_resamples=n_boot,
            vectorized=False,
            method="percentile",
            confidence_level=ci,
            rng=rng,
        )
    boot = result.bootstrap_distribution
    finite = boot[np.isfinite(boot)]
    if len(finite) < 0.5 * n_boot:
        return point, float("nan"), float("nan")
    if len(finite) == len(boot):
        return point, float(result.confidence_interval.low), float(result.confidence_interval.high)
    tail = (1 - ci) / 2
    low, high = np.quantile(finite, [tail, 1 - tail])
    return point, float(low), float(high)


def _predicted_long(predicted: FrameScores | pd.DataFrame) -> pd.DataFrame:
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

    keys, _ = frame_keys(frames)
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
