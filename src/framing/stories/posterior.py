"""Probability that a linked pair is the same story: a local false discovery rate.

A pair of articles within the date window is either about the same event or not.
The null sample of :mod:`framing.stories.similarity` (pairs published far apart)
gives the density ``f0`` of the combined similarity ``z`` for unrelated pairs; the
candidate pairs (all pairs within the window) have the density
``f = pi0 * f0 + (1 - pi0) * f1``, a mixture of unrelated and same-story pairs.
The posterior probability that a candidate with similarity ``z`` is unrelated is
the local false discovery rate (Efron, Tibshirani, Storey & Tusher 2001; Efron
2010, ch. 5)::

    lfdr(z) = pi0 * f0(z) / f(z),      P(same story | z) = 1 - lfdr(z).

- **The density ratio** ``f / f0`` is estimated by a logistic regression that tells
  candidate pairs from null pairs (a probabilistic classifier's odds are the
  density ratio times the ratio of the sample sizes; Efron 2010, sec. 5.2 uses
  the same two-sample device), with a quadratic log-ratio in ``z``: exact when
  both densities are normal with different variances, and with only three
  parameters however few candidates there are. The candidates enter as a
  histogram (bins of 0.05 in ``z``) accumulated block by block, so the fit costs
  nothing in memory at any N.
- **pi0 = 1**, the conservative bound (Efron 2010, sec. 4.5): it never
  overstates the probability of a link; in a large corpus almost every
  candidate pair is unrelated, so pi0 is close to 1 anyway.
- **Monotone:** a more similar pair is never less likely to be the same story,
  so the posterior is made non-decreasing in ``z`` (running maximum over a grid
  that starts at the null's median: a pair less alike than the typical unrelated
  pair gets 0, whatever the quadratic does far in its left tail).

The posteriors are the edge weights of the story graph
(:mod:`framing.stories.build`, step 4).

References
----------
Efron, B., Tibshirani, R., Storey, J. D. & Tusher, V. (2001). Empirical Bayes
analysis of a microarray experiment. *JASA* 96(456), 1151-1160.
Efron, B. (2010). *Large-Scale Inference*. Cambridge University Press.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from framing.stories.similarity import TAIL_START

__all__ = ["BIN", "KNOT_SPACING", "Z_RANGE", "same_story_probability", "z_histogram"]

#: Spacing of the knots of the cubic spline of ``log f`` (in units of ``z``, a
#: standardised similarity: about one null standard deviation).
KNOT_SPACING = 1.0
#: Width of a histogram bin of the combined similarity ``z``.
BIN = 0.05
#: Range of ``z`` binned (values outside are put in the end bins).
Z_RANGE = (-20.0, 60.0)
_N_BINS = round((Z_RANGE[1] - Z_RANGE[0]) / BIN)


def z_histogram(z: np.ndarray) -> np.ndarray:
    """Count the finite values of ``z`` in the fixed bins (end bins open)."""
    z = z[np.isfinite(z)]
    index = np.clip(((z - Z_RANGE[0]) / BIN).astype(np.int64), 0, _N_BINS - 1)
    return np.bincount(index, minlength=_N_BINS)


def same_story_probability(
    null_z: np.ndarray, candidate_counts: np.ndarray
) -> Callable[[np.ndarray], np.ndarray] | None:
    """Return ``z -> P(same story | z)`` in [0, 1], non-decreasing in ``z``.

    Parameters
    ----------
    null_z : numpy.ndarray
        Combined similarity of the null pairs (unrelated).
    candidate_counts : numpy.ndarray
        :func:`z_histogram` of the combined similarity of all candidate pairs.

    Returns
    -------
    callable or None
        None when there are fewer than 10 candidates or null pairs.
    """
    from sklearn.linear_model import PoissonRegressor
    from sklearn.preprocessing import SplineTransformer

    null_z = np.asarray(null_z, dtype=np.float64)
    n_cand = float(candidate_counts.sum())
    if n_cand < 10 or len(null_z) < 10:
        return None
    centres = Z_RANGE[0] + BIN * (np.arange(_N_BINS) + 0.5)
    # f: Poisson regression of the candidate histogram on a cubic spline (locfdr)
    seen = np.flatnonzero(candidate_counts)
    span = slice(seen[0], seen[-1] + 1)
    n_knots = max(4, math.ceil((seen[-1] - seen[0]) * BIN / KNOT_SPACING) + 1)
    spline = SplineTransformer(n_knots=n_knots, degree=3, extrapolation="linear")
    spline.fit(centres[span][[0, -1], None])
    model = PoissonRegressor(alpha=1e-8, solver="newton-cholesky", max_iter=200)
    model.fit(spline.transform(centres[span, None]), candidate_counts[span])
    # beyond the candidates' range the log-linear extrapolation may overflow: f is
    # then inf there and the posterior 1, which the monotone rule below gives anyway
    with np.errstate(over="ignore"):
        f = model.predict(spline.transform(centres[:, None])) / (n_cand * BIN)
    # f0: the null's histogram up to its 95th percentile u, then the exponential
    # tail of :func:`framing.stories.similarity.tail_quantile` (same model)
    u = float(np.quantile(null_z, TAIL_START))
    excess = null_z[null_z > u] - u
    beta = float(excess.mean()) if excess.size else BIN
    f0 = z_histogram(null_z) / (len(null_z) * BIN)
    tail = centres > u
    f0[tail] = (1 - TAIL_START) * np.exp(-(centres[tail] - u) / beta) / beta
    posterior = 1.0 - np.minimum(f0 / np.maximum(f, 1e-300), 1.0)
    # below the null's median a pair is less alike than a typical unrelated pair:
    # it is no evidence of a story, whatever the fit does there; then monotone
    posterior[centres < np.median(null_z)] = 0.0
    posterior = np.maximum.accumulate(posterior)

    def probability(z: np.ndarray) -> np.ndarray:
        return np.interp(np.asarray(z, dtype=np.float64), centres, posterior)

    return probability
