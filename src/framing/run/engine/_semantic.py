"""The partitioned engine's semantic ``frames`` step: three passes over the partitions.

See :mod:`framing.run.semantic_parts` for the tasks of each pass.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from framing.corpus.store import partition_ids
from framing.frames.headline import semantic_score_params
from framing.frames.semantic import MIN_UNITS_TO_CENTRE, PRESENT_SD
from framing.run import partitions, semantic_parts
from framing.run.context import RunError, StepContext, StepResult
from framing.run.engine._common import (
    executor,
    finish_frames_result,
    map_partitions,
    settings_key,
    step_keys,
    store_of,
    strict_json,
    units_path,
)
from framing.run.keys import code_files, sha256_file, sha256_json


def _embedding_estimate(ctx: StepContext, embed_key: str, model: str, cache: str) -> None:
    """Print the embedding time estimate of the partitions pass 1 has not done.

    New and cached texts are counted per partition (a text new to two partitions
    counts twice), and each worker times one first batch
    (:func:`framing.run.semantic_parts.census_task`); the estimate divides the new
    texts by the workers' median rate times the number of workers.
    """
    from framing.embeddings import estimate_line, model_name

    folder = ctx.cache_dir / "parts" / "semantic_embed" / embed_key
    todo = [p for p in partition_ids(store_of(ctx)) if partitions.done(str(folder / p)) is None]
    if not todo:
        return
    ex = executor(ctx)
    workers = min(ex.n_workers(), len(todo))
    args = [
        (units_path(ctx, str(folder / p)), model, cache, i < workers) for i, p in enumerate(todo)
    ]
    found = ex.map(semantic_parts.census_task, args, "semantic_census")
    rates = [r["rate"] for r in found if r["rate"]]
    n_cached = sum(r["n_cached"] for r in found)
    n_new = sum(r["n_unique"] for r in found) - n_cached
    rate = float(np.median(rates)) if rates else None
    noun = f"{ctx.cfg.units.unit}s"
    ctx.log(estimate_line(n_new, n_cached, model_name(model or None), rate, noun, workers))


def _semantic_frames(ctx: StepContext) -> StepResult:
    """Semantic frames in three passes over the partitions (:mod:`framing.run.semantic_parts`).

    The receipts of each pass are keyed on what it depends on: the embeddings on the
    units and the model; the unit scores also on the frame set and the corpus mean
    embedding; the tables also on the cut-off. Adding partitions changes the mean,
    so every partition is scored again, as a corpus-relative score must be; the
    vectors come from the cache, so nothing is embedded twice.
    """
    cfg = ctx.cfg
    model = cfg.topics.embedding_model
    cache = str(ctx.cache_dir / "embeddings")
    code = sha256_json([sha256_file(p) for p in code_files("framing.run.semantic_parts")])
    embed_key = settings_key("semantic_embed", step_keys(ctx)["units"], code, model)

    def units_of(out: str) -> str:
        return units_path(ctx, out)

    _embedding_estimate(ctx, embed_key, model, cache)
    _, embedded = map_partitions(
        ctx,
        "semantic_embed",
        semantic_parts.embed_task,
        lambda out: (units_of(out), model, cache),
        key=embed_key,
    )
    n_units = sum(int(r["n"]) for r in embedded)
    sums = [np.asarray(r["sum"], dtype=np.float64) for r in embedded if r["n"]]
    if not sums:
        raise RunError("frames: the corpus has no units to score (see the units step)")
    mean = np.sum(sums, axis=0) / n_units
    if n_units < MIN_UNITS_TO_CENTRE:
        warnings.warn(
            f"centring on the mean of only {n_units} units is unstable; score a larger "
            "corpus or set frames.threshold",
            stacklevel=2,
        )
    score_key = settings_key("semantic_scores", embed_key, cfg.frames.frame_set, mean.tolist())
    score_folder = ctx.cache_dir / "parts" / "semantic_scores" / score_key
    _, scored = map_partitions(
        ctx,
        "semantic_scores",
        semantic_parts.score_task,
        lambda out: (units_of(out), cfg.frames.frame_set, model, cache, mean.tolist()),
        key=score_key,
    )
    keys = scored[0]["frames"]
    _, unit_mean, unit_sd = semantic_parts.combine_moments(scored)
    given = bool(cfg.frames.threshold)
    cut = (
        np.full(len(keys), float(cfg.frames.threshold))
        if given
        else unit_mean + PRESENT_SD * unit_sd
    )
    params = {  # as framing.frames.score.score_frames
        "unit": cfg.units.unit,
        "threshold": dict(zip(keys, cut.tolist(), strict=True)),
        "threshold_rule": {
            k: "given" if given else f"corpus mean + {PRESENT_SD:g} SD" for k in keys
        },
        "center": True,
        "model": model or "all-MiniLM-L6-v2 (offline)",
    }
    frames_key = settings_key("frames_semantic", score_key, cut.tolist(), cfg.frames.exemplars)
    outs, receipts = map_partitions(
        ctx,
        "frames",
        semantic_parts.finish_task,
        lambda out: (
            units_of(out),
            str(score_folder / Path(out).name) + ".scores.parquet",
            cfg.frames.frame_set,
            cut.tolist(),
            params,
            cfg.units.unit,
            cfg.frames.exemplars,
        ),
        key=frames_key,
    )
    first = receipts[0]
    found = [pd.read_parquet(o + ".articles.parquet") for o in outs]
    articles = pd.concat(found, ignore_index=True) if found else pd.DataFrame()
    articles, summary = semantic_parts.finish_semantic(
        articles, first["frames"], first["labels"], first["has_terms"]
    )
    result = StepResult(tables={"frame_articles": articles, "frame_summary": summary})
    result.exports["frame_articles"] = ("csv",)
    result.exports["frame_summary"] = None
    if cfg.frames.exemplars:
        result.tables["frame_exemplars"] = semantic_parts.exemplar_candidates(
            outs, articles, summary, first, cfg.frames.exemplars
        )
        result.exports["frame_exemplars"] = ("csv",)
    result.meta["frame_set"] = {
        "name": first["frame_set"],
        "version": first["frame_set_version"],
        "method": "semantic",
        "params": params,
        "labels": first["labels"],
        "order": list(first["labels"]),
        "validated": bool(summary["validated"].all()),
        "validation": dict(zip(summary["frame"], summary["validation"], strict=True)),
    }
    result.meta["has_terms"] = bool(first["has_terms"])
    frames = list(first["frames"])
    shape = (len(articles) // max(len(frames), 1), len(frames))
    score_params = semantic_score_params(
        articles["top_k_mean"].to_numpy(dtype=float).reshape(shape),
        articles["n_matches"].to_numpy(dtype=float).reshape(shape) if first["has_terms"] else None,
        articles["n_words"].to_numpy(dtype=float).reshape(shape)[:, 0],
    )  # for the comparisons (compare_parts.compare_task); NaN as None: strict JSON
    result.meta["score_params"] = strict_json({"frames": frames, **score_params})
    return finish_frames_result(result, outs, receipts)
