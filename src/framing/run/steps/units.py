"""Step ``units``: split the articles into sentences or paragraphs."""

from __future__ import annotations

from framing.run.context import StepContext, StepResult
from framing.units import split_units


def run(ctx: StepContext) -> StepResult:
    """Split ``articles`` by ``units.unit``; export units per outlet."""
    articles = ctx.tables["articles"]
    units = split_units(
        articles,
        unit=ctx.cfg.units.unit,
        language=ctx.cfg.units.language,
        show_progress=ctx.show_progress,
    )
    per_outlet = (
        units.groupby("outlet", sort=True)
        .agg(n_units=("unit_id", "size"), n_articles=("article_id", "nunique"))
        .reset_index()
    )
    per_outlet["units_per_article"] = per_outlet["n_units"] / per_outlet["n_articles"]
    result = StepResult(tables={"units": units, "units_by_outlet": per_outlet})
    result.exports["units_by_outlet"] = None
    result.counts = {
        "unit": ctx.cfg.units.unit,
        "units": len(units),
        "articles_with_units": int(units["article_id"].nunique()),
        "articles_without_text": int(len(articles) - units["article_id"].nunique()),
    }
    return result
