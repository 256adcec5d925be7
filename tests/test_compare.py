"""framing.compare._outlets checked against scipy and hand computation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from framing import compare
from framing.compare import (
    benjamini_hochberg,
    bootstrap_ci,
    hedges_g,
    outlet_summary,
    pairwise_tests,
    permutation_test,
)


def _mean_diff(x, y, axis=-1):
    return np.mean(x, axis=axis) - np.mean(y, axis=axis)


def _abs_mean_diff(x, y, axis=-1):
    return np.abs(_mean_diff(x, y, axis=axis))


# ---------------------------------------------------------------- public names
def test_public_names_are_reexported_by_framing_compare():
    for name in (
        "bootstrap_ci",
        "outlet_summary",
        "pairwise_tests",
        "benjamini_hochberg",
        "permutation_test",
        "hedges_g",
    ):
        assert callable(getattr(compare, name))


# ---------------------------------------------------------- Benjamini-Hochberg
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("m", [1, 5, 40])
def test_bh_matches_scipy_false_discovery_control(seed, m):
    p = np.random.default_rng(seed).uniform(0, 0.2, size=m)
    p[: m // 3] = p[0]  # ties
    np.testing.assert_allclose(benjamini_hochberg(p), stats.false_discovery_control(p))


def test_bh_hand_example_and_nan_passthrough():
    adjusted = benjamini_hochberg([0.01, np.nan, 0.04, 0.03, 0.5])
    # m = 4 valid p-values: 0.01*4/1, then min(0.03*4/2, 0.04*4/3), 0.5
    np.testing.assert_allclose(adjusted[[0, 2, 3, 4]], [0.04, 0.16 / 3, 0.16 / 3, 0.5])
    assert np.isnan(adjusted[1])
    assert benjamini_hochberg([]).shape == (0,)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        benjamini_hochberg([0.2, 1.5])


# ------------------------------------------------------------ permutation test
TINY = [
    ([0.1, 0.5, 0.3, 0.9], [0.2, -0.4, 0.0]),
    ([1.0, 2.0, 2.0, 5.0], [2.0, 3.0, 0.5, -1.0, 0.0]),
    ([0.3, 0.3, 0.3], [0.3, 0.1]),
]


@pytest.mark.parametrize(("x", "y"), TINY)
@pytest.mark.parametrize("alternative", ["greater", "less"])
def test_exact_one_sided_p_equals_scipy_enumeration(x, y, alternative):
    ours = permutation_test(x, y, n_perm=9999, alternative=alternative)
    ref = stats.permutation_test(
        (x, y),
        _mean_diff,
        permutation_type="independent",
        alternative=alternative,
        n_resamples=np.inf,
        vectorized=True,
    )
    assert ours == pytest.approx(ref.pvalue, abs=1e-12)


@pytest.mark.parametrize(("x", "y"), TINY)
def test_exact_two_sided_p_counts_absolute_differences(x, y):
    ours = permutation_test(x, y, n_perm=9999)
    # two-sided = share of relabellings with |T*| >= |T|: scipy's "greater" on |T|
    ref = stats.permutation_test(
        (x, y),
        _abs_mean_diff,
        permutation_type="independent",
        alternative="greater",
        n_resamples=np.inf,
        vectorized=True,
    )
    assert ours == pytest.approx(ref.pvalue, abs=1e-12)


def test_hand_enumerated_p_value():
    # 20 ways to split {1..6} into 3+3; only the two extreme splits reach |diff| = 3
    assert permutation_test([1, 2, 3], [4, 5, 6]) == pytest.approx(2 / 20)
    assert permutation_test([1, 2, 3], [4, 5, 6], alternative="less") == pytest.approx(1 / 20)
    assert permutation_test([1, 2, 3], [4, 5, 6], alternative="greater") == pytest.approx(1.0)


@pytest.mark.parametrize("alternative", ["two-sided", "greater"])
def test_monte_carlo_p_agrees_with_scipy_within_monte_carlo_error(alternative):
    rng = np.random.default_rng(5)
    x = rng.normal(0.25, 1.0, size=30)
    y = rng.normal(0.0, 1.0, size=35)
    ours = permutation_test(x, y, n_perm=9999, random_state=1, alternative=alternative)
    stat = _abs_mean_diff if alternative == "two-sided" else _mean_diff
    ref = stats.permutation_test(
        (x, y),
        stat,
        permutation_type="independent",
        alternative="greater",
        n_resamples=9999,
        vectorized=True,
        rng=np.random.default_rng(2),
    ).pvalue
    se = math.sqrt(ref * (1 - ref) / 9999)
    assert 0.02 < ref < 0.9  # a p-value where Monte Carlo error matters
    assert abs(ours - ref) < 5 * math.sqrt(2) * se


def test_monte_carlo_p_is_never_zero_phipson_smyth():
    x = np.arange(50, 80, dtype=float)
    y = np.arange(0, 30, dtype=float)
    assert permutation_test(x, y, n_perm=999) == pytest.approx(1 / 1000)


def test_permutation_is_seeded_and_validates():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=20), rng.normal(size=20)
    p1 = permutation_test(x, y, n_perm=500, random_state=3)
    assert p1 == permutation_test(x, y, n_perm=500, random_state=3)
    assert math.isnan(permutation_test([], [1.0, 2.0]))
    with pytest.raises(ValueError, match="alternative"):
        permutation_test(x, y, alternative="both")
    with pytest.raises(ValueError, match="n_perm"):
        permutation_test(x, y, n_perm=0)


# ----------------------------------------------------------------- Hedges' g
def test_hedges_g_hand_computed():
    # means 4 and 2; pooled SD sqrt((8 + 2) / 4); df = 4, J = Gamma(2)/(sqrt(2) Gamma(1.5))
    d = 2 / math.sqrt(10 / 4)
    j = math.sqrt(2 / math.pi)
    assert hedges_g([2.0, 4.0, 6.0], [1.0, 2.0, 3.0]) == pytest.approx(j * d)
    assert hedges_g([1.0, 2.0, 3.0], [2.0, 4.0, 6.0]) == pytest.approx(-j * d)


def test_hedges_g_correction_approaches_common_approximation():
    rng = np.random.default_rng(0)
    x, y = rng.normal(0.5, 1, 40), rng.normal(0, 1, 60)
    df = len(x) + len(y) - 2
    sp = math.sqrt(((len(x) - 1) * x.var(ddof=1) + (len(y) - 1) * y.var(ddof=1)) / df)
    d = (x.mean() - y.mean()) / sp
    assert hedges_g(x, y) == pytest.approx(d * (1 - 3 / (4 * df - 1)), rel=1e-4)


def test_hedges_g_undefined_cases_are_nan():
    assert math.isnan(hedges_g([1.0], [2.0]))  # df = 0
    assert math.isnan(hedges_g([1.0, 1.0], [1.0, 1.0]))  # zero variance
    assert math.isnan(hedges_g([], [1.0, 2.0, 3.0]))


# --------------------------------------------------------------- bootstrap CI
def test_bootstrap_ci_matches_scipy_percentile_bootstrap():
    x = np.random.default_rng(7).normal(0.2, 0.5, size=60)
    low, high = bootstrap_ci(x, n_boot=20000, random_state=1)
    ref = stats.bootstrap(
        (x,), np.mean, method="percentile", n_resamples=20000, rng=np.random.default_rng(2)
    ).confidence_interval
    tol = 0.03 * x.std()
    assert low == pytest.approx(ref.low, abs=tol)
    assert high == pytest.approx(ref.high, abs=tol)
    assert low < x.mean() < high


def test_bootstrap_ci_other_statistic_and_level():
    x = np.random.default_rng(3).exponential(size=40)
    low, high = bootstrap_ci(x, stat=np.median, n_boot=5000, ci=0.9, random_state=0)
    ref = stats.bootstrap(
        (x,),
        np.median,
        method="percentile",
        n_resamples=5000,
        confidence_level=0.9,
        rng=np.random.default_rng(0),
    ).confidence_interval
    assert low == pytest.approx(ref.low, abs=0.1)
    assert high == pytest.approx(ref.high, abs=0.1)
    # a statistic without an ``axis`` argument works through the row-wise fallback
    low2, high2 = bootstrap_ci(x, stat=lambda v: float(np.median(v)), n_boot=5000, ci=0.9)
    assert (low2, high2) == pytest.approx((low, high))


def test_bootstrap_ci_seeded_and_edge_cases():
    x = [0.1, 0.4, -0.2, 0.3, 0.0]
    y = np.random.default_rng(0).normal(size=30)
    assert bootstrap_ci(y, random_state=4) == bootstrap_ci(y, random_state=4)
    assert bootstrap_ci(y, random_state=4) != bootstrap_ci(y, random_state=5)
    assert bootstrap_ci(y, random_state=np.random.default_rng(4)) == bootstrap_ci(
        y, random_state=4
    )
    assert all(math.isnan(v) for v in bootstrap_ci([0.3]))
    assert all(math.isnan(v) for v in bootstrap_ci([]))
    assert bootstrap_ci([0.5, 0.5, 0.5]) == (0.5, 0.5)
    with pytest.warns(UserWarning, match="1 missing"):
        with_nan = bootstrap_ci([*x, np.nan], random_state=4)
    assert with_nan == bootstrap_ci(x, random_state=4)
    with pytest.raises(ValueError, match="ci"):
        bootstrap_ci(x, ci=95)


# --------------------------------------------------------------- outlet_summary
@pytest.fixture
def scores() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": ["a1", "a2", "a3", "a4", "b1", "b2", "b3", "c1"],
            "outlet": ["alpha"] * 4 + ["beta"] * 3 + ["gamma"],
            "sentiment_mean": [0.30, 0.10, 0.25, np.nan, -0.20, -0.35, -0.05, 0.40],
        }
    )


def test_outlet_summary_values_ci_and_notes(scores):
    s = outlet_summary(scores, "sentiment_mean", n_boot=500, random_state=3)
    assert list(s.columns) == ["outlet", "mean", "sd", "n", "ci_low", "ci_high", "note"]
    assert s["outlet"].tolist() == ["alpha", "beta", "gamma"]
    expected = scores.dropna().groupby("outlet")["sentiment_mean"]
    np.testing.assert_allclose(s["mean"], expected.mean().to_numpy())
    np.testing.assert_allclose(s["sd"][:2], expected.std().to_numpy()[:2])
    assert s["n"].tolist() == [3, 3, 1]
    alpha = s.iloc[0]
    assert (alpha.ci_low, alpha.ci_high) == bootstrap_ci(
        [0.30, 0.10, 0.25], n_boot=500, random_state=3
    )
    assert alpha.ci_low <= alpha["mean"] <= alpha.ci_high
    assert alpha.note == "1 missing value dropped"
    # an outlet with one article: NaN interval and a note, never a crash
    gamma = s.iloc[2]
    assert math.isnan(gamma.ci_low) and math.isnan(gamma.ci_high) and math.isnan(gamma.sd)
    assert gamma.note == "1 article: no interval"
    assert s.loc[1, "note"] == ""


def test_outlet_summary_does_not_mutate_and_is_independent_of_other_outlets(scores):
    before = scores.copy()
    full = outlet_summary(scores, "sentiment_mean", n_boot=300)
    pd.testing.assert_frame_equal(scores, before)
    only_beta = outlet_summary(scores[scores.outlet == "beta"], "sentiment_mean", n_boot=300)
    pd.testing.assert_frame_equal(
        only_beta.reset_index(drop=True), full[full.outlet == "beta"].reset_index(drop=True)
    )


def test_outlet_summary_within_groups_and_boolean_shares():
    table = pd.DataFrame(
        {
            "article_id": ["a1", "a2", "b1", "b2"] * 2,
            "outlet": ["x", "x", "y", "y"] * 2,
            "frame": ["conflict"] * 4 + ["economy"] * 4,
            "present": [True, True, False, True, False, False, True, True],
        }
    )
    s = outlet_summary(table, "present", within=["frame"], n_boot=200)
    assert list(s.columns[:2]) == ["frame", "outlet"]
    assert s[["frame", "outlet"]].values.tolist() == [
        ["conflict", "x"],
        ["conflict", "y"],
        ["economy", "x"],
        ["economy", "y"],
    ]
    assert s["mean"].tolist() == [1.0, 0.5, 0.0, 1.0]
    # a string is accepted for a single within column
    pd.testing.assert_frame_equal(s, outlet_summary(table, "present", within="frame", n_boot=200))


def test_outlet_summary_all_missing_group(scores):
    t = scores.assign(sentiment_mean=scores.sentiment_mean.where(scores.outlet != "beta"))
    beta = outlet_summary(t, "sentiment_mean").set_index("outlet").loc["beta"]
    assert beta["n"] == 0 and math.isnan(beta["mean"])
    assert beta.note == "3 missing values dropped; 0 articles: no interval"


def test_outlet_summary_rejects_unit_level_tables_and_bad_columns(scores):
    repeated = pd.concat([scores, scores.iloc[:2]])
    with pytest.raises(ValueError, match="one row per article"):
        outlet_summary(repeated, "sentiment_mean")
    with pytest.raises(ValueError, match=r"\['tone'\] not in the table"):
        outlet_summary(scores, "tone")
    with pytest.raises(ValueError, match="numeric"):
        outlet_summary(scores, "article_id")


# --------------------------------------------------------------- pairwise_tests
def test_pairwise_columns_signs_and_agreement_with_building_blocks(scores):
    r = pairwise_tests(scores, "sentiment_mean", n_perm=2000, n_boot=500)
    assert list(r.columns) == [
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
    ]
    assert r[["a", "b"]].values.tolist() == [
        ["alpha", "beta"],
        ["alpha", "gamma"],
        ["beta", "gamma"],
    ]
    ab = r.iloc[0]
    xa, xb = [0.30, 0.10, 0.25], [-0.20, -0.35, -0.05]
    # alpha is more positive than beta: every signed column is positive
    assert ab["diff"] == pytest.approx(np.mean(xa) - np.mean(xb))
    assert ab["diff"] > 0 and ab.effect_size > 0 and ab.ci_low > 0
    assert ab.effect_size == pytest.approx(hedges_g(xa, xb))
    assert ab.p_value == pytest.approx(permutation_test(xa, xb, n_perm=2000))
    assert (ab.n_a, ab.n_b) == (3, 3)
    assert ab.note == "1 missing value dropped in alpha"
    # swapping the roles flips the sign
    swapped = pairwise_tests(
        scores.replace({"outlet": {"alpha": "zeta"}}), "sentiment_mean", n_perm=2000
    )
    bz = swapped[(swapped.a == "beta") & (swapped.b == "zeta")].iloc[0]
    assert bz["diff"] == pytest.approx(-ab["diff"])
    assert bz.effect_size == pytest.approx(-ab.effect_size)
    # the single-article outlet: not tested, explained, no crash
    ag = r.iloc[1]
    assert math.isnan(ag.p_value) and math.isnan(ag.p_adjusted) and math.isnan(ag.ci_low)
    assert "fewer than 2 articles in gamma" in ag.note
    assert ag["diff"] == pytest.approx(np.mean(xa) - 0.40)


def test_pairwise_difference_ci_matches_scipy_two_sample_bootstrap():
    rng = np.random.default_rng(11)
    xa, xb = rng.normal(0.3, 0.4, 40), rng.normal(0.1, 0.4, 50)
    table = pd.DataFrame({"outlet": ["a"] * 40 + ["b"] * 50, "v": np.concatenate([xa, xb])})
    row = pairwise_tests(table, "v", n_perm=200, n_boot=20000).iloc[0]
    ref = stats.bootstrap(
        (xa, xb),
        _mean_diff,
        method="percentile",
        n_resamples=20000,
        rng=np.random.default_rng(0),
    ).confidence_interval
    assert row.ci_low == pytest.approx(ref.low, abs=0.015)
    assert row.ci_high == pytest.approx(ref.high, abs=0.015)


def test_pairwise_bh_over_all_rows_within_groups():
    rng = np.random.default_rng(2)
    frames = []
    for frame, shift in (("conflict", 0.8), ("economy", 0.0)):
        for outlet, mu in (("x", shift), ("y", 0.0), ("z", 0.1)):
            frames.append(
                pd.DataFrame(
                    {
                        "article_id": [f"{outlet}{i}" for i in range(15)],
                        "outlet": outlet,
                        "frame": frame,
                        "share": rng.normal(mu, 0.5, 15),
                    }
                )
            )
    table = pd.concat(frames, ignore_index=True)
    r = pairwise_tests(table, "share", within=["frame"], n_perm=999, n_boot=200)
    assert len(r) == 6 and list(r.columns[:3]) == ["frame", "a", "b"]
    np.testing.assert_allclose(r.p_adjusted, stats.false_discovery_control(r.p_value))
    xy = r[(r.frame == "conflict") & (r.a == "x") & (r.b == "y")].iloc[0]
    assert xy.p_value < 0.01 and xy["diff"] > 0
    greater = pairwise_tests(table, "share", within=["frame"], n_perm=999, alternative="less")
    assert greater.set_index(["frame", "a", "b"]).loc[("conflict", "x", "y"), "p_value"] > 0.9


def test_pairwise_with_one_outlet_warns_and_returns_empty_table(scores):
    with pytest.warns(UserWarning, match="no pairs"):
        r = pairwise_tests(scores[scores.outlet == "alpha"], "sentiment_mean")
    assert r.empty and "p_adjusted" in r.columns


# ------------------------------------------- same seed, same numbers as scipy (issue 11)
@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
@pytest.mark.parametrize("sizes", [(12, 15), (30, 35)])
def test_monte_carlo_p_equals_scipy_with_the_same_seed(alternative, sizes):
    rng = np.random.default_rng(sum(sizes))
    x = rng.normal(0.2, 1.0, size=sizes[0])
    y = rng.normal(0.0, 1.0, size=sizes[1])
    ours = permutation_test(x, y, n_perm=4999, random_state=3, alternative=alternative)
    if alternative == "two-sided":
        stat, alt = _abs_mean_diff, "greater"
    else:
        stat, alt = _mean_diff, alternative
    ref = stats.permutation_test(
        (x, y),
        stat,
        permutation_type="independent",
        alternative=alt,
        n_resamples=4999,
        vectorized=True,
        rng=np.random.default_rng(3),
    ).pvalue
    assert ours == pytest.approx(ref, abs=1e-12)


def test_shared_relabellings_give_the_same_p_values():
    """Pairs of one size reuse one relabelling matrix: p-values are unchanged."""
    from framing.compare._stats import RelabellingCache, _permutation_p

    rng = np.random.default_rng(8)
    cache = RelabellingCache(max_elements=60_000)
    for sizes in [(10, 20), (15, 15), (10, 20), (25, 40), (12, 18)]:
        x, y = rng.normal(size=sizes[0]), rng.normal(0.3, size=sizes[1])
        alone = permutation_test(x, y, n_perm=1999, random_state=5)
        assert _permutation_p(x, y, 1999, 5, "two-sided", cache) == alone
    # at most 60,000 elements kept: (25 + 40) x 1999 was too large to keep
    assert sum(m.size for m in cache._store.values()) <= 60_000


def test_bootstrap_ci_equals_scipy_percentile_bootstrap_with_the_same_seed():
    x = np.random.default_rng(9).normal(0.2, 0.5, size=45)
    ref = stats.bootstrap(
        (x,), np.mean, method="percentile", n_resamples=3000, rng=np.random.default_rng(4)
    ).confidence_interval
    assert bootstrap_ci(x, n_boot=3000, random_state=4) == (ref.low, ref.high)


def test_pairwise_tests_show_progress_on_demand(capsys, terminal):
    t = pd.DataFrame(
        {"outlet": np.repeat(list("abcd"), 5), "x": np.random.default_rng(1).random(20)}
    )
    pairwise_tests(t, "x", n_perm=99, n_boot=99, show_progress=True)
    assert "Comparing x between outlets" in capsys.readouterr().err
    pairwise_tests(t, "x", n_perm=99, n_boot=99)
    assert capsys.readouterr().err == ""


# ------------------------------------------------ outlets compared (issue 13.15, 17.5)
def test_select_outlets_by_size_top_k_and_merge():
    from framing.compare import OTHER_OUTLETS, select_outlets

    articles = pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(10)],
            "outlet": list("aaaabbbccd"),
            "x": np.arange(10.0),
        }
    )
    every = select_outlets(articles)
    assert every.kept == ("a", "b", "c", "d") and every.note == ""
    assert every.apply(articles) is articles
    big = select_outlets(articles, min_articles=3)
    assert big.kept == ("a", "b") and big.left_out == ("c", "d")
    assert "2 outlet(s) left out" in big.note
    assert set(big.apply(articles)["outlet"]) == {"a", "b"}
    top = select_outlets(articles, max_outlets=1, others="merge")
    merged = top.apply(articles)
    assert merged["outlet"].value_counts().to_dict() == {OTHER_OUTLETS: 6, "a": 4}
    assert len(merged) == len(articles)  # merging keeps every article
    summary = outlet_summary(merged, "x")
    assert summary.set_index("outlet").loc[OTHER_OUTLETS, "n"] == 6
    with pytest.raises(ValueError, match="min_articles"):
        select_outlets(articles, min_articles=0)
    with pytest.raises(ValueError, match="others"):
        select_outlets(articles, others="keep")


def test_articles_without_outlet_are_compared_as_no_outlet():
    from framing.compare import NO_OUTLET

    t = pd.DataFrame({"outlet": ["a", "a", "", "", None], "x": [1.0, 2.0, 3.0, 4.0, 5.0]})
    summary = outlet_summary(t, "x")
    assert summary["outlet"].tolist() == [NO_OUTLET, "a"]
    assert summary.set_index("outlet").loc[NO_OUTLET, "n"] == 3
    pairs = pairwise_tests(t, "x", n_perm=99, n_boot=99)
    assert {pairs.loc[0, "a"], pairs.loc[0, "b"]} == {NO_OUTLET, "a"}


# ------------------------------------------------ frame contrast notes (issue 17.6, 17.12)
def _frame_scores(shares_a, shares_b, outlets):
    n = len(shares_a)
    return pd.DataFrame(
        {
            "article_id": np.repeat([f"a{i}" for i in range(n)], 2),
            "outlet": np.repeat(outlets, 2),
            "frame": ["f", "g"] * n,
            "share": np.ravel(np.column_stack([shares_a, shares_b])),
        }
    )


def test_frame_contrast_gives_no_p_value_for_one_article():
    scores = _frame_scores([0.5, 0.2, 0.4, 0.3], [0.1, 0.1, 0.0, 0.2], ["x", "x", "x", "y"])
    out = compare.frame_contrast(scores, "f", "g", value="share", n_boot=99, n_perm=99).set_index(
        "outlet"
    )
    assert np.isnan(out.loc["y", "p_value"])
    assert "1 article: no interval" in out.loc["y", "note"]
    assert "not tested" in out.loc["y", "note"]
    assert out.loc["x", "p_value"] == pytest.approx(2 / 8)  # exact, all 2^3 sign patterns


@pytest.mark.parametrize("seed", range(4))
def test_sign_flip_test_exact_p_equals_scipy(seed):
    """The exact branch against scipy's one-sample permutation test (an independent code)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0.3, 1.0, size=9 + seed)
    x[0] = -x[1]  # a tie in |mean| among patterns
    ours = compare.sign_flip_test(x, n_perm=2**13)
    theirs = stats.permutation_test(
        (x,), np.mean, permutation_type="samples", vectorized=True, n_resamples=2**13
    ).pvalue
    assert ours == pytest.approx(theirs, rel=1e-12)
    assert 0 < ours <= 1


def test_absent_frames_are_noted_not_reported_bare():
    scores = _frame_scores([0.0] * 4, [0.1, 0.0, 0.2, 0.0], ["x", "x", "y", "y"])
    out = compare.frame_contrast(scores, "f", "g", value="share", n_boot=99, n_perm=99)
    assert out["note"].str.contains("frame 'f' absent in this corpus").all()
    both = _frame_scores([0.3, 0.1, 0.0, 0.0], [0.1, 0.2, 0.0, 0.0], ["x", "x", "y", "y"])
    out = compare.frame_contrast(both, "f", "g", value="share", n_boot=99, n_perm=99).set_index(
        "outlet"
    )
    assert (out.loc["y", "ci_low"], out.loc["y", "ci_high"], out.loc["y", "p_value"]) == (0, 0, 1)
    assert "neither frame occurs" in out.loc["y", "note"]
    assert "absent" not in out.loc["x", "note"]
    prevalence = compare.note_absent_frames(
        outlet_summary(scores, "share", within=["frame"], n_boot=99), scores, value="share"
    )
    notes = prevalence.set_index(["frame", "outlet"])["note"]
    assert notes.loc[("f", "x")] == "frame absent in this corpus"
    assert notes.loc[("g", "x")] == ""
    pairs = compare.note_absent_frames(
        pairwise_tests(scores, "share", within=["frame"], n_boot=99, n_perm=99),
        scores,
        value="share",
    )
    assert pairs.set_index("frame").loc["f", "note"].endswith("frame absent in this corpus")
