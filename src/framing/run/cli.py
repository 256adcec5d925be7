"""The ``framing`` command line: parses arguments and calls the package, nothing more.

Commands::

    framing run [CORPUS] [--out DIR] [--config FILE] [--only STEPS] [--set KEY=VALUE]
    framing init DIR [--corpus PATH] [--force]
    framing corpus PATH [mapping options]
    framing --version

Exit codes: 0 success; 2 a usage, configuration or corpus error (the message says
what to change; no traceback); 1 an unexpected error (a bug: the traceback is
printed); 130 interrupted (re-run the same command to resume).
"""

from __future__ import annotations

import argparse
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
from framing.run.code_cmd import add_code_parser, cmd_code

__all__ = ["build_parser", "main"]

EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
_CORPUS_EXTENSIONS = {".txt", ".html", ".htm", ".json", ".jsonl", ".csv", ".tsv", ".parquet"}
_MANIFEST_COLUMNS = ("file", "outlet", "published", "title", "author", "url", "language")


def _expected_errors() -> tuple[type[BaseException], ...]:
    """Error classes that mean "fix your input", reported without a traceback."""
    from framing.run.config import ConfigError
    from framing.run.runner import RunError
    from framing.schema import SchemaError

    errors: list[type[BaseException]] = [ConfigError, RunError, SchemaError, FileNotFoundError]
    for module, name in (
        ("framing.corpus", "CorpusError"),
        ("framing.frames", "FrameSetError"),
        ("framing.frames.coding", "CodingSheetError"),
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
    import framing.corpus.load as corpus

    corpus.add_mapping_arguments(parser)


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
    run.add_argument(
        "--only",
        metavar="STEPS",
        help=(
            "comma-separated steps to run: corpus, units, sentiment, topics, frames, "
            "compare, figures, report; the steps they read are reloaded from the "
            "output folder"
        ),
    )
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
    summary.add_argument("path", metavar="PATH", help="corpus folder or file")
    _add_mapping_arguments(summary)
    add_code_parser(sub)  # issue 16: framing code propose/add/report
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

    import framing.corpus.load as corpus
    from framing.run.config import ConfigError, CorpusConfig

    mapping = corpus.mapping_from_args(args)
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

    overrides: dict[str, Any] = dict(_parse_setting(s) for s in args.settings)
    overrides.update(_mapping_overrides(args))
    if args.corpus:
        overrides["corpus.path"] = args.corpus
    if args.out:
        overrides["output.dir"] = args.out
    cfg = load_config(args.config, overrides=overrides)
    tables = run_all(cfg, steps=args.only, force=args.force, show_progress=not args.quiet)
    out = cfg.out_dir.resolve()
    if not args.quiet:
        report = out / "report.html"
        where = f"; open {report}" if report.exists() else ""
        print(f"framing: results in {out} ({len(tables)} tables){where}", file=sys.stderr)
    return EXIT_OK


def _relative(target: Path, start: Path) -> str:
    try:
        return Path(os.path.relpath(target, start)).as_posix()
    except ValueError:  # other drive on Windows
        return str(target)


def _cmd_init(args: argparse.Namespace) -> int:
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
    files = _corpus_files(corpus)
    root = corpus.parent if corpus.is_file() else corpus
    rows = [",".join(_MANIFEST_COLUMNS)]
    for path in files:
        rows.append(
            _csv_field(path.relative_to(root).as_posix()) + "," * (len(_MANIFEST_COLUMNS) - 1)
        )
    atomic_write_text(config_path, header + text)
    atomic_write_text(manifest_path, "\n".join(rows) + "\n")
    print(f"wrote {config_path}")
    print(
        f"wrote {manifest_path} ({len(files)} corpus file(s); fill in outlet, published, "
        "title, author, url, language where you know them, leave the rest empty)"
    )
    print(f"next: framing corpus {_relative(corpus, Path.cwd())}  (check the summary), then")
    print(f"      framing run --config {_relative(config_path, Path.cwd())}")
    return EXIT_OK


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _csv_field(value: str) -> str:
    if any(c in value for c in ',"\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _corpus_files(corpus: Path) -> list[Path]:
    if corpus.is_file():
        return [corpus]
    from framing.corpus.readers import is_documentation_file

    skip = {"framing.toml", "manifest.csv"}
    return [
        p
        for p in sorted(corpus.rglob("*"))
        if p.is_file()
        and p.suffix.lower() in _CORPUS_EXTENSIONS
        and p.name.lower() not in skip
        and not is_documentation_file(p.name)
        and not any(part.startswith(".") for part in p.relative_to(corpus).parts)
    ]


def _cmd_corpus(args: argparse.Namespace) -> int:
    import framing.corpus.load as corpus

    mapping = corpus.mapping_from_args(args)
    articles = corpus.load_corpus(args.path, **mapping)
    print(corpus.format_summary(corpus.summarize_corpus(articles)))
    return EXIT_OK


_COMMANDS = {"run": _cmd_run, "init": _cmd_init, "corpus": _cmd_corpus, "code": cmd_code}


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print(f"framing: warning: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``framing`` command; returns the exit code (see the module docstring)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if not args.debug:
        warnings.showwarning = _show_warning
    try:
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
    except Exception:
        traceback.print_exc()
        print(
            "framing: unexpected error (a bug; please report it with the traceback above)",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
