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
            if frame == "never_used":
                mean, low, high = 0.0, 0.0, 0.0
            elif frame == "escalation_risk" and i % 2 == 0:
                mean, low, high = 0.0, 0.0, 0.0  # a share of exactly 0
            else:
                mean = float(rng.uniform(0.02, 0.3))
                low, high = _interval(rng, mean, n, 0.1)
                low = max(low, 0.0) if not math.isnan(low) else low
            rows.append((frame, o, mean, 0.1, n, low, high, ""))
    return pd.DataFrame(
        rows, columns=["frame", "outlet", "mean", "sd", "n", "ci_low", "ci_high", "note"]
    )


def contrast_table(k: int, *, absent: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(k + 3)
    rows = []
    for i, o in enumerate(outlets(k)):
        n = _n(i)
        if absent:
            a = b = d = 0.0
            low = high = (0.0, 0.0)[0] if n > 1 else math.nan
            high = low
        else:
            a, b = float(rng.uniform(0, 0.3)), float(rng.uniform(0, 0.3))
            d = a - b
            low, high = _interval(rng, d, n, 0.15)
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
                "p_value": 1.0 if absent else 0.5,
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


def data_area(fig) -> float:
    """Share of the figure covered by the visible axes (after layout)."""
    return sum(
        ax.get_position().width * ax.get_position().height for ax in fig.axes if ax.get_visible()
    )


def test_every_plot_function_is_covered():
    names = set(figures(2))
    public = {n for n in plots.__all__ if n != "style"}
    assert names == public


@pytest.mark.parametrize("k", [1, 15])
@pytest.mark.parametrize("name", list(figures(1)))
def test_figure_keeps_its_data_area_without_layout_warnings(name, k):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # colours repeat past 16 outlets
        fig = figures(k)[name]()
    caught = render(fig)
    assert not [w for w in caught if "layout" in w.lower()], caught
    area = data_area(fig)
    assert area >= 0.4, f"{name} with {k} outlets: axes cover {area:.0%} of the figure"
    widths = [ax.get_position().width for ax in fig.axes if ax.get_visible()]
    # panels share the width; a single panel keeps at least half of it
    assert sum(widths) / max(1, len({round(ax.get_position().y0, 3) for ax in fig.axes})) >= 0.5
