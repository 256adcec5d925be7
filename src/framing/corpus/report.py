"""The load report and the corpus summary: what was seen, loaded, skipped and why."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping as AbcMapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from framing.corpus.problems import CorpusError, Skip

__all__ = ["LoadReport", "format_summary", "get_load_report", "removed_lines", "summarize_corpus"]


_REMOVED_COLUMNS = ["article_id", "line_no", "reason", "text"]


@dataclass(eq=False)
class LoadReport(dict):
    """What :func:`load_corpus` saw, loaded, skipped and warned about.

    ``items_seen == articles_loaded + len(skipped)`` always holds. An item is a
    single-article file, a record of a multi-record file, a whole file that could
    not be read, or a manifest row whose file is missing. The report is a record
    attached to the table: copying the table shares it (it is not deep-copied),
    and two reports are equal only if they are the same object.

    As a mapping, the report holds its :meth:`summary` (counts only), so that
    pandas can store the table's ``attrs`` as JSON: ``articles.to_parquet(...)``
    keeps the summary, and ``pd.read_parquet`` gives it back as a plain ``dict``.

    Attributes
    ----------
    source : str
        The corpus path as given.
    items_seen, articles_loaded : int
        Counts.
    skipped : list of Skip
        Every item not loaded, with its reason.
    warnings : list of str
        Every warning issued while loading (decoding fallbacks, unparseable dates,
        unmapped outlet names, ...).
    removed_lines : pandas.DataFrame
        The cleaning audit: ``article_id, line_no, reason, text``, one row per line
        :func:`framing.corpus.clean.clean_page` removed from a loaded article.
    n_duplicates : int
        Articles flagged as duplicates (or dropped, with ``drop_duplicates=True``).
    """

    source: str
    items_seen: int
    articles_loaded: int
    skipped: list[Skip] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    removed_lines: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=_REMOVED_COLUMNS)
    )
    n_duplicates: int = 0

    def __post_init__(self) -> None:
        self.update(self.summary())

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    __hash__ = object.__hash__

    def __deepcopy__(self, memo: dict[int, Any]) -> LoadReport:
        return self  # a read-only record; pandas deep-copies attrs on every operation

    def __copy__(self) -> LoadReport:
        return self

    @property
    def n_skipped(self) -> int:
        """Number of items not loaded."""
        return len(self.skipped)

    def skipped_by_reason(self) -> dict[str, int]:
        """Return ``{reason: count}`` over the skipped items, most frequent first."""
        return dict(Counter(s.reason for s in self.skipped).most_common())

    def skipped_by_outlet(self) -> dict[str, dict[str, int]]:
        """Return ``{outlet: {reason: count}}`` over skipped items whose outlet is known."""
        out: dict[str, Counter[str]] = {}
        for s in self.skipped:
            if s.outlet:
                out.setdefault(s.outlet, Counter())[s.reason] += 1
        return {k: dict(v.most_common()) for k, v in sorted(out.items())}

    def summary(self) -> dict[str, Any]:
        """Return the counts of the report as plain, JSON-ready values."""
        return {
            "source": self.source,
            "items_seen": self.items_seen,
            "articles_loaded": self.articles_loaded,
            "n_skipped": self.n_skipped,
            "skipped_by_reason": self.skipped_by_reason(),
            "n_duplicates": self.n_duplicates,
            "n_removed_lines": len(self.removed_lines),
            "n_warnings": len(self.warnings),
        }

    def to_frame(self) -> pd.DataFrame:
        """Return the skipped items as a table ``source, reason, detail``."""
        return pd.DataFrame(
            [(s.source, s.reason, s.detail) for s in self.skipped],
            columns=["source", "reason", "detail"],
        )

    def __str__(self) -> str:
        lines = [
            f"Load report for {self.source}",
            f"  items seen:      {self.items_seen}",
            f"  articles loaded: {self.articles_loaded}",
            f"  items skipped:   {self.n_skipped}",
        ]
        for reason, n in self.skipped_by_reason().items():
            lines.append(f"    {n:>5}  {reason}")
        for s in self.skipped[:10]:
            lines.append(f"      - {s.detail}")
        if self.n_skipped > 10:
            lines.append(f"      ... and {self.n_skipped - 10} more (report.to_frame())")
        lines.append(f"  duplicates flagged: {self.n_duplicates}")
        lines.append(f"  lines removed by cleaning: {len(self.removed_lines)}")
        if self.warnings:
            lines.append(f"  warnings: {len(self.warnings)}")
            lines.extend(f"    - {w}" for w in self.warnings[:10])
            if len(self.warnings) > 10:
                lines.append(f"    ... and {len(self.warnings) - 10} more")
        return "\n".join(lines)


# --------------------------------------------------------------------------- reports


def get_load_report(articles: pd.DataFrame) -> LoadReport:
    """Return the :class:`LoadReport` that :func:`load_corpus` attached to ``articles``.

    Raises
    ------
    CorpusError
        If the table carries no report (it was not made by :func:`load_corpus`, or a
        pandas operation such as ``concat`` of differently loaded tables dropped
        ``attrs``).
    """
    report = articles.attrs.get("load_report")
    if not isinstance(report, LoadReport):
        raise CorpusError(
            "this table has no load report: it is attached by load_corpus() at "
            "attrs['load_report'] and some pandas operations drop attrs; "
            "keep the table returned by load_corpus()"
        )
    return report


def removed_lines(articles: pd.DataFrame, article_id: str | None = None) -> pd.DataFrame:
    """Show what the cleaner removed: ``article_id, line_no, reason, text``.

    Parameters
    ----------
    articles : pandas.DataFrame
        A table returned by :func:`load_corpus`.
    article_id : str, optional
        Only this article's lines.

    Returns
    -------
    pandas.DataFrame
        One row per removed line, in article and line order; ``line_no`` is 1-based
        in the text the cleaner received: the file as read for ``.txt`` pages, the
        extracted text (paragraphs separated by blank lines) for HTML pages and
        structured records.
    """
    table = get_load_report(articles).removed_lines
    if article_id is not None:
        if article_id not in set(articles["article_id"]):
            raise CorpusError(f"no article {article_id!r} in this table")
        table = table[table["article_id"] == article_id]
    return table.reset_index(drop=True)


def _iso(value: Any) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def summarize_corpus(articles: pd.DataFrame) -> dict[str, Any]:
    """Summarise a loaded corpus: outlets, dates, word counts, duplicates, skips.

    Returns
    -------
    dict
        JSON-serialisable: ``n_articles``, ``articles_per_outlet`` (most first),
        ``outlet_dates`` (``{outlet: [first, last]}``, ISO dates or None),
        ``outlet_undated`` (``{outlet: number of undated articles}``),
        ``date_min``/``date_max`` (ISO dates or None), ``n_undated``, ``words``
        (``min``, ``median``, ``max``, ``total``), ``n_duplicates``, and from the load
        report (when present) ``source``, ``items_seen``, ``n_skipped``,
        ``skipped_by_reason``, ``skipped_by_outlet`` (``{outlet: {reason: n}}``),
        ``skipped`` (list of ``{source, reason, detail, outlet}``),
        ``n_removed_lines`` and ``warnings``.
    """
    words = articles["n_words"]
    dates = articles["published"].dropna()
    counts = articles["outlet"].value_counts()
    by_outlet = articles.groupby("outlet")["published"].agg(["min", "max"])
    summary: dict[str, Any] = {
        "n_articles": len(articles),
        "articles_per_outlet": {str(k): int(v) for k, v in counts.items()},
        "outlet_dates": {
            str(k): [_iso(by_outlet.loc[k, "min"]), _iso(by_outlet.loc[k, "max"])]
            for k in counts.index
        },
        "outlet_undated": {
            str(k): int(v)
            for k, v in articles["published"].isna().groupby(articles["outlet"]).sum().items()
        },
        "date_min": dates.min().date().isoformat() if len(dates) else None,
        "date_max": dates.max().date().isoformat() if len(dates) else None,
        "n_undated": int(articles["published"].isna().sum()),
        "words": {
            "min": int(words.min()) if len(words) else 0,
            "median": float(words.median()) if len(words) else 0.0,
            "max": int(words.max()) if len(words) else 0,
            "total": int(words.sum()),
        },
        "n_duplicates": int((articles["duplicate_of"] != "").sum())
        if "duplicate_of" in articles
        else 0,
    }
    report = articles.attrs.get("load_report")
    if isinstance(report, LoadReport):
        summary.update(
            source=report.source,
            items_seen=report.items_seen,
            n_skipped=report.n_skipped,
            skipped_by_reason=report.skipped_by_reason(),
            skipped_by_outlet=report.skipped_by_outlet(),
            skipped=[
                {"source": s.source, "reason": s.reason, "detail": s.detail, "outlet": s.outlet}
                for s in report.skipped
            ],
            n_removed_lines=len(report.removed_lines),
            warnings=list(report.warnings),
        )
        summary["n_duplicates"] = max(summary["n_duplicates"], report.n_duplicates)
    return summary


def format_summary(summary: AbcMapping[str, Any], *, max_items: int = 20) -> str:
    """Format :func:`summarize_corpus` output as plain text for the terminal."""
    lines = []
    if summary.get("source"):
        lines.append(f"Corpus: {summary['source']}")
    lines.append(f"Articles: {summary['n_articles']}")
    lines.append("Articles per outlet:")
    skips = summary.get("skipped_by_outlet", {})
    per_outlet = list(summary["articles_per_outlet"].items())
    per_outlet += [(o, 0) for o in skips if o not in summary["articles_per_outlet"]]
    width = max([len(o or "(none)") for o, _ in per_outlet] + [6])
    dates = summary.get("outlet_dates", {})
    undated = summary.get("outlet_undated", {})
    for outlet, n in per_outlet[:max_items]:
        first, last = dates.get(outlet, [None, None])
        span = f"  {first} to {last}" if first else ("  (no dates)" if n else "")
        if first and undated.get(outlet):
            span += f" ({undated[outlet]} undated)"
        if outlet in skips:
            why = ", ".join(f"{k} {r}" for r, k in skips[outlet].items())
            span += f"  [{sum(skips[outlet].values())} skipped: {why}]"
        lines.append(f"  {outlet or '(none)':<{width}}  {n:>7}{span}")
    if len(per_outlet) > max_items:
        lines.append(f"  ... and {len(per_outlet) - max_items} more outlets")
    if summary["date_min"]:
        lines.append(
            f"Dates: {summary['date_min']} to {summary['date_max']} "
            f"({summary['n_undated']} undated)"
        )
    else:
        lines.append(f"Dates: none known ({summary['n_undated']} undated)")
    w = summary["words"]
    lines.append(
        f"Words per article: min {w['min']}, median {w['median']:g}, max {w['max']}; "
        f"total {w['total']}"
    )
    lines.append(f"Duplicates flagged: {summary['n_duplicates']}")
    if "items_seen" in summary:
        lines.append(
            f"Items seen: {summary['items_seen']}, loaded: {summary['n_articles']}, "
            f"skipped: {summary['n_skipped']}"
        )
        for reason, n in summary["skipped_by_reason"].items():
            lines.append(f"  {n:>7}  {reason}")
        for s in summary["skipped"][:max_items]:
            lines.append(f"    - {s['detail']}")
        if len(summary["skipped"]) > max_items:
            lines.append(f"    ... and {len(summary['skipped']) - max_items} more")
        lines.append(f"Lines removed by cleaning: {summary['n_removed_lines']}")
        if summary["warnings"]:
            lines.append(f"Warnings ({len(summary['warnings'])}):")
            lines.extend(f"  - {m}" for m in summary["warnings"][:max_items])
    return "\n".join(lines)
