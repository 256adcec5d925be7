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
from collections.abc import Iterable
from typing import Any

import pandas as pd

from framing import compare
from framing.frames.headline import measure_label
from framing.run.context import RunError, StepContext, StepResult
from framing.topics.summaries import topic_shares


def contrast_frames(
    cfg: Any, scored: Iterable[str], result: StepResult | None = None
) -> tuple[str, str] | None:
    """Return ``frames.contrast`` if both of its frames are among ``scored``, else None.

    A supervised classifier scores only the frames that were coded as present at
    least once (:func:`framing.frames.train_frame_classifier`), so the contrast of
    a frame never coded is left out with a warning that says what to do, also kept in
    ``result.meta["frame_contrast"]["left_out"]`` for the report. Any other
    unscored frame of the contrast is a configuration error (checked when the
    configuration is read; kept for ``--only`` runs). None also for no contrast.
    """
    contrast = tuple(cfg.frames.contrast)
    if len(contrast) != 2:
        return None
    present = {str(f) for f in scored}
    missing = [f for f in contrast if f not in present]
    if not missing:
        return (contrast[0], contrast[1])
    if cfg.frames.method == "supervised":
        note = (
            f"frames.contrast: {', '.join(map(repr, missing))} never coded as present in "
            f"{cfg.frames.coded or 'the codes'}, so the classifier does not score it and "
            "the frame contrast is left out. Code units that carry it, or set "
            f"frames.contrast to two of {sorted(present)} ([] for none)"
        )
        warnings.warn(note, stacklevel=2)
        if result is not None:
            result.meta["frame_contrast"] = {"left_out": note}
        return None
    raise RunError(
        f"frames.contrast names {missing}, which the frame set "
        f"{cfg.frames.frame_set!r} does not have; its frames are "
        f"{sorted(present)}. Change frames.contrast in the config"
    )


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
    contrast = contrast_frames(ctx.cfg, frame_articles["frame"].unique(), result)
    if contrast is None:
        return
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
