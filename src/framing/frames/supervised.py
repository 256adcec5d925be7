"""Supervised method: frame classifiers trained on human-coded units, with CV.

:func:`train_frame_classifier` fits a logistic-regression classifier on TF-IDF
features, sentence embeddings (bundled MiniLM) or both, or on the embeddings of a
MiniLM fine-tuned on the coded units with SetFit (:mod:`framing.frames.fewshot`);
``backend="auto"`` picks between embeddings + LR and SetFit by cross-validated
macro-F1. Two modes: ``single`` (each unit carries one frame or ``none``:
multinomial regression, argmax prediction) and ``multi`` (any number of frames per
unit: one binary regression per frame). :func:`train_or_load` keeps the trained model
on disk under the hash of its coded data and settings, for ``framing run``.
``score_frames(..., method="supervised")`` applies a classifier.
"""

from __future__ import annotations

import hashlib
import json
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from framing.frames.classifier import FrameClassifier
from framing.frames.coding import NONE_LABEL, UNSURE_LABEL, CodingSheetError, parse_coded_labels
from framing.frames.learners import (
    decide,
    embed_units,
    feature_matrix,
    fit,
    inner_thresholds,
    predict,
)
from framing.frames.metrics import cv_report
from framing.frames.semantic import Embedder, resolve_embedder
from framing.frames.sets import FrameSet, load_frame_set
from framing.resources import default_setting

__all__ = [
    "UNSURE_LABEL",
    "CodedData",
    "FrameClassifier",
    "coded_hash",
    "prepare_coded",
    "train_frame_classifier",
    "train_or_load",
    "training_settings",
]

_BACKENDS = ("lr", "setfit", "auto")
_FEATURES = ("tfidf", "embeddings", "both", "auto")
#: What ``features="auto"`` cross-validates (for ``backend="lr"``).
AUTO_FEATURES = ("embeddings", "both")


@dataclass(frozen=True)
class CodedData:
    """Coded units ready for training (see :func:`prepare_coded`)."""

    texts: list[str]
    Y: pd.DataFrame  # 0/1, one column per class
    classes: list[str]
    frames: list[str]  # the classes without "none"
    labels: dict[str, str]
    frame_set: str
    frame_set_version: str
    source: str


def _class_matrix(
    table: pd.DataFrame,
    keys: list[str] | None,
    mode: str,
    text_column: str,
    labels_column: str,
    source: str,
) -> pd.DataFrame:
    """0/1 class matrix (single mode: one-hot with a ``none`` column when coded)."""
    Y = parse_coded_labels(
        table, keys, text_column=text_column, labels_column=labels_column, source=source
    )
    if mode == "multi":
        return Y
    several = np.flatnonzero(Y.sum(axis=1).to_numpy() > 1)
    if len(several):
        lines = [int(i) + 2 for i in several[:10]]
        raise CodingSheetError(
            f"{source}: mode='single' needs one frame per unit, but line(s) {lines} carry "
            "several; code one frame per unit, or pass mode='multi'"
        )
    none = (Y.sum(axis=1) == 0).astype("int64")
    return Y.assign(**{NONE_LABEL: none}) if none.any() else Y


def prepare_coded(
    coded: str | Path | pd.DataFrame,
    frames: Any = None,
    *,
    mode: str = "multi",
    text_column: str = "text",
    labels_column: str = "labels",
    warn: bool = True,
) -> CodedData:
    """Validate coded units and build their class matrix.

    Units coded ``"unsure"`` are dropped; frames never coded present are dropped
    (with a warning).

    Raises
    ------
    CodingSheetError
        An empty file or table, unknown labels (naming the line), several frames
        per unit in single mode (naming the lines), or fewer than two classes.
    """
    source = str(coded) if isinstance(coded, str | Path) else "the coded table"
    try:
        table = pd.read_csv(coded) if isinstance(coded, str | Path) else coded
    except pd.errors.EmptyDataError:
        table = pd.DataFrame()
    if table.empty:
        raise CodingSheetError(f"{source}: no coded units (the file or table is empty)")
    if labels_column in table.columns:
        unsure = table[labels_column].astype(str).str.strip().str.lower() == UNSURE_LABEL
        table = table.loc[~unsure]
    if frames is None or (isinstance(frames, Sequence) and not isinstance(frames, str)):
        keys = None if frames is None else [str(k) for k in frames]
        set_name, set_version, labels_of = "coded", "", {}
    else:
        frame_set = load_frame_set(frames)
        keys, set_name, set_version = frame_set.keys, frame_set.name, frame_set.version
        labels_of = {k: f.label for k, f in frame_set.frames.items()}
    Y = _class_matrix(table, keys, mode, text_column, labels_column, source)
    absent = [k for k in Y.columns if Y[k].sum() == 0]
    if absent and warn:
        warnings.warn(
            f"{source}: frame(s) {absent} are never coded as present; they are left out of "
            "the classifier (it cannot learn a frame without examples)",
            stacklevel=3,
        )
    Y = Y.drop(columns=absent)
    classes = list(Y.columns)
    frame_keys = [k for k in classes if k != NONE_LABEL]
    if not frame_keys:
        raise CodingSheetError(f"{source}: no frame is coded as present in any unit")
    if mode == "single" and len(classes) < 2:
        raise CodingSheetError(
            f"{source}: every unit is coded {classes[0]!r}; a classifier needs at least two "
            "classes (code units of another frame or 'none')"
        )
    return CodedData(
        texts=table[text_column].fillna("").astype(str).tolist(),
        Y=Y,
        classes=classes,
        frames=frame_keys,
        labels={k: labels_of.get(k, "None" if k == NONE_LABEL else k) for k in classes},
        frame_set=set_name,
        frame_set_version=set_version,
        source=source,
    )


def training_settings(
    *,
    mode: str = "multi",
    backend: str = "lr",
    features: str | None = None,
    n_splits: int = 5,
    C: float = 1.0,
    threshold: float | str = "auto",
    random_state: int = 0,
    model: str | None = None,
    setfit_options: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Return the settings that change a trained classifier (hashed with the data).

    ``features=None`` is ``[frames] features`` of the package's ``default.toml``.
    """
    if features is None:
        features = default_setting("frames", "features")
    return {
        "mode": mode,
        "backend": backend,
        "features": features if backend == "lr" else "embeddings",
        "n_splits": n_splits,
        "C": C,
        "threshold": threshold,
        "random_state": random_state,
        "model": model,
        "setfit": dict(setfit_options or {}),
    }


def coded_hash(texts: Sequence[str], Y: pd.DataFrame, settings: Mapping[str, Any]) -> str:
    """Return the sha256 of the coded texts, their labels and the training settings."""
    h = hashlib.sha256()
    h.update(json.dumps(dict(settings), sort_keys=True, default=str).encode())
    h.update(json.dumps(list(Y.columns)).encode())
    for text, row in zip(texts, Y.to_numpy(dtype=int).tolist(), strict=True):
        h.update(text.encode("utf-8", "surrogatepass") + b"\x00" + bytes(row) + b"\x01")
    return h.hexdigest()


def _splits(texts: Sequence[str], Y: np.ndarray, mode: str, n_splits: int, seed: int) -> list:
    from sklearn.model_selection import KFold, StratifiedKFold

    if mode == "multi" or Y.sum(axis=0).max() < n_splits:  # too few to stratify
        return list(KFold(n_splits=n_splits, shuffle=True, random_state=seed).split(texts))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The least populated class")
        folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
        return list(folds.split(texts, Y.argmax(axis=1)))


def _finetune(
    texts: list[str], Y: np.ndarray, mode: str, options: Mapping[str, Any], seed: int
) -> Any:
    from framing.frames.fewshot import finetune_encoder

    targets = Y.argmax(axis=1).tolist() if mode == "single" else Y.tolist()
    return finetune_encoder(
        texts, targets, multi_label=mode == "multi", random_state=seed, **options
    )


def _thresholds(X: Any, Y: np.ndarray, s: Mapping[str, Any]) -> np.ndarray | float:
    """Return the multi-label decision threshold(s) for a model fitted on ``X, Y``.

    ``threshold="auto"``: per frame, the F1-optimal cut of an inner cross-validation
    on these (training) units only (:func:`framing.frames.learners.inner_thresholds`);
    a number is used as given. Single-label mode decides by argmax (0.5 is kept
    for :func:`score_frames`'s ``present`` column).
    """
    if s["threshold"] != "auto":
        return float(s["threshold"])
    if s["mode"] == "single":
        return 0.5
    return inner_thresholds(X, Y, s["mode"], s["C"], s["random_state"], s["n_splits"])


def _cross_validate(
    backend: str,
    texts: list[str],
    Y: np.ndarray,
    embeddings: np.ndarray | None,
    s: Mapping[str, Any],
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold probabilities and decisions.

    Every fold refits vectorizer, encoder, model and (``threshold="auto"``) the
    per-frame thresholds, on its training units only; the test fold's labels are
    used for nothing but scoring.
    """
    mode, seed = s["mode"], s["random_state"]
    oof = np.zeros(Y.shape)
    decided = np.zeros(Y.shape, dtype=bool)
    for train, test in _splits(texts, Y, mode, s["n_splits"], seed):
        train_texts = [texts[i] for i in train]
        test_texts = [texts[i] for i in test]
        if backend == "setfit":
            encoder = _finetune(train_texts, Y[train], mode, s["setfit"], seed)
            X_train, X_test = embed_units(train_texts, encoder), embed_units(test_texts, encoder)
        else:
            part = (None, None) if embeddings is None else (embeddings[train], embeddings[test])
            X_train, vec = feature_matrix(
                s["features"], train_texts, None, None, embeddings=part[0], fit=True
            )
            X_test, _ = feature_matrix(s["features"], test_texts, None, vec, embeddings=part[1])
        model = fit(X_train, Y[train], mode, s["C"], seed)
        oof[test] = predict(model, mode, Y.shape[1], X_test)
        decided[test] = decide(oof[test], mode, _thresholds(X_train, Y[train], s))
    return oof, decided


def train_frame_classifier(
    coded: str | Path | pd.DataFrame,
    *,
    frames: str | Path | Mapping[str, Any] | FrameSet | Sequence[str] | None = None,
    mode: Literal["single", "multi"] = "multi",
    backend: Literal["lr", "setfit", "auto"] = "lr",
    features: Literal["tfidf", "embeddings", "both", "auto"] | None = None,
    text_column: str = "text",
    labels_column: str = "labels",
    embedder: Embedder | None = None,
    model: str | None = None,
    cache_dir: str | Path | None = None,
    n_splits: int = 5,
    C: float = 1.0,
    threshold: float | Literal["auto"] = "auto",
    random_state: int = 0,
    setfit_options: Mapping[str, Any] | None = None,
) -> FrameClassifier:
    """Train a frame classifier on human-coded units and cross-validate it.

    Logistic regression (L2, ``class_weight="balanced"`` so rare frames count):
    ``mode="single"`` fits one multinomial model over the coded classes (frames and
    ``none``) and predicts the argmax; ``mode="multi"`` fits one binary model per
    frame (one-vs-rest; a frame is present at probability >= its threshold, by
    default the F1-optimal one found by an inner cross-validation on the training
    units: a balanced model's 0.5 is not where F1 peaks, Lipton et al. 2014).
    Features (``backend="lr"``): TF-IDF word uni- and bigrams (sublinear tf; Salton
    & Buckley 1988), MiniLM sentence embeddings (Reimers & Gurevych 2019; a
    several-sentence unit is the mean of its sentences) or both.
    ``backend="setfit"`` first fine-tunes MiniLM contrastively on the coded units
    (SetFit, Tunstall et al. 2022) and uses its embeddings (a long unit is the
    mean of its sentences with either encoder: it is never cut to the encoder's
    256 word pieces). ``backend="auto"``
    cross-validates embeddings + LR and SetFit and keeps the higher macro-F1 (the
    report of the winner is then slightly optimistic: the better of two estimates).
    Quality: seeded, shuffled ``n_splits``-fold CV (stratified by class in single
    mode); vectorizer, encoder, model and thresholds are refitted inside every fold
    (the thresholds by a further CV nested in the training units); metrics
    are computed on the pooled out-of-fold predictions (see
    :func:`framing.frames.metrics.cv_report`). The final model is fitted on all
    coded units. Units coded ``"unsure"`` are left out.

    Parameters
    ----------
    coded : path or DataFrame
        A CSV (or table) with a text column plus either a ``labels`` column of
        frame keys separated by ``;`` (``"none"`` for no frame) or one 0/1 column
        per frame.
    frames : frame set, list of keys, or None
        The valid labels; unknown labels are an error naming the line. ``None``
        infers the frames from the labels.
    mode : {"single", "multi"}, default="multi"
    backend : {"lr", "setfit", "auto"}, default="lr"
    features : {"tfidf", "embeddings", "both", "auto"}, optional
        Features of ``backend="lr"``; ``setfit`` and ``auto`` use embeddings.
        ``"auto"`` cross-validates :data:`AUTO_FEATURES` (embeddings, and embeddings
        plus TF-IDF) and keeps the higher macro-F1, like ``backend="auto"``; the
        ``selection`` table has a row for each. Default: ``[frames] features`` of the
        package's ``default.toml`` (``"auto"``: a pretrained encoder carries over to
        a few coded units where a vocabulary learnt from them does not, while the
        corpus's own words can help once many units are coded).
    text_column, labels_column : str
    embedder, model, cache_dir :
        How to embed texts (see :func:`framing.frames.semantic.resolve_embedder`).
    n_splits : int, default=5
    C : float, default=1.0
        Inverse regularisation strength (scikit-learn's default).
    threshold : float or "auto", default="auto"
        ``multi``: probability at which a frame counts as present. ``"auto"``: per
        frame, the threshold maximising F1 on out-of-fold probabilities of an inner
        ``n_splits``-fold CV within the training units (in the CV report: within
        each training fold; never on the units it is evaluated on). Stored per frame
        in ``params["threshold"]``.
    random_state : int, default=0
    setfit_options : dict, optional
        ``max_steps``, ``batch_size`` of :func:`framing.frames.fewshot.finetune_encoder`.

    Returns
    -------
    FrameClassifier
        With ``cv_report`` (indexed by frame) and ``selection``; probabilities in
        [0, 1], higher = frame more likely.

    Raises
    ------
    CodingSheetError
        Empty input, unknown labels, several frames per unit in single mode, fewer
        than two classes, too few units for the folds; the message names lines
        and labels.
    """
    if features is not None and features not in _FEATURES:  # None: training_settings'
        raise ValueError(f"features must be one of {_FEATURES}, got {features!r}")
    if mode not in ("single", "multi"):
        raise ValueError(f"mode must be 'single' or 'multi', got {mode!r}")
    if backend not in _BACKENDS:
        raise ValueError(f"backend must be one of {_BACKENDS}, got {backend!r}")
    data = prepare_coded(
        coded, frames, mode=mode, text_column=text_column, labels_column=labels_column
    )
    texts, classes = data.texts, data.classes
    Y = data.Y.to_numpy(dtype=int)
    if len(texts) < n_splits:
        raise CodingSheetError(
            f"{data.source}: {len(texts)} coded unit(s) cannot be split into {n_splits} "
            "folds; code more units or lower n_splits"
        )
    for key, n_pos in zip(classes, Y.sum(axis=0), strict=True):
        if n_pos < n_splits or (mode == "multi" and n_pos > len(Y) - n_splits):
            warnings.warn(
                f"frame {key!r} has {n_pos} positive of {len(Y)} coded units: too few of one "
                "class for a reliable classifier or cross-validation",
                stacklevel=2,
            )
    s = training_settings(
        mode=mode,
        backend=backend,
        features=features,
        n_splits=n_splits,
        C=C,
        threshold=threshold,
        random_state=random_state,
        model=model,
        setfit_options=setfit_options,
    )
    tried = [
        (name, kind)
        for name in (["lr", "setfit"] if backend == "auto" else [backend])
        for kind in (
            ["embeddings"]
            if name == "setfit"
            else AUTO_FEATURES
            if s["features"] == "auto"
            else [s["features"]]
        )
    ]
    embed = (
        resolve_embedder(embedder, model, cache_dir, None) if s["features"] != "tfidf" else None
    )
    uses_embeddings = any(n == "lr" and k != "tfidf" for n, k in tried)
    embeddings = embed_units(texts, embed) if embed is not None and uses_embeddings else None
    results = []
    for name, kind in tried:
        start = time.perf_counter()
        oof, decided = _cross_validate(name, texts, Y, embeddings, {**s, "features": kind})
        report = cv_report(
            Y,
            decided,
            oof,
            classes,
            data.labels,
            single_label=mode == "single",
            random_state=random_state,
        )
        results.append(((name, kind), report, time.perf_counter() - start))
    best = max(range(len(results)), key=lambda i: results[i][1].loc["macro", "f1"])
    (chosen, chosen_features), report, _ = results[best]
    report.attrs["backend"] = chosen
    report.attrs["features"] = chosen_features
    selection = pd.DataFrame(
        {
            "backend": [r[0][0] for r in results],
            "features": [r[0][1] for r in results],
            "macro_f1": [float(r[1].loc["macro", "f1"]) for r in results],
            "accuracy": [
                float(r[1].loc["accuracy", "f1"]) if mode == "single" else np.nan for r in results
            ],
            "seconds": [r[2] for r in results],
            "chosen": [i == best for i in range(len(results))],
        }
    )
    encoder = None
    if chosen == "setfit":
        encoder = _finetune(texts, Y, mode, s["setfit"], random_state)
        X_all, vectorizer = embed_units(texts, encoder), None
    else:
        X_all, vectorizer = feature_matrix(
            chosen_features, texts, None, None, embeddings=embeddings, fit=True
        )
    return FrameClassifier(
        frames=data.frames,
        classes=classes,
        labels={k: data.labels[k] for k in data.frames},
        features=chosen_features,
        mode=mode,
        backend=chosen,
        cv_report=report,
        selection=selection,
        frame_set=data.frame_set,
        frame_set_version=data.frame_set_version,
        params={
            **{k: v for k, v in s.items() if k not in ("model", "backend", "features")},
            "backend": chosen,
            "backend_requested": backend,
            "features": chosen_features,
            "features_requested": s["features"],
            "n_coded": len(texts),
            "model": (model or "all-MiniLM-L6-v2 (offline)") if embed or encoder else None,
            "model_name": model,
            "data_hash": coded_hash(texts, data.Y, s),
            "threshold_rule": threshold,
            "threshold": np.broadcast_to(_thresholds(X_all, Y, s), (len(classes),))[
                [classes.index(k) for k in data.frames]
            ].tolist(),
        },
        _vectorizer=vectorizer,
        _models=fit(X_all, Y, mode, C, random_state),
        _embedder=embed,
        _encoder=encoder,
    )


def train_or_load(
    coded: str | Path | pd.DataFrame, folder: str | Path, **options: Any
) -> FrameClassifier:
    """Return the classifier saved in ``folder`` if its coded data and settings match.

    Otherwise train one with :func:`train_frame_classifier` (``options`` are its
    keyword arguments) and save it to ``folder``. The key is :func:`coded_hash` of
    the coded texts, their labels and :func:`training_settings`; so the model is
    retrained only when the coded data or a setting changes. A custom
    ``embedder`` object has no stable identity and is not part of the key.
    """
    folder = Path(folder)
    keys = (
        "mode",
        "backend",
        "features",
        "n_splits",
        "C",
        "threshold",
        "random_state",
        "model",
        "setfit_options",
    )
    s = training_settings(**{k: options[k] for k in keys if k in options})
    data = prepare_coded(
        coded,
        options.get("frames"),
        mode=s["mode"],
        text_column=options.get("text_column", "text"),
        labels_column=options.get("labels_column", "labels"),
        warn=False,
    )
    want = coded_hash(data.texts, data.Y, s)
    try:
        saved = json.loads((folder / "meta.json").read_text())["params"]["data_hash"]
    except (OSError, ValueError, KeyError):
        saved = None
    if saved == want:
        return FrameClassifier.load(
            folder, embedder=options.get("embedder"), cache_dir=options.get("cache_dir")
        )
    clf = train_frame_classifier(coded, **options)
    clf.save(folder)
    return clf
