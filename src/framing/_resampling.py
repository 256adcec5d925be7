"""The one percentile bootstrap of the package, on :func:`scipy.stats.bootstrap`.

Every interval in the workbench (outlet means, differences of means, topic shares,
frame-coding agreement) comes from :func:`percentile_interval`: the percentile
bootstrap (Efron & Tibshirani 1993, ch. 13) of ``scipy.stats.bootstrap`` with
``method="percentile"``, its resamples drawn from ``numpy.random.default_rng(seed)``
in batches that keep each batch's array under ``_CHUNK_ELEMENTS`` elements (about
16 MB of float64), whatever the sample size. The draws do not depend on the batch
size, so an interval depends only on the data, the statistic, ``n_boot``, ``ci``
and the seed.

References
----------
Efron, B. & Tibshirani, R. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = ["percentile_interval", "resample_batch"]

RandomState = int | np.random.Generator | None

#: Upper bound on the elements of one batch of resamples (float64: ~16 MB).
_CHUNK_ELEMENTS = 2_000_000


def resample_batch(width: int) -> int:
    """Resamples per batch so that ``batch x width`` stays under ``_CHUNK_ELEMENTS``."""
    return max(1, _CHUNK_ELEMENTS // max(int(width), 1))


def percentile_interval(
    samples: Sequence[np.ndarray],
    statistic: Callable[..., Any],
    *,
    n_boot: int,
    ci: float,
    random_state: RandomState,
    width: int | None = None,
) -> tuple[Any, Any]:
    """Percentile bootstrap interval of ``statistic(*samples)`` (scipy.stats.bootstrap).

    Parameters
    ----------
    samples : sequence of 1-D arrays
        Independent samples, each resampled with replacement separately (at least
        2 values each; the caller reports smaller samples as "no interval").
    statistic : callable
        ``statistic(*resampled, axis=-1)`` on arrays of shape ``(batch, n_i)``; it
        returns shape ``(batch,)``, or ``(k, batch)`` for ``k`` statistics at once.
    n_boot : int
        Bootstrap resamples.
    ci : float
        Confidence level in (0, 1): the interval is the ``(1 - ci) / 2`` and
        ``(1 + ci) / 2`` percentiles (linear interpolation) of the resampled
        statistic.
    random_state : int or numpy.random.Generator
        Seed of ``numpy.random.default_rng``.
    width : int, optional
        Elements one resample occupies in ``statistic``'s work arrays (default: the
        total sample size), which sets the batch size.

    Returns
    -------
    (low, high)
        Floats, or arrays of ``k`` values for a ``k``-valued statistic; ``low <=
        high``.

    Examples
    --------
    >>> x = np.array([0.1, 0.4, 0.2, 0.5, 0.3])
    >>> low, high = percentile_interval((x,), np.mean, n_boot=999, ci=0.9, random_state=1)
    >>> bool(low < 0.3 < high)
    True
    """
    from scipy.stats import bootstrap

    width = sum(len(s) for s in samples) if width is None else width
    result = bootstrap(
        tuple(samples),
        statistic,
        n_resamples=n_boot,
        batch=resample_batch(width),
        vectorized=True,
        method="percentile",
        confidence_level=ci,
        rng=np.random.default_rng(random_state),
    )
    low, high = result.confidence_interval
    if np.ndim(low) == 0:
        return float(low), float(high)
    return np.asarray(low, dtype=float), np.asarray(high, dtype=float)
