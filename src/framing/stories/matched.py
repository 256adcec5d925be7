"""Presentation: outlet differences within the stories both outlets cover.

For a measure (one value per article, optionally per article x group such as
frame, actor or topic) and a pair of outlets ``a < b``:

- **raw**: the difference in means over all their articles (duplicates included),
  exactly as :func:`framing.compare.pairwise_tests` computes it in the run's
  comparison tables (article bootstrap CI, article permutation test);
- **story-matched**: only stories covered by both outlets count. In each such story
  ``s``, ``d_s = mean_a(s) - mean_b(s)`` (means over the outlet's counted articles in
  the story); the matched difference is the mean of ``d_s`` over stories, each story
  weighing the same. Its CI is a percentile bootstrap over stories
  (``scipy.stats.bootstrap``); its p-value a paired permutation test that swaps the
  two outlets' story means within stories (``scipy.stats.permutation_test``,
  ``permutation_type="samples"``; exact when ``2**n_stories <= n_perm``).

Only pairs of outlets that cover at least one story together get rows: for the
others there is nothing to match, and their raw difference is in the comparison
tables of step ``compare`` (``attrs["pairs_without_shared_stories"]`` counts them).
This keeps the cost with the pairs that share stories: 15 of 105 in a 15-outlet
corpus of the shared data, where computing every pair took 170 s.

Benjamini-Hochberg (``scipy.stats.false_discovery_control``) runs over the whole
family of rows, separately for the raw and the matched p-values.

``diff`` is always ``a - b``: positive when outlet ``a`` scores higher. When the gap
shrinks from raw to matched, that part of it came from *which* stories the outlets
covered (selection), not from *how* they told them (presentation).
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from framing import compare
from framing.stories.selection import coverage_windows

__all__ = ["Measure", "frame_measures", "story_matched_differences"]

MATCHED_COLUMNS = [
    "measure",
    "group",
    "a",
    "b",
    "raw_diff",
    "raw_ci_low",
    "raw_ci_high",
    "raw_p",
    "raw_p_adjusted",
    "n_a",
    "n_b",
    "matched_diff",
    "matched_ci_low",
    "matched_ci_high",
    "matched_p",
    "matched_p_adjusted",
    "n_stories",
    "n_matched_a",
    "n_matched_b",
    "note",
    "coverage_note",
]


@dataclass(frozen=True)
class Measure:
    """One article-level measure to compare.

    Attributes
    ----------
    name : str
        Shown in tables and figures (e.g. ``"frame share"``, ``"sentiment"``).
    table : pandas.DataFrame
        One row per article (per article x ``within`` group): ``article_id``,
        ``value`` and the ``within`` columns (``outlet`` is taken from the stories).
    value : str
        Numeric column compared.
    within : tuple of str
        Group columns, e.g. ``("frame",)``, ``("actor",)``, ``("topic",)``.
    """

    name: str
    table: pd.DataFrame = field(repr=False)
    value: str
    within: tuple[str, ...] = ()


def frame_measures(
    frame_scores: Any, contrast: Sequence[str] | None = None, *, value: str = "score"
) -> list[Measure]:
    """Measures from :func:`framing.score_frames`: each frame's score, and a contrast.

    Parameters
    ----------
    frame_scores : FrameScores
    contrast : (str, str), optional
        Two frames; adds the per-article contrast ``value(a) - value(b)``
        (:func:`framing.compare.frame_difference`; positive = more of frame a).
    value : {"score", "share"}, default="score"
        The article column compared: the headline score (the default of every
        comparison, :mod:`framing.frames.headline`) or the share.

    Returns
    -------
    list of Measure
    """
    articles = getattr(frame_scores, "articles", frame_scores)
    out = [Measure(f"frame {value}", articles, value, ("frame",))]
    if contrast:
        a, b = contrast
        diffs = compare.frame_difference(frame_scores, a, b, value=value)
        out.append(Measure(f"{a} - {b}", diffs, "diff"))
    return out


def _counted_mask(stories: pd.DataFrame) -> pd.Series:
    if "counted" not in stories.columns:
        return pd.Series(True, index=stories.index)
    return stories["counted"].astype(bool)


def _shared_pairs(stories: pd.DataFrame, outlets: list[Any]) -> list[tuple[Any, Any]]:
    """Outlet pairs ``a < b`` (in ``outlets`` order) with a counted story in common."""
    counted = stories[_counted_mask(stories)]
    rank = {o: i for i, o in enumerate(outlets)}
    shared = set()
    for members in counted.groupby("story_id")["outlet"].unique():
        if len(members) > 1:
            ordered = sorted(members, key=rank.__getitem__)
            shared.update(itertools.combinations(ordered, 2))
    return sorted(shared, key=lambda pair: (rank[pair[0]], rank[pair[1]]))


def _join(stories: pd.DataFrame, m: Measure) -> pd.DataFrame:
    needed = ["article_id", m.value, *m.within]
    missing = [c for c in needed if c not in m.table.columns]
    if missing:
        raise ValueError(
            f"story_matched_differences: measure {m.name!r} lacks column(s) {missing}; "
            f"it has {list(m.table.columns)}"
        )
    keep = stories[["article_id", "story_id", "outlet"]].assign(_counted=_counted_mask(stories))
    data = m.table[needed].merge(keep, on="article_id", how="inner")
    data[m.value] = pd.to_numeric(data[m.value], errors="coerce").astype(float)
    return data[data[m.value].notna()]


def _matched(
    sub: pd.DataFrame, value: str, a: Any, b: Any, n_boot: int, n_perm: int, ci: float, seed: int
) -> dict[str, Any]:
    means = sub.groupby(["story_id", "outlet"])[value].mean().unstack("outlet")
    counts = sub.groupby(["story_id", "outlet"]).size().unstack("outlet")
    if a not in means or b not in means:
        both = pd.DataFrame(columns=[a, b])
    else:
        both = means[[a, b]].dropna()
    out = {
        "n_stories": len(both),
        "n_matched_a": int(counts.loc[both.index, a].sum()) if len(both) else 0,
        "n_matched_b": int(counts.loc[both.index, b].sum()) if len(both) else 0,
        "matched_diff": math.nan,
        "matched_ci_low": math.nan,
        "matched_ci_high": math.nan,
        "matched_p": math.nan,
        "note": "",
    }
    if len(both) == 0:
        out["note"] = f"no story covered by both {a} and {b}: nothing to match"
        return out
    xa, xb = both[a].to_numpy(float), both[b].to_numpy(float)
    d = xa - xb
    out["matched_diff"] = float(d.mean())
    if len(both) < 2:
        out["note"] = "1 shared story: no interval or test"
        return out
    if np.ptp(d) > 0:
        res = stats.bootstrap(
            (d,),
            np.mean,
            n_resamples=n_boot,
            confidence_level=ci,
            method="percentile",
            rng=np.random.default_rng(seed),
        )
        out["matched_ci_low"], out["matched_ci_high"] = map(float, res.confidence_interval)
    else:
        out["matched_ci_low"] = out["matched_ci_high"] = float(d[0])
    perm = stats.permutation_test(
        (xa, xb),
        lambda x, y, axis: np.mean(x - y, axis=axis),
        permutation_type="samples",
        vectorized=True,
        n_resamples=n_perm,
        alternative="two-sided",
        rng=np.random.default_rng(seed),
    )
    out["matched_p"] = float(perm.pvalue)
    return out


def story_matched_differences(
    stories: pd.DataFrame,
    measures: Sequence[Measure],
    *,
    n_boot: int = 2000,
    n_perm: int = 9999,
    ci: float = 0.95,
    random_state: int = 0,
) -> pd.DataFrame:
    """Raw and story-matched outlet differences for every measure x group x pair.

    See the module docstring for the method.

    Parameters
    ----------
    stories : pandas.DataFrame
        From :func:`framing.stories.find_stories`.
    measures : sequence of Measure
        E.g. :func:`frame_measures` plus sentiment, actor sentiment, topic shares.
    n_boot, n_perm, ci, random_state :
        Bootstrap resamples, permutations, confidence level, seed (used afresh for
        every row).

    Returns
    -------
    pandas.DataFrame
        ``measure``, ``group`` (the ``within`` values joined by ``" / "``; ``""``
        without groups), ``a``, ``b``, ``raw_diff``, ``raw_ci_low``,
        ``raw_ci_high``, ``raw_p``, ``raw_p_adjusted``, ``n_a``, ``n_b``,
        ``matched_diff``, ``matched_ci_low``, ``matched_ci_high``, ``matched_p``,
        ``matched_p_adjusted``, ``n_stories`` (stories both cover),
        ``n_matched_a``, ``n_matched_b`` (their articles in those stories),
        ``note`` and ``coverage_note`` (non-empty when the two outlets cover
        different date windows; see :func:`framing.stories.coverage_windows`).
        Both diffs are ``a - b``. With fewer than two outlets the table is empty
        and ``attrs["reason"]`` (also warned) says why.
    """
    outlets = sorted(stories.loc[_counted_mask(stories), "outlet"].unique(), key=str)
    if len(outlets) < 2:
        reason = (
            f"the corpus has {len(outlets)} outlet(s) ({', '.join(map(str, outlets))}); "
            "a story-matched comparison needs stories covered by two outlets"
        )
        warnings.warn(f"story_matched_differences: {reason}", UserWarning, stacklevel=2)
        out = pd.DataFrame(columns=MATCHED_COLUMNS)
        out.attrs["reason"] = reason
        return out
    pairs = _shared_pairs(stories, outlets)
    n_without = len(outlets) * (len(outlets) - 1) // 2 - len(pairs)
    if not pairs:
        reason = "no two outlets cover a common story"
        warnings.warn(f"story_matched_differences: {reason}", UserWarning, stacklevel=2)
        out = pd.DataFrame(columns=MATCHED_COLUMNS)
        out.attrs.update(reason=reason, pairs_without_shared_stories=n_without)
        return out
    windows = coverage_windows(stories, warn=False)
    window_note = {(r.a, r.b): r.note for r in windows.itertuples()}
    rows = []
    for m in measures:
        data = _join(stories, m)
        raw = _raw_pairs(data, m, pairs, n_boot=n_boot, n_perm=n_perm, ci=ci, seed=random_state)
        groups = data.groupby(list(m.within), sort=True) if m.within else [((), data)]
        for key, sub in groups:
            key = key if isinstance(key, tuple) else (key,)
            for a, b in pairs:
                sel = raw
                for col, val in zip(m.within, key, strict=True):
                    sel = sel[sel[col] == val]
                sel = sel[(sel["a"] == a) & (sel["b"] == b)]
                r = sel.iloc[0] if len(sel) else None
                matched = _matched(
                    sub[sub["_counted"]], m.value, a, b, n_boot, n_perm, ci, random_state
                )
                note = "; ".join(
                    x for x in (r["note"] if r is not None else "absent", matched.pop("note")) if x
                )
                rows.append(
                    {
                        "measure": m.name,
                        "group": " / ".join(map(str, key)),
                        "a": a,
                        "b": b,
                        "raw_diff": r["diff"] if r is not None else math.nan,
                        "raw_ci_low": r["ci_low"] if r is not None else math.nan,
                        "raw_ci_high": r["ci_high"] if r is not None else math.nan,
                        "raw_p": r["p_value"] if r is not None else math.nan,
                        "n_a": int(r["n_a"]) if r is not None else 0,
                        "n_b": int(r["n_b"]) if r is not None else 0,
                        **matched,
                        "note": note,
                        "coverage_note": window_note.get((a, b), ""),
                    }
                )
    out = pd.DataFrame(
        rows,
        columns=[c for c in MATCHED_COLUMNS if c not in ("raw_p_adjusted", "matched_p_adjusted")],
    )
    out.insert(8, "raw_p_adjusted", _bh(out["raw_p"]))
    out.insert(out.columns.get_loc("matched_p") + 1, "matched_p_adjusted", _bh(out["matched_p"]))
    out = out[MATCHED_COLUMNS]
    out.attrs["pairs_without_shared_stories"] = n_without
    return out


def _raw_pairs(
    data: pd.DataFrame,
    m: Measure,
    pairs: list[tuple[Any, Any]],
    **options: Any,
) -> pd.DataFrame:
    """:func:`framing.compare.pairwise_tests` of each pair alone (same seed each)."""
    found = []
    table = data.drop(columns=["story_id", "_counted"])
    for a, b in pairs:
        two = table[table["outlet"].isin([a, b])]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found.append(
                compare.pairwise_tests(
                    two,
                    m.value,
                    within=list(m.within) or None,
                    n_perm=options["n_perm"],
                    n_boot=options["n_boot"],
                    ci=options["ci"],
                    random_state=options["seed"],
                )
            )
    return pd.concat(found, ignore_index=True)


def _bh(p: pd.Series) -> np.ndarray:
    values = p.to_numpy(dtype=float)
    out = np.full(values.shape, np.nan)
    ok = ~np.isnan(values)
    if ok.any():
        out[ok] = stats.false_discovery_control(values[ok], method="bh")
    return out
