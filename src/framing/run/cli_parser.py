"""The ``framing`` argument parser: every sub-command and its flags.

:func:`build_parser` is re-exported by :mod:`framing.run.cli`; the commands that
the parsed arguments call are in :mod:`framing.run.cli_commands`.
"""

from __future__ import annotations

import argparse

from framing import __version__
from framing.run import registry
from framing.run.code_cmd import add_code_parser

__all__ = ["build_parser"]


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

    add_code_parser(sub)  # issue 16: framing code propose/add/report
    return parser
