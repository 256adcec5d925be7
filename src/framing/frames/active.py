"""The coding loop: propose units, code them, train, report, apply.

:func:`propose_units` picks the next units to code: an outlet-stratified random
start, then uncertainty sampling (Lewis & Gale 1994) from a logistic regression on
MiniLM embeddings of the units coded so far. :class:`CodingLoop` keeps a corpus, a
codes file (:mod:`framing.frames.codes`, saved after every code) and each coder's
queue of proposed units (``<codes>.queue.json``, saved likewise), so a loop closed
mid-way resumes where it stopped. :func:`framing.frames.curves.learning_curve` shows
cross-validated F1 against the number of units coded.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing.export import atomic_write_text
from framing.frames.classifier import FrameClassifier
from framing.frames.codes import (
    CODES_COLUMNS,
    coded_units,
    coder_agreement,
    read_codes,
    record_code,
)
from framing.frames.coding import CodingSheetError, frame_keys
from framing.frames.curves import learning_curve
from framing.frames.learners import embed_units, fit, predict, uncertainty
from framing.frames.results import FrameScores
from framing.frames.score import score_frames
from framing.frames.semantic import Embedder, resolve_embedder
from framing.frames.sets import load_frame_set
from framing.frames.supervised import train_frame_classifier

__all__ = [
    "CodingLoop",
    "propose_units",
    "with_validation",
]

#: Coded units per class before the proposals switch from the stratified start to
#: uncertainty sampling: a model needs two examples of at least two classes to be
#: anything but a constant.
MIN_PER_CLASS = 2


def propose_units(
    units: pd.DataFrame,
    n: int,
    *,
    exclude: Sequence[str] = (),
    proba: np.ndarray | None = None,
    mode: str = "single",
    random_state: int = 0,
) -> pd.DataFrame:
    """Pick the next ``n`` units to code.

    Without ``proba``: stratified by outlet, equal allocation (outlets take turns,
    in a seeded random order; units at random within an outlet), so the first
    coded units cover every outlet's language. With ``proba`` (one row per unit of
    ``units``): the ``n`` units with the highest :func:`uncertainty`, ties broken at
    random (seeded).

    Returns
    -------
    pandas.DataFrame
        The chosen rows of ``units`` plus ``uncertainty`` (NaN for the stratified
        start) and ``reason`` (``"stratified"`` or ``"uncertain"``).
    """
    rng = np.random.default_rng(random_state)
    ids = units["unit_id"].astype(str).to_numpy()
    free = ~np.isin(ids, np.asarray(list(exclude), dtype=str))
    jitter = rng.random(len(units))
    if proba is None:
        outlets = units["outlet"].fillna("").astype(str).to_numpy() if "outlet" in units else None
        if outlets is None:
            outlets = np.full(len(units), "")
        names = np.unique(outlets[free])
        turn = dict(zip(rng.permutation(names), range(len(names)), strict=True))
        frame = pd.DataFrame({"outlet": outlets, "jitter": jitter})[free]
        frame["rank"] = frame.groupby("outlet")["jitter"].rank(method="first")
        frame["turn"] = frame["outlet"].map(turn)
        order = frame.sort_values(["rank", "turn"]).index[:n]
        out = units.iloc[order].copy()
        return out.assign(uncertainty=np.nan, reason="stratified")
    score = uncertainty(proba, mode)
    key = np.where(free, score, -np.inf)
    order = np.lexsort((jitter, key))[::-1][: min(n, int(free.sum()))]
    return units.iloc[order].assign(uncertainty=score[order], reason="uncertain")


class CodingLoop:
    """Propose, code, train, report and apply, with a codes file that survives restarts.

    Parameters
    ----------
    units : pandas.DataFrame
        The corpus's units (:func:`framing.split_units`): ``article_id``,
        ``unit_id``, ``position``, ``outlet``, ``text``.
    frames : frame set or list of keys
    codes_path : path
        The codes file; read when it exists (the loop resumes), created on the
        first code. Its queue is ``<codes_path>.queue.json``.
    articles : pandas.DataFrame, optional
        For the article titles shown as context.
    mode : {"single", "multi"}, default="single"
    embedder, model, cache_dir :
        Embeddings of the units for proposals (see
        :func:`framing.frames.semantic.resolve_embedder`); computed once, cached on
        disk under ``cache_dir``.
    random_state : int, default=0
    """

    def __init__(
        self,
        units: pd.DataFrame,
        frames: Any,
        codes_path: str | Path,
        *,
        articles: pd.DataFrame | None = None,
        mode: str = "single",
        embedder: Embedder | None = None,
        model: str | None = None,
        cache_dir: str | Path | None = None,
        random_state: int = 0,
    ) -> None:
        if mode not in ("single", "multi"):
            raise ValueError(f"mode must be 'single' or 'multi', got {mode!r}")
        self.units = units.reset_index(drop=True)
        self.units["unit_id"] = self.units["unit_id"].astype(str)
        self.frames = frames
        self.keys, _ = frame_keys(frames)
        self.labels = (
            {k: k for k in self.keys}
            if isinstance(frames, Sequence) and not isinstance(frames, str)
            else {k: f.label for k, f in load_frame_set(frames).frames.items()}
        )
        self.mode = mode
        self.path = Path(codes_path)
        self.queue_path = self.path.with_name(self.path.name + ".queue.json")
        self.random_state = random_state
        self.embedder = resolve_embedder(embedder, model, cache_dir, None)
        self._embeddings: np.ndarray | None = None
        self._row = pd.Series(np.arange(len(self.units)), index=self.units["unit_id"])
        self.titles = (
            articles.set_index("article_id")["title"].astype(str).to_dict()
            if articles is not None and "title" in articles
            else {}
        )
        if self.path.exists() and self.path.stat().st_size > 0:
            self.codes = read_codes(self.path, frames, units=self.units, mode=mode)
        else:
            self.codes = pd.DataFrame({c: pd.Series(dtype=object) for c in CODES_COLUMNS})
        self.queues: dict[str, list[str]] = (
            json.loads(self.queue_path.read_text()) if self.queue_path.exists() else {}
        )

    # ---------------------------------------------------------------- state
    @property
    def embeddings(self) -> np.ndarray:
        """MiniLM embeddings of every unit (computed on first use)."""
        if self._embeddings is None:
            self._embeddings = embed_units(self.units["text"].fillna("").tolist(), self.embedder)
        return self._embeddings

    def unit(self, unit_id: str) -> pd.Series:
        """Return the units-table row of ``unit_id`` (CodingSheetError if not in the corpus)."""
        if str(unit_id) not in self._row.index:
            raise CodingSheetError(f"unit_id {unit_id!r} is not a unit of this corpus")
        return self.units.iloc[int(self._row[str(unit_id)])]

    def coded_by(self, coder: str) -> set[str]:
        """Return the unit ids ``coder`` has coded."""
        return set(self.codes.loc[self.codes["coder"] == coder, "unit_id"])

    def training_table(self) -> pd.DataFrame:
        """One row per coded unit (coders' majority; see :func:`coded_units`)."""
        return coded_units(self.codes, mode=self.mode)

    def _save_queues(self) -> None:
        atomic_write_text(self.queue_path, json.dumps(self.queues, indent=1))

    # ------------------------------------------------------------- proposing
    def _proposal_proba(self) -> np.ndarray | None:
        table = self.training_table()
        if table.empty:
            return None
        labels = table["labels"].to_numpy()
        if self.mode == "single":
            classes, counts = np.unique(labels, return_counts=True)
            if (counts >= MIN_PER_CLASS).sum() < 2:
                return None
            Y = (labels[:, None] == classes[None, :]).astype(int)
        else:
            Y = np.array([[k in v.split(";") for k in self.keys] for v in labels], dtype=int)
            if not ((Y.sum(axis=0) >= MIN_PER_CLASS) & (Y.sum(axis=0) <= len(Y) - 2)).any():
                return None
        X = self.embeddings[self._row[table["unit_id"]].to_numpy()]
        model = fit(X, Y, self.mode, 1.0, self.random_state)
        return predict(model, self.mode, Y.shape[1], self.embeddings)

    def propose(self, n: int = 20, *, coder: str = "coder_1") -> pd.DataFrame:
        """Queue the next ``n`` units for ``coder`` and return them.

        Units ``coder`` has coded or has queued are skipped (others' codes are
        not: several coders may code the same unit, for agreement). The queue is
        saved, so a new session continues with it.
        """
        queued = self.queues.get(coder, [])
        skip = self.coded_by(coder) | set(queued)
        picked = propose_units(
            self.units,
            n,
            exclude=sorted(skip),
            proba=self._proposal_proba(),
            mode=self.mode,
            random_state=self.random_state + len(skip),
        )
        self.queues[coder] = queued + picked["unit_id"].tolist()
        self._save_queues()
        return picked

    def next_unit(self, coder: str = "coder_1") -> str | None:
        """Return the first queued unit ``coder`` has not coded (None when empty)."""
        done = self.coded_by(coder)
        queue = [u for u in self.queues.get(coder, []) if u not in done]
        return queue[0] if queue else None

    def progress(self, coder: str = "coder_1") -> dict[str, int]:
        """Return ``coded`` (by ``coder``), ``queued`` (left in the queue), ``total`` codes."""
        done = self.coded_by(coder)
        left = [u for u in self.queues.get(coder, []) if u not in done]
        return {"coded": len(done), "queued": len(left), "total": len(self.codes)}

    def context(self, unit_id: str, k: int = 1) -> dict[str, Any]:
        """Return the unit, the ``k`` units before and after it in its article, the title."""
        row = self.units.iloc[int(self._row[unit_id])]
        same = self.units[self.units["article_id"] == row["article_id"]]
        if "position" in same:
            same = same.sort_values("position")
        ids = same["unit_id"].tolist()
        i = ids.index(unit_id)
        texts = same["text"].astype(str).tolist()
        return {
            "unit_id": unit_id,
            "article_id": row["article_id"],
            "outlet": row.get("outlet", ""),
            "title": self.titles.get(row["article_id"], ""),
            "before": texts[max(0, i - k) : i],
            "text": texts[i],
            "after": texts[i + 1 : i + 1 + k],
        }

    # --------------------------------------------------------------- coding
    def code(self, unit_id: str, labels: str | Sequence[str], *, coder: str = "coder_1") -> None:
        """Record ``coder``'s code of a unit and save the codes file atomically.

        ``labels``: a frame key (or several in multi mode), ``"none"`` or
        ``"unsure"``. Unknown names, several frames in single mode and unknown units
        raise :class:`CodingSheetError` and nothing is written.
        """
        unit = self.unit(unit_id)
        cell = labels if isinstance(labels, str) else ";".join(labels)
        probe = pd.DataFrame({"unit_id": [str(unit_id)], "coder": [coder], "labels": [cell]})
        checked = read_codes(probe, self.frames, mode=self.mode)["labels"].iloc[0]
        self.codes = record_code(self.codes, self.path, unit, coder, checked)

    # ------------------------------------------------------ train and report
    def train(self, **options: Any) -> FrameClassifier:
        """Train on the coded units (:func:`train_frame_classifier`, in the loop's mode)."""
        options.setdefault("embedder", self.embedder)
        return train_frame_classifier(
            self.training_table(), frames=self.frames, mode=self.mode, **options
        )

    def learning_curve(self, sizes: Sequence[int] | None = None) -> pd.DataFrame:
        """Cross-validated macro-F1 against the number coded (see :func:`learning_curve`)."""
        return learning_curve(
            self.training_table(),
            self.frames,
            sizes=sizes,
            mode=self.mode,
            embedder=self.embedder,
            random_state=self.random_state,
        )

    def agreement(self) -> pd.DataFrame:
        """Krippendorff's alpha between coders (see :func:`coder_agreement`)."""
        return coder_agreement(self.codes, self.frames, mode=self.mode)

    def apply(self, classifier: FrameClassifier, table: pd.DataFrame | None = None) -> FrameScores:
        """Score ``table`` (default: the loop's units) with ``classifier``.

        The unit and article tables carry the validation status: ``validated``,
        ``validation_f1`` (the frame's cross-validated F1), ``validation_n`` (coded
        units) and ``validation`` (text), as the frames tables do.
        """
        scores = score_frames(
            self.units if table is None else table, method="supervised", classifier=classifier
        )
        return with_validation(scores, classifier)


def with_validation(scores: FrameScores, classifier: FrameClassifier) -> FrameScores:
    """Add per-frame validation columns from the classifier's CV report (if absent)."""
    if "validation_f1" in scores.articles:
        return scores
    report = classifier.cv_report
    n = int(classifier.params.get("n_coded", 0))
    status = pd.DataFrame(
        {
            "frame": classifier.frames,
            "validated": True,
            "validation_f1": [float(report.loc[k, "f1"]) for k in classifier.frames],
            "validation_n": n,
        }
    )
    status["validation"] = [
        f"validated: cross-validated F1 {f:.2f} on {n} coded units"
        for f in status["validation_f1"]
    ]
    return dataclasses.replace(
        scores,
        units=scores.units.merge(status, on="frame", how="left"),
        articles=scores.articles.merge(status, on="frame", how="left"),
    )
