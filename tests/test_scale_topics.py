"""Issue 15: topics in the partitioned engine (sample fit, per-partition transform).

The corpus has four themes of distinct words, so a correct pipeline recovers them;
the tables are checked against independent computations on all documents (c-TF-IDF
with numpy, ``BERTopic.transform`` in this process, counts with pandas).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_scale import cluster  # noqa: F401  (the fixture: scheduler + 2 workers)

from framing.run.config import load_config
from framing.run.runner import RunError, run_all
from framing.topics.stability import stratified_sample, topic_stability

THEMES = {
    "war": "troops shelling artillery frontline soldiers offensive missile drones trenches",
    "energy": "gas pipeline prices electricity oil winter supply tariffs heating reserves",
    "sport": "football match goal striker league season coach stadium penalty referee",
    "tech": "software chips smartphone startup algorithm cloud servers data platform users",
}
FAST = {
    "stories.enabled": False,
    "compare.n_boot": 50,
    "compare.n_perm": 49,
    "figures.formats": ["png"],
    "tables.formats": ["csv"],
    "corpus.id": "id",
}


def themed_corpus(folder: Path, n: int, *, files: int = 6, seed: int = 0) -> Path:
    """``n`` articles, each drawn from one theme's words; the id names the theme."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    per = -(-n // files)
    for f in range(files):
        lines = []
        for i in range(f * per, min(n, (f + 1) * per)):
            theme = rng.choice(sorted(THEMES))
            words = THEMES[theme].split()
            body = " ".join(rng.choice(words) for _ in range(rng.randint(20, 40)))
            record = {
                "id": f"{theme}-{i:05d}",
                "outlet": rng.choice(["alpha", "beta", "gamma"]),
                "published": f"2022-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}",
                "title": f"Article {i}",
                "text": f"The report said {body}. Item {i}.",
            }
            lines.append(json.dumps(record))
        (folder / f"part{f:03d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _config(corpus: Path, out: Path, **settings: object):
    return load_config(
        None,
        overrides={"corpus.path": str(corpus), "output.dir": str(out), **FAST, **settings},
    )


# --------------------------------------------------------------------------- sampling
def _meta(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    outlets = rng.choice(["a", "b", "c"], size=n, p=[0.6, 0.3, 0.1])
    months = rng.integers(1, 13, size=n)
    published = pd.to_datetime([f"2022-{m:02d}-15" for m in months])
    published = published.where(rng.random(n) > 0.05)  # some undated
    ids = [f"x{i:05d}" for i in range(n)]
    return pd.DataFrame({"article_id": ids, "outlet": outlets, "published": published})


def test_stratified_sample_is_proportional_disjoint_and_seeded() -> None:
    meta = _meta(5000)
    first = stratified_sample(meta, 800, random_state=1)
    assert len(first) == len(set(first)) == 800
    assert list(first) == list(stratified_sample(meta, 800, random_state=1))
    assert list(first) != list(stratified_sample(meta, 800, random_state=2))
    # each stratum gets its quota n * share, up or down by less than one article
    month = meta["published"].dt.strftime("%Y-%m").fillna("undated")
    stratum = meta["outlet"] + "|" + month
    share = stratum.value_counts(normalize=True)
    got = stratum[meta["article_id"].isin(set(first))].value_counts()
    gap = (got.reindex(share.index, fill_value=0) - 800 * share).abs()
    assert gap.max() < 1.0
    second = stratified_sample(meta, 800, random_state=2, exclude=first)
    assert not set(first) & set(second) and len(second) == 800
    # a sample at least as large as the eligible articles is all of them
    rest = stratified_sample(meta, 10_000, random_state=0, exclude=first)
    assert sorted(rest) == sorted(set(meta["article_id"]) - set(first))


def test_topic_stability_measures() -> None:
    a = np.array([0, 0, 1, 1, 2, 2, -1, -1])
    same = topic_stability(a, np.array([5, 5, 3, 3, 4, 4, 7, 7]), [{"x"}], [{"x"}])
    values = dict(zip(same["measure"], same["value"], strict=True))
    assert values["adjusted_rand"] == pytest.approx(1.0)
    assert values["adjusted_mutual_info"] == pytest.approx(1.0)
    assert values["outliers_a"] == pytest.approx(0.25)
    words = [set("abcdefghij"), set("klmnopqrst")]
    other = [set("abcdeKLMNO"), set("klmnUVWXYZ")]  # 5 shared, then 4 shared
    table = topic_stability(a, np.array([0, 1, 0, 1, 2, -1, 2, -1]), words, other)
    values = dict(zip(table["measure"], table["value"], strict=True))
    assert values["words_a_in_b"] == pytest.approx(0.5)
    assert values["words_b_in_a"] == pytest.approx(0.5)
    assert values["adjusted_rand"] < 0.5


def test_partitioned_engine_refuses_lda_and_paragraph_topics(tmp_path: Path) -> None:
    corpus = themed_corpus(tmp_path / "c", 20, files=1)
    for setting, value in (("topics.method", "lda"), ("topics.unit", "paragraph")):
        cfg = _config(corpus, tmp_path / "o", **{"run.store": "partitioned", setting: value})
        with pytest.raises(RunError, match=setting.replace(".", r"\.")):
            run_all(cfg, show_progress=False)


# --------------------------------------------------------------------------- end to end
def _c_tf_idf_top(doc_topics: pd.DataFrame, texts: pd.Series, vocab: list[str], k: int):
    """Independent c-TF-IDF (Grootendorst 2022) of every topic over all documents."""
    from sklearn.feature_extraction.text import CountVectorizer

    from framing.topics import clean_for_terms

    vec = CountVectorizer(stop_words="english", vocabulary=vocab)
    counts = vec.transform([clean_for_terms(t) for t in texts]).toarray().astype(float)
    topics = sorted(doc_topics["topic"].unique())
    per = np.stack([counts[doc_topics["topic"].to_numpy() == t].sum(axis=0) for t in topics])
    tf = per / per.sum(axis=1, keepdims=True)
    idf = np.log(int(per.sum(axis=1).mean()) / per.sum(axis=0) + 1)
    weights = tf * idf
    return {
        t: [vocab[j] for j in np.argsort(-weights[i], kind="stable")[:k]]
        for i, t in enumerate(topics)
    }


@pytest.mark.slow
def test_topics_on_dask_sample_fit_and_transform(tmp_path: Path, cluster) -> None:  # noqa: F811
    from sklearn.metrics import adjusted_rand_score

    from framing.corpus.store import CorpusStore
    from framing.run import topics_parts

    address, _ = cluster
    corpus = themed_corpus(tmp_path / "c", 700, files=7)
    out = tmp_path / "dask"
    cfg = _config(
        corpus,
        out,
        **{
            "run.engine": "dask",
            "run.scheduler": address,
            "run.partition_mb": 0.02,
            "topics.sample": 200,
        },
    )
    lines: list[str] = []
    tables = run_all(cfg, log=lines.append)
    docs = tables["doc_topics"]
    n_parts = len(CorpusStore(out / "cache" / "store").partitions)
    assert n_parts >= 3, n_parts
    assert "articles" not in tables  # the driver holds no articles table (article_parts)
    ids = CorpusStore(out / "cache" / "store").read_all(["article_id"])["article_id"]
    assert sorted(docs["article_id"]) == sorted(ids)
    # every article is assigned by transform; the four themes are found
    truth = docs["article_id"].str.split("-").str[0]
    assert adjusted_rand_score(truth, docs["topic"]) > 0.9
    # the assignments equal the saved model's transform of all documents, in one process
    store = CorpusStore(out / "cache" / "store")
    texts = store.read_all(["article_id", "text"]).set_index("article_id")["text"]
    texts = texts.loc[docs["article_id"]]
    fit = json.loads(next((out / "cache" / "parts" / "topics").glob("*/fit.json")).read_text())
    model = topics_parts._load_model(fit["model"])
    from framing.embeddings import embed_texts

    emb = embed_texts(texts.tolist(), cache_dir=out / "cache" / "embeddings")
    expected, _ = model.transform(texts.tolist(), embeddings=emb)
    assert docs["topic"].tolist() == list(map(int, expected))
    # sizes and words from all documents (not the sample)
    info = tables["topic_info"].set_index("topic")
    assert info["size"].to_dict() == docs["topic"].value_counts().to_dict()
    vocab = list(model.vectorizer_model.get_feature_names_out())
    top = _c_tf_idf_top(docs, texts.reset_index(drop=True), vocab, 10)
    terms = tables["topic_terms"].sort_values(["topic", "rank"])
    for t, words in top.items():
        assert set(terms.loc[terms["topic"] == t, "term"]) == set(words), t
    # per outlet: counts match doc_topics; shares computed by compare
    by_outlet = tables["topics_by_outlet"]
    counted = docs.groupby(["outlet", "topic"]).size()
    for row in by_outlet.itertuples():
        assert row.n_docs == counted.get((row.outlet, row.topic), 0)
    assert (by_outlet["ci_low"] <= by_outlet["share"] + 1e-12).all()
    assert set(tables["topic_documents"]["topic"]) == set(info.index)
    # stability: two disjoint samples of 200, compared on articles in neither
    stab = tables["topic_stability"].set_index("measure")["value"]
    assert stab["adjusted_rand"] > 0.9 and stab["words_a_in_b"] == 1.0
    assert tables["topic_stability"].set_index("measure")["n"]["adjusted_rand"] == 200
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["stages"]["topics"]["meta"]["stability"]["adjusted_rand"] > 0.9
    assert "Topic stability" in (out / "report.html").read_text(encoding="utf-8")
    # a new file: only its partition is embedded and assigned, by the same model
    extra = themed_corpus(tmp_path / "extra", 60, files=1, seed=9)
    (corpus / "new.jsonl").write_text(
        (extra / "part000.jsonl").read_text().replace('"id": "', '"id": "new-'),
        encoding="utf-8",
    )
    lines.clear()
    again = run_all(cfg, log=lines.append)
    assert any(m.startswith("topics: model unchanged, reused") for m in lines), lines
    reused = [m for m in lines if m.startswith("topics: assigning:") and "already done" in m]
    assert reused and reused[0].startswith(f"topics: assigning: {n_parts} of "), lines
    assert len(again["doc_topics"]) == len(docs) + 60


# --------------------------------------------------------------------------- numba cache
_UMAP_SCRIPT = """
import sys
import numpy as np
from framing.topics._backend import CachedUMAP
rng = np.random.default_rng(0)
X = rng.normal(size=(120, 16)).astype(np.float32)
params = dict(n_neighbors=10, n_components=3, min_dist=0.0, metric="cosine",
              init="spectral", low_memory=False, random_state=42)
umap = CachedUMAP(params)
np.save(sys.argv[1], umap.fit_transform(X))
np.save(sys.argv[1] + ".new.npy", umap.transform(X[:20] + 0.01))
"""


@pytest.mark.slow
def test_umap_kernels_compile_once_and_give_the_same_result(tmp_path: Path) -> None:
    """Fit and transform in two fresh processes sharing a numba cache folder."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba")}
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    script = tmp_path / "fit.py"
    script.write_text(_UMAP_SCRIPT, encoding="utf-8")
    for i in (1, 2):
        subprocess.run(
            [sys.executable, "-W", "ignore", str(script), str(tmp_path / f"y{i}.npy")],
            env=env,
            check=True,
            timeout=1200,
        )
    cached = {p.name.split("-")[0] for p in (tmp_path / "numba").rglob("*.nbi")}
    # UMAP declares these without cache=True; framing turns the cache on
    for kernel in ("umap_.smooth_knn_dist", "umap_.compute_membership_strengths"):
        assert kernel in cached, sorted(cached)
    for suffix in ("", ".new.npy"):
        first = np.load(str(tmp_path / "y1.npy") + suffix)
        assert np.array_equal(first, np.load(str(tmp_path / "y2.npy") + suffix))
