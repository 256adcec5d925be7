"""HTML pages: main text and metadata extracted offline with trafilatura."""

from __future__ import annotations

from typing import Any

from framing.corpus.problems import FileProblem

__all__ = ["read_html_article"]


def read_html_article(text: str, *, name: str) -> dict[str, Any]:
    """Extract the main text and metadata of an HTML page with trafilatura, offline.

    Returns
    -------
    dict
        ``text`` (paragraphs separated by blank lines; a first line equal to the
        title is dropped), ``title``, ``author``, ``url``, ``published`` (the
        string trafilatura found), ``sitename``, ``standfirst`` (the page
        description) and ``language``; missing values are ``""``.

    Raises
    ------
    FileProblem
        If trafilatura finds no main text.
    """
    import trafilatura  # heavy; only when an HTML file is met

    doc = trafilatura.bare_extraction(
        text,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
    )
    if doc is None or not (getattr(doc, "text", None) or "").strip():
        raise FileProblem(
            "no main text",
            f"{name}: trafilatura found no article text in this HTML page",
        )
    title = (doc.title or "").strip()
    lines = [ln.strip() for ln in doc.text.split("\n") if ln.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    return {
        "text": "\n\n".join(lines),
        "title": title,
        "author": (doc.author or "").strip(),
        "url": (doc.url or "").strip(),
        "published": (doc.date or "").strip(),
        "sitename": (doc.sitename or "").strip(),
        "standfirst": (doc.description or "").strip(),
        "language": (doc.language or "").strip(),
    }
