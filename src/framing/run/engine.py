"""The partitioned engine of ``framing run``: corpora larger than memory, on Dask.

Selected by ``[run]`` (``--engine``, ``--scheduler``): with ``store =
"partitioned"``, with ``store = "auto"`` above
:data:`framing.corpus.store.AUTO_STORE_BYTES` of corpus files, or with ``engine =
"dask"``, the steps ``corpus``, ``units``, ``sentiment``, ``frames`` and ``compare``
run here instead of in their step modules:

corpus
    :func:`framing.corpus.store.build_store` under ``cache/store/``: one Parquet
    partition per group of files, loaded as tasks; new files go to new partitions.
topics
    BERTopic fitted on a sample stratified by outlet and month, then ``transform``
    of every partition (:mod:`framing.run.topics_parts`); two disjoint samples give
    a stability table. Topic assignments differ from the in-memory fit on every
    document by design; the topic shares are computed by ``compare`` as in memory.
units, sentiment, frames
    one task per partition (:mod:`framing.run.partitions`), outputs under
    ``cache/parts/<step>/<settings>/<partition>``. The settings part is a hash of the
    step's settings, its code and the settings of the steps it reads, so a finished
    partition is never computed twice: re-runs, interrupted runs and runs after new
    files were added compute only the partitions that lack a receipt.
compare
    the tables of :mod:`framing.run.steps.compare` from per-partition aggregates
    (:mod:`framing.run.compare_parts`): each partition is reduced on a worker to
    sufficient statistics and a bottom-k sample per outlet, cached like the other
    partition outputs, and combined on the driver, which never reads the article
    tables for comparing. Outlets of at most
    :data:`~framing.compare._aggregates.RESERVOIR` articles get exactly the
    in-memory statistics; larger ones normal/Welch approximations, noted in the
    row (:mod:`framing.compare._aggregates`). Keyness from term counts summed over
    partitions (the same counts, so the same z-scores).

The step tables hold what later steps read: ``articles`` without its ``text``
column, ``article_sentiment``, ``actor_sentiment``, ``frame_articles``,
``frame_summary``, ``frame_exemplars`` and the summaries. The unit-level tables
(``units``, ``unit_sentiment``, ``frame_units``) stay partitioned on disk; their
folders are in the manifest.

Results equal ``engine = "local"``: integer columns exactly, float columns to 1e-9
relative (sums may be added in another order). Differences by design:
near-duplicates are flagged within a partition only, and the frame headline score
(a z-score) is computed over all partitions, as locally. Not yet partitioned:
stories (``stories.enabled = false``), semantic and supervised frames.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing import __version__, compare
from framing.compare._aggregates import RESERVOIR
from framing.compare._keyness import _MAX_KEYNESS_TARGETS
from framing.corpus.store import CorpusStore, build_store, partition_ids, use_store
from framing.corpus.summary import corpus_by_outlet, corpus_overview
from framing.frames.exemplars import exemplars
from framing.frames.headline import (
    LEXICON_KIND,
    frame_summary,
    lexicon_evidence,
    lexicon_score_params,
    standardise,
    validation_status,
)
from framing.frames.results import FrameScores, FrameScoreWarning
from framing.run import partitions
from framing.run.compare_parts import compare_from_parts, compare_task, summed_counts
from framing.run.context import RunError, StepContext, StepResult
from framing.run.executor import Executor
from framing.run.keys import code_files, sha256_file, sha256_json
from framing.run.steps.compare import _topics as _topic_shares
from framing.run.steps.corpus import _cleaning_summary, _removed_lines, _skips_table

__all__ = ["PARTITIONED_STEPS", "check", "close", "partitioned", "run_step"]

PARTITIONED_STEPS = ("corpus", "units", "sentiment", "topics", "frames", "compare")
_EXECUTORS: dict[int, Executor] = {}


def partitioned(cfg: Any) -> bool:
    """Whether this run uses the partitioned engine (see the module docstring)."""
    return use_store(cfg.run.store, Path(cfg.corpus.path), cfg.run.engine)


def check(cfg: Any) -> None:
    """Refuse settings the partitioned engine does not support yet, saying what to do."""
    if cfg.topics.enabled and cfg.topics.method != "bertopic":
        raise RunError(
            f"the partitioned engine fits BERTopic only, not topics.method = "
            f'{cfg.topics.method!r}; set topics.method = "bertopic" (--set '
            "topics.method=bertopic) or topics.enabled = false, or compute in memory with "
            "--engine local --set run.store=memory"
        )
    if cfg.topics.enabled and cfg.topics.unit in ("paragraph", "sentence"):
        raise RunError(
            f"the partitioned engine models whole articles, not topics.unit = "
            f'{cfg.topics.unit!r}; set topics.unit = "article" (--set topics.unit=article), '
            "or compute in memory with --engine local --set run.store=memory"
        )
    if cfg.stories.enabled:
        raise RunError(
            'the partitioned engine ([run] engine = "dask", or [run] store = "partitioned", '
            'or "auto" above 1 GiB of files) does not find stories yet; set '
            "stories.enabled = false (--set stories.enabled=false), or compute in memory "
            "with --engine local --set run.store=memory"
        )
    if cfg.frames.enabled and cfg.frames.method != "lexicon":
        raise RunError(
            f"the partitioned engine scores lexicon frames only, not frames.method = "
            f'{cfg.frames.method!r}; set frames.method = "lexicon" '
            "(--set frames.method=lexicon), or compute in memory with --engine local "
            "--set run.store=memory"
        )


def executor(ctx: StepContext) -> Executor:
    """Return the run's executor (one per run; Dask starts on the first task)."""
    found = _EXECUTORS.get(id(ctx))
    if found is None:
        found = _EXECUTORS[id(ctx)] = Executor(ctx.cfg.run.engine, ctx.cfg.run.scheduler, ctx.log)
    return found


def close(ctx: StepContext) -> None:
    """Shut down the run's Dask client and LocalCluster, if any."""
    found = _EXECUTORS.pop(id(ctx), None)
    if found is not None:
        found.close()


def run_step(name: str, ctx: StepContext) -> StepResult:
    """Run step ``name`` partition by partition."""
    return {
        "corpus": _corpus,
        "units": _units,
        "sentiment": _sentiment,
        "topics": _topics,
        "frames": _frames,
        "compare": _compare,
    }[name](ctx)


# --------------------------------------------------------------------------- helpers
def _code() -> str:
    return sha256_json([sha256_file(p) for p in code_files("framing.run.partitions")])


def _key(*parts: Any) -> str:
    """Hash of settings; a setting naming an existing file adds the file's sha256."""
    items = []
    for part in parts:
        items.append(part)
        if isinstance(part, str) and part and Path(part).is_file():
            items.append(sha256_file(Path(part)))
    return hashlib.sha256(json.dumps([__version__, *items], default=str).encode()).hexdigest()[:16]


def _store(ctx: StepContext) -> CorpusStore:
    return CorpusStore(ctx.cache_dir / "store")


def _keys(ctx: StepContext) -> dict[str, str]:
    cfg = ctx.cfg
    code = _code()
    units = _key("units", code, cfg.units.unit, cfg.units.language)
    return {
        "units": units,
        "sentiment": _key("sentiment", units, cfg.sentiment.actors),
        "frames": _key("frames", units, cfg.frames.frame_set, cfg.frames.exemplars),
        "keyness": _key("keyness", units),
        "compare": _key(
            "compare",
            sha256_json([sha256_file(p) for p in code_files("framing.run.compare_parts")]),
            _key("sentiment", units, cfg.sentiment.actors),
            _key("frames", units, cfg.frames.frame_set, cfg.frames.exemplars),
            cfg.frames.enabled,
            list(cfg.frames.contrast),
            cfg.frames.measure,
            _score_params(ctx),
            RESERVOIR,
            cfg.seeds.random_state,
        ),
    }


def _score_params(ctx: StepContext) -> dict[str, list] | None:
    """Return the corpus-wide numbers of the lexicon ``score`` (None before frames ran).

    A partition's scores depend on them (each frame's match rate over the corpus and
    the mean and SD of its evidence), so they are part of the compare key: adding
    articles changes every partition's scores, as a z-score within the corpus must.
    """
    if ctx.cfg.frames.measure != "score":
        return None
    articles = ctx.table("frame_articles")
    if articles is None or not len(articles):
        return None
    frames = list(dict.fromkeys(articles["frame"].astype(str)))
    shape = (len(articles) // len(frames), len(frames))
    n_matches = articles["n_matches"].to_numpy(dtype=float).reshape(shape)
    n_words = articles["n_words"].to_numpy(dtype=float).reshape(shape)[:, 0]
    return {"frames": frames, **lexicon_score_params(n_matches, n_words)}


def _map(
    ctx: StepContext, step: str, task: Callable[..., dict[str, Any]], make: Callable[[str], tuple]
) -> tuple[list[str], list[dict[str, Any]]]:
    """Run ``task`` on every partition without a receipt; return (outs, receipts)."""
    folder = ctx.cache_dir / "parts" / step / _keys(ctx)[step]
    pids = list(partition_ids(_store(ctx)))
    outs = [str(folder / pid) for pid in pids]
    receipts = [partitions.done(o) for o in outs]
    todo = [i for i, r in enumerate(receipts) if r is None]
    if len(todo) < len(pids):
        ctx.log(f"{step}: {len(pids) - len(todo)} of {len(pids)} partition(s) already done")
    results = executor(ctx).map(task, [(*make(outs[i]), outs[i]) for i in todo], step)
    for i, res in zip(todo, results, strict=True):
        receipts[i] = res
    return outs, receipts  # type: ignore[return-value]


def _units_out(ctx: StepContext, pid_out: str) -> str:
    pid = Path(pid_out).name
    return str(ctx.cache_dir / "parts" / "units" / _keys(ctx)["units"] / pid) + ".parquet"


def _concat(paths: list[str]) -> pd.DataFrame:
    found = [pd.read_parquet(p) for p in paths if Path(p).exists()]
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame()


# --------------------------------------------------------------------------- steps
def _corpus(ctx: StepContext) -> StepResult:
    cfg = ctx.cfg
    check(cfg)
    ex = executor(ctx)
    store = build_store(
        cfg.corpus.path,
        ctx.cache_dir / "store",
        partition_mb=cfg.run.partition_mb,
        mapper=lambda f, a: ex.map(f, a, "corpus"),
        log=ctx.log,
        **cfg.corpus.mapping(),
    )
    report = store.report()
    articles = store.read_all()
    articles = articles.drop(columns=["text"])
    result = StepResult()
    result.tables["articles"] = articles
    result.tables["corpus_by_outlet"] = corpus_by_outlet(articles)
    result.exports["corpus_by_outlet"] = None
    result.tables["corpus_overview"] = corpus_overview(articles, report)
    result.exports["corpus_overview"] = None
    result.tables["corpus_skipped"] = _skips_table(report)
    result.exports["corpus_skipped"] = ("csv",)
    audit = _removed_lines(report)
    result.tables["cleaning_audit"] = audit
    result.exports["cleaning_audit"] = ("csv",)
    result.tables["cleaning_summary"] = _cleaning_summary(audit)
    result.exports["cleaning_summary"] = None
    result.counts = {
        "items_seen": report.items_seen,
        "articles": len(articles),
        "skipped": report.n_skipped,
        "outlets": int(articles["outlet"].nunique()),
        "words": int(articles["n_words"].sum()),
        "removed_lines": len(audit),
        "partitions": len(store.partitions),
    }
    if report.skipped:
        warnings.warn(
            f"loaded {report.articles_loaded} of {report.items_seen} item(s); skipped "
            f"{report.n_skipped} {report.skipped_by_reason()}. See "
            "tables/corpus_skipped.csv",
            stacklevel=2,
        )
    result.meta["store"] = str(store.folder)
    return result


def _units(ctx: StepContext) -> StepResult:
    cfg = ctx.cfg
    store = str(_store(ctx).folder)
    outs, receipts = _map(
        ctx,
        "units",
        partitions.units_task,
        lambda out: (store, Path(out).name, cfg.units.unit, cfg.units.language),
    )
    rows = [r for rec in receipts for r in rec["by_outlet"]]
    per_outlet = (
        pd.DataFrame(rows, columns=["outlet", "n_units", "n_articles"])
        .groupby("outlet", sort=True)[["n_units", "n_articles"]]
        .sum()
        .reset_index()
    )
    per_outlet["units_per_article"] = per_outlet["n_units"] / per_outlet["n_articles"]
    result = StepResult(tables={"units_by_outlet": per_outlet})
    result.exports["units_by_outlet"] = None
    n_with = sum(r["articles_with_units"] for r in receipts)
    result.counts = {
        "unit": cfg.units.unit,
        "units": sum(r["units"] for r in receipts),
        "articles_with_units": n_with,
        "articles_without_text": sum(r["articles"] for r in receipts) - n_with,
    }
    result.meta["units_partitions"] = str(Path(outs[0]).parent) if outs else ""
    return result


def _sentiment(ctx: StepContext) -> StepResult:
    cfg = ctx.cfg
    outs, receipts = _map(
        ctx,
        "sentiment",
        partitions.sentiment_task,
        lambda out: (_units_out(ctx, out), cfg.units.unit, cfg.sentiment.actors),
    )
    result = StepResult(
        tables={"article_sentiment": _concat([o + ".articles.parquet" for o in outs])}
    )
    result.exports["article_sentiment"] = ("csv",)
    result.counts = {
        k: sum(r[k] for r in receipts)
        for k in ("units_scored", "articles_scored", "non_english_units")
    }
    if cfg.sentiment.actors:
        from framing.sentiment import actors

        actor_set = actors.load_actor_set(cfg.sentiment.actors)
        result.tables["actor_sentiment"] = _concat([o + ".actors.parquet" for o in outs])
        result.exports["actor_sentiment"] = ("csv",)
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
    outs, receipts = _map(
        ctx,
        "frames",
        partitions.frames_task,
        lambda out: (
            _units_out(ctx, out),
            cfg.frames.frame_set,
            cfg.units.unit,
            cfg.frames.exemplars,
        ),
    )
    first = receipts[0]
    articles = _concat([o + ".articles.parquet" for o in outs])
    articles, summary = finish_frames(articles, first["frames"], first["labels"])
    result = StepResult(tables={"frame_articles": articles, "frame_summary": summary})
    result.exports["frame_articles"] = ("csv",)
    result.exports["frame_summary"] = None
    if cfg.frames.exemplars:
        cand = FrameScores(
            units=_concat([o + ".cand_units.parquet" for o in outs]),
            articles=articles,
            texts=_concat([o + ".cand_texts.parquet" for o in outs]),
            frame_set=first["frame_set"],
            frame_set_version=first["frame_set_version"],
            method="lexicon",
            params=first["params"],
            labels=first["labels"],
            summary=summary,
        )
        result.tables["frame_exemplars"] = exemplars(cand, k=cfg.frames.exemplars)
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
    result.meta["frame_units_partitions"] = str(Path(outs[0]).parent) if outs else ""
    result.counts = {
        "units_scored": sum(r["units_scored"] for r in receipts),
        "frames": len(first["frames"]),
        "units_with_a_frame": sum(r["units_with_a_frame"] for r in receipts),
    }
    return result


def finish_frames(
    articles: pd.DataFrame, frames: list[str], labels: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compute the corpus-wide columns of the lexicon ``frame_articles`` table.

    The headline ``score`` is the lexicon evidence standardised over every article
    of the corpus (:func:`framing.frames.headline.lexicon_evidence`); coverage,
    SD, notes and validation status as :func:`framing.frames.results.assemble`.
    """
    n_frames = len(frames)
    n_art = len(articles) // n_frames if n_frames else 0
    per_1k = articles["per_1k_words"].to_numpy(dtype=float).reshape(n_art, n_frames)
    n_matches = articles["n_matches"].to_numpy(dtype=float).reshape(n_art, n_frames)
    has_units = articles["n_units"].to_numpy().reshape(n_art, n_frames)[:, 0] > 0
    n_words = articles["n_words"].to_numpy(dtype=float).reshape(n_art, n_frames)[:, 0]
    headline, constant = standardise(lexicon_evidence(n_matches, n_words))
    reach = n_matches > 0
    coverage = reach[has_units].mean(axis=0) if has_units.any() else np.zeros(n_frames)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        score_sd = np.nanstd(per_1k, axis=0)
    summary = frame_summary(
        frames,
        labels,
        method="lexicon",
        coverage=np.asarray(coverage, dtype=float),
        constant=constant,
        score_sd=np.asarray(score_sd, dtype=float),
        status=validation_status(None, frames),
        score_kind=LEXICON_KIND,
    )
    flagged = summary.loc[summary["note"] != "", ["frame", "note"]]
    if len(flagged):  # the warning of framing.frames.results.assemble, for the corpus
        shown = "; ".join(f"{r.frame!r}: {r.note}" for r in flagged.head(4).itertuples())
        more = (
            f" (and {len(flagged) - 4} more; see FrameScores.summary)" if len(flagged) > 4 else ""
        )
        warnings.warn(
            f"{len(flagged)} frame(s) say little on this corpus: {shown}{more}",
            FrameScoreWarning,
            stacklevel=2,
        )
    out = articles.copy()
    out["score"] = headline.ravel()
    for column in ("validated", "validation", "validation_f1", "validation_auc", "note"):
        out[column] = np.tile(summary[column].to_numpy(), n_art)
    out["validation_n"] = np.tile(summary["validation_n"].to_numpy(), n_art).astype("int64")
    return out, summary


def _topics(ctx: StepContext) -> StepResult:
    """BERTopic on a stratified sample, ``transform`` per partition (topics_parts)."""
    from framing.run import topics_parts

    ex = executor(ctx)
    return topics_parts.run(ctx, _store(ctx), ex.map)


def _compare(ctx: StepContext) -> StepResult:
    cfg = ctx.cfg
    sentiment = ctx.cache_dir / "parts" / "sentiment" / _keys(ctx)["sentiment"]
    frames = ctx.cache_dir / "parts" / "frames" / _keys(ctx)["frames"]
    has_frames = ctx.table("frame_summary") is not None  # the frames step ran
    actors = bool(cfg.sentiment.actors)
    outs, _ = _map(
        ctx,
        "compare",
        compare_task,
        lambda out: (
            str(sentiment / Path(out).name) + ".articles.parquet",
            str(sentiment / Path(out).name) + ".actors.parquet" if actors else "",
            str(frames / Path(out).name) + ".articles.parquet" if has_frames else "",
            list(cfg.frames.contrast),
            cfg.frames.measure,
            _score_params(ctx),
            RESERVOIR,
            cfg.seeds.random_state,
        ),
    )
    order = list(partition_ids(_store(ctx)))
    result, selection = compare_from_parts(ctx, outs, order)
    _topic_shares(ctx, result)  # from the article-level doc_topics, as in memory
    n_terms = cfg.frames.keyness_terms
    units_by_outlet = ctx.table("units_by_outlet")
    if not n_terms or units_by_outlet is None or selection is None:
        return result
    per_outlet = selection.apply(compare.label_missing_outlets(units_by_outlet))
    n_units = per_outlet.groupby("outlet")["n_units"].sum()
    if len(n_units) < 2:
        return result
    outs, _ = _map(ctx, "keyness", partitions.keyness_task, lambda out: (_units_out(ctx, out),))
    folder = ctx.cache_dir / "parts" / "keyness_sum" / _keys(ctx)["keyness"]
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
    outlets = pd.Series(table.index.astype(str), index=table.index)
    ordered = sorted(sizes.index.astype(str), key=lambda o: (-sizes[o], o))
    if len(ordered) == 2:
        pairs = [(min(ordered), max(ordered))]
    else:
        pairs = [(o, "all other outlets") for o in ordered[:_MAX_KEYNESS_TARGETS]]
    pieces = []
    for target, reference in pairs:
        k = compare.keyness(table, outlets.to_numpy(), target=target)
        k = k.sort_values("z", ascending=False, kind="stable")
        top = pd.concat([k.head(n_terms), k.tail(n_terms)]).drop_duplicates("term")
        pieces.append(top.assign(outlet=target, reference=reference))
    out = pd.concat(pieces, ignore_index=True)
    first = ["outlet", "reference"]
    return out[[*first, *[c for c in out.columns if c not in first]]]
