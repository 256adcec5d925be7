"""Step ``corpus``: load and clean the corpus; summary tables, skips, cleaning audit."""

from __future__ import annotations

from typing import Any

import pandas as pd

from framing.corpus.load import load_corpus
from framing.corpus.summary import corpus_by_outlet, corpus_overview
from framing.run.config import CorpusConfig
from framing.run.context import RunError, StepContext, StepResult


def run(ctx: StepContext) -> StepResult:
    """Load ``corpus.path`` with the ``[corpus]`` mapping; export the summaries."""
    cfg: CorpusConfig = ctx.cfg.corpus
    articles = load_corpus(cfg.path, **cfg.mapping())
    report = articles.attrs.get("load_report")
    result = StepResult()
    result.tables["articles"] = articles
    result.tables["corpus_by_outlet"] = corpus_by_outlet(articles)
    result.exports["corpus_by_outlet"] = None
    result.tables["corpus_overview"] = corpus_overview(articles, report)
    result.exports["corpus_overview"] = None
    skipped = _skips_table(report)
    result.tables["corpus_skipped"] = skipped
    result.exports["corpus_skipped"] = ("csv",)
    audit = _removed_lines(report)
    result.tables["cleaning_audit"] = audit
    result.exports["cleaning_audit"] = ("csv",)
    result.tables["cleaning_summary"] = _cleaning_summary(audit)
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


def _cleaning_summary(audit: pd.DataFrame) -> pd.DataFrame:
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
