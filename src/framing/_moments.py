"""Count, mean and sum of squared deviations of columns, pooled over parts.

Partitions of a corpus are reduced to ``n``, ``mean`` and ``m2`` (the sum of squared
deviations from the mean) per column, and pooled exactly with the pairwise update of
Chan, Golub & LeVeque (1979): for parts ``a`` and ``b`` with ``d = mean_b - mean_a``,
``mean = mean_a + d n_b / n`` and ``m2 = m2_a + m2_b + d^2 n_a n_b / n``. The
population variance is ``m2 / n``. Used by the partitioned engine
(:mod:`framing.run.article_parts`, :mod:`framing.run.semantic_parts`);
:mod:`framing.compare._aggregates` pools the same numbers per group with pandas.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = ["combine", "moments", "pooled"]


def combine(acc: dict[str, np.ndarray] | None, part: dict[str, np.ndarray]) -> dict:
    """Chan et al. (1979): count, mean and squared deviations of two parts, per column."""
    if acc is None:
        return part
    n = acc["n"] + part["n"]
    with np.errstate(invalid="ignore", divide="ignore"):
        delta = part["mean"] - acc["mean"]
        share = np.where(n > 0, part["n"] / np.where(n > 0, n, 1), 0.0)
        mean = np.where(acc["n"] == 0, part["mean"], acc["mean"] + delta * share)
        mean = np.where(part["n"] == 0, acc["mean"], mean)
        m2 = acc["m2"] + part["m2"] + np.where(n > 0, delta**2 * acc["n"] * share, 0.0)
        m2 = np.where((acc["n"] == 0) | (part["n"] == 0), acc["m2"] + part["m2"], m2)
    out = {"n": n, "mean": mean, "m2": m2}
    if "min" in acc:
        out["min"] = np.fmin(acc["min"], part["min"])
        out["max"] = np.fmax(acc["max"], part["max"])
    return out


def moments(values: np.ndarray, extremes: bool = False) -> dict[str, np.ndarray]:
    """Count, mean, squared deviations (and min, max) of each column's finite values."""
    finite = np.isfinite(values)
    n = finite.sum(axis=0).astype(float)
    filled = np.where(finite, values, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, filled.sum(axis=0) / np.where(n > 0, n, 1), 0.0)
    m2 = (np.where(finite, values - mean, 0.0) ** 2).sum(axis=0)
    out = {"n": n, "mean": mean, "m2": m2}
    if extremes:
        out["min"] = np.where(finite, values, np.inf).min(axis=0, initial=np.inf)
        out["max"] = np.where(finite, values, -np.inf).max(axis=0, initial=-np.inf)
        out["min"] = np.where(n > 0, out["min"], np.nan)
        out["max"] = np.where(n > 0, out["max"], np.nan)
    return out


def pooled(parts: Iterable[dict[str, Any]]) -> tuple[int, np.ndarray, np.ndarray]:
    """Pool parts with a scalar ``n`` and per-column ``mean``, ``m2``: ``(n, mean, sd)``.

    ``sd`` is the population SD (``ddof=0``); parts with ``n = 0`` are skipped, and no
    part at all gives ``(0, [], [])``.
    """
    acc: dict[str, Any] | None = None
    for part in parts:
        if int(part["n"]) == 0:
            continue
        acc = combine(
            acc,
            {
                "n": np.asarray(float(part["n"])),
                "mean": np.asarray(part["mean"], dtype=float),
                "m2": np.asarray(part["m2"], dtype=float),
            },
        )
    if acc is None:
        return 0, np.zeros(0), np.zeros(0)
    n = int(acc["n"])
    return n, acc["mean"], np.sqrt(acc["m2"] / n)
