"""Step ``frames``: frame scores per unit and article, exemplar sentences."""

from __future__ import annotations

import json
from typing import Any

from framing._progress import interactive
from framing.frames import score_frames
from framing.frames.exemplars import exemplars
from framing.run.context import StepContext, StepResult


def run(ctx: StepContext) -> StepResult:
    """Score ``units`` with the frame set and method of ``[frames]``."""
    cfg = ctx.cfg.frames
    # the embedding model's tqdm bar only for someone watching (in a log, its \r
    # updates pile up; the run's heartbeat says the step is working)
    options: dict[str, Any] = {
        "unit": ctx.cfg.units.unit,
        "show_progress": ctx.show_progress and interactive(),
    }
    if cfg.threshold:
        options["threshold"] = cfg.threshold
    if cfg.method == "semantic":
        options["model"] = ctx.cfg.topics.embedding_model or None
        options["cache_dir"] = ctx.cache_dir / "embeddings"
    if cfg.method == "supervised":
        options["coded"] = cfg.coded
        options["features"] = cfg.features
        if cfg.features != "tfidf":
            options["model"] = ctx.cfg.topics.embedding_model or None
            options["cache_dir"] = ctx.cache_dir / "embeddings"
    scores = score_frames(ctx.tables["units"], cfg.frame_set, cfg.method, **options)
    result = StepResult(
        tables={
            "frame_units": scores.units,
            "frame_articles": scores.articles,
            "frame_texts": scores.texts,
        }
    )
    result.exports["frame_articles"] = ("csv",)
    if scores.summary is not None:
        result.tables["frame_summary"] = scores.summary
        result.exports["frame_summary"] = None
    if scores.cv_report is not None:
        result.tables["frame_cv_report"] = scores.cv_report
        result.exports["frame_cv_report"] = None
    if cfg.exemplars:
        result.tables["frame_exemplars"] = exemplars(scores, k=cfg.exemplars)
        result.exports["frame_exemplars"] = ("csv",)
    result.meta["frame_set"] = {
        "name": scores.frame_set,
        "version": str(scores.frame_set_version),
        "method": scores.method,
        "params": json.loads(json.dumps(scores.params, default=str)),
        "labels": dict(scores.labels),
        "validated": bool(scores.summary is not None and scores.summary["validated"].all()),
        "validation": (
            dict(zip(scores.summary["frame"], scores.summary["validation"], strict=True))
            if scores.summary is not None
            else {}
        ),
    }
    present = scores.units.loc[scores.units["present"].astype(bool), "unit_id"]
    result.counts = {
        "units_scored": int(scores.units["unit_id"].nunique()),
        "frames": int(scores.articles["frame"].nunique()),
        "units_with_a_frame": int(present.nunique()),
    }
    return result
