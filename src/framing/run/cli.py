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
import os
import sys
import traceback
import warnings
from collections.abc import Sequence

from framing.run.cli_commands import (
    _COMMANDS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_UNEXPECTED,
    EXIT_USAGE,
)
from framing.run.cli_errors import (
    _SHOWN,
    _expected_errors,
    _listed_in_output,
    _show_warning,
    _write_error_message,
)
from framing.run.cli_parser import build_parser

__all__ = ["build_parser", "main"]
__all__ += ["EXIT_INTERRUPTED", "EXIT_OK", "EXIT_UNEXPECTED", "EXIT_USAGE"]  # re-exported


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``framing`` command; returns the exit code (see the module docstring)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    # The process-wide settings below (warning display, tqdm) are restored on return,
    # so that calling main() from Python or a notebook leaves the caller's as they were.
    saved_tqdm = os.environ.get("TQDM_DISABLE")
    _SHOWN.clear()  # each command prints each distinct warning once
    with warnings.catch_warnings():
        try:
            return _main(args)
        finally:
            if saved_tqdm is None:
                os.environ.pop("TQDM_DISABLE", None)
            else:
                os.environ["TQDM_DISABLE"] = saved_tqdm


def _main(args: argparse.Namespace) -> int:
    if not args.debug:
        warnings.showwarning = _show_warning
        _listed_in_output(args.command)
    from framing.corpus.options import cli_hints

    try:
        # hints in messages name flags, not keyword arguments
        with cli_hints(getattr(args, "config", None)):
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
