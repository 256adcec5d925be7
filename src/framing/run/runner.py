"""``framing run``: the whole analysis, headless, resumable, with a receipt.

:func:`run_all` runs the steps of :data:`framing.run.registry.STEPS` in order. Each
step is a function from the tables of earlier steps to new tidy tables (one module
per step, :mod:`framing.run.steps`); the orchestration here only decides what to run,
where to write and what to record.

========= ==================================================================
step      what it does (module)
========= ==================================================================
corpus    load and clean the corpus; summary tables, skips, cleaning audit
          (:mod:`framing.corpus`)
units     split articles into sentences or paragraphs (:mod:`framing.units`)
sentiment VADER per unit and per article; actor sentiment
          (:mod:`framing.sentiment`, :mod:`framing.sentiment.actors`)
topics    fit BERTopic (or LDA/NMF) (:mod:`framing.topics`)
frames    frame scores per unit and article, exemplars (:mod:`framing.frames`)
compare   outlet comparisons with bootstrap CIs, permutation tests, frame
          contrast, topic shares by outlet and over time, keyness
          (:mod:`framing.compare`, :mod:`framing.topics.summaries`)
figures   every figure, as PDF/SVG/PNG (:mod:`framing.plots`, :mod:`framing.export`)
report    ``report.html``, self-contained (:mod:`framing.run.report`)
========= ==================================================================

Output folder (``results/<corpus name>/`` by default)::

    tables/         summary tables (CSV, LaTeX) for papers
    figures/        figures (PDF, SVG, PNG)
    cache/stages/   every step's tables as Parquet, so ``--only`` can reload them
    cache/embeddings/  sentence-embedding cache (reused across runs)
    manifest.json   the receipt: configuration, versions, input hashes, counts,
                    seeds, time per step, outputs with their sha256
    report.html

**Re-runs.** Each step has a key (:mod:`framing.run.keys`): the code it runs, the
settings it reads, the keys of the steps it reads and, for ``corpus``, the sha256 of
every input file. A step whose key and outputs are unchanged is reloaded from
``cache/stages/`` instead of recomputed.

**Faults.** The output folder is checked for writing, and the settings that name
frames are checked against the frame set, before any work starts; the folder records
the corpus it belongs to (``manifest.json``), and a run of another corpus into it is
refused. Every file is written to a temporary file and moved into place
(:func:`framing.export.atomic_write`), so a run that stops leaves no half-written
table, and the next run resumes from the last finished step. A step that fails says
which settings skip or shrink it; the manifest then says ``failed`` (``interrupted``
after Ctrl-C).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from framing._progress import heartbeat, note_output
from framing.corpus.files import file_hashes, input_files
from framing.export import atomic_write_text
from framing.run import cache, engine, registry
from framing.run.checks import check_settings
from framing.run.config import RunConfig
from framing.run.context import RunError, StepContext, StepResult
from framing.run.keys import step_key
from framing.run.manifest import RunInfo, read_manifest, write_manifest
from framing.run.registry import STEP_NAMES, STEPS, parse_steps

__all__ = ["STEPS", "RunError", "StepFailed", "StepResult", "parse_steps", "run_all"]

# errors that come from the data's size or shape, not from a bug: reported without a
# traceback, with the settings that skip or shrink the step
_RESOURCE_ERRORS = (MemoryError, TimeoutError, RecursionError)


class StepFailed(RunError):
    """A step ran out of memory or time; the message names the step and the way out."""

    def __init__(self, step: str, message: str) -> None:
        super().__init__(message)
        self.step = step


# --------------------------------------------------------------------------- inputs
def _hash_inputs(
    source: Path, cache: Path | None = None, *, rehash: bool = False
) -> list[dict[str, Any]]:
    """Hash the files the corpus step reads (:func:`framing.corpus.files.input_files`).

    README/LICENSE-type files, unsupported suffixes and hidden files are not inputs,
    so editing them does not invalidate cached results. A file with the size and
    mtime recorded in ``cache`` (``cache/input_hashes.json``) keeps its recorded
    sha256 unread (:func:`framing.corpus.files.file_hashes`: a file rewritten with
    identical size and mtime counts as unchanged; ``--force`` re-reads every file).
    """
    base = source.parent if source.is_file() else source
    files = {path.relative_to(base).as_posix(): path for path in input_files(source)}
    known: dict[str, Any] = {}
    if cache is not None and cache.is_file():
        try:
            known = json.loads(cache.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
    hashes = file_hashes(files, known, rehash=rehash)
    if cache is not None and hashes != known:
        atomic_write_text(cache, json.dumps(hashes))
    return [
        {"path": rel, "sha256": found["sha256"], "bytes": found["bytes"]}
        for rel, found in hashes.items()
    ]


# --------------------------------------------------------------------------- out folder
def _check_out_dir(out: Path, identity: dict[str, str]) -> None:
    """Refuse an unwritable folder or one holding another corpus's results."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".write-test-", delete=True):
            pass
    except OSError as exc:
        raise RunError(
            f"the output folder {out} is not writable ({exc.strerror or exc}); "
            "choose another folder with --out"
        ) from None
    manifest = out / "manifest.json"
    if manifest.exists():
        try:
            recorded = json.loads(manifest.read_text(encoding="utf-8")).get("corpus", {})
        except (OSError, ValueError):
            raise RunError(
                f"{manifest} cannot be read; it does not look like a framing results "
                "folder. Choose another folder with --out"
            ) from None
        if recorded.get("source") != identity["source"]:
            raise RunError(
                f"{out} holds the results of another corpus ({recorded.get('name')!r} "
                f"from {recorded.get('source')}); they are never overwritten. Choose "
                f"another folder with --out (e.g. --out results/{identity['name']})"
            )
    elif any(p for p in out.iterdir() if not p.name.startswith(".write-test-")):
        raise RunError(
            f"{out} is not empty and has no manifest.json, so it is not a framing "
            "results folder; choose an empty or new folder with --out"
        )


# --------------------------------------------------------------------------- run_all
def run_all(
    cfg: RunConfig,
    *,
    steps: str | Iterable[str] | None = None,
    force: bool = False,
    show_progress: bool = True,
    log: Callable[[str], None] | None = None,
) -> dict[str, pd.DataFrame]:
    """Run the whole analysis (or ``steps``) on ``cfg.corpus.path`` into ``cfg.out_dir``.

    Parameters
    ----------
    cfg : RunConfig
        From :func:`framing.run.config.load_config`.
    steps : str or iterable of str, optional
        Only these steps (``"frames,compare"``); the outputs of the steps they read
        are reloaded from an earlier run. ``None`` = every enabled step.
    force : bool, default=False
        Recompute steps even when their inputs and configuration are unchanged.
    show_progress : bool, default=True
        Progress on stderr: one line per step, progress bars (plain periodic lines
        when stderr is not a terminal), and a line every so often while a long step
        works.
    log : callable, optional
        Receives the per-step lines (default: print to stderr when
        ``show_progress``).

    Returns
    -------
    dict of str to pandas.DataFrame
        Every table produced or reloaded, by name (``articles``, ``units``,
        ``article_sentiment``, ``sentiment_by_outlet``, ``topic_info``,
        ``frame_prevalence``...).
        With the partitioned engine (:mod:`framing.run.engine`) only the tables
        whose size does not grow with the corpus: the article- and unit-level ones
        stay partitioned on disk (read one back with
        :func:`framing.run.article_parts.read_table`).

    Raises
    ------
    RunError
        When the output folder is not writable or holds another corpus's results,
        the corpus does not exist, a setting names a frame the frame set does not
        have, a step in ``steps`` needs the output of a step that has not run yet
        (the message names it), or a step runs out of memory or time
        (:class:`StepFailed`: the message names the step and the settings that skip
        or shrink it).
    """
    selected = parse_steps(steps) if steps is not None else None
    if log is None:
        log = _stderr_log if show_progress else (lambda _msg: None)
    source = Path(cfg.corpus.path)
    if not source.exists():
        raise RunError(
            f"the corpus {source} does not exist; pass the corpus folder or file, "
            "e.g. `framing run path/to/corpus`, or set corpus.path in the config"
        )
    check_settings(cfg)
    if engine.partitioned(cfg):  # [run]: the partitioned/Dask engine (framing.run.engine)
        engine.check(cfg)
    identity = {"name": cfg.corpus.corpus_name, "source": str(source.resolve())}
    out = cfg.out_dir.resolve()
    _check_out_dir(out, identity)
    records = cache.read_records(out)
    wanted = (
        [s for s in STEP_NAMES if registry.enabled(cfg, s)] if selected is None else list(selected)
    )
    needed = registry.closure(cfg, wanted)
    missing = [
        s
        for s in STEP_NAMES
        if s in needed
        and s not in wanted
        and registry.enabled(cfg, s)
        and not cache.record_complete(out, records.get(s))
    ]
    if missing:
        raise RunError(_missing_message(missing, wanted))
    ctx = StepContext(
        cfg=cfg, out=out, tables={}, meta={}, show_progress=show_progress, log=log, force=force
    )
    inputs = _hash_inputs(source, out / "cache" / "input_hashes.json", rehash=force)
    info = RunInfo(cfg, out, identity, inputs)
    previous = read_manifest(out).get("stages", {})
    stages: dict[str, Any] = {s: previous.get(s, {"status": "not run"}) for s in STEP_NAMES}
    run = _Run(ctx, info, records, stages, force=force)
    run.manifest("running")
    try:
        for index, step in enumerate(STEPS):
            if not registry.enabled(cfg, step.name):
                stages[step.name] = {"status": "disabled"}
                if step.name in wanted or selected is None:
                    log(f"{_position(index)} {step.name}: disabled in the configuration")
            elif step.name in needed:
                run.step(index, step, reload_only=step.name not in wanted)
    except Exception:
        run.manifest("failed")
        raise
    except BaseException:
        run.manifest("interrupted")
        raise
    finally:
        engine.close(ctx)
    run.manifest("complete")
    return ctx.tables


class _Run:
    """The state of one :func:`run_all` call: keys so far, records, manifest stages."""

    def __init__(
        self,
        ctx: StepContext,
        info: RunInfo,
        records: dict[str, Any],
        stages: dict[str, Any],
        *,
        force: bool,
    ) -> None:
        self.ctx = ctx
        self.info = info
        self.records = records
        self.stages = stages
        self.force = force
        self.keys: dict[str, str] = {}

    def manifest(self, status: str) -> None:
        write_manifest(self.info, status=status, stages=self.stages, meta=self.ctx.meta)

    def _reuse(self, name: str, record: dict[str, Any], status: str, t0: float) -> None:
        self.ctx.tables.update(cache.load_tables(self.ctx.out, record))
        self.ctx.meta[name] = record.get("meta", {})
        self.keys[name] = record["key"]
        self.stages[name] = {
            **record.get("stage", {}),
            "status": status,
            "seconds_load": round(time.perf_counter() - t0, 3),
        }

    def step(self, index: int, step: registry.Step, *, reload_only: bool) -> None:
        """Run, reuse or reload one step."""
        ctx, name, log = self.ctx, step.name, self.ctx.log
        need_keys = [self.keys.get(n) for n in registry.needs(ctx.cfg, name)]
        partitioned = step.name in engine.PARTITIONED_STEPS and engine.partitioned(ctx.cfg)
        key = step_key(ctx.cfg, step, need_keys, self.info.inputs, partitioned)
        record = self.records.get(name)
        complete = cache.record_complete(ctx.out, record)
        t0 = time.perf_counter()
        if reload_only:  # read by a later step of --only; checked before the loop
            if record["key"] != key:
                warnings.warn(
                    f"using the {name!r} outputs of an earlier run made with other "
                    f"inputs or settings; run `framing run --only {name}` to refresh",
                    stacklevel=2,
                )
            self._reuse(name, record, "loaded", t0)
            return
        if complete and record["key"] == key and not self.force:
            self._reuse(name, record, "cached", t0)
            seconds = time.perf_counter() - t0
            log(f"{_position(index)} {name}: unchanged, reused ({seconds:.1f} s)")
            return
        log(f"{_position(index)} {name} ({step.summary}) ...")
        self.keys[name] = key
        ctx.meta[name] = {}
        self.manifest("running")  # the report step reads it: with every loaded step's facts
        try:
            result = self._call(step)
            # the tables as a later step (or a resumed run, from Parquet) sees them:
            # without attrs, so that no step depends on what only a fresh run carries
            ctx.tables.update({t: _without_attrs(v) for t, v in result.tables.items()})
            ctx.meta[name] = result.meta
            files = cache.persist(ctx, name, result)
        except Exception as exc:
            self.stages[name] = {
                "status": "failed",
                "seconds": round(time.perf_counter() - t0, 3),
                "error": f"{type(exc).__name__}: {exc}",
            }
            raise
        # Files this step wrote last time but not now (a table or figure the new
        # settings no longer produce) would otherwise stay and be listed as outputs.
        for stale in sorted(set(record.get("files", []) if record else []) - set(files)):
            (ctx.out / stale).unlink(missing_ok=True)
        seconds = time.perf_counter() - t0
        stage = {
            "status": "ran",
            "seconds": round(seconds, 3),
            "counts": result.counts,
            "tables": sorted(result.tables),
            "files": files,
            "key": key,
            **({"meta": result.meta} if result.meta else {}),
        }
        self.stages[name] = stage
        self.records[name] = {
            "step": name,
            "key": key,
            "tables": sorted(result.tables),
            "files": files,
            "meta": json.loads(json.dumps(result.meta, default=str)),
            "stage": stage,
        }
        cache.write_records(ctx.out, self.records)
        self.manifest("running")
        log(f"{_position(index)} {name}: done in {seconds:.1f} s {_fmt_counts(result.counts)}")

    def _call(self, step: registry.Step) -> StepResult:
        """Call the step function; when it fails, say how to get past it."""
        ctx = self.ctx
        beat_log = ctx.log if ctx.show_progress else None
        try:
            with heartbeat(beat_log, f"{_position(STEP_NAMES.index(step.name))} {step.name}"):
                if step.name in engine.PARTITIONED_STEPS and engine.partitioned(ctx.cfg):
                    return engine.run_step(step.name, ctx)
                return step.run(ctx)
        except _RESOURCE_ERRORS as exc:
            what = {
                MemoryError: "ran out of memory",
                TimeoutError: "took too long",
                RecursionError: "hit Python's recursion limit",
            }[next(c for c in _RESOURCE_ERRORS if isinstance(exc, c))]
            detail = f" ({exc})" if str(exc) else ""
            raise StepFailed(
                step.name,
                f"step {step.name!r} {what}{detail}. {_relief(step)} Finished steps are "
                "saved; the same command resumes after them.",
            ) from None
        except Exception as exc:
            if not isinstance(exc, RunError):
                exc.add_note(f"framing: step {step.name!r} failed. {_relief(step)}")
            raise


def _relief(step: registry.Step) -> str:
    """Which settings skip or shrink ``step``, in TOML and in ``--set`` syntax."""
    if not step.relief:
        return ""
    toml = "; ".join(step.relief)
    flags = " ".join(f"--set {r.replace(' = ', '=', 1)}" for r in step.relief)
    return (
        f"To skip or shrink it, change one of these settings in the configuration: "
        f"{toml} (on the command line: {flags})."
    )


def _without_attrs(table: pd.DataFrame) -> pd.DataFrame:
    if not table.attrs:
        return table
    view = table.copy(deep=False)
    view.attrs = {}
    return view


def _position(index: int) -> str:
    return f"[{index + 1}/{len(STEPS)}]"


def _missing_message(missing: Sequence[str], wanted: Sequence[str]) -> str:
    steps = ",".join(missing)
    return (
        f"--only {','.join(wanted)} needs the output of step(s) {', '.join(missing)}, "
        f"which have not run in this output folder yet. Run them first: "
        f"`framing run --only {steps}` (or run everything without --only)"
    )


def _fmt_counts(counts: dict[str, Any]) -> str:
    shown = [f"{k}={v}" for k, v in counts.items() if isinstance(v, int | str)][:4]
    return f"({', '.join(shown)})" if shown else ""


def _stderr_log(message: str) -> None:
    note_output()
    print(f"framing: {message}", file=sys.stderr, flush=True)
