"""Step ``compare``: outlet comparisons with bootstrap intervals and permutation tests.

Sentiment, actor sentiment, frame prevalence and contrast, topic shares (the
intervals of the topic model fitted by step ``topics``) and keyness.

Frames are compared on the article column named by ``[frames] measure``: the
headline ``score`` by default, or ``share`` (:mod:`framing.frames.headline` defines
both and their sign). Each frame table carries a ``measure`` column saying in words
which number it is (:func:`framing.frames.headline.measure_label`).
"""

from __future__ import annotations

import warnings

import pandas as pd

from framing import compare
from framing.frames.headline import measure_label
from framing.run.context import RunError, StepContext, StepResult
from framing.topics.summaries import topic_shares


def compared_outlets(ctx: StepContext) -> compare.OutletSelection:
    """Return the outlets the comparisons keep (``[compare]`` ``min_articles``, ...).

    Outlets are sized in articles with text (from the units); the same selection
    applies to the story-matched comparisons of step ``stories``.
    """
    cc = ctx.cfg.compare
    inputs = ("units", "article_sentiment", "frame_articles")
    sizes = next(
        (t for t in map(ctx.table, inputs) if t is not None),
        pd.DataFrame({"outlet": [], "article_id": []}),
    )
    return compare.select_outlets(
        compare.label_missing_outlets(sizes[["article_id", "outlet"]]),
        min_articles=cc.min_articles,
        max_outlets=cc.max_outlets,
        others=cc.other_outlets,
    )


def run(ctx: StepContext) -> StepResult:
    """Compare outlets on every measure the earlier steps produced."""
    cc = ctx.cfg.compare
    seed = ctx.cfg.seeds.random_state
    boot = {"n_boot": cc.n_boot, "ci": cc.ci, "random_state": seed}
    # pairwise tables also bootstrap the difference: same n_boot and ci as the outlets
    perm = {"n_perm": cc.n_perm, "n_boot": cc.n_boot, "ci": cc.ci, "random_state": seed}
    selection = compared_outlets(ctx)
    if selection.note:
        warnings.warn(f"compare: {selection.note}", stacklevel=1)

    def table(name: str) -> pd.DataFrame | None:
        """Return the input ``name``, outlets labelled and selected (``[compare]``)."""
        found = ctx.table(name)
        if found is None:
            return None
        return selection.apply(compare.label_missing_outlets(found))

    result = StepResult()
    sent = table("article_sentiment")
    if sent is not None:
        result.tables["sentiment_by_outlet"] = compare.outlet_summary(
            sent, "sentiment_mean", **boot
        )
        result.tables["sentiment_pairwise"] = compare.pairwise_tests(
            sent, "sentiment_mean", **perm
        )
    actor = table("actor_sentiment")
    if actor is not None and len(actor):
        result.tables["actor_sentiment_by_outlet"] = compare.outlet_summary(
            actor, "sentiment_mean", within=["actor"], **boot
        )
    _frames(ctx, result, boot, perm, table("frame_articles"))
    units = table("units")
    n_terms = ctx.cfg.frames.keyness_terms
    if units is not None and n_terms and units["outlet"].nunique() >= 2:
        result.tables["keyness"] = compare.keyness_by_outlet(units, n_terms)
    for name in result.tables:
        result.exports[name] = None
    _topics(ctx, result)
    result.counts = {name: len(table) for name, table in result.tables.items()}
    return result


def _frames(
    ctx: StepContext,
    result: StepResult,
    boot: dict,
    perm: dict,
    frame_articles: pd.DataFrame | None,
) -> None:
    if frame_articles is None:
        return
    measure = ctx.cfg.frames.measure
    label = measure_label(measure, ctx.cfg.frames.method)
    result.meta["frame_measure"] = {"column": measure, "label": label}
    result.tables["frame_prevalence"] = compare.note_absent_frames(
        compare.outlet_summary(frame_articles, measure, within=["frame"], **boot),
        frame_articles,
        value=measure,
    ).assign(measure=label)
    result.tables["frame_pairwise"] = compare.note_absent_frames(
        compare.pairwise_tests(frame_articles, measure, within=["frame"], **perm),
        frame_articles,
        value=measure,
    ).assign(measure=label)
    contrast = ctx.cfg.frames.contrast
    frames_present = set(frame_articles["frame"].unique())
    if len(contrast) != 2:
        return
    missing = [f for f in contrast if f not in frames_present]
    if missing:  # checked when the configuration is read; kept for --only runs
        raise RunError(
            f"frames.contrast names {missing}, which the frame set "
            f"{ctx.cfg.frames.frame_set!r} does not have; its frames are "
            f"{sorted(frames_present)}. Change frames.contrast in the config"
        )
    result.tables["frame_contrast"] = compare.frame_contrast(
        frame_articles,
        contrast[0],
        contrast[1],
        value=measure,
        n_perm=ctx.cfg.compare.n_perm,
        **boot,
    ).assign(measure=label)


def _topics(ctx: StepContext, result: StepResult, articles: pd.DataFrame | None = None) -> None:
    """Topic shares by outlet and period, with intervals, from the topic model's fit.

    ``articles`` needs ``article_id`` and ``published`` (default: the step table
    ``articles``; the partitioned engine passes those columns of its store).
    """
    fitted = ctx.table("topic_fit_by_outlet")
    if fitted is None:
        return
    by_outlet, over_time, notes = topic_shares(
        ctx.tables["doc_topics"],
        ctx.tables["topic_info"],
        ctx.tables["articles"] if articles is None else articles,
        fitted,
        n_boot=ctx.cfg.compare.n_boot,
        ci=ctx.cfg.compare.ci,
        random_state=ctx.cfg.seeds.random_state,
        period=ctx.cfg.topics.period,
    )
    result.tables["topics_by_outlet"] = by_outlet
    result.tables["topics_over_time"] = over_time
    result.exports["topics_by_outlet"] = None
    result.exports["topics_over_time"] = None
    result.meta["topic_shares"] = {"period": ctx.cfg.topics.period, **notes}
