"""The page model: lines as items, story lists, the headline and the standfirst."""

from __future__ import annotations

import re
from typing import Any

from framing.corpus.clean.bylines import _name_only_byline, split_glued_title, starts_with_dateline
from framing.corpus.clean.prompts import _LIST_HEADERS, _is_question
from framing.corpus.clean.text import (
    _LIST_ITEM_MAX_WORDS,
    _MAX_LIST_SCAN,
    _key,
    _last_char,
    _sentence_like,
    _starts_capital,
    _title_cased,
    headline_like,
)

# ------------------------------------------------------------------------- page model


class _Item:
    """A logical line: one paragraph (possibly re-joined from a hard-wrapped block)."""

    __slots__ = (
        "blank_before", "hl", "key", "line_nos", "lines", "listy", "n_words", "reason", "text",
    )  # fmt: skip

    def __init__(self, line_nos: list[int], lines: list[str], blank_before: bool):
        self.line_nos = line_nos
        self.lines = lines
        self.blank_before = blank_before
        self.reason: str | None = None
        self.listy = False
        self.set_text(" ".join(lines))

    def set_text(self, text: str) -> None:
        self.text = text
        self.n_words = len(text.split())
        self.key = _key(text)
        self.hl = headline_like(text)


def _wrap_width(lines: list[str]) -> int:
    """Return the page's hard-wrap width, or 0 when its text is not hard-wrapped.

    Hard-wrapped text (plain-text wire copy, e-mail) breaks paragraphs into lines of
    one fixed maximum width. Take the longest line that is not the last of its
    block; the page is wrapped when that width is 40-100 characters, no line is much
    longer, and most such lines are nearly that long and end mid-sentence.
    """
    inner = [line for i, line in enumerate(lines[:-1]) if line and lines[i + 1]]
    if len(inner) < 3:
        return 0
    width = max(len(line) for line in inner)
    if not 40 <= width <= 100 or max(len(line) for line in lines) > 1.2 * width:
        return 0  # some paragraph is on one long line: the page is not wrapped
    full = sum(1 for line in inner if len(line) >= 0.7 * width)
    open_ended = sum(1 for line in inner if not _sentence_like(line))
    if full >= 0.6 * len(inner) and open_ended >= 0.5 * len(inner):
        return width
    return 0


def _items(lines: list[str]) -> list[_Item]:
    """Group lines into paragraphs: one per line, or re-joined when hard-wrapped."""
    width = _wrap_width(lines)
    items: list[_Item] = []
    blank = True
    current: _Item | None = None
    for no, line in enumerate(lines, start=1):
        if not line:
            blank = True
            current = None
            continue
        if current is not None:
            current.line_nos.append(no)
            current.lines.append(line)
        else:
            current = _Item([no], [line], blank)
            items.append(current)
        blank = False
        if not width or len(line) < 0.7 * width:
            current = None  # a short line ends the paragraph
    for it in items:
        if len(it.lines) > 1:
            it.set_text(" ".join(it.lines))
    return items


def _mark_reader_questions(items: list[_Item]) -> None:
    """Spread ``reader_question`` to standalone questions next to a comment prompt.

    One pass forwards and one backwards cover chains of questions on either side.
    """
    seeds = {"reader_question", "comment_prompt"}
    order = list(range(len(items)))
    for indices, step in ((order, -1), (order[::-1], 1)):
        for k in indices:
            it = items[k]
            j = k + step
            if (
                it.reason is None
                and 0 <= j < len(items)
                and items[j].reason in seeds
                and _is_question(it.text)
            ):
                it.reason = "reader_question"


_INLINE_ITEM = re.compile(r"[:\-–|»›>]\s*\S")


def _claim_lists(items: list[_Item], spaced: bool) -> None:
    """After a 'Related' / 'Read more' header, claim the list of story titles below it.

    The first item must be headline-like. In a page whose paragraphs are separated by
    blank lines (``spaced``), a list printed as consecutive lines ends at the next blank
    line, and every consecutive line in it is an item (titles may end in a full stop);
    otherwise only headline-like lines are items. Chrome inside the list (player
    controls, share buttons) does not end it; a line of more than 30 words does.
    """
    for k, head in enumerate(items):
        if head.reason not in _LIST_HEADERS or head.n_words > 8:
            continue
        if _INLINE_ITEM.search(head.text.rstrip(" :")):
            continue  # "Read more: <headline>" is itself the item
        claimed: list[_Item] = []
        packed: bool | None = None
        for it in items[k + 1 : k + 1 + _MAX_LIST_SCAN]:
            if it.reason in _LIST_HEADERS or it.n_words > _LIST_ITEM_MAX_WORDS:
                break
            if it.reason is not None:
                continue
            if claimed:
                if packed is None:
                    packed = not it.blank_before
                if spaced and packed and it.blank_before:
                    break
            consecutive = bool(claimed) and spaced and packed and not it.blank_before
            if not (it.hl or consecutive):
                break
            claimed.append(it)
        for it in claimed:
            it.reason = head.reason


def _mark_list_blocks(items: list[_Item], spaced: bool) -> None:
    """Flag blocks of >= 4 short, mostly headline-like lines (candidate story lists)."""
    k = 0
    while k < len(items):
        if items[k].reason is not None or items[k].n_words > _LIST_ITEM_MAX_WORDS:
            k += 1
            continue
        m = k + 1
        while (
            m < len(items)
            and items[m].n_words <= _LIST_ITEM_MAX_WORDS
            and (not spaced or not items[m].blank_before)
        ):
            m += 1
        block = [it for it in items[k:m] if it.reason is None]
        if len(block) >= 4 and sum(it.hl for it in block) >= 0.6 * len(block):
            for it in block:
                it.listy = True
        k = m


def _is_anchor(it: _Item) -> bool:
    """Body prose: a sentence of >= 8 words, or any paragraph of >= 25 words."""
    if it.reason is not None or it.listy:
        return False
    return (it.n_words >= 8 and _sentence_like(it.text)) or it.n_words >= 25


def _dated_name_line(items: list[_Item], k: int) -> bool:
    """Tell whether line k is a byline without 'By' ('Jane Doe in Kyiv') next to a date."""
    near = [items[j].reason for j in (k - 1, k + 1) if 0 <= j < len(items)]
    return "dateline" in near and _name_only_byline(items[k].text) is not None


_META = frozenset({"byline", "dateline", "photo_credit", "breadcrumb"})


def _first_headline(items: list[_Item], window: list[int], candidate: Any) -> int | None:
    """Pick the headline among the headline-like lines of the header window.

    On a page with header meta (a byline or date stamp), a headline is followed by
    meta, a standfirst-sized line or the body itself; among such lines a Title-Case
    one wins (a tagline above a headline is sentence case), else the first. Otherwise
    (and failing that) the first line of three or more words, then of two: one- and
    two-word lines are site names and section labels.
    """
    cands = [
        k
        for k in window
        if (t := candidate(k)) and headline_like(t) and len(t.split()) >= 2 and not t.isupper()
    ]
    # a byline without "By" next to a date stamp is not the headline (unless it must be)
    cands = [k for k in cands if not _dated_name_line(items, k)] or cands
    followed: list[int] = []
    has_meta = any(items[k].reason in ("byline", "dateline") for k in window)
    for k in cands if has_meta else ():
        nxt = items[k + 1] if k + 1 < len(items) else None
        if nxt is not None and (
            nxt.reason in _META
            or (
                nxt.reason is None
                and _starts_capital(nxt.text)
                and (nxt.n_words >= 10 or _is_anchor(nxt))
            )
        ):
            followed.append(k)
    for pool in (
        [k for k in followed if len(candidate(k).split()) >= 3 and _title_cased(candidate(k))],
        [k for k in followed if len(candidate(k).split()) >= 3],
        [k for k in cands if len(candidate(k).split()) >= 3],
        cands,
    ):
        if pool:
            return pool[0]
    return None


def _find_title(
    items: list[_Item], window: list[int], residues: dict[int, str]
) -> tuple[int | None, str, str]:
    """Return (index of the headline item, title, glued standfirst)."""
    keys: dict[str, int] = {}
    for it in items:
        if it.reason in (None, "breadcrumb"):
            keys[it.key] = keys.get(it.key, 0) + 1
    for r in residues.values():
        keys[_key(r)] = keys.get(_key(r), 0) + 1

    def candidate(k: int) -> str | None:
        if k in residues:
            return residues[k]
        return items[k].text if items[k].reason is None else None

    chosen = None
    for k in window:  # 1. a line repeated on the page
        text = candidate(k)
        if (
            text
            and len(text.split()) >= 2
            and keys.get(_key(text), 0) >= 2
            and (headline_like(text) or len(text.split()) > 25)
        ):
            chosen = k
            break
    if chosen is None:
        chosen = _first_headline(items, window, candidate)
    if chosen is None:
        return None, "", ""
    text = candidate(chosen) or ""
    if headline_like(text) and len(text.split()) <= 20:
        return chosen, text, ""
    # Glued headline + standfirst: prefer a line elsewhere that is a prefix of it.
    key = _key(text)
    best = ""
    for it in items:
        other = it.key
        if (
            it.hl
            and len(other) > len(best)
            and len(other) < len(key)
            and key.startswith(other)
            and key[len(other)] == " "
            and len(other.split()) >= 3
        ):
            best = other
    if best:
        n = len(best.split())
        words = text.split()
        return chosen, " ".join(words[:n]), " ".join(words[n:])
    title, rest = split_glued_title(text)
    return chosen, title, rest


_BULLET = re.compile(r"^\s*(?:[-–—*•·▪►]|\d{1,2}[.)])\s")


def _is_story_list(items: list[_Item], run: list[int], spaced: bool, before: _Item | None) -> bool:
    """Tell whether a run of lines right after the body is a list of other stories.

    Yes when it has three or more lines, mostly headline-like, printed as consecutive
    lines (in a page that separates paragraphs by blank lines, the article's own
    lists share that layout), not bulleted and not introduced by a line ending ":".
    """
    lines = [items[k] for k in run]
    if len(lines) < 3 or (before is not None and before.text.endswith(":")):
        return False
    if any(it.text.endswith(":") for it in lines):
        return False  # "The winners were:" introduces the article's own list
    if sum(bool(_BULLET.match(it.text)) for it in lines) * 2 >= len(lines):
        return False
    if spaced and any(it.blank_before for it in lines[1:]):
        return False
    return sum(it.hl for it in lines) >= 0.6 * len(lines)


def _headline_runs(items: list[_Item], start: int) -> list[bool]:
    """For items[start:], tell whether each sits in a run of >= 3 headline-like lines."""
    tail = items[start:]
    flags = [it.hl and it.reason in (None, "related_list") for it in tail]
    out = [False] * len(tail)
    k = 0
    while k < len(tail):
        if not flags[k]:
            k += 1
            continue
        m = k
        while m < len(tail) and flags[m]:
            m += 1
        if m - k >= 3:
            out[k:m] = [True] * (m - k)
        k = m
    return out


_SECTION_ENDERS = frozenset(
    {
        "comment_prompt", "share_prompt", "newsletter", "related_list", "read_more_list",
        "reader_question", "adblock_notice", "cookie_notice", "spam_notice", "footer_menu",
        "paywall", "tail_chrome", "headline",
    }
)  # fmt: skip


def _mark_empty_headings(items: list[_Item]) -> None:
    for k in range(len(items) - 1, -1, -1):
        it = items[k]
        if it.reason is not None or not it.hl or it.n_words > 15:
            continue
        if _last_char(it.text) in "!?":
            continue
        nxt = items[k + 1].reason if k + 1 < len(items) else None
        if nxt in _SECTION_ENDERS or nxt == "empty_heading":
            it.reason = "empty_heading"


def _find_standfirst(items: list[_Item], title_k: int) -> str:
    """Return the first free line after the headline when a byline or date follows it."""
    k = title_k + 1
    while k < len(items) and items[k].reason is not None:
        k += 1
    if k >= len(items):
        return ""
    cand = items[k]
    if cand.n_words < 6 or cand.n_words > 60 or starts_with_dateline(cand.text):
        return ""
    if cand.hl and cand.n_words < 10:
        return ""  # a section heading, not a summary
    m = k + 1
    between: set[str] = set()
    while m < len(items) and items[m].reason is not None:
        between.add(items[m].reason)  # type: ignore[arg-type]
        m += 1
    follows_marker = bool(between & {"byline", "dateline"})
    follows_wire = m < len(items) and starts_with_dateline(items[m].text)
    if follows_marker or follows_wire:
        cand.reason = "standfirst"
        return cand.text
    return ""
