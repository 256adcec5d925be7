"""Remove site chrome from scraped news-page text and keep every sentence of the body.

Pure functions, no I/O. :func:`clean_page` turns the text of one scraped page into a
:class:`CleanedPage`: the article body (paragraphs joined by a blank line), the
headline, byline, publication date and standfirst found around it, and an audit of
every removed line (:class:`RemovedLine`), so that a researcher can check that nothing
of the body was lost (:func:`removed_report`, :func:`audit_table`).

How it decides
--------------
The rules use *line features*, never strings of particular sites. This follows the
line-classification idea of boilerplate detection (Kohlschütter, Fankhauser & Nejdl
2010, "Boilerplate detection using shallow text features", WSDM): body text comes in
long lines of prose, chrome in short lines, prompts and runs of link titles.

1. **Normalise**: BOM, CRLF/CR, NBSP and other Unicode spaces, zero-width characters
   and soft hyphens; hard-wrapped blocks are re-joined into paragraphs.
2. **Context-free chrome** (:func:`chrome_reason`): prompt phrases addressed to the
   reader (newsletter, comment, share, ad-block, cookie, spam, paywall), video-player
   controls, advertisement labels, photo credits, callout boxes, footer menus,
   breadcrumbs, bylines (:func:`split_byline`), date stamps
   (:func:`framing.corpus.dates.find_date_line`) and list headers ("Related", "Read more").
   Only lines of at most 60 words are candidates: a long paragraph is always body.
3. **Lists of other stories**: after a list header ("Related Articles", "Read more:")
   the story titles below it are claimed (the first must be headline-like, see
   :func:`headline_like`; a list printed as consecutive lines ends at a blank line).
   Without a header, a block of four or more short, mostly headline-like lines that
   is *not followed by body prose* is a story list; the same block followed by prose
   (a table, a list of points) is body.
4. **Header** (the lines before the first long prose paragraph): the headline is a
   headline-like line repeated on the page, else the first headline-like line of
   three or more words before any prose (on pages with a byline or date stamp, one
   followed by that meta, a standfirst or the body is preferred, Title Case first).
   A headline glued to a breadcrumb or to its standfirst is split off
   (:func:`split_breadcrumb`, :func:`split_glued_title`). Unclassified lines above
   the headline are masthead (``site_slogan``). A standfirst is the line after the
   headline when a byline, a date stamp or a wire dateline
   (``"LONDON (Reuters) -"``, :func:`starts_with_dateline`) separates it from the
   body. The author comes from the first byline, the date from the first date stamp
   of the header that is not an update stamp.
5. **Body** runs from the first kept line to the last prose paragraph (a sentence
   of eight or more words, or any line of 25 or more) outside a story list, plus
   the lines attached to it (a closing list, a short last line) unless they form a
   story list, plus short sentences after player or advert debris. Everything in
   between is kept (in-body headings, tables, one-line paragraphs) unless it is
   chrome; a heading whose section holds only chrome is ``empty_heading``. After
   the body, headline-like runs are ``related_list`` and other lines
   ``tail_chrome``.

When the evidence for chrome is weak the line is kept: a kept menu entry costs a few
words, a dropped body sentence biases every later measurement. Every non-blank input
line ends up either in the body or in the audit, never silently dropped.

Performance: each distinct short line is classified once per process (an LRU cache
of 16,384 lines), since site chrome repeats on every page of a site.

Removal reasons
---------------
See :data:`REASONS` for the vocabulary and what each reason means.
"""

from __future__ import annotations

from framing.corpus.clean.audit import (
    REASONS,
    CleanedPage,
    RemovedLine,
    audit_table,
    removed_report,
)
from framing.corpus.clean.bylines import split_byline, split_glued_title, starts_with_dateline
from framing.corpus.clean.lines import clean_lines
from framing.corpus.clean.navigation import (
    is_breadcrumb,
    is_footer_menu,
    is_photo_credit,
    split_breadcrumb,
)
from framing.corpus.clean.page import clean_page
from framing.corpus.clean.prompts import chrome_reason, is_prompt
from framing.corpus.clean.text import headline_like, normalize_text

__all__ = [
    "REASONS",
    "CleanedPage",
    "RemovedLine",
    "audit_table",
    "chrome_reason",
    "clean_lines",
    "clean_page",
    "headline_like",
    "is_breadcrumb",
    "is_footer_menu",
    "is_photo_credit",
    "is_prompt",
    "normalize_text",
    "removed_report",
    "split_breadcrumb",
    "split_byline",
    "split_glued_title",
    "starts_with_dateline",
]
