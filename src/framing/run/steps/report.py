"""Step ``report``: ``report.html``, self-contained (:mod:`framing.run.report`)."""

from __future__ import annotations

import json

from framing.export import atomic_write_text
from framing.run.context import StepContext, StepResult
from framing.run.report import build_report


def run(ctx: StepContext) -> StepResult:
    """Build the report from every table of the run and the figures folder."""
    path = ctx.out / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    html = build_report(
        ctx.tables,
        ctx.out / "figures",
        manifest=manifest,
        figure_names=ctx.meta.get("figures", {}).get("figures"),
    )
    atomic_write_text(ctx.out / "report.html", html)
    return StepResult(files=["report.html"], counts={"bytes": len(html.encode("utf-8"))})
