"""Topics in the partitioned engine: fit BERTopic on a sample, assign every partition.

The in-memory step (:mod:`framing.run.steps.topics`) fits BERTopic on every
document. A corpus larger than memory cannot be, so :func:`run` does it in three
phases, the first and last as one task per partition (:mod:`framing.run.engine`):

1. **Embed** each partition's articles into the content-hash embedding cache
   (:mod:`framing.embeddings`), so no text is embedded twice, across partitions and
   runs, and the fit below reads its vectors from the cache.
2. **Fit** :func:`framing.topics.fit_topics` (``unit="article"``) on the driver, on a
   sample of ``[topics] sample`` articles stratified by outlet and month
   (:func:`framing.topics.stability.stratified_sample`: proportional allocation,
   largest remainders). The driver holds only the sample and the model, which is
   saved under ``cache/parts/topics/<key>/model.pkl``.
3. **Assign** every partition's articles with ``BERTopic.transform`` (UMAP
   ``transform``, then HDBSCAN's ``approximate_predict``) on a worker. Every
   article, the sampled ones included, gets its topic by this one rule; its
   ``probability`` is the HDBSCAN membership strength, 0 for outliers (topic -1), as
   in memory. Each task also writes its term counts per outlet and topic (the model's
   vocabulary, which comes from the sample) and its top documents per topic.

The tables are those of the in-memory step: ``doc_topics`` (one row per article,
like the other article-level tables), ``topic_info`` and ``topic_terms`` (sizes and
c-TF-IDF words, Grootendorst 2022, of **all** articles from the summed
per-partition counts), ``topic_fit_by_outlet`` (per-outlet c-TF-IDF words, also from
summed counts) and ``topic_documents`` (the 3 articles of each topic with the highest
probability: the global top 3 is among the per-partition top 3, so this is exact).

Stability
---------
A second model is fitted on a second stratified sample, disjoint from the first, of
the same size when the corpus allows (at most half of the articles outside the first
sample, so that as many are left to compare on). Both models assign an evaluation
sample of the articles in **neither** sample (stratified, at most ``sample``
articles), and ``topic_stability`` (:func:`framing.topics.stability.topic_stability`)
reports how they agree: the adjusted Rand index
(Hubert & Arabie 1985) and the adjusted mutual information (Vinh et al. 2010) of the
two assignments, outliers counted as one cluster (1 = the same partition of the
articles, about 0 = chance agreement; sklearn.metrics), and the share of each model's
topics whose top 10 words share at least 5 with some topic of the other model. With
fewer than :data:`MIN_STABILITY_DOCS` articles outside the first sample, stability is
not measured (noted).

Keys: the model, the assignments and the stability table are keyed by the
``[topics]`` settings (less ``period``), the seed and the code of this module and of
:mod:`framing.topics`, not by the corpus: when files are added to the corpus, only the
new partitions are embedded and assigned, by the same model; to refit on a grown
corpus, change a setting or delete ``cache/parts/topics``. The meta records the corpus
size the sample was drawn from.
"""

from __future__ import annotations

import functools
import hashlib
import json
import pickle
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framing import __version__
from framing._progress import heartbeat
from framing.corpus.store import CorpusStore, partition_ids
from framing.export import atomic_write, atomic_write_text
from framing.run.keys import code_files, sha256_file
from framing.run.partitions import _finish, _write
from framing.run.partitions import done as _partition_done
from framing.topics._base import clean_for_terms
from framing.topics._shares import _class_tfidf, _format_terms, _share_table, _topic_tables
from framing.topics.stability import (
    MIN_STABILITY_DOCS,
    stratified_sample,
    top_words,
    topic_stability,
)

__all__ = ["assign_task", "embed_task", "pick_task", "run"]

_TOP_DOCS = 3  # topic_documents: documents per topic (as framing.topics.summaries)


# --------------------------------------------------------------------------- tasks
def _read_docs(store: str, pid: str) -> pd.DataFrame:
    """Read the partition's articles with a non-empty text (the documents modelled)."""
    table = CorpusStore(store).read(pid, columns=["article_id", "outlet", "published", "text"])
    text = table["text"].fillna("").astype(str)
    table = table.assign(
        article_id=table["article_id"].astype(str),
        outlet=table["outlet"].fillna("").astype(str),
        text=text,
    )
    return table.loc[text.str.strip() != ""].reset_index(drop=True)


def _embed(texts: list[str], model: str, cache_dir: str) -> Any:
    from framing.embeddings import embed_texts_report

    return embed_texts_report(
        texts, model=model or None, cache_dir=cache_dir or None, show_progress=False
    )


def embed_task(store: str, pid: str, model: str, cache_dir: str, out: str) -> dict[str, Any]:
    """Embed one partition's articles into the embedding cache (phase 1)."""
    t0 = time.perf_counter()
    docs = _read_docs(store, pid)
    report = _embed(docs["text"].tolist(), model, cache_dir)
    return _finish(
        out,
        {
            "documents": len(docs),
            "embedded": int(report.n_embedded),
            "from_cache": int(report.n_cached),
            "truncated": int(report.n_truncated),
            "seconds": time.perf_counter() - t0,
        },
    )


@functools.lru_cache(maxsize=2)
def _load_model(path: str) -> Any:
    from framing.topics._backend import _import_bertopic

    _import_bertopic()  # BERTopic's import-time warning filters kept out (see there)
    with open(path, "rb") as handle:
        return pickle.load(handle)


def _assign(model: Any, texts: list[str], emb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Topics and probabilities by ``BERTopic.transform``; outliers get probability 0."""
    if not texts:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        topics, probs = model.transform(texts, embeddings=emb)
    topics = np.asarray(topics, dtype=np.int64)
    probs = np.ones(len(texts)) if probs is None else np.asarray(probs, dtype=float)
    if probs.ndim == 2:  # calculate_probabilities=True: the assigned topic's column
        probs = probs.max(axis=1)
    return topics, np.where(topics == -1, 0.0, probs)


def _class_counts(outlets: np.ndarray, topics: np.ndarray, counts: sp.spmatrix) -> pd.DataFrame:
    """Long ``outlet, topic, term, count`` rows of the term counts per outlet x topic."""
    pairs = pd.MultiIndex.from_arrays([outlets, topics])
    inverse, classes = pd.factorize(pairs)
    group = sp.csr_matrix(
        (np.ones(len(topics)), (inverse, np.arange(len(topics)))),
        shape=(len(classes), len(topics)),
    )
    summed = (group @ sp.csr_matrix(counts)).tocoo()
    return pd.DataFrame(
        {
            "outlet": classes.get_level_values(0)[summed.row].astype(str),
            "topic": classes.get_level_values(1)[summed.row].astype("int64"),
            "term": summed.col.astype("int64"),
            "count": summed.data.astype("int64"),
        }
    )


def assign_task(
    store: str, pid: str, model_path: str, model: str, cache_dir: str, out: str
) -> dict[str, Any]:
    """Assign one partition's articles to topics with the fitted model (phase 3).

    Writes ``<out>.docs.parquet`` (``doc_topics`` rows), ``<out>.counts.parquet``
    (term counts per outlet and topic) and ``<out>.top.parquet`` (the partition's
    :data:`_TOP_DOCS` documents of highest probability per topic, with text).
    """
    t0 = time.perf_counter()
    fitted = _load_model(model_path)
    docs = _read_docs(store, pid)
    texts = docs["text"].tolist()
    emb = _embed(texts, model, cache_dir).embeddings
    t1 = time.perf_counter()
    topics, probs = _assign(fitted, texts, emb)
    t2 = time.perf_counter()
    doc_topics = pd.DataFrame(
        {
            "article_id": docs["article_id"],
            "unit_id": docs["article_id"],
            "outlet": docs["outlet"],
            "topic": topics,
            "probability": probs.astype("float64"),
        }
    )
    _write(out + ".docs.parquet", doc_topics)
    counts = fitted.vectorizer_model.transform([clean_for_terms(t) for t in texts])
    _write(out + ".counts.parquet", _class_counts(docs["outlet"].to_numpy(), topics, counts))
    top = (
        doc_topics.assign(text=docs["text"])
        .sort_values(
            ["topic", "probability", "unit_id"], ascending=[True, False, True], kind="stable"
        )
        .groupby("topic", sort=True)
        .head(_TOP_DOCS)
    )
    _write(out + ".top.parquet", top)
    return _finish(
        out,
        {
            "documents": len(docs),
            "outliers": int((topics == -1).sum()),
            "seconds_embed": t1 - t0,
            "seconds_transform": t2 - t1,
            "seconds": time.perf_counter() - t0,
        },
    )


# --------------------------------------------------------------------------- driver
def _key(cfg: Any) -> str:
    files = code_files("framing.run.topics_parts") + code_files("framing.topics.model")
    code = [sha256_file(p) for p in sorted(set(files))]
    settings = {k: v for k, v in vars(cfg.topics).items() if k != "period"}
    blob = json.dumps([__version__, code, settings, cfg.seeds.random_state], default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _map(
    mapper: Callable[..., list[Any]],
    folder: Path,
    pids: list[str],
    task: Callable[..., dict[str, Any]],
    make: Callable[[str], tuple],
    label: str,
    log: Callable[[str], None],
) -> tuple[list[str], list[dict[str, Any]]]:
    """Run ``task`` on every partition without a receipt; return (outs, receipts)."""
    outs = [str(folder / pid) for pid in pids]
    receipts = [_partition_done(o) for o in outs]
    todo = [i for i, r in enumerate(receipts) if r is None]
    if len(todo) < len(pids):
        log(f"{label}: {len(pids) - len(todo)} of {len(pids)} partition(s) already done")
    results = mapper(task, [(*make(outs[i]), outs[i]) for i in todo], label)
    for i, res in zip(todo, results, strict=True):
        receipts[i] = res
    return outs, receipts  # type: ignore[return-value]


def pick_task(store: str, pid: str, ids: list[str]) -> pd.DataFrame:
    """Return the articles of partition ``pid`` whose id is in ``ids`` (with text)."""
    docs = _read_docs(store, pid)
    return docs[docs["article_id"].isin(set(ids))].reset_index(drop=True)


def _sample_docs(store: CorpusStore, ids: set[str], mapper: Callable[..., list[Any]]):
    """Read the sampled articles (text included), one task per partition."""
    wanted = sorted(ids)
    found = mapper(
        pick_task,
        [(str(store.folder), pid, wanted) for pid in partition_ids(store)],
        "topics: reading the samples",
    )
    return pd.concat(found, ignore_index=True).sort_values("article_id").reset_index(drop=True)


def _fit(docs: pd.DataFrame, emb: np.ndarray, ctx: Any) -> Any:
    from framing.topics.model import fit_topics

    cfg = ctx.cfg.topics
    fitted = fit_topics(
        docs,
        unit="article",
        method="bertopic",
        embedding_model=cfg.embedding_model or None,
        embeddings=emb,
        random_state=ctx.cfg.seeds.random_state,
        min_topic_size=cfg.min_topic_size or None,
        nr_topics=cfg.nr_topics or None,
        reduction=cfg.reduction,
        cache_dir=ctx.cache_dir / "embeddings",
        n_boot=0,
        show_progress=False,
    )
    umap = fitted.model.umap_model
    if hasattr(umap, "training_data_") and getattr(umap, "umap_", None) is None:
        umap._umap(umap.training_data_)  # a reduction read from the cache: fit for transform
    return fitted


def _fit_models(
    ctx: Any, store: CorpusStore, folder: Path, mapper: Callable[..., list[Any]]
) -> dict[str, Any]:
    """Fit the model (and the stability model) on the driver; cached in ``folder``."""
    cfg = ctx.cfg
    meta_path = folder / "fit.json"
    if meta_path.is_file():
        ctx.log("topics: model unchanged, reused")
        return json.loads(meta_path.read_text(encoding="utf-8"))
    # the sampling frame: four columns of each store partition (the driver holds no
    # articles table: framing.run.article_parts)
    columns = ["article_id", "outlet", "published", "n_words"]
    meta = pd.concat(
        [store.read(pid, columns=columns) for pid in partition_ids(store)], ignore_index=True
    )
    meta = meta.loc[meta["n_words"] > 0, ["article_id", "outlet", "published"]]
    n_corpus, size, seed = len(meta), int(cfg.topics.sample), int(cfg.seeds.random_state)
    sample_a = stratified_sample(meta, size, random_state=seed)
    rest = n_corpus - len(sample_a)
    sample_b = sample_c = np.array([], dtype=object)
    if rest >= MIN_STABILITY_DOCS:
        sample_b = stratified_sample(meta, min(size, rest // 2), random_state=seed + 1,
                                     exclude=sample_a)  # fmt: skip
        sample_c = stratified_sample(
            meta, size, random_state=seed + 2, exclude=np.concatenate([sample_a, sample_b])
        )
    wanted = set(sample_a) | set(sample_b) | set(sample_c)
    docs = _sample_docs(store, wanted, mapper)
    emb_dir = str(ctx.cache_dir / "embeddings")
    emb = _embed(docs["text"].tolist(), cfg.topics.embedding_model, emb_dir)
    vectors = emb.embeddings
    pick = {k: docs["article_id"].isin(set(s)).to_numpy()
            for k, s in (("a", sample_a), ("b", sample_b), ("c", sample_c))}  # fmt: skip
    timings: dict[str, float] = {}
    ctx.log(
        f"topics: fitting BERTopic on a sample of {int(pick['a'].sum()):,} of {n_corpus:,} "
        "articles, stratified by outlet and month"
    )
    t0 = time.perf_counter()
    with heartbeat(ctx.log, "topics: fitting"):
        fitted = _fit(docs[pick["a"]], vectors[pick["a"]], ctx)
    timings["fit_seconds"] = time.perf_counter() - t0
    model_path = folder / "model.pkl"
    folder.mkdir(parents=True, exist_ok=True)
    payload = pickle.dumps(fitted.model)
    atomic_write(model_path, lambda p: Path(p).write_bytes(payload))
    info: dict[str, Any] = {
        "model": str(model_path),
        "corpus_articles": n_corpus,
        "sample": int(pick["a"].sum()),
        "params": json.loads(json.dumps(fitted.params, default=str)),
        "notes": json.loads(json.dumps(fitted.notes, default=str)),
        **timings,
    }
    if pick["b"].sum() >= MIN_STABILITY_DOCS // 2:
        ctx.log(
            f"topics: stability: a second model on {int(pick['b'].sum()):,} other articles, "
            f"both compared on {int(pick['c'].sum()):,} articles in neither sample"
        )
        t0 = time.perf_counter()
        with heartbeat(ctx.log, "topics: stability"):
            second = _fit(docs[pick["b"]], vectors[pick["b"]], ctx)
            texts_c = docs.loc[pick["c"], "text"].tolist()
            labels_a, _ = _assign(fitted.model, texts_c, vectors[pick["c"]])
            labels_b, _ = _assign(second.model, texts_c, vectors[pick["c"]])
        table = topic_stability(
            labels_a,
            labels_b,
            top_words(fitted.topic_info, fitted.topic_terms),
            top_words(second.topic_info, second.topic_terms),
        )
        info["stability_seconds"] = time.perf_counter() - t0
        info["stability_sample"] = int(pick["b"].sum())
    else:
        table = pd.DataFrame(columns=["measure", "value", "n", "note"])
        info["stability_note"] = (
            f"not measured: {rest} article(s) outside the sample of {len(sample_a)}, fewer "
            f"than {MIN_STABILITY_DOCS}; lower [topics] sample to measure it"
        )
    _write(str(folder / "stability.parquet"), table)
    atomic_write_text(meta_path, json.dumps(info, default=str))
    return info


def _terms(
    counts: pd.DataFrame, by: list[str], vocab: np.ndarray, top_n: int
) -> dict[Any, list[tuple[str, float]]]:
    """c-TF-IDF top terms of each class (``by`` columns) from summed term counts."""
    summed = counts.groupby([*by, "term"], sort=True)["count"].sum().reset_index()
    inverse, classes = pd.factorize(pd.MultiIndex.from_frame(summed[by]))
    matrix = sp.csr_matrix(
        (summed["count"].to_numpy(float), (inverse, summed["term"].to_numpy())),
        shape=(len(classes), len(vocab)),
    )
    weights = _class_tfidf(matrix)
    out = {}
    for c, key in enumerate(classes):
        row = weights.getrow(c)
        top = np.argsort(-row.data, kind="stable")[:top_n]
        pairs = [(str(vocab[row.indices[i]]), float(row.data[i])) for i in top if row.data[i] > 0]
        out[key if len(by) > 1 else key[0]] = pairs
    return out


def run(ctx: Any, store: CorpusStore, mapper: Callable[..., list[Any]]) -> Any:
    """Run the ``topics`` step of the partitioned engine; return its ``StepResult``.

    ``mapper(task, args, label)`` runs the partition tasks (the run's executor).
    """
    from framing.run.context import StepResult
    from framing.topics.summaries import topic_documents

    cfg = ctx.cfg
    key = _key(cfg)
    parts = ctx.cache_dir / "parts"
    folder = parts / "topics" / key
    pids = list(partition_ids(store))
    emb_dir = str(ctx.cache_dir / "embeddings")
    model_name = cfg.topics.embedding_model
    _, embedded = _map(
        mapper,
        parts / "topics_embed" / key,
        pids,
        embed_task,
        lambda out: (str(store.folder), Path(out).name, model_name, emb_dir),
        "topics: embedding",
        ctx.log,
    )
    info = _fit_models(ctx, store, folder, mapper)
    outs, assigned = _map(
        mapper,
        folder / "assign",
        pids,
        assign_task,
        lambda out: (str(store.folder), Path(out).name, info["model"], model_name, emb_dir),
        "topics: assigning",
        ctx.log,
    )
    fitted = _load_model(info["model"])
    vocab = np.asarray(fitted.vectorizer_model.get_feature_names_out())
    top_n = int(info["params"].get("top_n_words", 10))
    doc_topics = pd.concat([pd.read_parquet(o + ".docs.parquet") for o in outs], ignore_index=True)
    counts = pd.concat([pd.read_parquet(o + ".counts.parquet") for o in outs], ignore_index=True)
    topics = doc_topics["topic"].to_numpy(dtype=np.int64)
    info_table, term_table = _topic_tables(topics, _terms(counts, ["topic"], vocab, top_n))
    labels = dict(zip(info_table["topic"], info_table["label"], strict=True))
    outlet_terms = {
        (str(o), int(t)): _format_terms(p)
        for (o, t), p in _terms(counts, ["outlet", "topic"], vocab, top_n).items()
    }
    docs = doc_topics[["article_id", "unit_id", "outlet"]]
    opts = {"random_state": int(cfg.seeds.random_state), "n_boot": 0, "ci": 0.95}
    by_outlet = _share_table(
        docs, topics, info_table["topic"].tolist(), labels, ["outlet"], opts, outlet_terms
    ).rename(columns={"n_group_docs": "n_outlet_docs"})
    top = pd.concat([pd.read_parquet(o + ".top.parquet") for o in outs], ignore_index=True)
    stability = pd.read_parquet(folder / "stability.parquet")
    result = StepResult()
    result.tables.update(
        doc_topics=doc_topics,
        topic_info=info_table,
        topic_terms=term_table,
        topic_fit_by_outlet=by_outlet,
        topic_documents=topic_documents(top.drop(columns="text"), top, k=_TOP_DOCS),
        topic_stability=stability,
    )
    result.exports.update(
        doc_topics=("csv",),
        topic_info=None,
        topic_terms=("csv",),
        topic_documents=("csv",),
        topic_stability=None,
    )
    result.counts = {
        "documents": len(doc_topics),
        "topics": int((info_table["topic"] != -1).sum()),
        "outlier_documents": int((topics == -1).sum()),
        "sample": int(info["sample"]),
    }
    stab = dict(zip(stability["measure"], stability["value"], strict=True))
    result.meta["params"] = {**info["params"], "sample": int(cfg.topics.sample)}
    result.meta["notes"] = info["notes"]
    result.meta["sample"] = {
        "articles": int(info["sample"]),
        "corpus_articles_at_fit": int(info["corpus_articles"]),
        "rule": "stratified by outlet x month, proportional (largest remainders)",
    }
    result.meta["stability"] = (
        {k: float(v) for k, v in stab.items()} if stab else info.get("stability_note", "")
    )
    result.meta["timing"] = {
        "embed_seconds": float(sum(r.get("seconds", 0.0) for r in embedded)),
        "fit_seconds": float(info.get("fit_seconds", 0.0)),
        "stability_seconds": float(info.get("stability_seconds", 0.0)),
        "assign_seconds": float(sum(r.get("seconds", 0.0) for r in assigned)),
        "assign_embed_seconds": float(sum(r.get("seconds_embed", 0.0) for r in assigned)),
        "assign_transform_seconds": float(sum(r.get("seconds_transform", 0.0) for r in assigned)),
        "partitions": len(pids),
    }
    if stab:
        ctx.log(
            "topics: stability of two disjoint samples: adjusted Rand "
            f"{stab['adjusted_rand']:.2f}, "
            f"{stab['words_a_in_b']:.0%} of topics share a majority of top words"
        )
    return result
