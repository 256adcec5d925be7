"""The per-partition tasks of the partitioned engine (:mod:`framing.run.engine`).

Each task reads one partition from disk, computes, and writes its outputs as Parquet
next to a ``.json`` receipt (written last, atomically): a partition whose receipt
exists is finished, which is how an interrupted run resumes. The tasks take plain
arguments (paths, settings), so they run the same in this process and on a Dask
worker that sees the same filesystem.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing.compare._keyness import _count_matrix
from framing.corpus.store import CorpusStore
from framing.export import atomic_write, atomic_write_text
from framing.frames import score_frames
from framing.frames.exemplars import exemplars
from framing.frames.results import FrameScoreWarning
from framing.sentiment import actors, vader
from framing.units import split_units

__all__ = ["done", "frames_task", "keyness_task", "sentiment_task", "units_task"]


def done(out: str) -> dict[str, Any] | None:
    """Return the receipt of a finished partition task, or None."""
    receipt = Path(out + ".json")
    if receipt.is_file():
        return json.loads(receipt.read_text(encoding="utf-8"))
    return None


def _write(path: str, table: pd.DataFrame) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    table = table.copy(deep=False)
    table.attrs = {}
    atomic_write(path, lambda p: table.to_parquet(p, index=False))


def _finish(out: str, receipt: dict[str, Any]) -> dict[str, Any]:
    atomic_write_text(out + ".json", json.dumps(receipt, default=str))
    return receipt


def units_task(store: str, pid: str, unit: str, language: str, out: str) -> dict[str, Any]:
    """Split one articles partition into units (:func:`framing.split_units`)."""
    articles = CorpusStore(store).read(pid, columns=["article_id", "outlet", "published", "text"])
    units = split_units(articles, unit=unit, language=language, show_progress=False)  # type: ignore[arg-type]
    _write(out + ".parquet", units)
    per_outlet = (
        units.groupby("outlet", sort=True)
        .agg(n_units=("unit_id", "size"), n_articles=("article_id", "nunique"))
        .reset_index()
    )
    return _finish(
        out,
        {
            "articles": len(articles),
            "units": len(units),
            "articles_with_units": int(units["article_id"].nunique()),
            "by_outlet": per_outlet.to_dict("records"),
        },
    )


def sentiment_task(units_path: str, unit: str, actor_set: str, out: str) -> dict[str, Any]:
    """VADER per unit and per article, actor sentiment, for one units partition."""
    units = pd.read_parquet(units_path)
    unit_scores = vader.score_units(units, unit=unit, show_progress=False)  # type: ignore[arg-type]
    article_scores = vader.score_sentiment(unit_scores, unit=unit)  # type: ignore[arg-type]
    _write(out + ".units.parquet", unit_scores)
    _write(out + ".articles.parquet", article_scores)
    receipt: dict[str, Any] = {
        "units_scored": int(unit_scores["compound"].notna().sum()),
        "articles_scored": int(article_scores["sentiment_mean"].notna().sum()),
        "non_english_units": int(unit_scores["non_english"].sum())
        if "non_english" in unit_scores
        else 0,
    }
    if actor_set:
        scores = actors.score_actor_sentiment(unit_scores, actors.load_actor_set(actor_set))
        _write(out + ".actors.parquet", scores)
        receipt["actor_mentions"] = int(scores["n_mentions"].sum())
    return _finish(out, receipt)


def frames_task(units_path: str, frame_set: str, unit: str, k: int, out: str) -> dict[str, Any]:
    """Lexicon frame scores of one units partition; exemplar candidates (top ``k``).

    The article table keeps the partition-free columns (counts, shares, densities);
    the corpus-wide ``score``, notes and summary are computed from all partitions by
    :func:`framing.run.article_parts.lexicon_frame_summary` and
    :func:`framing.run.article_parts.finish_frame_part`.
    """
    units = pd.read_parquet(units_path)
    with warnings.catch_warnings():  # said once for the corpus by the frames step
        warnings.simplefilter("ignore", FrameScoreWarning)
        scores = score_frames(units, frame_set, "lexicon", unit=unit, show_progress=False)
    _write(out + ".units.parquet", scores.units)
    _write(out + ".articles.parquet", scores.articles)
    if k:
        # the global top-k of a group is among the per-partition top-k (ties broken the
        # same way), so these candidates give exactly the exemplars of the whole corpus
        picked = set(exemplars(scores, k=k)["unit_id"])
        cand = scores.units[scores.units["unit_id"].isin(picked)]
        texts = scores.texts[scores.texts["unit_id"].isin(picked)]
        _write(out + ".cand_units.parquet", cand)
        _write(out + ".cand_texts.parquet", texts)
    present = scores.units.loc[scores.units["present"].astype(bool), "unit_id"]
    return _finish(
        out,
        {
            "units_scored": int(scores.units["unit_id"].nunique()),
            "units_with_a_frame": int(present.nunique()),
            "frame_set": scores.frame_set,
            "frame_set_version": str(scores.frame_set_version),
            "params": json.loads(json.dumps(scores.params, default=str)),
            "labels": dict(scores.labels),
            "frames": list(scores.frames),
        },
    )


def keyness_task(units_path: str, out: str) -> dict[str, Any]:
    """Term counts per outlet of one units partition (the input of keyness)."""
    units = pd.read_parquet(units_path, columns=["outlet", "text"])
    counts = pd.DataFrame(columns=["outlet", "term", "count"])
    if len(units):
        try:
            matrix, vocab = _count_matrix(units["text"], "english", (1, 1))
        except ValueError:  # no words at all in this partition
            matrix = None
        if matrix is not None:
            outlets = units["outlet"].fillna("").astype(str).to_numpy()
            pieces = []
            for outlet in sorted(set(outlets)):
                row = np.asarray(matrix.T @ (outlets == outlet).astype(float)).ravel()
                nz = row.nonzero()[0]
                pieces.append(
                    pd.DataFrame({"outlet": outlet, "term": vocab[nz], "count": row[nz]})
                )
            counts = pd.concat(pieces, ignore_index=True)
    _write(out + ".parquet", counts)
    return _finish(out, {"rows": len(counts)})
