"""The trained frame classifier: prediction, saving and loading.

Made by :func:`framing.frames.supervised.train_frame_classifier`.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing.frames.coding import NONE_LABEL
from framing.frames.learners import feature_matrix, predict
from framing.frames.semantic import Embedder, resolve_embedder

__all__ = ["FrameClassifier"]


@dataclass
class FrameClassifier:
    """A frame classifier trained on human-coded units.

    Made by :func:`train_frame_classifier`; apply it with
    ``score_frames(table, method="supervised", classifier=clf)``, :meth:`predict`
    or :meth:`predict_proba`.

    Attributes
    ----------
    frames : list of str
        Frame keys, in the order of the probability columns.
    classes : list of str
        ``single``: the coded classes (``frames`` plus ``"none"`` when coded);
        ``multi``: ``frames``.
    labels : dict of str to str
        Frame key -> label.
    mode : {"single", "multi"}
    backend : {"lr", "setfit"}
        ``lr``: logistic regression on ``features``; ``setfit``: on the embeddings
        of the SetFit-fine-tuned MiniLM.
    features : {"tfidf", "embeddings", "both"}
        The features used (``features="auto"`` resolved by cross-validation).
    cv_report : pandas.DataFrame
        Cross-validated precision, recall, F1 (with bootstrap CI), AUC and support,
        indexed by frame, plus ``macro`` (and ``accuracy`` in single mode):
        ``clf.cv_report.loc["macro", "f1"]`` is the macro-F1. ``attrs["backend"]``
        names the backend.
    selection : pandas.DataFrame
        The backends cross-validated (``backend``, ``macro_f1``, ``accuracy``,
        ``seconds``, ``chosen``).
    frame_set, frame_set_version : str
        Where the frames came from (``"coded"`` when inferred from the labels).
    params : dict
        Training settings and ``data_hash``, the hash of the coded data + settings.
    """

    frames: list[str]
    labels: dict[str, str]
    features: str
    cv_report: pd.DataFrame
    frame_set: str
    frame_set_version: str
    params: dict[str, Any]
    mode: str = "multi"
    backend: str = "lr"
    classes: list[str] = field(default_factory=list)
    selection: pd.DataFrame | None = None
    _vectorizer: Any = field(repr=False, default=None)
    _models: Any = field(repr=False, default=None)
    _embedder: Embedder | None = field(repr=False, default=None)
    _encoder: Any = field(repr=False, default=None)

    def _class_proba(self, texts: Sequence[str]) -> np.ndarray:
        texts = [t if isinstance(t, str) else "" for t in texts]
        embed = self._encoder if self._encoder is not None else self._embedder
        X = feature_matrix(self.features, texts, embed, self._vectorizer)[0]
        return predict(self._models, self.mode, len(self.classes), X)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Return the ``(n_texts, n_frames)`` probabilities of each frame (columns = ``frames``).

        ``single``: the multinomial probabilities of the frame classes (with
        ``none`` coded, its probability is ``1 - row sum``); ``multi``: the
        probability that each frame is present. Range [0, 1].
        """
        proba = self._class_proba(texts)
        return proba[:, [self.classes.index(k) for k in self.frames]]

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """Return one label per text: a frame key or ``"none"``.

        ``single``: the most probable class (argmax). ``multi``: the frames with
        probability >= its threshold (``params["threshold"]``, one per frame, or one
        number in classifiers saved before per-frame thresholds) joined by ``";"``,
        ``"none"`` if none.
        """
        proba = self._class_proba(texts)
        if self.mode == "single":
            return np.array(self.classes, dtype=object)[proba.argmax(axis=1)]
        on = proba >= np.asarray(self.params["threshold"], dtype=float)
        return np.array(
            [
                ";".join(k for k, o in zip(self.frames, row, strict=True) if o) or NONE_LABEL
                for row in on
            ],
            dtype=object,
        )

    def save(self, folder: str | Path) -> Path:
        """Write the classifier to ``folder`` (replaced atomically as a whole)."""
        import joblib

        folder = Path(folder)
        tmp = folder.with_name(f".{folder.name}.{uuid.uuid4().hex}.tmp")
        tmp.mkdir(parents=True)
        try:
            meta = {
                k: getattr(self, k)
                for k in (
                    "frames",
                    "labels",
                    "features",
                    "frame_set",
                    "frame_set_version",
                    "mode",
                    "backend",
                    "classes",
                )
            }
            meta["params"] = self.params
            (tmp / "meta.json").write_text(json.dumps(meta, indent=2, default=str))
            self.cv_report.to_csv(tmp / "cv_report.csv")
            if self.selection is not None:
                self.selection.to_csv(tmp / "selection.csv", index=False)
            joblib.dump(
                {"vectorizer": self._vectorizer, "models": self._models}, tmp / "head.joblib"
            )
            if self._encoder is not None:
                self._encoder.save(tmp / "encoder")
            old = folder.with_name(f".{folder.name}.{uuid.uuid4().hex}.old")
            if folder.exists():
                folder.rename(old)
            tmp.rename(folder)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return folder

    @classmethod
    def load(
        cls,
        folder: str | Path,
        *,
        embedder: Embedder | None = None,
        cache_dir: str | Path | None = None,
    ) -> FrameClassifier:
        """Read a classifier written by :meth:`save`."""
        import joblib

        folder = Path(folder)
        meta = json.loads((folder / "meta.json").read_text())
        head = joblib.load(folder / "head.joblib")
        report = pd.read_csv(
            folder / "cv_report.csv", index_col="frame", keep_default_na=False, na_values=[""]
        )
        report.attrs["backend"] = meta["backend"]
        selection = (
            pd.read_csv(folder / "selection.csv") if (folder / "selection.csv").exists() else None
        )
        encoder = None
        if (folder / "encoder").exists():
            from framing.frames.fewshot import FineTunedEncoder

            encoder = FineTunedEncoder.load(folder / "encoder")
        embed = None
        if meta["features"] != "tfidf" and encoder is None:
            embed = resolve_embedder(embedder, meta["params"].get("model_name"), cache_dir, None)
        params = meta.pop("params")
        return cls(
            **meta,
            params=params,
            cv_report=report,
            selection=selection,
            _vectorizer=head["vectorizer"],
            _models=head["models"],
            _embedder=embed,
            _encoder=encoder,
        )
