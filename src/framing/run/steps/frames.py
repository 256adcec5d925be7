"""Step ``frames``: frame scores per unit and article, exemplar sentences."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from framing._progress import interactive
from framing.embeddings import estimate_to
from framing.frames import score_frames
from framing.frames.active import with_validation
from framing.frames.codes import training_table
from framing.frames.exemplars import exemplars
from framing.frames.supervised import train_or_load
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
    classifier = None
    if cfg.method == "supervised":  # issue 16: train once, reuse while codes/settings hold
        classifier = _frame_classifier(ctx)
        options["classifier"] = classifier
    # the embedding time estimate (framing.embeddings), before a long embedding starts
    with estimate_to(ctx.log, f"{ctx.cfg.units.unit}s"):
        scores = score_frames(ctx.tables["units"], cfg.frame_set, cfg.method, **options)
    if classifier is not None:
        scores = with_validation(scores, classifier)
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
        result.tables["frame_cv_report"] = scores.cv_report.reset_index()
        result.exports["frame_cv_report"] = None
    if classifier is not None and classifier.selection is not None:
        result.tables["frame_classifier_selection"] = classifier.selection
        result.exports["frame_classifier_selection"] = ("csv",)
    if cfg.exemplars:
        result.tables["frame_exemplars"] = exemplars(scores, k=cfg.exemplars)
        result.exports["frame_exemplars"] = ("csv",)
    result.meta["frame_set"] = {
        "name": scores.frame_set,
        "version": str(scores.frame_set_version),
        "method": scores.method,
        "params": json.loads(json.dumps(scores.params, default=str)),
        "labels": dict(scores.labels),
        # the frame set's order (manifest records are written with sorted keys)
        "order": list(scores.labels),
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


def _frame_classifier(ctx: StepContext) -> Any:
    """Issue 16: the supervised classifier of ``frames.coded``, trained or reused."""
    cfg = ctx.cfg.frames
    coded = training_table(cfg.coded, cfg.frame_set, mode=cfg.mode, units=ctx.tables["units"])
    return frame_classifier(ctx.cfg, coded, ctx.cache_dir)


def frame_classifier(run_cfg: Any, coded: pd.DataFrame, cache_dir: Path) -> Any:
    """Train the run's supervised classifier on ``coded``, or reuse the saved one.

    One place for the settings of ``[frames]`` (mode, backend, features,
    ``setfit_steps``), the embedding model and the seed, so that ``framing code
    report`` and ``framing run`` train, and reuse, the same model
    (:func:`framing.frames.supervised.train_or_load`, under ``cache_dir``).
    """
    cfg = run_cfg.frames
    embeddings = cfg.features != "tfidf" or cfg.backend != "lr"
    setfit = {"setfit_options": {"max_steps": cfg.setfit_steps}} if cfg.backend != "lr" else {}
    return train_or_load(
        coded,
        cache_dir / "frame_classifier",
        frames=cfg.frame_set,
        mode=cfg.mode,
        backend=cfg.backend,
        features=cfg.features,
        model=(run_cfg.topics.embedding_model or None) if embeddings else None,
        cache_dir=cache_dir / "embeddings",
        random_state=run_cfg.seeds.random_state,
        **setfit,
    )
