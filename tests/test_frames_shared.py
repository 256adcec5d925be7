"""Frames on real data from ../shared/data (skipped when it is absent)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import shared_path
from sklearn.metrics import roc_auc_score

import framing
from framing import compare
from framing.frames import compile_terms, load_frame_set, score_frames

pytestmark = pytest.mark.shared

LABELS = {
    "CO": "conflict",
    "EC": "economic_consequences",
    "HI": "human_interest",
    "MO": "morality",
    "RE": "responsibility",
}


@pytest.fixture(scope="module")
def ukraine_units():
    path = shared_path("ukraine-nyt-guardian-2022")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = framing.load_corpus(
            path,
            text="articles",
            title="headlines",
            outlet_from="filename",
            outlet_pattern="^([A-Za-z]+)_",
        )
    return articles, framing.split_units(articles)


@pytest.fixture(scope="module")
def climate():
    path = shared_path("narrative-frames-climate", "articles_metadata.tsv")
    raw = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    codes = raw[list(LABELS)].apply(lambda c: c.str.strip().str.rstrip(")"))
    valid = codes.isin(["True", "False"]).all(axis=1)
    raw, codes = raw[valid].reset_index(drop=True), codes[valid].reset_index(drop=True)
    articles = pd.DataFrame(
        {"article_id": raw["ID"], "outlet": raw["source"], "text": raw["text"]}
    )
    return articles, (codes == "True").astype(int).rename(columns=LABELS)


def test_scanner_equals_plain_per_unit_matching_on_real_text(ukraine_units):
    """The one-pass scanner finds exactly what compile_terms finds unit by unit."""
    _, units = ukraine_units
    frame_set = load_frame_set("ukraine-diplomacy")
    scores = score_frames(units, frame_set).units.set_index(["unit_id", "frame"])
    sample = units.sample(600, random_state=0)
    for key, frame in frame_set.frames.items():
        terms, exclude = compile_terms(frame.terms), compile_terms(frame.exclude)
        for unit_id, text in zip(sample["unit_id"], sample["text"], strict=True):
            spans = [m.span() for m in terms.finditer(text)]
            if exclude is not None:
                # drop a match overlapped by an exclusion match starting at any position
                blocked = [m.span() for i in range(len(text)) if (m := exclude.match(text, i))]
                spans = [s for s in spans if not any(a < s[1] and b > s[0] for a, b in blocked)]
            assert scores.loc[(unit_id, key), "score"] == len(spans), (key, text)


def test_every_ukraine_frame_occurs_and_keyness_is_sensible(ukraine_units):
    articles, units = ukraine_units
    scores = score_frames(units, "ukraine-diplomacy")
    found = scores.articles.groupby("frame")["n_present"].sum()
    assert (found > 0).all(), found[found == 0]
    assert scores.articles["share"].between(0, 1).all()
    # British vs American spelling is the clearest outlet difference
    key = compare.keyness(articles["text"], articles["outlet"], target="Guardians").set_index(
        "term"
    )
    assert key.loc["defence", "z"] > 3 and key.loc["defense", "z"] < -2


def test_lexicon_validity_on_human_coded_climate_articles(climate):
    articles, labels = climate
    assert len(articles) == 427
    art = score_frames(articles, "generic-news").articles
    auc = {}
    for frame in labels.columns:
        sub = art[art["frame"] == frame].set_index("article_id").reindex(articles["article_id"])
        auc[frame] = roc_auc_score(labels[frame], sub["per_1k_words"].fillna(0))
    # regression guards, a little below the benchmark figures (benchmarks/bench_frames.py)
    assert auc["conflict"] > 0.70
    assert auc["economic_consequences"] > 0.83
    assert auc["morality"] > 0.78
    assert auc["human_interest"] > 0.72


@pytest.mark.slow
def test_supervised_tfidf_beats_the_majority_baseline(climate):
    articles, labels = climate
    coded = pd.concat([articles[["text"]], labels], axis=1)
    clf = framing.frames.train_frame_classifier(coded, frames="generic-news", features="tfidf")
    macro = clf.cv_report.loc["macro", "f1"]
    # majority class: F1 0 for the four minority frames, 2p/(1+p) for conflict
    p = labels["conflict"].mean()
    majority = (2 * p / (1 + p)) / 5
    assert macro > majority + 0.3
    assert np.isfinite(clf.cv_report["precision"]).all()


@pytest.mark.slow
def test_zero_shot_policy_frames_on_frac_gold(tmp_path_factory):
    """Issue 12: prototypes rank the human-coded FrAC sentences (regression guard)."""
    gold = pd.read_csv(shared_path("frac-frames-gold", "gold_standard_single_label_all.csv"))
    units = pd.DataFrame(
        {
            "article_id": [f"s{i}" for i in range(len(gold))],
            "unit_id": [f"s{i}:0" for i in range(len(gold))],
            "text": gold["sentence"].astype(str),
        }
    )
    cache = tmp_path_factory.mktemp("emb")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = score_frames(units, "policy-frames", method="semantic", cache_dir=cache)
    wide = scores.articles.pivot(index="article_id", columns="frame", values="score")
    wide = wide.reindex(units["article_id"])
    # benchmarks/bench_frames.py: economic 0.94, security 0.93, macro 0.83
    assert roc_auc_score(gold["label"] == 1, wide["economic"]) > 0.85
    assert roc_auc_score(gold["label"] == 8, wide["security_and_defense"]) > 0.85
    assert (~scores.articles["validated"]).all()
