"""Comparisons from per-partition aggregates (issue 15) against the in-memory functions.

- Groups of at most ``reservoir`` articles: the same rows as ``outlet_summary``,
  ``pairwise_tests`` and ``frame_contrast``, to rounding (rtol 1e-12), however the
  table is cut into partitions.
- Larger groups (normal / Welch approximations): means, SDs and counts to rounding,
  Hedges' g exact, Welch p-values equal to ``scipy.stats.ttest_ind``; every interval
  end within 10% of the in-memory (bootstrap) interval's width, every p-value within
  0.05 of the permutation p-value.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from framing import compare
from framing.compare._aggregates import (
    APPROX_NOTE,
    combine_aggregates,
    contrast_from_aggregates,
    pairwise_from_aggregates,
    partition_aggregates,
    summary_from_aggregates,
)

BOOT = {"n_boot": 999, "ci": 0.95, "random_state": 3}


def _articles(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` articles x 2 frames; outlets of different sizes and means; some NaN."""
    rng = np.random.default_rng(seed)
    outlets = rng.choice(["a", "b", "c", "d"], size=n, p=[0.4, 0.3, 0.25, 0.05])
    shift = pd.Series({"a": 0.0, "b": 0.05, "c": 0.12, "d": 0.0})[outlets].to_numpy()
    rows = []
    for frame, base in (("x", 0.2), ("y", 0.1)):
        share = np.clip(rng.beta(1.2, 6, size=n) + base * shift * 4, 0, 1)
        share[rng.random(n) < 0.3] = 0.0
        share[rng.random(n) < 0.01] = np.nan
        rows.append(
            pd.DataFrame(
                {
                    "article_id": [f"id{i:05d}" for i in range(n)],
                    "outlet": outlets,
                    "frame": frame,
                    "share": share,
                }
            )
        )
    return pd.concat(rows).sort_values(["article_id", "frame"], kind="stable")


def _aggregate(table: pd.DataFrame, value: str, within: list[str], cuts: list[int], k: int):
    """Cut ``table`` (by article) into partitions, reduce each, combine."""
    ids = table["article_id"].drop_duplicates().to_numpy()
    bounds = [0, *cuts, len(ids)]
    pieces, order = [], []
    for i, (lo, hi) in enumerate(itertools.pairwise(bounds)):
        part = table[table["article_id"].isin(ids[lo:hi])]
        pid = f"p{i:03d}"
        pieces.append(
            partition_aggregates(part, value, within=within, part=pid, reservoir=k, seed=7)
        )
        order.append(pid)
    return combine_aggregates(pieces, order, reservoir=k)


def _equal(left: pd.DataFrame, right: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(
        left.reset_index(drop=True), right.reset_index(drop=True), rtol=1e-12, atol=1e-15
    )


@pytest.mark.parametrize("cuts", [[], [100], [37, 150, 151, 290]])
def test_small_groups_equal_the_in_memory_tables(cuts: list[int]) -> None:
    table = _articles(400)
    agg = _aggregate(table, "share", ["frame"], cuts, k=1000)
    _equal(
        summary_from_aggregates(agg, **BOOT, reservoir=1000),
        compare.outlet_summary(table, "share", within=["frame"], **BOOT),
    )
    _equal(
        pairwise_from_aggregates(agg, n_perm=199, **BOOT, reservoir=1000),
        compare.pairwise_tests(table, "share", within=["frame"], n_perm=199, **BOOT),
    )


def test_contrast_equals_frame_contrast() -> None:
    table = _articles(300, seed=2)
    diffs = compare.frame_difference(table, "x", "y", value="share")
    diff = _aggregate(diffs, "diff", [], [120], k=1000)
    kept = diffs["diff"].notna()
    a = _aggregate(diffs.assign(a=diffs["a"].where(kept)), "a", [], [120], k=0)
    b = _aggregate(diffs.assign(b=diffs["b"].where(kept)), "b", [], [120], k=0)
    got = contrast_from_aggregates(diff, a, b, ("x", "y"), [], n_perm=199, **BOOT, reservoir=1000)
    want = compare.frame_contrast(table, "x", "y", value="share", n_perm=199, **BOOT)
    _equal(got, want)


def test_sample_does_not_depend_on_the_partitioning() -> None:
    table = _articles(600, seed=4)
    one = _aggregate(table, "share", ["frame"], [], k=25)
    many = _aggregate(table, "share", ["frame"], [50, 51, 300, 580], k=25)
    # the same articles in the same (corpus) order; only the partition and row differ
    _equal(one.sample.drop(columns=["part", "row"]), many.sample.drop(columns=["part", "row"]))
    assert (one.sample.groupby(["frame", "outlet"]).size() == 25).all()
    _equal(one.stats, many.stats)


def test_large_groups_use_normal_approximations_within_tolerance() -> None:
    table = _articles(1500, seed=5)
    agg = _aggregate(table, "share", ["frame"], [400, 900], k=50)
    summary = summary_from_aggregates(agg, **BOOT, reservoir=50)
    local = compare.outlet_summary(table, "share", within=["frame"], **BOOT)
    for col in ("mean", "sd", "n"):
        np.testing.assert_allclose(summary[col], local[col], rtol=1e-12)
    large = summary["n"] > 50
    assert large.sum() >= 6 and summary.loc[large, "note"].str.contains(APPROX_NOTE).all()
    width = (local["ci_high"] - local["ci_low"])[large]
    for end in ("ci_low", "ci_high"):
        assert ((summary[end] - local[end]).abs()[large] <= 0.10 * width).all()

    pairs = pairwise_from_aggregates(agg, n_perm=1999, **BOOT, reservoir=50)
    local_pairs = compare.pairwise_tests(table, "share", within=["frame"], n_perm=1999, **BOOT)
    for col in ("mean_a", "mean_b", "diff", "effect_size", "n_a", "n_b"):
        np.testing.assert_allclose(pairs[col], local_pairs[col], rtol=1e-12)
    width = local_pairs["ci_high"] - local_pairs["ci_low"]
    for end in ("ci_low", "ci_high"):
        assert ((pairs[end] - local_pairs[end]).abs() <= 0.10 * width).all()
    assert ((pairs["p_value"] - local_pairs["p_value"]).abs() <= 0.05).all()
    # Welch's test, checked against scipy on the raw values
    clean = table.dropna(subset=["share"])
    for row in pairs.itertuples():
        xa = clean[(clean["frame"] == row.frame) & (clean["outlet"] == row.a)]["share"]
        xb = clean[(clean["frame"] == row.frame) & (clean["outlet"] == row.b)]["share"]
        if max(len(xa), len(xb)) > 50:
            want = sps.ttest_ind(xa, xb, equal_var=False).pvalue
            assert row.p_value == pytest.approx(want, rel=1e-9)


def test_keyness_counts_sum_reuses_the_previous_runs_sum(tmp_path, monkeypatch) -> None:
    from framing.run import compare_parts

    rng = np.random.default_rng(0)
    outs = []
    for i in range(4):
        part = pd.DataFrame(
            {
                "outlet": rng.choice(["a", "b", None], size=50),
                "term": rng.choice([f"t{j}" for j in range(12)], size=50),
                "count": rng.integers(1, 5, size=50).astype(float),
            }
        )
        out = str(tmp_path / f"p{i}")
        part.to_parquet(out + ".parquet", index=False)
        outs.append(out)
    everything = compare.label_missing_outlets(
        pd.concat([pd.read_parquet(o + ".parquet") for o in outs], ignore_index=True)
    )
    want = everything.groupby(["outlet", "term"])["count"].sum()
    folder = tmp_path / "sum"
    compare_parts.summed_counts(outs[:3], folder)  # the run before the new files
    read = []
    real = pd.read_parquet
    monkeypatch.setattr(pd, "read_parquet", lambda p, *a, **k: read.append(str(p)) or real(p))
    got = compare_parts.summed_counts(outs, folder)
    assert read[1:] == [outs[3] + ".parquet"]  # the cached sum, then the new partition
    pd.testing.assert_series_equal(got.groupby(["outlet", "term"])["count"].sum(), want)
    assert len(list(folder.glob("*.parquet"))) == 1


@pytest.mark.parametrize("pending", [0, 150, 10**9])
def test_driver_fold_equals_combine_aggregates(tmp_path, monkeypatch, pending) -> None:
    """The driver's fold trims after every partition (0), after some, or at the end."""
    from framing.run import compare_parts

    monkeypatch.setattr(compare_parts, "RESERVOIR", 20)
    monkeypatch.setattr(compare_parts, "_PENDING_ROWS", pending)

    table = _articles(900, seed=8)
    ids = table["article_id"].drop_duplicates().to_numpy()
    pieces, outs, order = [], [], []
    for i, (lo, hi) in enumerate([(0, 300), (300, 310), (310, 900)]):
        pid = f"p{i}"
        agg = partition_aggregates(
            table[table["article_id"].isin(ids[lo:hi])], "share", within=["frame"],
            part=pid, reservoir=2000, seed=7,
        )  # fmt: skip
        out = str(tmp_path / pid)
        agg.stats.to_parquet(out + ".frames.stats.parquet")
        agg.sample.to_parquet(out + ".frames.sample.parquet")
        pieces.append(agg)
        outs.append(out)
        order.append(pid)
    want = combine_aggregates(pieces, order, reservoir=20)
    got = compare_parts.read_aggregates(outs, "frames", order)
    assert (got.sample.groupby(["frame", "outlet"]).size() == 20).all()
    _equal(got.stats, want.stats)
    cols = ["frame", "outlet", "key", "row", "value", "part"]
    _equal(got.sample[cols], want.sample[cols])


def test_lexicon_score_of_a_part_equals_the_corpus_score() -> None:
    from framing.frames.headline import (
        lexicon_evidence,
        lexicon_score_params,
        lexicon_score_parts,
        standardise,
    )

    rng = np.random.default_rng(3)
    words = rng.integers(0, 900, size=200).astype(float)
    counts = rng.poisson(np.outer(words, [0.002, 0.01, 0.0]) + 0.01)
    counts[:, 2] = 0  # a frame no article carries: no rate, NaN everywhere
    want, _ = standardise(lexicon_evidence(counts, words))
    params = lexicon_score_params(counts, words)
    rows = np.arange(37, 121)  # any part of the corpus, in long format
    for j in range(3):
        got = lexicon_score_parts(counts[rows, j], words[rows], np.full(len(rows), j), params)
        np.testing.assert_allclose(got, want[rows, j], rtol=1e-12, atol=1e-12)
    assert np.isnan(params["rate"][2]) and np.isnan(want[:, 2]).all()


def _lexicon_parts(tmp_path, n: int, n_parts: int):
    """Frame tables of ``n`` articles in ``n_parts`` Parquet partitions, and their params."""
    from framing.frames.headline import lexicon_score_params, lexicon_score_parts

    rng = np.random.default_rng(11)
    words = rng.integers(0, 700, size=n).astype(float)
    words[rng.random(n) < 0.03] = 0  # no words: no score
    counts = rng.poisson(np.outer(words, [0.004, 0.012, 0.0]) + 0.02).astype(float)
    counts[:, 2] = 0  # a frame no article carries: undefined everywhere
    params = lexicon_score_params(counts, words)
    params["frames"] = ["x", "y", "z"]
    outlets = rng.choice(["a", "b", "c", "d"], size=n, p=[0.5, 0.3, 0.15, 0.05])
    long = pd.DataFrame(
        {
            "article_id": np.repeat([f"id{i:05d}" for i in range(n)], 3),
            "outlet": np.repeat(outlets, 3),
            "frame": np.tile(["x", "y", "z"], n),
            "n_matches": counts.ravel(),
            "n_words": np.repeat(words, 3),
        }
    )
    column = np.tile([0, 1, 2], n)
    long["direct"] = lexicon_score_parts(long["n_matches"], long["n_words"], column, params)
    paths, order = [], []
    for i, ids in enumerate(np.array_split(np.arange(n), n_parts)):
        part = long[long["article_id"].isin([f"id{j:05d}" for j in ids])]
        path = tmp_path / f"p{i:03d}.parquet"
        part.to_parquet(path, index=False)
        paths.append(str(path))
        order.append(f"p{i:03d}")
    return paths, order, params


@pytest.mark.parametrize("n_parts", [1, 4])
def test_lexicon_score_moments_equal_the_aggregates_of_the_score(tmp_path, n_parts) -> None:
    """Moments turned into score aggregates equal the score's own aggregates (issue 15).

    The reference reduces the score computed per article (``direct``); the moments
    path reduces ``n_matches / sqrt(n_words)`` and ``sqrt(n_words)`` and applies the
    corpus-wide coefficients on the driver. Counts and samples are equal exactly,
    means and squared deviations to rounding; the frame no article carries (``z``) and
    the articles without words are missing in both.
    """
    from framing.run import compare_parts

    paths, order, params = _lexicon_parts(tmp_path, 900, n_parts)
    contrast = ["x", "y"]
    via = {"direct": tmp_path / "direct", "moments": tmp_path / "moments"}
    for kind, folder in via.items():
        folder.mkdir()
        for path, pid in zip(paths, order, strict=True):
            measure, sp = ("direct", params) if kind == "direct" else ("score", None)
            out = str(folder / pid)
            compare_parts.compare_task("", "", path, contrast, measure, sp, 50, 7, out)
    direct = [str(via["direct"] / p) for p in order]
    moments = [str(via["moments"] / p) for p in order]
    assert not list(via["moments"].glob("*.frames.stats.parquet"))  # the moments path ran
    converters = compare_parts._moment_converters(moments, params, contrast)
    pairs = [("frames", "frames_moments", "frames")]
    pairs += [(f"contrast_{k}", "contrast_moments", k) for k in ("diff", "a", "b", "raw_a")]
    for name, moment_name, conv in pairs:
        want = compare_parts.read_aggregates(direct, name, order)
        got = compare_parts.read_aggregates(moments, moment_name, order, converters[conv])
        counts = ["n", "n_missing"]
        pd.testing.assert_frame_equal(got.stats[counts], want.stats[counts], check_dtype=False)
        np.testing.assert_allclose(got.stats["mean"], want.stats["mean"], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(got.stats["m2"], want.stats["m2"], rtol=1e-9, atol=1e-9)
        if name in ("frames", "contrast_diff"):
            cols = [c for c in want.sample.columns if c != "value"]
            pd.testing.assert_frame_equal(got.sample[cols], want.sample[cols], check_dtype=False)
            np.testing.assert_array_equal(got.sample["value"], want.sample["value"])
    frames = compare_parts.read_aggregates(moments, "frames_moments", order, converters["frames"])
    z = frames.stats[frames.stats["frame"] == "z"]
    assert (z["n"] == 0).all() and z["n_missing"].sum() == 900
    x = frames.stats[frames.stats["frame"] == "x"]
    assert 0 < x["n_missing"].sum() < 60  # the articles without words
