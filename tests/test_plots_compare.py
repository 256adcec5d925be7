"""framing.plots._compare: figures drawn from outlet_summary tables."""

from __future__ import annotations

import json
import math

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from framing import compare, plots
from framing.plots import style


@pytest.fixture(autouse=True)
def _fresh_colors():
    style.reset_outlet_colors()
    yield
    style.reset_outlet_colors()


@pytest.fixture
def summary() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "outlet": ["guardian", "nyt", "solo"],
            "mean": [-0.12, 0.05, 0.30],
            "sd": [0.2, 0.1, math.nan],
            "n": [40, 35, 1],
            "ci_low": [-0.18, 0.01, math.nan],
            "ci_high": [-0.06, 0.09, math.nan],
            "note": ["", "", "1 article: no interval"],
        }
    )


def _markers(ax) -> dict[str, matplotlib.lines.Line2D]:
    return {line.get_label(): line for line in ax.get_lines() if line.get_marker() == "o"}


def _ci(ax) -> dict[str, LineCollection]:
    return {
        c.get_gid()[3:]: c
        for c in ax.collections
        if isinstance(c, LineCollection) and (c.get_gid() or "").startswith("ci:")
    }


def test_by_outlet_one_artist_per_outlet_with_ci_segments(summary):
    fig = plots.by_outlet(summary, value_label="Mean compound")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    markers = _markers(ax)
    assert sorted(markers) == ["guardian", "nyt", "solo"]
    colors = style.outlet_colors(["guardian", "nyt", "solo"])
    for outlet, line in markers.items():
        assert matplotlib.colors.to_hex(line.get_color()) == colors[outlet].lower()
    np.testing.assert_allclose(markers["nyt"].get_xdata(), [0.05])
    cis = _ci(ax)
    for outlet, low, high in (("guardian", -0.18, -0.06), ("nyt", 0.01, 0.09)):
        (segment,) = cis[outlet].get_segments()
        np.testing.assert_allclose(segment[:, 0], [low, high])
        assert segment[0, 1] == pytest.approx(markers[outlet].get_ydata()[0])
    # the single-article outlet: a point, no interval
    assert len(markers["solo"].get_xdata()) == 1
    assert len(cis["solo"].get_segments()) == 0
    assert ax.get_xlabel() == "Mean compound"
    # a forest plot: ordered by estimate, largest at the top (y = 0)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["solo", "nyt", "guardian"]
    assert markers["solo"].get_ydata()[0] == 0 and markers["guardian"].get_ydata()[0] == 2
    # each dot carries its n; the lone article says it has no interval
    notes = {round(t.xy[1]): t.get_text() for t in ax.texts}
    assert notes == {0: "n=1: no interval", 1: "n=35", 2: "n=40"}
    # values straddle 0: a reference line is drawn
    assert any(list(line.get_xdata()) == [0, 0] for line in ax.get_lines())


def test_by_outlet_draws_into_given_axes_and_never_saves(summary, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fig0, ax0 = style.new_figure("double")
    fig = plots.by_outlet(summary, value_label="x", ax=ax0, sort=False)
    assert fig is fig0
    assert [t.get_text() for t in ax0.get_yticklabels()] == ["guardian", "nyt", "solo"]
    assert list(tmp_path.iterdir()) == []


def test_by_outlet_rejects_multi_row_outlets(summary):
    repeated = pd.concat([summary.assign(actor="a"), summary.assign(actor="b")])
    with pytest.raises(ValueError, match="actor_by_outlet"):
        plots.by_outlet(repeated, value_label="x")
    with pytest.raises(ValueError, match="ci_low"):
        plots.by_outlet(summary.drop(columns="ci_low"), value_label="x")


def test_actor_by_outlet_from_a_real_summary():
    table = pd.DataFrame(
        {
            "article_id": ["a1", "a2", "a3", "b1", "b2", "a1", "a2", "b1"],
            "outlet": ["x", "x", "x", "y", "y", "x", "x", "y"],
            "actor": ["russia"] * 5 + ["nato"] * 3,
            "sentiment_mean": [-0.5, -0.3, -0.4, 0.1, 0.2, 0.3, 0.4, -0.1],
        }
    )
    summary = compare.outlet_summary(table, "sentiment_mean", within=["actor"], n_boot=200)
    labels = {"russia": "Russia", "nato": "NATO"}
    fig = plots.actor_by_outlet(summary, value_label="Mean compound", labels=labels)
    ax = fig.axes[0]
    assert fig.get_size_inches()[0] == pytest.approx(style.DOUBLE_COLUMN)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Russia", "NATO"]
    markers = _markers(ax)
    assert sorted(markers) == ["x", "y"]
    # x has both actors; y has russia (2 articles) and nato (1 article, no CI)
    assert len(markers["x"].get_xdata()) == 2 and len(markers["y"].get_xdata()) == 2
    cis = _ci(ax)
    assert len(cis["x"].get_segments()) == 2
    assert len(cis["y"].get_segments()) == 1
    y_russia = summary[(summary.outlet == "y") & (summary.actor == "russia")].iloc[0]
    (segment,) = cis["y"].get_segments()
    np.testing.assert_allclose(segment[:, 0], [y_russia.ci_low, y_russia.ci_high])
    # russia is the first row (top): its y position is near 0
    assert abs(segment[0, 1]) < 0.5
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["x", "y"]


def test_plot_colours_are_stable_across_figures(summary):
    first = _markers(plots.by_outlet(summary, value_label="x").axes[0])
    second = _markers(plots.by_outlet(summary.iloc[[1]], value_label="x").axes[0])
    assert second["nyt"].get_color() == first["nyt"].get_color()


def test_actor_labels_come_from_a_label_column():
    table = pd.DataFrame(
        {
            "article_id": ["a1", "a2", "b1", "b2"],
            "outlet": ["x", "x", "y", "y"],
            "actor": ["united_states"] * 4,
            "label": ["United States"] * 4,
            "sentiment_mean": [0.1, 0.2, -0.1, 0.0],
        }
    )
    summary = compare.outlet_summary(table, "sentiment_mean", within=["actor", "label"])
    ax = plots.actor_by_outlet(summary, value_label="x").axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["United States"]


def _actor_table() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    actors = ["united_states", "russia", "ukraine", "nato"]
    rows = [
        (f"{o}{i}", o, a, float(rng.normal()))
        for a in actors
        for o in ("x", "y")
        for i in range(3)
    ]
    return pd.DataFrame(rows, columns=["article_id", "outlet", "actor", "sentiment_mean"])


ACTOR_LIST = ["united_states", "russia", "ukraine", "nato"]  # not alphabetical


def _ticks(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].get_yticklabels()]


def test_actor_order_is_the_actor_list_order_after_a_parquet_round_trip(tmp_path):
    """Issue 17.4: a resumed run or --only figures reloads the table from Parquet.

    outlet_summary sorts actors alphabetically; the figure must not follow that.
    The order travels with the table as a categorical column, or is passed as
    ``order=``, or as (key, label) pairs that survive JSON with sorted keys.
    """
    summary = compare.outlet_summary(_actor_table(), "sentiment_mean", within=["actor"], n_boot=50)
    assert summary["actor"].drop_duplicates().tolist() == sorted(ACTOR_LIST)  # alphabetical
    labels = {
        "united_states": "United States",
        "russia": "Russia",
        "ukraine": "Ukraine",
        "nato": "NATO",
    }
    expected = ["United States", "Russia", "Ukraine", "NATO"]
    # 1. categorical column, written to and read back from Parquet
    typed = summary.assign(actor=pd.Categorical(summary["actor"], categories=ACTOR_LIST))
    typed.to_parquet(tmp_path / "t.parquet")
    reloaded = pd.read_parquet(tmp_path / "t.parquet")
    assert isinstance(reloaded["actor"].dtype, pd.CategoricalDtype)
    assert _ticks(plots.actor_by_outlet(reloaded, value_label="x", labels=labels)) == expected
    # ... even with the rows shuffled and the labels mapping in another order
    shuffled = reloaded.sample(frac=1, random_state=1)
    alpha = dict(sorted(labels.items()))
    assert _ticks(plots.actor_by_outlet(shuffled, value_label="x", labels=alpha)) == expected
    # 2. an explicit order beats everything
    plain = pd.read_parquet(tmp_path / "t.parquet").astype({"actor": str})
    assert _ticks(
        plots.actor_by_outlet(plain, value_label="x", labels=alpha, order=ACTOR_LIST)
    ) == (expected)
    # 3. labels as (key, label) pairs survive a JSON round trip with sorted keys
    pairs = json.loads(json.dumps({"labels": list(labels.items())}, sort_keys=True))["labels"]
    assert _ticks(plots.actor_by_outlet(plain, value_label="x", labels=pairs)) == expected
    # a mapping through sort_keys JSON loses the order: the case the above avoid
    lost = json.loads(json.dumps(labels, sort_keys=True))
    assert _ticks(plots.actor_by_outlet(plain, value_label="x", labels=lost)) != expected


def test_no_outlet_is_a_labelled_category(summary):
    """Issue 17.5: "(no outlet)" (or an empty name) draws as a normal, labelled category."""
    for name in ("(no outlet)", ""):
        style.reset_outlet_colors()
        table = summary.assign(outlet=["guardian", name, "solo"])
        ax = plots.by_outlet(table, value_label="x", sort=False).axes[0]
        assert [t.get_text() for t in ax.get_yticklabels()] == ["guardian", "(no outlet)", "solo"]
        assert "(no outlet)" in _markers(ax)
        rows = compare.outlet_summary(
            _actor_table(), "sentiment_mean", within=["actor"], n_boot=20
        )
        rows["outlet"] = rows["outlet"].replace({"x": name})
        fig = plots.actor_by_outlet(rows, value_label="x")
        legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        assert legend == ["(no outlet)", "y"]
        assert all(label.strip() for label in legend)
