"""The headline article x frame score, and what each frame's numbers are worth here.

Every table, figure and comparison of frames shows one headline number per article
and frame, the ``score`` column of :attr:`FrameScores.articles
<framing.frames.results.FrameScores.articles>`. It needs no threshold, so it does
not carry a cut-off written on some other corpus into this one:

``semantic``
    a **composite of two indicators** (change 1 below): the mean of the article's
    ``k`` = :data:`TOP_K` highest unit scores (all of them when it has fewer units),
    **standardised within the corpus** (minus the mean over articles, divided by
    the standard deviation over articles, per frame), averaged with the frame's
    standardised lexicon evidence (as for ``lexicon``) when the frame has terms,
    and standardised again. Why a top-k mean: a frame is usually carried by a few
    sentences of an article (its lede, a quote, a closing paragraph), so the mean
    over all units dilutes it with the article's length, and the single best unit
    is a noisy one-sentence estimate; three is the smallest number that is not one
    sentence and still well below the length of a news article (median about 25
    sentences). Why standardised: raw cosines depend on the model and the topic of
    the corpus, so they are comparable only within one corpus; a z-score says so
    by construction.
``lexicon``
    the article's **lexicon evidence** (change 2 below): its term matches minus
    the number expected at the corpus's rate for an article of its length, in
    Poisson standard errors, ``(c - lambda n) / sqrt(lambda n)`` with ``lambda`` =
    the frame's matches per word over the corpus; standardised within the corpus
    the same way. (It replaced matches per 1,000 words, still the article
    column ``per_1k_words``.)
``supervised``
    the top-k mean of the classifier's probabilities, left on the probability scale
    ([0, 1]): the classifier was trained on this corpus's own coded units, so its
    probabilities are calibrated here.

Sign and range: higher = more of the frame. A standardised score is 0 for the
corpus's average article and counts standard deviations from it (unbounded, mostly
within [-3, 3]); it ranks articles within this corpus and compares outlets with
each other, not frames across corpora. Where every article gets the same value the
standard deviation is 0: ``score`` is NaN and ``note`` says that the frame does not
rank the articles of this corpus.

**Two changes of issue 12, argued before they were measured.** The benchmark
figures of both, also where they got worse, are in the issue's closing note; the
changes were not chosen among variants by their AUC.

1. *Composite of two indicators (semantic method).* The lexicon and the embedding
   similarity measure the same construct with different errors: a dictionary is
   precise where it matches but misses paraphrase (most articles tie at zero
   matches), an embedding catches paraphrase but also answers to topic and
   style. By classical test theory a sum of standardised indicators whose errors
   are not correlated is more reliable than either alone (Spearman-Brown;
   Nunnally & Bernstein 1994), and equal (unit) weights need no labels to fit and
   lose little against fitted weights (Dawes 1979; Wainer 1976). So the semantic
   headline is the mean of the two z-scores, re-standardised; a frame without
   terms, or whose terms match nothing in the corpus, keeps its semantic z alone.
2. *Length-robust lexicon evidence.* A density ``c / n`` has sampling variance
   ``lambda / n`` under background use of the terms: a single match in a short
   article gives an extreme density by chance, while a count rides on length. The
   standardised Poisson residual divides the excess of matches over their
   expectation by its standard error, which puts articles of any length on one
   scale (the logic of funnel plots, Spiegelhalter 2005). No parameter is set:
   ``lambda`` is this corpus's rate.

Measured afterwards (``benchmarks/bench_frames.py``, climate corpus, mean ROC AUC
over its five frames): change 1 raised the semantic headline from 0.728 to 0.783
(change 1 with the old density) and 0.782 (with change 2); change 2 alone lowered
the lexicon headline from 0.767 to 0.761, by less than one standard error of an AUC
on 427 articles. Both are kept as argued; neither was tuned.

**Shares, on request.** ``[frames] measure = "share"`` (``--set frames.measure=share``)
makes the comparisons, figures and report use ``share`` instead: the share of the
article's units whose unit score passes the frame's cut-off, in [0, 1]. The cut-off
is set per corpus, never carried over from another one: ``lexicon`` any term match;
``semantic`` the corpus's mean unit score plus
:data:`~framing.frames.semantic.PRESENT_SD` (2) standard deviations, per frame, unless
``[frames] threshold`` (e.g. from :func:`~framing.frames.semantic.calibrate_threshold`
on this corpus's coded units) is given; ``supervised`` probability >= the
classifier's per-frame threshold (F1-optimal in a cross-validation of the coded units,
nested in the training folds; 0.5 in single-label mode). :func:`measure_label` says
in words what either number is; :data:`MEASURES` lists them.

None of these defaults (``k``, the 5% coverage warning below) was chosen by looking
at benchmark labels: ``k`` from the argument above, the 5% from the lexicon coverage
rule of issue 12 (a dictionary that reaches fewer than one article in twenty
measures almost nothing in this corpus).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "LEXICON_KIND",
    "LOW_COVERAGE",
    "MEASURES",
    "NOT_VALIDATED",
    "TOP_K",
    "composite",
    "frame_summary",
    "lexicon_evidence",
    "lexicon_rates",
    "lexicon_score_params",
    "lexicon_score_parts",
    "measure_label",
    "semantic_headline",
    "semantic_score_params",
    "semantic_score_parts",
    "standardise",
    "top_k_mean",
    "validation_status",
]

#: Units averaged into an article's headline score (see the module docstring).
TOP_K = 3
#: Below this share of articles with any lexicon match a frame's dictionary is
#: flagged as barely covering the corpus.
LOW_COVERAGE = 0.05
NOT_VALIDATED = "not validated on this corpus"
CONSTANT = "every article gets the same score: this frame does not rank the articles"
#: What the lexicon method's headline score is (``FrameScores.summary["score"]``).
LEXICON_KIND = "lexicon evidence (Poisson residual of the matches), standardised within the corpus"
#: Article columns a run may compare frames on (``[frames] measure``); the first is
#: the default.
MEASURES = ("score", "share")
_SHARE_RULES = {
    "lexicon": "any term match",
    "semantic": "unit score >= mean + 2 SD",
    "supervised": "probability >= the classifier's per-frame threshold",
}
_VALIDATION_COLUMNS = ["validated", "validation_f1", "validation_auc", "validation_n"]


def top_k_mean(scores: np.ndarray, codes: np.ndarray, n_groups: int, k: int = TOP_K) -> np.ndarray:
    """Mean of the ``k`` highest scores of each group, per column.

    Parameters
    ----------
    scores : ndarray, shape (n_units, n_frames)
    codes : ndarray of int, shape (n_units,)
        Group (article) of each unit, in ``range(n_groups)``.
    n_groups : int
    k : int, default=TOP_K

    Returns
    -------
    ndarray, shape (n_groups, n_frames)
        NaN for a group without units.

    Examples
    --------
    >>> s = np.array([[1.0], [5.0], [3.0], [4.0], [2.0]])
    >>> top_k_mean(s, np.array([0, 0, 0, 0, 1]), 3, k=3).ravel().tolist()
    [4.0, 2.0, nan]
    """
    n_units, n_frames = scores.shape
    out = np.full((n_groups, n_frames), np.nan)
    if n_units == 0:
        return out
    for j in range(n_frames):
        order = np.lexsort((-scores[:, j], codes))
        sorted_codes = codes[order]
        starts = np.r_[0, np.flatnonzero(np.diff(sorted_codes)) + 1]
        rank = np.arange(n_units) - np.repeat(starts, np.diff(np.r_[starts, n_units]))
        keep = order[rank < k]
        total = np.bincount(codes[keep], weights=scores[keep, j], minlength=n_groups)
        count = np.bincount(codes[keep], minlength=n_groups)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, j] = np.where(count > 0, total / count, np.nan)
    return out


def lexicon_rates(n_matches: np.ndarray, n_words: np.ndarray) -> np.ndarray:
    """Each frame column's corpus rate: total matches over the total words (NaN: none)."""
    counts = np.asarray(n_matches, dtype=float)
    words = np.asarray(n_words, dtype=float).reshape(len(counts), -1)[:, :1]
    has = (words > 0) & np.isfinite(words)
    total = np.nansum(np.where(has, counts, 0.0), axis=0)
    return np.where(total > 0, total / max(float(words[has].sum()), 1.0), np.nan)


def lexicon_evidence(n_matches: np.ndarray, n_words: np.ndarray) -> np.ndarray:
    """Standardised Poisson residual of each article's term matches (change 2 above).

    Parameters
    ----------
    n_matches : ndarray, shape (n_articles, n_frames)
        Term matches per article and frame.
    n_words : ndarray, shape (n_articles,) or (n_articles, 1)
        Article lengths in words.

    Returns
    -------
    ndarray, shape (n_articles, n_frames)
        ``(c - lambda n) / sqrt(lambda n)``, ``lambda`` = the column's total matches
        over the total words of the articles with words. Unbounded; 0 = as many
        matches as expected at the corpus rate, positive = more. NaN for an article
        without words and for a frame without any match (no rate to compare with).

    Examples
    --------
    >>> c = np.array([[1.0], [3.0], [0.0]])
    >>> lexicon_evidence(c, np.array([100, 1000, 900])).round(2).ravel().tolist()
    [1.79, 0.71, -1.34]
    """
    counts = np.asarray(n_matches, dtype=float)
    words = np.asarray(n_words, dtype=float).reshape(len(counts), -1)[:, :1]
    rate = lexicon_rates(counts, words)
    expected = rate[None, :] * np.where((words > 0) & np.isfinite(words), words, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (counts - expected) / np.sqrt(expected)


def lexicon_score_params(n_matches: np.ndarray, n_words: np.ndarray) -> dict[str, list]:
    """Return the corpus-wide numbers of the lexicon headline score, per frame.

    ``standardise(lexicon_evidence(n_matches, n_words))`` needs the whole corpus: each
    frame's match rate and the mean and SD of its evidence. Given these,
    :func:`lexicon_score_parts` scores any part of the corpus alone, with the same
    result (used by the partitioned engine's comparisons).

    Returns
    -------
    dict
        ``rate``, ``mean``, ``sd`` (lists, one value per frame column; NaN where the
        frame has no match or its evidence is constant, so that its score is NaN).
    """
    counts = np.asarray(n_matches, dtype=float)
    words = np.asarray(n_words, dtype=float).reshape(len(counts), -1)[:, :1]
    rate = lexicon_rates(counts, words)
    mean, sd = _mean_sd(lexicon_evidence(counts, words))
    return {"rate": rate.tolist(), "mean": mean.tolist(), "sd": sd.tolist()}


def lexicon_score_parts(
    n_matches: np.ndarray, n_words: np.ndarray, column: np.ndarray, params: dict[str, list]
) -> np.ndarray:
    """Lexicon headline score of long-format rows from :func:`lexicon_score_params`.

    ``column[i]`` is the frame column (0-based) of row ``i``; the result equals the
    corresponding entries of ``standardise(lexicon_evidence(...))`` over the corpus.
    """
    rate, mean, sd = (np.asarray(params[k], dtype=float)[column] for k in ("rate", "mean", "sd"))
    counts = np.asarray(n_matches, dtype=float)
    words = np.asarray(n_words, dtype=float)
    expected = rate * np.where((words > 0) & np.isfinite(words), words, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        evidence = (counts - expected) / np.sqrt(expected)
        return (evidence - mean) / sd


def composite(semantic: np.ndarray, lexicon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit-weighted composite of two standardised indicators (change 1 above).

    Each column is z-scored (:func:`standardise`), the two z-scores are averaged
    where the lexicon one exists (else the semantic z is kept) and the mean is
    z-scored again. Returns ``(z, constant)`` as :func:`standardise`; missing
    wherever the semantic indicator is missing.
    """
    z_sem, _ = standardise(semantic)
    z_lex, _ = standardise(lexicon)
    return standardise(_mix(z_sem, z_lex))


def semantic_headline(
    topk: np.ndarray, n_matches: np.ndarray | None, n_words: np.ndarray
) -> tuple[np.ndarray, np.ndarray, str]:
    """Return the semantic method's headline score over the corpus: ``(score, constant, kind)``.

    :func:`composite` of the top-k mean unit score and the lexicon evidence when the
    frame set has terms (``n_matches`` given), else the standardised top-k mean alone
    (change 1 of the module docstring). ``kind`` says which, for the frame summary.
    """
    if n_matches is None:
        headline, constant = standardise(topk)
        return headline, constant, f"top-{TOP_K} mean unit score, standardised within the corpus"
    headline, constant = composite(topk, lexicon_evidence(n_matches, n_words))
    kind = (
        f"top-{TOP_K} mean unit score and lexicon evidence, each standardised within "
        "the corpus, averaged and standardised again"
    )
    return headline, constant, kind


def _mean_sd(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per column: mean and SD of the finite values; NaN where :func:`standardise` is constant."""
    _, constant = standardise(values)
    mean, sd = np.full(values.shape[1], np.nan), np.full(values.shape[1], np.nan)
    for j in np.flatnonzero(~constant):
        finite = values[np.isfinite(values[:, j]), j]
        mean[j], sd[j] = finite.mean(), finite.std()
    return mean, sd


def semantic_score_params(
    topk: np.ndarray, n_matches: np.ndarray | None, n_words: np.ndarray
) -> dict[str, Any]:
    """Return the corpus-wide numbers of the semantic headline score, per frame.

    The counterpart of :func:`lexicon_score_params` for :func:`semantic_headline`:
    the mean and SD of the top-k means, the lexicon parameters (``None`` without
    terms) and the mean and SD of the averaged z-scores. Given these,
    :func:`semantic_score_parts` scores any part of the corpus alone, with the same
    result up to rounding (used by the partitioned engine's comparisons).
    """
    topk = np.asarray(topk, dtype=float)
    top_mean, top_sd = _mean_sd(topk)
    z_sem = (topk - top_mean) / top_sd
    params: dict[str, Any] = {"topk_mean": top_mean.tolist(), "topk_sd": top_sd.tolist()}
    if n_matches is None:
        params["lexicon"] = None
        return params
    lexicon = lexicon_score_params(n_matches, n_words)
    words = np.asarray(n_words, dtype=float).reshape(len(topk), -1)[:, :1]
    z_lex = lexicon_score_parts(
        np.asarray(n_matches, dtype=float),
        np.broadcast_to(words, topk.shape),
        np.broadcast_to(np.arange(topk.shape[1]), topk.shape),
        lexicon,
    )
    mixed = _mix(z_sem, z_lex)
    mix_mean, mix_sd = _mean_sd(mixed)
    params.update(lexicon=lexicon, mixed_mean=mix_mean.tolist(), mixed_sd=mix_sd.tolist())
    return params


def semantic_score_parts(
    topk: np.ndarray,
    n_matches: np.ndarray,
    n_words: np.ndarray,
    column: np.ndarray,
    params: dict[str, Any],
) -> np.ndarray:
    """Semantic headline score of long-format rows from :func:`semantic_score_params`.

    ``column[i]`` is the frame column (0-based) of row ``i``; the result equals the
    corresponding entries of :func:`semantic_headline` over the corpus (to rounding:
    the z-scores are computed in another order).
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        mean, sd = (np.asarray(params[k], dtype=float)[column] for k in ("topk_mean", "topk_sd"))
        z_sem = (np.asarray(topk, dtype=float) - mean) / sd
        if params["lexicon"] is None:
            return z_sem
        z_lex = lexicon_score_parts(n_matches, n_words, column, params["lexicon"])
        mixed = _mix(z_sem, z_lex)
        mean, sd = (np.asarray(params[k], dtype=float)[column] for k in ("mixed_mean", "mixed_sd"))
        return (mixed - mean) / sd


def _mix(z_sem: np.ndarray, z_lex: np.ndarray) -> np.ndarray:
    """Average the two z-scores where the lexicon one exists (as :func:`composite`)."""
    mixed = np.where(np.isfinite(z_lex), (z_sem + z_lex) / 2.0, z_sem)
    return np.where(np.isfinite(z_sem), mixed, np.nan)


def standardise(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Z-score each column over its finite values; ``(z, constant)``.

    ``constant[j]`` is True when column ``j`` has fewer than two distinct finite
    values (its z-scores are then NaN: no ranking).
    """
    z = np.full(raw.shape, np.nan)
    constant = np.zeros(raw.shape[1], dtype=bool)
    for j in range(raw.shape[1]):
        col = raw[:, j]
        finite = np.isfinite(col)
        values = col[finite]
        if len(values) < 2 or np.ptp(values) <= 1e-12 * max(1.0, np.abs(values).max()):
            constant[j] = True
            continue
        z[finite, j] = (values - values.mean()) / values.std()
    return z, constant


def measure_label(measure: str = "score", method: str = "lexicon") -> str:
    """Say what the compared frame number is, with its scale and sign.

    Used for the axis titles, captions, table titles and the ``measure`` column of
    the comparison tables, so that each of them names the number.

    Parameters
    ----------
    measure : {"score", "share"}, default="score"
        The article column compared (:data:`MEASURES`).
    method : {"lexicon", "semantic", "supervised"}, default="lexicon"
        The frame-scoring method (the scale of ``score`` depends on it).

    Returns
    -------
    str
        E.g. ``"frame score (z within corpus; + = more frame)"``; short enough for
        an axis title.

    Examples
    --------
    >>> measure_label("score", "semantic")
    'frame score (z within corpus; + = more frame)'
    >>> measure_label("share", "lexicon")
    'frame share (0-1; any term match)'
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}, got {measure!r}")
    if measure == "share":
        rule = _SHARE_RULES.get(method, "the method's cut-off")
        return f"frame share (0-1; {rule})"
    if method == "supervised":
        return f"frame score (top-{TOP_K} mean probability, 0-1)"
    return "frame score (z within corpus; + = more frame)"


def validation_status(cv_report: pd.DataFrame | None, frames: list[str]) -> pd.DataFrame:
    """Per frame: ``validated``, ``validation_f1``, ``validation_auc``, ``validation_n``.

    A frame counts as validated on this corpus only when its measure was checked
    against units of this corpus coded by people (today: the cross-validated report
    of a ``supervised`` classifier trained on them).
    """
    rows = []
    report = cv_report
    if report is not None and "frame" in report.columns:  # a report read back from CSV
        report = report.set_index("frame")
    for key in frames:
        if report is not None and key in report.index:
            row = report.loc[key]
            rows.append(
                {
                    "frame": key,
                    "validated": True,
                    "validation_f1": float(row["f1"]),
                    "validation_auc": float(row.get("auc", np.nan)),
                    "validation_n": int(row["n_units"]),
                }
            )
        else:
            rows.append(
                {
                    "frame": key,
                    "validated": False,
                    "validation_f1": np.nan,
                    "validation_auc": np.nan,
                    "validation_n": 0,
                }
            )
    table = pd.DataFrame(rows, columns=["frame", *_VALIDATION_COLUMNS])
    table["validation"] = [
        (
            f"validated: F1 {r.validation_f1:.2f}, AUC {r.validation_auc:.2f} on "
            f"{r.validation_n} coded units"
            if r.validated
            else NOT_VALIDATED
        )
        for r in table.itertuples()
    ]
    return table[["frame", "validated", "validation", *_VALIDATION_COLUMNS[1:]]]


def frame_summary(
    frames: list[str],
    labels: Mapping[str, str],
    *,
    method: str,
    coverage: np.ndarray,
    constant: np.ndarray,
    score_sd: np.ndarray,
    status: pd.DataFrame,
    score_kind: str,
) -> pd.DataFrame:
    """One row per frame: what its numbers measure here, and the warnings that apply."""
    notes = []
    for j, _ in enumerate(frames):
        parts = []
        if constant[j]:
            parts.append(CONSTANT)
        if method == "lexicon" and coverage[j] < LOW_COVERAGE:
            parts.append(
                f"the dictionary matches {coverage[j]:.1%} of articles (< "
                f"{LOW_COVERAGE:.0%}): it barely covers this corpus"
            )
        notes.append("; ".join(parts))
    table = pd.DataFrame(
        {
            "frame": frames,
            "label": [labels.get(k, k) for k in frames],
            "method": method,
            "score": score_kind,
            "coverage": coverage,
            "score_sd": score_sd,
            "constant": constant,
            "note": notes,
        }
    )
    return table.merge(status, on="frame", how="left")


def frame_notes(summary: pd.DataFrame) -> dict[str, Any]:
    """Frame key -> note (only frames with one)."""
    return {r.frame: r.note for r in summary.itertuples() if r.note}
