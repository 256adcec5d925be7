"""Tables built from a fitted topic model: shares by outlet and period, top documents.

``framing run`` fits the topic model once per set of topic settings (step
``topics``) and computes the outlet shares with their bootstrap intervals in step
``compare``, so that changing ``compare.n_boot`` or ``compare.ci`` never refits the
model. :func:`topic_shares` gives the same tables as :func:`~framing.topics.fit_topics`
called with those ``n_boot``/``ci`` (the intervals use the same draws, seeded by
``random_state`` and the group name; see :mod:`framing.topics.model`).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from framing.topics import _shares

__all__ = ["topic_documents", "topic_shares"]


def topic_documents(
    doc_topics: pd.DataFrame, documents: pd.DataFrame, *, k: int = 3
) -> pd.DataFrame:
    """Return the ``k`` documents most firmly in each topic, with their text.

    Ranked by ``probability`` (highest first), then ``unit_id`` for ties; so a
    reader can check what each topic is about before naming it.

    Parameters
    ----------
    doc_topics : pandas.DataFrame
        :attr:`TopicResult.doc_topics <framing.topics.TopicResult>`.
    documents : pandas.DataFrame
        :attr:`TopicResult.documents <framing.topics.TopicResult>` (``unit_id``,
        ``text``).
    k : int, default=3
        Documents per topic.

    Returns
    -------
    pandas.DataFrame
        ``topic, rank, article_id, unit_id, outlet, probability, text`` (rank 1 =
        highest probability).

    Examples
    --------
    >>> docs = pd.DataFrame({"article_id": ["a", "a", "b"], "unit_id": ["a1", "a2", "b1"],
    ...                      "outlet": ["x", "x", "y"], "topic": [0, 0, 0],
    ...                      "probability": [0.2, 0.9, 0.5]})
    >>> texts = pd.DataFrame({"unit_id": ["a1", "a2", "b1"], "text": ["t1", "t2", "t3"]})
    >>> topic_documents(docs, texts, k=2)[["rank", "unit_id", "text"]]
       rank unit_id text
    0     1      a2   t2
    1     2      b1   t3
    """
    docs = doc_topics.merge(documents[["unit_id", "text"]], on="unit_id", how="left")
    docs = docs.sort_values(
        ["topic", "probability", "unit_id"], ascending=[True, False, True], kind="stable"
    )
    top = docs.groupby("topic", sort=True).head(k).copy()
    top.insert(1, "rank", top.groupby("topic").cumcount() + 1)
    columns = ["topic", "rank", "article_id", "unit_id", "outlet", "probability", "text"]
    return top[columns].reset_index(drop=True)


def topic_shares(
    doc_topics: pd.DataFrame,
    topic_info: pd.DataFrame,
    articles: pd.DataFrame,
    fitted_by_outlet: pd.DataFrame,
    *,
    n_boot: int = 2000,
    ci: float = 0.95,
    random_state: int = 42,
    period: Literal["week", "month"] = "month",
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Topic shares per outlet and per period, with percentile-bootstrap intervals.

    Parameters
    ----------
    doc_topics, topic_info : pandas.DataFrame
        From :func:`~framing.topics.fit_topics` (documents in model order).
    articles : pandas.DataFrame
        ``article_id`` and ``published``: the documents' dates.
    fitted_by_outlet : pandas.DataFrame
        ``topics_by_outlet`` of the same fit (any ``n_boot``): gives the per-outlet
        topic words (``top_terms_outlet``) and the column order.
    n_boot : int, default=2000
        Bootstrap resamples (0 = no intervals).
    ci : float, default=0.95
        Interval coverage.
    random_state : int, default=42
        The fit's seed; each group's draws are seeded by it and the group's name.
    period : {"week", "month"}, default="month"
        Time bins of the second table.

    Returns
    -------
    (topics_by_outlet, topics_over_time, notes)
        The two tables of :class:`~framing.topics.TopicResult`; ``share`` in [0, 1]
        is the fraction of the outlet's (or period cell's) documents in the topic,
        ``ci_low <= share <= ci_high`` (NaN for one article). ``notes`` has
        ``n_undated_docs`` (and ``topics_over_time`` when no document is dated).
    """
    published = articles.drop_duplicates("article_id").set_index("article_id")["published"]
    ids = doc_topics["article_id"].astype(str)
    docs = pd.DataFrame(
        {
            "article_id": ids.to_numpy(),
            "unit_id": doc_topics["unit_id"].astype(str).to_numpy(),
            "outlet": doc_topics["outlet"].fillna("").astype(str).to_numpy(),
            "published": pd.to_datetime(ids.map(published)).to_numpy(),
        }
    )
    topics = doc_topics["topic"].to_numpy(dtype=np.int64)
    topic_ids = topic_info["topic"].tolist()
    labels = dict(zip(topic_info["topic"], topic_info["label"], strict=True))
    opts = {
        "random_state": int(random_state),
        "n_boot": int(n_boot),
        "ci": float(ci),
        "period": period,
    }
    terms = {
        (str(o), int(t)): s
        for o, t, s in fitted_by_outlet[["outlet", "topic", "top_terms_outlet"]].itertuples(
            index=False
        )
    }
    by_outlet = _shares._share_table(docs, topics, topic_ids, labels, ["outlet"], opts, terms)
    by_outlet = by_outlet.rename(columns={"n_group_docs": "n_outlet_docs"})
    by_outlet = by_outlet[list(fitted_by_outlet.columns)]
    notes: dict[str, Any] = {}
    over_time = _shares._over_time(docs, topics, topic_ids, labels, opts, notes)
    return by_outlet, over_time, notes
