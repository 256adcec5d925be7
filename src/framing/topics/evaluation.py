"""Evaluate topic models: NPMI coherence, topic diversity, agreement with labels.

- :func:`npmi_coherence` is the ``c_npmi`` measure of gensim's ``CoherenceModel``
  (Röder et al. 2015; NPMI of Bouma 2009; Aletras & Stevenson 2013), the definition used
  by OCTIS (Terragni et al. 2021) and hence by the BERTopic paper (Grootendorst 2022):
  word (co-)occurrence probabilities are estimated over **sliding windows** of
  ``window`` tokens moved one token at a time over each tokenised document (a document
  shorter than the window is one window), then for every pair of a topic's top words
  ``NPMI = log((p(a,b) + eps) / (p(a) p(b))) / -log(p(a,b) + eps)`` with
  ``eps = 1e-12``; a topic scores the mean over its word pairs and the model the mean
  over topics. Range -1 (never together) to 1 (always together); 0 = independent.
  A document-level co-occurrence NPMI gives much higher numbers and is not comparable.
- :func:`topic_diversity`: the share of unique words among the top ``top_n`` words of
  all topics (Dieng et al. 2020); 1 = no word shared. The BERTopic paper uses the top
  25 words.
- :func:`label_agreement`: normalised mutual information and adjusted Rand index
  between topic assignments and known labels (scikit-learn).

The counting is vectorised: for each document, the presence of every relevant word
in every window is computed at once, and co-occurrences are a sparse matrix product.
With ``gensim_compatible=True`` (the default) it reproduces a quirk of gensim's
``WordOccurrenceAccumulator``: when the window slides, the token leaving the window is
marked absent even if it occurs again inside the new window (and stays absent until
its next occurrence enters). Scores then equal gensim's to floating-point precision.
``gensim_compatible=False`` counts true window membership.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "label_agreement",
    "npmi_coherence",
    "npmi_per_topic",
    "tokenize_for_coherence",
    "topic_diversity",
]

_EPS = 1e-12


def tokenize_for_coherence(
    texts: Iterable[str],
    *,
    stop_words: str | None = "english",
    vocabulary: Iterable[str] | None = None,
):
    """Tokenise texts the way the topic models count terms.

    The topic models' preparation (:func:`framing.topics.clean_for_terms`), then
    scikit-learn's default analyzer: lowercase, tokens of two or more word characters,
    English stop words removed.

    Parameters
    ----------
    texts : iterable of str
    stop_words : "english" or None, default="english"
    vocabulary : iterable of str, optional
        Keep only these tokens (the model's vocabulary), as in a corpus preprocessed
        for OCTIS, where sliding windows run over vocabulary words only.

    Returns
    -------
    list of list of str

    Examples
    --------
    >>> tokenize_for_coherence(["The U.S. and Kyiv's allies met—again."])
    [['kyiv', 'allies', 'met']]
    """
    from sklearn.feature_extraction.text import CountVectorizer

    from framing.topics.model import clean_for_terms

    analyze = CountVectorizer(stop_words=stop_words).build_analyzer()
    if vocabulary is None:
        return [analyze(clean_for_terms(t)) for t in texts]
    keep = set(vocabulary)
    return [[w for w in analyze(clean_for_terms(t)) if w in keep] for t in texts]


def _topic_lists(topics: Sequence[Sequence[str]] | pd.DataFrame, top_n: int) -> list[list[str]]:
    if isinstance(topics, pd.DataFrame):
        missing = {"topic", "rank", "term"} - set(topics.columns)
        if missing:
            raise ValueError(f"a topic_terms table needs columns {sorted(missing)}")
        t = topics[(topics["topic"] != -1) & (topics["rank"] <= top_n)]
        t = t.sort_values(["topic", "rank"])
        return [list(g["term"]) for _, g in t.groupby("topic", sort=True)]
    if isinstance(topics, str):
        raise TypeError("topics must be a list of word lists, not a string")
    return [[str(w) for w in words][:top_n] for words in topics]


def _window_presence(ids: np.ndarray, n_rel: int, window: int, compatible: bool):
    """(n_windows x k) presence matrix for the relevant words present in one document."""
    pos = np.flatnonzero(ids >= 0)
    words, local = np.unique(ids[pos], return_inverse=True)
    length = len(ids)
    if length < window:  # one window: the whole document
        return np.ones((1, len(words)), dtype=bool), words, 1
    n_win = length - window + 1
    steps = np.arange(n_win)
    if not compatible:
        # word present in window s iff an occurrence p satisfies s <= p < s + window
        hits = np.zeros((length + 1, len(words)), dtype=np.int32)
        np.add.at(hits, (pos + 1, local), 1)
        cum = np.cumsum(hits, axis=0)
        present = (cum[steps + window] - cum[steps]) > 0
        return present, words, n_win
    # gensim: occurrence p is added at step max(0, p - window + 1) and removed at step
    # p + 1 (removal happens before addition within a step); present iff the latest
    # add at or before s is not older than the latest removal at or before s.
    add = np.full((n_win, len(words)), -1, dtype=np.int64)
    rem = np.full((n_win, len(words)), -1, dtype=np.int64)
    add_step = np.maximum(0, pos - window + 1)
    ok = add_step < n_win
    np.maximum.at(add, (add_step[ok], local[ok]), add_step[ok])
    rem_step = pos + 1
    ok = rem_step < n_win
    np.maximum.at(rem, (rem_step[ok], local[ok]), rem_step[ok])
    add = np.maximum.accumulate(add, axis=0)
    rem = np.maximum.accumulate(rem, axis=0)
    present = (add >= 0) & (add >= rem)
    return present, words, n_win


def _cooccurrence(topic_lists, tokenized_docs, window: int, compatible: bool):
    """Window (co-)occurrence counts of the topic words: (index, counts, n_windows).

    ``counts[a, a]`` is the number of windows containing word ``a``; ``counts[a, b]``
    the number containing both. Accumulated document by document (a small dense
    matrix product each), so memory stays O(vocabulary^2).
    """
    vocab = sorted({w for words in topic_lists for w in words})
    index = {w: i for i, w in enumerate(vocab)}
    co = np.zeros((len(vocab), len(vocab)), dtype=np.float64)
    n_windows = 0
    for doc in tokenized_docs:
        doc = list(doc)
        ids = np.fromiter((index.get(w, -1) for w in doc), dtype=np.int64, count=len(doc))
        if not (ids >= 0).any():
            n_windows += max(1, len(doc) - window + 1)
            continue
        present, words, n_win = _window_presence(ids, len(vocab), window, compatible)
        p = present.astype(np.float32)
        co[np.ix_(words, words)] += p.T @ p
        n_windows += n_win
    missing = [w for w in vocab if co[index[w], index[w]] == 0]
    if missing:
        raise ValueError(
            f"{len(missing)} topic word(s) never occur in the tokenised corpus, e.g. "
            f"{missing[:5]}; tokenise the corpus as the model counted terms "
            "(framing.topic_eval.tokenize_for_coherence)"
        )
    return index, co, n_windows


def npmi_per_topic(
    topics: Sequence[Sequence[str]] | pd.DataFrame,
    tokenized_docs: Iterable[Sequence[str]],
    *,
    top_n: int = 10,
    window: int = 10,
    gensim_compatible: bool = True,
) -> np.ndarray:
    """NPMI coherence (gensim ``c_npmi``) of each topic; see :func:`npmi_coherence`.

    Returns
    -------
    numpy.ndarray
        One score per topic, in input order (NaN for a topic with fewer than 2 words).
    """
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    lists = _topic_lists(topics, top_n)
    if not lists:
        raise ValueError("no topics to evaluate")
    index, co, n = _cooccurrence(lists, tokenized_docs, window, gensim_compatible)
    n = float(n)
    out = np.full(len(lists), np.nan)
    for k, words in enumerate(lists):
        ids = [index[w] for w in words]
        if len(ids) < 2:
            continue
        scores = []
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                p_ab = co[a, b] / n
                pmi = np.log((p_ab + _EPS) / ((co[a, a] / n) * (co[b, b] / n)))
                scores.append(pmi / -np.log(p_ab + _EPS))
        out[k] = float(np.mean(scores))
    return out


def npmi_coherence(
    topics: Sequence[Sequence[str]] | pd.DataFrame,
    tokenized_docs: Iterable[Sequence[str]],
    *,
    top_n: int = 10,
    window: int = 10,
    gensim_compatible: bool = True,
) -> float:
    """Mean NPMI coherence of the topics' top words over sliding windows (``c_npmi``).

    Parameters
    ----------
    topics : list of word lists, or a ``topic_terms`` table
        Each topic's words, best first (a ``topic_terms`` table is read by ``rank``;
        topic ``-1`` is left out).
    tokenized_docs : iterable of token lists
        The reference corpus, tokenised as the model counted terms
        (:func:`tokenize_for_coherence`). Every topic word must occur in it.
    top_n : int, default=10
        Words per topic.
    window : int, default=10
        Sliding-window size in tokens (gensim's default for ``c_npmi``).
    gensim_compatible : bool, default=True
        Reproduce gensim's window bookkeeping exactly (module docstring).

    Returns
    -------
    float
        Mean over topics of the mean NPMI of each topic's word pairs, in [-1, 1];
        higher = the words co-occur more than chance.

    Examples
    --------
    >>> docs = [["tax", "budget"], ["goal", "match"], ["tax", "budget"], ["goal", "match"]]
    >>> round(npmi_coherence([["tax", "budget"], ["goal", "match"]], docs), 6)
    1.0
    >>> round(npmi_coherence([["tax", "goal"]], docs), 3)  # never in one window
    -0.95
    """
    scores = npmi_per_topic(
        topics, tokenized_docs, top_n=top_n, window=window, gensim_compatible=gensim_compatible
    )
    if np.isnan(scores).any():
        warnings.warn(
            f"{int(np.isnan(scores).sum())} topic(s) have fewer than 2 words and are "
            "left out of the mean",
            stacklevel=2,
        )
    return float(np.nanmean(scores))


def topic_diversity(topics: Sequence[Sequence[str]] | pd.DataFrame, top_n: int = 25) -> float:
    """Share of unique words among the top ``top_n`` words of all topics.

    Dieng, Ruiz & Blei (2020). 1 means no two topics share a top word; values near
    0 mean redundant topics. A topic with fewer than ``top_n`` words contributes the
    words it has (the denominator is the number of words listed).

    Parameters
    ----------
    topics : list of word lists, or a ``topic_terms`` table (topic ``-1`` left out)
    top_n : int, default=25
        Words per topic (the BERTopic paper uses 25).

    Returns
    -------
    float

    Examples
    --------
    >>> topic_diversity([["a", "b"], ["b", "c"]], top_n=2)
    0.75
    """
    lists = _topic_lists(topics, top_n)
    words = [w for ws in lists for w in ws]
    if not words:
        raise ValueError("no topic words to evaluate")
    return len(set(words)) / len(words)


def label_agreement(
    topics: Sequence[int], labels: Sequence[object], *, exclude_outliers: bool = False
) -> dict[str, float]:
    """Agreement between topic assignments and known labels: NMI and ARI.

    Normalised mutual information (arithmetic normalisation; Strehl & Ghosh 2002) and
    the adjusted Rand index (Hubert & Arabie 1985), both from scikit-learn. 1 = the
    topics reproduce the labels; NMI 0 / ARI about 0 = no relation (ARI can be
    negative). Outliers (topic ``-1``) count as one cluster unless
    ``exclude_outliers``.

    Parameters
    ----------
    topics : sequence of int
    labels : sequence
        One label per document.
    exclude_outliers : bool, default=False
        Leave documents in topic ``-1`` out.

    Returns
    -------
    dict
        ``{"nmi": float, "ari": float, "n": int}`` (``n`` documents compared).

    Examples
    --------
    >>> label_agreement([0, 0, 1, 1], ["x", "x", "y", "y"])
    {'nmi': 1.0, 'ari': 1.0, 'n': 4}
    """
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    topics = np.asarray(topics)
    labels = np.asarray(labels, dtype=object)
    if topics.shape != labels.shape:
        raise ValueError(f"{len(topics)} topics but {len(labels)} labels; pass one per document")
    if exclude_outliers:
        keep = topics != -1
        topics, labels = topics[keep], labels[keep]
    labels = labels.astype(str)
    return {
        "nmi": float(normalized_mutual_info_score(labels, topics)),
        "ari": float(adjusted_rand_score(labels, topics)),
        "n": len(topics),
    }
