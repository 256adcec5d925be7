"""clean_page: one scraped page in, the body and an audit of every removed line out."""

from __future__ import annotations

import pandas as pd

from framing.corpus.clean.audit import CleanedPage, RemovedLine
from framing.corpus.clean.bylines import (
    _STAMP_PREFIX,
    _byline_date,
    _date_of_stamp,
    _name_only_byline,
    _stamp_author,
    split_byline,
)
from framing.corpus.clean.navigation import split_breadcrumb
from framing.corpus.clean.prompts import _chrome_cached
from framing.corpus.clean.structure import (
    _SECTION_ENDERS,
    _claim_lists,
    _dated_name_line,
    _find_standfirst,
    _find_title,
    _headline_runs,
    _is_anchor,
    _is_story_list,
    _items,
    _mark_empty_headings,
    _mark_list_blocks,
    _mark_reader_questions,
)
from framing.corpus.clean.text import _key, _sentence_like, normalize_text
from framing.corpus.dates import is_update_stamp

__all__ = ["clean_page"]


def clean_page(text: str) -> CleanedPage:
    """Separate the article body of a scraped page from the site chrome around it.

    Parameters
    ----------
    text : str
        The page's text, one element (paragraph, menu entry, link) per line, as
        produced by copying a rendered page or by a text extractor.

    Returns
    -------
    CleanedPage
        The body, the headline, byline names, publication date and standfirst, and
        every removed line with its reason. Every non-blank input line is either in
        ``text`` or in ``removed``.

    Notes
    -----
    The method is described in the module docstring. It keeps a line whenever the
    evidence for chrome is weak: a kept menu entry costs a few words, a dropped
    body sentence biases every later measurement.

    Examples
    --------
    >>> page = clean_page(
    ...     "World » Europe » Talks Resume in Geneva\\n\\nBy Jane Doe\\n"
    ...     "Thursday, May 15, 2025\\n\\n"
    ...     "GENEVA (Reuters) - Negotiators met again on Thursday after a month of "
    ...     "silence, officials said.\\n\\nShare this article"
    ... )
    >>> page.title, page.author, str(page.published.date())
    ('Talks Resume in Geneva', 'Jane Doe', '2025-05-15')
    >>> page.text[:20], page.n_removed
    ('GENEVA (Reuters) - N', 4)
    """
    if not isinstance(text, str):
        raise TypeError(
            f"clean_page expects the page text as str, got {type(text).__name__}; "
            "decode bytes first and pass '' for a missing text"
        )
    items = _items(normalize_text(text).split("\n"))
    if not items:
        return CleanedPage("", "", "", pd.NaT, "", ())

    # 1. context-free chrome
    residues: dict[int, str] = {}
    for k, it in enumerate(items):
        it.reason = _chrome_cached(it.text)
        if it.reason == "breadcrumb":
            crumbs = split_breadcrumb(it.text)
            if crumbs and crumbs[1]:
                residues[k] = crumbs[1]
        elif it.reason == "dateline" and len(it.lines) > 1:
            it.reason = None  # a wrapped paragraph is never a date stamp
    _mark_reader_questions(items)
    spaced = sum(it.blank_before for it in items[1:]) >= 0.4 * max(len(items) - 1, 1)
    _claim_lists(items, spaced)
    _mark_list_blocks(items, spaced)

    # 2. header window: everything before the first long prose paragraph
    counts: dict[str, int] = {}
    for it in items:
        counts[it.key] = counts.get(it.key, 0) + 1
    first_long = next(
        (
            k
            for k, it in enumerate(items)
            if _is_anchor(it)
            and it.n_words >= 20
            and _sentence_like(it.text)
            and counts[it.key] == 1
        ),
        None,
    )
    if first_long is None:
        first_long = next((k for k, it in enumerate(items) if _is_anchor(it)), len(items))
    window = list(range(first_long))
    # a bare date between prose paragraphs is a timeline heading, not a stamp
    anchors = [k for k, it in enumerate(items) if _is_anchor(it)]
    for k in range(anchors[0] + 1 if anchors else 0, anchors[-1] if anchors else 0):
        it = items[k]
        if it.reason == "dateline" and k >= first_long and not _STAMP_PREFIX.match(it.text):
            it.reason = None

    first_prose = next((k for k in window if _is_anchor(items[k])), first_long)
    for k in window:
        if items[k].reason == "reader_question":
            items[k].reason = None  # a question above the body is a headline, not a prompt
    # the headline precedes the first sentence of prose (standfirst or body)
    title_k, title, standfirst = _find_title(items, window[:first_prose], residues)

    published = pd.NaT
    authors: list[str] = []
    if title_k is not None:
        if items[title_k].reason is None:
            items[title_k].reason = "headline"
        for k in window[: window.index(title_k)]:
            if items[k].reason is None:
                items[k].reason = "site_slogan"
        title_key = _key(title)
        glued_key = _key(items[title_k].text if title_k not in residues else residues[title_k])
        for it in items:
            if it.reason is None and it.key in (title_key, glued_key):
                it.reason = "headline"
        after = [k for k in window if k > title_k]
        # bylines without "By" next to a date stamp
        for k in after:
            if items[k].reason is None and _dated_name_line(items, k):
                items[k].reason = "byline"
        if not standfirst:
            standfirst = _find_standfirst(items, title_k)
    # repetitions of the standfirst anywhere
    if standfirst:
        sf_key = _key(standfirst)
        for it in items:
            if it.reason is None and it.key == sf_key:
                it.reason = "standfirst"

    # bylines and date stamps: header first, then anywhere
    header = set(window)
    dated: list[tuple[bool, int, pd.Timestamp]] = []
    for k, it in enumerate(items):
        if it.reason == "byline" and not authors:
            names = split_byline(it.text) or _name_only_byline(it.text)
            if names:
                authors.append(names)
            stamp = _byline_date(it.text)
            if stamp is not None:
                dated.append((k not in header, k, stamp))
        elif it.reason == "dateline":
            stamp = _date_of_stamp(it.text)
            if not authors and (stamp_author := _stamp_author(it.text)):
                authors.append(stamp_author)
            if stamp is not None:
                dated.append((k not in header or is_update_stamp(it.text), k, stamp))
    if dated:
        published = min(dated, key=lambda d: (d[0], d[1]))[2]

    # 3. body extent
    end = anchors[-1] if anchors else -1
    run: list[int] = []
    for k in range(end + 1, len(items)):
        if items[k].reason is not None:
            break
        run.append(k)  # lines attached to the body, no chrome in between
    if run and not _is_story_list(items, run, spaced, items[end] if end >= 0 else None):
        end = run[-1]
    for k in range(end + 1, len(items)):
        it = items[k]
        if it.reason in _SECTION_ENDERS or it.reason == "byline" or it.listy:
            break
        if it.reason is None and it.n_words >= 2 and _sentence_like(it.text):
            end = k  # a short closing sentence after player debris or an ad label
    if not anchors:
        # no prose paragraph at all: keep every free line that is not a story list
        end = max(
            (k for k, it in enumerate(items) if it.reason is None and not it.listy), default=-1
        )
    in_run = _headline_runs(items, end + 1)
    for k in range(end + 1, len(items)):
        if items[k].reason is None:
            listed = items[k].listy or in_run[k - end - 1]
            items[k].reason = "related_list" if listed else "tail_chrome"
    _mark_empty_headings(items)

    # 4. assemble
    body: list[str] = []
    removed: list[RemovedLine] = []
    for it in items:
        if it.reason is None:
            body.append(it.text)
        else:
            removed.extend(
                RemovedLine(no, line, it.reason)
                for no, line in zip(it.line_nos, it.lines, strict=True)
            )
    return CleanedPage(
        text="\n\n".join(body),
        title=title,
        author="; ".join(authors),
        published=published,
        standfirst=standfirst,
        removed=tuple(removed),
    )
