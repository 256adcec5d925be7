"""Compare a measure across outlets: bootstrap intervals and pairwise tests.

Every table these functions read has **one row per article** (per article × group
when ``within`` is given, e.g. article × frame); the article is the unit that is
resampled and permuted, because sentences of one article are not independent
observations. Rows repeating an ``article_id`` within a group are therefore an
error, not something to average silently.

The statistics (percentile bootstrap, permutation test, Benjamini-Hochberg, Hedges'
g) and their references are in :mod:`framing.compare._stats`.

Signs: ``diff = mean_a - mean_b`` and ``effect_size`` are positive when group ``a``
scores higher. Pairs are formed in sorted order of the group names (``a < b``).

Every group is computed with the same ``random_state``, so a group's interval does
not change when another outlet is added to or removed from the table.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from framing._progress import progress_bar, wants_progress
from framing._resampling import RandomState, percentile_interval
from framing.compare._select import label_missing_outlets
from framing.compare._stats import (
    Alternative,
    RelabellingCache,
    _check_alternative,
    _check_ci,
    _check_count,
    _diff_ci,
    _permutation_p,
    benjamini_hochberg,
    hedges_g,
)

__all__ = ["outlet_summary", "pairwise_tests"]

#: Pairs above which ``show_progress=None`` shows a bar (21 outlets give 210 pairs).
_PROGRESS_PAIRS = 200

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


def _mean(x: np.ndarray, axis: int = -1) -> np.ndarray:
    return x.mean(axis=axis)


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
    if by == "outlet":  # one rule for articles without an outlet (framing.compare._select)
        data = label_missing_outlets(data, by)
    return data, within


def _groups(data: pd.DataFrame, within: list[str]) -> list[tuple[tuple, pd.DataFrame]]:
    if not within:
        return [((), data)]
    grouped = data.groupby(within, dropna=False, sort=True)
    return [(key if isinstance(key, tuple) else (key,), sub) for key, sub in grouped]


def _level_arrays(sub: pd.DataFrame, by: str, value: str) -> list[tuple[Any, np.ndarray]]:
    """``(level, values in table order)`` per level of ``by``, levels sorted by name.

    One pass over the table: comparing many outlets selected each pair's rows with a
    boolean mask, a cost of (pairs x rows).
    """
    codes, uniques = pd.factorize(sub[by], use_na_sentinel=False)
    values = sub[value].to_numpy(dtype=float)
    order = np.argsort(codes, kind="stable")
    bounds = np.cumsum(np.bincount(codes, minlength=len(uniques)))[:-1]
    parts = np.split(values[order], bounds)
    pairs = list(zip(list(uniques), parts, strict=True))
    return sorted(pairs, key=lambda p: (pd.isna(p[0]), str(p[0])))


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
        for level, values in _level_arrays(sub, by, value):
            missing = int(np.isnan(values).sum())
            x = values[~np.isnan(values)]
            notes = []
            if missing:
                notes.append(f"{_plural(missing, 'missing value')} dropped")
            if x.size < 2:
                notes.append(f"{_plural(x.size, 'article')}: no interval")
                low = high = math.nan
            else:
                low, high = percentile_interval(
                    (x,), _mean, n_boot=n_boot, ci=ci, random_state=random_state
                )
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
    show_progress: bool | None = None,
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
    show_progress : bool, optional
        Show a progress bar over the pairs. ``None`` (default): only for more than
        200 pairs (21 outlets), in a terminal or Jupyter.

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
    _check_alternative(alternative)
    data, within = _prepare(table, value, by, within, "pairwise_tests")
    groups = [(key, _level_arrays(sub, by, value)) for key, sub in _groups(data, within)]
    n_pairs = sum(len(levels) * (len(levels) - 1) // 2 for _, levels in groups)
    bar = progress_bar(
        wants_progress(show_progress, large=n_pairs > _PROGRESS_PAIRS),
        n_pairs,
        unit="pair",
        desc=f"Comparing {value} between {by}s",
    )
    cache = RelabellingCache()  # relabellings shared by pairs of the same size
    # One pair of outlets after the other across the ``within`` groups (e.g. every
    # frame), so that the pair's relabellings, which depend only on its size, are
    # drawn once and reused; rows are returned in (group, pair) order all the same.
    jobs = [
        (gi, pi, key, a, va, b, vb)
        for gi, (key, levels) in enumerate(groups)
        for pi, ((a, va), (b, vb)) in enumerate(itertools.combinations(levels, 2))
    ]
    jobs.sort(key=lambda job: (str(job[3]), str(job[5]), job[0], job[1]))
    done: dict[tuple[int, int], tuple] = {}
    for gi, pi, key, a, va, b, vb in jobs:
        if bar is not None:
            bar.update(1)
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
            p = _permutation_p(xa, xb, n_perm, random_state, alternative, cache)
        done[gi, pi] = (
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
    if bar is not None:
        bar.close()
    rows = [done[k] for k in sorted(done)]
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
