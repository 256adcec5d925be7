"""Step ``figures``: every figure the tables support, as PDF/SVG/PNG."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from typing import Any

from framing import plots
from framing.export import save_figure
from framing.plots import style
from framing.run.context import StepContext, StepResult

_MAX_TOPIC_PANELS = 12  # the largest topics drawn in the topic figures
_MAX_TIME_PANELS = 6
# matplotlib's layout engines warn when a figure is too crowded to lay out; the figure
# is still written, and the message means nothing to a reader of the run's output
_LAYOUT_WARNINGS = r"(?s).*(constrained_layout|[Tt]ight layout|tight_layout).*"


def run(ctx: StepContext) -> StepResult:
    """Draw and save every figure; return the files written."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")  # headless: no display needed
    import matplotlib.pyplot as plt

    style.register_outlets(_outlets(ctx))
    result = StepResult()
    names = []
    for name, draw in _figure_specs(ctx):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=_LAYOUT_WARNINGS, category=UserWarning)
            fig = draw()
            try:
                paths = save_figure(
                    fig, name, ctx.out / "figures", formats=ctx.cfg.figures.formats
                )
            finally:
                plt.close(fig)
        result.files += [p.relative_to(ctx.out).as_posix() for p in paths]
        names.append(name)
    result.counts = {"figures": len(names)}
    result.meta["figures"] = names
    return result


def _outlets(ctx: StepContext) -> list[str]:
    """Return the corpus's outlets, sorted: from ``articles``, or from ``corpus_by_outlet``.

    The partitioned engine keeps ``articles`` on disk (:mod:`framing.run.engine`);
    its per-outlet summary has one row per outlet, plus ``all`` when there is not
    exactly one.
    """
    articles = ctx.table("articles")
    if articles is not None:
        return sorted(articles["outlet"].astype(str).unique())
    by_outlet = ctx.table("corpus_by_outlet")
    if by_outlet is None:
        return []
    names = by_outlet["outlet"].astype(str).tolist()
    return sorted(names if len(names) == 1 else names[:-1])


def _largest_topics(ctx: StepContext, n: int) -> list[int]:
    info = ctx.tables["topic_info"]
    info = info[info["topic"] != -1].sort_values(["size", "topic"], ascending=[False, True])
    return [int(t) for t in info["topic"].head(n)]


def _figure_specs(ctx: StepContext) -> list[tuple[str, Callable[[], Any]]]:
    """(name, draw) for every figure the available tables support."""
    t = ctx.tables

    def has(name: str) -> bool:
        return name in t and not t[name].empty

    specs: list[tuple[str, Callable[[], Any]]] = []
    if has("sentiment_by_outlet"):
        specs.append(
            (
                "sentiment_by_outlet",
                lambda: plots.by_outlet(
                    t["sentiment_by_outlet"], value_label="Mean VADER compound per article"
                ),
            )
        )
    if has("actor_sentiment_by_outlet"):
        specs.append(
            (
                "actor_sentiment_by_outlet",
                lambda: plots.actor_by_outlet(
                    t["actor_sentiment_by_outlet"],
                    value_label="Mean VADER compound of sentences naming the actor",
                    labels=ctx.meta.get("sentiment", {}).get("actor_set", {}).get("labels"),
                    order=ctx.meta.get("sentiment", {}).get("actor_set", {}).get("order"),
                ),
            )
        )
    if has("topic_terms") and has("topic_info") and _largest_topics(ctx, 1):
        specs += _topic_specs(ctx)
    frame_set = ctx.meta.get("frames", {}).get("frame_set", {})
    validation = _validation_caption(frame_set.get("validation"))
    if has("frame_prevalence"):
        labels = frame_set.get("labels")
        specs.append(
            (
                "frame_prevalence_by_outlet",
                lambda: plots.frame_prevalence(
                    t["frame_prevalence"],
                    labels=labels,
                    order=frame_set.get("order"),
                    validation=validation,
                ),
            )
        )
    if has("frame_contrast"):
        labels = ctx.meta.get("frames", {}).get("frame_set", {}).get("labels") or {}
        a, b = ctx.cfg.frames.contrast
        specs.append(
            (
                "frame_contrast_by_outlet",
                lambda: plots.frame_contrast(
                    t["frame_contrast"],
                    label_a=labels.get(a, a),
                    label_b=labels.get(b, b),
                    validation=validation,
                ),
            )
        )
    if "story_matched_differences" in t:
        specs.append(
            (
                "story_matched_differences",
                lambda: plots.story_matched_differences(t["story_matched_differences"]),
            )
        )
    if has("story_exemplars"):
        specs.append(("story_exemplars", lambda: plots.story_exemplars(t["story_exemplars"])))
    if has("keyness"):
        keyness = t["keyness"]
        for (target, reference), part in keyness.groupby(["outlet", "reference"], sort=True):
            name = f"keyness_{target}" + (
                f"_vs_{reference}" if reference != "all other outlets" else ""
            )
            specs.append(
                (
                    name,
                    lambda part=part, target=target, reference=reference: plots.keyness(
                        part, n=10, target_label=str(target), reference_label=str(reference)
                    ),
                )
            )
    return specs


def _topic_specs(ctx: StepContext) -> list[tuple[str, Callable[[], Any]]]:
    t = ctx.tables
    top = _largest_topics(ctx, _MAX_TOPIC_PANELS)
    specs: list[tuple[str, Callable[[], Any]]] = [
        (
            "topic_terms",
            lambda: plots.topic_terms_bars(t["topic_terms"], topics=top, labels=t["topic_info"]),
        )
    ]
    if "topics_by_outlet" in t and not t["topics_by_outlet"].empty:
        specs.append(
            (
                "topic_shares_by_outlet",
                lambda: plots.topic_shares_by_outlet(t["topics_by_outlet"], topics=top),
            )
        )
    over_time = t.get("topics_over_time")
    if over_time is not None and not over_time.empty and over_time["period"].nunique() > 1:
        few = _largest_topics(ctx, _MAX_TIME_PANELS)
        specs.append(
            (
                "topic_shares_over_time",
                lambda: plots.topic_shares_over_time(t["topics_over_time"], topics=few),
            )
        )
    return specs


def _validation_caption(status: dict[str, str] | None) -> str | None:
    """One caption line for a frame figure from the frame step's per-frame status.

    ``None`` (no status recorded) lets the figure say "not validated on this corpus".
    """
    if not status:
        return None
    distinct = sorted(set(status.values()))
    if len(distinct) == 1:
        return distinct[0]
    return "validation differs by frame: see tables/frame_summary.csv"
