"""The semantic frame method in the partitioned engine: three passes over the partitions.

A semantic unit score is centred on the corpus's mean unit embedding, its default
``present`` cut-off is the corpus's mean + :data:`~framing.frames.semantic.PRESENT_SD`
standard deviations of each frame's unit scores, and the headline score is
standardised over every article (:mod:`framing.frames.headline`). No partition can be
scored alone, so :func:`framing.run.engine` runs three tasks per partition, each
reading its inputs from disk and writing a receipt like the other partition tasks
(:mod:`framing.run.partitions`), and combines their small results on the driver:

0. :func:`census_task` counts the partition's new and cached texts and times a
   first batch on each worker, for the time estimate printed before embedding
   (:func:`framing.embeddings.estimate_line`).
1. :func:`embed_task` embeds the partition's units through the content-hash cache
   (:mod:`framing.embeddings`; a text already in the cache, from another partition
   or an earlier run, is not embedded again) and returns the sum and number of the
   normalised vectors. The driver adds them up: the corpus mean embedding.
2. :func:`score_task` scores the units against the frame prototypes, centred on
   that mean (:func:`framing.frames.semantic.semantic_similarity`; the vectors come
   from the cache), counts the frames' terms, writes both, and returns each frame's
   number of unit scores, mean and sum of squared deviations. The driver pools them
   (Chan, Golub & LeVeque 1983): the corpus mean and SD, hence the cut-off.
3. :func:`finish_task` marks ``present`` and builds the unit and article tables of
   :func:`framing.frames.results.assemble` for the partition, with the exemplar
   candidates. The corpus-wide headline ``score``, coverage and notes come from the
   article table on the driver (:func:`finish_semantic`), as in memory.

Two workers that meet the same new text in two partitions at the same moment may
both embed it (the cache keeps both copies, which differ by float32 rounding at
most); once a text is in the cache no partition or later run embeds it again. Each
worker process reads the whole cache into memory (:mod:`framing.embeddings`), about
1.5 kB per distinct text with MiniLM: bounded by the corpus, not by the partition.

Results equal ``engine = "local"`` on the same vectors up to rounding (sums in
another order; a unit whose score lies within that rounding of the cut-off could
flip). Embeddings made in another batch by MiniLM differ by float32 rounding, so
runs with separate caches agree to about 1e-6 (``tests/test_semantic_parts.py``).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing._moments import pooled
from framing.frames.exemplars import exemplars
from framing.frames.headline import (
    frame_summary,
    semantic_headline,
    validation_status,
)
from framing.frames.lexicon import scan_lexicon
from framing.frames.results import (
    FrameScores,
    FrameScoreWarning,
    assemble,
    prepare_units,
    warn_flagged,
)
from framing.frames.semantic import normalise, resolve_embedder, semantic_similarity
from framing.frames.sets import load_frame_set
from framing.run.partitions import _finish, _write

__all__ = [
    "CHUNK",
    "census_task",
    "combine_moments",
    "embed_task",
    "exemplar_candidates",
    "finish_semantic",
    "finish_task",
    "score_task",
]

#: Units embedded and scored at a time within a partition: bounds a task's memory
#: (384 float64 numbers per unit: about 25 MB per chunk) whatever the partition size.
CHUNK = 8192


def _texts(units_path: str) -> list[str]:
    units = pd.read_parquet(units_path, columns=["text"])
    return units["text"].fillna("").astype(str).tolist()


def census_task(units_path: str, model: str, cache_dir: str, timed: bool) -> dict[str, Any]:
    """Before pass 1: the partition's distinct and cached texts; a timed first batch.

    :func:`framing.embeddings.embedding_census`; with ``timed`` the first
    :data:`~framing.embeddings.RATE_BATCH` new texts are encoded (and cached) to
    measure this worker's rate. Writes nothing else.
    """
    from framing.embeddings import RATE_BATCH, embedding_census

    return embedding_census(
        _texts(units_path),
        model=model or None,
        cache_dir=cache_dir,
        time_batch=RATE_BATCH if timed else 0,
    )


def embed_task(units_path: str, model: str, cache_dir: str, out: str) -> dict[str, Any]:
    """Pass 1: embed one partition's units (cached); sum and count of the vectors."""
    embed = resolve_embedder(None, model or None, cache_dir, False)
    texts = _texts(units_path)
    total = None
    for start in range(0, len(texts), CHUNK):
        part = normalise(embed(texts[start : start + CHUNK])).sum(axis=0)
        total = part if total is None else total + part
    return _finish(out, {"n": len(texts), "sum": None if total is None else total.tolist()})


def score_task(
    units_path: str,
    frame_set: str,
    model: str,
    cache_dir: str,
    mean: list[float],
    out: str,
) -> dict[str, Any]:
    """Pass 2: unit scores centred on the corpus ``mean``, term counts; score moments.

    Writes ``<out>.scores.parquet`` (one row per unit: column ``s<j>`` the score for
    frame ``j``, ``c<j>`` its term matches) and returns per frame ``n``, ``mean`` and
    ``m2`` (sum of squared deviations from the partition mean).
    """
    fs = load_frame_set(frame_set)
    embed = resolve_embedder(None, model or None, cache_dir, False)
    texts = _texts(units_path)
    centre = np.asarray(mean, dtype=np.float64)
    n_frames = len(fs)
    sims = np.zeros((len(texts), n_frames))
    for start in range(0, len(texts), CHUNK):
        chunk = texts[start : start + CHUNK]
        sims[start : start + len(chunk)] = semantic_similarity(
            chunk, fs, embed, center=True, mean=centre
        )
    has_terms = any(f.terms for f in fs.frames.values())
    counts = scan_lexicon(texts, fs)[0] if has_terms else None
    table = {f"s{j}": sims[:, j] for j in range(n_frames)}
    if counts is not None:
        table.update({f"c{j}": counts[:, j].astype("float64") for j in range(n_frames)})
    _write(out + ".scores.parquet", pd.DataFrame(table, index=pd.RangeIndex(len(texts))))
    part_mean = sims.mean(axis=0) if len(texts) else np.zeros(n_frames)
    m2 = ((sims - part_mean) ** 2).sum(axis=0)
    return _finish(
        out,
        {
            "n": len(texts),
            "mean": part_mean.tolist(),
            "m2": m2.tolist(),
            "frames": list(fs.keys),
            "has_terms": has_terms,
        },
    )


def combine_moments(parts: list[dict[str, Any]]) -> tuple[int, np.ndarray, np.ndarray]:
    """Pool the ``n``, ``mean``, ``m2`` of :func:`score_task`: ``(n, mean, sd)``.

    :func:`framing._moments.pooled` (Chan, Golub & LeVeque's pairwise update);
    ``sd`` is the population SD (``ddof=0``), as
    :func:`framing.frames.semantic.relative_threshold` uses.
    """
    return pooled(parts)


def finish_task(
    units_path: str,
    scores_path: str,
    frame_set: str,
    cut: list[float],
    params: dict[str, Any],
    unit: str,
    k: int,
    out: str,
) -> dict[str, Any]:
    """Pass 3: ``present`` at the corpus cut-off; unit and article tables; exemplar candidates.

    The article table's ``score`` is left NaN here: the headline score is
    standardised over the corpus by :func:`finish_semantic`.
    """
    fs = load_frame_set(frame_set)
    units = pd.read_parquet(units_path)
    scores = pd.read_parquet(scores_path)
    n_frames = len(fs)
    sims = scores[[f"s{j}" for j in range(n_frames)]].to_numpy(dtype=float)
    counts = None
    if "c0" in scores.columns:
        counts = scores[[f"c{j}" for j in range(n_frames)]].to_numpy(dtype=float)
    units, info = prepare_units(units, unit)
    with warnings.catch_warnings():  # said once for the corpus by finish_semantic
        warnings.simplefilter("ignore", FrameScoreWarning)
        result = assemble(
            units,
            info,
            fs,
            sims,
            sims >= np.asarray(cut, dtype=float)[None, :],
            method="semantic",
            params=params,
            term_counts=counts,
        )
    articles = result.articles.assign(score=np.nan)
    _write(out + ".units.parquet", result.units)
    _write(out + ".articles.parquet", articles)
    if k:  # the corpus's top-k are among the partitions' top-k (see frames_task)
        picked = set(exemplars(result, k=k)["unit_id"])
        _write(out + ".cand_units.parquet", result.units[result.units["unit_id"].isin(picked)])
        _write(out + ".cand_texts.parquet", result.texts[result.texts["unit_id"].isin(picked)])
    present = result.units.loc[result.units["present"].astype(bool), "unit_id"]
    return _finish(
        out,
        {
            "units_scored": int(result.units["unit_id"].nunique()),
            "units_with_a_frame": int(present.nunique()),
            "frame_set": result.frame_set,
            "frame_set_version": str(result.frame_set_version),
            "labels": dict(result.labels),
            "frames": list(result.frames),
            "has_terms": counts is not None,
        },
    )


def finish_semantic(
    articles: pd.DataFrame, frames: list[str], labels: dict[str, str], has_terms: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compute the corpus-wide columns of the semantic ``frame_articles`` table.

    The headline ``score`` (:func:`framing.frames.headline.semantic_headline`) over
    every article of the corpus; coverage (share of articles with a unit present),
    SD of the top-k means, notes and validation status as
    :func:`framing.frames.results.assemble`. Returns ``(articles, summary)``.
    """
    n_frames = len(frames)
    n_art = len(articles) // n_frames if n_frames else 0

    def grid(column: str) -> np.ndarray:
        return articles[column].to_numpy(dtype=float).reshape(n_art, n_frames)

    topk = grid("top_k_mean")
    n_words = grid("n_words")[:, 0]
    headline, constant, kind = semantic_headline(
        topk, grid("n_matches") if has_terms else None, n_words
    )
    has_units = grid("n_units")[:, 0] > 0
    reach = grid("n_present") > 0
    coverage = reach[has_units].mean(axis=0) if has_units.any() else np.zeros(n_frames)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        score_sd = np.nanstd(topk, axis=0)
    summary = frame_summary(
        frames,
        labels,
        method="semantic",
        coverage=np.asarray(coverage, dtype=float),
        constant=constant,
        score_sd=np.asarray(score_sd, dtype=float),
        status=validation_status(None, frames),
        score_kind=kind,
    )
    warn_flagged(summary, stacklevel=2)
    out = articles.copy()
    out["score"] = headline.ravel()
    for column in ("validated", "validation", "validation_f1", "validation_auc", "note"):
        out[column] = np.tile(summary[column].to_numpy(), n_art)
    out["validation_n"] = np.tile(summary["validation_n"].to_numpy(), n_art).astype("int64")
    return out, summary


def exemplar_candidates(
    outs: list[str], articles: pd.DataFrame, summary: pd.DataFrame, first: dict[str, Any], k: int
) -> pd.DataFrame:
    """Return the corpus's exemplars from the partitions' candidates (:func:`finish_task`)."""

    def concat(suffix: str) -> pd.DataFrame:
        found = [pd.read_parquet(o + suffix) for o in outs if Path(o + suffix).exists()]
        return pd.concat(found, ignore_index=True) if found else pd.DataFrame()

    cand = FrameScores(
        units=concat(".cand_units.parquet"),
        articles=articles,
        texts=concat(".cand_texts.parquet"),
        frame_set=first["frame_set"],
        frame_set_version=first["frame_set_version"],
        method="semantic",
        params={},
        labels=first["labels"],
        summary=summary,
    )
    return exemplars(cand, k=k)
