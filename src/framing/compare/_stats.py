"""Two-sample statistics: bootstrap interval, Hedges' g, permutation test, BH.

Methods
-------
- **Intervals**: percentile bootstrap over articles (Efron & Tibshirani 1993,
  ch. 13), ``scipy.stats.bootstrap`` through :mod:`framing._resampling`.
- **Tests**: two-sample permutation test of the difference in means (Good 2005),
  the test of ``scipy.stats.permutation_test`` (independent samples, statistic
  ``|mean(x) - mean(y)|`` for two-sided): Monte Carlo p-values carry the ``+1``
  correction of Phipson & Smyth (2010), ``p = (1 + #{T* >= T}) / (n_perm + 1)``, so
  they are never 0; when the number of distinct relabellings is at most ``n_perm``
  they are all enumerated and the p-value is exact. The relabellings are scipy's
  (``rng.permutation`` per resample from ``numpy.random.default_rng(seed)``) and the
  tests check equal p-values, but they are drawn here as one matrix per sample size
  and reused by every pair of that size: scipy draws them one at a time in Python,
  5x slower, which dominated comparisons of many outlets (issue 13).
- **Multiple comparisons**: Benjamini & Hochberg (1995) false discovery rate,
  ``scipy.stats.false_discovery_control``.
- **Effect size**: Hedges' g (Hedges 1981), the standardised mean difference with
  the exact small-sample correction.

References
----------
Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate. *JRSS B*
57(1), 289-300.
Efron, B. & Tibshirani, R. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
Good, P. (2005). *Permutation, Parametric and Bootstrap Tests of Hypotheses*, 3rd ed.
Springer.
Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size.
*J. Educational Statistics* 6(2), 107-128.
Phipson, B. & Smyth, G. K. (2010). Permutation p-values should never be zero.
*Statistical Applications in Genetics and Molecular Biology* 9(1), Article 39.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from framing._resampling import _CHUNK_ELEMENTS, RandomState, percentile_interval

__all__ = ["benjamini_hochberg", "bootstrap_ci", "hedges_g", "permutation_test"]

Alternative = Literal["two-sided", "greater", "less"]

#: Relabelling elements kept for reuse by pairs of the same size (int32: 64 MB).
_PERMUTATION_CACHE_ELEMENTS = 16_000_000


# --------------------------------------------------------------------------- helpers
def _finite(values: Any, name: str = "values") -> np.ndarray:
    """Return ``values`` as a 1-D float array without NaN, warning about any dropped."""
    x = np.asarray(values, dtype=float).ravel()
    missing = np.isnan(x)
    if missing.any():
        warnings.warn(
            f"{int(missing.sum())} missing (NaN) value(s) in {name} were dropped",
            stacklevel=3,
        )
        x = x[~missing]
    return x


def _check_ci(ci: float) -> None:
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1 (e.g. 0.95), got {ci!r}")


def _check_count(value: int, name: str) -> None:
    if not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def _check_alternative(alternative: str) -> None:
    if alternative not in ("two-sided", "greater", "less"):
        raise ValueError(
            f"alternative must be 'two-sided', 'greater' or 'less', got {alternative!r}"
        )


def _vectorised(stat: Callable[..., Any]) -> Callable[..., np.ndarray]:
    """``stat`` as a statistic of resamples in rows: vectorised when it takes ``axis``."""

    def statistic(samples: np.ndarray, axis: int = -1) -> np.ndarray:
        try:
            out = np.asarray(stat(samples, axis=axis), dtype=float)
            if out.shape == samples.shape[:-1]:
                return out
        except TypeError:
            pass
        return np.array([stat(row) for row in samples], dtype=float)

    return statistic


def _mean_difference(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    return x.mean(axis=axis) - y.mean(axis=axis)


def _diff_ci(
    x: np.ndarray, y: np.ndarray, n_boot: int, ci: float, random_state: RandomState
) -> tuple[float, float]:
    """Percentile bootstrap CI of ``mean(x) - mean(y)``, resampling each group."""
    return percentile_interval(
        (x, y), _mean_difference, n_boot=n_boot, ci=ci, random_state=random_state
    )


# ------------------------------------------------------------------ basic statistics
def bootstrap_ci(
    values: Sequence[float] | np.ndarray | pd.Series,
    *,
    stat: Callable[..., Any] = np.mean,
    n_boot: int = 2000,
    ci: float = 0.95,
    random_state: RandomState = 0,
) -> tuple[float, float]:
    """Percentile bootstrap confidence interval of ``stat(values)``.

    Resamples ``values`` with replacement ``n_boot`` times and returns the
    ``(1 - ci) / 2`` and ``(1 + ci) / 2`` percentiles of the resampled statistic
    (Efron & Tibshirani 1993, ch. 13; ``scipy.stats.bootstrap`` with
    ``method="percentile"``).

    Parameters
    ----------
    values : array-like of float
        One value per independent unit (per article). NaN values are dropped with a
        warning.
    stat : callable, default=numpy.mean
        Statistic; called as ``stat(samples, axis=-1)`` on a 2-D array when it accepts
        ``axis``, otherwise once per resample.
    n_boot : int, default=2000
        Number of bootstrap resamples.
    ci : float, default=0.95
        Confidence level.
    random_state : int or numpy.random.Generator, default=0
        Seed; the same seed gives the same interval.

    Returns
    -------
    (float, float)
        ``(low, high)`` with ``low <= high``; ``(nan, nan)`` when fewer than 2 values
        remain.

    Examples
    --------
    >>> low, high = bootstrap_ci([0.1, 0.4, 0.2, 0.5, 0.3], random_state=1)
    >>> bool(low < 0.3 < high)
    True
    >>> bootstrap_ci([0.7])
    (nan, nan)
    """
    _check_ci(ci)
    _check_count(n_boot, "n_boot")
    x = _finite(values)
    if x.size < 2:
        return (math.nan, math.nan)
    return percentile_interval(
        (x,), _vectorised(stat), n_boot=n_boot, ci=ci, random_state=random_state
    )


def hedges_g(
    x: Sequence[float] | np.ndarray | pd.Series, y: Sequence[float] | np.ndarray | pd.Series
) -> float:
    """Hedges' g: the bias-corrected standardised mean difference of ``x`` and ``y``.

    ``g = J * (mean(x) - mean(y)) / s_p`` with the pooled standard deviation
    ``s_p = sqrt((sum (x - mean x)^2 + sum (y - mean y)^2) / (n_x + n_y - 2))`` and the
    exact small-sample correction ``J = Gamma(df/2) / (sqrt(df/2) Gamma((df-1)/2))``,
    ``df = n_x + n_y - 2`` (Hedges 1981; ``J ~ 1 - 3 / (4 df - 1)``).

    Parameters
    ----------
    x, y : array-like of float
        The two samples (NaN values are dropped with a warning).

    Returns
    -------
    float
        Positive when ``x`` has the higher mean. NaN when ``df < 2`` or both samples
        have zero variance (the standardised difference is undefined).

    Examples
    --------
    >>> round(hedges_g([2.0, 4.0, 6.0], [1.0, 2.0, 3.0]), 4)
    1.0093
    """
    a, b = _finite(x, "x"), _finite(y, "y")
    df = a.size + b.size - 2
    if a.size == 0 or b.size == 0 or df < 2:
        return math.nan
    ss = float(((a - a.mean()) ** 2).sum() + ((b - b.mean()) ** 2).sum())
    if ss <= 0:
        return math.nan
    pooled_sd = math.sqrt(ss / df)
    correction = math.exp(math.lgamma(df / 2) - math.lgamma((df - 1) / 2)) / math.sqrt(df / 2)
    return correction * float(a.mean() - b.mean()) / pooled_sd


def permutation_test(
    x: Sequence[float] | np.ndarray | pd.Series,
    y: Sequence[float] | np.ndarray | pd.Series,
    *,
    n_perm: int = 9999,
    random_state: RandomState = 0,
    alternative: Alternative = "two-sided",
) -> float:
    """Permutation p-value for the difference in means ``mean(x) - mean(y)``.

    The group labels are shuffled ``n_perm`` times (Good 2005). With Monte Carlo
    relabellings ``p = (1 + k) / (n_perm + 1)`` where ``k`` counts relabellings at
    least as extreme as the observed difference (Phipson & Smyth 2010). When the
    number of distinct relabellings ``C(n_x + n_y, n_x)`` is at most ``n_perm``, all of
    them are enumerated and ``p = k / C`` is exact. Equal to
    ``scipy.stats.permutation_test`` with the same seed (statistic
    ``|mean(x) - mean(y)|`` and ``alternative="greater"`` for two-sided).

    Parameters
    ----------
    x, y : array-like of float
        The two samples (one value per article; NaN values are dropped with a warning).
    n_perm : int, default=9999
        Number of random relabellings.
    random_state : int or numpy.random.Generator, default=0
        Seed.
    alternative : {"two-sided", "greater", "less"}, default="two-sided"
        ``"two-sided"`` counts ``|T*| >= |T|``; ``"greater"`` tests
        ``mean(x) > mean(y)`` (counts ``T* >= T``); ``"less"`` the reverse.

    Returns
    -------
    float
        The p-value in (0, 1], NaN when either sample is empty.

    Examples
    --------
    >>> permutation_test([1.0, 2.0, 3.0], [4.0, 5.0, 6.0])  # exact: 2 of 20 splits
    0.1
    """
    _check_alternative(alternative)
    _check_count(n_perm, "n_perm")
    a, b = _finite(x, "x"), _finite(y, "y")
    if a.size == 0 or b.size == 0:
        return math.nan
    return _permutation_p(a, b, n_perm, random_state, alternative, None)


class RelabellingCache:
    """Relabelling matrices shared by the permutation tests of one table.

    The matrix of a test depends only on the total size ``n`` and the seed, so
    pairs of outlets of the same total size reuse it. Holds at most
    ``_PERMUTATION_CACHE_ELEMENTS`` int32 elements (64 MB), dropping the oldest.
    """

    def __init__(self, max_elements: int | None = None) -> None:
        self.max_elements = max_elements or _PERMUTATION_CACHE_ELEMENTS
        self._store: OrderedDict[tuple[int, int, int], np.ndarray] = OrderedDict()

    def get(self, n: int, n_perm: int, seed: int) -> np.ndarray | None:
        key = (n, n_perm, seed)
        if key in self._store:
            self._store.move_to_end(key)
            return self._store[key]
        if n * n_perm > self.max_elements:
            return None
        matrix = _draw_relabellings(np.random.default_rng(seed), n, n_perm)
        self._store[key] = matrix
        while sum(m.size for m in self._store.values()) > self.max_elements:
            self._store.popitem(last=False)
        return matrix


def _draw_relabellings(rng: np.random.Generator, n: int, n_perm: int) -> np.ndarray:
    """Return ``n_perm`` rows of ``rng.permutation(n)`` (``permuted`` draws the same)."""
    matrix = np.empty((n_perm, n), dtype=np.int32)
    index = np.arange(n, dtype=np.int32)
    step = max(1, _CHUNK_ELEMENTS // n)
    for start in range(0, n_perm, step):
        m = min(step, n_perm - start)
        matrix[start : start + m] = rng.permuted(np.broadcast_to(index, (m, n)), axis=1)
    return matrix


def _permutation_p(
    a: np.ndarray,
    b: np.ndarray,
    n_perm: int,
    random_state: RandomState,
    alternative: Alternative,
    cache: RelabellingCache | None,
) -> float:
    """:func:`permutation_test` on clean arrays; ``cache`` shares relabellings."""
    pooled = np.concatenate([a, b])
    n, k = pooled.size, a.size
    total = pooled.sum()
    observed = a.mean() - b.mean()
    # relabellings whose statistic equals the observed one up to rounding count as ties
    tol = 1e-9 * max(float(np.abs(pooled).max()), np.finfo(float).tiny)

    def count_extreme(sums: np.ndarray) -> int:
        stats = sums / k - (total - sums) / (n - k)
        if alternative == "two-sided":
            return int((np.abs(stats) >= abs(observed) - tol).sum())
        if alternative == "greater":
            return int((stats >= observed - tol).sum())
        return int((stats <= observed + tol).sum())

    n_splits = math.comb(n, k)
    if n_splits <= n_perm:
        idx = np.array(list(itertools.combinations(range(n), k)), dtype=np.intp)
        return count_extreme(pooled[idx].sum(axis=1)) / n_splits
    matrix = None
    if cache is not None and isinstance(random_state, (int, np.integer)):
        matrix = cache.get(n, n_perm, int(random_state))
    rng = np.random.default_rng(random_state) if matrix is None else None
    extreme = 0
    step = max(1, _CHUNK_ELEMENTS // n)
    for start in range(0, n_perm, step):
        m = min(step, n_perm - start)
        if matrix is not None:
            sums = pooled[matrix[start : start + m, :k]].sum(axis=1)
        else:
            shuffled = rng.permuted(np.broadcast_to(pooled, (m, n)), axis=1)
            sums = shuffled[:, :k].sum(axis=1)
        extreme += count_extreme(sums)
    return (1 + extreme) / (n_perm + 1)


def benjamini_hochberg(p_values: Sequence[float] | np.ndarray | pd.Series) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (false discovery rate; BH 1995).

    ``p_adj(i) = min_{j >= i} min(1, m * p_(j) / j)`` over the ``m`` p-values sorted
    ascending (``scipy.stats.false_discovery_control(method="bh")``). Reject the
    hypotheses whose adjusted p-value is at most the chosen FDR.

    Parameters
    ----------
    p_values : array-like of float
        Raw p-values in [0, 1]. NaN entries (tests that could not be run) stay NaN
        and do not count towards ``m``.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values in [0, 1], in the input order.

    Examples
    --------
    >>> benjamini_hochberg([0.01, 0.04, 0.03, 0.5]).round(3).tolist()
    [0.04, 0.053, 0.053, 0.5]
    """
    p = np.asarray(p_values, dtype=float).ravel()
    valid = ~np.isnan(p)
    if ((p[valid] < 0) | (p[valid] > 1)).any():
        raise ValueError("p-values must lie in [0, 1]")
    out = np.full(p.shape, np.nan)
    if valid.any():
        from scipy.stats import false_discovery_control

        out[valid] = false_discovery_control(p[valid], method="bh")
    return out
