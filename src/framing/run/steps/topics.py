"""Step ``topics``: fit the topic model (BERTopic, or LDA/NMF).

Only the fit happens here, keyed by the ``[topics]`` settings and the seed; the
shares by outlet and period, whose intervals depend on ``compare.n_boot`` and
``compare.ci``, are computed by step ``compare`` from this step's tables
(:func:`framing.topics.summaries.topic_shares`).
"""

from __future__ import annotations

import json
import warnings

from framing._progress import interactive
from framing.run.context import StepContext, StepResult
from framing.topics._base import AUTO_PARAGRAPH_BELOW
from framing.topics.model import TopicModelError, fit_topics
from framing.topics.summaries import topic_documents

# settings of the shares, recorded by step compare instead
_SHARE_PARAMS = ("n_boot", "ci", "period")


def run(ctx: StepContext) -> StepResult:
    """Fit topics on the articles; a corpus too small for a model is noted, not fatal."""
    cfg = ctx.cfg.topics
    articles = ctx.tables["articles"]
    if cfg.method == "bertopic":
        n = len(articles)
        unit = cfg.unit
        if unit == "auto":
            unit = "paragraph" if n < AUTO_PARAGRAPH_BELOW else "article"
        what = f"{n} article(s)" if unit == "article" else f"the {unit}s of {n} article(s)"
        ctx.log(
            f"topics: embedding {what} and fitting BERTopic (the first run after "
            "installing also loads the embedding model; from 300 documents on it "
            "compiles UMAP, about half a minute)"
        )
    try:
        fitted = fit_topics(
            articles,
            unit=cfg.unit,
            method=cfg.method,
            embedding_model=cfg.embedding_model or None,
            random_state=ctx.cfg.seeds.random_state,
            min_topic_size=cfg.min_topic_size or None,
            nr_topics=cfg.nr_topics or None,
            reduction=cfg.reduction,
            cache_dir=ctx.cache_dir / "embeddings",
            n_boot=0,  # intervals: step compare
            # sentence-transformers' tqdm bar only for someone watching: in a log its
            # \r updates pile up, and the run's heartbeat says the step is working
            show_progress=ctx.show_progress and interactive(),
        )
    except TopicModelError as exc:
        # Too few documents for a topic model is a property of the corpus, not a
        # failure of the run: record it and go on without topic tables.
        warnings.warn(f"topics skipped: {exc}", stacklevel=2)
        return StepResult(meta={"skipped": str(exc)}, counts={"topics": 0})
    result = StepResult()
    for name in ("doc_topics", "topic_info", "topic_terms"):
        result.tables[name] = getattr(fitted, name)
    result.exports["doc_topics"] = ("csv",)
    result.exports["topic_info"] = None
    result.exports["topic_terms"] = ("csv",)
    # per-outlet topic words of this fit; step compare adds the intervals
    result.tables["topic_fit_by_outlet"] = fitted.topics_by_outlet
    info, docs = fitted.topic_info, fitted.doc_topics
    result.tables["topic_documents"] = topic_documents(docs, fitted.documents)
    result.exports["topic_documents"] = ("csv",)
    result.counts = {
        "documents": len(docs),
        "topics": int((info["topic"] != -1).sum()),
        "outlier_documents": int((docs["topic"] == -1).sum()),
    }
    params = {k: v for k, v in fitted.params.items() if k not in _SHARE_PARAMS}
    result.meta["params"] = json.loads(json.dumps(params, default=str))
    result.meta["notes"] = json.loads(json.dumps(fitted.notes, default=str))
    return result
