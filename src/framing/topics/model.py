"""Topic models of news coverage: seeded, offline BERTopic, with LDA and NMF baselines.

:func:`fit_topics` fits BERTopic (Grootendorst 2022: sentence embeddings, UMAP,
HDBSCAN, class-based TF-IDF) or a baseline, scikit-learn's LDA (Blei et al. 2003) or
NMF on TF-IDF (Lee & Seung 1999), and returns tidy tables in a :class:`TopicResult`.
Topics are clusters of similar wording, not frames: read a topic's documents before
naming it.

Documents (the ``unit`` rule)
-----------------------------
``unit="auto"`` models paragraphs when the corpus has fewer than
:data:`AUTO_PARAGRAPH_BELOW` (100) non-empty articles and whole articles otherwise; a
``units`` table (with ``unit_id``) is modelled as given. Whole articles are truncated
by the embedding model at its ``max_seq_length`` (all-MiniLM-L6-v2: 256 word pieces,
roughly the first 190 words); the number of truncated documents is in
``notes["n_truncated"]`` and a warning. Paragraphs are rarely truncated. Texts that are
empty after stripping whitespace are dropped, with a warning and
``notes["n_empty_dropped"]``. 1 to 5 documents raise :class:`TopicModelError`.

Sizes scaled to the corpus (``n`` = number of documents)
--------------------------------------------------------
- ``min_topic_size`` (HDBSCAN ``min_cluster_size``) = ``max(2, min(10, n // 10))``
  unless given: BERTopic's default of 10 from 100 documents on, smaller below.
- The reduction before HDBSCAN (``reduction="auto"``): UMAP from 300 documents on,
  PCA (exact, ``svd_solver="full"``) below. 300 is 20 times UMAP's 15 neighbours:
  below it each document's neighbourhood holds more than 5 % of the corpus, so the
  local structure UMAP is built to keep is the global structure that PCA keeps
  exactly, and UMAP's cost (numba compiles it in each new environment: 20-30 s of
  CPU here, and a few seconds to load in every process) buys nothing.
  ``reduction="umap"`` or ``"pca"`` forces one.
- UMAP ``n_neighbors = min(15, n - 1)``; ``n_components = min(5, max(2, n // 10))``
  (BERTopic's 5 from 50 documents on). PCA keeps at most as many, and no more than
  HDBSCAN's density estimate can support: the largest ``d`` whose sample size for a
  kernel density estimate (Silverman 1986, Table 4.2: 19, 67, 223 documents for 2, 3,
  4 dimensions) the corpus reaches, at least 2. UMAP's graph layout pulls each
  cluster together (``min_dist=0``); a linear map does not, and in more dimensions
  than the sample supports HDBSCAN finds no dense region at all;
  ``init="spectral"`` from 30 documents on, ``"random"`` below (the spectral layout
  is unstable on tiny graphs).
- LDA/NMF: ``nr_topics`` topics, default ``min(10, max(2, n // min_topic_size))``.

Terms
-----
Topic words are counted with scikit-learn's ``CountVectorizer`` (lowercase, tokens of
two or more word characters, English stop words removed) on text prepared as BERTopic
prepares it when it is given an embedding model (:func:`clean_for_terms`); the
vocabulary keeps terms found in at least ``min_df`` documents (a float: a fraction of
them), the same rule for BERTopic, LDA and NMF.

Reproducibility
---------------
UMAP is always seeded with ``random_state`` (BERTopic's default UMAP is not), which
also makes it single-threaded; HDBSCAN and c-TF-IDF are deterministic; LDA and NMF get
``random_state``. The same corpus and settings give identical topic assignments and
words in separate processes. One caveat: a transformer's output for a text can differ
in the last bits with the other texts of its encoding batch, and UMAP on a small corpus
can amplify that. Runs that read their vectors from the same embedding cache, or embed
the same corpus from scratch, agree exactly.

Outliers (topic ``-1``)
-----------------------
HDBSCAN leaves documents that fit no cluster in topic ``-1``. They are **kept**:
in ``doc_topics`` (probability 0), as a row labelled ``"outlier"`` in ``topic_info``
(its terms describe the left-over documents), and as a topic row in
``topics_by_outlet`` / ``topics_over_time``. Shares use **all** of an outlet's
documents as the denominator, outliers included, so each outlet's shares sum to 1
over all topics including ``-1``. ``reduce_outliers=True`` instead reassigns outliers
to the most similar topic by embedding (BERTopic's ``reduce_outliers``; documents with
no positive cosine similarity to any topic stay in ``-1``) and recomputes the topic
words; a reassigned document's probability is NaN (no HDBSCAN membership).
LDA and NMF have no outliers, except documents with no vocabulary term at all
(topic ``-1``, probability 0).

Shares and intervals
--------------------
``share`` = the fraction of an outlet's documents (units) in a topic. Intervals are
percentile bootstraps (Efron & Tibshirani 1993; as :func:`framing.compare.bootstrap_ci`)
that resample **articles** within the outlet (all of an article's units together),
``n_boot`` times, seeded by ``random_state`` and the outlet name; an outlet (or period
cell) with one article gets a NaN interval and a note. Per-outlet topic words
(``top_terms_outlet``) are the c-TF-IDF of that outlet's documents in the topic alone
(BERTopic's
``topics_per_class`` with ``global_tuning=True`` would mix in global words).

Heavy libraries (bertopic, umap, hdbscan, sentence-transformers) are imported inside
functions only.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from framing.topics._backend import (
    CachedUMAP,
    _backend_class,
    _embed,
    _fit_bertopic,
    _fit_sklearn,
)
from framing.topics._base import (
    _MIN_DOCS,
    AUTO_PARAGRAPH_BELOW,
    TopicModelError,
    clean_for_terms,
    scaled_sizes,
)
from framing.topics._shares import (
    _bootstrap_shares,
    _by_outlet,
    _class_tfidf,
    _over_time,
    _topic_tables,
)

# CachedUMAP, _bootstrap_shares and _class_tfidf are imported here for the tests and
# notebooks that name them from this module.
__reexported__ = (CachedUMAP, _bootstrap_shares, _class_tfidf)

__all__ = [
    "AUTO_PARAGRAPH_BELOW",
    "TopicModelError",
    "TopicResult",
    "clean_for_terms",
    "fit_topics",
    "scaled_sizes",
]


@dataclass
class TopicResult:
    """A fitted topic model and its tidy tables.

    Attributes
    ----------
    doc_topics : pandas.DataFrame
        One row per document: ``article_id``, ``unit_id``, ``outlet``, ``topic``
        (int, ``-1`` = outlier), ``probability`` (BERTopic: HDBSCAN membership
        strength of the assigned topic; LDA/NMF: the largest normalised document-topic
        weight).
    topic_info : pandas.DataFrame
        One row per topic: ``topic``, ``size``, ``label``, ``top_terms`` (str,
        ``"w1 (0.123), w2 (0.1), ..."``), ``n_terms``.
    topic_terms : pandas.DataFrame
        Long form of the terms: ``topic``, ``rank`` (1 = top), ``term``, ``weight``
        (BERTopic: c-TF-IDF; LDA/NMF: the topic's normalised term weight).
    topics_by_outlet : pandas.DataFrame
        ``outlet``, ``topic``, ``label``, ``n_docs``, ``n_outlet_docs``,
        ``n_articles``, ``share``, ``ci_low``, ``ci_high``, ``top_terms_outlet``,
        ``note``.
    topics_over_time : pandas.DataFrame
        ``period`` (start of the week or month), ``outlet``, ``topic``, ``label``,
        ``n_docs``, ``n_period_docs``, ``n_articles``, ``share``, ``ci_low``,
        ``ci_high``, ``note``; undated documents are left out (counted in ``notes``).
    documents : pandas.DataFrame
        The modelled documents in model order: ``article_id``, ``unit_id``,
        ``outlet``, ``published``, ``text``.
    model : object
        The fitted ``bertopic.BERTopic`` (use its ``visualize_*`` views in notebooks) or
        scikit-learn estimator. Numbers for papers come from the tables.
    embeddings : numpy.ndarray or None
        Document embeddings (BERTopic only), aligned with ``documents``.
    params : dict
        The settings used, after the size rules were applied.
    notes : dict
        What happened: unit rule, dropped empty texts, truncation, outliers, ...
    """

    doc_topics: pd.DataFrame
    topic_info: pd.DataFrame
    topic_terms: pd.DataFrame
    topics_by_outlet: pd.DataFrame
    topics_over_time: pd.DataFrame
    documents: pd.DataFrame
    model: Any
    embeddings: np.ndarray | None = None
    params: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)

    def topic_words(self, top_n: int = 10, *, include_outliers: bool = False) -> list[list[str]]:
        """Return each topic's top ``top_n`` terms, in topic order (for evaluation)."""
        terms = self.topic_terms
        if not include_outliers:
            terms = terms[terms["topic"] != -1]
        terms = terms[terms["rank"] <= top_n].sort_values(["topic", "rank"])
        return [list(g["term"]) for _, g in terms.groupby("topic", sort=True)]


# --------------------------------------------------------------------------- documents


def _documents(table: pd.DataFrame, unit: str, notes: dict[str, Any]) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"fit_topics needs a DataFrame, got {type(table).__name__}")
    for col in ("article_id", "text"):
        if col not in table.columns:
            raise TopicModelError(
                f"fit_topics needs an {col!r} column; the table has {list(table.columns)}. "
                "Pass the articles table (framing.load_corpus) or a units table "
                "(framing.split_units)."
            )
    if unit not in ("auto", "article", "paragraph", "sentence"):
        raise ValueError(
            f"unit must be 'auto', 'article', 'paragraph' or 'sentence', got {unit!r}"
        )
    texts = table["text"].fillna("").astype(str)
    if "unit_id" in table.columns:  # a units table: model it as given
        given = sorted(set(table["unit"].dropna().astype(str))) if "unit" in table else []
        if unit == "article" or (unit in ("paragraph", "sentence") and given not in ([], [unit])):
            raise TopicModelError(
                f"unit={unit!r} but the table holds {given or 'units'} (it has a unit_id "
                "column); pass the articles table to split it, or unit='auto'"
            )
        docs = table.assign(text=texts)
        notes["unit"] = given[0] if len(given) == 1 else "units"
        notes["unit_rule"] = "units table modelled as given"
    else:
        n_articles = int((texts.str.strip() != "").sum())
        chosen = unit
        if unit == "auto":
            chosen = "paragraph" if n_articles < AUTO_PARAGRAPH_BELOW else "article"
            notes["unit_rule"] = (
                f"auto: {n_articles} non-empty articles "
                f"{'<' if chosen == 'paragraph' else '>='} {AUTO_PARAGRAPH_BELOW} -> {chosen}s"
            )
        else:
            notes["unit_rule"] = f"unit={unit!r} requested"
        notes["unit"] = chosen
        if chosen == "article":
            docs = table.assign(text=texts, unit_id=table["article_id"].astype(str))
        else:
            from framing.units import split_units

            docs = split_units(table.assign(text=texts), unit=chosen)
    n = len(docs)
    out = pd.DataFrame(
        {
            "article_id": docs["article_id"].astype(str).to_numpy(),
            "unit_id": docs["unit_id"].astype(str).to_numpy(),
            "outlet": docs["outlet"].fillna("").astype(str).to_numpy()
            if "outlet" in docs
            else np.full(n, "", dtype=object),
            "published": pd.to_datetime(docs["published"]).to_numpy()
            if "published" in docs
            else np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"),
            "text": docs["text"].astype(str).to_numpy(),
        }
    )
    empty = out["text"].str.strip() == ""
    notes["n_input_rows"] = len(table)
    notes["n_empty_dropped"] = int(empty.sum())
    if empty.any():
        examples = out.loc[empty, "unit_id"].head(5).tolist()
        warnings.warn(
            f"fit_topics dropped {int(empty.sum())} empty text(s) (e.g. {examples}); "
            "they have no topic",
            stacklevel=3,
        )
    return out.loc[~empty].reset_index(drop=True)


# --------------------------------------------------------------------------- API


def fit_topics(
    table: pd.DataFrame,
    *,
    unit: Literal["auto", "article", "paragraph", "sentence"] = "auto",
    method: Literal["bertopic", "lda", "nmf"] = "bertopic",
    embedding_model: Any = None,
    embeddings: np.ndarray | None = None,
    random_state: int = 42,
    min_topic_size: int | None = None,
    nr_topics: int | Literal["auto"] | None = None,
    top_n_words: int = 10,
    cache_dir: Any = None,
    period: Literal["week", "month"] = "month",
    reduce_outliers: bool = False,
    reduction: Literal["auto", "umap", "pca"] = "auto",
    n_boot: int = 2000,
    ci: float = 0.95,
    min_df: int | float = 1,
    allow_download: bool | None = None,
    show_progress: bool | None = None,
) -> TopicResult:
    """Fit a topic model and return tidy topic tables by document, outlet and period.

    Parameters
    ----------
    table : pandas.DataFrame
        The ``articles`` table or a ``units`` table (``article_id``, ``text``;
        ``outlet`` and ``published`` when available).
    unit : {"auto", "article", "paragraph", "sentence"}, default="auto"
        What a document is; see the module docstring for the ``"auto"`` rule.
    method : {"bertopic", "lda", "nmf"}, default="bertopic"
        BERTopic (Grootendorst 2022) or a baseline: LDA (Blei et al. 2003) on term
        counts, NMF (Lee & Seung 1999) on TF-IDF.
    embedding_model : None, str, path or object with ``encode``, default=None
        BERTopic only. ``None`` = the offline all-MiniLM-L6-v2; see
        :func:`framing.embeddings.embed_texts`.
    embeddings : numpy.ndarray, optional
        Precomputed document embeddings, one row per document modelled (the table's
        non-empty rows when it is used as is).
    random_state : int, default=42
        Seeds UMAP, LDA/NMF and the bootstrap.
    min_topic_size : int, optional
        Smallest topic; default scaled to the corpus (module docstring).
    nr_topics : int or "auto", optional
        BERTopic: reduce to this many topics after clustering (``None`` keeps what
        HDBSCAN finds). LDA/NMF: the number of topics (default scaled).
    top_n_words : int, default=10
        Terms kept per topic (and per outlet and topic).
    cache_dir : path, optional
        Embedding cache folder; ``None`` keeps embeddings in memory only.
    period : {"week", "month"}, default="month"
        Time bins of ``topics_over_time``.
    reduce_outliers : bool, default=False
        BERTopic only: reassign outliers to the nearest topic by embedding.
    reduction : {"auto", "umap", "pca"}, default="auto"
        BERTopic only: the dimension reduction before clustering; ``"auto"`` is UMAP
        from 300 documents on and PCA below (module docstring).
    n_boot : int, default=2000
        Bootstrap resamples for the share intervals (0 = no intervals).
    ci : float, default=0.95
        Interval coverage.
    min_df : int or float, default=1
        Keep terms that occur in at least this many documents (a float: this
        fraction of the documents), for every method; rare terms otherwise often top
        small topics and lower their coherence.
    allow_download : bool, optional
        Allow downloading a named embedding model (default: ``FRAMING_ALLOW_DOWNLOAD``).
    show_progress : bool, optional
        Progress bar while embedding (default: for 1,000 texts or more). When
        True, a line on standard error also says when each slow phase without a bar
        of its own starts (embedding-model load, UMAP, clustering).

    Returns
    -------
    TopicResult
        Tables ``doc_topics``, ``topic_info``, ``topic_terms``, ``topics_by_outlet``,
        ``topics_over_time``, the fitted ``model``, ``params`` and ``notes``. Shares are
        fractions in [0, 1]; a larger share means the outlet gives the topic more of
        its documents.

    Raises
    ------
    TopicModelError
        Fewer than 6 non-empty documents, a table without ``article_id``/``text``, or
        a model that cannot be fitted with the given sizes.
    """
    if method not in ("bertopic", "lda", "nmf"):
        raise ValueError(f"method must be 'bertopic', 'lda' or 'nmf', got {method!r}")
    if period not in ("week", "month"):
        raise ValueError(f"period must be 'week' or 'month', got {period!r}")
    if (
        nr_topics is not None
        and nr_topics != "auto"
        and (not isinstance(nr_topics, int | np.integer) or nr_topics < 2)
    ):
        raise ValueError(f"nr_topics must be None, 'auto' or an int >= 2, got {nr_topics!r}")
    notes: dict[str, Any] = {}
    docs = _documents(table, unit, notes)
    n_docs = len(docs)
    if n_docs < _MIN_DOCS:
        raise TopicModelError(
            f"a topic model needs at least {_MIN_DOCS} non-empty documents; got {n_docs} "
            f"({notes['unit']}s). Add articles, or model smaller units "
            "(unit='paragraph' or 'sentence')."
        )
    if min_topic_size is not None and not 2 <= int(min_topic_size) <= n_docs:
        raise ValueError(f"min_topic_size must be between 2 and {n_docs}, got {min_topic_size}")
    sizes = scaled_sizes(n_docs, min_topic_size, reduction)
    opts = {
        "random_state": int(random_state),
        "nr_topics": int(nr_topics) if isinstance(nr_topics, int | np.integer) else nr_topics,
        "top_n_words": int(top_n_words),
        "cache_dir": cache_dir,
        "period": period,
        "reduce_outliers": bool(reduce_outliers),
        "n_boot": int(n_boot),
        "ci": float(ci),
        "min_df": min_df,
        "allow_download": allow_download,
        "show_progress": show_progress,
        "embedding_model": embedding_model,
        "embeddings": embeddings,
    }
    emb = None
    if method == "bertopic":
        emb = _embed(docs, embedding_model, embeddings, opts, notes)
        topics, probs, terms, model, counts, vocab = _fit_bertopic(docs, emb, opts, sizes, notes)
    else:
        topics, probs, terms, model, counts, vocab = _fit_sklearn(docs, method, opts, sizes, notes)
    notes["n_outliers"] = int((topics == -1).sum())
    notes["outliers"] = (
        "topic -1 kept in every table; shares use all documents (outliers included) as "
        "the denominator"
    )
    info, term_table = _topic_tables(topics, terms)
    labels = dict(zip(info["topic"], info["label"], strict=True))
    topic_ids = info["topic"].tolist()
    doc_topics = pd.DataFrame(
        {
            "article_id": docs["article_id"],
            "unit_id": docs["unit_id"],
            "outlet": docs["outlet"],
            "topic": topics.astype("int64"),
            "probability": probs.astype("float64"),
        }
    )
    params = {
        "method": method,
        "unit": notes["unit"],
        "n_docs": n_docs,
        "random_state": opts["random_state"],
        "nr_topics": opts["nr_topics"],
        "top_n_words": opts["top_n_words"],
        "period": period,
        "n_boot": opts["n_boot"],
        "ci": opts["ci"],
        "min_df": opts["min_df"],
        "reduce_outliers": opts["reduce_outliers"],
        **sizes,
    }
    if method == "bertopic":
        params["embedding_model"] = notes.get("embedding_model_id", "precomputed")
    return TopicResult(
        doc_topics=doc_topics,
        topic_info=info,
        topic_terms=term_table,
        topics_by_outlet=_by_outlet(docs, topics, topic_ids, labels, counts, vocab, opts),
        topics_over_time=_over_time(docs, topics, topic_ids, labels, opts, notes),
        documents=docs,
        model=model,
        embeddings=emb,
        params=params,
        notes=notes,
    )


def __getattr__(name: str) -> Any:  # pickles of older runs name the backend class here
    if name == "FramingEmbedder":
        return _backend_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
