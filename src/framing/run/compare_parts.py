"""Step ``compare`` of the partitioned engine: comparisons from per-partition aggregates.

The workers reduce each partition's article tables to sufficient statistics and a
bottom-k sample per outlet (:func:`compare_task`, cached by content key under
``cache/parts/compare/``). A re-run after new files were added reduces only the new
partitions, although new articles change the corpus-wide numbers of the lexicon frame
score: its partitions are reduced to moments that do not depend on them. The driver
combines the aggregates and computes the tables of :mod:`framing.run.steps.compare`
(:mod:`framing.compare._aggregates` says how, and when the large-sample approximations
are used). The driver's memory grows with outlets x frames x
:data:`~framing.compare._aggregates.RESERVOIR`, not with articles.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing import compare
from framing.compare._aggregates import (
    RESERVOIR,
    Aggregates,
    combine_aggregates,
    contrast_from_aggregates,
    linear_aggregates,
    pairwise_from_aggregates,
    partition_aggregates,
    partition_moments,
    relabel,
    summary_from_aggregates,
)
from framing.compare._contrast import frame_difference
from framing.compare._select import OTHER_OUTLETS, OutletSelection, label_missing_outlets
from framing.export import atomic_write
from framing.frames.headline import lexicon_score_parts, measure_label, semantic_score_parts
from framing.run import partitions
from framing.run.context import RunError, StepContext, StepResult
from framing.run.steps.compare import contrast_frames

__all__ = [
    "compare_from_parts",
    "compare_task",
    "read_aggregates",
    "selection_from_counts",
    "summed_counts",
]


def read_aggregates(
    outs: list[str],
    name: str,
    order: list[str],
    convert: Callable[[Aggregates], Aggregates] | None = None,
) -> Aggregates | None:
    """Combine the aggregates ``name`` of every partition (None if no partition has it).

    ``convert`` turns each partition's :func:`~framing.compare._aggregates.partition_moments`
    into the aggregates of a value (:func:`~framing.compare._aggregates.linear_aggregates`),
    as they are read.

    The samples are folded in one partition at a time as numbers (group code,
    partition position, row, key, value) and trimmed to each group's
    :data:`~framing.compare._aggregates.RESERVOIR` smallest keys whenever the rows
    waiting exceed :data:`_PENDING_ROWS` and the rows kept (a sort of everything
    held, so not after every partition), so the driver holds groups x reservoir
    values plus at most that many rows; the result equals
    :func:`~framing.compare._aggregates.combine_aggregates` of all the partitions (a
    test checks it): the bottom-k of a union is the bottom-k of its parts' bottom-ks.
    """
    within = ["frame"] if name.startswith("frames") else ["actor"] if name == "actor" else []
    keys = [*within, "outlet"]
    position = {pid: i for i, pid in enumerate(order)}
    codes: dict[tuple, int] = {}
    stats_parts: list[pd.DataFrame] = []
    kept = None  # (rows of (group code, partition position, row, value), keys)
    pending: list[tuple[np.ndarray, np.ndarray]] = []
    n_pending = 0
    for out in outs:
        stats = Path(f"{out}.{name}.stats.parquet")
        if not stats.exists():
            continue
        stats = pd.read_parquet(stats)
        sample = pd.read_parquet(f"{out}.{name}.sample.parquet")
        if convert is not None:
            converted = convert(Aggregates(stats, sample, within))
            stats, sample = converted.stats, converted.sample
        stats_parts.append(stats)
        code = _group_codes(sample, keys, codes)
        part = np.full(len(sample), position[Path(out).name], dtype=float)
        piece = np.column_stack(
            [code, part, sample["row"].to_numpy(float), sample["value"].to_numpy(float)]
        ).reshape(len(sample), 4)
        pending.append((piece, sample["key"].to_numpy(np.uint64)))
        n_pending += len(piece)
        if n_pending > max(_PENDING_ROWS, len(kept[0]) if kept else 0):
            kept, pending, n_pending = _trim(kept, pending), [], 0
    if not stats_parts:
        return None
    kept = _trim(kept, pending) if pending else kept
    empty = pd.DataFrame({k: [] for k in [*keys, "key", "row", "value", "part"]})
    combined = combine_aggregates(
        [Aggregates(pd.concat(stats_parts, ignore_index=True), empty, within)], order
    )
    return Aggregates(combined.stats, _sample_table(kept, codes, keys, order), within)


#: Sample rows read before the driver trims them to each group's reservoir.
_PENDING_ROWS = 2_000_000


def _group_codes(sample: pd.DataFrame, keys: list[str], codes: dict[tuple, int]) -> np.ndarray:
    """Each sample row's group code, numbering new groups in ``codes`` (vectorised)."""
    if not len(sample):
        return np.zeros(0)
    local = sample.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    firsts = sample[keys].drop_duplicates().itertuples(index=False, name=None)
    mapping = np.array([codes.setdefault(label, len(codes)) for label in firsts], dtype=float)
    return mapping[local]


def _trim(kept: Any, pieces: list[tuple[np.ndarray, np.ndarray]]) -> Any:
    """Add ``pieces`` to ``kept`` and keep each group's RESERVOIR smallest keys."""
    held = ([kept] if kept is not None else []) + pieces
    rows = np.concatenate([h[0] for h in held])
    rkeys = np.concatenate([h[1] for h in held])
    order = np.lexsort((rkeys, rows[:, 0]))  # by group, then key
    rows, rkeys = rows[order], rkeys[order]
    group = rows[:, 0]
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    rank = np.arange(len(group)) - np.repeat(starts, np.diff(np.r_[starts, len(group)]))
    keep = rank < RESERVOIR
    return rows[keep], rkeys[keep]


def _sample_table(
    kept: Any, codes: dict[tuple, int], keys: list[str], order: list[str]
) -> pd.DataFrame:
    """Return the combined sample as a table, in corpus order (partition, row)."""
    if kept is None or not len(kept[0]):
        return pd.DataFrame({**{k: [] for k in keys}, "key": [], "row": [], "value": []})
    rows, rkeys = kept
    back = sorted(codes, key=codes.get)
    by_order = np.lexsort((rows[:, 2], rows[:, 1]))
    rows, rkeys = rows[by_order], rkeys[by_order]
    labels = [back[int(c)] for c in rows[:, 0]]
    table = pd.DataFrame({k: [lab[i] for lab in labels] for i, k in enumerate(keys)})
    table["key"] = rkeys
    table["row"] = rows[:, 2].astype(np.int64)
    table["value"] = rows[:, 3]
    table["part"] = [order[int(p)] for p in rows[:, 1]]
    return table


def _prefix_key(outs: list[str]) -> str:
    return hashlib.sha256("\n".join(outs).encode()).hexdigest()[:16]


def summed_counts(outs: list[str], folder: Path) -> pd.DataFrame | None:
    """Sum the partitions' ``outlet, term, count`` tables (keyness), one at a time.

    The sum over every partition is kept in ``folder`` under a hash of the partition
    outputs' names; a later run whose partitions extend that list (files were added:
    new partitions come last) starts from it and adds only the new partitions, so a
    +1% re-run does not read the old partitions again. Returns None without counts.
    """
    present = [o for o in outs if Path(o + ".parquet").exists()]
    counts, start = None, 0
    for k in range(len(present), 0, -1):
        cached = folder / f"{_prefix_key(present[:k])}.parquet"
        if cached.exists():
            counts, start = pd.read_parquet(cached), k
            break
    for out in present[start:]:
        part = compare.label_missing_outlets(pd.read_parquet(out + ".parquet"))
        if counts is not None:
            part = pd.concat([counts, part], ignore_index=True)
        counts = part.groupby(["outlet", "term"], sort=False)["count"].sum().reset_index()
    if counts is not None and start < len(present):
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{_prefix_key(present)}.parquet"
        atomic_write(target, lambda p: counts.to_parquet(p, index=False))
        for old in folder.glob("*.parquet"):  # keep the latest sum only
            if old != target:
                old.unlink(missing_ok=True)
    return counts


def selection_from_counts(counts: pd.Series, cfg: Any) -> OutletSelection:
    """:func:`framing.compare.select_outlets` from articles per outlet (``[compare]``)."""
    names = counts.index.astype(str)
    # one categorical code per article: a few bytes each, the names are shared
    outlets = pd.Series(
        pd.Categorical.from_codes(np.repeat(np.arange(len(names)), counts.to_numpy()), names)
    )
    return compare.select_outlets(
        outlets,
        min_articles=cfg.min_articles,
        max_outlets=cfg.max_outlets,
        others=cfg.other_outlets,
    )


def _select(agg: Aggregates | None, selection: OutletSelection, order: list[str]) -> Any:
    """``selection.apply`` on aggregates: drop the other outlets or merge them."""
    if agg is None or not selection.left_out:
        return agg
    if selection.others == "drop":
        keep_s = agg.stats[agg.by].astype(str).isin(selection.kept)
        keep_x = agg.sample[agg.by].astype(str).isin(selection.kept)
        return Aggregates(
            agg.stats[keep_s].reset_index(drop=True),
            agg.sample[keep_x].reset_index(drop=True),
            agg.within,
            agg.by,
        )
    merged = relabel(agg, {o: OTHER_OUTLETS for o in selection.left_out})
    return combine_aggregates([merged], order)


def _absent_note(table: pd.DataFrame, frames: Aggregates) -> pd.DataFrame:
    """:func:`framing.compare.note_absent_frames` from the frames' non-zero counts."""
    present = frames.stats.groupby("frame")["n_nonzero"].sum()
    return compare.note_absent_frames(
        table,
        pd.DataFrame({"frame": present.index, "nonzero": present.to_numpy(dtype=float)}),
        value="nonzero",
    )


def compare_from_parts(
    ctx: StepContext, outs: list[str], order: list[str], score_params: dict | None = None
) -> tuple[StepResult, OutletSelection | None]:
    """Compute the tables of :func:`framing.run.steps.compare.run` from aggregates.

    ``score_params`` (the frames step's corpus-wide numbers) turn the lexicon
    score's moments into its aggregates (:func:`compare_task`). Returns the step's
    result and the outlets compared (None without article tables).
    """
    cc = ctx.cfg.compare
    seed = ctx.cfg.seeds.random_state
    boot = {"n_boot": cc.n_boot, "ci": cc.ci, "random_state": seed, "reservoir": RESERVOIR}
    perm = {**boot, "n_perm": cc.n_perm}
    found = {name: read_aggregates(outs, name, order) for name in ("sentiment", "actor")}
    contrast = list(ctx.cfg.frames.contrast)
    converters = _moment_converters(outs, score_params, contrast)
    if converters is None:
        found["frames"] = read_aggregates(outs, "frames", order)
        found["contrast_diff"] = read_aggregates(outs, "contrast_diff", order)
    else:
        found["frames"] = read_aggregates(outs, "frames_moments", order, converters["frames"])
        found["contrast_diff"] = (
            read_aggregates(outs, "contrast_moments", order, converters["diff"])
            if "diff" in converters
            else None
        )
    sizes = found["sentiment"] or found["frames"]
    result = StepResult()
    if sizes is None:
        return result, None
    stats = sizes.stats
    if sizes.within:  # one row per article x frame: count one frame's rows
        stats = stats[stats[sizes.within[0]] == stats[sizes.within[0]].iloc[0]]
    counts = stats.groupby(sizes.by)[["n", "n_missing"]].sum().sum(axis=1)
    selection = selection_from_counts(counts[counts > 0], cc)
    if selection.note:
        warnings.warn(f"compare: {selection.note}", stacklevel=1)
    sel = {name: _select(agg, selection, order) for name, agg in found.items()}
    if sel["sentiment"] is not None:
        result.tables["sentiment_by_outlet"] = summary_from_aggregates(sel["sentiment"], **boot)
        result.tables["sentiment_pairwise"] = pairwise_from_aggregates(sel["sentiment"], **perm)
    if sel["actor"] is not None and len(sel["actor"].stats):
        result.tables["actor_sentiment_by_outlet"] = summary_from_aggregates(sel["actor"], **boot)
    frames = sel["frames"]
    if frames is not None:
        label = measure_label(ctx.cfg.frames.measure, ctx.cfg.frames.method)
        result.meta["frame_measure"] = {"column": ctx.cfg.frames.measure, "label": label}
        result.tables["frame_prevalence"] = _absent_note(
            summary_from_aggregates(frames, **boot), frames
        ).assign(measure=label)
        result.tables["frame_pairwise"] = _absent_note(
            pairwise_from_aggregates(frames, **perm), frames
        ).assign(measure=label)
        _contrast(
            ctx, result, frames, sel["contrast_diff"], outs, selection, order, boot, converters
        )
        if "frame_contrast" in result.tables:
            result.tables["frame_contrast"] = result.tables["frame_contrast"].assign(measure=label)
    for name in result.tables:
        result.exports[name] = None
    result.counts = {name: len(table) for name, table in result.tables.items()}
    return result, selection


def _contrast(
    ctx: StepContext,
    result: StepResult,
    frames: Aggregates,
    diff: Aggregates | None,
    outs: list[str],
    selection: OutletSelection,
    order: list[str],
    boot: dict,
    converters: dict[str, Callable[[Aggregates], Aggregates]] | None,
) -> None:
    contrast = contrast_frames(ctx.cfg, frames.stats["frame"].astype(str).unique(), result)
    if contrast is None or diff is None:
        return
    parts = {
        name: _select(
            read_aggregates(outs, f"contrast_{name}", order)
            if converters is None
            else read_aggregates(outs, "contrast_moments", order, converters[name]),
            selection,
            order,
        )
        for name in ("a", "b", "raw_a", "raw_b")
    }
    absent = [
        frame
        for frame, name in zip(contrast, ("raw_a", "raw_b"), strict=True)
        if int(parts[name].stats["n_nonzero"].sum()) == 0
    ]
    result.tables["frame_contrast"] = contrast_from_aggregates(
        diff,
        parts["a"],
        parts["b"],
        (contrast[0], contrast[1]),
        absent,
        n_perm=ctx.cfg.compare.n_perm,
        **boot,
    )


def _moment_converters(
    outs: list[str], score_params: dict | None, contrast: list[str]
) -> dict[str, Callable[[Aggregates], Aggregates]] | None:
    """Return the converters of the lexicon score's moments (None if there are none)."""
    if not any(Path(f"{o}.frames_moments.stats.parquet").exists() for o in outs):
        return None
    if not score_params or "rate" not in score_params:
        raise RunError(
            "compare: the frames step recorded no score_params for the lexicon score; "
            "re-run the frames step (framing run --only frames,compare)"
        )
    converters = {"frames": _frames_converter(score_params)}
    if len(contrast) == 2 and set(contrast) <= set(score_params["frames"]):
        converters.update(_contrast_converters(score_params, contrast))
    return converters


def _write_aggregates(out: str, name: str, agg: Aggregates) -> None:
    partitions._write(f"{out}.{name}.stats.parquet", agg.stats)
    partitions._write(f"{out}.{name}.sample.parquet", agg.sample)


def compare_task(
    sentiment_path: str,
    actors_path: str,
    frames_path: str,
    contrast: list[str],
    measure: str,
    score_params: dict[str, list] | None,
    reservoir: int,
    seed: int,
    out: str,
) -> dict[str, Any]:
    """Reduce one partition's article tables to aggregates (:mod:`framing.compare._aggregates`).

    Every outlet is kept (the driver selects outlets after combining, as the counts
    it selects by are known only then). Empty paths skip a measure. Frames are
    compared on ``measure``. The semantic headline ``score`` is computed here from
    the partition's columns with the corpus-wide ``score_params`` of
    :func:`framing.frames.headline.semantic_score_params`. The lexicon ``score`` is
    affine in two columns of each article, ``n_matches / sqrt(n_words)`` and
    ``sqrt(n_words)``, with coefficients from the corpus-wide rates, means and SDs
    (:func:`_lexicon_coefficients`): the partition is reduced to the moments of those
    columns (:func:`~framing.compare._aggregates.partition_moments`) and the driver
    applies the coefficients, so adding articles, which changes them, does not
    reduce the old partitions again: ``score_params`` is None for lexicon frames.
    """
    part = Path(out).name
    common = {"part": part, "seed": seed}
    names = []

    def reduce(name: str, table: pd.DataFrame, value: str, within: list[str], k: int) -> None:
        table = label_missing_outlets(table)
        agg = partition_aggregates(table, value, within=within, reservoir=k, **common)
        _write_aggregates(out, name, agg)
        names.append(name)

    if sentiment_path:
        sent = pd.read_parquet(sentiment_path, columns=["article_id", "outlet", "sentiment_mean"])
        reduce("sentiment", sent, "sentiment_mean", [], reservoir)
    if actors_path and Path(actors_path).exists():
        actor = pd.read_parquet(actors_path)
        reduce("actor", actor, "sentiment_mean", ["actor"], reservoir)
    if frames_path:
        frames = pd.read_parquet(frames_path)
        if measure == "score" and score_params is None:  # lexicon: moments
            names.extend(_lexicon_score_moments(frames, contrast, out, reservoir, common))
            return partitions._finish(out, {"aggregates": names})
        if measure == "score":
            column = (
                frames["frame"]
                .astype(str)
                .map({f: i for i, f in enumerate(score_params["frames"])})
                .to_numpy()
            )
            if "topk_mean" in score_params:  # semantic_score_params
                frames["score"] = semantic_score_parts(
                    frames["top_k_mean"].to_numpy(dtype=float),
                    frames["n_matches"].to_numpy(dtype=float),
                    frames["n_words"].to_numpy(dtype=float),
                    column,
                    score_params,
                )
            else:  # lexicon_score_params
                frames["score"] = lexicon_score_parts(
                    frames["n_matches"], frames["n_words"], column, score_params
                )
        frames = frames[["article_id", "outlet", "frame", measure]]
        reduce("frames", frames, measure, ["frame"], reservoir)
        if len(contrast) == 2 and set(contrast) <= set(frames["frame"]):
            diffs = frame_difference(frames, contrast[0], contrast[1], value=measure)
            kept = diffs["diff"].notna()
            reduce("contrast_diff", diffs, "diff", [], reservoir)
            reduce("contrast_a", diffs.assign(a=diffs["a"].where(kept)), "a", [], 0)
            reduce("contrast_b", diffs.assign(b=diffs["b"].where(kept)), "b", [], 0)
            reduce("contrast_raw_a", diffs, "a", [], 0)
            reduce("contrast_raw_b", diffs, "b", [], 0)
    return partitions._finish(out, {"aggregates": names})


def _score_columns(counts: pd.Series, words: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``n_matches / sqrt(n_words)`` and ``sqrt(n_words)`` (NaN where there are no words)."""
    w = words.to_numpy(dtype=float)
    root = np.sqrt(np.where((w > 0) & np.isfinite(w), w, np.nan))
    return counts.to_numpy(dtype=float) / root, root


def _lexicon_score_moments(
    frames: pd.DataFrame, contrast: list[str], out: str, reservoir: int, common: dict
) -> list[str]:
    """Write the moments of the lexicon score's columns; return the names written."""
    columns = ["article_id", "outlet", "frame", "n_matches", "n_words"]
    table = label_missing_outlets(frames[columns])
    table["x0"], table["x1"] = _score_columns(table["n_matches"], table["n_words"])
    agg = partition_moments(
        table,
        ["x0", "x1"],
        within=["frame"],
        keep=["n_matches", "n_words"],
        reservoir=reservoir,
        **common,
    )
    _write_aggregates(out, "frames_moments", agg)
    names = ["frames_moments"]
    if len(contrast) == 2 and set(contrast) <= set(table["frame"]):
        pair = table[table["frame"].isin(contrast)]
        wide = pair.set_index(["article_id", "outlet", "frame"])[["n_matches", "n_words"]]
        wide = wide.unstack("frame")  # the rows of frame_difference, in its order
        both = pd.DataFrame(index=wide.index)
        for tag, frame in zip("ab", contrast, strict=True):
            both[f"c_{tag}"] = wide[("n_matches", frame)].astype(float)
            both[f"w_{tag}"] = wide[("n_words", frame)].astype(float)
        both = both.reset_index()
        both["x0"], both["x1"] = _score_columns(both["c_a"], both["w_a"])
        both["x2"], both["x3"] = _score_columns(both["c_b"], both["w_b"])
        agg = partition_moments(
            both,
            ["x0", "x1", "x2", "x3"],
            keep=["c_a", "w_a", "c_b", "w_b"],
            reservoir=reservoir,
            **common,
        )
        _write_aggregates(out, "contrast_moments", agg)
        names.append("contrast_moments")
    return names


def _lexicon_coefficients(params: dict[str, list]) -> tuple[np.ndarray, np.ndarray]:
    """Per frame ``(alpha, beta)`` and ``gamma`` of the lexicon score.

    With the frame's rate ``r``, evidence mean ``m`` and SD ``s``
    (:func:`framing.frames.headline.lexicon_score_params`), an article's score
    ``((c - r w) / sqrt(r w) - m) / s`` equals ``alpha c / sqrt(w) + beta sqrt(w) +
    gamma`` with ``alpha = 1 / (s sqrt(r))``, ``beta = -sqrt(r) / s`` and
    ``gamma = -m / s``; not finite where the score is undefined (rate 0, constant
    evidence).
    """
    rate, mean, sd = (np.asarray(params[k], dtype=float) for k in ("rate", "mean", "sd"))
    with np.errstate(invalid="ignore", divide="ignore"):
        root = np.sqrt(rate)
        alpha, beta, gamma = 1 / (sd * root), -root / sd, -mean / sd
    defined = np.isfinite(alpha) & np.isfinite(beta) & np.isfinite(gamma) & (rate > 0)
    theta = np.where(defined[:, None], np.column_stack([alpha, beta]), np.nan)
    return theta, np.where(defined, gamma, np.nan)


def _frames_converter(params: dict[str, list]) -> Callable[[Aggregates], Aggregates]:
    """Per partition: ``frames_moments`` to the aggregates of the lexicon ``score``."""
    theta, gamma = _lexicon_coefficients(params)
    index = pd.Index([str(f) for f in params["frames"]])

    def convert(moments: Aggregates) -> Aggregates:
        rows = index.get_indexer(moments.stats["frame"].astype(str))
        column = index.get_indexer(moments.sample["frame"].astype(str))
        if (rows < 0).any() or (column < 0).any():
            raise RunError("compare: a partition scores a frame the frame set does not have")
        values = lexicon_score_parts(
            moments.sample["n_matches"], moments.sample["n_words"], column, params
        )
        return linear_aggregates(moments, theta[rows], gamma[rows], values)

    return convert


def _contrast_converters(
    params: dict[str, list], contrast: list[str]
) -> dict[str, Callable[[Aggregates], Aggregates]]:
    """Per partition: ``contrast_moments`` to the five contrast aggregates.

    ``diff`` (score of frame a minus b, with its sample), ``a`` and ``b`` (each frame's
    score where the difference is defined) and ``raw_a``, ``raw_b`` (where the
    frame's own score is), as :func:`compare_task` writes them for the other measures.
    """
    theta, gamma = _lexicon_coefficients(params)
    ia, ib = (list(params["frames"]).index(f) for f in contrast)
    zero = np.zeros(2)
    coef_a = np.r_[theta[ia], zero]
    coef_b = np.r_[zero, theta[ib]]
    both = bool(np.isfinite(coef_a).all() and np.isfinite(coef_b).all())
    nan = np.full(4, np.nan)

    def scores(sample: pd.DataFrame, tag: str, i: int) -> np.ndarray:
        column = np.full(len(sample), i, dtype=np.int64)
        return lexicon_score_parts(sample[f"c_{tag}"], sample[f"w_{tag}"], column, params)

    def make(coef: np.ndarray, const: float, with_values: bool) -> Callable:
        def convert(moments: Aggregates) -> Aggregates:
            g = len(moments.stats)
            values = None
            if with_values:
                values = scores(moments.sample, "a", ia) - scores(moments.sample, "b", ib)
            return linear_aggregates(moments, np.tile(coef, (g, 1)), np.full(g, const), values)

        return convert

    return {
        "diff": make(coef_a - coef_b, gamma[ia] - gamma[ib], True),
        "a": make(coef_a if both else nan, gamma[ia], False),
        "b": make(coef_b if both else nan, gamma[ib], False),
        "raw_a": make(coef_a, gamma[ia], False),
        "raw_b": make(coef_b, gamma[ib], False),
    }
