"""Keyness: log-odds with an informative Dirichlet prior (Monroe et al. 2008)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from framing.compare import keyness

# Two groups x three terms:  x  y  z   (total)
#   A                        3  1  0   (4)
#   B                        1  1  2   (4)
COUNTS = pd.DataFrame({"x": [3, 1], "y": [1, 1], "z": [0, 2]})
GROUPS = ["A", "B"]


def test_hand_computed_two_by_three_example():
    out = keyness(COUNTS, GROUPS, target="A").set_index("term")
    # pooled prior: pi = (4, 2, 2) / 8; alpha_0 = n_A + n_B = 8 -> alpha = (4, 2, 2)
    assert out["prior"].tolist() == pytest.approx([4.0, 2.0, 2.0])
    # x: log((3+4)/(4+8-3-4)) - log((1+4)/(4+8-1-4)) = log(7/5) - log(5/7)
    delta_x = math.log(7 / 5) - math.log(5 / 7)
    se_x = math.sqrt(1 / 7 + 1 / 5)
    # y: log((1+2)/(4+8-1-2)) - log((1+2)/(4+8-1-2)) = 0
    # z: log((0+2)/(4+8-0-2)) - log((2+2)/(4+8-2-2)) = log(2/10) - log(4/8)
    delta_z = math.log(2 / 10) - math.log(4 / 8)
    se_z = math.sqrt(1 / 2 + 1 / 4)
    assert out.loc["x", "log_odds"] == pytest.approx(delta_x)
    assert out.loc["x", "se"] == pytest.approx(se_x)
    assert out.loc["x", "z"] == pytest.approx(delta_x / se_x)  # = 1.1492
    assert out.loc["x", "z"] == pytest.approx(1.1492, abs=1e-4)
    assert out.loc["y", "log_odds"] == pytest.approx(0.0)
    assert out.loc["z", "z"] == pytest.approx(delta_z / se_z)
    assert out.loc["z", "p_value"] == pytest.approx(2 * norm.sf(abs(delta_z / se_z)))
    assert out.loc["x", ["count_target", "count_reference"]].tolist() == [3, 1]
    assert out.loc["x", "rate_target"] == pytest.approx(750.0)
    # sorted by z: positive = typical of the target
    assert out.index.tolist() == ["x", "y", "z"]


def test_sign_flips_with_target():
    a = keyness(COUNTS, GROUPS, target="A").set_index("term")
    b = keyness(COUNTS, GROUPS, target="B").set_index("term")
    np.testing.assert_allclose(a["z"], -b.loc[a.index, "z"])


def test_uniform_prior_and_scale():
    out = keyness(COUNTS, GROUPS, target="A", prior="uniform", prior_scale=3).set_index("term")
    # alpha_w = 3 * 1/3 = 1 for each term, alpha_0 = 3
    expected = math.log((3 + 1) / (4 + 3 - 3 - 1)) - math.log((1 + 1) / (4 + 3 - 1 - 1))
    assert out.loc["x", "log_odds"] == pytest.approx(expected)
    assert out["prior"].tolist() == pytest.approx([1.0, 1.0, 1.0])


def test_background_prior():
    background = {"x": 10, "y": 30, "z": 60}
    out = keyness(COUNTS, GROUPS, target="A", prior=background, prior_scale=10)
    assert out.set_index("term")["prior"].to_dict() == pytest.approx({"x": 1, "y": 3, "z": 6})
    with pytest.raises(ValueError, match=r"lacks 1 term\(s\).*'z'"):
        keyness(COUNTS, GROUPS, target="A", prior={"x": 1, "y": 1})


def test_texts_equal_counts_and_reference_groups():
    texts = ["war war war deal", "war deal aid aid", "talks talks"]
    groups = ["A", "B", "C"]
    from_texts = keyness(texts, groups, target="A", reference="B", stop_words=None)
    # the pooled prior includes group C ("talks"): alpha_0 = 8, pi from 10 tokens
    counts = pd.DataFrame(
        {"aid": [0, 2, 0], "deal": [1, 1, 0], "talks": [0, 0, 2], "war": [3, 1, 0]}
    )
    from_counts = keyness(counts, groups, target="A", reference="B")
    pd.testing.assert_frame_equal(from_texts, from_counts)
    # "talks" shapes the prior but is not used by A or B, so it is not listed
    assert from_texts.set_index("term")["prior"].to_dict() == pytest.approx(
        {"aid": 1.6, "deal": 1.6, "war": 3.2}
    )
    everyone = keyness(counts, groups, target="A")  # reference = B and C
    assert everyone.set_index("term").loc["talks", "count_reference"] == 2
    assert everyone.set_index("term").loc["talks", "z"] < 0


def test_tokenisation_stop_words_and_min_count():
    texts = ["The U.S. and Ukraine's allies", "the allies and the EU"]
    out = keyness(texts, ["a", "b"], target="a")
    assert set(out["term"]) == {"u.s.", "ukraine", "allies", "eu"}
    kept = keyness(texts, ["a", "b"], target="a", min_count=2)
    assert kept["term"].tolist() == ["allies"]


def test_bad_input():
    with pytest.raises(ValueError, match="not found"):
        keyness(COUNTS, GROUPS, target="Q")
    with pytest.raises(ValueError, match=r"2 value\(s\)|3 value"):
        keyness(COUNTS, ["A", "B", "C"], target="A")
    with pytest.raises(ValueError, match="overlap"):
        keyness(COUNTS, GROUPS, target="A", reference=["A", "B"])
    with pytest.raises(ValueError, match="non-negative"):
        keyness(COUNTS - 5, GROUPS, target="A")
    with pytest.raises(ValueError, match="no words"):
        keyness(["the and", "of the"], GROUPS, target="A")


def test_texts_are_counted_sparsely_by_group():
    """Memory follows the tokens, not documents x vocabulary (issue 13 point 1).

    20,000 sentences with 40,000 distinct words would be a 6.4 GB dense count
    array; the keyness table must come out with a small, bounded peak.
    """
    import tracemalloc

    n = 20_000
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))

    def word(i: int) -> str:
        digits = []
        for _ in range(4):
            i, r = divmod(i, 26)
            digits.append(letters[r])
        return "w" + "".join(digits)

    texts = [f"{word(2 * i)} {word(2 * i + 1)} common" for i in range(n)]
    groups = np.where(np.arange(n) % 3 == 0, "A", "B")
    tracemalloc.start()
    try:
        out = keyness(texts, groups, target="A", stop_words=None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 300 * 2**20, f"peak {peak / 2**20:.0f} MiB"
    assert len(out) == 2 * n + 1
    common = out.set_index("term").loc["common"]
    assert common["count_target"] == (groups == "A").sum()
    assert common["count_reference"] == (groups == "B").sum()
