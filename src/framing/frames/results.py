"""Frame scores: the one result type of every method, and how its tables are built.

:func:`prepare_units` turns the input (articles or units) into scorable units;
:func:`assemble` turns ``(n_units, n_frames)`` score arrays into the unit and article
tables of a :class:`FrameScores`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framing.frames.headline import (
    LEXICON_KIND,
    TOP_K,
    frame_summary,
    lexicon_evidence,
    semantic_headline,
    standardise,
    top_k_mean,
    validation_status,
)
from framing.schema import SchemaError
from framing.units import split_units

if TYPE_CHECKING:  # pragma: no cover
    from framing.frames.sets import FrameSet

__all__ = ["FrameScoreWarning", "FrameScores", "assemble", "prepare_units", "warn_flagged"]


class FrameScoreWarning(UserWarning):
    """A frame's scores say little on this corpus (no ranking, low coverage)."""


@dataclass(frozen=True)
class FrameScores:
    """Frame scores of one method on one corpus: always this type, for every method.

    Attributes
    ----------
    units : pandas.DataFrame
        One row per unit x frame: ``article_id``, ``unit_id``, ``position``,
        ``outlet``, ``frame``, ``score``, ``present`` (bool), ``matched_terms``,
        ``n_excluded``. ``score`` is the number of term matches (``lexicon``), the
        cosine similarity to the frame prototype (``semantic``) or the classifier's
        probability (``supervised``); higher always means more of the frame.
        ``matched_terms`` is the ``"; "``-joined matched text (lexicon; ``""``
        otherwise) and ``n_excluded`` the matches dropped by exclusion terms
        (lexicon; ``<NA>`` otherwise).
    articles : pandas.DataFrame
        One row per article x frame: ``article_id``, ``outlet``, ``frame``,
        ``score`` (**the headline score**, threshold-free; see
        :mod:`framing.frames.headline` for its definition, sign and range),
        ``n_units``, ``n_present``, ``share`` (= ``n_present / n_units``, the share
        of units carrying the frame under the method's per-corpus rule; NaN for an
        article without units), ``mean_score``, ``top_k_mean`` (mean of the
        article's top-k unit scores), ``max_score``, ``n_matches`` and
        ``per_1k_words`` (lexicon, and semantic when the frame set has terms; NaN
        otherwise), ``n_words``, and the frame's
        validation status on this corpus, repeated on every row: ``validated``
        (bool), ``validation`` (``"not validated on this corpus"`` or F1/AUC on n
        coded units), ``validation_f1``, ``validation_auc``, ``validation_n``, and
        ``note`` (``""`` or why the frame's numbers say little here: no ranking,
        low lexicon coverage).
    texts : pandas.DataFrame
        The scored units' text: ``unit_id``, ``article_id``, ``position``,
        ``outlet``, ``text`` (used by :func:`framing.frames.exemplars.exemplars` and
        :func:`framing.frames.validation.sample_for_coding`).
    frame_set, frame_set_version : str
        Name and version of the frame set.
    method : str
        ``"lexicon"``, ``"semantic"`` or ``"supervised"``.
    params : dict
        Every setting that affects the scores (threshold, model, unit, ...).
    labels : dict of str to str
        Frame key -> label, for figures.
    cv_report : pandas.DataFrame or None
        ``supervised`` only: cross-validated precision, recall and F1 per frame.
    summary : pandas.DataFrame or None
        One row per frame: ``frame``, ``label``, ``method``, ``score`` (what the
        headline score is), ``coverage`` (share of articles with any lexicon match,
        or with any unit present), ``score_sd``, ``constant``, ``note`` and the
        validation columns above.
    """

    units: pd.DataFrame
    articles: pd.DataFrame
    texts: pd.DataFrame
    frame_set: str
    frame_set_version: str
    method: str
    params: dict[str, Any]
    labels: dict[str, str]
    cv_report: pd.DataFrame | None = None
    summary: pd.DataFrame | None = None

    @property
    def frames(self) -> list[str]:
        """Frame keys in frame-set order."""
        return list(self.labels)


_UNIT_OUT = [
    "article_id",
    "unit_id",
    "position",
    "outlet",
    "frame",
    "score",
    "present",
    "matched_terms",
    "n_excluded",
]
_ARTICLE_OUT = [
    "article_id",
    "outlet",
    "frame",
    "score",
    "n_units",
    "n_present",
    "share",
    "mean_score",
    "top_k_mean",
    "max_score",
    "n_matches",
    "per_1k_words",
    "n_words",
    "validated",
    "validation",
    "validation_f1",
    "validation_auc",
    "validation_n",
    "note",
]


def prepare_units(table: pd.DataFrame, unit: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (units, articles) where articles = article_id, outlet, n_words."""
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"expected an articles or units DataFrame, got {type(table).__name__}")
    needed = ("article_id", "unit_id", "text") if "unit_id" in table else ("article_id", "text")
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise SchemaError(
            f"score_frames needs column(s) {missing}; the table has {list(table.columns)}. "
            "Pass the articles table (load_corpus) or the units table (split_units)."
        )
    if "unit_id" in table:
        units = table
        if units["unit_id"].duplicated().any():
            dup = units.loc[units["unit_id"].duplicated(), "unit_id"].head(5).tolist()
            raise SchemaError(f"units.unit_id must be unique; repeated e.g. {dup}")
        outlet = units["outlet"] if "outlet" in units else pd.Series("", index=units.index)
        first = pd.DataFrame(
            {"article_id": units["article_id"].astype(str), "outlet": outlet.fillna("")}
        ).drop_duplicates("article_id")
        words = pd.Series(
            [len(t.split()) if isinstance(t, str) else 0 for t in units["text"]],
            index=units.index,
        )
        n_words = words.groupby(units["article_id"].astype(str), sort=False).sum()
        first["n_words"] = first["article_id"].map(n_words).fillna(0).astype("int64")
        return units, first.reset_index(drop=True)
    articles = table
    if articles["article_id"].duplicated().any():
        dup = articles.loc[articles["article_id"].duplicated(), "article_id"].head(5).tolist()
        raise SchemaError(f"articles.article_id must be unique; repeated e.g. {dup}")
    units = split_units(articles, unit=unit)  # type: ignore[arg-type]
    if "n_words" in articles and pd.api.types.is_integer_dtype(articles["n_words"]):
        n_words = articles["n_words"].to_numpy()
    else:
        n_words = [len(t.split()) if isinstance(t, str) else 0 for t in articles["text"]]
    outlet = articles["outlet"] if "outlet" in articles else pd.Series("", index=articles.index)
    info = pd.DataFrame(
        {
            "article_id": articles["article_id"].astype(str).to_numpy(),
            "outlet": outlet.fillna("").astype(str).to_numpy(),
            "n_words": np.asarray(n_words, dtype="int64"),
        }
    )
    return units, info


def warn_flagged(summary: pd.DataFrame, stacklevel: int = 2) -> None:
    """Warn (:class:`FrameScoreWarning`) about the frames whose summary ``note`` is set.

    One warning for the corpus, naming at most four frames and their notes (no
    ranking, low coverage); the summary table keeps them all.
    """
    flagged = summary.loc[summary["note"] != "", ["frame", "note"]]
    if not len(flagged):
        return
    shown = "; ".join(f"{r.frame!r}: {r.note}" for r in flagged.head(4).itertuples())
    more = f" (and {len(flagged) - 4} more; see FrameScores.summary)" if len(flagged) > 4 else ""
    warnings.warn(
        f"{len(flagged)} frame(s) say little on this corpus: {shown}{more}",
        FrameScoreWarning,
        stacklevel=stacklevel + 1,
    )


def assemble(
    units: pd.DataFrame,
    info: pd.DataFrame,
    frame_set: FrameSet,
    scores: np.ndarray,
    present: np.ndarray,
    *,
    method: str,
    params: dict[str, Any],
    matched: list[dict[int, list[str]]] | None = None,
    excluded: np.ndarray | None = None,
    cv_report: pd.DataFrame | None = None,
    term_counts: np.ndarray | None = None,
) -> FrameScores:
    """Build the unit and article tables from ``(n_units, n_frames)`` arrays.

    ``term_counts`` (semantic method): each unit's lexicon matches, the second
    indicator of the composite headline score (:mod:`framing.frames.headline`).
    """
    keys = frame_set.keys
    n_units, n_frames = len(units), len(keys)
    article_ids = units["article_id"].astype(str).to_numpy()
    outlet = (
        units["outlet"].fillna("").astype(str).to_numpy()
        if "outlet" in units
        else np.full(n_units, "", dtype=object)
    )
    position = (
        units["position"].to_numpy(dtype="int64")
        if "position" in units
        else np.arange(n_units, dtype="int64")
    )
    # String columns are position lookups ("take") into short string arrays: far
    # faster than creating one Python string per unit x frame.
    each_unit = np.repeat(np.arange(n_units), n_frames)
    each_frame = np.tile(np.arange(n_frames), n_units)
    distinct_terms = [""]
    term_index = np.zeros((n_units, n_frames), dtype=np.int64)
    for j, per_unit in enumerate(matched or []):
        for u, found in per_unit.items():
            term_index[u, j] = len(distinct_terms)
            distinct_terms.append("; ".join(found))

    def take(values: Any, index: np.ndarray) -> Any:
        return pd.array(np.asarray(values, dtype=object), dtype="str").take(index)

    unit_table = pd.DataFrame(
        {
            "article_id": take(article_ids, each_unit),
            "unit_id": take(units["unit_id"].astype(str).to_numpy(), each_unit),
            "position": position[each_unit],
            "outlet": take(outlet, each_unit),
            "frame": take(keys, each_frame),
            "score": scores.astype("float64").ravel(),
            "present": present.astype(bool).ravel(),
            "matched_terms": take(distinct_terms, term_index.ravel()),
            "n_excluded": pd.array(
                excluded.ravel() if excluded is not None else [pd.NA] * (n_units * n_frames),
                dtype="Int64",
            ),
        },
        columns=_UNIT_OUT,
    )
    # per article x frame, in the order of `info` (every input article, even empty)
    codes = pd.Index(info["article_id"]).get_indexer(article_ids)
    n_art = len(info)
    n_of = np.bincount(codes, minlength=n_art).astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        cols: dict[str, list[np.ndarray]] = {k: [] for k in ("n_present", "sum", "max")}
        for j in range(n_frames):
            cols["n_present"].append(np.bincount(codes, weights=present[:, j], minlength=n_art))
            cols["sum"].append(np.bincount(codes, weights=scores[:, j], minlength=n_art))
            mx = np.full(n_art, -np.inf)
            if n_units:
                np.maximum.at(mx, codes, scores[:, j])
            cols["max"].append(np.where(n_of > 0, mx, np.nan))
        n_present = np.column_stack(cols["n_present"]) if n_frames else np.zeros((n_art, 0))
        sums = np.column_stack(cols["sum"]) if n_frames else np.zeros((n_art, 0))
        maxes = np.column_stack(cols["max"]) if n_frames else np.zeros((n_art, 0))
        denominator = np.where(n_of > 0, n_of, np.nan)[:, None]
        share = n_present / denominator
        mean_score = sums / denominator
        n_words = info["n_words"].to_numpy(dtype="float64")[:, None]
        if method == "lexicon" or term_counts is not None:
            counts = sums if method == "lexicon" else np.zeros_like(sums)
            if method != "lexicon":
                for j in range(n_frames):
                    counts[:, j] = np.bincount(codes, weights=term_counts[:, j], minlength=n_art)
            n_matches = counts
            per_1k = np.where(n_words > 0, 1000.0 * counts / n_words, np.nan)
        else:
            n_matches = np.full_like(sums, np.nan)
            per_1k = np.full_like(sums, np.nan)
    topk = top_k_mean(scores, codes, n_art, TOP_K) if n_units else np.full(sums.shape, np.nan)
    if method == "supervised":
        headline, kind = topk, f"top-{TOP_K} mean probability (0-1)"
        _, constant = standardise(topk)
    elif method == "lexicon":
        headline, constant = standardise(lexicon_evidence(n_matches, n_words))
        kind = LEXICON_KIND
    else:
        headline, constant, kind = semantic_headline(
            topk, n_matches if term_counts is not None else None, n_words
        )
    has_units = n_of > 0
    reach = (n_matches > 0) if method == "lexicon" else (n_present > 0)
    coverage = reach[has_units].mean(axis=0) if has_units.any() else np.zeros(n_frames)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        score_sd = np.nanstd(topk if method != "lexicon" else per_1k, axis=0)
    status = validation_status(cv_report, keys)
    summary = frame_summary(
        keys,
        {k: f.label for k, f in frame_set.frames.items()},
        method=method,
        coverage=np.asarray(coverage, dtype=float),
        constant=constant,
        score_sd=np.asarray(score_sd, dtype=float),
        status=status,
        score_kind=kind,
    )
    warn_flagged(summary, stacklevel=3)

    def per_frame(column: str) -> np.ndarray:
        return np.tile(summary[column].to_numpy(), n_art)

    article_table = pd.DataFrame(
        {
            "article_id": np.repeat(info["article_id"].to_numpy(), n_frames),
            "outlet": np.repeat(info["outlet"].to_numpy(), n_frames),
            "frame": np.tile(np.asarray(keys, dtype=object), n_art),
            "score": headline.ravel(),
            "n_units": np.repeat(n_of, n_frames),
            "n_present": n_present.ravel().astype("int64"),
            "share": share.ravel(),
            "mean_score": mean_score.ravel(),
            "top_k_mean": topk.ravel(),
            "max_score": maxes.ravel(),
            "n_matches": n_matches.ravel(),
            "per_1k_words": per_1k.ravel(),
            "n_words": np.repeat(info["n_words"].to_numpy(dtype="int64"), n_frames),
            "validated": per_frame("validated").astype(bool),
            "validation": per_frame("validation"),
            "validation_f1": per_frame("validation_f1").astype(float),
            "validation_auc": per_frame("validation_auc").astype(float),
            "validation_n": per_frame("validation_n").astype("int64"),
            "note": per_frame("note"),
        },
        columns=_ARTICLE_OUT,
    )
    empty = info.loc[n_of == 0, "article_id"].tolist()
    if empty:
        warnings.warn(
            f"{len(empty)} article(s) have no text to score (e.g. {empty[:5]}); they are "
            "kept with n_units=0 and share=NaN",
            stacklevel=3,
        )
    texts = pd.DataFrame(
        {
            "unit_id": units["unit_id"].astype(str).to_numpy(),
            "article_id": article_ids,
            "position": position,
            "outlet": outlet,
            "text": units["text"].fillna("").astype(str).to_numpy(),
        }
    )
    return FrameScores(
        units=unit_table,
        articles=article_table,
        texts=texts,
        frame_set=frame_set.name,
        frame_set_version=frame_set.version,
        method=method,
        params=params,
        labels={k: f.label for k, f in frame_set.frames.items()},
        cv_report=cv_report,
        summary=summary,
    )
