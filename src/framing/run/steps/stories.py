"""Step ``stories``: stories across outlets, selection, story-matched comparison.

Finds the stories (:func:`framing.stories.find_stories`, embeddings cached with the
other steps'), then compares outlets within the stories both cover, next to the raw
difference, for every measure the earlier steps produced: the frame measure of
``[frames] measure`` (headline score by default, or share), the frame contrast,
sentiment, actor sentiment and topic shares.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pandas as pd

from framing.run.context import StepContext, StepResult
from framing.run.steps.compare import compared_outlets, contrast_frames
from framing.stories import story_measures, story_tables

# tables written to tables/: None = the configured formats, ("csv",) = CSV only
_EXPORTS = {
    "stories": ("csv",),
    "story_summary": ("csv",),
    "story_selection": None,
    "story_coverage_over_time": ("csv",),
    "story_coverage_windows": None,
    "story_matched_differences": None,
    "story_exemplars": ("csv",),
}


def _exemplar_frame(ctx: StepContext, frame_articles: pd.DataFrame | None) -> str | None:
    """Pick the first frame of the contrast, else the frame with the highest mean share."""
    if frame_articles is None or frame_articles.empty or not ctx.cfg.stories.exemplars:
        return None
    contrast = ctx.cfg.frames.contrast
    if contrast and contrast[0] in set(frame_articles["frame"]):
        return contrast[0]
    return str(frame_articles.groupby("frame")["share"].mean().idxmax())


def run(ctx: StepContext) -> StepResult:
    """Find stories and compare outlets within them (``[stories]``, ``[compare]``)."""
    cfg, cc = ctx.cfg.stories, ctx.cfg.compare
    frame_articles = ctx.table("frame_articles")
    contrast = None
    if frame_articles is not None:
        contrast = contrast_frames(ctx.cfg, frame_articles["frame"].unique())
    measures = story_measures(
        frame_articles=frame_articles,
        contrast=contrast,
        article_sentiment=ctx.table("article_sentiment"),
        actor_sentiment=ctx.table("actor_sentiment"),
        doc_topics=ctx.table("doc_topics"),
        frame_value=ctx.cfg.frames.measure,
    )
    scores = None
    if frame_articles is not None and ctx.table("frame_units") is not None:
        scores = SimpleNamespace(
            units=ctx.table("frame_units"),
            articles=frame_articles,
            texts=ctx.table("frame_texts"),
            summary=ctx.table("frame_summary"),
        )
    tables = story_tables(
        ctx.tables["articles"],
        measures,
        frame_scores=scores,
        exemplar_frame=_exemplar_frame(ctx, frame_articles),
        exemplars_k=max(cfg.exemplars, 1),
        cache_dir=ctx.cache_dir / "embeddings",
        embedding_model=ctx.cfg.topics.embedding_model or None,
        n_boot=cc.n_boot,
        n_perm=cc.n_perm,
        ci=cc.ci,
        random_state=ctx.cfg.seeds.random_state,
        window=cfg.window,
        threshold=cfg.threshold or "auto",
        resolution=cfg.resolution,
        chance_links=cfg.chance_links,
        max_links=cfg.max_links,
        outlets=compared_outlets(ctx).apply,  # the outlets step compare compares
    )
    result = StepResult(tables=tables)
    result.exports = {name: _EXPORTS[name] for name in tables}
    stories = tables["stories"]
    summary = tables["story_summary"]
    multi = stories["story_n_outlets"] >= 2
    result.counts = {
        "stories": len(summary),
        "multi_outlet_stories": int(summary["multi_outlet"].sum()),
        "articles_in_multi_outlet_stories": int(multi.sum()),
        "matched_rows": len(tables["story_matched_differences"]),
    }
    params = stories.attrs.get("stories_params", {})
    result.meta["params"] = json.loads(json.dumps(params, default=str))
    without = tables["story_matched_differences"].attrs.get("pairs_without_shared_stories")
    if without:  # their raw differences are in step compare's pairwise tables
        result.meta["pairs_without_shared_stories"] = int(without)
    reason = tables["story_matched_differences"].attrs.get("reason")
    if reason:
        result.meta["matched_note"] = reason
    notes = [n for n in tables["story_coverage_windows"].get("note", []) if n]
    if notes:
        result.meta["coverage_windows"] = notes
    return result
