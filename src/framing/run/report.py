"""``report.html``: one self-contained page with every figure and the key tables.

The page has no external resource: CSS is inline and figures are embedded as
``data:`` URIs (the SVG when the run wrote one, else the PNG), so it can be mailed,
archived or opened offline. Tables are the run's own tables (numbers are never
re-computed here); long tables show their first rows and name the CSV holding all
of them. The caveats that travel with each method are printed next to its results.

The page and its style are here; tables, figures and the sections' content are in
:mod:`framing.run.report_tables`, :mod:`framing.run.report_figures` and
:mod:`framing.run.report_sections`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from framing import __version__
from framing.run.report_figures import _figure_files, _figure_html, figure_data_uri
from framing.run.report_sections import (
    SECTIONS,
    _frame_banner,
    _run_details,
    _story_banner,
    frame_measure,
)
from framing.run.report_tables import OPEN_ROWS, _table_block, table_html

__all__ = ["OPEN_ROWS", "SECTIONS", "build_report", "figure_data_uri", "table_html"]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;
margin:0 auto;max-width:1100px;padding:1.5em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #0072B2;
padding-bottom:.2em;margin-top:2em}h3{font-size:1.05em;margin:1.2em 0 .4em}
.meta{color:#555;font-size:.9em}.caveat{background:#f4f7fb;border-left:4px solid
#0072B2;padding:.6em .9em;font-size:.92em}figure{margin:1em 0;text-align:center}
figure img{max-width:100%;height:auto;border:1px solid #eee}figcaption{font-size:.85em;
color:#555}table{border-collapse:collapse;font-size:.85em;margin:.4em 0 .2em;
display:block;overflow-x:auto}th,td{padding:.25em .6em;border-bottom:1px solid #ddd;
text-align:left;vertical-align:top}th{background:#f2f2f2}td.num{text-align:right;
font-variant-numeric:tabular-nums}td.text,th.text{min-width:24em;max-width:48em;
white-space:normal;overflow-wrap:break-word}.note{font-size:.8em;color:#666}
details{margin:.8em 0}summary{cursor:pointer;font-weight:600;font-size:1.05em}
summary .note{font-weight:normal}nav a{margin-right:1em}
.banner{background:#fff4e5;border-left:4px solid #D55E00;
padding:.6em .9em;font-size:.95em}
"""


def _stage_meta(manifest: Mapping[str, Any], step: str, key: str) -> Mapping[str, Any]:
    """Return ``manifest["stages"][step]["meta"][key]``, or {} where any level is missing."""
    stage = (manifest.get("stages") or {}).get(step)
    meta = stage.get("meta") if isinstance(stage, Mapping) else None
    value = meta.get(key) if isinstance(meta, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def build_report(
    tables: Mapping[str, pd.DataFrame],
    figures_dir: str | Path,
    *,
    manifest: Mapping[str, Any] | None = None,
    figure_names: Sequence[str] | None = None,
    title: str | None = None,
) -> str:
    """Build the self-contained HTML report of one run.

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        The run's tables by name (as returned by :func:`framing.run.runner.run_all`).
        Sections show the tables listed in :data:`SECTIONS` that are present.
    figures_dir : path-like
        Folder of the run's figures; every figure in it (or every name in
        ``figure_names``) is embedded, SVG preferred over PNG.
    manifest : mapping, optional
        The run manifest, for the header and the run details.
    figure_names : sequence of str, optional
        Restrict the figures to these names (default: every figure in the folder).
    title : str, optional
        Page title; default ``"Framing report: <corpus name>"``.

    Returns
    -------
    str
        The HTML document. It references no external resource.
    """
    manifest = manifest or {}
    corpus = manifest.get("corpus") or {}
    name = corpus.get("name", "corpus")
    title = title or f"Framing report: {name}"
    figures = _figure_files(Path(figures_dir), figure_names)
    used: set[str] = set()
    measure = frame_measure(tables)
    body = []
    nav = []
    for section, prefixes, section_tables, caveat in SECTIONS:
        section_figures = [f for f in figures if f.startswith(prefixes) and f not in used]
        present = [(t, cap) for t, cap in section_tables if t in tables]
        if not section_figures and not present:
            continue
        anchor = section.lower()
        nav.append(f'<a href="#{anchor}">{html.escape(section)}</a>')
        parts = [f'<h2 id="{anchor}">{html.escape(section)}</h2>']
        if section == "Frames":
            parts.append(_frame_banner(tables))
            if "frame_prevalence" in tables:
                parts.append(
                    f'<p class="note">Outlets are compared on the {html.escape(measure)}.</p>'
                )
            left_out = _stage_meta(manifest, "compare", "frame_contrast").get("left_out")
            if left_out:
                parts.append(f'<p class="note">{html.escape(str(left_out))}</p>')
        if section == "Stories":
            parts.append(_story_banner(tables))
        parts.append(f'<p class="caveat">{html.escape(caveat)}</p>')
        for fig in section_figures:
            parts.append(_figure_html(fig, figures[fig]))
            used.add(fig)
        for table_name, caption in present:
            table = tables[table_name]
            if "{measure}" in caption and "measure" in table.columns:
                # the caption names the measure; its column (in the CSV) would repeat it
                table = table.drop(columns="measure")
            caption = caption.replace("{measure}", measure)
            parts.append(_table_block(caption, table, table_name))
        body.append("\n".join(parts))
    rest = [f for f in figures if f not in used]
    pdf_only = sorted(
        p.stem
        for p in Path(figures_dir).glob("*.pdf")
        if p.stem not in figures and (figure_names is None or p.stem in figure_names)
    )
    if rest or pdf_only:
        nav.append('<a href="#other">Other figures</a>')
        parts = ['<h2 id="other">Other figures</h2>']
        parts += [_figure_html(f, figures[f]) for f in rest]
        if pdf_only:
            parts.append(
                '<p class="note">Written as PDF only, so not shown here (add "svg" or '
                '"png" to figures.formats): '
                + ", ".join(f"figures/{html.escape(n)}.pdf" for n in pdf_only)
                + "</p>"
            )
        body.append("".join(parts))
    nav.append('<a href="#run">Run details</a>')
    body.append(_run_details(manifest))
    created = manifest.get("updated") or datetime.now(UTC).isoformat(timespec="seconds")
    source = html.escape(str(corpus.get("source", "")))
    version = html.escape(str(manifest.get("framing_version", __version__)))
    meta = (
        f"Corpus <b>{html.escape(str(name))}</b> from {source}"
        f" &middot; framing-workbench {version} &middot; {html.escape(str(created))}"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f'<h1>{html.escape(title)}</h1><p class="meta">{meta}</p>'
        f"<nav>{''.join(nav)}</nav>\n" + "\n".join(body) + "\n</body></html>\n"
    )
