"""Topic-model backends: embeddings, BERTopic with a cached UMAP, LDA and NMF.

Heavy libraries (bertopic, umap, hdbscan, scikit-learn models) are imported inside
functions only. See :mod:`framing.topics.model` for the methods and settings.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
import types
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing._progress import heartbeat
from framing.topics._base import TopicModelError, clean_for_terms

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

    _status(opts, f"embedding {len(docs):,} documents (loads the embedding model first)")
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


#: Seconds between two "still working" lines while UMAP fits (``show_progress=True``).
UMAP_HEARTBEAT = 10.0


def _stderr_status(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _status(opts: dict, message: str) -> None:
    """Say which phase starts (``show_progress=True``): phases that can exceed 10 s.

    Loading the embedding model, UMAP (whose numba code is compiled in the first run
    of a new environment) and clustering print no progress of their own.
    """
    if opts.get("show_progress"):
        _stderr_status(f"topics: {message}")


_NUMBA_CACHED: list[bool] = []


def _umap_class() -> type:
    """Import ``umap.UMAP``, with numba's on-disk cache on for all of UMAP's kernels.

    UMAP (0.5) and pynndescent declare some of their numba functions without
    ``cache=True``: ``smooth_knn_dist`` and ``compute_membership_strengths`` (both
    ``parallel=True``, compiled by every ``fit``), ``init_transform`` and
    ``init_update`` (every ``transform``), pynndescent's NN-descent (corpora of 4,096
    documents or more). Numba then compiles them again in **every** process: 9 s of
    CPU on an idle machine and 5 minutes under load (``bench_topics_profile.py``),
    while the fit itself takes seconds. ``Dispatcher.enable_caching()`` gives them the
    file cache that ``cache=True`` gives (numba's usual place: ``__pycache__`` next to
    the package if writable, else the user cache; ``NUMBA_CACHE_DIR`` overrides), so
    they compile once per environment. The compiled code is the same, so are the
    results. Functions numba cannot cache (dynamic globals) are left as they are.
    """
    from umap import UMAP

    if not _NUMBA_CACHED:
        _NUMBA_CACHED.append(True)
        from numba.core.caching import NullCache
        from numba.core.registry import CPUDispatcher

        for name, module in list(sys.modules.items()):
            if module is None or not name.startswith(("umap.", "pynndescent.")):
                continue
            for obj in list(vars(module).values()):
                if isinstance(obj, CPUDispatcher) and isinstance(obj._cache, NullCache):
                    with contextlib.suppress(Exception):
                        obj.enable_caching()
    return UMAP


class _DeferredUMAP:
    """Stands in for ``umap.UMAP`` in BERTopic's plotting module; builds the real one.

    Calling it imports :mod:`umap` and returns ``umap.UMAP(*args, **kwargs)``, so
    BERTopic's ``visualize_topics`` behaves as with the real class.
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        return _umap_class()(*args, **kwargs)


@contextlib.contextmanager
def _umap_deferred() -> Iterator[None]:
    """Let ``from umap import UMAP`` bind :class:`_DeferredUMAP` for the duration.

    BERTopic's plotting module imports UMAP at import time, and UMAP imports
    pynndescent, whose numba functions compile at import: 20-30 s of CPU in a new
    environment, and about 5 s in every process after it, even when the topic model
    reduces with PCA (small corpora) or is never fitted. Only the name is deferred:
    the stand-in is removed from ``sys.modules`` afterwards, so a later
    ``import umap`` (ours, the user's or BERTopic's) loads the real package.
    """
    if "umap" in sys.modules:
        yield
        return
    stub = types.ModuleType("umap")
    stub.UMAP = _DeferredUMAP  # type: ignore[attr-defined]
    sys.modules["umap"] = stub
    try:
        yield
    finally:
        if sys.modules.get("umap") is stub:
            del sys.modules["umap"]


def _import_bertopic() -> Any:
    """Import BERTopic without its global warning filters and without importing UMAP.

    ``bertopic._bertopic`` runs ``warnings.filterwarnings("ignore", category=UserWarning)``
    on import, which would hide every later UserWarning of the process, ours included
    (dropped texts, truncation). Importing inside ``catch_warnings`` restores the filters.
    UMAP is imported when a reduction first needs it (:func:`_umap_deferred`).
    """
    with warnings.catch_warnings(), _umap_deferred():
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

    def __init__(
        self, params: dict[str, Any], cache_dir: Any = None, show_progress: bool = False
    ) -> None:
        self.params = params
        self.cache_dir = cache_dir
        self.show_progress = show_progress

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
        _status(
            {"show_progress": getattr(self, "show_progress", False)},
            f"reducing {len(X):,} embeddings with UMAP, then clustering (the first run in "
            "a new environment also compiles UMAP's numba code, about half a minute)",
        )
        # UMAP's own progress lines (its steps, then epochs) when someone asked for
        # progress: a reduction of thousands of documents takes tens of seconds. Some
        # of its steps print nothing for longer (the spectral initialisation: 15 s on
        # 4,000 documents under load), so a heartbeat says every UMAP_HEARTBEAT
        # seconds that the reduction is still running.
        verbose = bool(getattr(self, "show_progress", False))
        with heartbeat(
            _stderr_status if verbose else None,
            "topics: UMAP",
            first=UMAP_HEARTBEAT,
            every=UMAP_HEARTBEAT,
        ):
            model = _umap_class()(**self.params, verbose=verbose).fit(X)
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
    if sizes["reduction"] == "pca":
        from sklearn.decomposition import PCA

        _status(opts, f"reducing {len(docs):,} embeddings with PCA, then clustering")
        umap_model = PCA(
            n_components=sizes["n_components"],
            svd_solver="full",
            random_state=opts["random_state"],  # unused by the exact solver; recorded
        )
    else:
        reduced_dir = None if opts["cache_dir"] is None else Path(opts["cache_dir"]) / "umap"
        umap_model = CachedUMAP(
            umap_params, reduced_dir, show_progress=bool(opts["show_progress"])
        )
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
