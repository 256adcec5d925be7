"""The partitioned engine's ``corpus`` and ``units`` steps: the store, then units per partition."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from framing.corpus.store import build_store, partition_ids
from framing.corpus.summary import (
    by_outlet_from_lengths,
    combine_lengths,
    length_table,
    overview_from_lengths,
)
from framing.run import partitions
from framing.run.context import StepContext, StepResult
from framing.run.engine._common import check, executor, export_table, map_partitions, store_of
from framing.run.steps.corpus import _cleaning_summary, _skips_table


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
    export_table(ctx, result, "cleaning_audit", removed)
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
    store = str(store_of(ctx).folder)
    outs, receipts = map_partitions(
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
