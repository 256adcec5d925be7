"""Supervised method: one-vs-rest classifiers trained on human-coded units, with CV.

:func:`train_frame_classifier` fits one logistic regression per frame on TF-IDF
features, sentence embeddings or both, and estimates its quality by
cross-validation; ``score_frames(..., method="supervised")`` applies it.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from framing.frames.coding import parse_coded_labels
from framing.frames.semantic import Embedder, normalise, resolve_embedder
from framing.frames.sets import FrameSet, load_frame_set
from framing.resources import english_stop_words
from framing.units import split_sentences

__all__ = ["FrameClassifier", "train_frame_classifier"]


@dataclass
class FrameClassifier:
    """One-vs-rest logistic regressions trained on human-coded units.

    Made by :func:`train_frame_classifier`; apply it with
    ``score_frames(table, method="supervised", classifier=clf)`` or
    :meth:`predict_proba`.

    Attributes
    ----------
    frames : list of str
        Frame keys, in the order of the probability columns.
    labels : dict of str to str
        Frame key -> label.
    features : {"tfidf", "embeddings", "both"}
    cv_report : pandas.DataFrame
        Cross-validated ``precision``, ``recall``, ``f1``, ``auc`` (ROC AUC of the
        out-of-fold probabilities) and ``support`` per frame
        (plus a ``macro`` row), from out-of-fold predictions at ``threshold``.
    frame_set, frame_set_version : str
        Where the frames came from (``"coded"`` when inferred from the labels).
    params : dict
        Training settings.
    """

    frames: list[str]
    labels: dict[str, str]
    features: str
    cv_report: pd.DataFrame
    frame_set: str
    frame_set_version: str
    params: dict[str, Any]
    _vectorizer: Any = field(repr=False, default=None)
    _models: dict[str, Any] = field(repr=False, default_factory=dict)
    _embedder: Embedder | None = field(repr=False, default=None)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Return the ``(n_texts, n_frames)`` probabilities that each frame is present."""
        texts = [t if isinstance(t, str) else "" for t in texts]
        X = _feature_matrix(self.features, texts, self._embedder, self._vectorizer)[0]
        return _predict(self._models, self.frames, X)


def _tfidf_vectorizer(n_docs: int) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        sublinear_tf=True,
        ngram_range=(1, 2),
        min_df=2 if n_docs >= 20 else 1,
        max_df=0.9 if n_docs >= 20 else 1.0,
        strip_accents="unicode",
        stop_words=sorted(english_stop_words()),
    )


def _feature_matrix(
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
            vectorizer = _tfidf_vectorizer(len(texts))
            blocks.append(vectorizer.fit_transform(texts))
        else:
            blocks.append(vectorizer.transform(texts))
    if kind in ("embeddings", "both"):
        if embeddings is None:
            assert embedder is not None
            embeddings = _embed_units(texts, embedder)
        blocks.append(sparse.csr_matrix(embeddings))
    return (blocks[0] if len(blocks) == 1 else sparse.hstack(blocks).tocsr()), vectorizer


def _embed_units(texts: Sequence[str], embedder: Embedder) -> np.ndarray:
    """Embed each text as the normalised mean of its sentences' embeddings.

    Sentence encoders truncate long inputs (MiniLM: 256 word pieces), so a long
    unit (a paragraph, an article) is split with :func:`framing.units.split_sentences`
    and its sentence vectors are averaged; a one-sentence unit keeps its own
    embedding. An empty text gets a zero vector.
    """
    pieces = [split_sentences(t) if isinstance(t, str) else [] for t in texts]
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


def _fit_models(X: Any, Y: np.ndarray, frames: Sequence[str], C: float, seed: int) -> dict:
    from sklearn.linear_model import LogisticRegression

    models: dict[str, Any] = {}
    for j, key in enumerate(frames):
        y = Y[:, j]
        if y.min() == y.max():  # one class only: predict it with certainty
            models[key] = float(y[0])
            continue
        clf = LogisticRegression(C=C, class_weight="balanced", max_iter=5000, random_state=seed)
        models[key] = clf.fit(X, y)
    return models


def _predict(models: Mapping[str, Any], frames: Sequence[str], X: Any) -> np.ndarray:
    out = np.empty((X.shape[0], len(frames)))
    for j, key in enumerate(frames):
        model = models[key]
        out[:, j] = model if isinstance(model, float) else model.predict_proba(X)[:, 1]
    return out


def _cv_report(
    Y: np.ndarray, oof: np.ndarray, frames: Sequence[str], labels: Mapping[str, str], t: float
) -> pd.DataFrame:
    from sklearn.metrics import precision_recall_fscore_support, roc_auc_score

    rows = []
    for j, key in enumerate(frames):
        p, r, f, _ = precision_recall_fscore_support(
            Y[:, j], oof[:, j] >= t, average="binary", zero_division=0
        )
        rows.append(
            {
                "frame": key,
                "label": labels[key],
                "precision": p,
                "recall": r,
                "f1": f,
                "auc": (
                    roc_auc_score(Y[:, j], oof[:, j]) if 0 < Y[:, j].sum() < len(Y) else np.nan
                ),
                "support": int(Y[:, j].sum()),
                "n_units": len(Y),
            }
        )
    report = pd.DataFrame(rows)
    macro = {
        "frame": "macro",
        "label": "Macro average",
        "precision": report["precision"].mean(),
        "recall": report["recall"].mean(),
        "f1": report["f1"].mean(),
        "auc": report["auc"].mean(),
        "support": int(report["support"].sum()),
        "n_units": len(Y),
    }
    return pd.concat([report, pd.DataFrame([macro])], ignore_index=True)


def train_frame_classifier(
    coded: str | Path | pd.DataFrame,
    *,
    frames: str | Path | Mapping[str, Any] | FrameSet | Sequence[str] | None = None,
    features: Literal["tfidf", "embeddings", "both"] = "tfidf",
    text_column: str = "text",
    labels_column: str = "labels",
    embedder: Embedder | None = None,
    model: str | None = None,
    cache_dir: str | Path | None = None,
    n_splits: int = 5,
    C: float = 1.0,
    threshold: float = 0.5,
    random_state: int = 0,
) -> FrameClassifier:
    """Train one logistic regression per frame on human-coded units.

    Each frame gets its own binary L2-regularised logistic regression (one-vs-rest,
    so a unit may carry several frames) with ``class_weight="balanced"`` so that
    rare frames are not ignored. Features are TF-IDF word uni- and bigrams
    (sublinear tf; Salton & Buckley 1988), sentence embeddings (offline MiniLM;
    Reimers & Gurevych 2019; a unit of several sentences is embedded as the mean
    of its sentences, so long units are not truncated) or both side by side.
    Quality is estimated by seeded, shuffled ``n_splits``-fold cross-validation:
    the vectorizer and the classifiers are refitted inside every fold (no leakage)
    and precision, recall and F1 are computed on the pooled out-of-fold
    predictions; the final model is then fitted on all coded units.

    Parameters
    ----------
    coded : path or DataFrame
        A CSV (or table) with a text column plus either a ``labels`` column of
        frame keys separated by ``;`` (``"conflict;economic"``; ``"none"`` or empty
        for no frame) or one 0/1 column per frame.
    frames : frame set, list of keys, or None
        The valid labels; unknown labels are an error naming them. ``None`` infers
        the frames from the labels.
    features : {"tfidf", "embeddings", "both"}, default="tfidf"
    text_column, labels_column : str
        Column names in ``coded``.
    embedder, model, cache_dir :
        How to embed texts (see :func:`frame_prototypes`).
    n_splits : int, default=5
        Cross-validation folds.
    C : float, default=1.0
        Inverse regularisation strength.
    threshold : float, default=0.5
        Probability at which a frame counts as present.
    random_state : int, default=0
        Seed of the fold split and the solver.

    Returns
    -------
    FrameClassifier
        With ``cv_report``; higher probabilities mean the frame is more likely
        present.
    """
    from sklearn.model_selection import KFold

    if features not in ("tfidf", "embeddings", "both"):
        raise ValueError(f"features must be 'tfidf', 'embeddings' or 'both', got {features!r}")
    source = str(coded) if isinstance(coded, str | Path) else "the coded table"
    table = pd.read_csv(coded) if isinstance(coded, str | Path) else coded
    if frames is None or (isinstance(frames, Sequence) and not isinstance(frames, str)):
        keys = None if frames is None else [str(k) for k in frames]
        set_name, set_version = "coded", ""
        labels_of: dict[str, str] = {}
    else:
        frame_set = load_frame_set(frames)
        keys, set_name, set_version = frame_set.keys, frame_set.name, frame_set.version
        labels_of = {k: f.label for k, f in frame_set.frames.items()}
    Y_table = parse_coded_labels(
        table, keys, text_column=text_column, labels_column=labels_column, source=source
    )
    absent = [k for k in Y_table.columns if Y_table[k].sum() == 0]
    if absent:
        warnings.warn(
            f"{source}: frame(s) {absent} are never coded as present; they are left out of "
            "the classifier (it cannot learn a frame without examples)",
            stacklevel=2,
        )
        Y_table = Y_table.drop(columns=absent)
    keys = list(Y_table.columns)
    if not keys:
        raise ValueError(f"{source}: no frame is coded as present in any unit")
    labels_of = {k: labels_of.get(k, k) for k in keys}
    texts = table[text_column].fillna("").astype(str).tolist()
    Y = Y_table.to_numpy(dtype=int)
    if len(texts) < n_splits:
        raise ValueError(
            f"{source}: {len(texts)} coded unit(s) cannot be split into {n_splits} folds; "
            "code more units or lower n_splits"
        )
    for key, n_pos in zip(keys, Y.sum(axis=0), strict=True):
        if n_pos < n_splits or n_pos > len(Y) - n_splits:
            warnings.warn(
                f"frame {key!r} has {n_pos} positive of {len(Y)} coded units: too few of one "
                "class for a reliable classifier or cross-validation",
                stacklevel=2,
            )
    embed = (
        resolve_embedder(embedder, model, cache_dir, None)
        if features in ("embeddings", "both")
        else None
    )
    embeddings = _embed_units(texts, embed) if embed is not None else None
    oof = np.zeros(Y.shape, dtype=float)
    folds = KFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    for train, test in folds.split(texts):
        train_texts = [texts[i] for i in train]
        X_train, vec = _feature_matrix(
            features,
            train_texts,
            None,
            None,
            embeddings=None if embeddings is None else embeddings[train],
            fit=True,
        )
        X_test, _ = _feature_matrix(
            features,
            [texts[i] for i in test],
            None,
            vec,
            embeddings=None if embeddings is None else embeddings[test],
        )
        oof[test] = _predict(_fit_models(X_train, Y[train], keys, C, random_state), keys, X_test)
    X_all, vectorizer = _feature_matrix(
        features, texts, None, None, embeddings=embeddings, fit=True
    )
    return FrameClassifier(
        frames=keys,
        labels=labels_of,
        features=features,
        cv_report=_cv_report(Y, oof, keys, labels_of, threshold),
        frame_set=set_name,
        frame_set_version=set_version,
        params={
            "features": features,
            "n_splits": n_splits,
            "C": C,
            "threshold": threshold,
            "random_state": random_state,
            "n_coded": len(texts),
            "model": (model or "all-MiniLM-L6-v2 (offline)") if embed is not None else None,
        },
        _vectorizer=vectorizer,
        _models=_fit_models(X_all, Y, keys, C, random_state),
        _embedder=embed,
    )
