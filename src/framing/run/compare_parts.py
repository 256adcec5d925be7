"""Step ``compare`` of the partitioned engine: comparisons from per-partition aggregates.

The workers reduce each partition's article tables to sufficient statistics and a
bottom-k sample per outlet (:func:`compare_task`, cached by
content key under ``cache/parts/compare/``, so a re-run after new files were added
reduces only the new partitions); the driver combines them and computes the tables of
:mod:`framing.run.steps.compare` (:mod:`framing.compare._aggregates` says how, and
when the large-sample approximations are used). The driver's memory grows with
outlets x frames x :data:`~framing.compare._aggregates.RESERVOIR`, not with articles.
"""

from __future__ import annotations

import hashlib
import warnings
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
    pairwise_from_aggregates,
    partition_aggregates,
    relabel,
    summary_from_aggregates,
)
from framing.compare._contrast import frame_difference
from framing.compare._select import OTHER_OUTLETS, OutletSelection, label_missing_outlets
from framing.export import atomic_write
from framing.frames.headline import lexicon_score_parts, measure_label, semantic_score_parts
from framing.run import partitions
from framing.run.context import RunError, StepContext, StepResult

__all__ = [
    "compare_from_parts",
    "compare_task",
    "read_aggregates",
    "selection_from_counts",
    "summed_counts",
]


def read_aggregates(outs: list[str], name: str, order: list[str]) -> Aggregates | None:
    """Combine the aggregates ``name`` of every partition (None if no partition has it).

    The samples are folded in one partition at a time as numbers (group code,
    partition position, row, key, value), trimmed to each group's
    :data:`~framing.compare._aggregates.RESERVOIR` smallest keys after every
    partition, so the driver holds one partition plus groups x reservoir values; the
    result equals :func:`~framing.compare._aggregates.combine_aggregates` of all the
    partitions (a test checks it).
    """
    within = ["frame"] if name == "frames" else ["actor"] if name == "actor" else []
    keys = [*within, "outlet"]
    position = {pid: i for i, pid in enumerate(order)}
    codes: dict[tuple, int] = {}
    stats_parts: list[pd.DataFrame] = []
    kept = None  # (rows of (group code, partition position, row, value), keys)
    for out in outs:
        stats = Path(f"{out}.{name}.stats.parquet")
        if not stats.exists():
            continue
        stats_parts.append(pd.read_parquet(stats))
        sample = pd.read_parquet(f"{out}.{name}.sample.parquet")
        labels = list(zip(*(sample[k] for k in keys), strict=True)) if len(sample) else []
        code = np.fromiter(
            (codes.setdefault(lab, len(codes)) for lab in labels), dtype=float, count=len(labels)
        )
        part = np.full(len(sample), position[Path(out).name], dtype=float)
        piece = np.column_stack(
            [code, part, sample["row"].to_numpy(float), sample["value"].to_numpy(float)]
        ).reshape(len(sample), 4)
        kept = _trim(kept, piece, sample["key"].to_numpy(np.uint64))
    if not stats_parts:
        return None
    empty = pd.DataFrame({k: [] for k in [*keys, "key", "row", "value", "part"]})
    combined = combine_aggregates(
        [Aggregates(pd.concat(stats_parts, ignore_index=True), empty, within)], order
    )
    return Aggregates(combined.stats, _sample_table(kept, codes, keys, order), within)


def _trim(kept: Any, piece: np.ndarray, piece_keys: np.ndarray) -> Any:
    """Add ``piece`` to ``kept`` and keep each group's RESERVOIR smallest keys."""
    if kept is None:
        rows, rkeys = piece, piece_keys
    else:
        rows = np.concatenate([kept[0], piece])
        rkeys = np.concatenate([kept[1], piece_keys])
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
    ctx: StepContext, outs: list[str], order: list[str]
) -> tuple[StepResult, OutletSelection | None]:
    """Compute the tables of :func:`framing.run.steps.compare.run` from aggregates.

    Returns the step's result and the outlets compared (None without article tables).
    """
    cc = ctx.cfg.compare
    seed = ctx.cfg.seeds.random_state
    boot = {"n_boot": cc.n_boot, "ci": cc.ci, "random_state": seed, "reservoir": RESERVOIR}
    perm = {**boot, "n_perm": cc.n_perm}
    found = {
        name: read_aggregates(outs, name, order)
        for name in ("sentiment", "actor", "frames", "contrast_diff")
    }
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
        _contrast(ctx, result, frames, sel["contrast_diff"], outs, selection, order, boot)
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
) -> None:
    contrast = ctx.cfg.frames.contrast
    if len(contrast) != 2:
        return
    present = set(frames.stats["frame"].astype(str))
    missing = [f for f in contrast if f not in present]
    if missing:  # checked when the configuration is read; kept for --only runs
        raise RunError(
            f"frames.contrast names {missing}, which the frame set "
            f"{ctx.cfg.frames.frame_set!r} does not have; its frames are "
            f"{sorted(present)}. Change frames.contrast in the config"
        )
    if diff is None:
        return
    parts = {
        name: _select(read_aggregates(outs, f"contrast_{name}", order), selection, order)
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
    compared on ``measure``; the headline ``score`` is computed here from the
    partition's columns with the corpus-wide ``score_params``: those of
    :func:`framing.frames.headline.semantic_score_params` (they hold ``topk_mean``)
    for semantic frames, else those of
    :func:`framing.frames.headline.lexicon_score_params`.
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
        if measure == "score":
            if score_params is None:
                raise ValueError("compare_task: measure 'score' needs the corpus's score_params")
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
