"""The partitioned engine's ``sentiment`` and lexicon ``frames`` steps, a task per partition."""

from __future__ import annotations

from pathlib import Path

from framing.run import article_parts, partitions
from framing.run.context import StepContext, StepResult
from framing.run.engine._common import (
    export_table,
    finish_frames_result,
    map_partitions,
    record_article_table,
    units_path,
)
from framing.run.engine._semantic import _semantic_frames


def _sentiment(ctx: StepContext) -> StepResult:
    cfg = ctx.cfg
    outs, receipts = map_partitions(
        ctx,
        "sentiment",
        partitions.sentiment_task,
        lambda out: (units_path(ctx, out), cfg.units.unit, cfg.sentiment.actors),
    )
    result = StepResult()
    export_table(ctx, result, "article_sentiment", [o + ".articles.parquet" for o in outs])
    record_article_table(result, "article_sentiment", outs, ".articles.parquet")
    result.counts = {
        k: sum(r[k] for r in receipts)
        for k in ("units_scored", "articles_scored", "non_english_units")
    }
    if cfg.sentiment.actors:
        from framing.sentiment import actors

        actor_set = actors.load_actor_set(cfg.sentiment.actors)
        export_table(ctx, result, "actor_sentiment", [o + ".actors.parquet" for o in outs])
        record_article_table(result, "actor_sentiment", outs, ".actors.parquet")
        result.counts["actor_mentions"] = sum(r.get("actor_mentions", 0) for r in receipts)
        result.meta["actor_set"] = {
            "name": getattr(actor_set, "name", cfg.sentiment.actors),
            "version": str(getattr(actor_set, "version", "")),
            "labels": dict(actor_set.labels),
        }
    result.meta["unit_sentiment_partitions"] = str(Path(outs[0]).parent) if outs else ""
    return result


def _frames(ctx: StepContext) -> StepResult:
    cfg = ctx.cfg
    if cfg.frames.method == "semantic":
        return _semantic_frames(ctx)
    outs, receipts = map_partitions(
        ctx,
        "frames",
        partitions.frames_task,
        lambda out: (
            units_path(ctx, out),
            cfg.frames.frame_set,
            cfg.units.unit,
            cfg.frames.exemplars,
        ),
    )
    first = receipts[0]
    paths = [o + ".articles.parquet" for o in outs]
    params, summary = article_parts.lexicon_frame_summary(paths, first["frames"], first["labels"])
    result = StepResult(tables={"frame_summary": summary})
    result.exports["frame_summary"] = None
    tag = article_parts.params_key(params, summary)
    finish = {"params": params, "summary": summary}
    export_table(ctx, result, "frame_articles", paths, finish, tag)
    record_article_table(result, "frame_articles", outs, ".articles.parquet")
    result.meta["score_params"] = article_parts.json_params(params)
    if cfg.frames.exemplars:
        result.tables["frame_exemplars"] = article_parts.fold_exemplars(
            outs, cfg.frames.exemplars, first, summary
        )
        result.exports["frame_exemplars"] = ("csv",)
    result.meta["frame_set"] = {
        "name": first["frame_set"],
        "version": first["frame_set_version"],
        "method": "lexicon",
        "params": first["params"],
        "labels": first["labels"],
        "validated": bool(summary["validated"].all()),
        "validation": dict(zip(summary["frame"], summary["validation"], strict=True)),
    }
    return finish_frames_result(result, outs, receipts)
