"""The steps of ``framing run``: each a function from earlier tables to new tables.

Every step receives a :class:`StepContext` (the run configuration, the output folder
and the tables of the steps before it) and returns a :class:`StepResult` (new tidy
tables, which of them to export for papers, counts for the manifest). The steps only
call the analysis modules; deciding what runs, caching and writing is
:mod:`framing.run.runner`'s job.

Small summaries that exist only for the run's tables live here too:
:func:`corpus_by_outlet`, :func:`corpus_overview`, :func:`topic_documents` and
:func:`keyness_by_outlet`.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from framing.export import atomic_write_text
from framing.run.config import RunConfig

__all__ = [
    "STEP_FUNCS",
    "RunError",
    "StepContext",
    "StepResult",
    "corpus_by_outlet",
    "corpus_overview",
    "keyness_by_outlet",
    "topic_documents",
]


class RunError(RuntimeError):
    """A run cannot start or continue; the message says what to do."""


@dataclasses.dataclass
class StepResult:
    """What one step produced.

    Attributes
    ----------
    tables : dict
        Every table of the step, persisted as Parquet under ``cache/stages/<step>/``.
    exports : dict
        Table name -> formats written to ``tables/`` (``None`` = the configured
        ``tables.formats``).
    counts : dict
        Row counts and other numbers recorded in the manifest.
    meta : dict
        Other facts for the manifest (frame-set name and version, notes...).
    files : list
        Files the step wrote itself (figures, report), relative to the out folder.
    """

    tables: dict[str, pd.DataFrame] = dataclasses.field(default_factory=dict)
    exports: dict[str, Sequence[str] | None] = dataclasses.field(default_factory=dict)
    counts: dict[str, Any] = dataclasses.field(default_factory=dict)
    meta: dict[str, Any] = dataclasses.field(default_factory=dict)
    files: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class StepContext:
    """What a step reads: the configuration, the out folder and earlier tables.

    ``meta`` holds each finished step's facts (frame-set labels, figure names...).
    """

    cfg: RunConfig
    out: Path
    tables: dict[str, pd.DataFrame]
    meta: dict[str, dict[str, Any]]
    show_progress: bool
    log: Callable[[str], None]

    @property
    def cache_dir(self) -> Path:
        """The run's ``cache/`` folder (embedding cache, step tables)."""
        return self.out / "cache"

    def table(self, name: str) -> pd.DataFrame | None:
        """Return the table ``name`` if an earlier step made it, else None."""
        return self.tables.get(name)


def _step_corpus(ctx: StepContext) -> StepResult:
    import framing.corpus.load as corpus_mod

    cfg = ctx.cfg.corpus
    articles = corpus_mod.load_corpus(cfg.path, **cfg.mapping())
    report = articles.attrs.get("load_report")
    result = StepResult()
    result.tables["articles"] = articles
    result.tables["corpus_by_outlet"] = corpus_by_outlet(articles)
    result.exports["corpus_by_outlet"] = None
    overview = corpus_overview(articles, report)
    result.tables["corpus_overview"] = overview
    result.exports["corpus_overview"] = None
    skipped = _skips_table(report)
    result.tables["corpus_skipped"] = skipped
    result.exports["corpus_skipped"] = ("csv",)
    audit = _removed_lines(report)
    result.tables["cleaning_audit"] = audit
    result.exports["cleaning_audit"] = ("csv",)
    result.tables["cleaning_summary"] = _cleaning_summary(audit, len(articles))
    result.exports["cleaning_summary"] = None
    result.counts = {
        "items_seen": int(getattr(report, "items_seen", len(articles))),
        "articles": len(articles),
        "skipped": len(skipped),
        "outlets": int(articles["outlet"].nunique()),
        "words": int(articles["n_words"].sum()),
        "removed_lines": len(audit),
    }
    if "duplicate_of" in articles:
        result.counts["duplicates"] = int((articles["duplicate_of"].fillna("") != "").sum())
    if len(articles) == 0:
        raise RunError(
            f"no article could be loaded from {cfg.path}; see the skips with "
            f"`framing corpus {cfg.path}`"
        )
    return result


def corpus_by_outlet(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles, words and dates per outlet (one row per outlet, plus ``all``).

    Parameters
    ----------
    articles : pandas.DataFrame
        The ``articles`` table.

    Returns
    -------
    pandas.DataFrame
        ``outlet, n_articles, words_total, words_median, words_min, words_max,
        first_published, last_published, n_undated`` and ``n_duplicates`` when the
        table has ``duplicate_of``.
    """
    rows = []
    groups = [(str(o), g) for o, g in articles.groupby("outlet", sort=True, dropna=False)]
    if len(groups) != 1:
        groups.append(("all", articles))
    for outlet, group in groups:
        words = group["n_words"]
        row = {
            "outlet": outlet,
            "n_articles": len(group),
            "words_total": int(words.sum()),
            "words_median": float(words.median()) if len(group) else float("nan"),
            "words_min": int(words.min()) if len(group) else 0,
            "words_max": int(words.max()) if len(group) else 0,
            "first_published": group["published"].min(),
            "last_published": group["published"].max(),
            "n_undated": int(group["published"].isna().sum()),
        }
        if "duplicate_of" in group:
            row["n_duplicates"] = int((group["duplicate_of"].fillna("") != "").sum())
        rows.append(row)
    return pd.DataFrame(rows)


def corpus_overview(articles: pd.DataFrame, report: Any) -> pd.DataFrame:
    """Describe the corpus in a few numbers, as a two-column ``measure, value`` table."""
    published = articles["published"]
    items_seen = getattr(report, "items_seen", None)
    skipped = getattr(report, "skipped", [])
    rows = [
        ("items seen", items_seen if items_seen is not None else len(articles)),
        ("articles loaded", len(articles)),
        ("items skipped", len(skipped)),
        ("outlets", articles["outlet"].nunique()),
        ("words", int(articles["n_words"].sum())),
        ("first published", "" if published.isna().all() else str(published.min().date())),
        ("last published", "" if published.isna().all() else str(published.max().date())),
        ("undated articles", int(published.isna().sum())),
    ]
    if "duplicate_of" in articles:
        rows.append(("duplicates", int((articles["duplicate_of"].fillna("") != "").sum())))
    return pd.DataFrame({"measure": [r[0] for r in rows], "value": [str(r[1]) for r in rows]})


def _skips_table(report: Any) -> pd.DataFrame:
    rows = [
        {
            "source": str(getattr(s, "source", "")),
            "reason": str(getattr(s, "reason", "")),
            "detail": str(getattr(s, "detail", "")),
        }
        for s in getattr(report, "skipped", []) or []
    ]
    return pd.DataFrame(rows, columns=["source", "reason", "detail"])


def _removed_lines(report: Any) -> pd.DataFrame:
    columns = ["article_id", "line_no", "reason", "text"]
    audit = getattr(report, "removed_lines", None)
    if isinstance(audit, pd.DataFrame):
        return audit.reset_index(drop=True)
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _cleaning_summary(audit: pd.DataFrame, n_articles: int) -> pd.DataFrame:
    """Count removed lines per reason: how many lines, in how many articles."""
    if audit.empty:
        return pd.DataFrame(
            {
                "reason": pd.Series(dtype=str),
                "n_lines": pd.Series(dtype="int64"),
                "n_articles": pd.Series(dtype="int64"),
            }
        )
    summary = (
        audit.groupby("reason", sort=True)
        .agg(n_lines=("line_no", "size"), n_articles=("article_id", "nunique"))
        .reset_index()
        .sort_values(["n_lines", "reason"], ascending=[False, True], kind="stable")
    )
    return summary.reset_index(drop=True)


def _step_units(ctx: StepContext) -> StepResult:
    from framing.units import split_units

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


def _step_sentiment(ctx: StepContext) -> StepResult:
    import framing.sentiment.vader as sentiment

    units = ctx.tables["units"]
    unit_scores = sentiment.score_units(
        units, unit=ctx.cfg.units.unit, show_progress=ctx.show_progress
    )
    # score_sentiment aggregates score_units output without scoring again
    article_scores = sentiment.score_sentiment(unit_scores, unit=ctx.cfg.units.unit)
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
        import framing.sentiment.actors as actors

        actor_set = actors.load_actor_set(ctx.cfg.sentiment.actors)
        actor_scores = actors.score_actor_sentiment(unit_scores, actor_set)
        result.tables["actor_sentiment"] = actor_scores
        result.exports["actor_sentiment"] = ("csv",)
        result.counts["actor_mentions"] = int(actor_scores["n_mentions"].sum())
        result.meta["actor_set"] = {
            "name": getattr(actor_set, "name", ctx.cfg.sentiment.actors),
            "version": str(getattr(actor_set, "version", "")),
            "labels": dict(actor_set.labels),
        }
    return result


def _step_topics(ctx: StepContext) -> StepResult:
    import framing.topics.model as topics

    cfg = ctx.cfg.topics
    try:
        fitted = topics.fit_topics(
            ctx.tables["articles"],
            unit=cfg.unit,
            method=cfg.method,
            embedding_model=cfg.embedding_model or None,
            random_state=ctx.cfg.seeds.random_state,
            min_topic_size=cfg.min_topic_size or None,
            nr_topics=cfg.nr_topics or None,
            cache_dir=ctx.cache_dir / "embeddings",
            period=cfg.period,
            n_boot=ctx.cfg.compare.n_boot,
            ci=ctx.cfg.compare.ci,
            show_progress=ctx.show_progress,
        )
    except topics.TopicModelError as exc:
        # Too few documents for a topic model is a property of the corpus, not a
        # failure of the run: record it and go on without topic tables.
        warnings.warn(f"topics skipped: {exc}", stacklevel=2)
        return StepResult(meta={"skipped": str(exc)}, counts={"topics": 0})
    result = StepResult()
    for name in (
        "doc_topics",
        "topic_info",
        "topic_terms",
        "topics_by_outlet",
        "topics_over_time",
    ):
        result.tables[name] = getattr(fitted, name)
        result.exports[name] = ("csv",) if name in ("doc_topics", "topic_terms") else None
    info, docs = result.tables["topic_info"], result.tables["doc_topics"]
    result.tables["topic_documents"] = topic_documents(docs, fitted.documents)
    result.exports["topic_documents"] = ("csv",)
    result.counts = {
        "documents": len(docs),
        "topics": int((info["topic"] != -1).sum()),
        "outlier_documents": int((docs["topic"] == -1).sum()),
    }
    result.meta["params"] = json.loads(json.dumps(fitted.params, default=str))
    result.meta["notes"] = json.loads(json.dumps(fitted.notes, default=str))
    return result


def topic_documents(
    doc_topics: pd.DataFrame, documents: pd.DataFrame, *, k: int = 3
) -> pd.DataFrame:
    """Return the ``k`` documents most firmly in each topic, with their text.

    Ranked by ``probability`` (highest first), then ``unit_id`` for ties; so a
    reader can check what each topic is about before naming it.

    Returns
    -------
    pandas.DataFrame
        ``topic, rank, article_id, unit_id, outlet, probability, text``.
    """
    docs = doc_topics.merge(documents[["unit_id", "text"]], on="unit_id", how="left")
    docs = docs.sort_values(
        ["topic", "probability", "unit_id"], ascending=[True, False, True], kind="stable"
    )
    top = docs.groupby("topic", sort=True).head(k).copy()
    top.insert(1, "rank", top.groupby("topic").cumcount() + 1)
    columns = ["topic", "rank", "article_id", "unit_id", "outlet", "probability", "text"]
    return top[columns].reset_index(drop=True)


def _step_frames(ctx: StepContext) -> StepResult:
    import framing.frames as frames

    cfg = ctx.cfg.frames
    options: dict[str, Any] = {"unit": ctx.cfg.units.unit, "show_progress": ctx.show_progress}
    if cfg.threshold:
        options["threshold"] = cfg.threshold
    if cfg.method == "semantic":
        options["model"] = ctx.cfg.topics.embedding_model or None
        options["cache_dir"] = ctx.cache_dir / "embeddings"
    classifier = None
    if cfg.method == "supervised":  # issue 16: train once, reuse while codes/settings hold
        classifier = _frame_classifier(ctx)
        options["classifier"] = classifier
    scores = frames.score_frames(ctx.tables["units"], cfg.frame_set, cfg.method, **options)
    if classifier is not None:
        from framing.frames.active import with_validation

        scores = with_validation(scores, classifier)
    result = StepResult(
        tables={
            "frame_units": scores.units,
            "frame_articles": scores.articles,
            "frame_texts": scores.texts,
        }
    )
    result.exports["frame_articles"] = ("csv",)
    if scores.cv_report is not None:
        result.tables["frame_cv_report"] = scores.cv_report.reset_index()
        result.exports["frame_cv_report"] = None
    if classifier is not None and classifier.selection is not None:
        result.tables["frame_classifier_selection"] = classifier.selection
        result.exports["frame_classifier_selection"] = ("csv",)
    if cfg.exemplars:
        from framing.frames.exemplars import exemplars

        result.tables["frame_exemplars"] = exemplars(scores, k=cfg.exemplars)
        result.exports["frame_exemplars"] = ("csv",)
    result.meta["frame_set"] = {
        "name": scores.frame_set,
        "version": str(scores.frame_set_version),
        "method": scores.method,
        "params": json.loads(json.dumps(scores.params, default=str)),
        "labels": dict(scores.labels),
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
    from framing.frames.codes import training_table
    from framing.frames.supervised import train_or_load

    cfg = ctx.cfg.frames
    coded = training_table(cfg.coded, cfg.frame_set, mode=cfg.mode, units=ctx.tables["units"])
    embeddings = cfg.features != "tfidf" or cfg.backend != "lr"
    return train_or_load(
        coded,
        ctx.cache_dir / "frame_classifier",
        frames=cfg.frame_set,
        mode=cfg.mode,
        backend=cfg.backend,
        features=cfg.features,
        model=(ctx.cfg.topics.embedding_model or None) if embeddings else None,
        cache_dir=ctx.cache_dir / "embeddings",
        random_state=ctx.cfg.seeds.random_state,
    )


def _step_compare(ctx: StepContext) -> StepResult:
    from framing import compare

    cc = ctx.cfg.compare
    seed = ctx.cfg.seeds.random_state
    boot = {"n_boot": cc.n_boot, "ci": cc.ci, "random_state": seed}
    # pairwise tables also bootstrap the difference: same n_boot and ci as the outlets
    perm = {"n_perm": cc.n_perm, "n_boot": cc.n_boot, "ci": cc.ci, "random_state": seed}
    result = StepResult()
    sent = ctx.table("article_sentiment")
    if sent is not None:
        result.tables["sentiment_by_outlet"] = compare.outlet_summary(
            sent, "sentiment_mean", **boot
        )
        result.tables["sentiment_pairwise"] = compare.pairwise_tests(
            sent, "sentiment_mean", **perm
        )
    actor = ctx.table("actor_sentiment")
    if actor is not None and len(actor):
        result.tables["actor_sentiment_by_outlet"] = compare.outlet_summary(
            actor, "sentiment_mean", within=["actor"], **boot
        )
    frame_articles = ctx.table("frame_articles")
    if frame_articles is not None:
        result.tables["frame_prevalence"] = compare.outlet_summary(
            frame_articles, "share", within=["frame"], **boot
        )
        result.tables["frame_pairwise"] = compare.pairwise_tests(
            frame_articles, "share", within=["frame"], **perm
        )
        contrast = ctx.cfg.frames.contrast
        frames_present = set(frame_articles["frame"].unique())
        if len(contrast) == 2:
            missing = [f for f in contrast if f not in frames_present]
            if missing:
                raise RunError(
                    f"frames.contrast names {missing}, which the frame set "
                    f"{ctx.cfg.frames.frame_set!r} does not have; its frames are "
                    f"{sorted(frames_present)}. Change frames.contrast in the config"
                )
            result.tables["frame_contrast"] = compare.frame_contrast(
                frame_articles,
                contrast[0],
                contrast[1],
                value="share",
                n_perm=cc.n_perm,
                **boot,
            )
    units = ctx.table("units")
    n_terms = ctx.cfg.frames.keyness_terms
    if units is not None and n_terms and units["outlet"].nunique() >= 2:
        result.tables["keyness"] = keyness_by_outlet(compare, units, n_terms)
    for name in result.tables:
        result.exports[name] = None
    result.counts = {name: len(table) for name, table in result.tables.items()}
    return result


_MAX_KEYNESS_TARGETS = 6  # outlets contrasted with all others in the keyness table


def keyness_by_outlet(compare: Any, units: pd.DataFrame, n_terms: int) -> pd.DataFrame:
    """Key terms of each outlet against the other outlet(s) (Monroe et al. 2008).

    With two outlets one comparison holds both sides (negative z = typical of the
    other outlet); with more, each of the largest outlets (up to
    ``_MAX_KEYNESS_TARGETS``) is compared with all others. Keeps the ``n_terms``
    highest and lowest z per comparison.
    """
    outlets = units["outlet"].astype(str)
    sizes = outlets.value_counts()
    ordered = sorted(sizes.index, key=lambda o: (-sizes[o], o))
    if len(ordered) == 2:
        pairs = [(min(ordered), max(ordered))]
    else:
        pairs = [(o, "all other outlets") for o in ordered[:_MAX_KEYNESS_TARGETS]]
    pieces = []
    for target, reference in pairs:
        table = compare.keyness(units["text"], outlets, target=target)
        table = table.sort_values("z", ascending=False, kind="stable")
        top = pd.concat([table.head(n_terms), table.tail(n_terms)]).drop_duplicates("term")
        pieces.append(top.assign(outlet=target, reference=reference))
    out = pd.concat(pieces, ignore_index=True)
    first = ["outlet", "reference"]
    return out[[*first, *[c for c in out.columns if c not in first]]]


_MAX_TOPIC_PANELS = 12  # the largest topics drawn in the topic figures
_MAX_TIME_PANELS = 6


def _largest_topics(ctx: StepContext, n: int) -> list[int]:
    info = ctx.tables["topic_info"]
    info = info[info["topic"] != -1].sort_values(["size", "topic"], ascending=[False, True])
    return [int(t) for t in info["topic"].head(n)]


def _figure_specs(ctx: StepContext) -> list[tuple[str, Callable[[], Any]]]:
    """(name, draw) for every figure the available tables support."""
    from framing import plots

    t = ctx.tables

    def has(name: str) -> bool:
        return name in t and not t[name].empty

    specs: list[tuple[str, Callable[[], Any]]] = []
    if has("sentiment_by_outlet"):
        specs.append(
            (
                "sentiment_by_outlet",
                lambda: plots.by_outlet(
                    t["sentiment_by_outlet"], value_label="Mean VADER compound per article"
                ),
            )
        )
    if has("actor_sentiment_by_outlet"):
        specs.append(
            (
                "actor_sentiment_by_outlet",
                lambda: plots.actor_by_outlet(
                    t["actor_sentiment_by_outlet"],
                    value_label="Mean VADER compound of sentences naming the actor",
                    labels=ctx.meta.get("sentiment", {}).get("actor_set", {}).get("labels"),
                ),
            )
        )
    if has("topic_terms") and has("topic_info") and _largest_topics(ctx, 1):
        top = _largest_topics(ctx, _MAX_TOPIC_PANELS)
        specs.append(
            (
                "topic_terms",
                lambda: plots.topic_terms_bars(
                    t["topic_terms"], topics=top, labels=t["topic_info"]
                ),
            )
        )
        if has("topics_by_outlet"):
            specs.append(
                (
                    "topic_shares_by_outlet",
                    lambda: plots.topic_shares_by_outlet(t["topics_by_outlet"], topics=top),
                )
            )
        if has("topics_over_time") and t["topics_over_time"]["period"].nunique() > 1:
            few = _largest_topics(ctx, _MAX_TIME_PANELS)
            specs.append(
                (
                    "topic_shares_over_time",
                    lambda: plots.topic_shares_over_time(t["topics_over_time"], topics=few),
                )
            )
    if has("frame_prevalence"):
        labels = ctx.meta.get("frames", {}).get("frame_set", {}).get("labels")
        specs.append(
            (
                "frame_prevalence_by_outlet",
                lambda: plots.frame_prevalence(t["frame_prevalence"], labels=labels),
            )
        )
    if has("frame_contrast"):
        labels = ctx.meta.get("frames", {}).get("frame_set", {}).get("labels") or {}
        a, b = ctx.cfg.frames.contrast
        specs.append(
            (
                "frame_contrast_by_outlet",
                lambda: plots.frame_contrast(
                    t["frame_contrast"], label_a=labels.get(a, a), label_b=labels.get(b, b)
                ),
            )
        )
    if has("keyness"):
        keyness = t["keyness"]
        for (target, reference), part in keyness.groupby(["outlet", "reference"], sort=True):
            name = f"keyness_{target}" + (
                f"_vs_{reference}" if reference != "all other outlets" else ""
            )
            specs.append(
                (
                    name,
                    lambda part=part, target=target, reference=reference: plots.keyness(
                        part, n=10, target_label=str(target), reference_label=str(reference)
                    ),
                )
            )
    return specs


def _step_figures(ctx: StepContext) -> StepResult:
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")  # headless: no display needed
    import matplotlib.pyplot as plt

    from framing.export import save_figure
    from framing.plots import style

    style.register_outlets(sorted(ctx.tables["articles"]["outlet"].astype(str).unique()))
    result = StepResult()
    names = []
    for name, draw in _figure_specs(ctx):
        fig = draw()
        try:
            paths = save_figure(fig, name, ctx.out / "figures", formats=ctx.cfg.figures.formats)
        finally:
            plt.close(fig)
        result.files += [p.relative_to(ctx.out).as_posix() for p in paths]
        names.append(name)
    result.counts = {"figures": len(names)}
    result.meta["figures"] = names
    return result


def _step_report(ctx: StepContext) -> StepResult:
    from framing.run.report import build_report

    path = ctx.out / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    html = build_report(
        ctx.tables,
        ctx.out / "figures",
        manifest=manifest,
        figure_names=ctx.meta.get("figures", {}).get("figures"),
    )
    atomic_write_text(ctx.out / "report.html", html)
    return StepResult(files=["report.html"], counts={"bytes": len(html.encode("utf-8"))})


STEP_FUNCS: dict[str, Callable[[StepContext], StepResult]] = {
    "corpus": _step_corpus,
    "units": _step_units,
    "sentiment": _step_sentiment,
    "topics": _step_topics,
    "frames": _step_frames,
    "compare": _step_compare,
    "figures": _step_figures,
    "report": _step_report,
}
