"""Issue 15: the partitioned engine's driver holds no article-level table; cheap re-runs.

The engine is the partitioned one in this process (``run.store = "partitioned"``,
``engine = "local"``: the same tasks as on Dask workers, so the spies see them);
results are checked against the in-memory engine.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_scale import (
    EXPORTED,
    FAST,
    _run,
    assert_csvs_equal,
    assert_runs_equal,
    make_corpus,
    with_article_tables,
)

import framing.corpus.files as files_mod
import framing.corpus.store as store_mod
from framing.corpus.files import file_hashes
from framing.corpus.store import CorpusStore, partition_ids
from framing.corpus.summary import (
    by_outlet_from_lengths,
    combine_lengths,
    length_table,
    overview_from_lengths,
)
from framing.run import cache
from framing.run.article_parts import ARTICLE_TABLES, lexicon_frame_summary
from framing.run.config import load_config
from framing.run.runner import run_all

PARTITIONED = {"corpus.id": "id", "run.store": "partitioned", "run.partition_mb": 0.02}


def test_driver_receives_no_article_level_table(tmp_path: Path, monkeypatch) -> None:
    n = 400
    corpus = make_corpus(tmp_path / "c", n, files=8)
    received: dict[str, int] = {}
    real = cache.persist

    def spy(ctx, step, result):
        received.update({f"{step}.{t}": len(v) for t, v in result.tables.items()})
        return real(ctx, step, result)

    monkeypatch.setattr(cache, "persist", spy)
    tables = _run(corpus, tmp_path / "part", **PARTITIONED)
    assert received, "the runner received no table"
    names = {k.split(".", 1)[1] for k in received}
    assert not names & {*ARTICLE_TABLES, "units", "unit_sentiment", "frame_units"}
    # every table the runner holds is a summary: far fewer rows than articles
    assert max(received.values()) < n / 2, received
    assert all(len(t) < n / 2 for t in tables.values())
    local = _run(corpus, tmp_path / "mem", **{"corpus.id": "id", "run.store": "memory"})
    assert_runs_equal(local, with_article_tables(tables, tmp_path / "part"))
    assert_csvs_equal(tmp_path / "mem", tmp_path / "part", EXPORTED)
    # an export written by an earlier run, with the same partitions, is not rewritten
    csv = tmp_path / "part" / "tables" / "frame_articles.csv"
    before = csv.stat().st_mtime_ns
    _run(corpus, tmp_path / "part", **PARTITIONED, **{"compare.n_boot": 51})
    assert csv.stat().st_mtime_ns == before


def test_rerun_after_adding_a_file_reads_only_that_file(tmp_path: Path, monkeypatch) -> None:
    corpus = make_corpus(tmp_path / "c", 300, files=6)
    out = tmp_path / "o"
    _run(corpus, out, **PARTITIONED)
    make_corpus(tmp_path / "extra", 30, files=1, seed=5)
    text = (tmp_path / "extra" / "part000.jsonl").read_text().replace('"a0', '"n0')
    (corpus / "zz-new.jsonl").write_text(text)

    hashed: list[str] = []
    loaded: list[list[str]] = []
    real_sha, real_load = files_mod.sha256_file, store_mod.load_partition

    def sha(path):
        hashed.append(Path(path).name)
        return real_sha(path)

    def load(root, files, *rest):
        loaded.append(list(files))
        return real_load(root, files, *rest)

    monkeypatch.setattr(files_mod, "sha256_file", sha)
    monkeypatch.setattr(store_mod, "sha256_file", sha)
    monkeypatch.setattr(store_mod, "load_partition", load)
    cfg = load_config(
        None,
        overrides={"corpus.path": str(corpus), "output.dir": str(out), **FAST, **PARTITIONED},
    )
    lines: list[str] = []
    tables = run_all(cfg, log=lines.append)
    assert set(hashed) == {"zz-new.jsonl"}, hashed
    assert loaded == [["zz-new.jsonl"]]
    n_parts = len(partition_ids(CorpusStore(out / "cache" / "store")))
    # compare too: the corpus-wide frame score numbers changed, but the lexicon score's
    # partitions are reduced to moments that do not depend on them
    for step in ("units", "sentiment", "frames", "compare"):
        done = f"{step}: {n_parts - 1} of {n_parts} partition(s) already done"
        assert done in lines, (step, lines)
    local = _run(corpus, tmp_path / "mem", **{"corpus.id": "id", "run.store": "memory"})
    assert_runs_equal(local, with_article_tables(tables, out))
    assert_csvs_equal(tmp_path / "mem", out, EXPORTED)


def test_file_hashes_trust_size_and_mtime_until_told(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text("one\n")
    first = file_hashes({"a": path}, {})
    stat = path.stat()
    path.write_text("two\n")  # same size; the old mtime put back
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert file_hashes({"a": path}, first)["a"]["sha256"] == first["a"]["sha256"]
    assert file_hashes({"a": path}, first, rehash=True)["a"]["sha256"] != first["a"]["sha256"]
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1000))  # touched
    assert file_hashes({"a": path}, first)["a"]["sha256"] != first["a"]["sha256"]


def test_corpus_summaries_from_length_counts_equal_direct_ones() -> None:
    rng = np.random.default_rng(1)
    n = 500
    days = pd.to_timedelta(rng.integers(0, 300, n), "D")
    published = pd.Series(pd.to_datetime("2022-01-01") + days)
    articles = pd.DataFrame(
        {
            "outlet": rng.choice(["x", "y", "z"], n),
            "n_words": rng.integers(1, 60, n),
            "published": published.where(rng.random(n) > 0.1),
            "duplicate_of": np.where(rng.random(n) < 0.05, "d", ""),
        }
    )
    parts = [length_table(articles.iloc[i::4]) for i in range(4)]
    got = by_outlet_from_lengths(combine_lengths(parts))
    direct = articles.groupby("outlet")["n_words"].agg(["size", "sum", "median", "min", "max"])
    whole = articles["n_words"].agg(["size", "sum", "median", "min", "max"])
    want = pd.concat([direct, whole.to_frame("all").T])
    assert got["outlet"].tolist() == ["x", "y", "z", "all"]
    cols = ["n_articles", "words_total", "words_median", "words_min", "words_max"]
    np.testing.assert_array_equal(got[cols].to_numpy(float), want.to_numpy(float))
    assert got["n_undated"].tolist()[-1] == int(articles["published"].isna().sum())
    assert got["first_published"].iloc[-1] == articles["published"].min()
    overview = overview_from_lengths(combine_lengths(parts)).set_index("measure")["value"]
    assert overview["words"] == str(int(articles["n_words"].sum()))
    assert overview["duplicates"] == str(int((articles["duplicate_of"] != "").sum()))


@pytest.mark.parametrize("n_parts", [1, 3])
def test_frame_score_numbers_from_partition_sums(tmp_path: Path, n_parts: int) -> None:
    from framing.frames.headline import lexicon_score_params

    rng = np.random.default_rng(7)
    frames = ["a", "b", "c", "d"]
    n_art = 240
    words = rng.integers(0, 700, n_art).astype(float)
    words[:5] = 0  # articles without words: no evidence
    counts = rng.poisson(np.outer(words, [0.003, 0.02, 0.0, 0.0]) + 0.02).astype(float)
    counts[:, 2] = 0  # no match at all: no rate
    counts[:, 3] = 0
    counts[10, 3] = 1  # one match: a single distinct evidence value per article length...
    n_units = rng.integers(0, 4, n_art)
    per_1k = np.where(words[:, None] > 0, counts / np.maximum(words[:, None], 1) * 1000, np.nan)
    long = pd.DataFrame(
        {
            "frame": np.tile(frames, n_art),
            "n_matches": counts.ravel(),
            "n_words": np.repeat(words, len(frames)),
            "n_units": np.repeat(n_units, len(frames)),
            "per_1k_words": per_1k.ravel(),
        }
    )
    paths = []
    cuts = np.linspace(0, n_art, n_parts + 1).astype(int)
    for i in range(n_parts):
        path = tmp_path / f"p{i}.parquet"
        long.iloc[cuts[i] * 4 : cuts[i + 1] * 4].to_parquet(path)
        paths.append(str(path))
    with pytest.warns(Warning):
        params, summary = lexicon_frame_summary(paths, frames, {})
    want = lexicon_score_params(counts, words)
    for key in ("rate", "mean", "sd"):
        np.testing.assert_allclose(params[key], want[key], rtol=1e-9, atol=1e-12, err_msg=key)
    has = n_units > 0
    np.testing.assert_allclose(summary["coverage"], (counts[has] > 0).mean(axis=0))
    np.testing.assert_allclose(summary["score_sd"], np.nanstd(per_1k, axis=0), rtol=1e-9)


def test_ids_repeated_across_partitions_are_skipped_once(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "c", 60, files=3)
    text = (corpus / "part000.jsonl").read_text().splitlines()
    (corpus / "part009.jsonl").write_text("\n".join(text[:4]) + "\n")  # 4 repeated ids
    store = store_mod.build_store(
        corpus, tmp_path / "s", partition_mb=0.001, id="id", errors="skip"
    )
    report = store.report()
    assert [s.reason for s in report.skipped] == ["duplicate id"] * 4
    assert all("part009.jsonl" in s.source for s in report.skipped)
    assert report.items_seen == report.articles_loaded + report.n_skipped == 64
    whole = store.read_all()
    assert whole["article_id"].is_unique and len(whole) == 60


def test_partitioned_compare_without_sentiment(tmp_path: Path) -> None:
    """Sentiment off: the comparisons read no sentiment partition (none was written)."""
    corpus = make_corpus(tmp_path / "c", 120, files=3)
    tables = _run(corpus, tmp_path / "o", **PARTITIONED, **{"sentiment.enabled": False})
    assert "sentiment_by_outlet" not in tables
    assert len(tables["frame_prevalence"]) > 0
