"""``score_frames``: one entry point for the lexicon, semantic and supervised methods."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from framing.frames.lexicon import scan_lexicon
from framing.frames.results import FrameScores, assemble, prepare_units
from framing.frames.semantic import (
    DEFAULT_SEMANTIC_THRESHOLD,
    Embedder,
    resolve_embedder,
    semantic_similarity,
)
from framing.frames.sets import Frame, FrameSet, load_frame_set
from framing.frames.supervised import FrameClassifier, train_frame_classifier
from framing.resources import default_setting

__all__ = ["score_frames"]


def score_frames(
    table: pd.DataFrame,
    frames: str | Path | Mapping[str, Any] | FrameSet | None = None,
    method: Literal["lexicon", "semantic", "supervised"] = "lexicon",
    *,
    unit: Literal["sentence", "paragraph"] = "sentence",
    threshold: float | Mapping[str, float] | None = None,
    embedder: Embedder | None = None,
    model: str | None = None,
    cache_dir: str | Path | None = None,
    center: bool = True,
    classifier: FrameClassifier | None = None,
    coded: str | Path | pd.DataFrame | None = None,
    features: Literal["tfidf", "embeddings", "both"] = "tfidf",
    show_progress: bool | None = None,
) -> FrameScores:
    """Score every unit of a corpus for every frame of a frame set.

    Three methods (``method=``):

    ``lexicon``
        Counts term matches per unit (rules in the module docstring; exclusions
        drop matches). ``score`` = number of matches; ``present`` = at least one.
        Per article: ``n_matches``, ``per_1k_words`` (matches per 1,000 words of
        the article) and ``share`` (share of units with a match). A dictionary
        method in the tradition of Laver & Garry (2000) and Grimmer & Stewart (2013):
        transparent, but only as valid as its terms; read the exemplars.
    ``semantic``
        Cosine similarity of each unit's sentence embedding (offline MiniLM;
        Reimers & Gurevych 2019) to the frame prototype of :func:`frame_prototypes`
        (description, examples and terms). With ``center=True`` (default) the
        corpus's mean unit embedding is first subtracted from the unit vectors and
        the prototypes: raw cosines of news sentences mostly measure the shared
        topic (every sentence of a war corpus is close to every war-related
        prototype); removing the common direction (Mu & Viswanath 2018) leaves
        what distinguishes a sentence. ``present`` = centred similarity >=
        ``threshold``. The default, :data:`DEFAULT_SEMANTIC_THRESHOLD` = 0.30, was
        chosen by reading random sentences of the NYT/Guardian 2022 Ukraine corpus
        in bins of 0.05 (no labels involved): above 0.35 about four in five
        sentences carry the frame, between 0.30 and 0.35 about two in five, below
        0.30 few; at 0.30 it flags about as many sentences as the lexicon for the
        diplomacy frames there (22 vs 25 for allies divided, 58 vs 89 for
        balancing interests) and fewer for broad ones such as sanctions and
        energy. It is a rough, precision-leaning cut-off: scores depend on the
        model and the corpus, so calibrate on your own coded units with
        :func:`calibrate_threshold`, and compare outlets with ``mean_score`` as well.
    ``supervised``
        Probabilities from a :class:`FrameClassifier` (pass ``classifier=``, or
        ``coded=`` to train one here with ``features=``); ``present`` =
        probability >= the classifier's threshold (0.5 unless set). The
        cross-validated quality is in ``FrameScores.cv_report``.

    Parameters
    ----------
    table : pandas.DataFrame
        The ``articles`` table (split into ``unit`` s with
        :func:`framing.units.split_units`) or a ``units`` table (scored as is).
    frames : frame-set name, path, mapping or FrameSet, optional
        See :func:`~framing.frames.sets.load_frame_set`. Default: ``frame_set`` of
        the ``[frames]`` section of the package's ``default.toml``. For
        ``supervised`` the classifier's frames are used.
    method : {"lexicon", "semantic", "supervised"}, default="lexicon"
    unit : {"sentence", "paragraph"}, default="sentence"
        Unit of analysis when ``table`` holds articles.
    threshold : float or dict, optional
        ``semantic``: similarity cut-off (one value, or one per frame);
        ``supervised``: probability cut-off. Ignored by ``lexicon``.
    embedder : callable, optional
        ``texts -> (n, d) array`` replacing the default embedding model.
    model, cache_dir : optional
        Embedding model and cache folder for :func:`framing.embeddings.embed_texts`.
    center : bool, default=True
        ``semantic``: centre on the corpus mean embedding (see above).
    classifier : FrameClassifier, optional
        ``supervised``: a trained classifier.
    coded : path or DataFrame, optional
        ``supervised``: human-coded units to train a classifier on first.
    features : {"tfidf", "embeddings", "both"}, default="tfidf"
        ``supervised`` with ``coded``: the classifier's features.
    show_progress : bool, optional
        Show a progress bar while embedding (default: for 1,000 texts or more).

    Returns
    -------
    FrameScores
        ``units`` (unit x frame) and ``articles`` (article x frame) tables, the
        frame-set name and version, the method and its parameters. Higher scores
        and shares always mean more of the frame.

    Examples
    --------
    >>> arts = pd.DataFrame({"article_id": ["a1", "a2"], "outlet": ["x", "y"],
    ...     "text": ["Allies are divided. Talks go on.", "They seek common ground."]})
    >>> fs = score_frames(arts, "ukraine-diplomacy")
    >>> a = fs.articles.set_index(["article_id", "frame"])
    >>> row = a.loc[("a1", "allies_divided")]
    >>> int(row["n_units"]), int(row["n_present"]), float(row["share"])
    (2, 1, 0.5)
    >>> float(a.loc[("a2", "balancing_interests"), "share"])
    1.0
    """
    if frames is None:
        frames = default_setting("frames", "frame_set")
    if method not in ("lexicon", "semantic", "supervised"):
        raise ValueError(f"method must be 'lexicon', 'semantic' or 'supervised', got {method!r}")
    if method == "supervised":
        if classifier is None and coded is None:
            raise ValueError(
                "method='supervised' needs classifier= (from train_frame_classifier) "
                "or coded= (human-coded units to train on)"
            )
        if classifier is None:
            classifier = train_frame_classifier(
                coded,  # type: ignore[arg-type]
                frames=frames,
                features=features,
                embedder=embedder,
                model=model,
                cache_dir=cache_dir,
            )
        frame_set = FrameSet(
            name=classifier.frame_set,
            version=classifier.frame_set_version,
            citation="",
            frames={k: Frame(k, classifier.labels[k], "trained") for k in classifier.frames},
        )
    else:
        frame_set = load_frame_set(frames)
    units, info = prepare_units(table, unit)
    texts = units["text"].fillna("").astype(str).tolist()
    params: dict[str, Any] = {
        "unit": str(units["unit"].iloc[0]) if "unit" in units and len(units) else unit
    }
    if method == "lexicon":
        no_terms = [k for k, f in frame_set.frames.items() if not f.terms]
        if no_terms:
            warnings.warn(
                f"frame(s) {no_terms} have no terms: the lexicon method never finds them "
                "(use the semantic or supervised method for them)",
                stacklevel=2,
            )
        counts, excluded, matched = scan_lexicon(texts, frame_set)
        return assemble(
            units,
            info,
            frame_set,
            counts.astype(float),
            counts > 0,
            method=method,
            params=params,
            matched=matched,
            excluded=excluded,
        )
    if method == "semantic":
        cut = _per_frame(threshold, DEFAULT_SEMANTIC_THRESHOLD, frame_set.keys)
        embed = resolve_embedder(embedder, model, cache_dir, show_progress)
        sims = semantic_similarity(texts, frame_set, embed, center=center)
        params.update(
            threshold=dict(zip(frame_set.keys, cut.tolist(), strict=True)),
            center=center,
            model=model or ("custom embedder" if embedder else "all-MiniLM-L6-v2 (offline)"),
        )
        return assemble(
            units, info, frame_set, sims, sims >= cut[None, :], method=method, params=params
        )
    assert classifier is not None
    proba = classifier.predict_proba(texts) if texts else np.zeros((0, len(classifier.frames)))
    cut = _per_frame(threshold, classifier.params["threshold"], classifier.frames)
    params.update(
        threshold=dict(zip(classifier.frames, cut.tolist(), strict=True)),
        **{k: v for k, v in classifier.params.items() if k != "threshold"},
    )
    return assemble(
        units,
        info,
        frame_set,
        proba,
        proba >= cut[None, :],
        method=method,
        params=params,
        cv_report=classifier.cv_report,
    )


def _per_frame(
    threshold: float | Mapping[str, float] | None, default: float, keys: Sequence[str]
) -> np.ndarray:
    if threshold is None:
        return np.full(len(keys), float(default))
    if isinstance(threshold, Mapping):
        unknown = sorted(set(threshold) - set(keys))
        if unknown:
            raise ValueError(f"threshold names unknown frame(s) {unknown}; frames: {list(keys)}")
        return np.array([float(threshold.get(k, default)) for k in keys])
    return np.full(len(keys), float(threshold))
