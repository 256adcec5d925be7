"""Score tables of :mod:`framing.sentiment.vader`: checks, unit scoring, aggregation."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from framing._progress import progress_bar, wants_progress
from framing.schema import is_missing as _is_missing
from framing.sentiment._engine import _emoji_table, _polarity_scores
from framing.sentiment._language import _flag, _language_counts

Unit = Literal["sentence", "paragraph"]

#: Hutto & Gilbert (2014): compound >= 0.05 is positive, <= -0.05 negative.
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05

UNIT_SCORE_COLUMNS = (
    "article_id",
    "unit_id",
    "unit",
    "outlet",
    "text",
    "neg",
    "neu",
    "pos",
    "compound",
    "non_english",
)
ARTICLE_SCORE_COLUMNS = (
    "article_id",
    "outlet",
    "sentiment_mean",
    "share_positive",
    "share_negative",
    "n_units",
    "unit",
    "non_english",
)
_SCORES = ("neg", "neu", "pos", "compound")

#: Work above which ``show_progress=None`` shows a bar (in a terminal or Jupyter).
_PROGRESS_UNITS = 1000
_PROGRESS_ARTICLES = 100
#: Articles split and scored per step when an articles table is given.
_ARTICLE_CHUNK = 200


# ----------------------------------------------------------------------- helpers
def _show_progress(show_progress: bool | None, n_units: int, n_articles: int = 0) -> bool:
    """Resolve ``show_progress``; ``None`` = on for large jobs in a terminal or Jupyter."""
    large = n_units > _PROGRESS_UNITS or n_articles > _PROGRESS_ARTICLES
    return wants_progress(show_progress, large=large)


def _clean_texts(
    values: Iterable[Any], what: str, caller: str, stacklevel: int = 4
) -> list[str | None]:
    """Return texts with non-strings as None, warning about non-missing non-strings."""
    texts: list[str | None] = []
    bad: list[Any] = []
    for v in values:
        if isinstance(v, str):
            texts.append(v)
        else:
            texts.append(None)
            if not _is_missing(v):
                bad.append(v)
    if bad:
        kinds = sorted({type(v).__name__ for v in bad})
        warnings.warn(
            f"{caller}: {len(bad)} {what}(s) have non-string text ({', '.join(kinds)}, "
            f"e.g. {bad[0]!r}); their scores are NaN",
            stacklevel=stacklevel,
        )
    return texts


def _score_texts(
    texts: Sequence[str | None], *, translate_emoji: bool, progress: Any = None
) -> dict[str, np.ndarray]:
    """VADER scores and language counts for each text (NaN / 0 for missing or blank)."""
    polarity = _polarity_scores()
    table = _emoji_table() if translate_emoji else None
    n = len(texts)
    scores = {k: np.full(n, np.nan) for k in _SCORES}
    counts = np.zeros((n, 4), dtype=np.int64)
    neg, neu, pos, compound = (scores[k] for k in _SCORES)
    for i, text in enumerate(texts):
        if progress is not None:
            progress.update(1)
        if text is None or not text or text.isspace():
            continue
        counts[i] = _language_counts(text)
        if table is not None and not text.isascii():
            text = text.translate(table)
        s = polarity(text)
        neg[i], neu[i], pos[i], compound[i] = s["neg"], s["neu"], s["pos"], s["compound"]
    scores["non_english"] = _flag(*counts.T).astype(bool)
    scores["_counts"] = counts
    return scores


def _progress_bar(enabled: bool, total: int, unit: str) -> Any:
    return progress_bar(enabled, total, unit=unit, desc="VADER sentiment")


def _article_language(table: pd.DataFrame) -> np.ndarray:
    """Flag articles whose ``language`` metadata names a language other than English."""
    if "language" not in table.columns:
        return np.zeros(len(table), dtype=bool)
    lang = table["language"].astype("string").fillna("").str.strip().str.lower()
    return ((lang != "") & ~lang.str.startswith("en")).to_numpy(dtype=bool)


def _is_units(table: pd.DataFrame) -> bool:
    return "unit_id" in table.columns


def _check_units_table(table: pd.DataFrame, unit: str, text_col: str, caller: str) -> None:
    missing = [c for c in ("article_id", "unit_id", text_col) if c not in table.columns]
    if missing:
        raise ValueError(
            f"{caller}: the units table lacks column(s) {missing}; it has {list(table.columns)}"
        )
    if "unit" in table.columns:
        kinds = set(table["unit"].dropna().unique())
        if kinds and kinds != {unit}:
            raise ValueError(
                f"{caller}: the table holds {sorted(kinds)} units but unit={unit!r}; "
                f"pass unit={sorted(kinds)[0]!r} (or split the articles again)"
            )


def _check_articles_table(table: pd.DataFrame, text_col: str, caller: str) -> None:
    missing = [c for c in ("article_id", text_col) if c not in table.columns]
    if missing:
        raise ValueError(
            f"{caller}: expected an articles table (article_id, {text_col}) or a units "
            f"table (article_id, unit_id, {text_col}); column(s) {missing} are missing "
            f"from {list(table.columns)}"
        )


def _check_unit(unit: str) -> None:
    if unit not in ("sentence", "paragraph"):
        raise ValueError(f"unit must be 'sentence' or 'paragraph', got {unit!r}")


def _outlets(table: pd.DataFrame) -> pd.Series:
    if "outlet" in table.columns:
        return table["outlet"]
    return pd.Series("", index=table.index, dtype=object)


def _unit_frame(
    units: pd.DataFrame, texts: list[str | None], scored: dict[str, Any]
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": units["article_id"].to_numpy(),
            "unit_id": units["unit_id"].to_numpy(),
            "unit": units["unit"].to_numpy() if "unit" in units else None,
            "outlet": _outlets(units).to_numpy(),
            "text": texts,
            **{k: scored[k] for k in _SCORES},
            "non_english": scored["non_english"],
        },
        columns=list(UNIT_SCORE_COLUMNS),
    )


def _article_chunks(articles: pd.DataFrame, size: int) -> Iterator[pd.DataFrame]:
    for start in range(0, len(articles), size):
        yield articles.iloc[start : start + size]


def _split_and_score(
    articles: pd.DataFrame,
    unit: Unit,
    text_col: str,
    *,
    translate_emoji: bool,
    show_progress: bool | None,
    caller: str,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Split an articles table into units and score them, in chunks of articles.

    Returns the unit-score frame and the per-unit language counts.
    """
    from framing.units import split_units

    texts = _clean_texts(articles[text_col], "article", caller)
    base = pd.DataFrame(
        {
            "article_id": articles["article_id"].to_numpy(),
            "outlet": _outlets(articles).to_numpy(),
            "text": [t if t is not None else "" for t in texts],
        }
    )
    foreign_meta = dict(zip(base["article_id"], _article_language(articles), strict=True))
    bar = _progress_bar(_show_progress(show_progress, 0, len(base)), len(base), "article")
    frames, counts = [], []
    try:
        for chunk in _article_chunks(base, _ARTICLE_CHUNK):
            units = split_units(chunk, unit=unit)
            unit_texts: list[str | None] = units["text"].tolist()
            scored = _score_texts(unit_texts, translate_emoji=translate_emoji)
            frames.append(_unit_frame(units, unit_texts, scored))
            counts.append(scored["_counts"])
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()
    if frames:
        out = pd.concat(frames, ignore_index=True)
        all_counts = np.concatenate(counts)
    else:  # pragma: no cover - empty input
        out = pd.DataFrame(columns=list(UNIT_SCORE_COLUMNS))
        all_counts = np.zeros((0, 4), dtype=np.int64)
    if any(foreign_meta.values()):
        out["non_english"] = out["non_english"] | out["article_id"].map(foreign_meta).astype(bool)
    return out, all_counts


def _score_unit_table(
    units: pd.DataFrame,
    unit: Unit,
    text_col: str,
    *,
    translate_emoji: bool,
    show_progress: bool | None,
    caller: str,
) -> tuple[pd.DataFrame, np.ndarray]:
    texts = _clean_texts(units[text_col], "unit", caller)
    bar = _progress_bar(_show_progress(show_progress, len(texts)), len(texts), "unit")
    try:
        scored = _score_texts(texts, translate_emoji=translate_emoji, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    out = _unit_frame(units, texts, scored)
    if out["unit"].isna().all():
        out["unit"] = unit
    return out, scored["_counts"]


def _dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    for col in _SCORES:
        frame[col] = frame[col].astype(float)
    frame["non_english"] = frame["non_english"].astype(bool)
    return frame


def _aggregate(
    units: pd.DataFrame,
    compound: np.ndarray,
    counts: np.ndarray,
    flagged: np.ndarray,
    unit: str,
    articles: pd.DataFrame | None,
) -> pd.DataFrame:
    """Per-article means, shares and language flag from unit-level arrays."""
    scored = ~np.isnan(compound)
    frame = pd.DataFrame(
        {
            "article_id": units["article_id"].to_numpy(),
            "outlet": _outlets(units).to_numpy(),
            "compound": np.where(scored, compound, 0.0),
            "scored": scored.astype(np.int64),
            "positive": (scored & (compound >= POSITIVE_THRESHOLD)).astype(np.int64),
            "negative": (scored & (compound <= NEGATIVE_THRESHOLD)).astype(np.int64),
            "english": counts[:, 0],
            "foreign": counts[:, 1],
            "letters": counts[:, 2],
            "non_latin": counts[:, 3],
            "flagged_meta": flagged,
        }
    )
    grouped = frame.groupby("article_id", sort=False).agg(
        outlet=("outlet", "first"),
        total=("compound", "sum"),
        n_units=("scored", "sum"),
        positive=("positive", "sum"),
        negative=("negative", "sum"),
        english=("english", "sum"),
        foreign=("foreign", "sum"),
        letters=("letters", "sum"),
        non_latin=("non_latin", "sum"),
        n_flagged=("flagged_meta", "sum"),
    )
    if articles is not None:
        ids = articles["article_id"].to_numpy()
        meta_outlets = pd.Series(_outlets(articles).to_numpy(), index=ids)
        grouped = grouped.reindex(ids)
        grouped["outlet"] = meta_outlets
        for col in (
            "total",
            "n_units",
            "positive",
            "negative",
            "english",
            "foreign",
            "letters",
            "non_latin",
            "n_flagged",
        ):
            grouped[col] = grouped[col].fillna(0)
        metadata_flag = pd.Series(_article_language(articles), index=ids)
    else:
        metadata_flag = pd.Series(False, index=grouped.index)
    n = grouped["n_units"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, grouped["total"].to_numpy(dtype=float) / n, np.nan)
        share_pos = np.where(n > 0, grouped["positive"].to_numpy(dtype=float) / n, np.nan)
        share_neg = np.where(n > 0, grouped["negative"].to_numpy(dtype=float) / n, np.nan)
    language_flag = _flag(
        grouped["english"].to_numpy(),
        grouped["foreign"].to_numpy(),
        grouped["letters"].to_numpy(),
        grouped["non_latin"].to_numpy(),
    ) | (grouped["n_flagged"].to_numpy(dtype=float) * 2 > n)
    out = pd.DataFrame(
        {
            "article_id": grouped.index.to_numpy(),
            "outlet": grouped["outlet"].to_numpy(),
            "sentiment_mean": mean,
            "share_positive": share_pos,
            "share_negative": share_neg,
            "n_units": n.astype(np.int64),
            "unit": unit,
            "non_english": np.asarray(language_flag, dtype=bool)
            | metadata_flag.to_numpy(dtype=bool),
        },
        columns=list(ARTICLE_SCORE_COLUMNS),
    )
    return out
