"""Cross-validated quality of a frame classifier: P/R/F1 per frame with bootstrap CIs.

One table, :func:`cv_report`, indexed by frame (plus ``macro`` and, for single-label
coding, ``accuracy``), so ``report.loc["macro", "f1"]`` is the macro-F1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["cv_report", "macro_f1"]

#: Bootstrap resamples of the units for the confidence intervals.
N_BOOT = 1000


def _prf(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> tuple[np.ndarray, ...]:
    """Precision, recall, F1 from counts (0 where undefined, as sklearn's zero_division=0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1), 0.0)
        r = np.where(tp + fn > 0, tp / np.maximum(tp + fn, 1), 0.0)
        f = np.where(p + r > 0, 2 * p * r / np.where(p + r > 0, p + r, 1), 0.0)
    return p, r, f


def _counts(truth: np.ndarray, pred: np.ndarray) -> tuple[np.ndarray, ...]:
    """tp, fp, fn per column of 0/1 matrices (last axis = frames, any leading axes)."""
    tp = (truth & pred).sum(axis=-2)
    fp = (~truth & pred).sum(axis=-2)
    fn = (truth & ~pred).sum(axis=-2)
    return tp, fp, fn


def macro_f1(truth: np.ndarray, pred: np.ndarray) -> float:
    """Unweighted mean F1 over the columns of two 0/1 ``(n, k)`` matrices.

    For one-hot matrices (single-label coding) this is sklearn's
    ``f1_score(average="macro")`` over the classes present in either.
    """
    truth, pred = truth.astype(bool), pred.astype(bool)
    tp, fp, fn = _counts(truth, pred)
    used = (tp + fp + fn) > 0
    return float(_prf(tp, fp, fn)[2][used].mean()) if used.any() else 0.0


def cv_report(
    truth: np.ndarray,
    pred: np.ndarray,
    proba: np.ndarray,
    classes: Sequence[str],
    labels: Mapping[str, str],
    *,
    single_label: bool,
    ci: float = 0.95,
    random_state: int = 0,
) -> pd.DataFrame:
    """Per-frame precision, recall, F1, AUC and bootstrap CIs from out-of-fold predictions.

    Parameters
    ----------
    truth, pred : (n, k) 0/1 arrays
        Coded and predicted labels per unit and class. Single-label: one-hot
        (``pred`` = the argmax class); multi-label: one column per frame.
    proba : (n, k) array
        Out-of-fold probabilities (for the one-vs-rest ROC AUC).
    classes : list of str
        Column names (frame keys, plus ``"none"`` when it is a coded class).
    labels : dict
        Class -> label for the ``label`` column.
    single_label : bool
        Add an ``accuracy`` row (share of units whose argmax class is the coded one).
    ci : float, default=0.95
        Level of the percentile bootstrap intervals (Efron & Tibshirani 1993):
        :data:`N_BOOT` resamples of the units, seeded by ``random_state``; every
        statistic of a resample is computed on the same units.

    Returns
    -------
    pandas.DataFrame
        Index ``frame`` (the classes, then ``macro``, then ``accuracy`` when single
        label); columns ``label, precision, recall, f1, f1_low, f1_high, auc,
        support, n_units``. All metrics are in [0, 1], higher is better; ``auc`` is
        NaN for a class with no positive or no negative unit; the ``macro`` row is
        the unweighted mean over classes (in single-label mode sklearn's macro-F1
        of the argmax predictions); ``accuracy`` holds the accuracy in
        ``precision``, ``recall`` and ``f1``.
    """
    from sklearn.metrics import roc_auc_score

    truth, pred = truth.astype(bool), pred.astype(bool)
    n, k = truth.shape
    tp, fp, fn = _counts(truth, pred)
    p, r, f = _prf(tp, fp, fn)
    rng = np.random.default_rng(random_state)
    boot_f = np.empty((N_BOOT, k))
    boot_macro = np.empty(N_BOOT)
    boot_acc = np.empty(N_BOOT)
    for start in range(0, N_BOOT, 100):  # 100 resamples at a time bounds memory
        idx = rng.integers(0, n, size=(min(100, N_BOOT - start), n))
        t, q = truth[idx], pred[idx]
        bf = _prf(*_counts(t, q))[2]
        boot_f[start : start + len(idx)] = bf
        boot_macro[start : start + len(idx)] = bf.mean(axis=1)
        boot_acc[start : start + len(idx)] = (t == q).all(axis=2).mean(axis=1)
    lo, hi = (1 - ci) / 2 * 100, (1 + ci) / 2 * 100
    rows = []
    for j, key in enumerate(classes):
        has_both = 0 < truth[:, j].sum() < n
        rows.append(
            {
                "frame": key,
                "label": labels.get(key, key),
                "precision": p[j],
                "recall": r[j],
                "f1": f[j],
                "f1_low": np.percentile(boot_f[:, j], lo),
                "f1_high": np.percentile(boot_f[:, j], hi),
                "auc": roc_auc_score(truth[:, j], proba[:, j]) if has_both else np.nan,
                "support": int(truth[:, j].sum()),
                "n_units": n,
            }
        )
    report = pd.DataFrame(rows)
    rows = [
        {
            "frame": "macro",
            "label": "Macro average",
            "precision": float(p.mean()),
            "recall": float(r.mean()),
            "f1": float(f.mean()),
            "f1_low": np.percentile(boot_macro, lo),
            "f1_high": np.percentile(boot_macro, hi),
            "auc": float(report["auc"].mean()),
            "support": int(truth.sum()),
            "n_units": n,
        }
    ]
    if single_label:
        acc = float((truth == pred).all(axis=1).mean())
        rows.append(
            {
                "frame": "accuracy",
                "label": "Accuracy",
                "precision": acc,
                "recall": acc,
                "f1": acc,
                "f1_low": np.percentile(boot_acc, lo),
                "f1_high": np.percentile(boot_acc, hi),
                "auc": np.nan,
                "support": n,
                "n_units": n,
            }
        )
    return pd.concat([report, pd.DataFrame(rows)], ignore_index=True).set_index("frame")
