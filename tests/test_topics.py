"""framing.topics: BERTopic (with a fake embedder), LDA/NMF baselines, tidy tables."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import warnings
import zlib

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from framing.topics.evaluation import label_agreement
from framing.topics.model import (
    TopicModelError,
    TopicResult,
    _bootstrap_shares,
    _class_tfidf,
    fit_topics,
    scaled_sizes,
)

THEMES = {
    "econ": "tax budget market economy inflation jobs growth bank".split(),
    "sport": "match goal league team coach player season win".split(),
    "war": "troops ceasefire border missile army front attack peace".split(),
}
# words only one outlet uses, per theme
SIGNATURE = {("left", "econ"): "tariff", ("right", "econ"): "subsidy"}


class HashEmbedder:
    """Fake sentence encoder: hashed bag of words (deterministic, no model needed)."""

    model_id = "test-hash-embedder-64"

    def encode(self, texts):
        out = np.zeros((len(texts), 64))
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z]+", text.lower()):
                out[i, zlib.crc32(word.encode()) % 64] += 1.0
        return out


def make_units(seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    outlets = [("left", 15), ("right", 15), ("solo", 1)]
    for outlet, n_articles in outlets:
        for a in range(n_articles):
            theme = list(THEMES)[a % 3]
            published = pd.Timestamp("2025-01-06") + pd.Timedelta(days=int(a * 6))
            if outlet == "right" and a == 14:
                published = pd.NaT
            for p in range(3):
                words = list(rng.choice(THEMES[theme], 8))
                if (outlet, theme) in SIGNATURE:
                    words += [SIGNATURE[(outlet, theme)]] * 2
                words += list(rng.choice(["the", "said", "today", "also"], 3))
                rows.append(
                    {
                        "article_id": f"{outlet}{a}",
                        "unit_id": f"{outlet}{a}:p{p}",
                        "unit": "paragraph",
                        "position": p,
                        "text": " ".join(words),
                        "outlet": outlet,
                        "published": published,
                        "theme": theme,
                    }
                )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def units():
    return make_units()


@pytest.fixture(scope="module")
def fitted(units):
    return fit_topics(units, embedding_model=HashEmbedder(), n_boot=500)


def test_tables_have_the_documented_columns(fitted):
    assert isinstance(fitted, TopicResult)
    assert list(fitted.doc_topics.columns) == [
        "article_id",
        "unit_id",
        "outlet",
        "topic",
        "probability",
    ]
    assert list(fitted.topic_info.columns[:4]) == ["topic", "size", "label", "top_terms"]
    assert list(fitted.topic_terms.columns) == ["topic", "rank", "term", "weight"]
    assert list(fitted.topics_by_outlet.columns) == [
        "outlet",
        "topic",
        "label",
        "n_docs",
        "n_outlet_docs",
        "n_articles",
        "share",
        "ci_low",
        "ci_high",
        "top_terms_outlet",
        "note",
    ]
    assert list(fitted.topics_over_time.columns) == [
        "period",
        "outlet",
        "topic",
        "label",
        "n_docs",
        "n_period_docs",
        "n_articles",
        "share",
        "ci_low",
        "ci_high",
        "note",
    ]


def test_bertopic_recovers_the_themes(fitted, units):
    info = fitted.topic_info
    assert (info["topic"] != -1).sum() == 3
    agreement = label_agreement(fitted.doc_topics["topic"], units["theme"], exclude_outliers=True)
    assert agreement["nmi"] > 0.9
    # each theme's topic is described by that theme's words
    for _, group in fitted.topic_terms[fitted.topic_terms["topic"] != -1].groupby("topic"):
        top = set(group.nsmallest(5, "rank")["term"])
        assert any(top <= set(words) | set(SIGNATURE.values()) for words in THEMES.values())


def test_doc_topics_align_with_the_model(fitted, units):
    dt = fitted.doc_topics
    assert dt["unit_id"].tolist() == units["unit_id"].tolist()
    assert dt["topic"].tolist() == list(fitted.model.topics_)
    assert dt["probability"].between(0, 1).all()
    assert (dt.loc[dt["topic"] == -1, "probability"] == 0).all()
    model_info = fitted.model.get_topic_info().set_index("Topic")["Count"]
    ours = fitted.topic_info.set_index("topic")["size"]
    assert ours.to_dict() == model_info.to_dict()
    assert ours.to_dict() == dt["topic"].value_counts().to_dict()


def test_top_terms_string_matches_the_long_table(fitted):
    for row in fitted.topic_info.itertuples():
        terms = fitted.topic_terms[fitted.topic_terms["topic"] == row.topic].sort_values("rank")
        expected = ", ".join(
            f"{t} ({w:.3g})" for t, w in zip(terms["term"], terms["weight"], strict=True)
        )
        assert row.top_terms == expected
        assert row.n_terms == len(terms)
        words = dict(fitted.model.get_topic(row.topic))
        assert terms["weight"].tolist() == pytest.approx([words[t] for t in terms["term"]])


def test_shares_by_outlet_add_up_and_count_documents(fitted):
    table = fitted.topics_by_outlet
    crosstab = pd.crosstab(fitted.doc_topics["outlet"], fitted.doc_topics["topic"])
    for row in table.itertuples():
        assert row.n_docs == crosstab.loc[row.outlet].get(row.topic, 0)
        assert row.share == pytest.approx(row.n_docs / row.n_outlet_docs)
    sums = table.groupby("outlet")["share"].sum()
    assert sums.to_numpy() == pytest.approx(1.0)
    ok = table.dropna(subset=["ci_low"])
    assert ((ok["ci_low"] <= ok["share"] + 1e-12) & (ok["share"] <= ok["ci_high"] + 1e-12)).all()


def test_outlet_with_one_article_gets_no_interval_and_a_note(fitted):
    solo = fitted.topics_by_outlet[fitted.topics_by_outlet["outlet"] == "solo"]
    assert solo["ci_low"].isna().all() and solo["ci_high"].isna().all()
    assert (solo["note"] == "1 article: no interval").all()
    assert (solo["n_articles"] == 1).all()


def test_outlet_terms_come_only_from_that_outlets_documents(fitted, units):
    table = fitted.topics_by_outlet.set_index(["outlet", "topic"])
    econ_topic = (
        fitted.doc_topics.assign(theme=units["theme"]).query("theme == 'econ'")["topic"].mode()[0]
    )
    left = table.loc[("left", econ_topic), "top_terms_outlet"]
    right = table.loc[("right", econ_topic), "top_terms_outlet"]
    assert "tariff" in left and "subsidy" not in left
    assert "subsidy" in right and "tariff" not in right
    # both appear among the global topic words, so global tuning would mix them in
    global_terms = fitted.topic_info.set_index("topic").loc[econ_topic, "top_terms"]
    assert "tariff" in global_terms and "subsidy" in global_terms


def test_class_tfidf_equals_bertopic_transformer():
    from bertopic.vectorizers import ClassTfidfTransformer

    counts = np.array([[3, 0, 1, 0], [0, 2, 2, 1], [1, 1, 0, 4]])
    ours = _class_tfidf(counts).toarray()
    theirs = ClassTfidfTransformer().fit_transform(sp.csr_matrix(counts)).toarray()
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_share_bootstrap_resamples_articles():
    articles = np.array(["a", "a", "b", "c", "c", "c"])
    topics = np.array([0, 1, 0, 1, 1, -1])
    shares, low, high = _bootstrap_shares(articles, topics, [-1, 0, 1], 300, 0.9, 7)
    assert shares.tolist() == pytest.approx([1 / 6, 2 / 6, 3 / 6])
    # reference: the same draws of articles, one resample at a time
    rng = np.random.default_rng(7)
    per_article = {"a": [0, 1, 1], "b": [0, 1, 0], "c": [1, 0, 2]}  # counts of -1, 0, 1
    names = ["a", "b", "c"]
    boot = []
    for draw in rng.integers(0, 3, size=(300, 3)):
        counts = np.sum([per_article[names[i]] for i in draw], axis=0)
        boot.append(counts / counts.sum())
    ref_low, ref_high = np.quantile(np.array(boot), [0.05, 0.95], axis=0)
    np.testing.assert_allclose(low, ref_low)
    np.testing.assert_allclose(high, ref_high)
    one = _bootstrap_shares(np.array(["a", "a"]), np.array([0, 1]), [0, 1], 300, 0.9, 7)
    assert np.isnan(one[1]).all() and np.isnan(one[2]).all()


def test_share_intervals_equal_compare_bootstrap_ci():
    from framing.compare import bootstrap_ci

    rng = np.random.default_rng(11)
    articles = np.repeat([f"a{i}" for i in range(40)], rng.integers(1, 5, size=40))
    topics = rng.integers(-1, 3, size=len(articles))
    ids = [-1, 0, 1, 2]
    _, low, high = _bootstrap_shares(articles, topics, ids, 999, 0.9, 123)
    codes, index = np.unique(articles, return_inverse=True)
    for j, topic in enumerate(ids):
        in_topic = np.bincount(index, weights=(topics == topic).astype(float))
        total = np.bincount(index).astype(float)

        def ratio(sample, axis=-1, in_topic=in_topic, total=total):
            rows = sample.astype(int)
            return in_topic[rows].sum(axis=axis) / total[rows].sum(axis=axis)

        ref = bootstrap_ci(np.arange(len(codes)), stat=ratio, n_boot=999, ci=0.9, random_state=123)
        assert (low[j], high[j]) == pytest.approx(ref, rel=1e-12)


def test_article_level_share_interval_agrees_with_scipy_bootstrap():
    from scipy.stats import bootstrap

    rng = np.random.default_rng(3)
    in_topic = rng.random(80) < 0.3
    articles = np.array([f"a{i}" for i in range(80)])
    topics = np.where(in_topic, 0, 1)
    share, low, high = _bootstrap_shares(articles, topics, [0, 1], 4000, 0.95, 1)
    ref = bootstrap(
        (in_topic.astype(float),),
        np.mean,
        n_resamples=4000,
        method="percentile",
        confidence_level=0.95,
        random_state=5,
    ).confidence_interval
    assert share[0] == pytest.approx(in_topic.mean())
    assert low[0] == pytest.approx(ref.low, abs=0.02)
    assert high[0] == pytest.approx(ref.high, abs=0.02)


def test_topics_over_time_by_month(fitted, units):
    table = fitted.topics_over_time
    assert set(table["period"].dt.day) == {1}
    assert table.groupby(["period", "outlet"])["share"].sum().to_numpy() == pytest.approx(1.0)
    assert fitted.notes["n_undated_docs"] == int(units["published"].isna().sum()) == 3
    jan_left = table[(table["outlet"] == "left") & (table["period"] == "2025-01-01")]
    n_jan_left = ((units["outlet"] == "left") & (units["published"].dt.month == 1)).sum()
    assert (jan_left["n_period_docs"] == n_jan_left).all()


def test_weekly_periods_start_on_monday(units):
    result = fit_topics(units, method="nmf", period="week", n_boot=0)
    assert set(result.topics_over_time["period"].dt.day_of_week) == {0}
    assert result.topics_over_time["ci_low"].isna().all()  # n_boot=0: no intervals


def test_same_settings_same_result_in_process(units, fitted):
    again = fit_topics(units, embedding_model=HashEmbedder(), n_boot=500)
    pd.testing.assert_frame_equal(again.doc_topics, fitted.doc_topics)
    pd.testing.assert_frame_equal(again.topic_terms, fitted.topic_terms)
    pd.testing.assert_frame_equal(again.topics_by_outlet, fitted.topics_by_outlet)


def test_precomputed_embeddings_give_the_same_topics(units, fitted):
    vectors = HashEmbedder().encode(units["text"].tolist())
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    result = fit_topics(units, embeddings=vectors, n_boot=0)
    assert result.doc_topics["topic"].tolist() == fitted.doc_topics["topic"].tolist()
    assert result.notes["embeddings"] == "precomputed (passed in)"
    with pytest.raises(TopicModelError, match="one row per document"):
        fit_topics(units, embeddings=vectors[:-1])


@pytest.mark.parametrize("method", ["lda", "nmf"])
def test_baselines_produce_the_same_tables(units, method):
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

    from framing.topics.model import clean_for_terms

    result = fit_topics(units, method=method, nr_topics=3, n_boot=200)
    again = fit_topics(units, method=method, nr_topics=3, n_boot=200)
    pd.testing.assert_frame_equal(result.doc_topics, again.doc_topics)
    assert set(result.topic_info["topic"]) == {0, 1, 2}
    sizes = result.topic_info.set_index("topic")["size"]
    assert sizes.is_monotonic_decreasing  # topic 0 is the largest
    # probability = the largest normalised document-topic weight
    counts = CountVectorizer(stop_words="english").fit_transform(
        [clean_for_terms(t) for t in units["text"]]
    )
    weights = result.model.transform(
        counts if method == "lda" else TfidfTransformer().fit_transform(counts)
    )
    expected = weights.max(axis=1) / weights.sum(axis=1)
    # (NMF.transform re-solves W, so it agrees with fit_transform to about 1e-5)
    np.testing.assert_allclose(result.doc_topics["probability"], expected, atol=1e-4)
    assert label_agreement(result.doc_topics["topic"], units["theme"])["nmi"] > 0.8
    assert result.topics_by_outlet.groupby("outlet")["share"].sum().to_numpy() == (
        pytest.approx(1.0)
    )


@pytest.mark.parametrize("method", ["bertopic", "lda"])
def test_min_df_counts_documents_for_every_method(units, method):
    rare = units.copy()
    rare.loc[0, "text"] += " zanzibar"  # a term in one document only
    kwargs = {"embedding_model": HashEmbedder()} if method == "bertopic" else {"nr_topics": 3}
    with_rare = fit_topics(rare, method=method, n_boot=0, top_n_words=100, **kwargs)
    without = fit_topics(rare, method=method, n_boot=0, top_n_words=100, min_df=2, **kwargs)
    assert "zanzibar" in set(with_rare.topic_terms["term"])
    assert "zanzibar" not in set(without.topic_terms["term"])
    assert "zanzibar" not in " ".join(without.topics_by_outlet["top_terms_outlet"])
    assert without.params["min_df"] == 2


def test_documents_without_vocabulary_terms_are_outliers_in_baselines(units):
    extra = units.iloc[:1].assign(unit_id="x:p0", article_id="x", text="the and of it")
    result = fit_topics(pd.concat([units, extra]), method="nmf", nr_topics=3, n_boot=0)
    row = result.doc_topics[result.doc_topics["unit_id"] == "x:p0"].iloc[0]
    assert row["topic"] == -1 and row["probability"] == 0
    assert result.notes["n_without_terms"] == 1
    assert result.topic_info.set_index("topic").loc[-1, "label"] == "outlier"


def test_empty_texts_are_dropped_with_a_count(units):
    blank = units.iloc[:2].assign(unit_id=["e:p0", "e:p1"], text=["", "   \n"])
    with pytest.warns(UserWarning, match="dropped 2 empty text"):
        result = fit_topics(pd.concat([units, blank]), method="lda", nr_topics=3, n_boot=0)
    assert result.notes["n_empty_dropped"] == 2
    assert len(result.doc_topics) == len(units)


@pytest.mark.parametrize("n", [0, 1, 5])
def test_too_few_documents_raise_a_clear_error(units, n):
    with pytest.raises(TopicModelError, match=f"at least 6 non-empty documents; got {n}"):
        fit_topics(units.iloc[:n], embedding_model=HashEmbedder())


def test_six_documents_fit_without_a_umap_trace(units):
    small = units.groupby("theme").head(2)
    with pytest.warns(UserWarning, match="no topic found: all 6 documents are outliers"):
        result = fit_topics(small, embedding_model=HashEmbedder(), n_boot=0)
    assert result.params["n_neighbors"] == 5 and result.params["n_components"] == 2
    assert (result.doc_topics["topic"] == -1).all() and len(result.doc_topics) == 6
    assert result.notes["no_topics"].startswith("HDBSCAN put every document")
    assert result.topic_info["label"].tolist() == ["outlier"]


def test_bad_tables_and_options_are_explained(units):
    with pytest.raises(TopicModelError, match="needs an 'text' column"):
        fit_topics(units.drop(columns="text"))
    with pytest.raises(TopicModelError, match="unit='sentence'"):
        fit_topics(units, unit="sentence")
    with pytest.raises(ValueError, match="method must be"):
        fit_topics(units, method="kmeans")
    with pytest.raises(ValueError, match="nr_topics"):
        fit_topics(units, nr_topics=1)


def test_auto_unit_splits_small_article_tables_into_paragraphs(units):
    articles = (
        units.groupby("article_id", sort=False)
        .agg(
            text=("text", "\n\n".join),
            outlet=("outlet", "first"),
            published=("published", "first"),
        )
        .reset_index()
    )
    result = fit_topics(articles, method="lda", nr_topics=3, n_boot=0)
    assert result.notes["unit"] == "paragraph"
    assert "31 non-empty articles < 100" in result.notes["unit_rule"]
    assert len(result.doc_topics) == len(units)
    assert result.doc_topics["unit_id"].str.endswith(":p0").sum() == 31
    whole = fit_topics(articles, unit="article", method="lda", nr_topics=3, n_boot=0)
    assert (whole.doc_topics["unit_id"] == whole.doc_topics["article_id"]).all()


def test_size_rules():
    assert scaled_sizes(2000)["min_topic_size"] == 10
    assert scaled_sizes(40) == {
        "min_topic_size": 4,
        "n_neighbors": 15,
        "n_components": 2,  # PCA: 40 documents support a 2-D density (Silverman)
        "init": "spectral",
        "reduction": "pca",
    }
    assert [scaled_sizes(n)["n_components"] for n in (66, 67, 222, 223, 299)] == [2, 3, 3, 4, 4]
    assert scaled_sizes(40, reduction="umap")["n_components"] == 4
    assert scaled_sizes(6)["n_neighbors"] == 5
    # UMAP from 20 x its 15 neighbours on; either can be forced
    assert [scaled_sizes(n)["reduction"] for n in (299, 300)] == ["pca", "umap"]
    assert scaled_sizes(50, reduction="umap")["reduction"] == "umap"
    assert scaled_sizes(5000, reduction="pca")["reduction"] == "pca"
    with pytest.raises(ValueError, match="reduction must be one of auto, umap, pca"):
        scaled_sizes(50, reduction="tsne")
    assert scaled_sizes(60, min_topic_size=3)["min_topic_size"] == 3


class RandomEmbedder:
    """Unrelated random directions: HDBSCAN leaves some documents as outliers."""

    model_id = "test-random-32"

    def encode(self, texts):
        return np.array(
            [np.random.default_rng(zlib.crc32(t.encode())).normal(size=32) for t in texts]
        )


def test_reduce_outliers_reassigns_every_outlier():
    docs = pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(40)],
            "unit_id": [f"a{i}:p0" for i in range(40)],
            "text": [f"word{i} common text here" for i in range(40)],
            "outlet": "x",
        }
    )
    plain = fit_topics(docs, embedding_model=RandomEmbedder(), n_boot=0)
    assert plain.notes["n_outliers"] > 0
    reduced = fit_topics(docs, embedding_model=RandomEmbedder(), n_boot=0, reduce_outliers=True)
    moved = reduced.notes["n_outliers_reassigned"]
    assert moved > 0
    assert reduced.notes["n_outliers"] == plain.notes["n_outliers"] - moved
    was_outlier = plain.doc_topics["topic"] == -1
    now = reduced.doc_topics["topic"]
    assert reduced.doc_topics.loc[was_outlier & (now != -1), "probability"].isna().all()
    assert (reduced.doc_topics.loc[was_outlier & (now == -1), "probability"] == 0).all()
    assert now[~was_outlier].tolist() == plain.doc_topics.loc[~was_outlier, "topic"].tolist()


def test_model_is_kept_and_pickles_with_its_lazy_embedder(fitted, tmp_path):
    import pickle

    from bertopic import BERTopic

    assert isinstance(fitted.model, BERTopic)
    assert fitted.model.umap_model.random_state == 42
    restored = pickle.loads(pickle.dumps(fitted.model))
    topics, _ = restored.transform(["tax budget market inflation"])
    econ = fitted.topic_info.set_index("topic")
    assert (
        "tax" in econ.loc[topics[0], "top_terms"] or "budget" in econ.loc[topics[0], "top_terms"]
    )


def test_topic_modules_import_no_heavy_dependency():
    code = (
        "import sys, json\n"
        "import framing.embeddings, framing.topics, framing.topics.evaluation, framing.plots\n"
        "heavy = ('torch', 'sentence_transformers', 'transformers', 'bertopic', 'umap',"
        " 'hdbscan', 'gensim')\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


_CHILD = """
import json, sys
sys.path.insert(0, {tests!r})
from test_topics import HashEmbedder, make_units
from framing.topics.model import fit_topics
r = fit_topics(make_units(), embedding_model=HashEmbedder(), nr_topics=2, n_boot=100,
               reduction="umap")  # seeded UMAP is what could differ between processes
import warnings
hidden = [f for f in warnings.filters if f[0] == "ignore" and f[2] is UserWarning and not f[1]]
print(json.dumps({{"hidden": len(hidden), "topics": r.doc_topics["topic"].tolist(),
                  "terms": r.topic_terms.values.tolist(),
                  "ci": r.topics_by_outlet["ci_low"].fillna(-9).tolist()}}))
"""


@pytest.mark.slow
def test_identical_topics_and_words_in_separate_processes():
    code = _CHILD.format(tests=os.path.dirname(__file__))
    env = {**os.environ, "PYTHONHASHSEED": "random"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    outs = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr
        outs.append(json.loads(stdout.strip().splitlines()[-1]))
    assert outs[0] == outs[1]
    assert len({t for t in outs[0]["topics"] if t != -1}) == 2
    assert outs[0]["hidden"] == 0  # importing BERTopic did not silence UserWarnings


@pytest.mark.slow
def test_seed_corpus_gives_recognisable_topics_with_real_minilm(tmp_path):
    import framing

    corpus = os.path.join(os.path.dirname(__file__), "..", "corpus")
    articles = framing.load_corpus(corpus)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = fit_topics(articles, cache_dir=tmp_path)
    assert result.notes["unit"] == "paragraph"
    topics = result.topic_info[result.topic_info["topic"] != -1]
    assert len(topics) >= 2
    story = {
        "military",
        "defense",
        "diplomatic",
        "european",
        "sovereignty",
        "negotiation",
        "ukraine",
        "ukrainian",
        "russia",
        "russian",
        "kyiv",
        "putin",
        "trump",
        "peace",
        "peacekeeping",
        "ceasefire",
        "security",
        "nato",
        "talks",
        "negotiations",
        "war",
        "allies",
        "coalition",
        "sanctions",
        "conflict",
        "territorial",
        "guarantees",
    }
    recognisable = [
        set(g.nsmallest(5, "rank")["term"]) & story
        for _, g in result.topic_terms[result.topic_terms["topic"] != -1].groupby("topic")
    ]
    assert sum(bool(words) for words in recognisable) >= 2
    # the second run reads every embedding from the cache
    again = fit_topics(articles, cache_dir=tmp_path)
    assert again.notes["n_embedded"] == 0
    pd.testing.assert_frame_equal(again.doc_topics, result.doc_topics)


# ------------------------------------------------------------------------ figures


def test_term_bars_show_each_topics_weights(fitted):
    from framing.plots import topic_terms_bars

    fig = topic_terms_bars(fitted.topic_terms, n_terms=5, labels=fitted.topic_info)
    axes = [a for a in fig.axes if a.get_visible()]
    assert len(axes) == 3
    for axis, topic in zip(axes, [0, 1, 2], strict=True):
        rows = fitted.topic_terms.query("topic == @topic and rank <= 5").sort_values("rank")
        widths = [bar.get_width() for bar in axis.patches]
        assert widths == pytest.approx(rows["weight"].tolist())
        tick_text = {
            round(t, 6): lab.get_text()
            for t, lab in zip(axis.get_yticks(), axis.get_yticklabels(), strict=True)
        }
        assert [tick_text[y] for y in sorted(tick_text, reverse=True)] == rows["term"].tolist()
        assert axis.get_title(loc="left").startswith(f"{topic}: ")


def test_share_figure_draws_shares_and_intervals(fitted):
    from framing.plots import topic_shares_by_outlet

    table = fitted.topics_by_outlet
    fig = topic_shares_by_outlet(table)
    axis = fig.axes[0]
    points = {line.get_label(): line.get_xdata() for line in axis.lines}
    segments = [c.get_segments() for c in axis.collections]
    outlets = sorted(table["outlet"].unique())
    assert sorted(points) == outlets
    for outlet, segs in zip(outlets, segments, strict=True):
        rows = table[(table["outlet"] == outlet) & (table["topic"] != -1)].sort_values("topic")
        assert np.asarray(points[outlet]) == pytest.approx(100 * rows["share"].to_numpy())
        drawn = [(s[0][0], s[1][0]) for s in segs if len(s) == 2]
        intervals = rows[["ci_low", "ci_high"]].dropna().to_numpy()  # NaN: nothing drawn
        np.testing.assert_allclose(np.reshape(drawn, (-1, 2)), 100 * intervals)
        if outlet == "solo":
            assert drawn == []


def test_time_figure_draws_one_line_per_outlet_and_topic(fitted):
    import matplotlib.dates as mdates

    from framing.plots import topic_shares_over_time

    table = fitted.topics_over_time
    fig = topic_shares_over_time(table, topics=[1])
    axis = fig.axes[0]
    for line in axis.lines:
        rows = table.query("topic == 1 and outlet == @line.get_label()").sort_values("period")
        assert line.get_ydata() == pytest.approx(100 * rows["share"].to_numpy())
        dates = mdates.num2date(mdates.date2num(line.get_xdata()))
        assert [d.date() for d in dates] == [p.date() for p in rows["period"]]
    assert sorted(line.get_label() for line in axis.lines) == sorted(table["outlet"].unique())


def test_figures_accept_axes_and_reject_unknown_topics(fitted):
    from framing.plots import style, topic_shares_by_outlet, topic_terms_bars
    from framing.plots import topic_shares_over_time as over_time

    fig, axes = style.new_figure("double", nrows=1, ncols=2)
    assert topic_terms_bars(fitted.topic_terms, topics=[0, 1], ax=axes) is fig
    fig2, ax = style.new_figure()
    assert topic_shares_by_outlet(fitted.topics_by_outlet, ax=ax) is fig2
    with pytest.raises(ValueError, match=r"topic\(s\) \[7\]"):
        topic_terms_bars(fitted.topic_terms, topics=[7])
    with pytest.raises(ValueError, match="2 panels are needed"):
        topic_terms_bars(fitted.topic_terms, topics=[0, 1], ax=ax)
    with pytest.raises(ValueError, match="no dated documents"):
        over_time(fitted.topics_over_time.iloc[0:0])


def test_cached_umap_returns_the_same_reduction_without_refitting(tmp_path, capsys):
    from framing.topics.model import CachedUMAP

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 8)).astype(np.float32)
    params = {"n_neighbors": 10, "n_components": 2, "random_state": 42, "init": "random"}
    cold = CachedUMAP(params, tmp_path, show_progress=True)
    a = cold.fit_transform(X)
    assert cold.from_cache_ is False
    assert "topics: reducing 60 embeddings with UMAP" in capsys.readouterr().err
    assert len(list(tmp_path.glob("*.npy"))) == 1
    warm = CachedUMAP(params, tmp_path, show_progress=True)
    b = warm.fit_transform(X)
    assert warm.from_cache_ is True
    assert capsys.readouterr().err == ""  # nothing slow happened
    np.testing.assert_array_equal(a, b)
    assert not hasattr(warm, "umap_")  # nothing was fitted on the warm run
    np.testing.assert_array_equal(warm.transform(X), b)
    # new data: UMAP is fitted on the training data (same seed), then transforms
    assert warm.transform(X[:5] + 0.01).shape == (5, 2)
    # other parameters or other data are another cache entry
    CachedUMAP({**params, "n_neighbors": 5}, tmp_path).fit_transform(X)
    assert len(list(tmp_path.glob("*.npy"))) == 2


def test_a_umap_fit_says_it_is_still_running_when_progress_is_asked_for(monkeypatch, capsys):
    # UMAP's spectral initialisation prints nothing for 15 s on 4,000 documents; the
    # fit's heartbeat fills such stretches (every 10 s; here every 0.05 s)
    import framing.topics._backend as backend

    monkeypatch.setattr(backend, "UMAP_HEARTBEAT", 0.05)
    X = np.random.default_rng(1).normal(size=(400, 8)).astype(np.float32)
    params = {"n_neighbors": 10, "n_components": 2, "random_state": 42, "n_epochs": 400}
    backend.CachedUMAP(params, show_progress=True).fit_transform(X)
    err = capsys.readouterr().err
    assert "topics: UMAP: still working (" in err
    backend.CachedUMAP(params, show_progress=False).fit_transform(X)
    assert "still working" not in capsys.readouterr().err  # quiet unless asked


def test_small_corpora_reduce_with_exact_pca_and_umap_can_be_forced(units, fitted):
    from sklearn.decomposition import PCA

    from framing.topics.model import CachedUMAP

    assert fitted.params["reduction"] == "pca"  # 93 documents < 300
    reducer = fitted.model.umap_model
    assert isinstance(reducer, PCA) and reducer.n_components == fitted.params["n_components"]
    emb = fitted.embeddings  # the (normalised) vectors BERTopic was given
    independent = PCA(n_components=reducer.n_components, svd_solver="full").fit_transform(emb)
    np.testing.assert_allclose(reducer.transform(emb), independent, rtol=1e-4, atol=1e-4)
    forced = fit_topics(units, embedding_model=HashEmbedder(), n_boot=0, reduction="umap")
    assert forced.params["reduction"] == "umap"
    assert isinstance(forced.model.umap_model, CachedUMAP)
    with pytest.raises(ValueError, match="reduction must be one of"):
        fit_topics(units, embedding_model=HashEmbedder(), reduction="tsne")


def test_bertopic_is_imported_without_umap_until_a_reduction_needs_it():
    code = (
        "import sys\n"
        "from framing.topics._backend import _import_bertopic\n"
        "bertopic = _import_bertopic()\n"
        "print(sorted(m for m in ('umap', 'pynndescent', 'numba') if m in sys.modules))\n"
        "import bertopic.plotting._topics as plotting\n"
        "model = plotting.UMAP(n_components=2, random_state=1)\n"
        "import umap\n"
        "print(type(model) is umap.UMAP, plotting.HAS_UMAP, 'umap' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=600
    )
    assert done.stdout.split("\n")[:2] == ["[]", "True True True"]
    # a process that already imported umap keeps the real class in BERTopic
    code = (
        "import umap\n"
        "from framing.topics._backend import _import_bertopic\n"
        "_import_bertopic()\n"
        "import bertopic.plotting._topics as plotting\n"
        "print(plotting.UMAP is umap.UMAP)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=600
    )
    assert done.stdout.strip() == "True"
