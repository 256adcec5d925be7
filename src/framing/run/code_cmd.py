"""``framing code``: the coding loop on the command line (issue 16).

``framing code propose`` writes the next units to code as a CSV sheet (with the
article title and neighbouring sentences); the coder fills its ``labels`` column;
``framing code add SHEET`` validates the sheet and adds its codes to the codes file
(``frames.coded``, atomically); ``framing code report`` prints and writes the
agreement between coders, the cross-validated report of the classifier (trained or
reused as ``framing run`` does) and the learning curve. ``framing run`` with
``frames.method = "supervised"`` then applies the model to the corpus.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["add_code_parser", "cmd_code"]


def add_code_parser(sub: Any) -> None:
    """Register ``framing code`` and its sub-commands on the CLI's sub-parsers."""
    code = sub.add_parser(
        "code",
        help="code units for the supervised frame classifier (propose, add, report)",
        description=__doc__.split("\n\n")[1].replace("\n", " "),
    )
    code.add_argument("action", choices=("propose", "add", "report"))
    code.add_argument("sheet", nargs="?", help="add: the filled-in sheet (CSV)")
    code.add_argument("--config", metavar="FILE", help="TOML run configuration")
    code.add_argument("--coder", default="coder_1", help="coder name (default: coder_1)")
    code.add_argument("-n", type=int, default=20, help="propose: units to propose (default 20)")
    code.add_argument("--codes", metavar="CSV", help="codes file (default: frames.coded)")


def _loop(args: argparse.Namespace) -> Any:
    from framing.frames.active import CodingLoop
    from framing.run.config import ConfigError, load_config
    from framing.run.runner import run_all

    cfg = load_config(args.config)
    codes = args.codes or cfg.frames.coded
    if not codes:
        raise ConfigError(
            "framing code needs a codes file: set frames.coded in the config or pass --codes"
        )
    tables = run_all(cfg, steps="corpus,units", show_progress=False)
    loop = CodingLoop(
        tables["units"],
        cfg.frames.frame_set,
        codes,
        articles=tables["articles"],
        mode=cfg.frames.mode,
        model=cfg.topics.embedding_model or None,
        cache_dir=cfg.out_dir / "cache" / "embeddings",
        random_state=cfg.seeds.random_state,
    )
    return cfg, loop


def cmd_code(args: argparse.Namespace) -> int:
    """Run ``framing code ACTION``; returns the exit code."""
    from framing.export import atomic_write_text

    cfg, loop = _loop(args)
    if args.action == "propose":
        picked = loop.propose(args.n, coder=args.coder)
        rows = []
        for uid in picked["unit_id"]:
            c = loop.context(uid)
            rows.append(
                {
                    "unit_id": uid,
                    "coder": args.coder,
                    "labels": "",
                    "title": c["title"],
                    "before": " ".join(c["before"]),
                    "text": c["text"],
                    "after": " ".join(c["after"]),
                }
            )
        sheet = loop.path.with_name(f"todo_{args.coder}.csv")
        atomic_write_text(sheet, pd.DataFrame(rows).to_csv(index=False))
        valid = ", ".join([*loop.keys, "none", "unsure"])
        config = f" --config {args.config}" if args.config else ""
        print(
            f"framing: {len(rows)} units to code in {sheet}; fill 'labels' ({valid}) and run "
            f"`framing code add {sheet}{config}`",
            file=sys.stderr,
        )
        return 0
    if args.action == "add":
        from framing.frames.codes import read_codes, record_code

        if not args.sheet:
            raise FileNotFoundError("framing code add needs the filled-in sheet: SHEET")
        sheet = pd.read_csv(args.sheet, dtype=str, keep_default_na=False)
        filled = sheet[sheet.get("labels", pd.Series("", index=sheet.index)).str.strip() != ""]
        checked = read_codes(
            filled.reset_index(drop=True), loop.frames, units=loop.units, mode=loop.mode
        )
        for row in checked.itertuples(index=False):
            loop.codes = record_code(
                loop.codes, loop.path, loop.unit(row.unit_id), row.coder, row.labels
            )
        print(
            f"framing: {len(checked)} codes added to {loop.path} "
            f"({len(sheet) - len(filled)} rows left empty)",
            file=sys.stderr,
        )
        return 0
    from framing.run.steps.frames import frame_classifier

    tables_dir = Path(cfg.out_dir) / "tables"
    agreement = loop.agreement()
    clf = frame_classifier(cfg, loop.training_table(), Path(cfg.out_dir) / "cache")
    curve = loop.learning_curve()
    for name, table in (
        ("coding_agreement", agreement),
        ("coding_cv_report", clf.cv_report.reset_index()),
        ("coding_learning_curve", curve),
    ):
        atomic_write_text(tables_dir / f"{name}.csv", table.to_csv(index=False))
    if agreement.empty or int(agreement["n_units"].max()) == 0:
        print(
            "agreement between coders: no unit has codes from two coders yet. For it, give "
            "a second coder a copy of a sheet you coded, with 'labels' emptied and 'coder' "
            "set to their name, and `framing code add` it when filled"
        )
    else:
        table = agreement.to_string(index=False)
        print(f"agreement between coders (Krippendorff's alpha):\n{table}")
    print(
        f"\nclassifier: {clf.backend} on {clf.features} ({clf.mode}-label), "
        f"{clf.params['n_coded']} coded units"
    )
    print(clf.cv_report.round(3).to_string())
    print(f"\nlearning curve:\n{curve.round(3).to_string(index=False)}")
    return 0
