"""Exemplars by story: each outlet's highest-scoring sentences for a frame, side by side.

Reading how two outlets tell the *same* story is the most direct evidence of a
framing difference; :func:`story_exemplars` puts their top units for one frame next
to each other, using :func:`framing.frames.exemplars.exemplars` (ranked by score,
then position; repeated texts shown once).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pandas as pd

from framing.frames.exemplars import exemplars

__all__ = ["pick_story", "story_exemplars"]


def _scored(frame_scores: Any) -> pd.DataFrame:
    articles = getattr(frame_scores, "articles", None)
    if articles is None:
        raise TypeError("frame_scores must be the FrameScores returned by framing.score_frames")
    return articles


def pick_story(stories: pd.DataFrame, frame_scores: Any, frame: str) -> int:
    """Pick the multi-outlet story that best shows ``frame`` in every outlet.

    Among stories covered by the most outlets, the one whose *least* frame-heavy
    outlet still has the highest mean share of units carrying ``frame`` (ties: the
    larger story, then the lower id).

    Returns
    -------
    int
        A ``story_id``.

    Raises
    ------
    ValueError
        If no story is covered by two or more outlets.
    """
    scored = _scored(frame_scores)
    shares = scored[scored["frame"] == frame][["article_id", "share"]]
    data = stories[stories["counted"].astype(bool)].merge(shares, on="article_id")
    n_out = data.groupby("story_id")["outlet"].nunique()
    if n_out.empty or n_out.max() < 2:
        raise ValueError(
            "pick_story: no story is covered by two or more outlets; pass story_id= "
            "to story_exemplars yourself"
        )
    best = n_out[n_out == n_out.max()].index
    data = data[data["story_id"].isin(best)]
    per_outlet = data.groupby(["story_id", "outlet"])["share"].mean()
    score = per_outlet.groupby("story_id").min().rename("min_share").to_frame()
    score["size"] = data.groupby("story_id").size()
    score = score.reset_index().sort_values(
        ["min_share", "size", "story_id"], ascending=[False, False, True]
    )
    return int(score["story_id"].iloc[0])


def story_exemplars(
    stories: pd.DataFrame,
    frame_scores: Any,
    frame: str,
    *,
    story_id: int | None = None,
    k: int = 3,
) -> pd.DataFrame:
    """Each outlet's top-``k`` units for ``frame`` within one story.

    Parameters
    ----------
    stories : pandas.DataFrame
        From :func:`framing.stories.find_stories`.
    frame_scores : FrameScores
        From :func:`framing.score_frames` (or any object with its ``units``,
        ``articles`` and ``texts`` tables, e.g. a run's ``frame_units``,
        ``frame_articles`` and ``frame_texts`` in a ``SimpleNamespace``).
    frame : str
        Frame key.
    story_id : int, optional
        Default: :func:`pick_story`.
    k : int, default=3

    Returns
    -------
    pandas.DataFrame
        ``story_id``, ``story_label``, ``outlet``, ``rank`` (1 = highest score),
        ``article_id``, ``unit_id``, ``score``, ``matched_terms``, ``text``; one
        block per outlet of the story (an outlet without a unit carrying the frame
        has no rows; ``attrs["outlets"]`` lists every outlet of the story).
    """
    if story_id is None:
        story_id = pick_story(stories, frame_scores, frame)
    members = stories[(stories["story_id"] == story_id) & stories["counted"].astype(bool)]
    if members.empty:
        raise ValueError(f"story_exemplars: no story with story_id={story_id!r}")
    keep = set(members["article_id"])
    sub = _subset(frame_scores, keep)
    table = exemplars(sub, k=k, by="outlet", frames=[frame])
    label = members["story_label"].iloc[0] if "story_label" in members else str(story_id)
    table.insert(0, "story_label", label)
    table.insert(0, "story_id", story_id)
    table = table.drop(columns="frame").sort_values(["outlet", "rank"]).reset_index(drop=True)
    table.attrs["outlets"] = sorted(map(str, members["outlet"].unique()))
    table.attrs["frame"] = frame
    return table


def _subset(frame_scores: Any, keep: set[str]) -> Any:
    """Return the scores of the articles in ``keep`` as ``exemplars`` reads them."""
    tables = {}
    for name in ("units", "articles", "texts"):
        df = getattr(frame_scores, name)
        tables[name] = df[df["article_id"].isin(keep)]
    frames = getattr(frame_scores, "frames", None)
    if frames is None:
        frames = list(dict.fromkeys(frame_scores.articles["frame"]))
    summary = getattr(frame_scores, "summary", None)  # validation status per frame
    return SimpleNamespace(**tables, frames=list(frames), summary=summary)
