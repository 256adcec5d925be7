"""framing.topic_eval: NPMI against gensim, topic diversity, NMI/ARI."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from framing.topics.evaluation import (
    label_agreement,
    npmi_coherence,
    npmi_per_topic,
    tokenize_for_coherence,
    topic_diversity,
)


def _random_corpus(seed: int, n_docs: int = 150):
    rng = np.random.default_rng(seed)
    vocab = [f"w{i}" for i in range(30)]
    p = np.r_[np.full(8, 0.07), np.full(22, 0.44 / 22)]
    docs = [list(rng.choice(vocab, size=rng.integers(0, 45), p=p)) for _ in range(n_docs)]
    docs += [[], ["w1"], ["w2", "w3"]]  # empty, one-token and shorter-than-window documents
    topics = [list(rng.choice(vocab, size=10, replace=False)) for _ in range(5)]
    return docs, topics


def _gensim_npmi(topics, docs, window):
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel

    model = CoherenceModel(
        topics=topics,
        texts=docs,
        dictionary=Dictionary(docs),
        coherence="c_npmi",
        topn=10,
        window_size=window,
        processes=1,
    )
    return np.array(model.get_coherence_per_topic()), model.get_coherence()


@pytest.mark.parametrize(("seed", "window"), [(0, 10), (1, 10), (2, 4), (3, 1)])
def test_npmi_equals_gensim_coherence_model(seed, window):
    docs, topics = _random_corpus(seed)
    per_topic, overall = _gensim_npmi(topics, docs, window)
    np.testing.assert_allclose(npmi_per_topic(topics, docs, window=window), per_topic, atol=1e-9)
    assert npmi_coherence(topics, docs, window=window) == pytest.approx(overall, abs=1e-9)


def _brute_force_npmi(topics, docs, window):
    """True boolean sliding windows, counted window by window."""
    windows = []
    for doc in docs:
        if len(doc) < window:
            windows.append(set(doc))
        else:
            windows.extend(set(doc[s : s + window]) for s in range(len(doc) - window + 1))
    n = len(windows)
    out = []
    for words in topics:
        scores = []
        for a, b in itertools.combinations(words, 2):
            pa = sum(a in w for w in windows) / n
            pb = sum(b in w for w in windows) / n
            pab = sum(a in w and b in w for w in windows) / n
            scores.append(math.log((pab + 1e-12) / (pa * pb)) / -math.log(pab + 1e-12))
        out.append(np.mean(scores))
    return np.array(out)


def test_exact_windows_match_a_brute_force_count():
    docs, topics = _random_corpus(4, n_docs=60)
    expected = _brute_force_npmi(topics, docs, 6)
    got = npmi_per_topic(topics, docs, window=6, gensim_compatible=False)
    np.testing.assert_allclose(got, expected, atol=1e-12)
    # gensim's bookkeeping differs from true windows on this corpus
    assert not np.allclose(npmi_per_topic(topics, docs, window=6), expected, atol=1e-6)


def test_hand_computed_npmi():
    docs = [["tax", "budget"], ["goal", "match"], ["tax", "budget"], ["goal", "match"]]
    # every document is one window (shorter than 10): p(tax)=p(budget)=p(tax,budget)=1/2
    assert npmi_coherence([["tax", "budget"]], docs) == pytest.approx(1.0)
    # never together: log(eps / (1/2 * 1/2)) / -log(eps)
    expected = math.log(1e-12 / 0.25) / -math.log(1e-12)
    assert npmi_coherence([["tax", "goal"]], docs) == pytest.approx(expected)
    assert npmi_per_topic([["tax", "budget"], ["tax", "goal"]], docs).tolist() == pytest.approx(
        [1.0, expected]
    )


def test_topic_terms_table_is_read_by_rank_without_outliers():
    docs, topics = _random_corpus(5)
    table = pd.DataFrame(
        [(k, r, w) for k, ws in enumerate(topics) for r, w in enumerate(ws, start=1)]
        + [(-1, r, w) for r, w in enumerate(topics[0][::-1], start=1)],
        columns=["topic", "rank", "term"],
    ).sample(frac=1, random_state=0)
    assert npmi_coherence(table, docs) == pytest.approx(npmi_coherence(topics, docs))
    assert npmi_coherence(table, docs, top_n=3) == pytest.approx(
        npmi_coherence([t[:3] for t in topics], docs)
    )


def test_unknown_topic_word_is_an_error():
    with pytest.raises(ValueError, match="never occur"):
        npmi_coherence([["tax", "unicorn"]], [["tax", "budget"]])


def test_tokenizer_matches_the_topic_vocabulary():
    # punctuation splits tokens; one-letter pieces and stop words ("us", "again") go
    assert tokenize_for_coherence(["The U.S. and Kyiv's allies met—again.\tA 2-1 win"]) == [
        ["kyiv", "allies", "met", "win"]
    ]
    assert tokenize_for_coherence(["The and"], stop_words=None) == [["the", "and"]]
    kept = tokenize_for_coherence(["Allies met allies in Kyiv"], vocabulary={"allies", "kyiv"})
    assert kept == [["allies", "allies", "kyiv"]]


def test_topic_diversity_hand_examples():
    assert topic_diversity([["a", "b"], ["b", "c"]], top_n=2) == 0.75
    assert topic_diversity([["a", "b", "c"], ["d", "e", "f"]], top_n=3) == 1.0
    assert topic_diversity([["a", "b", "x"], ["a", "b", "y"]], top_n=2) == 0.5
    table = pd.DataFrame(
        {"topic": [0, 0, 1, 1, -1], "rank": [1, 2, 1, 2, 1], "term": list("abbca")}
    )
    assert topic_diversity(table, top_n=2) == 0.75


def test_label_agreement_values():
    perfect = label_agreement([3, 3, 7, 7, 9], ["a", "a", "b", "b", "c"])
    assert perfect == {"nmi": pytest.approx(1.0), "ari": pytest.approx(1.0), "n": 5}
    # hand-computed: topics {0,0,1,1} vs labels {x,y,x,y} are independent
    independent = label_agreement([0, 0, 1, 1], ["x", "y", "x", "y"])
    assert independent["nmi"] == pytest.approx(0.0, abs=1e-12)
    assert independent["ari"] == pytest.approx(-0.5)
    with_outliers = label_agreement([-1, 0, 0, 1, 1], ["z", "a", "a", "b", "b"])
    assert with_outliers["nmi"] == pytest.approx(1.0)
    dropped = label_agreement([-1, 0, 0, 1, 1], ["a", "a", "a", "b", "b"], exclude_outliers=True)
    assert dropped["n"] == 4 and dropped["ari"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="one per document"):
        label_agreement([0, 1], ["a"])
