"""Step ``sentiment``: VADER per unit and per article; actor sentiment."""

from __future__ import annotations

from framing.run.context import StepContext, StepResult
from framing.sentiment import actors, vader


def run(ctx: StepContext) -> StepResult:
    """Score every unit, aggregate per article; score the actor list if one is set."""
    units = ctx.tables["units"]
    unit_scores = vader.score_units(
        units, unit=ctx.cfg.units.unit, show_progress=ctx.show_progress
    )
    # score_sentiment aggregates score_units output without scoring again
    article_scores = vader.score_sentiment(unit_scores, unit=ctx.cfg.units.unit)
    result = StepResult(
        tables={"unit_sentiment": unit_scores, "article_sentiment": article_scores}
    )
    result.exports["article_sentiment"] = ("csv",)
    result.counts = {
        "units_scored": int(unit_scores["compound"].notna().sum()),
        "articles_scored": int(article_scores["sentiment_mean"].notna().sum()),
        "non_english_units": int(unit_scores["non_english"].sum())
        if "non_english" in unit_scores
        else 0,
    }
    if ctx.cfg.sentiment.actors:
        actor_set = actors.load_actor_set(ctx.cfg.sentiment.actors)
        actor_scores = actors.score_actor_sentiment(unit_scores, actor_set)
        result.tables["actor_sentiment"] = actor_scores
        result.exports["actor_sentiment"] = ("csv",)
        result.counts["actor_mentions"] = int(actor_scores["n_mentions"].sum())
        result.meta["actor_set"] = {
            "name": getattr(actor_set, "name", ctx.cfg.sentiment.actors),
            "version": str(getattr(actor_set, "version", "")),
            "labels": dict(actor_set.labels),
            # the actor list's order (manifest records are written with sorted keys)
            "order": list(actor_set.labels),
        }
    return result
