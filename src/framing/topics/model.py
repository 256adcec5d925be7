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
- UMAP ``n_neighbors = min(15, n - 1)``; ``n_components = min(5, max(2, n // 10))``
  (BERTopic's 5 from 50 documents on); ``init="spectral"`` from 30 documents on,
  ``"random"`` below (the spectral layout is unstable on tiny graphs).
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

import hashlib
import json
import warnings
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framing._resampling import percentile_interval

__all__ = [
    "AUTO_PARAGRAPH_BELOW",
    "TopicModelError",
    "TopicResult",
    "clean_for_terms",
    "fit_topics",
    "scaled_sizes",
]

#: ``unit="auto"`` models paragraphs below this many non-empty articles.
AUTO_PARAGRAPH_BELOW = 100
_MIN_DOCS = 6


class TopicModelError(ValueError):
    """The topic model cannot be fitted on this input (too few documents, bad table)."""


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


def clean_for_terms(text: str) -> str:
    """Prepare text for counting topic terms, as BERTopic does with an embedding model.

    Newlines and tabs become spaces; punctuation is left to the tokenizer, which splits
    on it (``"Kyiv's"`` -> ``kyiv``; ``"talks—even"`` -> ``talks``, ``even``).
    BERTopic strips every non-ASCII-alphanumeric character only when it has no
    embedding model (which glues ``"talks—even"`` into ``talkseven``); here BERTopic
    always has one, and LDA, NMF and the coherence tokenizer use the same preparation,
    so all models share one vocabulary.

    Examples
    --------
    >>> clean_for_terms("Kyiv's allies\\tmet\\nenvoys.")
    "Kyiv's allies met envoys."
    """
    return text.replace("\n", " ").replace("\t", " ")


def scaled_sizes(n_docs: int, min_topic_size: int | None = None) -> dict[str, Any]:
    """Return the corpus-scaled sizes documented in the module docstring.

    Examples
    --------
    >>> scaled_sizes(40)
    {'min_topic_size': 4, 'n_neighbors': 15, 'n_components': 4, 'init': 'spectral'}
    >>> scaled_sizes(8)
    {'min_topic_size': 2, 'n_neighbors': 7, 'n_components': 2, 'init': 'random'}
    """
    if min_topic_size is None:
        min_topic_size = max(2, min(10, n_docs // 10))
    return {
        "min_topic_size": int(min_topic_size),
        "n_neighbors": int(min(15, n_docs - 1)),
        "n_components": int(min(5, max(2, n_docs // 10))),
        "init": "spectral" if n_docs >= 30 else "random",
    }


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


# --------------------------------------------------------------------------- models


def _embed(docs: pd.DataFrame, embedding_model: Any, embeddings: Any, opts: dict, notes: dict):
    if embeddings is not None:
        emb = np.asarray(embeddings, dtype=np.float32)
        if emb.ndim != 2 or emb.shape[0] != len(docs):
            raise TopicModelError(
                f"embeddings has shape {emb.shape} but there are {len(docs)} documents; "
                "pass one row per document modelled (after empty texts are dropped)"
            )
        notes["embeddings"] = "precomputed (passed in)"
        return emb
    from framing.embeddings import EmbeddingTruncationWarning, embed_texts_report

    report = embed_texts_report(
        docs["text"].tolist(),
        model=embedding_model,
        cache_dir=opts["cache_dir"],
        show_progress=opts["show_progress"],
        allow_download=opts["allow_download"],
    )
    notes.update(
        embedding_model_id=report.model_id,
        n_embedded=report.n_embedded,
        n_from_cache=report.n_cached,
        n_truncated=report.n_truncated,
        max_seq_length=report.max_seq_length,
    )
    if report.n_truncated:
        warnings.warn(
            f"{report.n_truncated} of {report.n_texts} documents exceed the embedding "
            f"model's max_seq_length ({report.max_seq_length} word pieces): only their "
            "beginning is embedded. Use unit='paragraph' to embed whole texts.",
            EmbeddingTruncationWarning,
            stacklevel=3,
        )
    return report.embeddings


def _import_bertopic() -> Any:
    """Import BERTopic without its global warning filters.

    ``bertopic._bertopic`` runs ``warnings.filterwarnings("ignore", category=UserWarning)``
    on import, which would hide every later UserWarning of the process, ours included
    (dropped texts, truncation). Importing inside ``catch_warnings`` restores the filters.
    """
    with warnings.catch_warnings():
        import bertopic
        import bertopic.backend

    return bertopic


def _backend_class() -> type:
    BaseEmbedder = _import_bertopic().backend.BaseEmbedder

    class FramingEmbedder(BaseEmbedder):
        """BERTopic backend that embeds through :func:`framing.embeddings.embed_texts`."""

        def __init__(self, model: Any = None, cache_dir: Any = None, allow_download=None):
            super().__init__()
            self.model, self.cache_dir, self.allow_download = model, cache_dir, allow_download

        def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray:
            from framing.embeddings import embed_texts

            return embed_texts(
                list(documents),
                model=self.model,
                cache_dir=self.cache_dir,
                show_progress=verbose,
                allow_download=self.allow_download,
            )

    FramingEmbedder.__module__ = __name__
    FramingEmbedder.__qualname__ = "FramingEmbedder"
    globals()["FramingEmbedder"] = FramingEmbedder
    return FramingEmbedder


def __getattr__(name: str) -> Any:  # lets pickle find the lazily built backend class
    if name == "FramingEmbedder":
        return _backend_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class CachedUMAP:
    """UMAP whose output is cached on disk, keyed by the input embeddings and parameters.

    UMAP is deterministic given ``random_state``, so a cached reduction is exactly what
    a new fit would return; reusing it spares warm runs the fit and numba's compilation
    of UMAP in every new process (about 9 s here). ``transform`` of the training
    embeddings returns the training reduction, as UMAP does; other inputs fit UMAP on
    the training embeddings first (same seed, same result) and then transform.

    Parameters
    ----------
    params : dict
        Keyword arguments for :class:`umap.UMAP`.
    cache_dir : path, optional
        Folder for ``<sha256>.npy`` reductions; ``None`` caches nothing.
    """

    def __init__(self, params: dict[str, Any], cache_dir: Any = None) -> None:
        self.params = params
        self.cache_dir = cache_dir

    @property
    def random_state(self) -> Any:
        """The seed passed to UMAP."""
        return self.params.get("random_state")

    def _key(self, X: np.ndarray) -> str:
        digest = hashlib.sha256(json.dumps(self.params, sort_keys=True).encode())
        digest.update(str(X.shape).encode())
        digest.update(np.ascontiguousarray(X, dtype=np.float32).tobytes())
        return digest.hexdigest()

    def _umap(self, X: np.ndarray) -> Any:
        from umap import UMAP

        model = UMAP(**self.params).fit(X)
        self.umap_ = model
        return model

    def fit_transform(self, X: np.ndarray, y: Any = None) -> np.ndarray:
        X = np.asarray(X)
        self.training_data_, self.key_ = X, self._key(X)
        path = None if self.cache_dir is None else Path(self.cache_dir) / f"{self.key_}.npy"
        if path is not None and path.is_file():
            self.embedding_ = np.load(path)
            self.from_cache_ = True
            return self.embedding_
        self.embedding_ = np.asarray(self._umap(X).embedding_)
        self.from_cache_ = False
        if path is not None:
            from framing.export import atomic_write

            def write(tmp: Path) -> None:
                with tmp.open("wb") as handle:  # a handle: np.save would add ".npy"
                    np.save(handle, self.embedding_)

            atomic_write(path, write)
        return self.embedding_

    def fit(self, X: np.ndarray, y: Any = None) -> CachedUMAP:
        self.fit_transform(X, y)
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X)
        if X.shape == self.training_data_.shape and self._key(X) == self.key_:
            return self.embedding_
        model = getattr(self, "umap_", None) or self._umap(self.training_data_)
        return model.transform(X)


def _fit_bertopic(docs, emb, opts, sizes, notes):
    BERTopic = _import_bertopic().BERTopic
    from hdbscan import HDBSCAN
    from sklearn.feature_extraction.text import CountVectorizer

    umap_params = {
        "n_neighbors": sizes["n_neighbors"],
        "n_components": sizes["n_components"],
        "min_dist": 0.0,
        "metric": "cosine",
        "init": sizes["init"],
        "low_memory": False,
        "random_state": opts["random_state"],
    }
    reduced_dir = None if opts["cache_dir"] is None else Path(opts["cache_dir"]) / "umap"
    umap_model = CachedUMAP(umap_params, reduced_dir)
    hdbscan_model = HDBSCAN(
        min_cluster_size=sizes["min_topic_size"],
        metric="euclidean",
        cluster_selection_method="eom",
        prediction_data=True,
    )
    texts = docs["text"].tolist()
    # The vocabulary comes from the documents (min_df counts documents, as for LDA/NMF);
    # BERTopic then counts it per topic.
    try:
        vocabulary = (
            CountVectorizer(stop_words="english", min_df=opts["min_df"])
            .fit([clean_for_terms(t) for t in texts])
            .vocabulary_
        )
    except ValueError as exc:
        raise TopicModelError(
            f"no term occurs in at least min_df={opts['min_df']} of the {len(texts)} "
            f"documents after removing stop words ({exc}); lower min_df"
        ) from exc
    vectorizer = CountVectorizer(stop_words="english", vocabulary=vocabulary)
    embedder = None
    if opts["embeddings"] is None or opts["embedding_model"] is not None:
        backend = globals().get("FramingEmbedder") or _backend_class()
        embedder = backend(opts["embedding_model"], opts["cache_dir"], opts["allow_download"])
    model = BERTopic(
        embedding_model=embedder,
        umap_model=umap_model,
        hdbscan_model=hdbscan_model,
        vectorizer_model=vectorizer,
        min_topic_size=sizes["min_topic_size"],
        nr_topics=opts["nr_topics"],
        top_n_words=opts["top_n_words"],
        calculate_probabilities=False,
        language=None,  # as with an embedding model: no character stripping
        verbose=False,
    )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*n_jobs value 1 overridden.*")
        warnings.filterwarnings("ignore", message=".*random_state.*parallelism.*")
        try:
            topics, probs = model.fit_transform(texts, embeddings=emb)
        except (ValueError, TypeError, IndexError) as exc:
            raise TopicModelError(
                f"BERTopic could not fit {len(texts)} documents with "
                f"min_topic_size={sizes['min_topic_size']}, n_neighbors="
                f"{sizes['n_neighbors']}, n_components={sizes['n_components']} "
                f"({type(exc).__name__}: {exc}). Try a smaller min_topic_size, more "
                "documents, or unit='paragraph'/'sentence'."
            ) from exc
    topics = np.asarray(topics, dtype=int)
    probs = np.asarray(probs, dtype=float) if probs is not None else np.ones(len(texts))
    probs = np.where(topics == -1, 0.0, probs)
    notes["n_outliers_hdbscan"] = int((topics == -1).sum())
    if opts["reduce_outliers"] and (topics == -1).any() and (topics != -1).any():
        new = np.asarray(
            model.reduce_outliers(texts, topics.tolist(), strategy="embeddings", embeddings=emb),
            dtype=int,
        )
        model.update_topics(
            texts,
            topics=new.tolist(),
            vectorizer_model=vectorizer,
            top_n_words=opts["top_n_words"],
        )
        notes["n_outliers_reassigned"] = int(((topics == -1) & (new != -1)).sum())
        probs = np.where((topics == -1) & (new != -1), np.nan, probs)
        topics = new
    found = sorted(t for t in set(topics.tolist()) if t != -1)
    if not found:
        notes["no_topics"] = "HDBSCAN put every document in the outlier topic -1"
        warnings.warn(
            f"no topic found: all {len(texts)} documents are outliers (topic -1). Try a "
            f"smaller min_topic_size (now {sizes['min_topic_size']}) or more documents.",
            stacklevel=3,
        )
    if isinstance(opts["nr_topics"], int) and opts["nr_topics"] > len(found):
        notes["nr_topics"] = (
            f"asked for {opts['nr_topics']} topics; HDBSCAN found only {len(found)}, kept"
        )
    terms = {}
    for t in sorted(set(topics.tolist())):
        words = model.get_topic(t) or []
        terms[t] = [(w, float(s)) for w, s in words if w][: opts["top_n_words"]]
    counts = model.vectorizer_model.transform([clean_for_terms(t) for t in texts])
    vocab = np.asarray(model.vectorizer_model.get_feature_names_out())
    return topics, probs, terms, model, counts, vocab


def _fit_sklearn(docs, method, opts, sizes, notes):
    from sklearn.decomposition import NMF, LatentDirichletAllocation
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

    n_docs = len(docs)
    k = opts["nr_topics"]
    if k is None:
        k = min(10, max(2, n_docs // sizes["min_topic_size"]))
        notes["nr_topics_rule"] = f"default min(10, max(2, n_docs // min_topic_size)) = {k}"
    elif not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise ValueError(f"method={method!r} needs nr_topics as a positive int, got {k!r}")
    vectorizer = CountVectorizer(stop_words="english", min_df=opts["min_df"])
    try:
        counts = vectorizer.fit_transform([clean_for_terms(t) for t in docs["text"]])
    except ValueError as exc:  # empty vocabulary
        raise TopicModelError(
            f"no countable terms in the {n_docs} documents after removing stop words "
            f"({exc}); topics need documents with content words"
        ) from exc
    if method == "lda":
        model = LatentDirichletAllocation(n_components=k, random_state=opts["random_state"])
        weights = model.fit_transform(counts)
    else:
        model = NMF(n_components=k, random_state=opts["random_state"], max_iter=500)
        weights = model.fit_transform(TfidfTransformer().fit_transform(counts))
    weights = np.asarray(weights, dtype=float)
    empty = np.asarray(counts.sum(axis=1)).ravel() == 0
    totals = weights.sum(axis=1)
    norm = np.divide(
        weights, totals[:, None], out=np.zeros_like(weights), where=totals[:, None] > 0
    )
    raw = norm.argmax(axis=1)
    probs = norm.max(axis=1)
    no_topic = empty | (totals <= 0)
    # topics renumbered by size (0 = largest), as BERTopic does
    sizes_raw = np.bincount(raw[~no_topic], minlength=k)
    order = sorted(range(k), key=lambda j: (-sizes_raw[j], j))
    remap = np.empty(k, dtype=int)
    remap[order] = np.arange(k)
    topics = np.where(no_topic, -1, remap[raw])
    probs = np.where(no_topic, 0.0, probs)
    notes["n_without_terms"] = int(no_topic.sum())
    comp = np.asarray(model.components_, dtype=float)
    comp = comp / np.maximum(comp.sum(axis=1, keepdims=True), 1e-300)
    vocab = np.asarray(vectorizer.get_feature_names_out())
    terms = {}
    for j in order:
        top = np.argsort(-comp[j], kind="stable")[: opts["top_n_words"]]
        terms[int(remap[j])] = [(str(vocab[i]), float(comp[j, i])) for i in top if comp[j, i] > 0]
    if no_topic.any():
        terms[-1] = []
    return topics, probs, terms, model, counts, vocab


# --------------------------------------------------------------------------- tables


def _format_terms(pairs: list[tuple[str, float]]) -> str:
    return ", ".join(f"{w} ({s:.3g})" for w, s in pairs)


def _topic_tables(topics: np.ndarray, terms: dict[int, list[tuple[str, float]]]):
    sizes = pd.Series(topics).value_counts()
    rows, long = [], []
    for t in sorted(terms):
        pairs = terms[t]
        label = "outlier" if t == -1 else ", ".join(w for w, _ in pairs[:3]) or f"topic {t}"
        rows.append((t, int(sizes.get(t, 0)), label, _format_terms(pairs), len(pairs)))
        long.extend((t, r, w, s) for r, (w, s) in enumerate(pairs, start=1))
    info = pd.DataFrame(rows, columns=["topic", "size", "label", "top_terms", "n_terms"])
    term_table = pd.DataFrame(long, columns=["topic", "rank", "term", "weight"])
    return info.astype({"topic": "int64", "size": "int64"}), term_table.astype(
        {"topic": "int64", "rank": "int64", "weight": "float64"}
    )


def _class_tfidf(class_counts: sp.csr_matrix) -> sp.csr_matrix:
    """c-TF-IDF (Grootendorst 2022): l1-normalised class term frequency x log(1 + A/f_t)."""
    class_counts = sp.csr_matrix(class_counts, dtype=float)
    row_sums = np.asarray(class_counts.sum(axis=1)).ravel()
    tf = sp.diags(np.divide(1.0, row_sums, out=np.zeros_like(row_sums), where=row_sums > 0))
    freq = np.asarray(class_counts.sum(axis=0)).ravel()
    avg = int(row_sums.mean()) if len(row_sums) else 0
    idf = np.log(np.divide(avg, freq, out=np.zeros_like(freq), where=freq > 0) + 1)
    return (tf @ class_counts @ sp.diags(idf)).tocsr()


def _outlet_terms(docs, topics, counts, vocab, top_n) -> dict[tuple[str, int], str]:
    pairs = pd.Series(list(zip(docs["outlet"], topics.tolist(), strict=True)), dtype=object)
    inverse, classes = pd.factorize(pairs)
    group = sp.csr_matrix(
        (np.ones(len(topics)), (inverse, np.arange(len(topics)))),
        shape=(len(classes), len(topics)),
    )
    weights = _class_tfidf(group @ sp.csr_matrix(counts))
    out = {}
    for c, (outlet, topic) in enumerate(classes):
        row = weights.getrow(c)
        top = np.argsort(-row.data, kind="stable")[:top_n]
        out[(outlet, int(topic))] = _format_terms(
            [(str(vocab[row.indices[i]]), float(row.data[i])) for i in top if row.data[i] > 0]
        )
    return out


def _bootstrap_shares(articles, topics_of_units, topic_ids, n_boot, ci, seed):
    """Shares with percentile-bootstrap intervals that resample articles.

    Returns (shares, low, high) arrays over ``topic_ids``. share = units in the topic /
    all units; a resample draws articles with replacement (each with all its units) and
    recomputes that ratio for every topic at once, through the package's one
    bootstrap (:func:`framing._resampling.percentile_interval`, as
    :func:`framing.compare.bootstrap_ci`; the tests check equality).
    """
    art_codes, art_index = np.unique(articles, return_inverse=True)
    pos = {t: i for i, t in enumerate(topic_ids)}
    col = np.array([pos[t] for t in topics_of_units], dtype=int)
    m = len(art_codes)
    counts = np.zeros((m, len(topic_ids)))
    np.add.at(counts, (art_index, col), 1.0)
    totals = counts.sum(axis=1)
    shares = counts.sum(axis=0) / totals.sum()
    low = np.full(len(topic_ids), np.nan)
    high = np.full(len(topic_ids), np.nan)
    if m < 2 or n_boot < 1:
        return shares, low, high

    def ratio(draws: np.ndarray, axis: int = -1) -> np.ndarray:
        """Topic shares of each resample of articles (rows of ``draws``): (topics, b)."""
        b = draws.shape[0]
        flat = (np.arange(b)[:, None] * m + draws.astype(np.intp)).ravel()
        weights = np.bincount(flat, minlength=b * m).reshape(b, m).astype(float)
        return ((weights @ counts) / (weights @ totals)[:, None]).T

    low, high = percentile_interval(
        (np.arange(m),), ratio, n_boot=n_boot, ci=ci, random_state=seed, width=m
    )
    return shares, low, high


def _seed(random_state: int, *parts: str) -> int:
    """Derive a group's seed from ``random_state`` and its name (not its position)."""
    entropy = [int(random_state), *(zlib.crc32(p.encode("utf-8")) for p in parts)]
    return int(np.random.SeedSequence(entropy).generate_state(1)[0])


def _share_table(docs, topics, topic_ids, labels, group_cols, opts, outlet_terms=None):
    rows = []
    frame = docs.assign(topic=topics)
    for key, sub in frame.groupby(group_cols, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        seed = _seed(opts["random_state"], *map(str, key))
        shares, low, high = _bootstrap_shares(
            sub["article_id"].to_numpy(),
            sub["topic"].to_numpy(),
            topic_ids,
            opts["n_boot"],
            opts["ci"],
            seed,
        )
        n_art = sub["article_id"].nunique()
        n_in = sub["topic"].value_counts()
        note = "" if n_art >= 2 else "1 article: no interval"
        for i, t in enumerate(topic_ids):
            row = dict(zip(group_cols, key, strict=True))
            row.update(
                topic=int(t),
                label=labels.get(t, ""),
                n_docs=int(n_in.get(t, 0)),
                n_group_docs=len(sub),
                n_articles=int(n_art),
                share=float(shares[i]),
                ci_low=float(low[i]),
                ci_high=float(high[i]),
            )
            if outlet_terms is not None:
                row["top_terms_outlet"] = outlet_terms.get((key[0], int(t)), "")
            row["note"] = note
            rows.append(row)
    return pd.DataFrame(rows)


def _by_outlet(docs, topics, topic_ids, labels, counts, vocab, opts):
    terms = _outlet_terms(docs, topics, counts, vocab, opts["top_n_words"])
    table = _share_table(docs, topics, topic_ids, labels, ["outlet"], opts, terms)
    return table.rename(columns={"n_group_docs": "n_outlet_docs"})[
        [
            "outlet",
            "topic",
            "label",
            "n_docs",
            "n_outlet_docs",
            "n_articles",
            "share",
            "ci_low",
            "ci_high",
            "top_terms_outlet",
            "note",
        ]
    ]


def _over_time(docs, topics, topic_ids, labels, opts, notes):
    cols = [
        "period",
        "outlet",
        "topic",
        "label",
        "n_docs",
        "n_period_docs",
        "n_articles",
        "share",
        "ci_low",
        "ci_high",
        "note",
    ]
    dated = docs["published"].notna().to_numpy()
    notes["n_undated_docs"] = int((~dated).sum())
    if not dated.any():
        notes["topics_over_time"] = "no publication dates: table left empty"
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    freq = {"month": "M", "week": "W"}[opts["period"]]
    sub = docs.loc[dated].copy()
    sub["period"] = sub["published"].dt.to_period(freq).dt.start_time
    table = _share_table(sub, topics[dated], topic_ids, labels, ["period", "outlet"], opts)
    return table.rename(columns={"n_group_docs": "n_period_docs"})[cols]


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
        Progress bar while embedding (default: for 1,000 texts or more).

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
    sizes = scaled_sizes(n_docs, min_topic_size)
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
