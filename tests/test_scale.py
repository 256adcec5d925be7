"""Issue 15: the partitioned store and the Dask engine, on real components.

The Dask tests start ``dask scheduler`` and two ``dask worker`` processes on
127.0.0.1 (free ports) and always terminate them. Float columns are compared with
``rtol=1e-9`` (sums may be added in another order); everything else exactly.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.compare._aggregates import APPROX_NOTE
from framing.corpus.store import CorpusStore, build_store, plan_partitions
from framing.run.article_parts import ARTICLE_TABLES, read_table
from framing.run.config import load_config
from framing.run.runner import RunError, run_all

SENTENCES = [
    "Allies are divided over the sanctions package.",
    "Rifts deepen between the partners in Brussels.",
    "Diplomats seek a balance of interests in the talks.",
    "The ministers met in Geneva on Tuesday.",
    "Negotiators reported progress on a ceasefire.",
    "Critics warned the deal would collapse.",
    "Energy prices rose sharply after the announcement.",
    "Officials praised the constructive atmosphere.",
    "Russia and Ukraine exchanged prisoners.",
    "NATO leaders promised more support.",
]
OUTLETS = ["alpha", "beta", "gamma"]
FAST = {
    "topics.enabled": False,
    "stories.enabled": False,
    "compare.n_boot": 50,
    "compare.n_perm": 49,
    "figures.formats": ["png"],
    "tables.formats": ["csv"],
}


def make_corpus(folder: Path, n: int, *, files: int = 6, seed: int = 0) -> Path:
    """``n`` articles in ``files`` JSONL files, random sentences, outlets and dates."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    per = -(-n // files)
    for f in range(files):
        lines = []
        for i in range(f * per, min(n, (f + 1) * per)):
            text = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 8)))
            lines.append(
                json.dumps(
                    {
                        "id": f"a{i:06d}",
                        "outlet": rng.choice(OUTLETS),
                        "published": f"2022-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                        "title": f"Article {i}",
                        "text": text + f" Item {i}.",
                    }
                )
            )
        (folder / f"part{f:03d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _run(corpus: Path, out: Path, **settings: object) -> dict[str, pd.DataFrame]:
    cfg = load_config(
        None,
        overrides={"corpus.path": str(corpus), "output.dir": str(out), **FAST, **settings},
    )
    return run_all(cfg, show_progress=False)


def with_article_tables(tables: dict[str, pd.DataFrame], out: Path) -> dict[str, pd.DataFrame]:
    """``tables`` plus the article-level tables the partitioned engine kept on disk."""
    found = dict(tables)
    for name in ARTICLE_TABLES:
        if name not in found:
            try:
                found[name] = read_table(out, name)
            except KeyError:
                pass
    return found


def assert_csvs_equal(a: Path, b: Path, names: list[str]) -> None:
    """The exported ``tables/<name>.csv`` of two runs hold the same rows."""
    for name in names:
        left = pd.read_csv(a / "tables" / f"{name}.csv")
        right = pd.read_csv(b / "tables" / f"{name}.csv")
        cols = [c for c in left.columns if c not in DUPLICATE_COLUMNS]
        keys = COMPARED.get(name, ["article_id", "line_no"])
        assert_same(left[cols], right[[c for c in right.columns if c in cols]], keys, name)


def assert_same(a: pd.DataFrame, b: pd.DataFrame, keys: list[str], name: str) -> None:
    """Same rows (sorted by ``keys``) and columns; floats to rtol 1e-9."""
    assert sorted(a.columns) == sorted(b.columns), name
    a = a.sort_values(keys, kind="stable").reset_index(drop=True)
    b = b.sort_values(keys, kind="stable").reset_index(drop=True)[list(a.columns)]
    assert len(a) == len(b), name
    for col in a.columns:
        x, y = a[col], b[col]
        if pd.api.types.is_float_dtype(x) or pd.api.types.is_float_dtype(y):
            np.testing.assert_allclose(
                x.to_numpy(float),
                y.to_numpy(float),
                rtol=1e-9,
                atol=1e-12,
                err_msg=f"{name}.{col}",
            )
        else:
            assert x.astype(str).tolist() == y.astype(str).tolist(), f"{name}.{col}"


COMPARED = {
    "article_sentiment": ["article_id"],
    "actor_sentiment": ["article_id", "actor"],
    "frame_articles": ["article_id", "frame"],
    "frame_summary": ["frame"],
    "frame_exemplars": ["frame", "outlet", "rank"],
    "corpus_by_outlet": ["outlet"],
    "units_by_outlet": ["outlet"],
    "sentiment_by_outlet": ["outlet"],
    "sentiment_pairwise": ["a", "b"],
    "actor_sentiment_by_outlet": ["actor", "outlet"],
    "frame_prevalence": ["frame", "outlet"],
    "frame_pairwise": ["frame", "a", "b"],
    "frame_contrast": ["outlet"],
    "keyness": ["outlet", "reference", "term"],
}


# the article-level tables exported as CSV by both engines
EXPORTED = ["article_sentiment", "actor_sentiment", "frame_articles", "frame_exemplars"]


# The one documented difference: near-duplicates are flagged within a partition only
# (framing.corpus.store), so the partitioned flags are a subset of the local ones.
DUPLICATE_COLUMNS = {"duplicate_of", "duplicate_kind", "n_duplicates"}


# Outlets above framing.compare._aggregates.RESERVOIR articles: the partitioned
# engine's intervals and p-values are normal approximations (noted in the row), so
# only their exact columns are compared (none at the tests' sizes; bench_scale).
APPROXIMATED = ["ci_low", "ci_high", "p_value", "p_adjusted", "note"]


def assert_runs_equal(local: dict, other: dict) -> None:
    for name, keys in COMPARED.items():
        if name not in local:
            continue
        assert name in other, name
        cols = [c for c in local[name].columns if c not in DUPLICATE_COLUMNS]
        left, right = local[name][cols], other[name][cols]
        if "note" in cols and right["note"].str.contains(APPROX_NOTE).any():
            exact = ~right.sort_values(keys)["note"].str.contains(APPROX_NOTE).to_numpy()
            left, right = left.sort_values(keys)[exact], right.sort_values(keys)[exact]
            same = [c for c in cols if c not in APPROXIMATED]
            assert_same(local[name][same], other[name][same], keys, name)
            left = left[[c for c in cols if c != "p_adjusted"]]
            right = right[[c for c in cols if c != "p_adjusted"]]
        assert_same(left, right, keys, name)
    a, b = local["articles"], other["articles"]
    cols = [c for c in a.columns if c != "text" and c not in DUPLICATE_COLUMNS]
    assert_same(a[cols], b[cols], ["article_id"], "articles")
    flagged_local = set(a.loc[a["duplicate_of"] != "", "article_id"])
    flagged_other = set(b.loc[b["duplicate_of"] != "", "article_id"])
    assert flagged_other <= flagged_local


# --------------------------------------------------------------------------- store
def test_plan_partitions_bounds_size() -> None:
    sizes = [(f"f{i}", 3) for i in range(10)]
    groups = plan_partitions(sizes, 7)
    assert [len(g) for g in groups] == [2, 2, 2, 2, 2]
    assert [f for g in groups for f in g] == [s for s, _ in sizes]


def test_store_adds_only_new_files_and_reconciles(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "c", 300, files=6)
    (corpus / "bad.jsonl").write_text(
        '{"id": "x1", "text": "fine", "outlet": "alpha"}\n{not json\n'
    )
    store = build_store(corpus, tmp_path / "s", partition_mb=1, errors="skip", id="id")
    report = store.report()
    assert report.items_seen == report.articles_loaded + report.n_skipped == 302
    assert [s.reason for s in report.skipped] == ["malformed JSON line"]
    ids = set(p["id"] for p in store.partitions)
    mtimes = {p: store.path(p).stat().st_mtime_ns for p in ids}
    make_corpus(tmp_path / "extra", 30, files=1, seed=5)
    (tmp_path / "extra" / "part000.jsonl").rename(corpus / "zz-new.jsonl")
    text = (corpus / "zz-new.jsonl").read_text().replace('"a0', '"n0')
    (corpus / "zz-new.jsonl").write_text(text)
    store2 = build_store(corpus, tmp_path / "s", partition_mb=1, errors="skip", id="id")
    new = [p for p in store2.partitions if p["id"] not in ids]
    assert [list(p["files"]) for p in new] == [["zz-new.jsonl"]]
    assert all(store2.path(p).stat().st_mtime_ns == t for p, t in mtimes.items())
    report2 = store2.report()
    assert report2.items_seen == report2.articles_loaded + report2.n_skipped == 332
    whole = store2.read_all()
    assert whole["article_id"].is_unique and len(whole) == 331


def test_store_raises_on_ids_repeated_across_partitions(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "c", 40, files=2)
    text = (corpus / "part000.jsonl").read_text()
    (corpus / "part001.jsonl").write_text(text)
    with pytest.raises(Exception, match="repeats"):
        build_store(corpus, tmp_path / "s", partition_mb=1, id="id").read_all()


# --------------------------------------------------------------------------- local engine
def test_partitioned_local_equals_memory(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "c", 400, files=8)
    local = _run(corpus, tmp_path / "mem", **{"corpus.id": "id", "run.store": "memory"})
    part = _run(
        corpus,
        tmp_path / "part",
        **{"corpus.id": "id", "run.store": "partitioned", "run.partition_mb": 1},
    )
    assert len(CorpusStore(tmp_path / "part" / "cache" / "store").partitions) >= 1
    assert not set(ARTICLE_TABLES) & set(part)  # kept partitioned on disk
    assert_runs_equal(local, with_article_tables(part, tmp_path / "part"))
    assert_csvs_equal(tmp_path / "mem", tmp_path / "part", EXPORTED)


# --------------------------------------------------------------------------- dask
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dask_bin() -> str:
    return str(Path(sys.executable).parent / "dask")


@pytest.fixture
def cluster(tmp_path: Path):
    """A scheduler and two single-threaded workers on loopback; terminated afterwards."""
    pytest.importorskip("distributed")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    procs: list[subprocess.Popen] = []

    def start(*args: str, name: str) -> subprocess.Popen:
        log = (logs / f"{name}.log").open("w")
        proc = subprocess.Popen(
            [_dask_bin(), *args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        procs.append(proc)
        return proc

    try:
        start(
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--dashboard-address",
            "127.0.0.1:0",
            "--no-show",
            name="scheduler",
        )
        workers = [
            start(
                "worker",
                address,
                "--host",
                "127.0.0.1",
                "--nthreads",
                "1",
                "--nworkers",
                "1",
                "--no-nanny",
                "--dashboard-address",
                "127.0.0.1:0",
                name=f"worker{i}",
            )
            for i in range(2)
        ]
        from dask.distributed import Client

        deadline = time.monotonic() + 90
        with Client(address, timeout="30s") as client:
            while len(client.scheduler_info()["workers"]) < 2:
                assert time.monotonic() < deadline, "workers did not start"
                time.sleep(0.5)
        yield address, workers
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


@pytest.mark.slow
def test_dask_equals_local(tmp_path: Path, cluster) -> None:
    address, _ = cluster
    corpus = make_corpus(tmp_path / "c", 600, files=8)
    (corpus / "broken.jsonl").write_text('{"id": "x1", "text": "ok", "outlet": "beta"}\n{oops\n')
    common = {"corpus.id": "id", "corpus.errors": "skip"}
    local = _run(corpus, tmp_path / "local", **common, **{"run.store": "memory"})
    dask = _run(
        corpus,
        tmp_path / "dask",
        **common,
        **{"run.engine": "dask", "run.scheduler": address, "run.partition_mb": 1},
    )
    assert_runs_equal(local, with_article_tables(dask, tmp_path / "dask"))
    assert_csvs_equal(tmp_path / "local", tmp_path / "dask", EXPORTED)
    skipped = dask["corpus_skipped"]
    assert skipped["reason"].tolist() == ["malformed JSON line"]
    assert skipped["source"].tolist() == local["corpus_skipped"]["source"].tolist()
    manifest = json.loads((tmp_path / "dask" / "manifest.json").read_text())
    counts = manifest["stages"]["corpus"]["counts"]
    assert counts["items_seen"] == counts["articles"] + counts["skipped"] == 602


@pytest.mark.slow
def test_worker_killed_mid_run(tmp_path: Path, cluster) -> None:
    address, workers = cluster
    corpus = make_corpus(tmp_path / "c", 3000, files=30)
    local = _run(corpus, tmp_path / "local", **{"corpus.id": "id", "run.store": "memory"})
    out = tmp_path / "dask"
    settings = {
        "corpus.id": "id",
        "run.engine": "dask",
        "run.scheduler": address,
        "run.partition_mb": 0.05,
    }
    cfg = load_config(
        None, overrides={"corpus.path": str(corpus), "output.dir": str(out), **FAST, **settings}
    )
    killed = []

    def log(message: str) -> None:
        if message.startswith("units:") and "partition(s) done" in message and not killed:
            os.kill(workers[0].pid, signal.SIGKILL)
            killed.append(message)

    tables = run_all(cfg, log=log)
    assert killed, "the worker was never killed: no units progress line"
    n_parts = len(CorpusStore(out / "cache" / "store").partitions)
    assert n_parts >= 6, n_parts  # tasks were still queued when the worker died
    assert workers[0].poll() is not None
    assert_runs_equal(local, with_article_tables(tables, out))


def test_interrupted_run_resumes_at_unfinished_partitions(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "c", 400, files=8)
    settings = {"corpus.id": "id", "run.store": "partitioned", "run.partition_mb": 0.02}
    cfg = load_config(
        None,
        overrides={
            "corpus.path": str(corpus),
            "output.dir": str(tmp_path / "o"),
            **FAST,
            **settings,
        },
    )

    def stop(message: str) -> None:
        if message.startswith("sentiment: partition 2/"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_all(cfg, log=stop)
    lines: list[str] = []
    tables = run_all(cfg, log=lines.append)
    reused = [m for m in lines if m.startswith("sentiment:") and "already done" in m]
    assert reused and reused[0].startswith("sentiment: 2 of "), lines
    assert any("units: unchanged, reused" in m for m in lines), lines
    local = _run(corpus, tmp_path / "mem", **{"corpus.id": "id", "run.store": "memory"})
    assert_runs_equal(local, with_article_tables(tables, tmp_path / "o"))


_CHURN = """
import sys, psutil
from framing.run.executor import run_task
def churn():  # 200 MB of small blocks on the C heap, freed; a few survive above them
    blocks = [bytes(1000) for _ in range(200_000)]
    kept = [bytes(1000) for _ in range(10)]
    del blocks
    return kept
me = psutil.Process()
before = me.memory_info().rss
kept = run_task(churn) if sys.argv[1] == "task" else churn()
print((me.memory_info().rss - before) >> 20)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_a_partition_task_gives_the_memory_it_freed_back() -> None:
    # workers run task after task: without the release they grew by ~100 MB per
    # partition at 1M articles (benchmarks/README.md); each process is fresh here
    pytest.importorskip("psutil")

    def growth(mode: str) -> int:
        done = subprocess.run(
            [sys.executable, "-c", _CHURN, mode], capture_output=True, text=True, check=True
        )
        return int(done.stdout.strip())

    assert growth("direct") > 150  # the freed pages stay resident without the release
    assert growth("task") < 50


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    corpus = make_corpus(tmp_path / "c", 20, files=1)
    address = f"tcp://127.0.0.1:{_free_port()}"
    t0 = time.monotonic()
    with pytest.raises(RunError, match=address.replace(".", r"\.")):
        _run(corpus, tmp_path / "o", **{"run.engine": "dask", "run.scheduler": address})
    assert time.monotonic() - t0 < 30
