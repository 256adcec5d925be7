"""Compare a measure across outlets: bootstrap intervals, permutation tests, effect sizes.

Every table these functions read has **one row per article** (per article × group
when ``within`` is given, e.g. article × frame); the article is the unit that is
resampled and permuted, because sentences of one article are not independent
observations. Rows repeating an ``article_id`` within a group are therefore an
error, not something to average silently.

Methods
-------
- **Intervals**: percentile bootstrap (Efron & Tibshirani 1993, ch. 13) over
  articles, ``n_boot`` resamples, seeded by ``random_state``.
- **Tests**: two-sample permutation test of the difference in means
  (Good 2005). Monte Carlo p-values carry the ``+1`` correction of Phipson & Smyth
  (2010), ``p = (1 + #{|T*| >= |T|}) / (n_perm + 1)``, so they are never 0. When
  the number of distinct relabellings is at most ``n_perm`` they are all enumerated
  and the p-value is exact.
- **Multiple comparisons**: Benjamini & Hochberg (1995) false discovery rate.
- **Effect size**: Hedges' g (Hedges 1981), the standardised mean difference with
  the exact small-sample correction.

Signs: ``diff = mean_a - mean_b`` and ``effect_size`` are positive when group ``a``
scores higher. Pairs are formed in sorted order of the group names (``a < b``).

Every group is computed with the same ``random_state``, so a group's interval does
not change when another outlet is added to or removed from the table.

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
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = [
    "benjamini_hochberg",
    "bootstrap_ci",
    "hedges_g",
    "outlet_summary",
    "pairwise_tests",
    "permutation_test",
]

Alternative = Literal["two-sided", "greater", "less"]
RandomState = int | np.random.Generator | None

#: Upper bound on the elements of one resampling chunk (keeps memory near 16 MB).
_CHUNK_ELEMENTS = 2_000_000

SUMMARY_COLUMNS = ("mean", "sd", "n", "ci_low", "ci_high", "note")
PAIRWISE_COLUMNS = (
    "a",
    "b",
    "mean_a",
    "mean_b",
    "diff",
    "ci_low",
    "ci_high",
    "effect_size",
    "p_value",
    "p_adjusted",
    "n_a",
    "n_b",
    "note",
)


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


def _chunks(total: int, width: int) -> list[int]:
    """Split ``total`` resamples into chunks whose arrays stay under the memory cap."""
    size = max(1, _CHUNK_ELEMENTS // max(width, 1))
    return [min(size, total - start) for start in range(0, total, size)]


def _apply_stat(stat: Callable[..., Any], samples: np.ndarray) -> np.ndarray:
    """Apply ``stat`` to every row of ``samples``, vectorised when ``stat`` takes axis."""
    try:
        out = np.asarray(stat(samples, axis=-1), dtype=float)
        if out.shape == (samples.shape[0],):
            return out
    except TypeError:
        pass
    return np.array([stat(row) for row in samples], dtype=float)


def _bootstrap_distribution(
    x: np.ndarray, stat: Callable[..., Any], n_boot: int, rng: np.random.Generator
) -> np.ndarray:
    parts = []
    for m in _chunks(n_boot, x.size):
        idx = rng.integers(0, x.size, size=(m, x.size))
        parts.append(_apply_stat(stat, x[idx]))
    return np.concatenate(parts)


def _percentile_interval(boot: np.ndarray, ci: float) -> tuple[float, float]:
    alpha = (1 - ci) / 2
    low, high = np.percentile(boot, [100 * alpha, 100 * (1 - alpha)])
    return float(low), float(high)


def _diff_ci(
    x: np.ndarray, y: np.ndarray, n_boot: int, ci: float, random_state: RandomState
) -> tuple[float, float]:
    """Percentile bootstrap CI of ``mean(x) - mean(y)``, resampling each group."""
    rng = np.random.default_rng(random_state)
    parts = []
    for m in _chunks(n_boot, x.size + y.size):
        bx = x[rng.integers(0, x.size, size=(m, x.size))].mean(axis=1)
        by = y[rng.integers(0, y.size, size=(m, y.size))].mean(axis=1)
        parts.append(bx - by)
    return _percentile_interval(np.concatenate(parts), ci)


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
    (Efron & Tibshirani 1993, ch. 13).

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
        ``(low, high)``; ``(nan, nan)`` when fewer than 2 values remain.

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
    rng = np.random.default_rng(random_state)
    return _percentile_interval(_bootstrap_distribution(x, stat, n_boot, rng), ci)


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
    them are enumerated and ``p = k / C`` is exact.

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
        The p-value, NaN when either sample is empty.

    Examples
    --------
    >>> permutation_test([1.0, 2.0, 3.0], [4.0, 5.0, 6.0])  # exact: 2 of 20 splits
    0.1
    """
    if alternative not in ("two-sided", "greater", "less"):
        raise ValueError(
            f"alternative must be 'two-sided', 'greater' or 'less', got {alternative!r}"
        )
    _check_count(n_perm, "n_perm")
    a, b = _finite(x, "x"), _finite(y, "y")
    if a.size == 0 or b.size == 0:
        return math.nan
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
    rng = np.random.default_rng(random_state)
    extreme = 0
    for m in _chunks(n_perm, n):
        shuffled = rng.permuted(np.broadcast_to(pooled, (m, n)), axis=1)
        extreme += count_extreme(shuffled[:, :k].sum(axis=1))
    return (1 + extreme) / (n_perm + 1)


def benjamini_hochberg(p_values: Sequence[float] | np.ndarray | pd.Series) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (false discovery rate; BH 1995).

    ``p_adj(i) = min_{j >= i} min(1, m * p_(j) / j)`` over the ``m`` p-values sorted
    ascending. Reject the hypotheses whose adjusted p-value is at most the chosen FDR.

    Parameters
    ----------
    p_values : array-like of float
        Raw p-values in [0, 1]. NaN entries (tests that could not be run) stay NaN
        and do not count towards ``m``.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values in the input order.

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
    m = int(valid.sum())
    if m == 0:
        return out
    pv = p[valid]
    order = np.argsort(pv)
    ranked = pv[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
    result = np.empty(m)
    result[order] = adjusted
    out[valid] = result
    return out


# ----------------------------------------------------------------- table functions
def _prepare(
    table: pd.DataFrame, value: str, by: str, within: Sequence[str] | None, caller: str
) -> tuple[pd.DataFrame, list[str]]:
    """Validate the columns and return ``(table[[*within, by, value]], within)``."""
    within = [within] if isinstance(within, str) else list(within or [])
    needed = [*within, by, value]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise ValueError(
            f"{caller}: column(s) {missing} not in the table; it has {list(table.columns)}"
        )
    if by in within or value in (*within, by):
        raise ValueError(f"{caller}: value, by and within must name different columns")
    column = table[value]
    if not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)):
        raise ValueError(
            f"{caller}: column {value!r} must be numeric or boolean, got {column.dtype}"
        )
    if "article_id" in table.columns:
        keys = [*within, by, "article_id"]
        repeated = table.duplicated(subset=keys, keep=False)
        if repeated.any():
            examples = table.loc[repeated, "article_id"].astype(str).unique()[:3].tolist()
            raise ValueError(
                f"{caller}: {int(repeated.sum())} rows repeat an article_id within a "
                f"group (e.g. {examples}); the bootstrap and permutation tests resample "
                "articles, so pass one row per article (e.g. the output of "
                "score_sentiment, not score_units)"
            )
    data = table[needed].copy()
    data[value] = data[value].astype(float)
    return data, within


def _groups(data: pd.DataFrame, within: list[str]) -> list[tuple[tuple, pd.DataFrame]]:
    if not within:
        return [((), data)]
    grouped = data.groupby(within, dropna=False, sort=True)
    return [(key if isinstance(key, tuple) else (key,), sub) for key, sub in grouped]


def _sorted_levels(series: pd.Series) -> list[Any]:
    return sorted(series.unique(), key=lambda v: (pd.isna(v), str(v)))


def _level_values(sub: pd.DataFrame, by: str, level: Any, value: str) -> pd.Series:
    mask = sub[by].isna() if pd.isna(level) else sub[by] == level
    return sub.loc[mask, value]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def outlet_summary(
    table: pd.DataFrame,
    value: str,
    *,
    by: str = "outlet",
    within: Sequence[str] | None = None,
    n_boot: int = 2000,
    ci: float = 0.95,
    random_state: RandomState = 0,
) -> pd.DataFrame:
    """Mean of ``value`` per outlet with an article-level percentile bootstrap CI.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per article (per article × ``within`` group), with columns ``by``,
        ``value`` and optionally ``article_id`` (checked for repeats).
    value : str
        Numeric or boolean column to summarise (booleans give shares).
    by : str, default="outlet"
        Grouping column compared (outlets).
    within : list of str, optional
        Extra grouping columns, e.g. ``["frame"]`` or ``["actor"]``; one summary per
        combination.
    n_boot : int, default=2000
        Bootstrap resamples of articles.
    ci : float, default=0.95
        Confidence level.
    random_state : int, default=0
        Seed, used afresh for each group.

    Returns
    -------
    pandas.DataFrame
        Columns ``[*within, by, "mean", "sd", "n", "ci_low", "ci_high", "note"]``,
        sorted by ``within`` then ``by``. ``n`` counts non-missing values; ``sd`` is
        the sample standard deviation. A group with fewer than 2 values gets a NaN
        interval and a note; dropped NaN values are counted in ``note``.

    Examples
    --------
    >>> t = pd.DataFrame({"outlet": ["a", "a", "a", "b"], "x": [0.1, 0.3, 0.2, 0.9]})
    >>> s = outlet_summary(t, "x")
    >>> s[["outlet", "mean", "n"]]
      outlet  mean  n
    0      a   0.2  3
    1      b   0.9  1
    >>> s["note"].tolist()
    ['', '1 article: no interval']
    """
    _check_ci(ci)
    _check_count(n_boot, "n_boot")
    data, within = _prepare(table, value, by, within, "outlet_summary")
    rows = []
    for key, sub in _groups(data, within):
        for level in _sorted_levels(sub[by]):
            values = _level_values(sub, by, level, value).to_numpy()
            missing = int(np.isnan(values).sum())
            x = values[~np.isnan(values)]
            notes = []
            if missing:
                notes.append(f"{_plural(missing, 'missing value')} dropped")
            if x.size < 2:
                notes.append(f"{_plural(x.size, 'article')}: no interval")
                low = high = math.nan
            else:
                rng = np.random.default_rng(random_state)
                boot = _bootstrap_distribution(x, np.mean, n_boot, rng)
                low, high = _percentile_interval(boot, ci)
            rows.append(
                (
                    *key,
                    level,
                    float(x.mean()) if x.size else math.nan,
                    float(x.std(ddof=1)) if x.size > 1 else math.nan,
                    int(x.size),
                    low,
                    high,
                    "; ".join(notes),
                )
            )
    out = pd.DataFrame(rows, columns=[*within, by, *SUMMARY_COLUMNS])
    out["n"] = out["n"].astype("int64")
    for col in ("mean", "sd", "ci_low", "ci_high"):
        out[col] = out[col].astype(float)
    return out


def pairwise_tests(
    table: pd.DataFrame,
    value: str,
    *,
    by: str = "outlet",
    within: Sequence[str] | None = None,
    n_perm: int = 9999,
    random_state: RandomState = 0,
    alternative: Alternative = "two-sided",
    n_boot: int = 2000,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Every pair of outlets: difference in means, its CI, Hedges' g, permutation p.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per article (per article × ``within`` group).
    value : str
        Numeric or boolean column compared.
    by : str, default="outlet"
        Grouping column; pairs ``(a, b)`` with ``a < b`` in sorted order.
    within : list of str, optional
        Extra grouping columns; pairs are formed within each combination.
    n_perm : int, default=9999
        Permutations per test (:func:`permutation_test`; exact when the number of
        distinct relabellings is at most ``n_perm``).
    random_state : int, default=0
        Seed, used afresh for each pair.
    alternative : {"two-sided", "greater", "less"}, default="two-sided"
        ``"greater"`` tests whether ``a`` scores higher than ``b``.
    n_boot : int, default=2000
        Bootstrap resamples for the CI of the difference (each outlet's articles
        are resampled separately).
    ci : float, default=0.95
        Confidence level of that interval.

    Returns
    -------
    pandas.DataFrame
        ``[*within, "a", "b", "mean_a", "mean_b", "diff", "ci_low", "ci_high",
        "effect_size", "p_value", "p_adjusted", "n_a", "n_b", "note"]``.
        ``diff = mean_a - mean_b`` and ``effect_size`` (Hedges' g) are positive
        when ``a`` is higher. ``p_adjusted`` is Benjamini-Hochberg over all rows
        returned. A pair in which an outlet has fewer than 2 values is not tested
        (NaN CI, effect size and p-values) and says so in ``note``.

    Examples
    --------
    >>> t = pd.DataFrame({"outlet": list("aaabbb"), "x": [3.0, 4, 5, 1, 2, 3]})
    >>> r = pairwise_tests(t, "x")
    >>> r[["a", "b", "diff", "p_value"]]
       a  b  diff  p_value
    0  a  b   2.0      0.2
    """
    _check_ci(ci)
    _check_count(n_boot, "n_boot")
    _check_count(n_perm, "n_perm")
    data, within = _prepare(table, value, by, within, "pairwise_tests")
    rows = []
    for key, sub in _groups(data, within):
        for a, b in itertools.combinations(_sorted_levels(sub[by]), 2):
            va = _level_values(sub, by, a, value).to_numpy()
            vb = _level_values(sub, by, b, value).to_numpy()
            notes = []
            for name, v in ((a, va), (b, vb)):
                missing = int(np.isnan(v).sum())
                if missing:
                    notes.append(f"{_plural(missing, 'missing value')} dropped in {name}")
            xa, xb = va[~np.isnan(va)], vb[~np.isnan(vb)]
            mean_a = float(xa.mean()) if xa.size else math.nan
            mean_b = float(xb.mean()) if xb.size else math.nan
            low = high = g = p = math.nan
            small = [str(name) for name, x in ((a, xa), (b, xb)) if x.size < 2]
            if small:
                notes.append(f"fewer than 2 articles in {', '.join(small)}: not tested")
            else:
                low, high = _diff_ci(xa, xb, n_boot, ci, random_state)
                g = hedges_g(xa, xb)
                if math.isnan(g):
                    notes.append("zero variance: effect size undefined")
                p = permutation_test(
                    xa, xb, n_perm=n_perm, random_state=random_state, alternative=alternative
                )
            rows.append(
                (
                    *key,
                    a,
                    b,
                    mean_a,
                    mean_b,
                    mean_a - mean_b,
                    low,
                    high,
                    g,
                    p,
                    math.nan,
                    int(xa.size),
                    int(xb.size),
                    "; ".join(notes),
                )
            )
    out = pd.DataFrame(rows, columns=[*within, *PAIRWISE_COLUMNS])
    if out.empty:
        warnings.warn(
            f"pairwise_tests: fewer than 2 groups in {by!r}; no pairs to compare",
            stacklevel=2,
        )
    out["p_adjusted"] = benjamini_hochberg(out["p_value"].to_numpy(dtype=float))
    for col in ("n_a", "n_b"):
        out[col] = out[col].astype("int64")
    return out
