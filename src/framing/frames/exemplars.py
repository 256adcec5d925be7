"""Exemplar sentences: what each frame score measures, in the corpus's own words.

Every share in a frame table is a count of units; :func:`exemplars` shows the
highest-scoring of those units per frame and outlet, with their article, score and
matched terms, so a reader can judge whether the measure captures the frame
("read the text", Grimmer & Stewart 2013).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from framing.frames.results import FrameScores

__all__ = ["exemplars"]

EXEMPLAR_COLUMNS = ["frame", "rank", "article_id", "unit_id", "score", "matched_terms", "text"]


def exemplars(
    frame_scores: FrameScores,
    *,
    k: int = 3,
    by: str | None = "outlet",
    frames: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Top-``k`` units carrying each frame, per frame x ``by`` group.

    Only units where the frame is ``present`` are candidates. They are ranked by
    ``score`` (match count, similarity or probability; highest first), then by
    position in the article (earlier first) and ``unit_id``, so the result is
    deterministic. A text repeated verbatim within a group (a headline printed
    twice, syndicated copy) is shown once.

    Parameters
    ----------
    frame_scores : FrameScores
        From :func:`framing.score_frames`.
    k : int, default=3
        Units per frame and group.
    by : str or None, default="outlet"
        Grouping column of the units table (``"outlet"``, ``"article_id"``), or
        None for the top ``k`` per frame over the whole corpus.
    frames : list of str, optional
        Frames to show (default: all, in frame-set order).

    Returns
    -------
    pandas.DataFrame
        ``frame``, ``by`` (when given), ``rank`` (1 = highest score),
        ``article_id``, ``unit_id``, ``score``, ``matched_terms``, ``text`` and
        ``validation`` (the frame's validation status on this corpus).
        A frame x group with no unit carrying the frame has no rows.

    Examples
    --------
    >>> import pandas as pd
    >>> from framing.frames import score_frames
    >>> arts = pd.DataFrame({"article_id": ["a1"], "outlet": ["x"],
    ...     "text": ["Allies are divided. Rifts and divisions deepen. Talks go on."]})
    >>> ex = exemplars(score_frames(arts), k=2, frames=["allies_divided"])
    >>> ex[["rank", "score", "matched_terms"]]
       rank  score     matched_terms
    0     1    2.0  rifts; divisions
    1     2    1.0           divided
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    units = frame_scores.units
    if by is not None and by not in units.columns:
        raise KeyError(f"by={by!r} is not a column of the units table: {list(units.columns)}")
    order = frame_scores.frames
    if frames is not None:
        unknown = [f for f in frames if f not in order]
        if unknown:
            raise ValueError(f"unknown frame(s) {unknown}; scored frames: {order}")
        order = list(frames)
    cand = units[units["present"] & units["frame"].isin(order)]
    cand = cand.merge(frame_scores.texts[["unit_id", "text"]], on="unit_id", how="left")
    cand = cand.assign(_frame_order=cand["frame"].map({f: i for i, f in enumerate(order)}))
    group_cols = ["frame"] if by is None else ["frame", by]
    cand = cand.sort_values(
        ["_frame_order", *group_cols[1:], "score", "position", "unit_id"],
        ascending=[True, *([True] * (len(group_cols) - 1)), False, True, True],
        kind="stable",
    )
    cand = cand.drop_duplicates([*group_cols, "text"], keep="first")
    top = cand.groupby(group_cols, sort=False).head(k).copy()
    top["rank"] = top.groupby(group_cols, sort=False).cumcount() + 1
    columns = [*group_cols, *(c for c in EXEMPLAR_COLUMNS[1:] if c not in group_cols)]
    out = top[columns].reset_index(drop=True)
    summary = getattr(frame_scores, "summary", None)  # duck-typed FrameScores allowed
    if summary is not None:  # every frame table row says whether the measure was validated
        status = summary.set_index("frame")["validation"]
        out["validation"] = out["frame"].map(status)
    return out
