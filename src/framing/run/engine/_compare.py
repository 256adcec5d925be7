"""The partitioned engine's ``topics`` and ``compare`` steps, and keyness from summed counts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from framing import compare
from framing.compare._aggregates import RESERVOIR
from framing.compare._keyness import keyness_of_outlets
from framing.corpus.store import partition_ids
from framing.run import partitions
from framing.run.compare_parts import compare_from_parts, compare_task, summed_counts
from framing.run.context import StepContext, StepResult
from framing.run.engine._common import (
    executor,
    map_partitions,
    score_params,
    semantic_folder,
    step_keys,
    store_of,
    task_score_params,
    units_path,
)
from framing.run.steps.compare import _topics as _topic_shares


def _topics(ctx: StepContext) -> StepResult:
    """BERTopic on a stratified sample, ``transform`` per partition (topics_parts)."""
    from framing.run import topics_parts

    ex = executor(ctx)
    return topics_parts.run(ctx, store_of(ctx), ex.map)


def _compare(ctx: StepContext) -> StepResult:
    cfg = ctx.cfg
    sentiment = ctx.cache_dir / "parts" / "sentiment" / step_keys(ctx)["sentiment"]
    semantic = cfg.frames.method == "semantic"
    frames = (
        Path(semantic_folder(ctx))
        if semantic
        else ctx.cache_dir / "parts" / "frames" / step_keys(ctx)["frames"]
    )
    has_frames = ctx.table("frame_summary") is not None  # the frames step ran
    has_sentiment = cfg.sentiment.enabled
    actors = has_sentiment and bool(cfg.sentiment.actors)
    outs, _ = map_partitions(
        ctx,
        "compare",
        compare_task,
        lambda out: (
            str(sentiment / Path(out).name) + ".articles.parquet" if has_sentiment else "",
            str(sentiment / Path(out).name) + ".actors.parquet" if actors else "",
            str(frames / Path(out).name) + ".articles.parquet" if has_frames else "",
            list(cfg.frames.contrast),
            cfg.frames.measure,
            task_score_params(ctx),
            RESERVOIR,
            cfg.seeds.random_state,
        ),
    )
    order = list(partition_ids(store_of(ctx)))
    result, selection = compare_from_parts(ctx, outs, order, score_params(ctx))
    if ctx.table("topic_fit_by_outlet") is not None:  # from doc_topics, as in memory
        store = store_of(ctx)
        dates = pd.concat(
            [store.read(pid, columns=["article_id", "published"]) for pid in order],
            ignore_index=True,
        )
        _topic_shares(ctx, result, dates)
    n_terms = cfg.frames.keyness_terms
    units_by_outlet = ctx.table("units_by_outlet")
    if not n_terms or units_by_outlet is None or selection is None:
        return result
    per_outlet = selection.apply(compare.label_missing_outlets(units_by_outlet))
    n_units = per_outlet.groupby("outlet")["n_units"].sum()
    if len(n_units) < 2:
        return result
    outs, _ = map_partitions(
        ctx, "keyness", partitions.keyness_task, lambda out: (units_path(ctx, out),)
    )
    folder = ctx.cache_dir / "parts" / "keyness_sum" / step_keys(ctx)["keyness"]
    counts = summed_counts(outs, folder)  # outlets x terms rows, cached for re-runs
    if counts is None:
        return result
    counts = selection.apply(counts)
    result.tables["keyness"] = keyness_from_counts(counts, n_units, n_terms)
    result.exports["keyness"] = None
    result.counts["keyness"] = len(result.tables["keyness"])
    return result


def keyness_from_counts(counts: pd.DataFrame, sizes: pd.Series, n_terms: int) -> pd.DataFrame:
    """:func:`framing.compare.keyness_by_outlet` from ``outlet, term, count`` rows.

    ``sizes`` (units per outlet) orders the targets as ``keyness_by_outlet`` does.
    """
    table = counts.groupby(["outlet", "term"], sort=True)["count"].sum().unstack(fill_value=0)
    table = table.reindex(columns=sorted(table.columns))
    names = [str(o) for o in table.index]
    return keyness_of_outlets(table.reset_index(drop=True), names, sizes, n_terms)
