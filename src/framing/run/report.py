"""``report.html``: one self-contained page with every figure and the key tables.

The page has no external resource: CSS is inline and figures are embedded as
``data:`` URIs (the SVG when the run wrote one, else the PNG), so it can be mailed,
archived or opened offline. Tables are the run's own tables (numbers are never
re-computed here); long tables show their first rows and name the CSV holding all
of them. The caveats that travel with each method are printed next to its results.
"""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing import __version__

__all__ = ["OPEN_ROWS", "SECTIONS", "build_report", "figure_data_uri", "table_html"]

#: Tables with more rows start collapsed (a click shows them).
OPEN_ROWS = 10

# (section title, figure-name prefixes, tables (name, caption), caveat)
SECTIONS: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, str], ...], str], ...] = (
    (
        "Corpus",
        ("corpus",),
        (
            ("corpus_overview", "The corpus in numbers"),
            ("corpus_by_outlet", "Articles, words and dates per outlet"),
            ("cleaning_summary", "Lines removed by the cleaner, by reason"),
            ("corpus_skipped", "Items skipped while loading, with the reason"),
        ),
        "Outlet and date come from the corpus metadata. Check the cleaning audit "
        "(tables/cleaning_audit.csv) to confirm that no line of an article body was "
        "removed.",
    ),
    (
        "Sentiment",
        ("sentiment", "actor"),
        (
            ("sentiment_by_outlet", "Mean VADER compound per outlet (article level)"),
            ("sentiment_pairwise", "Pairwise outlet differences (diff = a - b)"),
            ("actor_sentiment_by_outlet", "Sentiment of sentences naming each actor"),
        ),
        "VADER (Hutto & Gilbert 2014) is a lexicon built for English social-media text; "
        "an article's score is the mean of its sentences' compound scores. It measures "
        "the tone of the wording, not the outlet's stance, and is English-only.",
    ),
    (
        "Topics",
        ("topic",),
        (
            ("topic_info", "Topics: size and top terms"),
            ("topics_by_outlet", "Topic shares per outlet"),
            ("topic_documents", "The documents most firmly in each topic"),
        ),
        "Topics are clusters of similar wording (BERTopic, Grootendorst 2022), not "
        "frames. On a small corpus they are unstable; read the documents behind a "
        "topic before naming it.",
    ),
    (
        "Frames",
        ("frame", "keyness"),
        (
            ("frame_summary", "What each frame score measures here: coverage, validation, notes"),
            ("frame_prevalence", "Share of units carrying each frame, per outlet"),
            ("frame_pairwise", "Pairwise outlet differences in frame share (diff = a - b)"),
            ("frame_contrast", "Frame contrast per outlet (positive = more of the first frame)"),
            ("frame_exemplars", "Exemplar sentences: what each frame score measures"),
            ("frame_cv_report", "Supervised frames: cross-validated precision, recall, F1"),
            ("keyness", "Key terms per outlet (log-odds with informative prior, z > 0 = typical)"),
        ),
        "Frame dictionaries and similarity thresholds are starting points that need "
        "validation on your own corpus: code a sample (05_validation) and report "
        "agreement before trusting the numbers.",
    ),
    (
        "Stories",
        ("story",),
        (
            ("story_selection", "Selection: the multi-outlet stories each outlet covers"),
            (
                "story_matched_differences",
                "Raw vs story-matched outlet differences (diff = a - b; matched: within "
                "stories both cover, story bootstrap CI, paired permutation, BH)",
            ),
            ("story_coverage_windows", "Coverage windows of each pair of outlets"),
            ("story_exemplars", "One story told by each outlet: top sentences for a frame"),
            ("story_summary", "Stories: dates, outlets, size, label"),
        ),
        "Stories group articles about the same event across outlets (TF-IDF and "
        "embeddings within a date window, Leiden communities; framing.stories). A raw "
        "difference mixes which stories an outlet covers (selection) with how it tells "
        "them (presentation); the story-matched difference keeps only the second. "
        "Stories are found automatically: read a few before relying on them.",
    ),
)
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


def figure_data_uri(path: Path) -> str:
    """Return ``path`` (an SVG or PNG file) as a base64 ``data:`` URI."""
    mime = {".svg": "image/svg+xml", ".png": "image/png"}[path.suffix.lower()]
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _fmt(value: Any) -> str:
    if value is None or value is pd.NaT:
        return "–"
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        if abs(value) >= 1000:
            return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
        return f"{value:.2e}" if value and abs(value) < 1e-3 else f"{value:.3f}"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def _number_format(column: pd.Series) -> str:
    """One format for a whole numeric column (so 531 and 1,323 look alike).

    Whole numbers get thousands separators; other columns 3 decimals, 1 decimal when
    a value reaches 1,000, or scientific notation when a non-zero value is below
    0.001 (p-values).
    """
    if pd.api.types.is_bool_dtype(column):
        return ""
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    finite = values[np.isfinite(values)]
    if pd.api.types.is_integer_dtype(column) or (
        finite.size and np.array_equal(finite, np.round(finite))
    ):
        return ",.0f"
    if finite.size and np.abs(finite).max() >= 1000:
        return ",.1f"
    if finite.size and ((finite != 0) & (np.abs(finite) < 1e-3)).any():
        return ".2e"
    return ".3f"


def _cell(value: Any, number_format: str | None) -> str:
    if (
        number_format
        and isinstance(value, int | float | np.number)
        and not isinstance(value, bool | np.bool_)
    ):
        return "–" if value != value else format(value, number_format)
    return _fmt(value)


def _is_text(column: pd.Series) -> bool:
    """Long free text (notes, exemplars, documents): gets room and wraps."""
    if not (pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)):
        return False
    lengths = column.dropna().astype(str).str.len()
    return bool(len(lengths)) and (lengths.max() > 60 or lengths.median() > 30)


def table_html(table: pd.DataFrame, *, max_rows: int = 25, name: str | None = None) -> str:
    """Render ``table`` as an escaped HTML table (first ``max_rows`` rows).

    Each numeric column has one number format (:func:`_number_format`); long text
    columns are marked ``class="text"`` so that they get room and wrap.

    Examples
    --------
    >>> html_text = table_html(pd.DataFrame({"outlet": ["<a>"], "mean": [0.5]}))
    >>> html_text[html_text.index("<tbody>"):]
    '<tbody><tr><td>&lt;a&gt;</td><td class="num">0.500</td></tr></tbody></table>'
    """
    shown = table.head(max_rows)
    formats = {
        c: _number_format(shown[c])
        for c in table.columns
        if pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])
    }
    text = {c for c in table.columns if c not in formats and _is_text(shown[c])}
    classes = {
        c: ' class="num"' if c in formats else ' class="text"' if c in text else ""
        for c in table.columns
    }
    head = "".join(f"<th{classes[c]}>{html.escape(str(c))}</th>" for c in table.columns)
    rows = []
    for record in shown.itertuples(index=False):
        cells = "".join(
            f"<td{classes[col]}>{html.escape(_cell(value, formats.get(col)))}</td>"
            for col, value in zip(table.columns, record, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    out = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    if len(table) > max_rows:
        where = f" (all rows in tables/{name}.csv)" if name else ""
        out += f'<p class="note">First {max_rows} of {len(table)} rows{where}.</p>'
    return out


def _table_block(caption: str, table: pd.DataFrame, name: str | None = None) -> str:
    """Return a captioned table; one longer than :data:`OPEN_ROWS` rows starts collapsed."""
    if table.empty:
        return f'<h3>{html.escape(caption)}</h3><p class="note">(none)</p>'
    body = table_html(table, name=name)
    if len(table) <= OPEN_ROWS:
        return f"<h3>{html.escape(caption)}</h3>{body}"
    return (
        f"<details><summary>{html.escape(caption)} "
        f'<span class="note">({len(table)} rows; click to show)</span></summary>'
        f"{body}</details>"
    )


def _figure_files(figures_dir: Path, names: Sequence[str] | None) -> dict[str, Path]:
    """Figure name -> the file to embed (SVG preferred, else PNG), in ``names`` order."""
    found: dict[str, Path] = {}
    if not figures_dir.is_dir():
        return found
    stems = sorted({p.stem for p in figures_dir.iterdir() if not p.name.startswith(".")})
    if names is not None:
        stems = [n for n in names if n in set(stems)]
    for stem in stems:
        for ext in (".svg", ".png"):
            candidate = figures_dir / f"{stem}{ext}"
            if candidate.exists():
                found[stem] = candidate
                break
    return found


_SVG_WIDTH = re.compile(rb'<svg[^>]*?\swidth="([0-9.]+)(pt|px)?"', re.S)
_DISPLAY_SCALE = 1.6  # figures are drawn at print size (3.5 or 7.2 in); enlarge on screen


def _display_width(path: Path) -> int | None:
    """Screen width in CSS px: the figure's print width x ``_DISPLAY_SCALE``."""
    data = path.read_bytes()
    if path.suffix.lower() == ".svg":
        match = _SVG_WIDTH.search(data[:4000])
        if not match:
            return None
        width = float(match.group(1)) * (4 / 3 if match.group(2) in (b"pt", None) else 1)
    else:
        if data[:8] != b"\x89PNG\r\n\x1a\n":
            return None
        # PNGs are written at 300 dpi; a CSS px is 1/96 in
        width = int.from_bytes(data[16:20], "big") * 96 / 300
    return round(width * _DISPLAY_SCALE)


def _figure_html(name: str, path: Path) -> str:
    caption = html.escape(name.replace("_", " "))
    width = _display_width(path)
    size = f' style="width:{width}px"' if width else ""
    return (
        f'<figure id="fig-{html.escape(name)}"><img alt="{caption}"{size} '
        f'src="{figure_data_uri(path)}"><figcaption>{caption} '
        f"(figures/{html.escape(name)}.*)</figcaption></figure>"
    )


def _run_details(manifest: Mapping[str, Any]) -> str:
    stages = manifest.get("stages", {})
    rows = []
    for step, info in stages.items():
        counts = info.get("counts", {}) if isinstance(info, Mapping) else {}
        rows.append(
            {
                "step": step,
                "status": info.get("status", "") if isinstance(info, Mapping) else "",
                "seconds": info.get("seconds", float("nan"))
                if isinstance(info, Mapping)
                else float("nan"),
                "counts": ", ".join(f"{k}={v}" for k, v in counts.items()),
            }
        )
    parts = ['<h2 id="run">Run details</h2>']
    if rows:
        parts.append(table_html(pd.DataFrame(rows), max_rows=50))
    packages = manifest.get("packages") or {}
    if packages:
        versions = pd.DataFrame(
            {
                "package": list(packages),
                "version": [v or "not installed" for v in packages.values()],
            }
        )
        parts.append(_table_block("Package versions", versions))
    frame_set = manifest.get("frame_set")
    actor_set = manifest.get("actor_set")
    facts = [
        ("framing version", manifest.get("framing_version", __version__)),
        ("git commit", manifest.get("git_sha") or "unknown"),
        ("random_state", (manifest.get("seeds") or {}).get("random_state", "")),
        ("input files", (manifest.get("corpus") or {}).get("n_files", "")),
        (
            "frame set",
            f"{frame_set.get('name')} v{frame_set.get('version')}" if frame_set else "–",
        ),
        (
            "actor set",
            f"{actor_set.get('name')} v{actor_set.get('version')}" if actor_set else "–",
        ),
    ]
    parts.append(
        "<h3>Provenance</h3>"
        + table_html(pd.DataFrame(facts, columns=["item", "value"]).astype(str))
        + '<p class="note">The full receipt (configuration, input file hashes, outputs '
        "with sha256) is manifest.json next to this report.</p>"
    )
    return "\n".join(parts)


def _frame_banner(tables: Mapping[str, pd.DataFrame]) -> str:
    """Return the frame section's banner, shown until coded data validates every frame."""
    summary = tables.get("frame_summary")
    if summary is not None and "validated" in summary and len(summary):
        if summary["validated"].astype(bool).all():
            return ""
        missing = summary.loc[~summary["validated"].astype(bool), "frame"].astype(str).tolist()
        which = f" ({len(missing)} of {len(summary)} frames: {', '.join(missing[:6])}" + (
            ", ...)" if len(missing) > 6 else ")"
        )
    else:
        which = ""
    return (
        '<p class="banner"><b>Not validated on this corpus.</b> These frame scores have '
        f"not been checked against human coding of this corpus{html.escape(which)}. "
        "Code a sample (notebook 05_validation) and give it to the run before reporting "
        "them.</p>"
    )


def _story_banner(tables: Mapping[str, pd.DataFrame]) -> str:
    """Warnings for the Stories section: different coverage windows, no comparison."""
    notes = []
    windows = tables.get("story_coverage_windows")
    if windows is not None and "note" in windows:
        notes += [n for n in windows["note"] if isinstance(n, str) and n]
    matched = tables.get("story_matched_differences")
    if matched is not None and matched.empty:
        notes.append(
            "No story-matched comparison: "
            + str(matched.attrs.get("reason", "no two outlets cover a common story"))
        )
    return "".join(f'<p class="caveat"><b>Warning:</b> {html.escape(n)}</p>' for n in notes)


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
        if section == "Stories":
            parts.append(_story_banner(tables))
        parts.append(f'<p class="caveat">{html.escape(caveat)}</p>')
        for fig in section_figures:
            parts.append(_figure_html(fig, figures[fig]))
            used.add(fig)
        for table_name, caption in present:
            parts.append(_table_block(caption, tables[table_name], table_name))
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
