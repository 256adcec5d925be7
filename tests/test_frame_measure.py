"""Issue 12: the headline ``score`` is the frame number of every comparison of a run.

``[frames] measure`` ("score" by default, or "share") chooses the article column the
compare step, the story-matched comparison, the figures and the report use. The
tables are checked against plain pandas group-by means and differences.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from framing import plots
from framing.frames.headline import MEASURES, measure_label
from framing.run import schema
from framing.run.config import ConfigError, load_config
from framing.run.report import build_report
from framing.run.runner import run_all
from framing.stories import story_measures

SENTENCES = [
    "The allies are divided over the next steps.",
    "Divisions among European partners deepened this week.",
    "Both sides looked for a compromise on the main points.",
    "Negotiators spoke of balancing the interests of each party.",
    "The weather in the capital was mild on Tuesday.",
    "Officials met again in the afternoon.",
    "Security guarantees were on the table.",
    "Markets closed slightly higher.",
]


def _corpus(path):
    rng = np.random.default_rng(7)
    rows = []
    for outlet in ("alpha", "beta", "gamma"):
        for i in range(6):
            picks = rng.choice(len(SENTENCES), size=int(rng.integers(3, 8)), replace=True)
            rows.append(
                {
                    "id": f"{outlet}-{i}",
                    "outlet": outlet,
                    "published": f"2024-03-{i + 1:02d}",
                    "title": f"Report {i}",
                    "text": " ".join(SENTENCES[j] for j in picks),
                }
            )
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _config(corpus, out, **extra):
    values = {
        "corpus.path": str(corpus),
        "output.dir": str(out),
        "compare.n_boot": 200,
        "compare.n_perm": 199,
        "sentiment.enabled": False,
        "topics.enabled": False,
        "stories.enabled": False,
        "frames.keyness_terms": 0,
        "figures.formats": ["png"],
        **extra,
    }
    return load_config(overrides=values)


def _expected(articles: pd.DataFrame, column: str):
    """Independent pandas versions of the three frame tables of the compare step."""
    prevalence = articles.groupby(["frame", "outlet"])[column].mean()
    wide = articles.pivot_table(index=["article_id", "outlet"], columns="frame", values=column)
    diff = (wide["allies_divided"] - wide["balancing_interests"]).groupby("outlet").mean()
    return prevalence, diff


def _check_run_tables(tables: dict, column: str, method: str) -> None:
    articles = tables["frame_articles"]
    prevalence, diff = _expected(articles, column)
    got = tables["frame_prevalence"].set_index(["frame", "outlet"])["mean"]
    pd.testing.assert_series_equal(
        got.sort_index(), prevalence.sort_index(), check_names=False, rtol=1e-12
    )
    pairwise = tables["frame_pairwise"]
    for row in pairwise.itertuples():
        expected = prevalence[(row.frame, row.a)] - prevalence[(row.frame, row.b)]
        assert row.mean_a == pytest.approx(prevalence[(row.frame, row.a)], nan_ok=True)
        assert row.diff == pytest.approx(expected, rel=1e-9, abs=1e-12, nan_ok=True)
    # a frame no article carries has no score (no z-score without variation): the
    # tables say so instead of ranking outlets on it
    never = articles.groupby("frame")[column].apply(lambda v: not v.fillna(0).ne(0).any())
    assert never.any() and not never.all()
    for name in ("frame_prevalence", "frame_pairwise"):
        table = tables[name]
        flagged = table[table["frame"].isin(never[never].index)]
        assert flagged["note"].str.contains("frame absent in this corpus").all()
    contrast = tables["frame_contrast"].set_index("outlet")["mean_diff"]
    pd.testing.assert_series_equal(
        contrast.sort_index(), diff.sort_index(), check_names=False, rtol=1e-9
    )
    label = measure_label(column, method)
    for name in ("frame_prevalence", "frame_pairwise", "frame_contrast"):
        assert set(tables[name]["measure"]) == {label}


def test_measures_are_declared_once_and_checked_when_the_config_is_read():
    assert schema._CHOICES[("frames", "measure")] == MEASURES
    assert load_config().frames.measure == "score" == MEASURES[0]
    assert load_config(overrides={"frames.measure": "share"}).frames.measure == "share"
    where = r"--set frames\.measure=shares: frames\.measure must be"
    with pytest.raises(ConfigError, match=where):
        load_config(
            overrides={"frames.measure": "shares"},
            spelled={"frames.measure": "--set frames.measure=shares"},
        )


def test_measure_label_names_the_number_and_its_sign():
    assert "z within corpus" in measure_label("score", "lexicon")
    assert "+ = more frame" in measure_label("score", "semantic")
    assert "probability" in measure_label("score", "supervised")
    assert "mean + 2 SD" in measure_label("share", "semantic")
    with pytest.raises(ValueError, match="measure must be one of"):
        measure_label("mean", "lexicon")


def test_a_run_compares_frames_on_the_score_by_default_and_on_share_when_set(tmp_path):
    corpus = _corpus(tmp_path / "news.csv")
    out = tmp_path / "out"
    tables = run_all(_config(corpus, out), show_progress=False)
    articles = tables["frame_articles"]
    # the two measures differ on this corpus, so the check below can tell them apart
    assert not np.allclose(articles["score"].fillna(0), articles["share"].fillna(0))
    _check_run_tables(tables, "score", "lexicon")
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "frame score (z within corpus; + = more frame)" in report
    assert "frame share" not in report

    shares = run_all(_config(corpus, out, **{"frames.measure": "share"}), show_progress=False)
    _check_run_tables(shares, "share", "lexicon")
    # the frame scores themselves are reused: only the comparisons change
    pd.testing.assert_frame_equal(shares["frame_articles"], articles)
    stages = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["stages"]
    assert stages["frames"]["status"] == "cached"
    assert stages["compare"]["status"] == "ran"
    report = (out / "report.html").read_text(encoding="utf-8")
    assert measure_label("share", "lexicon") in report


def _texts(fig) -> str:
    found = [t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text"))]
    return "\n".join(found).replace("\n", " ")


def test_frame_figures_say_which_number_they_show():
    label = measure_label("score", "semantic")
    summary = pd.DataFrame(
        {
            "frame": ["a", "a", "b", "b"],
            "outlet": ["x", "y", "x", "y"],
            "mean": [0.3, -0.2, 0.1, -0.1],
            "ci_low": [0.1, -0.4, -0.1, -0.3],
            "ci_high": [0.5, 0.0, 0.3, 0.1],
            "n": [5, 5, 5, 5],
            "note": "",
            "measure": label,
        }
    )
    text = _texts(plots.frame_prevalence(summary))
    assert "frame score (z within corpus; + = more frame)" in " ".join(text.split())
    share = measure_label("share", "lexicon")
    text = _texts(plots.frame_prevalence(summary.drop(columns="measure"), xlabel=share))
    assert "any term match" in text and "z within" not in text
    contrast = pd.DataFrame(
        {
            "outlet": ["x", "y"],
            "frame_a": "a",
            "frame_b": "b",
            "mean_a": [0.3, -0.2],
            "mean_b": [0.1, -0.1],
            "mean_diff": [0.2, -0.1],
            "ci_low": [0.0, -0.3],
            "ci_high": [0.4, 0.1],
            "n": [5, 5],
            "note": "",
            "measure": label,
        }
    )
    text = " ".join(_texts(plots.frame_contrast(contrast)).split())
    assert "Difference in frame score (z within corpus" in text and "more a →" in text
    # a table without the column is not silently labelled as shares
    text = _texts(plots.frame_contrast(contrast.drop(columns="measure")))
    assert "share" not in text.lower()


def test_story_measures_use_the_score_unless_told_otherwise():
    articles = pd.DataFrame(
        {
            "article_id": ["1", "1", "2", "2"],
            "outlet": ["x", "x", "y", "y"],
            "frame": ["a", "b", "a", "b"],
            "score": [1.0, -1.0, -0.5, 0.5],
            "share": [0.2, 0.0, 0.1, 0.3],
        }
    )
    default = story_measures(frame_articles=articles, contrast=["a", "b"])
    assert [m.value for m in default] == ["score", "diff"]
    assert default[1].table.set_index("article_id")["diff"].to_dict() == {"1": 2.0, "2": -1.0}
    shares = story_measures(frame_articles=articles, contrast=["a", "b"], frame_value="share")
    assert shares[0].value == "share"
    assert shares[1].table.set_index("article_id")["diff"].round(9).to_dict() == {
        "1": 0.2,
        "2": -0.2,
    }


def test_report_captions_name_the_measure(tmp_path):
    label = measure_label("score", "lexicon")
    table = pd.DataFrame(
        {"frame": ["a"], "outlet": ["x"], "mean": [0.1], "n": [3], "note": [""], "measure": label}
    )
    html = build_report({"frame_prevalence": table}, tmp_path)
    assert f"Per outlet, mean over articles of the {label}".replace("+", "+") in html
    assert f"Outlets are compared on the {label}" in html
    # the caption names the measure, so the report's table leaves out its column
    shown = html[html.index("Per outlet, mean over articles") :]
    shown = shown[: shown.index("</table>")]
    assert "<th>frame</th>" in shown and "<th>measure</th>" not in shown
