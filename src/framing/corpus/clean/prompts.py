"""Context-free chrome: reader prompts, player debris and labels (:func:`chrome_reason`)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from framing.corpus.clean.bylines import _RELATIVE_TIME, _date_of_stamp, split_byline
from framing.corpus.clean.navigation import is_breadcrumb, is_footer_menu, is_photo_credit
from framing.corpus.clean.text import _CLOSERS, _MAX_CHROME_WORDS

__all__ = ["chrome_reason", "is_prompt"]


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
