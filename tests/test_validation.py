"""Validation: Krippendorff's alpha, sampling for coding, coding sheets, agreement."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import f1_score, precision_score, recall_score

from framing.frames import score_frames
from framing.frames.validation import (
    CodingSheetError,
    agreement_report,
    export_coding_sheet,
    krippendorff_alpha,
    majority_labels,
    read_coding_sheet,
    sample_for_coding,
)

nan = np.nan

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
# 4 observers x 12 units, nominal values with missing data; published alpha = 0.743.
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
]


def test_alpha_published_worked_example():
    assert krippendorff_alpha(K2011) == pytest.approx(0.743, abs=5e-4)
    # the exact value: 1 - (n - 1) * D_o / D_e with n = 40 pairable values
    assert krippendorff_alpha(K2011) == pytest.approx(0.7434210526)


@pytest.mark.parametrize("seed", range(6))
def test_alpha_matches_the_krippendorff_package(seed):
    rng = np.random.default_rng(seed)
    coders, units, levels = rng.integers(2, 6), rng.integers(5, 40), rng.integers(2, 5)
    data = rng.integers(0, levels, size=(coders, units)).astype(float)
    agree = rng.random(units) < 0.5  # make some units unanimous so alpha varies
    data[:, agree] = data[0, agree]
    data[rng.random(data.shape) < 0.25] = nan
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert krippendorff_alpha(data) == pytest.approx(expected)


def test_alpha_edge_cases():
    assert krippendorff_alpha([["a", "b", "a"], ["a", "b", None]]) == 1.0
    # one value everywhere: no variation, alpha undefined
    assert np.isnan(krippendorff_alpha([[1, 1, 1], [1, 1, 1]]))
    # no unit coded twice: nothing pairable
    assert np.isnan(krippendorff_alpha([[1, nan], [nan, 2]]))
    # strings and numbers give the same alpha
    s = [["y", "n", "y", "n"], ["y", "y", "y", "n"]]
    n = [[1, 0, 1, 0], [1, 1, 1, 0]]
    assert krippendorff_alpha(s) == pytest.approx(krippendorff_alpha(n))
    # perfect disagreement on binary data is negative
    assert krippendorff_alpha([[0, 1, 0, 1], [1, 0, 1, 0]]) < 0


# --------------------------------------------------------------- sampling / sheets

FRAMES = {
    "name": "mini",
    "version": "1",
    "citation": "tests",
    "frames": {
        "divided": {
            "label": "Divided",
            "description": "allies split",
            "terms": ["divid*", "rift*"],
        },
        "balance": {
            "label": "Balance",
            "description": "give and take",
            "terms": ["balanc*", "compromise"],
        },
    },
}


@pytest.fixture
def scores():
    texts = {
        "x1": "Allies are divided. The rift grows. Talks balance interests. Nothing here.",
        "x2": "A compromise emerged. Weather is fine. Divided views and a balanced plan.",
        "y1": "Rifts deepen. More rifts. Sun shines. Rain falls. A compromise.",
        "y2": "Quiet day. Another quiet day. Divided again.",
    }
    arts = pd.DataFrame(
        {"article_id": list(texts), "outlet": ["x", "x", "y", "y"], "text": list(texts.values())}
    )
    return score_frames(arts, FRAMES)


def test_sample_for_coding_is_stratified_blinded_and_seeded(scores):
    with pytest.warns(UserWarning, match="fewer than 2 units"):
        sample = sample_for_coding(scores, n_per_stratum=2, random_state=1)
    # predicted frame per unit: highest-scoring present frame, or "none"
    strata = sample.groupby(["outlet", "predicted_frame"]).size()
    assert set(strata.index) == {
        ("x", "divided"), ("x", "balance"), ("x", "none"),
        ("y", "divided"), ("y", "balance"), ("y", "none"),
    }  # fmt: skip
    assert (strata <= 2).all()
    assert strata[("y", "none")] == 2  # 4 candidate units
    y_none = sample[(sample.outlet == "y") & (sample.predicted_frame == "none")]
    assert y_none["stratum_size"].iloc[0] == 4 and y_none["weight"].iloc[0] == 2.0
    assert sample["item"].tolist() == list(range(1, len(sample) + 1))
    assert (sample[["coder_1", "coder_2"]] == "").all().all()
    assert not {"score", "present", "matched_terms"} & set(sample.columns)
    with pytest.warns(UserWarning):
        again = sample_for_coding(scores, n_per_stratum=2, random_state=1)
    pd.testing.assert_frame_equal(sample, again)
    # a unit predicted "divided" really carries that frame
    units = scores.units.set_index(["unit_id", "frame"])
    for _, row in sample[sample.predicted_frame == "divided"].iterrows():
        assert units.loc[(row.unit_id, "divided"), "present"]


def test_export_is_blinded_and_round_trips(scores, tmp_path):
    with pytest.warns(UserWarning):
        sample = sample_for_coding(scores, n_per_stratum=3, random_state=0)
    paths = export_coding_sheet(sample, tmp_path / "sheet.csv", frames=FRAMES)
    sheet = pd.read_csv(paths[0], dtype=str, keep_default_na=False)
    assert list(sheet.columns) == ["item", "unit_id", "text", "coder_1", "coder_2"]
    book = pd.read_csv(paths[1])
    assert book["key"].tolist() == ["divided", "balance", "none"]
    # coders fill in labels (keys or labels, any case; ';'-separated; empty = not coded)
    sheet["coder_1"] = "none"
    sheet.loc[0, "coder_1"] = "divided;Balance"
    sheet["coder_2"] = ["DIVIDED"] + [""] * (len(sheet) - 1)
    sheet.to_csv(tmp_path / "coded.csv", index=False)
    with pytest.warns(UserWarning, match="not coded"):
        coded = read_coding_sheet(tmp_path / "coded.csv", FRAMES)
    assert list(coded.columns) == ["unit_id", "coder", "frame", "present"]
    first = coded[coded.unit_id == sheet.loc[0, "unit_id"]].set_index(["coder", "frame"])
    assert first.loc[("coder_1", "divided"), "present"] == 1
    assert first.loc[("coder_1", "balance"), "present"] == 1
    assert first.loc[("coder_2", "divided"), "present"] == 1
    assert first.loc[("coder_2", "balance"), "present"] == 0
    second = coded[coded.unit_id == sheet.loc[1, "unit_id"]].set_index(["coder", "frame"])
    assert second.loc[("coder_1", "divided"), "present"] == 0
    assert pd.isna(second.loc[("coder_2", "divided"), "present"])


def test_read_coding_sheet_errors(tmp_path):
    sheet = pd.DataFrame(
        {"unit_id": ["a", "b", "c"], "coder_1": ["divided", "conflict", "none"], "coder_2": "none"}
    )
    sheet.to_csv(tmp_path / "s.csv", index=False)
    with pytest.raises(
        CodingSheetError,
        match=r"s\.csv, column 'coder_1': line 3: unknown label 'conflict'.*"
        r"Valid labels: \['divided', 'balance', 'none'\]",
    ):
        read_coding_sheet(tmp_path / "s.csv", FRAMES)
    with pytest.raises(CodingSheetError, match=r"'none' combined with frames"):
        read_coding_sheet(sheet.assign(coder_1="none;divided"), FRAMES)
    with pytest.raises(CodingSheetError, match=r"missing column\(s\) \['unit_id'\]"):
        read_coding_sheet(sheet.drop(columns="unit_id"), FRAMES)
    with pytest.raises(CodingSheetError, match=r"at least one 'coder_\*' column"):
        read_coding_sheet(sheet[["unit_id"]], FRAMES)
    with pytest.raises(CodingSheetError, match="unit_id repeats"):
        read_coding_sheet(pd.concat([sheet, sheet]).assign(coder_1="none"), FRAMES)


# ------------------------------------------------------------------- agreement


def coded_long(values: dict[str, list], frame: str = "divided") -> pd.DataFrame:
    rows = []
    for coder, column in values.items():
        for i, v in enumerate(column):
            rows.append({"unit_id": f"u{i}", "coder": coder, "frame": frame, "present": v})
    out = pd.DataFrame(rows)
    out["present"] = out["present"].astype("Int8")
    return out


def test_agreement_report_against_independent_computations():
    c1 = [1, 1, 0, 0, 1, 0, 1, 0, 1, 1]
    c2 = [1, 0, 0, 0, 1, 0, 1, 1, 1, pd.NA]
    c3 = [1, 1, 0, 1, 0, 0, 1, 0, 1, 1]
    method = [1, 1, 0, 1, 0, 0, 0, 0, 1, 1]
    coded = coded_long({"c1": c1, "c2": c2, "c3": c3})
    predicted = pd.DataFrame(
        {
            "unit_id": [f"u{i}" for i in range(10)],
            "frame": "divided",
            "present": np.array(method) == 1,
        }
    )
    report = agreement_report(coded, predicted, ["divided"], n_boot=300).set_index("frame")
    row = report.loc["divided"]
    # majority: u9 has 2 coders agreeing (1, 1); no ties with 3 coders
    majority = [1, 1, 0, 0, 1, 0, 1, 0, 1, 1]
    assert row["n_ties"] == 0 and row["n_units"] == 10 and row["n_coders"] == 3
    assert row["precision"] == pytest.approx(precision_score(majority, method))
    assert row["recall"] == pytest.approx(recall_score(majority, method))
    assert row["f1"] == pytest.approx(f1_score(majority, method))
    coders = np.array([c1, [nan if v is pd.NA else v for v in c2], c3], dtype=float)
    assert row["alpha_coders"] == pytest.approx(
        krippendorff.alpha(reliability_data=coders, level_of_measurement="nominal")
    )
    assert row["alpha_method"] == pytest.approx(
        krippendorff.alpha(reliability_data=[majority, method], level_of_measurement="nominal")
    )
    for name in ("alpha_coders", "alpha_method"):
        assert row[f"{name}_ci_low"] <= row[name] <= row[f"{name}_ci_high"]
    # the pooled row equals the single frame here
    assert report.loc["all", "f1"] == pytest.approx(row["f1"])
    again = agreement_report(coded, predicted, ["divided"], n_boot=300)
    pd.testing.assert_frame_equal(report.reset_index(), again)


def test_agreement_ties_single_coder_and_errors(scores):
    coded = coded_long({"c1": [1, 0, 1, 0], "c2": [0, 0, 1, 1]})
    ties = majority_labels(coded).set_index("unit_id")
    assert ties["tie"].tolist() == [True, False, False, True]
    assert np.isnan(ties.loc["u0", "truth"]) and ties.loc["u2", "truth"] == 1
    predicted = pd.DataFrame(
        {"unit_id": ["u0", "u1", "u2", "u3"], "frame": "divided", "present": True}
    )
    report = agreement_report(coded, predicted, ["divided"], n_boot=100).set_index("frame")
    assert report.loc["divided", "n_ties"] == 2
    assert report.loc["divided", "precision"] == pytest.approx(0.5)  # u1 (0) and u2 (1)
    one = agreement_report(coded[coded.coder == "c1"], predicted, ["divided"], n_boot=50)
    assert "one coder" in one.loc[0, "note"] and np.isnan(one.loc[0, "alpha_coders"])
    with pytest.raises(CodingSheetError, match="no automated score"):
        agreement_report(coded.assign(unit_id="zz"), predicted, ["divided"])
    # FrameScores are accepted as `predicted`
    unit_ids = scores.texts["unit_id"].head(4).tolist()
    coded_real = coded.assign(
        unit_id=coded["unit_id"].map(dict(zip(["u0", "u1", "u2", "u3"], unit_ids, strict=True)))
    )
    out = agreement_report(coded_real, scores, FRAMES, n_boot=50)
    assert out["frame"].tolist() == ["divided", "balance", "all"]
    assert "frame not in the coding sheet" in out.loc[1, "note"]
