"""The commands of ``framing``: ``run``, ``init``, ``corpus``, ``outlets`` (and ``code``).

Each takes the parsed arguments (:mod:`framing.run.cli_parser`), calls the package
and returns an exit code; :func:`framing.run.cli.main` picks one from
:data:`_COMMANDS` and turns errors into messages (:mod:`framing.run.cli_errors`).
Analysis modules are imported inside the commands, so that ``framing --help`` stays
fast.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

from framing import __version__
from framing.run.code_cmd import cmd_code

__all__ = ["EXIT_INTERRUPTED", "EXIT_OK", "EXIT_UNEXPECTED", "EXIT_USAGE"]

EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


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
    "code": cmd_code,
}
