"""Bylines, date stamps, wire datelines and headlines glued to their standfirst."""

from __future__ import annotations

import re

import pandas as pd

from framing.corpus.clean.text import _sentence_like, _title_word
from framing.corpus.dates import find_date_line

__all__ = ["split_byline", "split_glued_title", "starts_with_dateline"]


_RELATIVE_TIME = re.compile(
    r"^(?:(?:updated|published|posted)\s+)?(?:\d+|an?|one)\s+(?:seconds?|"
    r"minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago\.?$"
    r"|^(?:updated|published|posted)\s+(?:today|yesterday|just now)\b.{0,20}$"
    r"|^(?:last\s+)?(?:updated|published|posted|modified)(?:\s+(?:at|on))?\s+\d{1,2}[:.]\d{2}"
    r"\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4})?$",
    re.IGNORECASE,
)
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
