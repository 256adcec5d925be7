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

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from framing.corpus.dates import find_date_line, is_update_stamp

__all__ = [
    "REASONS",
    "CleanedPage",
    "RemovedLine",
    "audit_table",
    "chrome_reason",
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

_MAX_CHROME_WORDS = 60  # a longer line is always treated as body prose
_LIST_ITEM_MAX_WORDS = 30
_MAX_LIST_SCAN = 300  # lines looked at below a list header (keeps cleaning linear)


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


# ------------------------------------------------------------------------ normalising

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_ODD_SPACES = (
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000\t"
)
_RARE_BREAKS = "\r\u2028\u2029\x0b\x0c\x85"
_ZERO_WIDTH = re.compile(f"[{_INVISIBLE}]")
_SPACE_CHARS = re.compile(f"[{_ODD_SPACES}]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_MULTISPACE = re.compile(r" {2,}")


def normalize_text(text: str) -> str:
    """Normalise line breaks and invisible characters, keeping the line structure.

    CRLF and CR become LF; BOM, zero-width characters and soft hyphens are dropped;
    NBSP, tabs and other Unicode spaces become a space; runs of spaces collapse and
    lines are stripped. The number of lines does not change.

    Parameters
    ----------
    text : str
        Raw page text.

    Returns
    -------
    str

    Examples
    --------
    >>> normalize_text("\\ufeffOne\\u00a0two\\r\\nthree\\u200b  four ")
    'One two\\nthree four'
    """
    if any(ch in text for ch in _RARE_BREAKS):
        text = _NEWLINES.sub("\n", text)
    if any(ch in text for ch in _INVISIBLE):
        text = _ZERO_WIDTH.sub("", text)
    if any(ch in text for ch in _ODD_SPACES):
        text = _SPACE_CHARS.sub(" ", text)
    if "  " in text:
        text = _MULTISPACE.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


# ----------------------------------------------------------------------- line features

_CLOSERS = "\"'”’»)]*"
_TERMINAL = ".!?…:"
_SMALL_WORDS = frozenset(
    "a an and as at but by en for from if in into nor of off on onto or over per "
    "than the to up upon via vs vs. with within without is are was be".split()
)


def _words(line: str) -> list[str]:
    return line.split()


def _last_char(line: str) -> str:
    stripped = line.rstrip(_CLOSERS)
    return stripped[-1] if stripped else ""


def _sentence_like(line: str) -> bool:
    """Tell whether a line ends like a sentence (terminal punctuation, maybe quoted)."""
    return _last_char(line) in _TERMINAL


def _starts_capital(line: str) -> bool:
    """Tell whether the first letter is a capital or a digit (symbols skipped; "iTunes" ok)."""
    for i, ch in enumerate(line[:12]):
        if ch.isalnum():
            if ch.isupper() or ch.isdigit():
                return True
            word = line[i:].split(" ", 1)[0]
            return any(c.isupper() for c in word[1:])  # camel case: iTunes, eBay
    return False


def headline_like(line: str) -> bool:
    """Return True for a line shaped like a headline or a list item's title.

    Two to 25 words whose first letter is a capital (or a digit; leading quotes and
    symbols are skipped), not ending in ``.``, ``,``, ``;`` or ``:`` (``?``, ``!`` and
    an ellipsis are allowed). Sentence-case and title-case headlines both qualify.

    Parameters
    ----------
    line : str

    Returns
    -------
    bool

    Examples
    --------
    >>> headline_like("Nissan Plans to Cut Over 10,000 Additional Jobs Worldwide")
    True
    >>> headline_like("Talks resumed on Monday.")
    False
    """
    n = len(_words(line))
    if not 2 <= n <= 25 or not _starts_capital(line):
        return False
    stripped = line.rstrip(_CLOSERS)
    return stripped.endswith(("...", "…")) or _last_char(line) not in ".,;:"


def _title_word(token: str) -> bool:
    core = token.strip("\"'“”‘’()[]«»,;:!?.")
    if not core:
        return True
    first = core[0]
    return first.isupper() or first.isdigit() or not first.isalpha() or core in _SMALL_WORDS


def _title_cased(text: str) -> bool:
    """Title Case: >= 80% of words capitalised or short function words; not ALL CAPS."""
    tokens = text.split()
    if text.isupper() or not tokens:
        return False
    return sum(_title_word(t) for t in tokens) >= 0.8 * len(tokens) and sum(
        1 for t in tokens if t[:1].isupper()
    ) >= 0.5 * len(tokens)


def _key(text: str) -> str:
    """Comparison key: case-folded, single-spaced, without edge punctuation."""
    return " ".join(text.casefold().split()).strip(" .:;,!?\"'“”‘’")


# ------------------------------------------------------------------------- breadcrumbs

_CRUMB_SEP = re.compile(r"\s+(?:»|›|>|→|/|\||::)\s+|\s*[»›→]\s*")
_CRUMB_SEPS = ("»", "›", "→", " > ", " / ", " | ", " :: ")
_CRUMB_HINT = re.compile(r"[»›→]|\s(?:>|/|\||::)\s")
_HOME = frozenset({"home", "homepage", "start", "front page", "index"})


def split_breadcrumb(line: str) -> tuple[list[str], str] | None:
    """Split a breadcrumb line into its path and any text glued after it.

    A breadcrumb is a path of short capitalised items joined by ``»``, ``›``, ``>``,
    ``→``, `` / `` or `` | ``, with at least three items or starting with "Home".
    The last item may be long: it is then the page's own headline (often with the
    standfirst glued on), returned as the residue.

    Parameters
    ----------
    line : str

    Returns
    -------
    tuple of (list of str, str) or None
        The path items and the residue (``""`` when the last item is short), or
        ``None`` when the line is not a breadcrumb.

    Examples
    --------
    >>> split_breadcrumb("Home » World » Europe")
    (['Home', 'World', 'Europe'], '')
    >>> split_breadcrumb("Home › News › Talks Stall as Winter Nears")
    (['Home', 'News'], 'Talks Stall as Winter Nears')
    >>> split_breadcrumb("Prices rose > 5% in May") is None
    True
    """
    if not any(sep in line for sep in _CRUMB_SEPS) or not _CRUMB_HINT.search(line):
        return None
    parts = [p.strip() for p in _CRUMB_SEP.split(line)]
    if len(parts) < 2 or any(not p for p in parts):
        return None
    head = parts[:-1]
    if not all(len(p.split()) <= 4 and _starts_capital(p) and not _sentence_like(p) for p in head):
        return None
    last = parts[-1]
    starts_home = head[0].casefold() in _HOME
    if len(parts) < 3 and not starts_home:
        return None
    if len(last.split()) <= 3 and _starts_capital(last) and not _sentence_like(last):
        return parts, ""
    if not _starts_capital(last):
        return None
    return head, last


def is_breadcrumb(line: str) -> bool:
    """Return True when ``line`` starts with a navigation path (see :func:`split_breadcrumb`).

    Parameters
    ----------
    line : str

    Returns
    -------
    bool

    Examples
    --------
    >>> is_breadcrumb("Home » News » Politics")
    True
    >>> is_breadcrumb("Exports rose 5% in May.")
    False
    """
    return split_breadcrumb(line) is not None


# ---------------------------------------------------------------------------- footers

_MENU_WORDS = re.compile(
    r"^(?:about(?: us)?|contact(?: us)?|privacy(?: policy| notice| settings)?|terms"
    r"(?: of (?:use|service))?|terms (?:and|&) conditions|cookies?(?: policy| settings)?"
    r"|advertise(?: with us)?|advertising|careers|jobs|work (?:for|with) us|sitemap|site map"
    r"|accessibility|rss(?: feeds?)?|help|faq|faqs|press|imprint|impressum|legal|masthead"
    r"|corrections|newsletters?|subscribe|subscriptions|archive|archives|our team|staff"
    r"|editorial (?:policy|standards)|code of conduct|disclaimer|donate|support us|shop"
    r"|events|podcasts|login|log in|sign in|register|my account|feedback|ethics policy"
    r"|do not sell my (?:personal )?info(?:rmation)?|manage cookies)$",
    re.IGNORECASE,
)
_MENU_SEPS = ("|", "·", "•", "/", "–", "—", "  ")
_MENU_SEP = re.compile(r"\s*(?:\||·|•|/|–|—)\s*|\s{2,}")
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright\b)|\ball rights reserved\b|^powered by\b", re.IGNORECASE
)


def is_footer_menu(line: str) -> bool:
    """Return True for a footer menu, copyright or legal line.

    Either a run of short items joined by ``|``, ``·``, ``•`` or ``/`` of which at least
    half are site-menu entries ("About Us | Contact | Privacy Policy | Terms"), a
    single menu entry on its own, or a copyright line.

    Parameters
    ----------
    line : str

    Returns
    -------
    bool

    Examples
    --------
    >>> is_footer_menu("About Us | Contact | Privacy Policy | Terms")
    True
    >>> is_footer_menu("© 2025 Example Media Ltd. All rights reserved.")
    True
    >>> is_footer_menu("Exports | Imports | Balance")
    False
    """
    low = line.lower()
    if (
        "©" in line or "(c)" in low or "copyright" in low or "reserved" in low or "powered" in low
    ) and _COPYRIGHT.search(line):
        return True
    if not any(sep in line for sep in _MENU_SEPS):
        return len(line.split()) <= 5 and bool(_MENU_WORDS.match(line.strip(" .")))
    items = [p for p in _MENU_SEP.split(line.strip()) if p]
    if not items or any(len(p.split()) > 5 for p in items):
        return False
    menu = sum(1 for p in items if _MENU_WORDS.match(p.strip(" .")))
    if len(items) == 1:
        return menu == 1
    return menu >= 2 and menu * 2 >= len(items)


# ------------------------------------------------------------------------ photo credits

_AGENCIES = (
    r"(?:Getty Images|Getty|AFP|Reuters|AP|EPA(?:-EFE)?|Shutterstock|Alamy(?: Live News)?"
    r"|PA(?: Images| Wire| Media)?|Bloomberg|NurPhoto|SOPA Images|LightRocket|Anadolu"
    r"(?: Agency)?|Xinhua|TASS|Sputnik|ZUMA(?: Press| Wire)?|Redux|Corbis|Rex Features"
    r"|Rex|Pool|Handout|iStock|AAP|Kyodo|Yonhap|DPA|ANSA|Sipa(?: USA)?)"
)
_CREDIT_WORDS = r"(?:photo(?:graph)?|image|picture|credit)"
_CREDIT_HINT = re.compile("photo|image|picture|credit")
_PHOTO_ANCHORED = re.compile(
    r"(?:photo(?:graph)?s?|image|picture|pictured|credit|illustration|file photo|foto)"
    r"(?:\s+(?:credit|by|courtesy(?: of)?))?\s*[:\-–|]"
    rf"|{_AGENCIES}$",
    re.IGNORECASE,
)
# (substring that must occur, pattern searched when it does)
_PHOTO_GATED = [
    ("/", re.compile(rf"/\s*{_AGENCIES}\)?\s*$", re.IGNORECASE)),
    ("via ", re.compile(rf"\bvia {_AGENCIES}\)?\s*$", re.IGNORECASE)),
    (
        "(",
        re.compile(
            r"\((?:[A-Z]{2,5}\s+)?(?:photo|image|picture|credit|"
            r"illustration)s?\b[^()]{0,80}\)\s*\.?$",
            re.IGNORECASE,
        ),
    ),
    (
        "",
        re.compile(
            rf"\b{_CREDIT_WORDS}s?:\s*\S[^.]{{0,60}}$"
            rf"|\b(?:photo|image|picture)\s*(?:by|courtesy of|credit)\s*:?\s*[A-Z][^.]{{0,60}}$",
            re.IGNORECASE,
        ),
    ),
]


def is_photo_credit(line: str) -> bool:
    """Return True for a photo credit or a caption that ends in one.

    Recognises ``Photo: …``, ``Image credit: …``, ``(AP Photo/Jane Doe)``,
    ``Photograph: Jane Doe/Reuters``, ``… /Getty Images``, ``… via Getty Images`` and a
    bare agency name. A body sentence that merely mentions an agency
    ("…, Reuters reported.") is not a credit.

    Parameters
    ----------
    line : str

    Returns
    -------
    bool

    Examples
    --------
    >>> is_photo_credit("Rescue workers in Kharkiv on Monday. (AP Photo/Jane Doe)")
    True
    >>> is_photo_credit("The talks stalled, Reuters reported.")
    False
    """
    if len(line.split()) > 45:
        return False
    if _PHOTO_ANCHORED.match(line):
        return True
    low = line.lower()
    for needle, pattern in _PHOTO_GATED:
        if needle:
            if needle in line and pattern.search(line):
                return True
        elif _CREDIT_HINT.search(low) and pattern.search(line):
            return True
    return False


# --------------------------------------------------------------------------- prompts

# Whole-line or line-initial prompts: (reason, pattern), tried with one anchored match.
_ANCHORED: list[tuple[str, str]] = [
    ("adblock_notice", r"ad ?block(?:er)? detected\b"),
    ("cookie_notice", r"cookie (?:settings|preferences|policy|consent|notice|banner)$"),
    (
        "cookie_notice",
        r"(?:accept all|reject all|manage (?:options|preferences|settings)|"
        r"got it|i agree|i accept)[.!]?$",
    ),
    ("paywall", r"already (?:a )?(?:subscriber|member|registered)\b"),
    (
        "paywall",
        r"(?:subscribe|become a (?:member|subscriber)|subscribe now)(?: now|"
        r" today)?(?: for (?:just |only )?\S+(?: a (?:month|week|year))?)?[.!]?$",
    ),
    ("paywall", r"(?:to continue reading|continue reading)\b.{0,60}$"),
    ("comment_prompt", r"(?:leave|post|write|add|submit) (?:a |your )?(?:comment|reply|response)"),
    (
        "comment_prompt",
        r"(?:\d+|no) comments?$|comments?(?: \(\d+\))?:?$|(?:view|show|hide|"
        r"read|load|see)(?: all)?(?: \d+)? comments?\b",
    ),
    (
        "comment_prompt",
        r"join the (?:conversation|discussion|debate)\b|what do you think\?$|cancel reply$|reply$",
    ),
    (
        "comment_prompt",
        r"(?:name|e-?mail|website|comment|your comment)\s*\*?:?$|save my name,? e-?mail",
    ),
    ("newsletter", r"newsletters?:?$"),
    ("newsletter", r"(?:sign up|subscribe|get|receive)\b.{0,60}\b(?:in|to) your inbox\b"),
    ("newsletter", r"(?:enter|type) your e-?mail|your e-?mail(?: address)?:?$"),
    ("newsletter", r"(?:sign up|subscribe)(?: now| today| for free| here)?[.!]?$"),
    (
        "share_prompt",
        r"share(?:\s+(?:this|the)(?:\s+(?:article|story|post|page|video|"
        r"link))?)?(?:\s+(?:on|via|to|with)\s+\w+(?: \w+)?)?\s*[:!.]?$",
    ),
    ("share_prompt", r"click to (?:share|email|print|tweet)\b"),
    (
        "share_prompt",
        r"(?:(?:facebook|twitter|x|linkedin|whatsapp|e-?mail|print|reddit|"
        r"pinterest|telegram|copy link|copy|tweet|pin it|pin|flipboard|"
        r"messenger|sms|bluesky|threads|mastodon|share)[\s|,·•/]*){1,12}$",
    ),
    ("video_player", r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*/\s*\d{1,2}:\d{2}(?::\d{2})?)?$"),
    (
        "video_player",
        r"(?:close|close player|play|pause|replay|mute|unmute|full ?screen|"
        r"exit full ?screen|skip ad|skip|[×✕✖▶►⏵⏸]|x|watch|watch now|"
        r"watch video|now playing|up next|next video|cc|captions|subtitles|"
        r"video|video player|playback rate|\d{1,3}(?:\.\d+)?%)\s*:?$",
    ),
    (
        "video_player",
        r"loaded:?\s*\d+(?:\.\d+)?%$|(?:current time|duration|remaining time|"
        r"stream type)\b.{0,20}$|(?:this video|the video) (?:is|has been|"
        r"cannot)\b.{0,60}$|your browser does not support\b",
    ),
    ("video_player", r"(?:watch|video)\s*:\s*\S"),
    (
        "advertisement",
        r"(?:advertisement|advertising|advert|sponsored(?: content| links?|"
        r" stories)?|ad|ads|paid (?:content|post|partner content)|"
        r"promoted(?: content| stories)?|partner content|skip advertisement|"
        r"story continues below(?: advertisement)?|"
        r"article continues below(?: advertisement)?|"
        r"continue reading (?:the main story|below))\s*:?$",
    ),
    (
        "callout",
        r"(?:did you know|pro tip|quick tip|top tip|fun fact|quick fact|"
        r"key takeaways?|tl;?dr)\s*[?:!.–-]",
    ),
    (
        "read_more_list",
        r"(?:read more|read next|read also|also read|more reading|"
        r"further reading|read the full story|more on this story|"
        r"more on this topic|more on this|see also|"
        r"related reading)\b\s*(?:[:\-–|»›>]|$)",
    ),
    (
        "related_list",
        r"(?:related(?: articles?| stories| posts| content| coverage| news|"
        r" topics| links| reading| searches)?|you (?:may|might|"
        r"could) (?:also )?(?:like|enjoy|be interested in)|more (?:from|stories|"
        r"news|in|on|like this|articles|top stories)\b.{0,40}|"
        r"recommended(?: for you| stories| reading| articles| videos)?|"
        r"most (?:read|popular|viewed|shared|watched|commented)(?: stories|"
        r" articles| now)?|trending(?: now| stories| topics| articles)?|"
        r"popular(?: now| posts| stories| articles)|don'?t miss|top stories|"
        r"latest(?: news| stories| articles| videos| posts)?|what to read next|"
        r"in other news|around the web|from the web|editor'?s picks?|"
        r"also on \S+|elsewhere on \S+|explore more(?: on (?:this|"
        r"these) topics?)?|other stories|featured(?: stories| articles)?|"
        r"more headlines)\s*[:»›>]?$",
    ),
    ("related_list", r"related\s*:\s*\S"),
    (
        "tags",
        r"(?:topics?|tags?|tagged(?: with)?|filed under|categories|category|"
        r"keywords|more about)\s*:\s*\S.{0,150}$",
    ),
]
# Prompts anywhere in a line: (reason, keywords, pattern); the pattern is searched
# only when the lower-cased line contains one of the "|"-separated keywords (a cheap
# substring test; keywords are words rare in news prose).
_UNANCHORED: list[tuple[str, str, str]] = [
    ("spam_notice", "spam", r"\bto reduce spam\b"),
    ("spam_notice", "comment data", r"\blearn how your comment data is processed\b"),
    ("spam_notice", "recaptcha", r"\bprotected by recaptcha\b"),
    (
        "adblock_notice",
        "adblock|ad block|ad-block",
        r"\bad[- ]?block(?:er|ers|ing)?\b.{0,80}\b(?:disabl|turn(?:ing)? off|whitelist|"
        r"allowlist|pause|support us)|\b(?:disabl\w*|turn(?:ing)? off|whitelist\w*|"
        r"support us by)\b.{0,60}\bad[- ]?block",
    ),
    (
        "cookie_notice",
        "cookies",
        r"\b(?:we|this (?:web)?site|our (?:web)?site|our partners)\b.{0,60}\bcookies\b",
    ),
    (
        "cookie_notice",
        "cookies",
        r"\b(?:accept|reject|manage|allow|use of)(?: all| our)? cookies\b",
    ),
    (
        "cookie_notice",
        "by continuing|by using",
        r"\bby (?:continuing|using)(?: to (?:use|browse))? (?:this|our) (?:web)?site\b",
    ),
    ("cookie_notice", "value your privacy", r"\bwe value your privacy\b"),
    (
        "paywall",
        "continue reading|keep reading",
        r"\b(?:subscribe|register|sign in|log in|sign up)(?: now| for free|"
        r" today)? to (?:continue|keep) reading\b",
    ),
    (
        "paywall",
        "subscribers|members",
        r"\b(?:this|the) (?:article|story|content|piece|"
        r"page) is (?:only )?(?:available )?(?:exclusively )?(?:for|"
        r"to) (?:\w+ )?(?:subscribers|members)\b",
    ),
    (
        "paywall",
        "unlock",
        r"\bunlock (?:this|the full|full|unlimited) (?:article|access|story|stories)\b",
    ),
    (
        "paywall",
        "you've|you’ve|youve|you have",
        r"\byou(?:'|’)?(?:ve| have) (?:reached|read|used) (?:your|all of your|"
        r"\d+ of your|\d+) (?:free )?(?:article|stor|limit|monthly)",
    ),
    ("paywall", "free trial", r"\b(?:start|begin) your free trial\b"),
    ("paywall", "subscribers|members", r"\bexclusive(?:ly)? (?:to|for) (?:subscribers|members)\b"),
    (
        "comment_prompt",
        "share your",
        r"\bshare your (?:thoughts|views|opinions?|comments|experiences?)\b",
    ),
    (
        "comment_prompt",
        "tell us",
        r"\btell us(?: what you think| your (?:thoughts|views)| in the comments)",
    ),
    (
        "comment_prompt",
        "let us know",
        r"\blet us know(?: what you think| your (?:thoughts|views)| in the comments)",
    ),
    ("comment_prompt", "the comment", r"\bin the comments?(?: section)? below\b"),
    ("comment_prompt", "will not be published", r"\byour e-?mail address will not be published\b"),
    ("comment_prompt", "required fields", r"\brequired fields are marked\b"),
    (
        "comment_prompt",
        "logged in|signed in|comments are",
        r"\byou must be (?:logged|signed) in to (?:post|leave) a comment\b|"
        r"\bcomments are (?:closed|moderated)\b",
    ),
    ("newsletter", "newsletter", r"\b(?:sign up|subscribe|register)\b.{0,60}\bnewsletters?\b"),
    ("newsletter", "inbox", r"\bdelivered (?:straight )?to your inbox\b"),
    ("newsletter", "thank you", r"\bthank you for (?:subscribing|signing up)\b"),
    ("newsletter", "signing up", r"\bby signing up,? you agree\b"),
    ("share_prompt", "new window", r"\(opens in (?:a )?new window\)$"),
]
# Patterns that only match a whole short line (they end in "$" within a few words)
# are tried on lines of at most 15 words; the others (prefixes) on every line.
_WHOLE_LINE = frozenset({1, 2, 4, 10, 13, 14, 16, 17, 18, 21, 24})


def _alternation(indices: Iterable[int]) -> re.Pattern[str]:
    return re.compile(
        "|".join(f"(?P<{_ANCHORED[i][0]}__{i}>(?:{_ANCHORED[i][1]}))" for i in indices),
        re.IGNORECASE,
    )


_SHORT_RE = _alternation(sorted(_WHOLE_LINE))
_PREFIX_RE = _alternation(i for i in range(len(_ANCHORED)) if i not in _WHOLE_LINE)

# keyword -> patterns; "a|b" lists alternative keywords for one pattern
_UNANCHORED_RE: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _reason, _kws, _pat in _UNANCHORED:
    for _kw in _kws.split("|"):
        _UNANCHORED_RE.setdefault(_kw, []).append((_reason, re.compile(_pat, re.IGNORECASE)))
_PRECEDENCE = [
    "spam_notice", "adblock_notice", "cookie_notice", "paywall", "comment_prompt",
    "newsletter", "share_prompt", "video_player", "advertisement", "callout",
    "read_more_list", "related_list", "tags",
]  # fmt: skip


def _prompt_reason(line: str) -> str | None:
    """Return the prompt reason of a line (first in precedence order), or None."""
    found: set[str] = set()
    m = _PREFIX_RE.match(line)
    if m is None and line.count(" ") < 15:
        m = _SHORT_RE.match(line)
    if m:
        found.add(m.lastgroup.split("__")[0])  # type: ignore[union-attr]
    low = line.lower()
    for keyword, patterns in _UNANCHORED_RE.items():
        if keyword in low:  # a substring test is far cheaper than a regex scan
            for reason, pattern in patterns:
                if reason not in found and pattern.search(line):
                    found.add(reason)
    if not found:
        return None
    return next(r for r in _PRECEDENCE if r in found)


_LIST_HEADERS = frozenset({"related_list", "read_more_list"})

_OPINION_QUESTION = re.compile(
    r"\b(?:(?:do|would|should|will|did|could|can|have|are) you (?:think|"
    r"agree|believe|feel|say|expect|support|trust|see|like)"
    r"|what(?:'s| is| are) your (?:view|opinion|take|thoughts|experience)|"
    r"how do you (?:feel|see|rate)"
    r"|where do you stand|your (?:thoughts|views) on)\b",
    re.IGNORECASE,
)
_RELATIVE_TIME = re.compile(
    r"^(?:(?:updated|published|posted)\s+)?(?:\d+|an?|one)\s+(?:seconds?|"
    r"minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago\.?$"
    r"|^(?:updated|published|posted)\s+(?:today|yesterday|just now)\b.{0,20}$"
    r"|^(?:last\s+)?(?:updated|published|posted|modified)(?:\s+(?:at|on))?\s+\d{1,2}[:.]\d{2}"
    r"\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4})?$",
    re.IGNORECASE,
)


def chrome_reason(line: str) -> str | None:
    """Classify one line on its own features; return a removal reason or ``None``.

    Checks, in order: reader prompts and notices (see :data:`REASONS`), photo credits,
    footer menus, breadcrumbs, bylines, date stamps and reader questions. Lines of
    more than 60 words are never chrome. Context (position on the page, neighbouring
    lines) is applied later by :func:`clean_page`.

    Parameters
    ----------
    line : str
        One whitespace-normalised line.

    Returns
    -------
    str or None

    Examples
    --------
    >>> chrome_reason("Leave a Comment")
    'comment_prompt'
    >>> chrome_reason("Sign up for our morning newsletter")
    'newsletter'
    >>> chrome_reason("The talks resumed in Geneva on Monday.") is None
    True
    """
    n_words = len(line.split())
    if not line or n_words > _MAX_CHROME_WORDS:
        return None
    reason = _prompt_reason(line)
    if reason is not None:
        return reason
    if is_photo_credit(line):
        return "photo_credit"
    if n_words <= 20 and is_footer_menu(line):  # before breadcrumbs: both use "|"
        return "footer_menu"
    if is_breadcrumb(line):
        return "breadcrumb"
    if n_words <= 20:  # bylines and date stamps are short
        if split_byline(line) is not None:
            return "byline"
        if _RELATIVE_TIME.match(line) or _date_of_stamp(line) is not None:
            return "dateline"
    if _is_question(line) and _OPINION_QUESTION.search(line):
        return "reader_question"
    return None


# Site chrome repeats on every page of a site: classify each distinct short line once
# (bounded: at most 16,384 lines of <= 20 words, a few MB). Prose is not cached.
_chrome_short = functools.lru_cache(maxsize=1 << 14)(chrome_reason)


def _chrome_cached(line: str) -> str | None:
    return _chrome_short(line) if line.count(" ") < 20 else chrome_reason(line)


def is_prompt(line: str) -> bool:
    """Return True when ``line`` is a prompt or notice addressed to the reader.

    Covers newsletter, comment, share and paywall prompts, ad-block, cookie and spam
    notices, video-player controls, advertisement labels, callouts and list headers
    such as "Related Articles" or "Read more:".

    Parameters
    ----------
    line : str

    Returns
    -------
    bool

    Examples
    --------
    >>> is_prompt("Share this article")
    True
    >>> is_prompt("Shares in the company fell 5% on Monday.")
    False
    """
    return len(line.split()) <= _MAX_CHROME_WORDS and _prompt_reason(line) is not None


def _is_question(line: str) -> bool:
    return line.rstrip(_CLOSERS).endswith("?") and line.count(" ") < 30


# ---------------------------------------------------------------------------- bylines

_BYLINE_LEAD = re.compile(
    r"^(?:(?:written|words|story|text|posted|report(?:ing|ed)?|analysis|interview|"
    r"compiled|additional reporting)\s+)?by:?\s+|^authors?:\s*",
    re.IGNORECASE,
)
_BYLINE_SEP = re.compile(
    r"\s*(?:\||·|•|—|–|\s-\s|,|;)\s*|\s+(?:on|updated|"
    r"published)\s+(?=(?:mon|tue|wed|thu|fri|sat|sun"
    r"|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|\d))",
    re.IGNORECASE,
)
_NAME_SPLIT = re.compile(r"\s+(?:and|&)\s+", re.IGNORECASE)
_ROLE_WORDS = frozenset(
    "editor editors reporter reporters correspondent correspondents writer writers staff "
    "contributor contributors columnist columnists senior chief deputy associate managing "
    "executive political politics foreign diplomatic economics economic business technology "
    "tech science health sport sports news desk team bureau producer analyst special "
    "investigative international national global digital online freelance journalist "
    "journalists photographer editorial board opinion contributing assistant intern fellow "
    "wire services service media agency head director anchor host presenter commentator "
    "affairs security defence defense climate culture europe world us uk "
    "washington london moscow kyiv".split()
)
_NAME_PARTICLES = frozenset(
    "de da di del della der den van von bin ibn al el la le du dos das ter ten".split()
)
_NOT_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december today yesterday this "
    "that these those then now".split()
)
_NAME_TOKEN = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]\.(?:[A-Z]\.)*)$")
_CONNECTORS = frozenset("and of for the at in on & from".split())


def _parse_names(chunk: str) -> list[str] | None:
    """Parse 'Jane Doe and John Roe Senior Editor' into names, or None if not a byline."""
    names: list[str] = []
    for part in _NAME_SPLIT.split(chunk.strip()):
        tokens = part.split()
        name: list[str] = []
        i = 0
        while i < len(tokens) and len(name) < 4:
            tok = tokens[i].rstrip(",")
            low = tok.casefold().strip(".")
            if name and low in _ROLE_WORDS:
                break
            if _NAME_TOKEN.match(tok) and low not in _NOT_NAMES:
                name.append(tok)
            elif name and low in _NAME_PARTICLES and i + 1 < len(tokens):
                name.append(tok)
            else:
                break
            i += 1
        rest = tokens[i:]
        # What follows a name must be a role, an organisation or "in <Place>".
        if any(not (_NAME_TOKEN.match(t) or t.casefold() in _CONNECTORS) for t in rest):
            return None
        if not name:
            if names:
                continue  # "… and Reuters staff": an organisation after the names
            return None
        if len(name) == 1 and (rest or len(tokens) > 1):
            return None
        names.append(" ".join(w.title() if w.isupper() and len(w) > 2 else w for w in name))
    return names or None


def split_byline(line: str) -> str | None:
    """Return the author name(s) of a byline, or ``None`` when ``line`` is not one.

    A byline starts with "By" (or "Written by", "Reporting by", "Author:") followed by
    one or more capitalised names, optionally joined by "and"/"&", optionally followed
    by a role or outlet ("Senior News Editor", ", Political Correspondent",
    "| Reuters", "in Kyiv") and a date. All-caps names are title-cased.

    Parameters
    ----------
    line : str

    Returns
    -------
    str or None
        Names joined by ``"; "``.

    Examples
    --------
    >>> split_byline("By Jane Doe and John Roe")
    'Jane Doe; John Roe'
    >>> split_byline("by James Carter Senior News Editor")
    'James Carter'
    >>> split_byline("By the end of the year, prices had doubled.") is None
    True
    """
    m = _BYLINE_LEAD.match(line)
    if not m or len(line.split()) > 16:
        return None
    body = line[m.end() :].strip()
    if not body or (_sentence_like(body) and len(body.split()) > 6 and body[-2:-1] != "."):
        return None
    names: list[str] = []
    for i, segment in enumerate(s for s in _BYLINE_SEP.split(body) if s):
        if find_date_line(segment) is not None or _RELATIVE_TIME.match(segment):
            continue
        parsed = _parse_names(segment.rstrip("."))
        if parsed is None or (i > 0 and len(parsed[0].split()) < 2):
            if i == 0:
                return None
            continue  # a role or outlet after a separator
        names.extend(n for n in parsed if len(n.split()) >= 2 or i == 0)
    return "; ".join(dict.fromkeys(names)) or None


_CAP = r"[A-Z][\w'’.-]*"
_PERSON = rf"{_CAP}(?:\s+(?:(?:de|da|di|del|der|van|von|al|bin|le|la|du)\s+)?{_CAP}){{1,2}}"
_NAME_ONLY = re.compile(
    rf"^{_PERSON}(?:\s*(?:,|\band\b|&)\s*{_PERSON})*(?:\s+in\s+{_CAP}(?:\s+{_CAP}){{0,2}})?$"
)


def _name_only_byline(line: str) -> str | None:
    """'Jane Doe in Kyiv' / 'Jane Doe and John Roe': a byline without 'By' (header only).

    The first segment must be two- or three-word names joined by 'and', optionally
    'in <Place>'; later segments (after '|', ',', '·') must be a role or a date.
    """
    if len(line.split()) > 12 or _sentence_like(line):
        return None
    segments = [s for s in _BYLINE_SEP.split(line) if s]
    if not segments or not _NAME_ONLY.match(segments[0]):
        return None
    for seg in segments[1:]:
        words = {w.casefold() for w in seg.split()}
        if not (words & _ROLE_WORDS) and find_date_line(seg) is None:
            return None
    head = re.split(r"\s+in\s+", segments[0])[0]
    names = [n.strip() for n in re.split(r"\s*(?:,|\band\b|&)\s*", head) if n.strip()]
    return "; ".join(names)


_STAMP_PREFIX = re.compile(
    r"^(?:last\s+)?(?:updated|modified|edited|published|posted|first\s+published|dated?|"
    r"released|issued|created)\b",
    re.IGNORECASE,
)
_STAMP_BY = re.compile(r"^(.{6,80}?)\s+by\s+(\S.{0,40})$", re.IGNORECASE)


def _date_of_stamp(line: str) -> pd.Timestamp | None:
    """Date of a date-stamp line, also 'Posted on May 2, 2024 by admin'."""
    found = find_date_line(line)
    if found is None and " by " in line.lower():
        m = _STAMP_BY.match(line)
        if m and len(m.group(2).split()) <= 4:
            found = find_date_line(m.group(1))
    return found


def _stamp_author(line: str) -> str | None:
    """Return the author named in a 'Posted on <date> by Jane Doe' stamp."""
    m = _STAMP_BY.match(line)
    if m and find_date_line(m.group(1)) is not None:
        names = _parse_names(m.group(2).rstrip("."))
        if names and all(len(n.split()) >= 2 for n in names):
            return "; ".join(names)
    return None


def _byline_date(line: str) -> pd.Timestamp | None:
    for segment in _BYLINE_SEP.split(line):
        found = find_date_line(segment) if segment else None
        if found is not None:
            return found
    return None


# ------------------------------------------------------------------- titles, datelines

_WIRE_DATELINE = re.compile(
    r"^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"  # place, up to four capitalised words
    r"(?:,\s*[A-Z][\w.]*(?:\s+[A-Z]?[\w.]+)?)?"  # ", Ukraine" or ", May 15"
    r"(?P<agency>\s*\([A-Za-z][\w .&/-]{1,30}\))?"  # "(Reuters)"
    r"\s*(?P<dash>[–—]|-{1,2})\s+(?P<next>[\"“‘'(]?[A-Z0-9])"
)
_SPACED_DASH = re.compile(r"\s(?:[–—]|-{1,2})\s")


def starts_with_dateline(line: str) -> bool:
    """Return True when a paragraph opens with a wire-style dateline.

    Examples are ``"LONDON (Reuters) - …"``, ``"Brussels – …"``,
    ``"KYIV, Ukraine (AP) — …"``: up to four capitalised place words, an optional
    qualifier and agency, then a dash and a capitalised word. Without an agency, a
    hyphen needs an ALL-CAPS place (a Title-Case name before a hyphen is usually a
    film or company name), and a dash that closes later in the sentence is a
    parenthetical. Marks the first paragraph of the body.

    Parameters
    ----------
    line : str

    Returns
    -------
    bool

    Examples
    --------
    >>> starts_with_dateline("LONDON (Reuters) - Britain's economy grew in May.")
    True
    >>> starts_with_dateline("Poland - a large EU member - asked for time.")
    False
    """
    m = _WIRE_DATELINE.match(line)
    if not m:
        return False
    if m.group("agency"):
        return True
    place = line[: m.start("dash")].split(",")[0]
    if m.group("dash").startswith("-") and not place.isupper():
        return False  # "Sophie Scholl - The Final Days portrays…": a title, not a place
    # "Yili - full name Inner Mongolia Yili - confirmed": a parenthetical, not a dateline
    return not _SPACED_DASH.search(line, m.end(), m.end() + 100)


_SENTENCE_END = re.compile(r"[.!?]$")


def split_glued_title(text: str) -> tuple[str, str]:
    """Split a title-case headline from sentence-case text glued after it.

    Scraped pages often put the headline and the standfirst on one line
    ("Talks Aim to Balance Interests In this article, we explore…"). The headline
    is the leading run of title-case words (capitalised, or short function words);
    the glued text starts at the capitalised word just before the first lower-case
    content word, or after a sentence end inside the run. Sentence-case text (a run
    shorter than three words) is not split.

    Parameters
    ----------
    text : str

    Returns
    -------
    tuple of (str, str)
        ``(title, rest)``; ``rest`` is ``""`` when nothing was split off.

    Examples
    --------
    >>> split_glued_title("Talks Aim to Balance Interests In this article, we explore the goals.")
    ('Talks Aim to Balance Interests', 'In this article, we explore the goals.')
    >>> split_glued_title("Daughter of crypto boss escapes kidnap")
    ('Daughter of crypto boss escapes kidnap', '')
    """
    tokens = text.split()
    j = next((i for i, tok in enumerate(tokens) if not _title_word(tok)), None)
    if j is None or j < 3:
        return text, ""
    cut = j - 1
    for k in range(1, j):  # a sentence end inside the run wins
        if _SENTENCE_END.search(tokens[k - 1]) and len(tokens[k - 1]) > 2:
            cut = k
            break
    if cut < 3 or len(tokens) - cut < 3:
        return text, ""
    return " ".join(tokens[:cut]), " ".join(tokens[cut:])


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
