"""Semantic method: embedding similarity of units to frame prototypes, and calibration.

Units and frame prototypes are embedded with the offline MiniLM model
(:mod:`framing.embeddings`; Reimers & Gurevych 2019), cached by content hash so no
text is embedded twice. :func:`calibrate_threshold` chooses a cut-off from coded
units of the corpus at hand.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from framing.embeddings import embed_texts
from framing.frames.coding import majority_labels, parse_coded_labels
from framing.frames.results import FrameScores
from framing.frames.sets import FrameSet, load_frame_set

__all__ = [
    "DEFAULT_SEMANTIC_THRESHOLD",
    "MIN_UNITS_TO_CENTRE",
    "PRESENT_SD",
    "Embedder",
    "calibrate_threshold",
    "frame_prototypes",
    "prototype_vectors",
    "relative_threshold",
    "resolve_embedder",
    "semantic_similarity",
]


#: Fixed cut-off of the ``semantic`` method before 0.2 (centred cosine to one
#: prototype, chosen on the NYT/Guardian 2022 corpus). It did not carry over to other
#: corpora and is no longer a default; kept so that old code importing it works.
DEFAULT_SEMANTIC_THRESHOLD = 0.30
#: Default ``present`` rule of the ``semantic`` method: unit score >= corpus mean +
#: this many standard deviations (see :func:`relative_threshold`).
PRESENT_SD = 2.0
#: Below this many units, centring on the corpus mean is unstable (a warning says so).
MIN_UNITS_TO_CENTRE = 50

Embedder = Callable[[Sequence[str]], np.ndarray]


def resolve_embedder(
    embedder: Embedder | None,
    model: str | None,
    cache_dir: str | Path | None,
    progress: bool | None,
) -> Embedder:
    """Return ``embedder``, or :func:`framing.embeddings.embed_texts` bound to the options."""
    if embedder is not None:
        return embedder

    def default(texts: Sequence[str]) -> np.ndarray:
        return embed_texts(list(texts), model=model, cache_dir=cache_dir, show_progress=progress)

    return default


def normalise(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float64)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def frame_prototypes(
    frames: str | Path | Mapping[str, Any] | FrameSet,
    *,
    embedder: Embedder | None = None,
    model: str | None = None,
    cache_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Embed each frame as one prototype vector for the ``semantic`` method.

    The prototype is the L2-normalised mean of up to three parts, weighted
    equally: the embedding of the description, the mean embedding of the
    examples and the mean embedding of the terms (``*`` removed, phrases as
    written). Equal weights keep a long term list from drowning the description.

    Parameters
    ----------
    frames : frame-set name, path, mapping or FrameSet
    embedder : callable, optional
        ``texts -> (n, d) array``; default :func:`framing.embeddings.embed_texts`
        with the offline MiniLM model (Reimers & Gurevych 2019).
    model, cache_dir : optional
        Passed to :func:`framing.embeddings.embed_texts` when ``embedder`` is None.

    Returns
    -------
    pandas.DataFrame
        One row per frame (index: frame key), one column per embedding dimension.
    """
    frame_set = load_frame_set(frames)
    embed = resolve_embedder(embedder, model, cache_dir, False)
    texts: list[str] = []
    owners: list[tuple[str, str]] = []
    for key, frame in frame_set.frames.items():
        if frame.description:
            texts.append(frame.description)
            owners.append((key, "description"))
        texts.extend(frame.examples)
        owners.extend((key, "examples") for _ in frame.examples)
        terms = [t.replace("*", "") for t in frame.terms]
        texts.extend(terms)
        owners.extend((key, "terms") for _ in terms)
    vectors = normalise(embed(texts))
    rows = []
    for key in frame_set.keys:
        parts = []
        for part in ("description", "examples", "terms"):
            idx = [i for i, owner in enumerate(owners) if owner == (key, part)]
            if idx:
                parts.append(normalise(vectors[idx].mean(axis=0)))
        rows.append(normalise(np.mean(parts, axis=0)))
    return pd.DataFrame(np.vstack(rows), index=pd.Index(frame_set.keys, name="frame"))


def _coded_truth(coded: pd.DataFrame, frames: Sequence[str]) -> pd.DataFrame:
    """Long table ``unit_id, frame, truth`` from coded units (any supported layout)."""
    if {"unit_id", "coder", "frame", "present"} <= set(coded.columns):
        truth = majority_labels(coded)
        return truth.dropna(subset=["truth"])
    if "unit_id" not in coded.columns:
        raise ValueError(
            f"coded units need a 'unit_id' column to join the scores; got {list(coded.columns)}"
        )
    if "labels" not in coded.columns:  # one 0/1 column per coded frame
        frames = [f for f in frames if f in coded.columns] or list(frames)
    matrix = parse_coded_labels(coded, frames, text_column=None)
    matrix.index = coded["unit_id"].astype(str).to_numpy()
    long = (
        matrix.rename_axis("unit_id")
        .reset_index()
        .melt(id_vars="unit_id", var_name="frame", value_name="truth")
    )
    return long


def calibrate_threshold(
    scores: FrameScores | pd.DataFrame,
    coded: pd.DataFrame,
    *,
    frame: str | None = None,
    criterion: Literal["f1", "youden"] = "f1",
) -> float:
    """Choose the score threshold that best reproduces human coding.

    Every observed score is a candidate threshold (``present = score >= t``). With
    ``criterion="f1"`` the threshold maximises the F1 of the pooled unit x frame
    decisions against the coders (ties: the lowest such threshold); with
    ``"youden"`` it maximises Youden's (1950) J = sensitivity + specificity - 1,
    which weighs both error types equally whatever the prevalence.

    Parameters
    ----------
    scores : FrameScores or DataFrame
        Unit scores (``unit_id``, ``frame``, ``score``), e.g. ``FrameScores.units``
        of the ``semantic`` method.
    coded : pandas.DataFrame
        Human codes for some of the units: ``unit_id`` plus a ``labels`` column
        (``"conflict;economic"``, ``"none"``) or one 0/1 column per frame, or the
        long table of :func:`framing.frames.validation.read_coding_sheet` (coders'
        majority is used).
    frame : str, optional
        Calibrate for this frame only; default all frames pooled.
    criterion : {"f1", "youden"}, default="f1"

    Returns
    -------
    float
        The threshold; pass it as ``score_frames(..., threshold=...)``.

    Examples
    --------
    >>> units = pd.DataFrame({"unit_id": ["u1", "u2", "u3", "u4"], "frame": "f",
    ...                       "score": [0.9, 0.6, 0.5, 0.1]})
    >>> coded = pd.DataFrame({"unit_id": ["u1", "u2", "u3", "u4"], "f": [1, 1, 0, 0]})
    >>> calibrate_threshold(units, coded)
    0.6
    """
    from sklearn.metrics import roc_curve

    table = scores.units if isinstance(scores, FrameScores) else scores
    frames = sorted(table["frame"].unique())
    truth = _coded_truth(coded, frames)
    merged = table[["unit_id", "frame", "score"]].merge(
        truth, on=["unit_id", "frame"], how="inner", validate="one_to_one"
    )
    if frame is not None:
        if frame not in frames:
            raise ValueError(f"frame {frame!r} is not scored; scored frames: {frames}")
        merged = merged[merged["frame"] == frame]
    merged = merged.dropna(subset=["score"])
    y = merged["truth"].to_numpy(dtype=int)
    s = merged["score"].to_numpy(dtype=float)
    if len(y) == 0 or y.min() == y.max():
        raise ValueError(
            f"calibration needs coded units of both classes; got {len(y)} unit x frame "
            f"decision(s) with {int(y.sum())} positive. Code more units."
        )
    if criterion == "youden":
        fpr, tpr, thresholds = roc_curve(y, s)
        finite = np.isfinite(thresholds)
        j = tpr[finite] - fpr[finite]
        return float(thresholds[finite][int(np.argmax(j))])
    if criterion != "f1":
        raise ValueError(f"criterion must be 'f1' or 'youden', got {criterion!r}")
    order = np.argsort(-s, kind="stable")
    s_sorted, y_sorted = s[order], y[order]
    tp = np.cumsum(y_sorted)
    predicted = np.arange(1, len(y) + 1)
    f1 = 2 * tp / (predicted + y.sum())
    last_of_tie = np.r_[s_sorted[1:] != s_sorted[:-1], True]  # threshold = s_sorted[i]
    f1 = np.where(last_of_tie, f1, -1.0)
    best = f1.max()
    # among equally good thresholds take the lowest (most inclusive)
    i = int(np.flatnonzero(f1 == best)[-1])
    return float(s_sorted[i])


def prototype_vectors(
    frame_set: FrameSet, embed: Embedder
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Embed every prototype and counter-example of a frame set.

    A frame's *prototypes* are its description, each of its ``examples`` and, when
    it has terms, the normalised mean of its terms (one vector, so a long term
    list counts as one prototype). Its *references* (the "none of these frames"
    side) are its ``counter_examples``; a frame without counter-examples borrows
    the pooled counter-examples of the whole set.

    Returns
    -------
    (prototypes, prototype_frame, references, reference_frame)
        Normalised ``(P, d)`` and ``(R, d)`` matrices and the frame index of each
        row (``-1`` in ``reference_frame`` marks a pooled reference).
    """
    texts: list[str] = []
    owner: list[tuple[int, str]] = []
    for j, frame in enumerate(frame_set.frames.values()):
        parts = ([frame.description] if frame.description else []) + list(frame.examples)
        texts.extend(parts)
        owner.extend((j, "prototype") for _ in parts)
        terms = [t.replace("*", "") for t in frame.terms]
        texts.extend(terms)
        owner.extend((j, "term") for _ in terms)
        texts.extend(frame.counter_examples)
        owner.extend((j, "counter") for _ in frame.counter_examples)
    vectors = normalise(embed(texts)) if texts else np.zeros((0, 1))
    kinds = np.array([k for _, k in owner])
    frame_of = np.array([j for j, _ in owner], dtype=np.int64)
    protos, proto_frame = [vectors[kinds == "prototype"]], [frame_of[kinds == "prototype"]]
    for j in range(len(frame_set)):
        term_rows = (kinds == "term") & (frame_of == j)
        if term_rows.any():
            protos.append(normalise(vectors[term_rows].mean(axis=0))[None, :])
            proto_frame.append(np.array([j]))
    counter = kinds == "counter"
    return (
        np.vstack(protos),
        np.concatenate(proto_frame),
        vectors[counter],
        frame_of[counter],
    )


def _best_per_frame(sims: np.ndarray, frame_of: np.ndarray, n_frames: int) -> np.ndarray:
    """Row-wise maximum of ``sims`` over the columns of each frame (NaN: none)."""
    out = np.full((sims.shape[0], n_frames), np.nan)
    for j in range(n_frames):
        cols = frame_of == j
        if cols.any():
            out[:, j] = sims[:, cols].max(axis=1)
    return out


def _centroids(vectors: np.ndarray, frame_of: np.ndarray, n_frames: int) -> np.ndarray:
    """Normalised mean vector of each frame's rows (NaN row: the frame has none)."""
    out = np.full((n_frames, vectors.shape[1]), np.nan)
    for j in range(n_frames):
        rows = frame_of == j
        if rows.any():
            out[j] = normalise(vectors[rows].mean(axis=0))
    return out


def semantic_similarity(
    texts: Sequence[str],
    frame_set: FrameSet,
    embed: Embedder,
    *,
    center: bool,
    rule: Literal["centroid", "nearest"] = "centroid",
    mean: np.ndarray | None = None,
) -> np.ndarray:
    """Score every text for every frame; returns ``(n_texts, n_frames)``.

    score = cos(unit, frame prototype) - cos(unit, "none" reference), after
    centring units, prototypes and references on the corpus's mean unit embedding
    (``center=True``; Mu & Viswanath 2018: raw cosines of news sentences mostly
    measure the shared topic).

    With ``rule="centroid"`` (default) the frame prototype is the normalised mean
    of all its prototype vectors (description, each example, the term centroid;
    one vote each) and the reference the normalised mean of its counter-examples
    (of the whole set's counter-examples when it has none): the prototype of a
    class as the mean of its support examples (Snell, Swersky & Zemel 2017).
    Averaging examples written on different topics cancels their topics and keeps
    what they share, the frame; the reference removes what the frame shares with
    its near misses. ``rule="nearest"`` uses the nearest prototype and the nearest
    counter-example instead; reading the top-scored sentences of an unlabelled
    corpus showed it latching onto the topic of a single example (every sentence
    about the "war on coal" scored as conflict because one example used the
    phrase), so it is not the default. A frame with no reference at all (no
    counter-examples in the set) scores its prototype similarity alone. Range
    [-2, 2]; higher = more of the frame; 0 = as close to the near misses as to the
    frame.

    ``mean`` (with ``center=True``): centre on this vector instead of the mean of
    ``texts``' own normalised embeddings, e.g. the corpus mean when ``texts`` is one
    partition of it (:mod:`framing.run.semantic_parts`); a unit's score then depends
    on the corpus, not on the partition it falls in.
    """
    protos, proto_frame, refs, ref_frame = prototype_vectors(frame_set, embed)
    n_frames = len(frame_set)
    if rule not in ("centroid", "nearest"):
        raise ValueError(f"rule must be 'centroid' or 'nearest', got {rule!r}")
    if rule == "centroid":
        protos, proto_frame = _centroids(protos, proto_frame, n_frames), np.arange(n_frames)
        if len(refs):
            own = _centroids(refs, ref_frame, n_frames)
            pooled = normalise(refs.mean(axis=0))
            refs = np.where(np.isnan(own), pooled[None, :], own)
            ref_frame = np.arange(n_frames)
    vectors = normalise(embed(texts)) if texts else np.zeros((0, protos.shape[1]))
    if center and len(vectors):
        if mean is None:
            if len(vectors) < MIN_UNITS_TO_CENTRE:
                warnings.warn(
                    f"centring on the mean of only {len(vectors)} units is unstable; score "
                    "a larger corpus or pass center=False (and a threshold for raw cosines)",
                    stacklevel=3,
                )
            mean = vectors.mean(axis=0)
        mean = np.asarray(mean, dtype=np.float64)
        vectors, protos = normalise(vectors - mean), normalise(protos - mean)
        refs = normalise(refs - mean) if len(refs) else refs
    best = _best_per_frame(vectors @ protos.T, proto_frame, n_frames)
    if not len(refs):
        return best
    ref_sims = vectors @ refs.T
    own = _best_per_frame(ref_sims, ref_frame, n_frames)
    pooled = ref_sims.max(axis=1, keepdims=True)
    return best - np.where(np.isnan(own), pooled, own)


def relative_threshold(scores: np.ndarray, n_sd: float) -> np.ndarray:
    """Per-corpus cut-off of each column: mean + ``n_sd`` standard deviations.

    The rule behind the default ``present`` of the semantic method: a unit carries
    a frame when its score stands out from this corpus's units by ``n_sd`` standard
    deviations (2 = the upper tail a normal distribution leaves above about 2.3% of
    units). It is relative by construction: shares then compare outlets within the
    corpus, not prevalence across corpora; for an absolute cut-off calibrate on
    coded units (:func:`calibrate_threshold`).
    """
    if not len(scores):
        return np.zeros(scores.shape[1])
    return scores.mean(axis=0) + n_sd * scores.std(axis=0)
