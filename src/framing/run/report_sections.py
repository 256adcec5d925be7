"""The sections of ``report.html``: what each shows, its caveat, banners, run details.

:data:`SECTIONS` lists, per section, the figure-name prefixes, the tables with their
captions and the caveat printed next to the results; the banners warn when frames
are not validated or stories cannot be compared; :func:`_run_details` shows the
steps, package versions and provenance from the manifest.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd

from framing import __version__
from framing.run.report_tables import _table_block, table_html

__all__ = ["SECTIONS"]

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
            (
                "topic_stability",
                "Topic stability: two models fitted on disjoint samples, compared on "
                "articles in neither (adjusted Rand 1 = same topics, 0 = chance)",
            ),
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
            ("frame_prevalence", "Per outlet, mean over articles of the {measure}"),
            ("frame_pairwise", "Pairwise outlet differences (diff = a - b) in the {measure}"),
            (
                "frame_contrast",
                "Frame contrast per outlet: first minus second frame per article, in the "
                "{measure} (positive = more of the first frame)",
            ),
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


def frame_measure(tables: Mapping[str, pd.DataFrame]) -> str:
    """Return the words for the frame number the run compared (tables' ``measure``).

    Fills ``{measure}`` in the frame table captions. A table written before the
    column existed was computed from ``share``.
    """
    for name in ("frame_prevalence", "frame_pairwise", "frame_contrast"):
        table = tables.get(name)
        if table is not None and "measure" in table.columns and len(table):
            return str(table["measure"].iloc[0])
    return "frame share (0-1)"


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


#: Coverage-window warnings spelled out in the Stories banner; the rest are counted.
_MAX_WINDOW_NOTES = 3


def _story_banner(tables: Mapping[str, pd.DataFrame]) -> str:
    """Warnings for the Stories section: different coverage windows, no comparison."""
    notes = []
    windows = tables.get("story_coverage_windows")
    if windows is not None and "note" in windows:
        differ = [n for n in windows["note"] if isinstance(n, str) and n]
        notes += differ[:_MAX_WINDOW_NOTES]
        if len(differ) > _MAX_WINDOW_NOTES:
            notes.append(
                f"coverage windows differ for {len(differ) - _MAX_WINDOW_NOTES} more outlet "
                "pair(s): see the table 'Coverage windows of each pair of outlets'"
            )
    matched = tables.get("story_matched_differences")
    if matched is not None and matched.empty:
        notes.append(
            "No story-matched comparison: "
            + str(matched.attrs.get("reason", "no two outlets cover a common story"))
        )
    return "".join(f'<p class="caveat"><b>Warning:</b> {html.escape(n)}</p>' for n in notes)
