"""The line cleaner for structured bodies: context-free chrome lines out, the rest as is.

A body from a CSV or JSON record is already the article, without the page around
it, so the page model of :func:`framing.corpus.clean.clean_page` (headline,
standfirst, story lists) does not apply: on a short body it would take the first
line for a headline. Site chrome still gets into such bodies (player controls,
share prompts, "Read more" links), one line at a time. :func:`clean_lines`
removes exactly the lines :func:`framing.corpus.clean.chrome_reason` classifies
as chrome on their own features, and keeps every other line unchanged (no
whitespace normalisation, no re-joined paragraphs), so a body without chrome is
returned byte for byte.
"""

from __future__ import annotations

import re

import pandas as pd

from framing.corpus.clean.audit import CleanedPage, RemovedLine
from framing.corpus.clean.prompts import _chrome_cached

__all__ = ["clean_lines"]

_BLANK_RUNS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+\n")


def clean_lines(text: str) -> CleanedPage:
    """Remove the lines of ``text`` that are site chrome on their own features.

    Parameters
    ----------
    text : str
        A body from a structured record.

    Returns
    -------
    CleanedPage
        ``text`` without the removed lines (a gap they leave is at most one blank
        line; the ends are stripped), ``removed`` with each removed line, its
        1-based line number and its reason; no title, author, date or standfirst.

    Examples
    --------
    >>> page = clean_lines("Talks resumed in Geneva on Monday.\\nShare this article\\nMore.")
    >>> page.text, [(r.line_no, r.reason) for r in page.removed]
    ('Talks resumed in Geneva on Monday.\\nMore.', [(2, 'share_prompt')])
    """
    lines = text.split("\n")
    kept: list[str] = []
    removed: list[RemovedLine] = []
    for no, line in enumerate(lines, start=1):
        stripped = line.strip()
        reason = _chrome_cached(stripped) if stripped else None
        if reason is None:
            kept.append(line)
        else:
            removed.append(RemovedLine(line_no=no, text=stripped, reason=reason))
    body = "\n".join(kept) if removed else text
    if removed:
        body = _BLANK_RUNS.sub("\n\n", body)
    return CleanedPage(
        text=body.strip(),
        title="",
        author="",
        published=pd.NaT,
        standfirst="",
        removed=tuple(removed),
    )
