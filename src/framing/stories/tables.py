"""Every story table of a run in one call (what a ``stories`` step of ``framing run`` does).

:func:`story_measures` turns the run's article-level tables (frame shares, the
two-frame contrast, sentiment, actor sentiment, topic shares) into
:class:`~framing.stories.matched.Measure` objects; :func:`story_tables` finds the
stories and returns the selection and presentation tables, ready to export.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from framing import compare
from framing.stories.build import find_stories
from framing.stories.exemplars import pick_story, story_exemplars
from framing.stories.matched import Measure, story_matched_differences
from framing.stories.selection import (
    coverage_over_time,
    coverage_windows,
    story_selection,
    story_summary,
)

__all__ = ["story_measures", "story_tables", "topic_shares"]


def topic_shares(doc_topics: pd.DataFrame, *, n_topics: int = 10) -> pd.DataFrame:
    """Share of each article's documents in each of the ``n_topics`` largest topics.

    Parameters
    ----------
    doc_topics : pandas.DataFrame
        From :func:`framing.fit_topics` (``article_id``, ``topic``; one row per
        document, a document being an article or one of its units).
    n_topics : int, default=10
        Largest topics kept (by documents; the outlier topic -1 is left out), so the
        family of tests stays small.

    Returns
    -------
    pandas.DataFrame
        ``article_id``, ``topic``, ``share`` (in [0, 1]; 0 for a topic the article
        has no document in), one row per article x kept topic.

    Examples
    --------
    >>> d = pd.DataFrame({"article_id": ["a", "a", "b"], "topic": [0, 1, 0]})
    >>> topic_shares(d)
      article_id  topic  share
    0          a      0    0.5
    1          a      1    0.5
    2          b      0    1.0
    3          b      1    0.0
    """
    sizes = doc_topics.loc[doc_topics["topic"] != -1, "topic"].value_counts()
    kept = sorted(sizes.index[:n_topics])
    per = doc_topics.groupby("article_id").size()
    counts = (
        doc_topics[doc_topics["topic"].isin(kept)]
        .groupby(["article_id", "topic"])
        .size()
        .unstack("topic")
        .reindex(index=per.index, columns=kept)
        .fillna(0)
    )
    shares = counts.div(per, axis=0)
    out = shares.stack().rename("share").reset_index()
    out.columns = ["article_id", "topic", "share"]
    return out


def story_measures(
    *,
    frame_articles: pd.DataFrame | None = None,
    contrast: Sequence[str] | None = None,
    article_sentiment: pd.DataFrame | None = None,
    actor_sentiment: pd.DataFrame | None = None,
    doc_topics: pd.DataFrame | None = None,
    n_topics: int = 10,
    frame_value: str = "score",
) -> list[Measure]:
    """Measures from the run's tables; each argument is optional.

    Parameters
    ----------
    frame_articles : pandas.DataFrame, optional
        ``FrameScores.articles``: gives ``"frame <frame_value>"`` (per frame).
    contrast : (str, str), optional
        Two frames: gives ``"<a> - <b>"`` (``frame_value`` of a minus that of b per
        article; positive = more of frame a).
    article_sentiment : pandas.DataFrame, optional
        :func:`framing.score_sentiment` output: gives ``"sentiment"``
        (``sentiment_mean``).
    actor_sentiment : pandas.DataFrame, optional
        :func:`framing.sentiment.actors.score_actor_sentiment` output: gives
        ``"actor sentiment"`` (per actor).
    doc_topics : pandas.DataFrame, optional
        :func:`framing.fit_topics` output: gives ``"topic share"`` (per topic, the
        ``n_topics`` largest; :func:`topic_shares`).
    n_topics : int, default=10
    frame_value : {"score", "share"}, default="score"
        The article frame column compared (``[frames] measure``): the headline
        score or the share (:mod:`framing.frames.headline`).

    Returns
    -------
    list of Measure
    """
    out = []
    if frame_articles is not None:
        out.append(Measure(f"frame {frame_value}", frame_articles, frame_value, ("frame",)))
        if contrast and len(contrast) == 2:
            a, b = contrast
            diffs = compare.frame_difference(frame_articles, a, b, value=frame_value)
            out.append(Measure(f"{a} - {b}", diffs, "diff"))
    if article_sentiment is not None:
        out.append(Measure("sentiment", article_sentiment, "sentiment_mean"))
    if actor_sentiment is not None and len(actor_sentiment):
        out.append(Measure("actor sentiment", actor_sentiment, "sentiment_mean", ("actor",)))
    if doc_topics is not None and len(doc_topics):
        out.append(
            Measure(
                "topic share", topic_shares(doc_topics, n_topics=n_topics), "share", ("topic",)
            )
        )
    return out


def story_tables(
    articles: pd.DataFrame,
    measures: Sequence[Measure],
    *,
    frame_scores: Any = None,
    exemplar_frame: str | None = None,
    exemplars_k: int = 3,
    cache_dir: str | os.PathLike[str] | None = None,
    embedding_model: Any = None,
    n_boot: int = 2000,
    n_perm: int = 9999,
    ci: float = 0.95,
    random_state: int = 0,
    outlets: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
    **story_options: Any,
) -> dict[str, pd.DataFrame]:
    """Find stories and build every selection and presentation table.

    Parameters
    ----------
    articles : pandas.DataFrame
        The ``articles`` table.
    measures : sequence of Measure
        From :func:`story_measures`.
    frame_scores : FrameScores, optional
        With ``exemplar_frame``: adds ``story_exemplars`` for the story
        :func:`framing.stories.pick_story` chooses.
    exemplar_frame : str, optional
    exemplars_k : int, default=3
    cache_dir, embedding_model :
        Embedding cache and model (:func:`framing.stories.find_stories`).
    n_boot, n_perm, ci, random_state :
        As for :func:`framing.stories.story_matched_differences`.
    outlets : callable, optional
        Restricts (or merges) the outlets of the pairwise tables (coverage windows,
        story-matched differences), e.g. ``OutletSelection.apply`` of
        :func:`framing.compare.select_outlets`; stories are found on every article.
    **story_options
        ``window``, ``threshold``, ``resolution``, ... for
        :func:`framing.stories.find_stories`.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``stories``, ``story_summary``, ``story_selection``,
        ``story_coverage_over_time``, ``story_coverage_windows``,
        ``story_matched_differences`` and, when asked for and possible,
        ``story_exemplars``.
    """
    stories = find_stories(
        articles,
        cache_dir=cache_dir,
        embedding_model=embedding_model,
        random_state=random_state,
        **story_options,
    )
    compared = stories if outlets is None else outlets(stories)
    tables = {
        "stories": stories,
        "story_summary": story_summary(stories),
        "story_selection": story_selection(stories),
        "story_coverage_over_time": coverage_over_time(stories),
        "story_coverage_windows": coverage_windows(compared),
        "story_matched_differences": story_matched_differences(
            compared, measures, n_boot=n_boot, n_perm=n_perm, ci=ci, random_state=random_state
        ),
    }
    if frame_scores is not None and exemplar_frame:
        try:
            sid = pick_story(stories, frame_scores, exemplar_frame)
        except ValueError as exc:
            warnings.warn(f"story exemplars skipped: {exc}", UserWarning, stacklevel=2)
        else:
            tables["story_exemplars"] = story_exemplars(
                stories, frame_scores, exemplar_frame, story_id=sid, k=exemplars_k
            )
    return tables
