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
    files were added compute only the partitions that lack a receipt. Semantic frames
    take three passes over the partitions (embed, score, finish), as their unit
    scores, cut-off and headline score depend on the whole corpus
    (:mod:`framing.run.semantic_parts`); the embeddings go through the content-hash
    cache under ``cache/embeddings/``, shared by the workers.
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

The step tables hold only summaries whose size does not grow with the number of
articles (``corpus_by_outlet``, ``frame_summary``, ``frame_exemplars``, the
comparisons...). The article-level tables (``articles`` without text,
``article_sentiment``, ``actor_sentiment``, ``frame_articles``) and the unit-level
ones (``units``, ``unit_sentiment``, ``frame_units``) stay partitioned on disk, their
folders in the manifest; the article-level ones are exported to ``tables/`` one
partition at a time and read back with :func:`framing.run.article_parts.read_table`
(:mod:`framing.run.article_parts`). So the driver's memory does not grow with the
corpus: it holds one partition's columns at a time, plus summaries. Exception, not
yet bounded: with semantic frames the driver concatenates ``frame_articles`` (one
row per article and frame) to standardise the headline score, and returns it as a
step table.

Results equal ``engine = "local"``: integer columns exactly, float columns to 1e-9
relative (sums may be added in another order). Differences by design:
near-duplicates are flagged within a partition only, and the frame headline score
(a z-score) is computed over all partitions, as locally. Semantic frames: the same
to about 1e-6 when the two runs embed separately (MiniLM's float32 vectors depend on
the batch a text is encoded in), to rounding on the same cached vectors. Topics are
fitted on a stratified sample and assigned by ``transform``
(:mod:`framing.run.topics_parts`), so they differ from an in-memory fit on every
document by design. Not yet partitioned: stories (``stories.enabled = false``),
supervised frames.
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
from framing.corpus.summary import (
    by_outlet_from_lengths,
    combine_lengths,
    length_table,
    overview_from_lengths,
)
from framing.frames.headline import semantic_score_params
from framing.frames.semantic import MIN_UNITS_TO_CENTRE, PRESENT_SD
from framing.run import article_parts, partitions, semantic_parts
from framing.run.compare_parts import compare_from_parts, compare_task, summed_counts
from framing.run.context import RunError, StepContext, StepResult
from framing.run.executor import Executor
from framing.run.keys import code_files, sha256_file, sha256_json
from framing.run.steps.compare import _topics as _topic_shares
from framing.run.steps.corpus import _cleaning_summary, _skips_table

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
    if cfg.frames.enabled and cfg.frames.method not in ("lexicon", "semantic"):
        raise RunError(
            f"the partitioned engine scores lexicon and semantic frames, not frames.method "
            f'= {cfg.frames.method!r}; set frames.method = "lexicon" or "semantic" '
            "(--set frames.method=semantic), or compute in memory with --engine local "
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
            _semantic_folder(ctx),
            RESERVOIR,
            cfg.seeds.random_state,
        ),
    }


def _semantic_folder(ctx: StepContext) -> str:
    """Return the semantic frames' partition folder (keyed on mean and cut-off), or ""."""
    if ctx.cfg.frames.method != "semantic":
        return ""
    return ctx.meta.get("frames", {}).get("frame_units_partitions", "")


def _score_params(ctx: StepContext) -> dict[str, Any] | None:
    """Return the corpus-wide numbers of the frame ``score`` (None before frames ran).

    A partition's scores depend on them (each frame's match rate over the corpus and
    the mean and SD of its evidence), so they are part of the compare key: adding
    articles changes every partition's scores, as a z-score within the corpus must.
    The frames step computes them from per-partition sums
    (:func:`framing.run.article_parts.lexicon_frame_summary`) and records them in its
    facts (``score_params``).
    """
    if ctx.cfg.frames.measure != "score":
        return None
    found = ctx.meta.get("frames", {}).get("score_params")
    if not found:
        return None
    if ctx.cfg.frames.method == "semantic":  # framing.frames.headline.semantic_score_params
        return found
    return {
        "frames": list(found["frames"]),
        **{k: np.asarray(found[k], dtype=float).tolist() for k in ("rate", "mean", "sd")},
    }


def _map(
    ctx: StepContext,
    step: str,
    task: Callable[..., dict[str, Any]],
    make: Callable[[str], tuple],
    key: str | None = None,
) -> tuple[list[str], list[dict[str, Any]]]:
    """Run ``task`` on every partition without a receipt; return (outs, receipts).

    Outputs go to ``cache/parts/<step>/<key>/``; ``key`` defaults to the step's
    settings key (:func:`_keys`).
    """
    folder = ctx.cache_dir / "parts" / step / (key or _keys(ctx)[step])
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


def _export(
    ctx: StepContext,
    result: StepResult,
    name: str,
    paths: list[str],
    finish: dict[str, Any] | None = None,
    tag: str = "",
) -> None:
    """Export the partitioned table ``name`` to ``tables/``, formatted on the workers.

    ``finish`` (``params``, ``summary``) completes ``frame_articles`` partitions;
    ``tag`` names those numbers (part of each partition's export key, so a change of
    them rewrites the file). :func:`framing.run.article_parts.export_csv`.
    """
    paths = [p for p in paths if Path(p).exists()]

    def make(todo: list[int], fragments: list[str]) -> list[dict[str, str]]:
        args = [(paths[i], finish, f) for i, f in zip(todo, fragments, strict=True)]
        return executor(ctx).map(article_parts.export_part, args, f"export {name}")

    target = article_parts.export_csv(
        ctx.out, name, [f"{p}#{tag}" for p in paths], make, ctx.cache_dir / "parts" / "exports"
    )
    result.files.append(target.relative_to(ctx.out).as_posix())


def _article_table(result: StepResult, name: str, outs: list[str], suffix: str) -> None:
    """Record where the partitions of the article-level table ``name`` are."""
    folder = str(Path(outs[0]).parent) if outs else ""
    result.meta.setdefault("article_tables", {})[name] = {"folder": folder, "suffix": suffix}


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
        rehash=ctx.force,
        **cfg.corpus.mapping(),
    )
    report = store.report(removed=False)
    pids = list(partition_ids(store))
    columns = ["article_id", "outlet", "n_words", "published", "duplicate_of"]
    lengths = combine_lengths([length_table(store.read(pid, columns=columns)) for pid in pids])
    result = StepResult()
    result.tables["corpus_by_outlet"] = by_outlet_from_lengths(lengths)
    result.exports["corpus_by_outlet"] = None
    result.tables["corpus_overview"] = overview_from_lengths(lengths, report)
    result.exports["corpus_overview"] = None
    result.tables["corpus_skipped"] = _skips_table(report)
    result.exports["corpus_skipped"] = ("csv",)
    removed = [str(store.removed_path(pid)) for pid in pids]
    _export(ctx, result, "cleaning_audit", removed)
    result.tables["cleaning_summary"] = _removed_summary(removed)
    result.exports["cleaning_summary"] = None
    result.counts = {
        "items_seen": report.items_seen,
        "articles": int(lengths["n"].sum()),
        "skipped": report.n_skipped,
        "outlets": int(lengths["outlet"].nunique()),
        "words": int((lengths["n_words"].fillna(0) * lengths["n"]).sum()),
        "removed_lines": int(result.tables["cleaning_summary"]["n_lines"].sum()),
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
    result.meta["article_tables"] = {"articles": {"folder": str(store.folder), "suffix": ""}}
    return result


def _removed_summary(paths: list[str]) -> pd.DataFrame:
    """``cleaning_summary`` from the partitions' cleaning audits, one at a time.

    Lines and articles per reason are summed over partitions (an article is in one
    partition), then ordered as :func:`framing.run.steps.corpus._cleaning_summary`.
    """
    sums = []
    for path in paths:
        if Path(path).exists():
            audit = pd.read_parquet(path, columns=["article_id", "line_no", "reason"])
            if len(audit):
                sums.append(_cleaning_summary(audit))
    if not sums:
        return _cleaning_summary(pd.DataFrame())
    total = pd.concat(sums).groupby("reason", sort=True)[["n_lines", "n_articles"]].sum()
    total = total.reset_index().sort_values(
        ["n_lines", "reason"], ascending=[False, True], kind="stable"
    )
    return total.reset_index(drop=True)


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
    result = StepResult()
    _export(ctx, result, "article_sentiment", [o + ".articles.parquet" for o in outs])
    _article_table(result, "article_sentiment", outs, ".articles.parquet")
    result.counts = {
        k: sum(r[k] for r in receipts)
        for k in ("units_scored", "articles_scored", "non_english_units")
    }
    if cfg.sentiment.actors:
        from framing.sentiment import actors

        actor_set = actors.load_actor_set(cfg.sentiment.actors)
        _export(ctx, result, "actor_sentiment", [o + ".actors.parquet" for o in outs])
        _article_table(result, "actor_sentiment", outs, ".actors.parquet")
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
    paths = [o + ".articles.parquet" for o in outs]
    params, summary = article_parts.lexicon_frame_summary(paths, first["frames"], first["labels"])
    result = StepResult(tables={"frame_summary": summary})
    result.exports["frame_summary"] = None
    tag = article_parts.params_key(params, summary)
    finish = {"params": params, "summary": summary}
    _export(ctx, result, "frame_articles", paths, finish, tag)
    _article_table(result, "frame_articles", outs, ".articles.parquet")
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
    result.meta["frame_units_partitions"] = str(Path(outs[0]).parent) if outs else ""
    result.counts = {
        "units_scored": sum(r["units_scored"] for r in receipts),
        "frames": len(first["frames"]),
        "units_with_a_frame": sum(r["units_with_a_frame"] for r in receipts),
    }
    return result


def _strict_json(value: Any) -> Any:
    """``value`` with every NaN as None (strict JSON for the manifest)."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: _strict_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strict_json(v) for v in value]
    return value


def _embedding_estimate(ctx: StepContext, embed_key: str, model: str, cache: str) -> None:
    """Print the embedding time estimate of the partitions pass 1 has not done.

    New and cached texts are counted per partition (a text new to two partitions
    counts twice), and each worker times one first batch
    (:func:`framing.run.semantic_parts.census_task`); the estimate divides the new
    texts by the workers' median rate times the number of workers.
    """
    from framing.embeddings import estimate_line, model_name

    folder = ctx.cache_dir / "parts" / "semantic_embed" / embed_key
    todo = [p for p in partition_ids(_store(ctx)) if partitions.done(str(folder / p)) is None]
    if not todo:
        return
    ex = executor(ctx)
    workers = min(ex.n_workers(), len(todo))
    args = [
        (_units_out(ctx, str(folder / p)), model, cache, i < workers) for i, p in enumerate(todo)
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
    embed_key = _key("semantic_embed", _keys(ctx)["units"], code, model)

    def units_of(out: str) -> str:
        return _units_out(ctx, out)

    _embedding_estimate(ctx, embed_key, model, cache)
    _, embedded = _map(
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
    score_key = _key("semantic_scores", embed_key, cfg.frames.frame_set, mean.tolist())
    score_folder = ctx.cache_dir / "parts" / "semantic_scores" / score_key
    _, scored = _map(
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
    frames_key = _key("frames_semantic", score_key, cut.tolist(), cfg.frames.exemplars)
    outs, receipts = _map(
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
    result.meta["score_params"] = _strict_json({"frames": frames, **score_params})
    result.meta["frame_units_partitions"] = str(Path(outs[0]).parent) if outs else ""
    result.counts = {
        "units_scored": sum(r["units_scored"] for r in receipts),
        "frames": len(first["frames"]),
        "units_with_a_frame": sum(r["units_with_a_frame"] for r in receipts),
    }
    return result


def _topics(ctx: StepContext) -> StepResult:
    """BERTopic on a stratified sample, ``transform`` per partition (topics_parts)."""
    from framing.run import topics_parts

    ex = executor(ctx)
    return topics_parts.run(ctx, _store(ctx), ex.map)


def _compare(ctx: StepContext) -> StepResult:
    cfg = ctx.cfg
    sentiment = ctx.cache_dir / "parts" / "sentiment" / _keys(ctx)["sentiment"]
    semantic = cfg.frames.method == "semantic"
    frames = (
        Path(_semantic_folder(ctx))
        if semantic
        else ctx.cache_dir / "parts" / "frames" / _keys(ctx)["frames"]
    )
    has_frames = ctx.table("frame_summary") is not None  # the frames step ran
    has_sentiment = cfg.sentiment.enabled
    actors = has_sentiment and bool(cfg.sentiment.actors)
    outs, _ = _map(
        ctx,
        "compare",
        compare_task,
        lambda out: (
            str(sentiment / Path(out).name) + ".articles.parquet" if has_sentiment else "",
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
    if ctx.table("topic_fit_by_outlet") is not None:  # from doc_topics, as in memory
        store = _store(ctx)
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
