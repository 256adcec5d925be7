"""Learning curves: how quality grows with the number of coded units.

:func:`learning_curve` cross-validates the first n coded units for several n (when
to stop coding); :func:`simulate_sampling` compares random and active (uncertainty)
sampling on a fully coded set (how many codes active sampling saves).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from framing.frames.coding import CodingSheetError
from framing.frames.learners import fit, predict, uncertainty
from framing.frames.metrics import macro_f1
from framing.frames.semantic import Embedder
from framing.frames.supervised import train_frame_classifier

__all__ = ["learning_curve", "simulate_sampling"]


def learning_curve(
    coded: pd.DataFrame,
    frames: Any,
    *,
    sizes: Sequence[int] | None = None,
    mode: str = "single",
    embedder: Embedder | None = None,
    n_splits: int = 5,
    random_state: int = 0,
) -> pd.DataFrame:
    """Cross-validated macro-F1 against the number of units coded, in coding order.

    For each size ``n`` the first ``n`` coded units (as coded) are cross-validated
    with embeddings + logistic regression (:func:`train_frame_classifier`). A curve
    that flattens says that coding more helps little. Sizes that cannot be
    cross-validated (fewer units than folds, one class) are skipped.

    Returns
    -------
    pandas.DataFrame
        ``n_coded, macro_f1, f1_low, f1_high`` (95% bootstrap CI), ``accuracy``
        (single mode; NaN otherwise).
    """
    total = len(coded)
    if sizes is None:
        sizes = sorted({*range(20, total, 20), total})
    rows = []
    for size in sizes:
        if size > total or size < n_splits:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                clf = train_frame_classifier(
                    coded.iloc[:size],
                    frames=frames,
                    mode=mode,
                    features="embeddings",
                    embedder=embedder,
                    n_splits=n_splits,
                    random_state=random_state,
                )
        except CodingSheetError:
            continue
        report = clf.cv_report
        rows.append(
            {
                "n_coded": size,
                "macro_f1": report.loc["macro", "f1"],
                "f1_low": report.loc["macro", "f1_low"],
                "f1_high": report.loc["macro", "f1_high"],
                "accuracy": report.loc["accuracy", "f1"] if mode == "single" else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=["n_coded", "macro_f1", "f1_low", "f1_high", "accuracy"])


def simulate_sampling(
    X: np.ndarray,
    y: np.ndarray,
    *,
    sizes: Sequence[int],
    strategy: str,
    test_size: float = 0.3,
    start: int = 25,
    batch: int = 5,
    n_repeats: int = 5,
    random_state: int = 0,
) -> pd.DataFrame:
    """Simulate coding a fully coded set by random or active sampling.

    Each repeat holds out a stratified ``test_size`` share; from the rest, units are
    "coded" either at random or (``strategy="active"``) ``start`` at random and
    then ``batch`` at a time by margin :func:`uncertainty` of a logistic
    regression on ``X`` (embeddings) fitted to the units coded so far. At each size
    the model is scored on the held-out units (macro-F1 of the argmax, accuracy).

    Returns
    -------
    pandas.DataFrame
        ``strategy, repeat, n_coded, macro_f1, accuracy``.
    """
    from sklearn.model_selection import train_test_split

    y = np.asarray(y)
    classes = np.unique(y)
    onehot = (y[:, None] == classes[None, :]).astype(int)
    rows = []
    for rep in range(n_repeats):
        seed = random_state + rep
        pool, test = train_test_split(
            np.arange(len(y)), test_size=test_size, stratify=y, random_state=seed
        )
        rng = np.random.default_rng(seed)
        order = list(rng.permutation(pool))
        coded: list[int] = order[: start if strategy == "active" else max(sizes)]
        targets = sorted(sizes)
        while True:
            for size in [s for s in targets if s <= len(coded)]:
                idx = np.asarray(coded[:size])
                model = fit(X[idx], onehot[idx][:, _present(onehot[idx])], "single", 1.0, 0)
                cols = np.flatnonzero(_present(onehot[idx]))
                p = np.zeros((len(test), len(classes)))
                p[:, cols] = predict(model, "single", len(cols), X[test])
                pred = np.eye(len(classes), dtype=int)[p.argmax(axis=1)]
                rows.append(
                    {
                        "strategy": strategy,
                        "repeat": rep,
                        "n_coded": size,
                        "macro_f1": macro_f1(onehot[test], pred),
                        "accuracy": float(
                            (p.argmax(axis=1) == onehot[test].argmax(axis=1)).mean()
                        ),
                    }
                )
                targets.remove(size)
            if not targets:
                break
            idx = np.asarray(coded)
            cols = np.flatnonzero(_present(onehot[idx]))
            model = fit(X[idx], onehot[idx][:, cols], "single", 1.0, 0)
            rest = np.setdiff1d(pool, idx)
            score = uncertainty(predict(model, "single", len(cols), X[rest]), "single")
            pick = rest[np.argsort(-score, kind="stable")[:batch]]
            coded.extend(pick.tolist())
    return pd.DataFrame(rows)


def _present(onehot: np.ndarray) -> np.ndarray:
    return onehot.sum(axis=0) > 0
