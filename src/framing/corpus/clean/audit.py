"""What the cleaner removed and why: the reason vocabulary, the page record, audit tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = ["REASONS", "CleanedPage", "RemovedLine", "audit_table", "removed_report"]


#: Why a line was removed. Every :class:`RemovedLine` carries one of these.
REASONS: dict[str, str] = {
    "site_slogan": "site name, tagline or navigation text above the headline",
    "breadcrumb": "navigation path such as 'Home » News » …' (headline text kept as title)",
    "headline": "the headline, or a repetition of it",
    "standfirst": "the summary line between headline and body, or a repetition of it",
    "byline": "author line ('By Jane Doe'); the names go to ``author``",
    "dateline": "a line that is only a date stamp; the date goes to ``published``",
    "related_list": "a list of other stories, with or without a 'Related' header",
    "read_more_list": "a 'Read more:' link, or the list that follows such a header",
    "tags": "topic tags or categories ('Topics: Housing, City Council')",
    "newsletter": "newsletter or e-mail sign-up prompt",
    "video_player": "video-player controls and debris ('0:00', 'Close', 'Watch:')",
    "advertisement": "advertisement or sponsored-content label",
    "comment_prompt": "comment-section prompts and form labels",
    "share_prompt": "share buttons and prompts",
    "reader_question": "questions addressed to the reader to start a discussion",
    "adblock_notice": "ad-blocker notice",
    "cookie_notice": "cookie or privacy-consent banner",
    "spam_notice": "anti-spam notice of a comment form",
    "paywall": "subscription teaser or paywall notice",
    "photo_credit": "photo caption with a credit, or a bare credit line",
    "callout": "boxed aside ('Did you know?', 'Pro tip:')",
    "footer_menu": "footer menu, copyright or legal line",
    "empty_heading": "a heading whose section holds no body text",
    "tail_chrome": "other short non-prose lines after the end of the body",
}


# ----------------------------------------------------------------------------- records


@dataclass(frozen=True)
class RemovedLine:
    """One input line that :func:`clean_page` did not keep in the body.

    Attributes
    ----------
    line_no : int
        1-based line number in the input text (after CRLF normalisation).
    text : str
        The line, whitespace-normalised.
    reason : str
        One of the keys of :data:`REASONS`.
    """

    line_no: int
    text: str
    reason: str


@dataclass(frozen=True)
class CleanedPage:
    """The result of :func:`clean_page`.

    Attributes
    ----------
    text : str
        The article body: paragraphs joined by ``"\\n\\n"``; ``""`` when none.
    title : str
        The headline; ``""`` when none was found.
    author : str
        Byline name(s) joined by ``"; "``; ``""`` when none.
    published : pandas.Timestamp
        Date from a date stamp near the top (timezone-naive, UTC); ``NaT`` if none.
    standfirst : str
        The summary line under the headline; ``""`` when none.
    removed : tuple of RemovedLine
        Every non-blank input line that is not in ``text``, in input order.
    """

    text: str
    title: str
    author: str
    published: Any
    standfirst: str
    removed: tuple[RemovedLine, ...]

    @property
    def n_removed(self) -> int:
        """Number of removed (non-blank) input lines."""
        return len(self.removed)


# ---------------------------------------------------------------------------- reports

_REPORT_COLUMNS = ["line_no", "reason", "text"]


def removed_report(page_or_pages: CleanedPage | Iterable[CleanedPage]) -> pd.DataFrame:
    """Tabulate the removed lines of one page (or several, in order).

    Parameters
    ----------
    page_or_pages : CleanedPage or iterable of CleanedPage

    Returns
    -------
    pandas.DataFrame
        Columns ``line_no`` (int64, 1-based input line), ``reason`` and ``text``;
        one row per removed line. For several pages, a ``page`` column (0-based
        position) comes first.

    Examples
    --------
    >>> from framing.corpus.clean import clean_page
    >>> removed_report(clean_page("Share this article\\n\\nThe talks resumed on Monday."))
       line_no        reason                text
    0        1  share_prompt  Share this article
    """
    if isinstance(page_or_pages, CleanedPage):
        rows = [(r.line_no, r.reason, r.text) for r in page_or_pages.removed]
        return pd.DataFrame(rows, columns=_REPORT_COLUMNS).astype({"line_no": "int64"})
    rows2 = [
        (i, r.line_no, r.reason, r.text)
        for i, page in enumerate(page_or_pages)
        for r in page.removed
    ]
    return pd.DataFrame(rows2, columns=["page", *_REPORT_COLUMNS]).astype(
        {"page": "int64", "line_no": "int64"}
    )


def audit_table(cleaned: Mapping[str, CleanedPage]) -> pd.DataFrame:
    """Return the removal audit of a corpus: one row per removed line, by ``article_id``.

    Parameters
    ----------
    cleaned : mapping of str to CleanedPage
        ``article_id`` -> the page's :class:`CleanedPage`.

    Returns
    -------
    pandas.DataFrame
        Columns ``article_id``, ``line_no``, ``reason``, ``text``, in the mapping's
        order and input line order.

    Examples
    --------
    >>> from framing.corpus.clean import clean_page
    >>> audit_table({"a1": clean_page("Leave a Comment\\nThe talks resumed on Monday.")})
      article_id  line_no          reason             text
    0         a1        1  comment_prompt  Leave a Comment
    """
    rows = [
        (article_id, r.line_no, r.reason, r.text)
        for article_id, page in cleaned.items()
        for r in page.removed
    ]
    return pd.DataFrame(rows, columns=["article_id", *_REPORT_COLUMNS]).astype(
        {"line_no": "int64"}
    )
