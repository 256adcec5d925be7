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
    PRESENT_SD,
    Embedder,
    relative_threshold,
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
    features: Literal["tfidf", "embeddings", "both", "auto"] | None = None,
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
        Each unit's sentence embedding (offline MiniLM; Reimers & Gurevych 2019)
        is compared with the frame's prototype, the mean of all its prototype
        vectors (its description, each of its ``examples``, the mean of its
        terms; Snell et al. 2017), and with the mean of its near misses
        (``counter_examples``): unit ``score`` = similarity to the prototype
        minus similarity to the near misses, after centring
        on the corpus's mean embedding (``center=True``; Mu & Viswanath 2018: raw
        cosines of news sentences mostly measure the shared topic). Range [-2, 2],
        higher = more of the frame (:func:`~framing.frames.semantic.semantic_similarity`).
        The article's headline ``score`` combines the top-3 mean of these unit
        scores with the frame's lexicon evidence (its terms are matched too, giving
        ``n_matches`` and ``per_1k_words``): :mod:`framing.frames.headline`.
        ``present`` = unit score >= ``threshold`` when one is given (e.g. from
        :func:`calibrate_threshold` on your coded units), else the per-corpus
        rule: score >= this corpus's mean + :data:`~framing.frames.semantic.PRESENT_SD`
        (2) standard deviations of the frame's unit scores. No cut-off is carried
        over from another corpus; shares under the relative rule compare outlets
        within the corpus, not prevalence across corpora.
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
        ``semantic``: unit-score cut-off (one value, or one per frame; frames not
        named keep the per-corpus rule); ``supervised``: probability cut-off.
        Ignored by ``lexicon``.
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
    features : {"tfidf", "embeddings", "both", "auto"}, optional
        ``supervised`` with ``coded``: the classifier's features (default:
        :func:`framing.frames.train_frame_classifier`'s).
    show_progress : bool, optional
        Show a progress bar while embedding (default: for 1,000 texts or more).

    Returns
    -------
    FrameScores
        ``units`` (unit x frame) and ``articles`` (article x frame) tables, the
        frame-set name and version, the method and its parameters, and a
        ``summary`` per frame (coverage, validation status, notes). The article
        table's ``score`` column is the headline score of every table, figure and
        comparison (definition, sign and range in :mod:`framing.frames.headline`).
        Higher scores and shares always mean more of the frame.

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
        embed = resolve_embedder(embedder, model, cache_dir, show_progress)
        sims = semantic_similarity(texts, frame_set, embed, center=center)
        # the lexicon indicator of the composite headline score (frames.headline)
        has_terms = any(f.terms for f in frame_set.frames.values())
        term_counts = scan_lexicon(texts, frame_set)[0] if has_terms else None
        relative = relative_threshold(sims, PRESENT_SD)
        cut = _per_frame(threshold, relative, frame_set.keys)
        params.update(
            threshold=dict(zip(frame_set.keys, cut.tolist(), strict=True)),
            threshold_rule={
                k: "given" if _given(threshold, k) else f"corpus mean + {PRESENT_SD:g} SD"
                for k in frame_set.keys
            },
            center=center,
            model=model or ("custom embedder" if embedder else "all-MiniLM-L6-v2 (offline)"),
        )
        return assemble(
            units,
            info,
            frame_set,
            sims,
            sims >= cut[None, :],
            method=method,
            params=params,
            term_counts=term_counts,
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


def _given(threshold: float | Mapping[str, float] | None, key: str) -> bool:
    return threshold is not None and (not isinstance(threshold, Mapping) or key in threshold)


def _per_frame(
    threshold: float | Mapping[str, float] | None,
    default: float | np.ndarray,
    keys: Sequence[str],
) -> np.ndarray:
    """Cut-off per frame: ``threshold`` (one value or per frame) or ``default``."""
    defaults = np.broadcast_to(np.asarray(default, dtype=float), (len(keys),))
    if threshold is None:
        return defaults.copy()
    if isinstance(threshold, Mapping):
        unknown = sorted(set(threshold) - set(keys))
        if unknown:
            raise ValueError(f"threshold names unknown frame(s) {unknown}; frames: {list(keys)}")
        pairs = zip(keys, defaults, strict=True)
        return np.array([float(threshold[k]) if k in threshold else d for k, d in pairs])
    return np.full(len(keys), float(threshold))
