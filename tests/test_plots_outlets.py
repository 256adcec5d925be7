"""Every figure stays legible from 1 to 20 outlets, and small samples are flagged.

The tables are synthetic but shaped like the outputs of ``framing.compare`` and
``framing.fit_topics``: outlets with long names, one with a single article (no
interval), the "(no outlet)" category, shares of exactly 0, a frame that never
occurs. Each figure is rendered (``_repr_png_``, the notebook path, in the paper
style) with warnings recorded, and the drawn layout is measured.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from framing import plots
from framing.plots import style

OUTLET_NAMES = [
    "The Guardian",
    "The New York Times",
    "(no outlet)",
    "Frankfurter Allgemeine Zeitung",
    "Le Monde",
    "BBC News",
    "Süddeutsche Zeitung",
    "The Washington Post",
    "Al Jazeera English",
    "El País",
    "Corriere della Sera",
    "The Times of India",
    "South China Morning Post",
    "Deutsche Welle",
    "The Kyiv Independent",
    "Reuters",
    "Associated Press",
    "Financial Times",
    "Der Spiegel",
    "The Globe and Mail",
]
ACTORS = {
    "united_states": "United States",
    "russia": "Russia",
    "ukraine": "Ukraine",
    "nato": "NATO",
    "european_union": "European Union",
    "china": "China",
    "germany": "Germany",
    "united_nations": "United Nations",
}
FRAMES = {
    "allies_divided": "Allies divided",
    "balancing_interests": "Balancing interests",
    "escalation_risk": "Escalation risk",
    "humanitarian_cost": "Humanitarian cost",
    "economic_consequences": "Economic consequences",
    "never_used": "A frame the corpus never uses",
}


def outlets(k: int) -> list[str]:
    return OUTLET_NAMES[:k]


def _interval(rng, mean: float, n: int, sd: float = 0.2) -> tuple[float, float]:
    if n < 2:
        return math.nan, math.nan
    half = 1.96 * sd / math.sqrt(n)
    return mean - half, mean + half


def _n(i: int) -> int:
    return 1 if i == 1 else 5 + 7 * i  # the second outlet has one article


def sentiment_summary(k: int) -> pd.DataFrame:
    rng = np.random.default_rng(k)
    rows = []
    for i, o in enumerate(outlets(k)):
        mean, n = float(rng.normal(0, 0.2)), _n(i)
        rows.append((o, mean, 0.2, n, *_interval(rng, mean, n), ""))
    return pd.DataFrame(rows, columns=["outlet", "mean", "sd", "n", "ci_low", "ci_high", "note"])


def actor_summary(k: int) -> pd.DataFrame:
    """Sorted alphabetically by actor, as outlet_summary sorts it."""
    rng = np.random.default_rng(k + 1)
    rows = []
    for actor in sorted(ACTORS):
        for i, o in enumerate(outlets(k)):
            mean, n = float(rng.normal(0, 0.3)), _n(i)
            rows.append((actor, o, mean, 0.3, n, *_interval(rng, mean, n, 0.3), ""))
    return pd.DataFrame(
        rows, columns=["actor", "outlet", "mean", "sd", "n", "ci_low", "ci_high", "note"]
    )


def prevalence_summary(k: int) -> pd.DataFrame:
    rng = np.random.default_rng(k + 2)
    rows = []
    for frame in FRAMES:
        for i, o in enumerate(outlets(k)):
            n = _n(i)
            if frame == "never_used" or (frame == "escalation_risk" and i % 2 == 0):
                mean, low, high = 0.0, 0.0, 0.0  # a share of exactly 0
                if n < 2:
                    low = high = math.nan
            else:
                mean = float(rng.uniform(0.02, 0.3))
                low, high = _interval(rng, mean, n, 0.1)
                low = max(low, 0.0) if not math.isnan(low) else low
            rows.append((frame, o, mean, 0.1, n, low, high, ""))
    return pd.DataFrame(
        rows, columns=["frame", "outlet", "mean", "sd", "n", "ci_low", "ci_high", "note"]
    )


def contrast_table(k: int, *, absent: str = "") -> pd.DataFrame:
    """``absent``: "b" = frame b never occurs, "ab" = neither frame occurs."""
    rng = np.random.default_rng(k + 3)
    rows = []
    for i, o in enumerate(outlets(k)):
        n = _n(i)
        a = 0.0 if "a" in absent else float(rng.uniform(0, 0.3))
        b = 0.0 if "b" in absent else float(rng.uniform(0, 0.3))
        d = a - b
        low, high = (d, d) if absent == "ab" else _interval(rng, d, n, 0.15)
        if n < 2:
            low = high = math.nan
        rows.append(
            {
                "outlet": o,
                "frame_a": "allies_divided",
                "frame_b": "never_used" if absent else "balancing_interests",
                "mean_a": a,
                "mean_b": b,
                "mean_diff": d,
                "sd": 0.15,
                "n": n,
                "ci_low": low,
                "ci_high": high,
                "p_value": 1.0 if absent == "ab" else 0.5,
                "note": "",
            }
        )
    return pd.DataFrame(rows)


def keyness_table(*, significant: bool = True) -> pd.DataFrame:
    rng = np.random.default_rng(4)
    z = rng.normal(0, 3 if significant else 0.5, size=40)
    terms = [f"term{i}" for i in range(40)]
    return pd.DataFrame({"term": terms, "z": z}).sort_values("z", ascending=False)


def topic_tables(k: int, n_topics: int = 12) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(k + 5)
    words = "city council mayor budget housing transit police school tax vote".split()
    labels = {t: ", ".join(rng.choice(words, 5, replace=False)) for t in range(n_topics)}
    terms = pd.DataFrame(
        [
            (t, r + 1, w, float(0.1 / (r + 1)))
            for t in range(n_topics)
            for r, w in enumerate(rng.choice(words, 8, replace=False))
        ],
        columns=["topic", "rank", "term", "weight"],
    )
    by_outlet, over_time = [], []
    periods = pd.date_range("2022-01-01", periods=6, freq="MS")
    for i, o in enumerate(outlets(k)):
        n = _n(i)
        for t in range(-1, n_topics):
            share = float(rng.uniform(0, 0.2)) if t != 3 else 0.0
            low, high = _interval(rng, share, n, 0.1)
            by_outlet.append(
                {
                    "outlet": o,
                    "topic": t,
                    "label": labels.get(t, "outliers"),
                    "n_docs": round(share * n),
                    "n_outlet_docs": n,
                    "n_articles": n,
                    "share": share,
                    "ci_low": max(low, 0) if not math.isnan(low) else low,
                    "ci_high": high,
                    "note": "",
                }
            )
            for p in periods:
                over_time.append(
                    {
                        "period": p,
                        "outlet": o,
                        "topic": t,
                        "label": labels.get(t, "outliers"),
                        "share": share,
                        "ci_low": max(share - 0.05, 0),
                        "ci_high": share + 0.05,
                    }
                )
    info = pd.DataFrame({"topic": list(labels), "label": list(labels.values()), "size": 10})
    return {
        "topic_terms": terms,
        "topic_info": info,
        "topics_by_outlet": pd.DataFrame(by_outlet),
        "topics_over_time": pd.DataFrame(over_time),
    }


def story_differences(k: int) -> pd.DataFrame:
    """Raw vs story-matched differences for every pair of ``k`` outlets (two measures)."""
    rng = np.random.default_rng(k)
    names = outlets(k)
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]] or [(names[0], "")]
    rows = []
    for measure in ("sentiment", "frame score"):
        for a, b in pairs:
            raw, matched = rng.normal(0, 0.1, 2)
            rows.append(
                {
                    "measure": measure,
                    "group": "",
                    "a": a,
                    "b": b,
                    "raw_diff": raw,
                    "raw_ci_low": raw - 0.05,
                    "raw_ci_high": raw + 0.05,
                    "matched_diff": matched,
                    "matched_ci_low": matched - 0.08,
                    "matched_ci_high": matched + 0.08,
                    "coverage_note": "",
                }
            )
    return pd.DataFrame(rows)


def story_exemplar_table(k: int) -> pd.DataFrame:
    """Two exemplar sentences per outlet of one story told by ``k`` outlets."""
    names = outlets(k)
    table = pd.DataFrame(
        {
            "story_id": 0,
            "story_label": "Peace talks in Istanbul end without a ceasefire",
            "outlet": np.repeat(names, 2),
            "rank": np.tile([1, 2], k),
            "text": "European allies remain split over how far to back Kyiv's demands.",
        }
    )
    table.attrs.update(outlets=names, frame="allies_divided")
    return table


def figures(k: int) -> dict[str, object]:
    """Every figure function of framing.plots, drawn for ``k`` outlets."""
    t = topic_tables(k)
    return {
        "by_outlet": lambda: plots.by_outlet(sentiment_summary(k), value_label="Mean compound"),
        "actor_by_outlet": lambda: plots.actor_by_outlet(
            actor_summary(k), value_label="Mean compound", labels=ACTORS
        ),
        "frame_prevalence": lambda: plots.frame_prevalence(prevalence_summary(k), labels=FRAMES),
        "frame_contrast": lambda: plots.frame_contrast(
            contrast_table(k), label_a="Allies divided", label_b="Balancing interests"
        ),
        "keyness": lambda: plots.keyness(
            keyness_table(), target_label=outlets(k)[0], reference_label="all other outlets"
        ),
        "topic_terms_bars": lambda: plots.topic_terms_bars(
            t["topic_terms"], labels=t["topic_info"]
        ),
        "topic_shares_by_outlet": lambda: plots.topic_shares_by_outlet(t["topics_by_outlet"]),
        "topic_shares_over_time": lambda: plots.topic_shares_over_time(
            t["topics_over_time"], topics=list(range(6))
        ),
        "story_matched_differences": lambda: plots.story_matched_differences(story_differences(k)),
        "story_exemplars": lambda: plots.story_exemplars(story_exemplar_table(k)),
    }


@pytest.fixture(autouse=True)
def _fresh_colors():
    style.reset_outlet_colors()
    yield
    style.reset_outlet_colors()


def render(fig) -> list[str]:
    """Render as a notebook would; return the warnings raised while drawing."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data, meta = fig._repr_png_()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and meta["width"] > 0
    return [str(w.message) for w in caught]


def data_area(fig) -> tuple[float, float, float]:
    """(width, height, area) of the region the visible axes span, as figure shares."""
    boxes = [ax.get_position() for ax in fig.axes if ax.get_visible()]
    width = max(b.x1 for b in boxes) - min(b.x0 for b in boxes)
    height = max(b.y1 for b in boxes) - min(b.y0 for b in boxes)
    return width, height, width * height


def test_every_plot_function_is_covered():
    names = set(figures(2))
    public = {n for n in plots.__all__ if n != "style"}
    assert names == public


@pytest.mark.parametrize("k", [1, 15])
@pytest.mark.parametrize("name", list(figures(1)))
def test_figure_keeps_its_data_area_without_layout_warnings(name, k):
    """Issue 17.9: with 13 outlets the topic figure kept ~15% of its width for data."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # colours repeat past 16 outlets
        fig = figures(k)[name]()
    caught = render(fig)
    assert not [w for w in caught if "layout" in w.lower()], caught
    width, height, area = data_area(fig)
    assert width >= 0.5 and height >= 0.45 and area >= 0.3, (name, k, width, height)
    for ax in fig.axes:  # every panel keeps a usable share, none is a sliver
        if ax.get_visible():
            assert ax.get_position().width >= 0.15 and ax.get_position().height >= 0.05


@pytest.mark.parametrize("k", [3, 15])
def test_outlets_missing_from_some_groups_keep_the_layout(k):
    """Real tables lack rows (an outlet never names an actor); nothing collapses."""
    summary = actor_summary(k)
    gaps = summary.drop(index=summary.index[::3])
    fig = plots.actor_by_outlet(gaps, value_label="x", labels=ACTORS)
    assert not [w for w in render(fig) if "layout" in w.lower()]
    assert data_area(fig)[0] >= 0.5


def test_time_axis_picks_ticks_for_a_long_period():
    t = topic_tables(3)["topics_over_time"]
    months = pd.date_range("2017-04-01", "2019-12-01", freq="MS")
    t = pd.concat([t.assign(period=p) for p in months[::5]], ignore_index=True)
    fig = plots.topic_shares_over_time(t, topics=[0, 1])
    assert render(fig) == []


def test_topic_labels_wrap_instead_of_being_cut():
    t = topic_tables(13)
    fig = plots.topic_shares_by_outlet(t["topics_by_outlet"])
    titles = [ax.get_title(loc="left") for ax in fig.axes if ax.get_visible()]
    assert len(titles) == 12
    for topic, title in enumerate(titles):
        label = t["topic_info"].set_index("topic").loc[topic, "label"]
        assert title.replace("\n", " ") == f"{topic}: {label}"
    # outlets are labelled directly (no legend to fill the top)
    assert all(ax.get_legend() is None for ax in fig.axes)
    ticks = [x.get_text() for x in fig.axes[0].get_yticklabels()]
    assert ticks[:3] == [
        "(no outlet) (n=19)",
        "Al Jazeera English (n=61)",
        "BBC News (n=40)",
    ]
    assert "The New York Times (n=1: no interval)" in ticks


def _notes(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_prevalence_shows_n_per_dot_and_no_interval():
    """Issue 17.6: n per outlet, "no interval" when n = 1 (dodged: one label per dot)."""
    summary = prevalence_summary(3)
    notes = _notes(plots.frame_prevalence(summary, labels=FRAMES).axes[0])
    assert len(notes) == len(summary)
    assert notes.count("n=1: no interval") == (summary["n"] == 1).sum() == len(FRAMES)
    assert notes.count("n=19") == notes.count("n=5") == len(FRAMES)


def test_frame_order_survives_labels_sorted_by_json():
    """As for actors: a resumed run reads labels back from JSON with sorted keys."""
    summary = prevalence_summary(2).sort_values(["frame", "outlet"])  # alphabetical rows
    alpha = dict(sorted(FRAMES.items()))
    fig = plots.frame_prevalence(summary, labels=alpha, order=list(FRAMES))
    ticks = [t.get_text().split("\n")[0] for t in fig.axes[0].get_yticklabels()]
    assert ticks[:3] == ["Allies divided", "Balancing interests", "Escalation risk"]
    typed = summary.assign(frame=pd.Categorical(summary["frame"], categories=list(FRAMES)))
    fig = plots.frame_prevalence(typed, labels=alpha)
    ticks = [t.get_text().split("\n")[0] for t in fig.axes[0].get_yticklabels()]
    assert ticks[:3] == ["Allies divided", "Balancing interests", "Escalation risk"]


def test_prevalence_small_multiples_say_n_once_per_outlet():
    fig = plots.frame_prevalence(prevalence_summary(13), labels=FRAMES)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "The New York Times (n=1: no interval)" in ticks
    assert "The Guardian (n=5)" in ticks and "(no outlet) (n=19)" in ticks
    assert all(not ax.texts for ax in fig.axes)


def test_actor_figure_shows_n_per_dot_and_no_interval():
    fig = plots.actor_by_outlet(actor_summary(3), value_label="x", labels=ACTORS)
    notes = _notes(fig.axes[0])
    assert notes.count("n=1: no interval") == len(ACTORS)
    assert notes.count("n=5") == len(ACTORS) and notes.count("n=19") == len(ACTORS)


@pytest.mark.parametrize("k", [3, 13])
def test_dots_at_zero_are_not_clipped(k):
    """A share of exactly 0 sits inside the axes, a marker's width from the spine."""
    for fig in (
        plots.frame_prevalence(prevalence_summary(k), labels=FRAMES),
        plots.topic_shares_by_outlet(topic_tables(k)["topics_by_outlet"]),
    ):
        FigureCanvasAgg(fig).draw()
        zeros = 0
        for ax in fig.axes:
            if not ax.get_visible():
                continue
            left = ax.get_window_extent().x0
            for line in ax.get_lines():
                xs = np.asarray(line.get_xdata(), dtype=float)
                if not (xs == 0).any():
                    continue
                zeros += 1
                px = ax.transData.transform((0.0, 0.0))[0]
                radius = line.get_markersize() / 72 * fig.dpi / 2
                assert px - radius >= left - 0.5
        assert zeros > 0


def test_keyness_says_when_no_term_reaches_significance():
    quiet = plots.keyness(keyness_table(significant=False), target_label="a", reference_label="b")
    assert "no term reaches significance" in quiet.axes[0].get_xlabel()
    loud = plots.keyness(keyness_table(significant=True), target_label="a", reference_label="b")
    assert "no term reaches significance" not in loud.axes[0].get_xlabel()
    # non-significant bars are pale
    alphas = {round(p.get_alpha() or 1.0, 2) for p in quiet.axes[0].patches}
    assert alphas == {0.35}
    # an empty reference name is drawn as "(no outlet)"
    blank = plots.keyness(keyness_table(), target_label="a", reference_label="")
    assert "← (no outlet)" in blank.axes[0].get_xlabel()


def _overlaps(fig) -> list[tuple[str, str]]:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    texts = [
        t
        for ax in fig.axes
        for t in [*ax.texts, ax.xaxis.label, ax.title, ax._left_title, ax._right_title]
        if t.get_visible() and t.get_text()
    ]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    return [
        (a, b)
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if box_a.overlaps(box_b)
    ]


@pytest.mark.parametrize("k", [1, 2, 13])
def test_contrast_is_ordered_by_estimate_and_its_labels_do_not_collide(k):
    """Issue 17.12: forest plots by estimate; direction labels not on top of each other."""
    table = contrast_table(k)
    fig = plots.frame_contrast(table, label_a="Allies divided", label_b="Balancing interests")
    ax = fig.axes[0]
    expected = table.sort_values("mean_diff", ascending=False)["outlet"].tolist()
    assert [t.get_text() for t in ax.get_yticklabels()] == expected
    label = ax.get_xlabel()
    assert "← more Balancing interests" in label and "more Allies divided →" in label
    assert _overlaps(fig) == []
    # by_outlet is a forest plot too
    summary = sentiment_summary(k)
    fig2 = plots.by_outlet(summary, value_label="x")
    order = summary.sort_values("mean", ascending=False)["outlet"].tolist()
    assert [t.get_text() for t in fig2.axes[0].get_yticklabels()] == order


def test_degenerate_results_are_noted_on_the_figure():
    """Issue 17.12: a frame absent in the corpus, a [0, 0] contrast."""
    fig = plots.frame_contrast(contrast_table(3, absent="b"), label_a="A", label_b="Never")
    label = fig.axes[0].get_xlabel()
    assert "“Never” absent in this corpus" in label
    assert "“A” absent" not in label and "both frames" not in label
    both = plots.frame_contrast(contrast_table(3, absent="ab"), label_a="A", label_b="B")
    label = both.axes[0].get_xlabel()
    assert "“A” absent" in label and "“B” absent" in label
    assert "both frames absent: the contrast is 0 by construction" in label
    notes = [t.get_text() for t in both.axes[0].texts]
    assert sorted(notes) == [
        "n=19; neither frame occurs",
        "n=1: no interval; neither frame occurs",
        "n=5; neither frame occurs",
    ]
    plain = plots.frame_contrast(contrast_table(3), label_a="A", label_b="B")
    assert not any("neither" in t.get_text() for t in plain.axes[0].texts)
    assert "Note" not in plain.axes[0].get_xlabel()
    fig2 = plots.frame_prevalence(prevalence_summary(3), labels=FRAMES)
    ticks = [t.get_text().replace("\n", " ") for t in fig2.axes[0].get_yticklabels()]
    assert ticks[-1] == "A frame the corpus never uses (absent in this corpus)"
    assert "1 of 6 frames never occurs in this corpus" in fig2.axes[0].get_xlabel()
    fine = plots.frame_prevalence(
        prevalence_summary(3).query("frame != 'never_used'"), labels=FRAMES
    )
    assert "Note" not in fine.axes[0].get_xlabel()


def test_figures_render_inline_as_png():
    """Issue 17.3: IPython shows image/png for our figures, whatever the backend."""
    from IPython.core.formatters import DisplayFormatter

    fig = plots.by_outlet(sentiment_summary(3), value_label="x")
    data, _ = DisplayFormatter().format(fig)
    assert "image/png" in data and data["image/png"][:4] == b"\x89PNG"


def test_contrast_axis_keeps_zero_and_few_ticks():
    """All contrasts negative: the zero line is still on the figure, ticks stay apart."""
    table = contrast_table(2).assign(
        mean_diff=[-0.0067, -0.0072], ci_low=[-0.0121, -0.0133], ci_high=[-0.0009, -0.0021]
    )
    ax = plots.frame_contrast(table, label_a="A", label_b="B").axes[0]
    low, high = ax.get_xlim()
    assert low < -0.0133 and high > 0
    assert any(list(line.get_xdata()) == [0, 0] for line in ax.get_lines())
    ticks = [t for t in ax.get_xticks() if low <= t <= high]
    assert 3 <= len(ticks) <= 6
