"""The on-disk embedding cache (see :mod:`framing.embeddings`)."""

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
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from framing.embeddings._models import _MODELS

#: Shards in one cache folder before they are merged into one.
MAX_SHARDS = 32

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
