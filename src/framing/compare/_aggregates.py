"""Outlet comparisons from per-partition aggregates (the partitioned engine, issue 15).

The in-memory functions (:func:`framing.compare.outlet_summary`,
:func:`~framing.compare.pairwise_tests`, :func:`~framing.compare.frame_contrast`)
need every article's value. Here each partition is reduced, on a worker, to

- **sufficient statistics** per group (``within`` x outlet): the count ``n`` of
  values, the count of missing values, the count of non-zero values, the mean and
  the sum of squared deviations ``m2``; partitions combine exactly (Chan, Golub &
  LeVeque 1979), so means, counts and SDs equal the in-memory ones up to rounding;
- a **bottom-k sample** of at most ``reservoir`` article values per group: every
  article gets a pseudo-random key, a hash of its ``article_id`` and the seed, and a
  group keeps the ``reservoir`` smallest keys. The bottom-k of a union is the
  bottom-k of the bottom-ks of its parts, so the sample does not depend on how the
  corpus is partitioned, and it is the whole group when the group is no larger.

A value that is an affine function of an article's columns with coefficients known
only once the whole corpus is read (the lexicon frame score) is reduced instead to the
moments of those columns (:func:`partition_moments`); the driver applies the
coefficients (:func:`linear_aggregates`) and gets the same aggregates.

The driver then holds groups x ``reservoir`` values, not articles. The statistics
(:func:`summary_from_aggregates`, :func:`pairwise_from_aggregates`,
:func:`contrast_from_aggregates`):

- a group of at most ``reservoir`` articles (both groups, for a pair) gets exactly
  the in-memory statistics: its sample is all its values, put back in corpus order,
  and passed to the same bootstrap, permutation and sign-flip code with the same
  seed, so its row equals the in-memory one;
- a larger group gets the large-sample approximations, from the exact aggregates:
  the normal interval ``mean +- z * sd / sqrt(n)`` (the percentile bootstrap of a
  mean converges to it; Efron & Tibshirani 1993, ch. 13), the Welch interval of a
  difference ``diff +- z * sqrt(sd_a^2 / n_a + sd_b^2 / n_b)``, Welch's t-test for
  the permutation test of a difference in means (they agree asymptotically;
  Janssen 1997) and the one-sample t-test for the sign-flip test. Hedges' g is
  exact. The row's ``note`` says "normal approximation".

The default ``reservoir`` of 2,000 articles (:data:`RESERVOIR`): for a mean, the
ends of the percentile bootstrap interval differ from the normal interval's by the
skewness term of the Cornish-Fisher expansion, ``skew * (z^2 - 1) / (6 sqrt(n))``
standard errors, i.e. ``0.12 * skew / sqrt(n)`` of the width of a 95% interval
(Hall 1992, §3.5), while 2,000 bootstrap resamples move an end by about 1.5% of the
width (the Monte Carlo error of a 2.5% quantile). At n = 2,000 the difference is
0.3% of the width for a skewness of 1 (article sentiment) and 1% for the most skewed
frame shares (skewness 4: a frame in 5% of the articles), below the bootstrap's own
noise. The driver's work on the exact path is bounded by pairs x 2 x ``reservoir``
values, whatever the corpus size. A test compares both paths on a small corpus (ends
within 10% of the width, p-values within 0.05).

References
----------
Chan, T. F., Golub, G. H. & LeVeque, R. J. (1979). Updating formulae and a pairwise
algorithm for computing sample variances. Stanford CS report STAN-CS-79-773.
Efron, B. & Tibshirani, R. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
Hall, P. (1992). *The Bootstrap and Edgeworth Expansion*. Springer.
Janssen, A. (1997). Studentized permutation tests for non-i.i.d. hypotheses and the
generalized Behrens-Fisher problem. *Statistics & Probability Letters* 36, 9-21.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from framing._resampling import percentile_interval
from framing.compare._contrast import CONTRAST_COLUMNS, sign_flip_test
from framing.compare._outlets import PAIRWISE_COLUMNS, SUMMARY_COLUMNS, _mean, _plural
from framing.compare._stats import (
    RelabellingCache,
    _diff_ci,
    _permutation_p,
    benjamini_hochberg,
    hedges_g,
)

__all__ = [
    "APPROX_NOTE",
    "RESERVOIR",
    "Aggregates",
    "combine_aggregates",
    "contrast_from_aggregates",
    "linear_aggregates",
    "pairwise_from_aggregates",
    "partition_aggregates",
    "partition_moments",
    "relabel",
    "summary_from_aggregates",
]

#: Articles per group resampled exactly; larger groups use normal approximations.
RESERVOIR = 2000
#: Note of a row computed with the large-sample approximations.
APPROX_NOTE = "normal approximation"
_STATS = ["n", "n_missing", "n_nonzero", "mean", "m2"]


@dataclass
class Aggregates:
    """Per-group sufficient statistics and bottom-k samples of one value column.

    ``stats``: ``[*within, by, n, n_missing, n_nonzero, mean, m2]``; ``sample``:
    ``[*within, by, key, part, row, value]`` (non-missing values only).
    """

    stats: pd.DataFrame
    sample: pd.DataFrame
    within: list[str]
    by: str = "outlet"


def _keys(article_ids: pd.Series, seed: int) -> np.ndarray:
    """Uniform pseudo-random uint64 key per article: a hash of its id and ``seed``."""
    ids = article_ids.astype(str).to_numpy(dtype=object)
    return pd.util.hash_array(ids, hash_key=f"{seed % 10**16:016d}", categorize=False)


def partition_aggregates(
    table: pd.DataFrame,
    value: str,
    *,
    within: Sequence[str] = (),
    by: str = "outlet",
    part: str = "",
    reservoir: int = RESERVOIR,
    seed: int = 0,
) -> Aggregates:
    """Reduce one partition's article table to :class:`Aggregates` of ``value``.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per article (per article x ``within``), with ``article_id``, ``by``
        and ``value``, outlets already labelled and selected.
    part : str
        The partition's id; with the row number it puts the sample back in corpus
        order.
    reservoir : int, default=RESERVOIR
        Values kept per group (the bottom-k sample).
    seed : int, default=0
        Seed of the article keys.
    """
    within = list(within)
    keys = [*within, by]
    values = table[value].astype(float)
    data = table[keys].copy()
    data["value"] = values.to_numpy()
    data["missing"] = values.isna().to_numpy()
    data["nonzero"] = values.fillna(0).ne(0).to_numpy()
    data["row"] = np.arange(len(table), dtype=np.int64)
    data["key"] = _keys(table["article_id"], seed)
    grouped = data.groupby(keys, sort=True, dropna=False)
    stats = grouped.agg(
        n=("value", "count"),
        n_missing=("missing", "sum"),
        n_nonzero=("nonzero", "sum"),
        mean=("value", "mean"),
    )
    centred = data["value"] - grouped["value"].transform("mean")
    stats["m2"] = (centred**2).groupby([data[k] for k in keys], sort=True, dropna=False).sum()
    stats = stats.reset_index()
    kept = data[~data["missing"]].sort_values("key", kind="stable")
    sample = kept.groupby(keys, sort=False, dropna=False).head(reservoir)
    sample = sample[[*keys, "key", "row", "value"]].assign(part=part)
    return Aggregates(stats, sample.reset_index(drop=True), within, by)


def partition_moments(
    table: pd.DataFrame,
    variables: Sequence[str],
    *,
    within: Sequence[str] = (),
    by: str = "outlet",
    part: str = "",
    reservoir: int = RESERVOIR,
    seed: int = 0,
    keep: Sequence[str] = (),
) -> Aggregates:
    """Reduce one partition to the moments of several columns, for values linear in them.

    A value that is an affine function ``theta . x + gamma`` of the columns
    ``variables`` (``x``), with coefficients known only later, has per group the mean
    ``theta . mean(x) + gamma`` and the sum of squared deviations ``theta' C theta``,
    where ``C`` holds the sums of cross-products of deviations of ``x``. So a
    partition reduced to ``n``, ``mean(x)`` and ``C`` serves any coefficients:
    :func:`linear_aggregates` turns it into the :class:`Aggregates` of the value. The
    partitioned engine uses this for the lexicon frame ``score``, whose coefficients
    are corpus-wide rates, means and SDs that change whenever articles are added
    (:func:`framing.run.compare_parts.compare_task`).

    Returns
    -------
    Aggregates
        ``stats``: ``[*within, by, n, n_missing, mean_0.., c_0_0, c_0_1, ..]`` (a row
        is missing where any variable is not finite); ``sample``: the bottom-k of the
        complete rows as in :func:`partition_aggregates`, with the columns ``keep``
        instead of ``value``.
    """
    within = list(within)
    keys = [*within, by]
    x = table[list(variables)].to_numpy(dtype=float)
    complete = np.isfinite(x).all(axis=1)
    data = table[keys].copy()
    data["missing"] = ~complete
    names = [f"mean_{i}" for i in range(len(variables))]
    for i, name in enumerate(names):
        data[name] = np.where(complete, x[:, i], np.nan)
    grouped = data.groupby(keys, sort=True, dropna=False)
    stats = grouped.agg(n=(names[0], "count"), n_missing=("missing", "sum"))
    means = grouped[names].transform("mean")
    centred = data[names].to_numpy() - means.to_numpy()
    by_keys = [data[k] for k in keys]
    for i in range(len(names)):
        for j in range(i, len(names)):
            product = pd.Series(centred[:, i] * centred[:, j], index=data.index)
            stats[f"c_{i}_{j}"] = product.groupby(by_keys, sort=True, dropna=False).sum()
    stats[names] = grouped[names].mean()
    stats = stats.reset_index()
    kept = table.loc[complete, [*keys, *keep]].copy()
    kept["row"] = np.flatnonzero(complete).astype(np.int64)
    kept["key"] = _keys(table.loc[complete, "article_id"], seed)
    kept = kept.sort_values("key", kind="stable")
    sample = kept.groupby(keys, sort=False, dropna=False).head(reservoir)
    sample = sample[[*keys, "key", "row", *keep]].assign(part=part)
    return Aggregates(stats, sample.reset_index(drop=True), within, by)


def linear_aggregates(
    moments: Aggregates, theta: np.ndarray, gamma: np.ndarray, values: np.ndarray | None
) -> Aggregates:
    """Turn :func:`partition_moments` into the :class:`Aggregates` of ``theta . x + gamma``.

    Parameters
    ----------
    moments : Aggregates
        One partition's moments.
    theta : numpy.ndarray
        Coefficients, one row per row of ``moments.stats`` (groups may differ: one
        frame's coefficients per frame).
    gamma : numpy.ndarray
        The constant, one per row of ``moments.stats``. A row whose coefficients are
        not all finite has no value: its articles count as missing.
    values : numpy.ndarray or None
        The value of every sample row, computed by the caller from the ``keep``
        columns (NaN rows are dropped); None gives an empty sample.

    Notes
    -----
    ``n_nonzero`` counts every finite value as non-zero: the values this serves (a
    standardised score) are exactly zero only when an article's evidence equals the
    corpus mean to the last bit.
    """
    stats = moments.stats
    k = theta.shape[1]
    mean_x = stats[[f"mean_{i}" for i in range(k)]].to_numpy(dtype=float)
    cross = np.zeros((len(stats), k, k))
    for i in range(k):
        for j in range(i, k):
            cross[:, i, j] = cross[:, j, i] = stats[f"c_{i}_{j}"].to_numpy(dtype=float)
    defined = np.isfinite(theta).all(axis=1) & np.isfinite(gamma)
    with np.errstate(invalid="ignore"):
        mean = np.einsum("gi,gi->g", theta, mean_x) + gamma
        m2 = np.einsum("gi,gij,gj->g", theta, cross, theta)
    n = stats["n"].to_numpy(dtype=np.int64)
    keys = [*moments.within, moments.by]
    out = stats[keys].copy()
    out["n"] = np.where(defined, n, 0)
    out["n_missing"] = stats["n_missing"].to_numpy(dtype=np.int64) + np.where(defined, 0, n)
    out["n_nonzero"] = out["n"]
    out["mean"] = np.where(defined & (n > 0), mean, np.nan)
    out["m2"] = np.where(defined & (n > 0), np.maximum(m2, 0.0), 0.0)
    sample = moments.sample
    if values is None:
        sample = sample.iloc[:0][[*keys, "key", "row", "part"]].assign(value=np.zeros(0))
    else:
        sample = sample[[*keys, "key", "row", "part"]].assign(value=values)
        sample = sample[np.isfinite(sample["value"].to_numpy(dtype=float))]
    sample = sample[[*keys, "key", "row", "value", "part"]]
    return Aggregates(out, sample.reset_index(drop=True), moments.within, moments.by)


def combine_aggregates(
    pieces: Sequence[Aggregates], order: Sequence[str], *, reservoir: int = RESERVOIR
) -> Aggregates:
    """Combine partitions' :class:`Aggregates` (outlets may have been merged since).

    ``order`` lists the partition ids in corpus order. Counts add; means and ``m2``
    combine by Chan et al.'s formulae; the sample keeps each group's ``reservoir``
    smallest keys, in corpus order.
    """
    first = pieces[0]
    keys = [*first.within, first.by]
    stats = pd.concat([p.stats for p in pieces], ignore_index=True)
    stats = stats[stats["n"] + stats["n_missing"] > 0]
    stats["total"] = stats["mean"].fillna(0) * stats["n"]
    grouped = stats.groupby(keys, sort=True, dropna=False)
    out = grouped[["n", "n_missing", "n_nonzero", "total"]].sum()
    out["mean"] = out["total"] / out["n"].where(out["n"] > 0)
    stats = stats.join(out["mean"].rename("grand"), on=keys)
    dev = stats["m2"].fillna(0) + stats["n"] * (stats["mean"].fillna(0) - stats["grand"]) ** 2
    out["m2"] = dev.groupby([stats[k] for k in keys], sort=True, dropna=False).sum()
    out = out.drop(columns="total").reset_index()
    sample = pd.concat([p.sample for p in pieces], ignore_index=True)
    sample = sample.sort_values("key", kind="stable")
    sample = sample.groupby(keys, sort=False, dropna=False).head(reservoir)
    position = {pid: i for i, pid in enumerate(order)}
    sample = sample.assign(position=sample["part"].map(position))
    sample = sample.sort_values(["position", "row"], kind="stable").drop(columns="position")
    return Aggregates(out, sample.reset_index(drop=True), first.within, first.by)


def relabel(agg: Aggregates, mapping: dict[str, str]) -> Aggregates:
    """Rename outlets (``others = "merge"``): the caller then re-combines the pieces."""
    stats = agg.stats.assign(**{agg.by: agg.stats[agg.by].astype(str).replace(mapping)})
    sample = agg.sample.assign(**{agg.by: agg.sample[agg.by].astype(str).replace(mapping)})
    return Aggregates(stats, sample, agg.within, agg.by)


def _groups(agg: Aggregates) -> list[tuple[tuple, list[tuple[str, pd.Series, np.ndarray]]]]:
    """``(within key, [(level, stats row, sample values in corpus order), ...])``."""
    values = {
        (k if isinstance(k, tuple) else (k,)): g["value"].to_numpy(dtype=float)
        for k, g in agg.sample.groupby([*agg.within, agg.by], sort=False, dropna=False)
    }
    out = []
    grouped = agg.stats.groupby(agg.within, sort=True, dropna=False) if agg.within else None
    parts = [((), agg.stats)] if grouped is None else list(grouped)
    for key, sub in parts:
        key = key if isinstance(key, tuple) else (key,)
        levels = []
        for _, row in sub.sort_values(agg.by, key=lambda s: s.astype(str)).iterrows():
            found = values.get((*key, row[agg.by]), np.empty(0))
            levels.append((row[agg.by], row, found))
        out.append((key, levels))
    return out


def _exact(row: pd.Series, reservoir: int) -> bool:
    return int(row["n"]) <= reservoir


def _sd(row: pd.Series) -> float:
    n = int(row["n"])
    return math.sqrt(row["m2"] / (n - 1)) if n > 1 else math.nan


def _z(ci: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf((1 + ci) / 2))


def summary_from_aggregates(
    agg: Aggregates,
    *,
    n_boot: int = 2000,
    ci: float = 0.95,
    random_state: int = 0,
    reservoir: int = RESERVOIR,
) -> pd.DataFrame:
    """:func:`framing.compare.outlet_summary` from :class:`Aggregates` (module docstring)."""
    rows = []
    for key, levels in _groups(agg):
        for level, row, x in levels:
            n, missing = int(row["n"]), int(row["n_missing"])
            notes = [f"{_plural(missing, 'missing value')} dropped"] if missing else []
            if n < 2:
                notes.append(f"{_plural(n, 'article')}: no interval")
                low = high = math.nan
            elif _exact(row, reservoir):
                low, high = percentile_interval(
                    (x,), _mean, n_boot=n_boot, ci=ci, random_state=random_state
                )
            else:
                half = _z(ci) * _sd(row) / math.sqrt(n)
                low, high = row["mean"] - half, row["mean"] + half
                notes.append(APPROX_NOTE)
            if _exact(row, reservoir):
                mean = float(x.mean()) if n else math.nan
                sd = float(x.std(ddof=1)) if n > 1 else math.nan
            else:
                mean, sd = float(row["mean"]), _sd(row)
            rows.append((*key, level, mean, sd, n, low, high, "; ".join(notes)))
    out = pd.DataFrame(rows, columns=[*agg.within, agg.by, *SUMMARY_COLUMNS])
    out["n"] = out["n"].astype("int64")
    for col in ("mean", "sd", "ci_low", "ci_high"):
        out[col] = out[col].astype(float)
    return out


def _hedges_from_stats(a: pd.Series, b: pd.Series) -> float:
    """Hedges' g (:func:`framing.compare.hedges_g`) from counts, means and ``m2``."""
    df = int(a["n"]) + int(b["n"]) - 2
    ss = float(a["m2"] + b["m2"])
    if df < 2 or ss <= 0:
        return math.nan
    correction = math.exp(math.lgamma(df / 2) - math.lgamma((df - 1) / 2)) / math.sqrt(df / 2)
    return correction * float(a["mean"] - b["mean"]) / math.sqrt(ss / df)


def _welch(a: pd.Series, b: pd.Series, ci: float) -> tuple[float, float, float]:
    """Welch interval of ``mean_a - mean_b`` and Welch's two-sided t-test p-value."""
    from scipy.stats import ttest_ind_from_stats

    sa, sb, na, nb = _sd(a), _sd(b), int(a["n"]), int(b["n"])
    diff = float(a["mean"] - b["mean"])
    se = math.sqrt(sa**2 / na + sb**2 / nb)
    if se == 0:
        return diff, diff, 1.0
    p = ttest_ind_from_stats(a["mean"], sa, na, b["mean"], sb, nb, equal_var=False).pvalue
    return diff - _z(ci) * se, diff + _z(ci) * se, float(p)


def pairwise_from_aggregates(
    agg: Aggregates,
    *,
    n_perm: int = 9999,
    random_state: int = 0,
    n_boot: int = 2000,
    ci: float = 0.95,
    reservoir: int = RESERVOIR,
) -> pd.DataFrame:
    """:func:`framing.compare.pairwise_tests` (two-sided) from :class:`Aggregates`."""
    cache = RelabellingCache()
    rows = []
    for key, levels in _groups(agg):
        for (a, ra, xa), (b, rb, xb) in itertools.combinations(levels, 2):
            notes = [
                f"{_plural(int(r['n_missing']), 'missing value')} dropped in {name}"
                for name, r in ((a, ra), (b, rb))
                if int(r["n_missing"])
            ]
            exact = _exact(ra, reservoir) and _exact(rb, reservoir)
            if exact:
                mean_a = float(xa.mean()) if xa.size else math.nan
                mean_b = float(xb.mean()) if xb.size else math.nan
            else:
                mean_a, mean_b = float(ra["mean"]), float(rb["mean"])
            low = high = g = p = math.nan
            small = [str(n) for n, r in ((a, ra), (b, rb)) if int(r["n"]) < 2]
            if small:
                notes.append(f"fewer than 2 articles in {', '.join(small)}: not tested")
            elif exact:
                low, high = _diff_ci(xa, xb, n_boot, ci, random_state)
                g = hedges_g(xa, xb)
                p = _permutation_p(xa, xb, n_perm, random_state, "two-sided", cache)
            else:
                low, high, p = _welch(ra, rb, ci)
                g = _hedges_from_stats(ra, rb)
                notes.append(APPROX_NOTE)
            if not small and math.isnan(g):
                notes.append("zero variance: effect size undefined")
            rows.append(
                (*key, a, b, mean_a, mean_b, mean_a - mean_b, low, high, g, p, math.nan,
                 int(ra["n"]), int(rb["n"]), "; ".join(notes))
            )  # fmt: skip
    out = pd.DataFrame(rows, columns=[*agg.within, *PAIRWISE_COLUMNS])
    out["p_adjusted"] = benjamini_hochberg(out["p_value"].to_numpy(dtype=float))
    for col in ("n_a", "n_b"):
        out[col] = out[col].astype("int64")
    return out


def contrast_from_aggregates(
    diff: Aggregates,
    a: Aggregates,
    b: Aggregates,
    frames: tuple[str, str],
    absent: Sequence[str],
    *,
    n_boot: int = 2000,
    n_perm: int = 9999,
    ci: float = 0.95,
    random_state: int = 0,
    reservoir: int = RESERVOIR,
) -> pd.DataFrame:
    """:func:`framing.compare.frame_contrast` from aggregates.

    ``diff`` aggregates the per-article difference, ``a`` and ``b`` the two frames'
    values over the articles whose difference is defined; ``absent`` lists the frames
    no article of the corpus carries. Large outlets get the one-sample t-test instead
    of the sign flips.
    """
    from scipy.stats import t as student_t

    by = diff.by
    summary = summary_from_aggregates(
        diff, n_boot=n_boot, ci=ci, random_state=random_state, reservoir=reservoir
    )
    samples = {level: x for _, levels in _groups(diff) for level, _, x in levels}
    stats_a = a.stats.set_index(by)
    stats_b = b.stats.set_index(by)
    rows = []
    for _, row in summary.iterrows():
        level, n = row[by], int(row["n"])
        notes = [row["note"]] if row["note"] else []
        if n < 2:
            p_value = np.nan
            notes.append("not tested")
        elif n <= reservoir:
            p_value = sign_flip_test(samples[level], n_perm=n_perm, random_state=random_state)
        else:
            se = row["sd"] / math.sqrt(n)
            p_value = 1.0 if se == 0 else float(2 * student_t.sf(abs(row["mean"]) / se, n - 1))
        ra, rb = stats_a.loc[level], stats_b.loc[level]
        if absent:
            notes.extend(f"frame {name!r} absent in this corpus" for name in absent)
        elif n and int(ra["n_nonzero"]) == 0 and int(rb["n_nonzero"]) == 0:
            notes.append("neither frame occurs in these articles")
        rows.append(
            {
                by: level,
                "frame_a": frames[0],
                "frame_b": frames[1],
                "mean_a": float(ra["mean"]) if n else np.nan,
                "mean_b": float(rb["mean"]) if n else np.nan,
                "mean_diff": row["mean"],
                "sd": row["sd"],
                "n": n,
                "ci_low": row["ci_low"],
                "ci_high": row["ci_high"],
                "p_value": p_value,
                "note": "; ".join(notes),
            }
        )
    return pd.DataFrame(rows, columns=[by, *CONTRAST_COLUMNS])
