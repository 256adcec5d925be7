"""Comparisons of semantic frame scores in the partitioned engine.

:func:`framing.run.compare_parts.compare_task` computes the lexicon headline score of
a partition from the corpus-wide lexicon parameters. The semantic headline score has
its own parameters (:func:`framing.frames.headline.semantic_score_params`); this task
computes it for one partition and hands the partition to the same reduction. Kept
apart from :mod:`framing.run.semantic_parts` so that a change to the comparisons'
code does not re-run the frame passes (the partition keys hash the code they run).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from framing.frames.headline import semantic_score_parts
from framing.run import compare_parts
from framing.run.partitions import _write

__all__ = ["compare_task"]

#: The compared column of :func:`compare_task` (the corpus's headline score).
_SCORE = "semantic_score"


def compare_task(
    sentiment_path: str,
    actors_path: str,
    frames_path: str,
    contrast: list[str],
    measure: str,
    score_params: dict[str, Any] | None,
    reservoir: int,
    seed: int,
    out: str,
) -> dict[str, Any]:
    """:func:`framing.run.compare_parts.compare_task` for semantic frame scores.

    With ``measure = "score"`` the partition's headline score is computed here from
    its top-k means, matches and lengths with the corpus-wide ``score_params``
    (:func:`framing.frames.headline.semantic_score_params`) and compared as is; the
    ``share`` is compared as written by :func:`finish_task`.
    """
    if frames_path and measure == "score":
        if score_params is None:
            raise ValueError("compare_task: measure 'score' needs the corpus's score_params")
        frames = pd.read_parquet(frames_path)
        column = (
            frames["frame"].astype(str).map({f: i for i, f in enumerate(score_params["frames"])})
        ).to_numpy()
        frames[_SCORE] = semantic_score_parts(
            frames["top_k_mean"].to_numpy(dtype=float),
            frames["n_matches"].to_numpy(dtype=float),
            frames["n_words"].to_numpy(dtype=float),
            column,
            score_params,
        )
        frames_path = out + f".{_SCORE}.parquet"
        _write(frames_path, frames[["article_id", "outlet", "frame", _SCORE]])
        measure = _SCORE
    return compare_parts.compare_task(
        sentiment_path, actors_path, frames_path, contrast, measure, None, reservoir, seed, out
    )
