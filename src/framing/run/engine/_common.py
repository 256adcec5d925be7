"""What the steps of the partitioned engine share: the executor, settings keys, mapping.

:func:`map_partitions` runs a task on every partition that lacks a receipt; :func:`step_keys` gives
each step's settings key (a hash of its settings, its code and the settings of the
steps it reads); :func:`export_table` writes a partitioned table to ``tables/``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from framing import __version__
from framing.compare._aggregates import RESERVOIR
from framing.corpus.store import CorpusStore, partition_ids, use_store
from framing.run import article_parts, partitions
from framing.run.context import RunError, StepContext, StepResult
from framing.run.executor import Executor
from framing.run.keys import code_files, sha256_file, sha256_json

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


def code_key() -> str:
    return sha256_json([sha256_file(p) for p in code_files("framing.run.partitions")])


def settings_key(*parts: Any) -> str:
    """Hash of settings; a setting naming an existing file adds the file's sha256."""
    items = []
    for part in parts:
        items.append(part)
        if isinstance(part, str) and part and Path(part).is_file():
            items.append(sha256_file(Path(part)))
    return hashlib.sha256(json.dumps([__version__, *items], default=str).encode()).hexdigest()[:16]


def store_of(ctx: StepContext) -> CorpusStore:
    return CorpusStore(ctx.cache_dir / "store")


def step_keys(ctx: StepContext) -> dict[str, str]:
    cfg = ctx.cfg
    code = code_key()
    units = settings_key("units", code, cfg.units.unit, cfg.units.language)
    return {
        "units": units,
        "sentiment": settings_key("sentiment", units, cfg.sentiment.actors),
        "frames": settings_key("frames", units, cfg.frames.frame_set, cfg.frames.exemplars),
        "keyness": settings_key("keyness", units),
        "compare": settings_key(
            "compare",
            sha256_json([sha256_file(p) for p in code_files("framing.run.compare_parts")]),
            settings_key("sentiment", units, cfg.sentiment.actors),
            settings_key("frames", units, cfg.frames.frame_set, cfg.frames.exemplars),
            cfg.frames.enabled,
            list(cfg.frames.contrast),
            cfg.frames.measure,
            task_score_params(ctx),
            semantic_folder(ctx),
            RESERVOIR,
            cfg.seeds.random_state,
        ),
    }


def semantic_folder(ctx: StepContext) -> str:
    """Return the semantic frames' partition folder (keyed on mean and cut-off), or ""."""
    if ctx.cfg.frames.method != "semantic":
        return ""
    return ctx.meta.get("frames", {}).get("frame_units_partitions", "")


def score_params(ctx: StepContext) -> dict[str, Any] | None:
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


def task_score_params(ctx: StepContext) -> dict[str, Any] | None:
    """Return the ``score_params`` the compare tasks need: the semantic ones, else None.

    The lexicon score's partitions are reduced to moments that do not depend on
    them (:func:`framing.run.compare_parts.compare_task`), so a change of the
    corpus-wide numbers re-reduces no partition; the driver applies them.
    """
    return score_params(ctx) if ctx.cfg.frames.method == "semantic" else None


def map_partitions(
    ctx: StepContext,
    step: str,
    task: Callable[..., dict[str, Any]],
    make: Callable[[str], tuple],
    key: str | None = None,
) -> tuple[list[str], list[dict[str, Any]]]:
    """Run ``task`` on every partition without a receipt; return (outs, receipts).

    Outputs go to ``cache/parts/<step>/<key>/``; ``key`` defaults to the step's
    settings key (:func:`step_keys`).
    """
    folder = ctx.cache_dir / "parts" / step / (key or step_keys(ctx)[step])
    pids = list(partition_ids(store_of(ctx)))
    outs = [str(folder / pid) for pid in pids]
    receipts = [partitions.done(o) for o in outs]
    todo = [i for i, r in enumerate(receipts) if r is None]
    if len(todo) < len(pids):
        ctx.log(f"{step}: {len(pids) - len(todo)} of {len(pids)} partition(s) already done")
    results = executor(ctx).map(task, [(*make(outs[i]), outs[i]) for i in todo], step)
    for i, res in zip(todo, results, strict=True):
        receipts[i] = res
    return outs, receipts  # type: ignore[return-value]


def units_path(ctx: StepContext, pid_out: str) -> str:
    pid = Path(pid_out).name
    return str(ctx.cache_dir / "parts" / "units" / step_keys(ctx)["units"] / pid) + ".parquet"


def export_table(
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


def record_article_table(result: StepResult, name: str, outs: list[str], suffix: str) -> None:
    """Record where the partitions of the article-level table ``name`` are."""
    folder = str(Path(outs[0]).parent) if outs else ""
    result.meta.setdefault("article_tables", {})[name] = {"folder": folder, "suffix": suffix}


def strict_json(value: Any) -> Any:
    """``value`` with every NaN as None (strict JSON for the manifest)."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: strict_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [strict_json(v) for v in value]
    return value


def finish_frames_result(
    result: StepResult, outs: list[str], receipts: list[dict[str, Any]]
) -> StepResult:
    """Add what both frames methods report: the partitions' folder and the counts."""
    result.meta["frame_units_partitions"] = str(Path(outs[0]).parent) if outs else ""
    result.counts = {
        "units_scored": sum(r["units_scored"] for r in receipts),
        "frames": len(receipts[0]["frames"]),
        "units_with_a_frame": sum(r["units_with_a_frame"] for r in receipts),
    }
    return result
