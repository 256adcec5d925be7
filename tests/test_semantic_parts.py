"""Issue 15: semantic frames partition by partition (framing.run.semantic_parts).

The corpus-wide numbers of the semantic method (the mean embedding the units are
centred on, each frame's unit-score mean and SD behind the cut-off, the headline
z-scores) are pooled from per-partition results; each is checked here against the
same number computed on the whole corpus at once. Runs with the real MiniLM:
float columns to ``rtol=1e-9`` when both runs read the same cached vectors, to
``atol=1e-5`` when each embeds on its own (MiniLM's float32 output depends on the
batch a text is encoded in; measured differences about 1e-6).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_scale import FAST, _run, assert_runs_equal, make_corpus, with_article_tables

from framing.frames.headline import (
    semantic_headline,
    semantic_score_params,
    semantic_score_parts,
)
from framing.frames.semantic import normalise, semantic_similarity
from framing.frames.sets import load_frame_set
from framing.run.config import load_config
from framing.run.runner import RunError, run_all
from framing.run.semantic_parts import combine_moments

SEMANTIC = {"corpus.id": "id", "frames.method": "semantic"}


def test_pooled_moments_equal_the_whole_corpus() -> None:
    rng = np.random.default_rng(0)
    values = rng.normal(3.0, 2.0, size=(500, 4))
    values[:, 3] = 7.0  # a constant column: SD 0
    cuts = [0, 120, 120, 121, 400, 500]  # one empty and one single-row part
    parts = []
    for a, b in itertools.pairwise(cuts):
        chunk = values[a:b]
        mean = chunk.mean(axis=0) if len(chunk) else np.zeros(4)
        parts.append(
            {"n": len(chunk), "mean": mean.tolist(), "m2": ((chunk - mean) ** 2).sum(0).tolist()}
        )
    n, mean, sd = combine_moments(parts)
    assert n == 500
    np.testing.assert_allclose(mean, values.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(sd, values.std(axis=0), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("with_terms", [True, False])
def test_headline_from_corpus_params_equals_the_corpus_headline(with_terms: bool) -> None:
    rng = np.random.default_rng(1)
    n_art, n_frames = 300, 4
    topk = rng.normal(size=(n_art, n_frames))
    topk[5, 1] = np.nan  # an article without units
    topk[:, 2] = 0.25  # a frame that does not rank the articles
    n_words = rng.integers(0, 900, size=n_art).astype(float)
    n_words[7] = 0
    n_matches = rng.poisson(0.01 * n_words[:, None], size=(n_art, n_frames)).astype(float)
    n_matches[:, 3] = 0  # terms that match nothing: the semantic z alone
    counts = n_matches if with_terms else None
    whole, constant, _ = semantic_headline(topk, counts, n_words)
    assert constant.tolist() == [False, False, True, False]
    params = semantic_score_params(topk, counts, n_words)
    rows = rng.permutation(n_art)[:120]  # a "partition": any subset of articles, long format
    column = np.tile(np.arange(n_frames), len(rows))
    got = semantic_score_parts(
        topk[rows].ravel(),
        n_matches[rows].ravel(),
        np.repeat(n_words[rows], n_frames),
        column,
        params,
    )
    np.testing.assert_allclose(got, whole[rows].ravel(), rtol=1e-9, atol=1e-12)
    assert np.array_equal(np.isnan(got), np.isnan(whole[rows].ravel()))


def _hash_embed(texts: list[str]) -> np.ndarray:
    """Deterministic 16-d vectors from the text's hash (a stand-in for MiniLM)."""
    out = np.zeros((len(texts), 16))
    for i, t in enumerate(texts):
        seed = int.from_bytes(hashlib.sha256(t.encode()).digest()[:8], "little")
        out[i] = np.random.default_rng(seed).normal(size=16)
    return out


def test_partition_scored_with_the_corpus_mean_equals_the_whole_corpus() -> None:
    fs = load_frame_set("ukraine-diplomacy")
    texts = [f"sentence number {i} about talks" for i in range(200)]
    whole = semantic_similarity(texts, fs, _hash_embed, center=True)
    mean = normalise(_hash_embed(texts)).mean(axis=0)
    part = semantic_similarity(texts[50:90], fs, _hash_embed, center=True, mean=mean)
    np.testing.assert_allclose(part, whole[50:90], rtol=1e-12, atol=1e-14)
    with pytest.warns(UserWarning, match="centring on the mean of only 40"):
        alone = semantic_similarity(texts[50:90], fs, _hash_embed, center=True)
    assert not np.allclose(alone, whole[50:90])  # the partition's own mean differs


def test_partitioned_semantic_equals_memory(tmp_path: Path) -> None:
    """Same tables (frames and comparisons) as in memory, on the same cached vectors.

    Both runs write to one output folder, so the partitioned run reads the vectors
    the in-memory run cached (cache/embeddings) and embeds nothing.
    """
    corpus = make_corpus(tmp_path / "c", 240, files=6)
    local = _run(corpus, tmp_path / "out", **SEMANTIC, **{"run.store": "memory"})
    settings = {**SEMANTIC, "run.store": "partitioned", "run.partition_mb": 0.01}
    cfg = load_config(
        None,
        overrides={
            "corpus.path": str(corpus),
            "output.dir": str(tmp_path / "out"),
            **FAST,
            **settings,
        },
    )
    lines: list[str] = []
    part = with_article_tables(
        run_all(cfg, show_progress=False, log=lines.append), tmp_path / "out"
    )
    assert sum(m.startswith("frames: partition ") for m in lines) >= 3, lines
    estimate = [m for m in lines if m.startswith("embedding ")]
    assert len(estimate) == 1 and re.match(
        r"embedding 0 new sentences \([\d,]+ cached\) with all-MiniLM-L6-v2: nothing to encode$",
        estimate[0],
    ), estimate
    assert part["frame_summary"]["method"].eq("semantic").all()
    assert_runs_equal(local, part)
    again: list[str] = []  # a re-run computes no partition again
    run_all(cfg, show_progress=False, log=again.append)
    assert not any(": partition " in m for m in again), again


@pytest.mark.slow
def test_dask_semantic_equals_local(tmp_path: Path) -> None:
    """A real LocalCluster (two worker processes sharing one embedding cache)."""
    pytest.importorskip("distributed")
    corpus = make_corpus(tmp_path / "c", 300, files=6)
    local = _run(corpus, tmp_path / "local", **SEMANTIC, **{"run.store": "memory"})
    settings = {**SEMANTIC, "run.engine": "dask", "run.scheduler": "", "run.partition_mb": 0.01}
    cfg = load_config(
        None,
        overrides={
            "corpus.path": str(corpus),
            "output.dir": str(tmp_path / "dask"),
            **FAST,
            **settings,
        },
    )
    lines: list[str] = []
    dask = run_all(cfg, show_progress=False, log=lines.append)
    estimate = [m for m in lines if m.startswith("embedding ")]
    assert len(estimate) == 1, lines
    assert re.match(
        r"embedding [\d,]+ new sentences \([\d,]+ cached\) with all-MiniLM-L6-v2: about \d+ s at "
        r"[\d,]+ sentences/s per worker x 2$",
        estimate[0],
    ), estimate
    first_embedding = next(i for i, m in enumerate(lines) if m.startswith("semantic_embed:"))
    assert lines.index(estimate[0]) < first_embedding  # printed before embedding starts
    for name, keys in {
        "frame_articles": ["article_id", "frame"],
        "frame_summary": ["frame"],
        "frame_prevalence": ["frame", "outlet"],
    }.items():
        a = local[name].sort_values(keys).reset_index(drop=True)
        b = dask[name].sort_values(keys).reset_index(drop=True)[list(a.columns)]
        assert len(a) == len(b), name
        for col in a.columns:
            if pd.api.types.is_float_dtype(a[col]):
                np.testing.assert_allclose(
                    b[col].to_numpy(float), a[col].to_numpy(float), atol=1e-5, err_msg=col
                )
            else:
                assert a[col].astype(str).tolist() == b[col].astype(str).tolist(), col


def test_partitioned_engine_still_refuses_supervised_frames(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "c", 20, files=1)
    coded = tmp_path / "coded.csv"
    coded.write_text("text,labels\nAllies are divided.,allies_divided\n")
    settings = {
        "run.store": "partitioned",
        "frames.method": "supervised",
        "frames.coded": str(coded),
    }
    with pytest.raises(RunError, match=r"lexicon and semantic frames, not frames\.method"):
        _run(corpus, tmp_path / "o", **settings)


@pytest.mark.slow
def test_in_memory_run_prints_the_embedding_estimate(tmp_path: Path) -> None:
    """The local engine's frames step prints the line before embedding 1,110 sentences."""
    corpus = make_corpus(tmp_path / "c", 1100, files=2)
    settings = {**SEMANTIC, "run.store": "memory"}
    cfg = load_config(
        None,
        overrides={
            "corpus.path": str(corpus),
            "output.dir": str(tmp_path / "o"),
            **FAST,
            **settings,
        },
    )
    lines: list[str] = []
    run_all(cfg, show_progress=False, log=lines.append)
    estimate = [m for m in lines if m.startswith("embedding ")]
    assert len(estimate) == 1, lines
    assert re.match(
        r"embedding 1,110 new sentences \(0 cached\) with all-MiniLM-L6-v2: about \d+ (s|min) "
        r"at [\d,]+ sentences/s$",
        estimate[0],
    ), estimate
