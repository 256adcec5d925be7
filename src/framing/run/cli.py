"""The ``framing`` command line: parses arguments and calls the package, nothing more.

Commands::

    framing run [CORPUS] [--out DIR] [--config FILE] [--only STEPS] [--set KEY=VALUE]
    framing init DIR [--corpus PATH] [--force]
    framing corpus [PATH] [--config FILE] [mapping options]
    framing outlets [PATH] [--config FILE] [--write FILE] [mapping options]
    framing --version

Exit codes: 0 success; 2 a usage, configuration or corpus error, or a step that ran
out of memory or time (the message says what to change, e.g. which setting skips the
step; no traceback); 1 an unexpected error (a bug: the traceback is printed, with the
step that failed); 130 interrupted (re-run the same command to resume).
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys
import tomllib
import traceback
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from framing import __version__
from framing._progress import interactive
from framing.run import registry

__all__ = ["build_parser", "main"]

EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _expected_errors() -> tuple[type[BaseException], ...]:
    """Error classes that mean "fix your input", reported without a traceback."""
    from framing.run.config import ConfigError
    from framing.run.context import RunError
    from framing.schema import SchemaError

    errors: list[type[BaseException]] = [ConfigError, RunError, SchemaError, FileNotFoundError]
    for module, name in (
        ("framing.corpus", "CorpusError"),
        ("framing.frames", "FrameSetError"),
        ("framing.sentiment.actors", "ActorSetError"),
        ("framing.topics", "TopicModelError"),
        ("framing.embeddings", "EmbeddingModelError"),
    ):
        try:
            cls = getattr(__import__(module, fromlist=[name]), name)
        except (ImportError, AttributeError):
            continue
        if isinstance(cls, type) and issubclass(cls, BaseException):
            errors.append(cls)
    return tuple(errors)


def _add_mapping_arguments(parser: argparse.ArgumentParser) -> None:
    from framing.corpus.options import add_mapping_arguments

    add_mapping_arguments(parser)


def build_parser() -> argparse.ArgumentParser:
    """Return the ``framing`` argument parser (all sub-commands)."""
    parser = argparse.ArgumentParser(
        prog="framing",
        description="framing-workbench: measure how news outlets frame a story.",
    )
    parser.add_argument("--version", action="version", version=f"framing {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show the full traceback of every error"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser(
        "run",
        help="run the whole analysis on a corpus",
        description=(
            "Load, clean, split, score sentiment, fit topics, score frames, compare "
            "outlets, draw figures and write report.html into results/<corpus-name>/. "
            "Re-runs reuse every step whose inputs and settings are unchanged."
        ),
    )
    run.add_argument(
        "corpus",
        nargs="?",
        help="corpus folder or file (default: corpus.path from the config, i.e. corpus/)",
    )
    run.add_argument(
        "--out", metavar="DIR", help="output folder (default: results/<corpus-name>/)"
    )
    run.add_argument("--config", metavar="FILE", help="TOML run configuration (see framing init)")
    run.add_argument("--only", metavar="STEPS", help=registry.only_help())
    run.add_argument(
        "--set",
        metavar="SECTION.KEY=VALUE",
        action="append",
        default=[],
        dest="settings",
        help="override one configuration value, e.g. --set compare.n_boot=500 (repeatable)",
    )
    run.add_argument("--force", action="store_true", help="recompute steps even when unchanged")
    run.add_argument("--quiet", action="store_true", help="no progress output")
    where = run.add_argument_group("where to compute (the [run] settings)")
    where.add_argument(
        "--engine",
        choices=("local", "dask"),
        help="local: this process (default); dask: partitions on a Dask cluster",
    )
    where.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler, e.g. tcp://host:8786 (default: a LocalCluster on this machine)",
    )
    outlets = run.add_argument_group("outlets compared (the [compare] settings)")
    outlets.add_argument(
        "--min-articles",
        metavar="N",
        type=int,
        help="compare only outlets with at least N articles (default 1: all)",
    )
    outlets.add_argument(
        "--max-outlets",
        metavar="K",
        type=int,
        help="compare only the K largest outlets (default 0: no limit)",
    )
    outlets.add_argument(
        "--other-outlets",
        choices=("drop", "merge"),
        help='outlets not kept: left out (default) or merged into "(other outlets)"',
    )
    _add_mapping_arguments(run)

    init = sub.add_parser(
        "init",
        help="write a starter framing.toml and manifest.csv for a new corpus",
        description=(
            "Write DIR/framing.toml (the documented defaults, pointing at the corpus) "
            "and DIR/manifest.csv (one row per corpus file, metadata columns left "
            "empty for you to fill in). Existing files are kept unless --force."
        ),
    )
    init.add_argument("dir", metavar="DIR", help="project folder (created if missing)")
    init.add_argument(
        "--corpus",
        metavar="PATH",
        help="the corpus folder or file when it is not DIR itself (e.g. read-only data)",
    )
    init.add_argument("--force", action="store_true", help="overwrite existing files")

    summary = sub.add_parser(
        "corpus",
        help="load a corpus and print its summary",
        description=(
            "Load a corpus as `framing run` would and print articles per outlet, the "
            "date range, word counts, duplicates and what was skipped and why."
        ),
    )
    summary.add_argument(
        "path",
        metavar="PATH",
        nargs="?",
        help="corpus folder or file (default: corpus.path from --config)",
    )
    summary.add_argument(
        "--config",
        metavar="FILE",
        help="TOML run configuration: load the corpus exactly as `framing run` will",
    )
    _add_mapping_arguments(summary)

    outlets = sub.add_parser(
        "outlets",
        help="list the outlet spellings of a corpus and suggest an alias file",
        description=(
            "Load a corpus as `framing corpus` does, list every outlet spelling with "
            "its number of articles (before any alias map), and suggest groups of "
            "spellings that look like one outlet, as a starter alias file to edit."
        ),
    )
    outlets.add_argument(
        "path", metavar="PATH", nargs="?", help="corpus folder or file (default: from --config)"
    )
    outlets.add_argument("--config", metavar="FILE", help="TOML run configuration")
    outlets.add_argument(
        "--write",
        metavar="FILE",
        help="write the suggested alias map to FILE (YAML; kept unless --force)",
    )
    outlets.add_argument("--force", action="store_true", help="overwrite FILE")
    _add_mapping_arguments(outlets)
    return parser


# --------------------------------------------------------------------------- commands
def _parse_setting(text: str) -> tuple[str, Any]:
    from framing.run.config import ConfigError

    key, eq, raw = text.partition("=")
    if not eq or not key.strip():
        raise ConfigError(
            f"--set {text!r}: write SECTION.KEY=VALUE, e.g. --set compare.n_boot=500"
        )
    try:
        value = tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw.strip()  # a bare word is a string
    return key.strip(), value


def _mapping_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """``[corpus]`` overrides from the shared mapping options given on the command line."""
    import dataclasses

    from framing.corpus.options import mapping_from_args
    from framing.run.config import ConfigError, CorpusConfig

    mapping = mapping_from_args(args)
    known = {f.name for f in dataclasses.fields(CorpusConfig)}
    overrides = {}
    for key, value in mapping.items():
        if key not in known:
            raise ConfigError(f"the option for {key!r} has no [corpus] setting in the config")
        if isinstance(value, Path):
            value = str(value)
        overrides[f"corpus.{key}"] = value
    return overrides


def _cmd_run(args: argparse.Namespace) -> int:
    from framing.run.config import load_config
    from framing.run.runner import run_all

    overrides: dict[str, Any] = {}
    spelled: dict[str, str] = {}  # how the user wrote each override, for messages
    for text in args.settings:
        key, value = _parse_setting(text)
        overrides[key] = value
        spelled[key] = f"--set {text}"
    mapping = _mapping_overrides(args)
    overrides.update(mapping)
    spelled.update({k: f"--{k.partition('.')[2].replace('_', '-')}" for k in mapping})
    if args.corpus:
        overrides["corpus.path"] = args.corpus
        spelled["corpus.path"] = f"the corpus argument {args.corpus!r}"
    if args.out:
        overrides["output.dir"] = args.out
        spelled["output.dir"] = f"--out {args.out}"
    for key in ("engine", "scheduler"):
        if getattr(args, key) is not None:
            overrides[f"run.{key}"] = getattr(args, key)
            spelled[f"run.{key}"] = f"--{key} {getattr(args, key)}"
    for key in ("min_articles", "max_outlets", "other_outlets"):
        if getattr(args, key) is not None:
            overrides[f"compare.{key}"] = getattr(args, key)
            spelled[f"compare.{key}"] = f"--{key.replace('_', '-')} {getattr(args, key)}"
    cfg = load_config(args.config, overrides=overrides, spelled=spelled)
    run_all(cfg, steps=args.only, force=args.force, show_progress=not args.quiet)
    out = cfg.out_dir.resolve()
    if not args.quiet:
        report = out / "report.html"
        where = f"; open {report}" if report.exists() else ""
        counts = [
            f"{n} {kind} in {kind}/"
            for kind in ("tables", "figures")
            if (n := _count_outputs(out / kind))
        ]
        shown = f" ({', '.join(counts)})" if counts else ""
        print(f"framing: results in {out}{shown}{where}", file=sys.stderr)
    return EXIT_OK


def _count_outputs(folder: Path) -> int:
    """Count the tables or figures in ``folder`` (one per name, whatever the formats)."""
    if not folder.is_dir():
        return 0
    return len({p.stem for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")})


def _relative(target: Path, start: Path) -> str:
    try:
        return Path(os.path.relpath(target, start)).as_posix()
    except ValueError:  # other drive on Windows
        return str(target)


def _cmd_init(args: argparse.Namespace) -> int:
    from framing.corpus.files import corpus_files
    from framing.corpus.manifest import starter_manifest
    from framing.export import atomic_write_text
    from framing.run.config import ConfigError, default_config_text

    # abspath, not resolve: keep the user's spelling of symlinked folders
    project = Path(os.path.abspath(Path(args.dir).expanduser()))
    corpus = Path(os.path.abspath(Path(args.corpus).expanduser())) if args.corpus else project
    if args.corpus and not corpus.exists():
        raise ConfigError(f"--corpus {args.corpus}: no such file or folder")
    if not args.corpus and project.exists() and not project.is_dir():
        raise ConfigError(f"{project} is a file; framing init needs a folder")
    config_path = project / "framing.toml"
    manifest_path = project / "manifest.csv"
    existing = [p for p in (config_path, manifest_path) if p.exists()]
    if existing and not args.force:
        raise ConfigError(
            f"{', '.join(str(p) for p in existing)} already exist(s); nothing was "
            "written. Use --force to overwrite"
        )
    project.mkdir(parents=True, exist_ok=True)
    text = default_config_text()
    rel = _relative(corpus, project)
    text = re.sub(r'(?m)^path = "corpus"$', f"path = {_toml_string(rel)}", text, count=1)
    if corpus != project:
        text = re.sub(r'(?m)^manifest = ""$', 'manifest = "manifest.csv"', text, count=1)
    # the corpus name (results/<name>/): the project's name when the corpus is elsewhere
    name = project.name if args.corpus else corpus.name
    text = re.sub(r'(?m)^name = ""$', f"name = {_toml_string(name)}", text, count=1)
    header = (
        f"# Written by `framing init` (framing {__version__}) for the corpus at {rel}.\n"
        f"# Run it with:  framing run --config {_relative(config_path, Path.cwd())}\n#\n"
    )
    files = corpus_files(corpus)
    manifest_text, n_kept = starter_manifest(corpus, files)
    atomic_write_text(config_path, header + text)
    atomic_write_text(manifest_path, manifest_text)
    print(f"wrote {config_path}")
    kept = f", {n_kept} row(s) kept from the corpus's manifest.csv" if n_kept else ""
    print(
        f"wrote {manifest_path} ({len(files)} corpus file(s){kept}; fill in outlet, "
        "published, title, author, url, language where you know them, leave the rest empty)"
    )
    shown = _relative(config_path, Path.cwd())
    print(f"next: framing corpus --config {shown}  (check the summary), then")
    print(f"      framing run --config {shown}")
    return EXIT_OK


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _load_articles(args: argparse.Namespace) -> Any:
    """Load the corpus of PATH and/or --config with the mapping options given."""
    import framing.corpus as corpus
    from framing.run.config import ConfigError, load_config

    if args.config is None and args.path is None:
        raise ConfigError(f"framing {args.command} needs a corpus PATH or --config FILE")
    overrides = _mapping_overrides(args)
    if args.path:
        overrides["corpus.path"] = args.path
    cfg = load_config(args.config, overrides=overrides).corpus
    return corpus.load_corpus(cfg.path, **cfg.mapping())


def _cmd_outlets(args: argparse.Namespace) -> int:
    from framing.corpus.outlets import aliases_yaml, suggest_aliases
    from framing.export import atomic_write_text
    from framing.run.config import ConfigError

    target = Path(args.write) if args.write else None
    if target is not None and target.exists() and not args.force:
        raise ConfigError(f"--write {target}: the file exists; nothing was written (--force)")
    articles = _load_articles(args)
    column = "outlet_original" if "outlet_original" in articles else "outlet"
    counts = articles[column].fillna("").value_counts()
    width = max([len(o or "(none)") for o in counts.index] + [7])
    print(f"{len(counts)} outlet spelling(s) in {len(articles)} articles:")
    for name, n in counts.items():
        print(f"  {name or '(none)':<{width}}  {n:>7}")
    groups = suggest_aliases({str(k): int(v) for k, v in counts.items()})
    text = aliases_yaml(groups, counts.to_dict())
    if not groups:
        print("No spellings look alike.")
    else:
        print(f"{len(groups)} suggested group(s) (check them; edit the file before use):")
        for canonical, others in groups.items():
            print(f"  {canonical} <- {', '.join(others)}")
    if target is None:
        print("\nStarter alias file (save it with --write FILE):\n")
        print(text, end="")
    else:
        atomic_write_text(target, text)
        print(f"wrote {target}; use it with --outlet-aliases {target}")
    return EXIT_OK


def _cmd_corpus(args: argparse.Namespace) -> int:
    import framing.corpus as corpus

    articles = _load_articles(args)
    print(corpus.format_summary(corpus.summarize_corpus(articles)))
    return EXIT_OK


_COMMANDS = {
    "run": _cmd_run,
    "init": _cmd_init,
    "corpus": _cmd_corpus,
    "outlets": _cmd_outlets,
}


_SHOWN: set[str] = set()


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Print each distinct warning once, without the code location."""
    text = str(message)
    if text not in _SHOWN:
        _SHOWN.add(text)
        print(f"framing: warning: {text}", file=sys.stderr)


def _listed_in_output(command: str) -> None:
    """Silence on stderr the warnings a command lists in its own output."""
    if command == "corpus":  # the summary ends with every loading warning
        from framing.corpus.problems import CorpusWarning

        warnings.filterwarnings("ignore", category=CorpusWarning)


_WRITE_ERRORS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT}


def _write_error_message(exc: OSError) -> str | None:
    """Return a plain message for a file that cannot be written (permission, disk)."""
    if exc.errno not in _WRITE_ERRORS:
        return None
    where = exc.filename or "a file"
    advice = (
        "free some disk space"
        if exc.errno in (errno.ENOSPC, errno.EDQUOT)
        else "choose a folder you can write to"
    )
    return f"cannot write {where}: {exc.strerror or exc}; {advice}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``framing`` command; returns the exit code (see the module docstring)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if not args.debug:
        warnings.showwarning = _show_warning
        _listed_in_output(args.command)
    if not interactive():
        # a log file, not a terminal: the libraries' tqdm bars (sentence-transformers'
        # "Batches") would write thousands of \r updates; framing's own progress
        # prints plain lines instead, and a heartbeat covers the libraries' work
        os.environ.setdefault("TQDM_DISABLE", "1")
    from framing.corpus.options import cli_hints

    try:
        with cli_hints():  # hints in messages name flags, not keyword arguments
            return _COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print(
            "framing: interrupted; finished steps are saved, re-run the same command to resume",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    except _expected_errors() as exc:
        if args.debug:
            traceback.print_exc()
        print(f"framing: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        message = _write_error_message(exc) if isinstance(exc, OSError) else None
        if message is not None:
            if args.debug:
                traceback.print_exc()
            print(f"framing: error: {message}", file=sys.stderr)
            return EXIT_USAGE
        traceback.print_exc()
        print(
            "framing: unexpected error (a bug; please report it with the traceback above)",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
