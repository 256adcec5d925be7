"""Navigation chrome: breadcrumbs, footer menus and photo credits."""

from __future__ import annotations

import re

from framing.corpus.clean.text import _sentence_like, _starts_capital

__all__ = ["is_breadcrumb", "is_footer_menu", "is_photo_credit", "split_breadcrumb"]


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
