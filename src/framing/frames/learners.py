"""Features and logistic-regression learners behind :mod:`framing.frames.supervised`.

TF-IDF and sentence-embedding features; single-label (multinomial) and multi-label
(one binary model per frame) logistic regression; turning probabilities into
decisions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from framing.frames.semantic import Embedder, normalise
from framing.resources import english_stop_words
from framing.units import split_sentences

__all__ = [
    "decide",
    "embed_units",
    "f1_thresholds",
    "feature_matrix",
    "fit",
    "inner_thresholds",
    "predict",
    "tfidf_vectorizer",
    "uncertainty",
]


def tfidf_vectorizer(n_docs: int) -> Any:
    """Return a TF-IDF vectorizer (uni+bigrams, sublinear tf; min_df 2 from 20 docs)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        sublinear_tf=True,
        ngram_range=(1, 2),
        min_df=2 if n_docs >= 20 else 1,
        max_df=0.9 if n_docs >= 20 else 1.0,
        strip_accents="unicode",
        stop_words=sorted(english_stop_words()),
    )


def feature_matrix(
    kind: str,
    texts: Sequence[str],
    embedder: Embedder | None,
    vectorizer: Any,
    *,
    embeddings: np.ndarray | None = None,
    fit: bool = False,
) -> tuple[Any, Any]:
    """Return ``(X, vectorizer)`` for ``kind`` in tfidf / embeddings / both."""
    from scipy import sparse

    blocks = []
    if kind in ("tfidf", "both"):
        if fit:
            vectorizer = tfidf_vectorizer(len(texts))
            blocks.append(vectorizer.fit_transform(texts))
        else:
            blocks.append(vectorizer.transform(texts))
    if kind in ("embeddings", "both"):
        if embeddings is None:
            assert embedder is not None
            embeddings = embed_units(texts, embedder)
        if kind == "embeddings":
            return np.asarray(embeddings), vectorizer
        blocks.append(sparse.csr_matrix(embeddings))
    return (blocks[0] if len(blocks) == 1 else sparse.hstack(blocks).tocsr()), vectorizer


def embed_units(texts: Sequence[str], embedder: Embedder) -> np.ndarray:
    """Embed each text as the normalised mean of its sentences' embeddings.

    Sentence encoders truncate long inputs (MiniLM: 256 word pieces), so a long
    unit (a paragraph, an article) is split with :func:`framing.units.split_sentences`
    and its sentence vectors are averaged; a one-sentence unit keeps its own
    embedding. An empty text gets a zero vector.
    """
    pieces = [split_sentences(t) if isinstance(t, str) else [] for t in texts]
    if all(len(p) == 1 and p[0] == t for p, t in zip(pieces, texts, strict=True)):
        return normalise(embedder(list(texts)))  # one sentence each: no regrouping
    flat = [s for sentences in pieces for s in sentences]
    vectors = normalise(embedder(flat)) if flat else np.zeros((0, 1))
    width = vectors.shape[1] if flat else 1
    out = np.zeros((len(texts), width))
    start = 0
    for i, sentences in enumerate(pieces):
        if sentences:
            out[i] = vectors[start : start + len(sentences)].mean(axis=0)
            start += len(sentences)
    return normalise(out)


# ------------------------------------------------------------------ models


def fit(X: Any, Y: np.ndarray, mode: str, C: float, seed: int) -> Any:
    """Single: one multinomial model on class indices; multi: one binary model per column."""
    from sklearn.linear_model import LogisticRegression

    def model() -> Any:
        return LogisticRegression(C=C, class_weight="balanced", max_iter=5000, random_state=seed)

    if mode == "single":
        y = Y.argmax(axis=1)
        return float(y[0]) if y.min() == y.max() else model().fit(X, y)
    out = []
    for j in range(Y.shape[1]):
        y = Y[:, j]
        out.append(float(y[0]) if y.min() == y.max() else model().fit(X, y))
    return out


def predict(models: Any, mode: str, n_classes: int, X: Any) -> np.ndarray:
    """Return ``(n, n_classes)`` probabilities of the models made by :func:`fit`."""
    if mode == "single":
        out = np.zeros((X.shape[0], n_classes))
        if isinstance(models, float):
            out[:, int(models)] = 1.0
        else:
            out[:, models.classes_] = models.predict_proba(X)
        return out
    out = np.empty((X.shape[0], n_classes))
    for j, m in enumerate(models):
        out[:, j] = m if isinstance(m, float) else m.predict_proba(X)[:, 1]
    return out


def f1_thresholds(Y: np.ndarray, proba: np.ndarray, default: float = 0.5) -> np.ndarray:
    """Return, per column, the probability threshold that maximises F1 on ``(Y, proba)``.

    The candidates are the observed probabilities (a unit is positive at
    ``proba >= t``); ties go to the candidate nearest ``default``. A column with no
    positive unit keeps ``default``. For a calibrated model the F1-optimal threshold
    is half the attainable F1, usually well below 0.5 for a rare class (Lipton, Elkan
    & Naryanaswamy 2014), which is why a fixed 0.5 under-predicts rare frames.
    Results are in [0, 1].
    """
    Y = np.asarray(Y).astype(bool)
    out = np.full(Y.shape[1], float(default))
    for j in range(Y.shape[1]):
        n_pos = int(Y[:, j].sum())
        if n_pos == 0:
            continue
        order = np.argsort(-proba[:, j], kind="stable")
        p, y = proba[order, j], Y[order, j]
        tp = np.cumsum(y)
        k = np.arange(1, len(p) + 1)
        last = np.r_[p[1:] != p[:-1], True]  # cut only between distinct probabilities
        f1 = np.where(last, 2 * tp / (k + n_pos), -1.0)
        best = np.flatnonzero(f1 >= f1.max() - 1e-12)
        out[j] = p[best[np.argmin(np.abs(p[best] - default))]]
    return out


def inner_thresholds(
    X: Any, Y: np.ndarray, mode: str, C: float, seed: int, n_splits: int = 5
) -> np.ndarray:
    """Return F1-optimal thresholds per column from an inner cross-validation on ``X, Y``.

    The logistic regression of :func:`fit` is cross-validated inside the given
    (training) units only (seeded, shuffled ``n_splits``-fold, fewer folds when a
    class has fewer positives) and :func:`f1_thresholds` is applied to its
    out-of-fold probabilities: the units the thresholds are later applied to are
    never seen (nested cross-validation, Varma & Simon 2006).
    """
    from sklearn.model_selection import KFold

    n_splits = int(min(n_splits, max(2, Y.sum(axis=0).min()), len(Y)))
    oof = np.zeros(Y.shape)
    for train, test in KFold(n_splits, shuffle=True, random_state=seed).split(Y):
        oof[test] = predict(fit(X[train], Y[train], mode, C, seed), mode, Y.shape[1], X[test])
    return f1_thresholds(Y, oof)


def decide(proba: np.ndarray, mode: str, threshold: float | np.ndarray) -> np.ndarray:
    """Return 0/1 decisions: the argmax class (single) or proba >= threshold (multi).

    ``threshold`` is one number or one per column.
    """
    if mode == "single":
        return np.eye(proba.shape[1], dtype=bool)[proba.argmax(axis=1)]
    return proba >= threshold


def uncertainty(proba: np.ndarray, mode: str) -> np.ndarray:
    """Return how unsure a model is per unit, in [0, 1] (1 = most unsure).

    ``single``: one minus the margin between the two most probable classes
    (margin sampling, Scheffer et al. 2001); ``multi``: one minus twice the smallest
    distance of a frame's probability from 0.5.
    """
    if mode == "single":
        top = np.sort(proba, axis=1)[:, -2:] if proba.shape[1] > 1 else np.c_[proba * 0, proba]
        return 1.0 - (top[:, 1] - top[:, 0])
    return 1.0 - 2.0 * np.abs(proba - 0.5).min(axis=1)
