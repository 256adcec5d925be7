"""The one walker of a corpus folder and the one list of corpus formats.

:func:`discover_files` lists what the reader sees; :func:`skip_reason` says which of
those files it does not read and why; :func:`corpus_files` are the files it reads
(the articles) and :func:`input_files` those plus the folder's ``manifest.csv``: the
files a run's results depend on. The loader, the run's input hashing
(``framing.run.runner``) and ``framing init`` all use these, so a README or LICENSE
next to the articles never invalidates a cached run.

Accepted formats (by file suffix, case-insensitive):

==================  ==========================================================
suffix              read as
==================  ==========================================================
``.txt``            one article per file: scraped page text or plain text
``.html``/``.htm``  one article per file: main text and metadata extracted
                    offline with trafilatura (Barbaresi 2021), no fetching
``.json``           one article object, or a list of article objects
``.jsonl``          one article object per line (blank lines ignored)
``.csv``/``.tsv``   one article per row, first row is the header
``.parquet``        one article per row
==================  ==========================================================

References
----------
Barbaresi, A. (2021). Trafilatura: A Web Scraping Library and Command-Line Tool for
Text Discovery and Extraction. *Proceedings of ACL-IJCNLP 2021: System
Demonstrations*, 122-131.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "FORMATS",
    "OWN_FILES",
    "corpus_files",
    "discover_files",
    "file_hashes",
    "input_files",
    "is_documentation_file",
    "skip_reason",
]

#: File suffix -> format name.
FORMATS: dict[str, str] = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
}

#: Files of the corpus folder itself (top level, any case): metadata, not articles.
OWN_FILES = frozenset({"manifest.csv", "readme.md"})

_DOC_NAME = re.compile(
    r"^(readme|licen[cs]e|provenance|changelog|copying)([._ -].*)?$", re.IGNORECASE
)


def is_documentation_file(name: str) -> bool:
    """Return True for README/LICENSE/PROVENANCE/CHANGELOG/COPYING files (any suffix).

    Examples
    --------
    >>> is_documentation_file("README.TXT"), is_documentation_file("LICENSE_original.txt")
    (True, True)
    >>> is_documentation_file("readmission_rates.csv")
    False
    """
    return bool(_DOC_NAME.match(name))


def discover_files(root: Path) -> list[Path]:
    """List every non-hidden file under ``root`` (recursively), sorted by relative path.

    Hidden files and folders (name starting with ``.``) are ignored entirely.
    """
    found = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file():
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def skip_reason(path: Path, root: Path) -> str | None:
    """Why the reader does not read ``path`` (a file found under ``root``), or None.

    ``"own file"`` (the folder's top-level ``manifest.csv``/``README.md``, never
    reported), ``"documentation file"`` or ``"unsupported format"``.

    Examples
    --------
    >>> root = Path("corpus")
    >>> [skip_reason(root / n, root) for n in ("a.txt", "README.md", "notes.docx")]
    [None, 'own file', 'unsupported format']
    """
    if path.parent == root and path.name.lower() in OWN_FILES:
        return "own file"
    if is_documentation_file(path.name):
        return "documentation file"
    if path.suffix.lower() not in FORMATS:
        return "unsupported format"
    return None


def corpus_files(source: Path) -> list[Path]:
    """Return the files the reader reads: ``source`` itself, or a folder's articles."""
    if not source.is_dir():
        return [source]
    return [p for p in discover_files(source) if skip_reason(p, source) is None]


def input_files(source: Path) -> list[Path]:
    """Return the files a load depends on: :func:`corpus_files` and ``manifest.csv``.

    Sorted by relative path. Documentation files, unsupported suffixes and hidden
    files are not inputs: editing them changes nothing the loader reads.
    """
    if not source.is_dir():
        return [source]
    return [
        p
        for p in discover_files(source)
        if skip_reason(p, source) is None
        or (p.parent == source and p.name.lower() == "manifest.csv")
    ]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_hashes(
    files: Mapping[str, Path], known: Mapping[str, Mapping[str, Any]], *, rehash: bool = False
) -> dict[str, dict[str, Any]]:
    """Return ``sha256``, ``bytes`` and ``mtime_ns`` of each file, hashing only new ones.

    A file whose size and modification time (ns) equal those recorded in ``known``
    (an earlier result of this function, by the same names) keeps its recorded
    sha256 without being read: the stat fingerprint of build tools such as make and
    rsync's default quick check. So a file rewritten with **identical size and
    mtime** is taken as unchanged; ``rehash=True`` (``framing run --force``) reads
    and hashes every file again, and touching a file (a new mtime) re-reads it.

    Parameters
    ----------
    files : mapping of str to Path
        Name (e.g. the path relative to the corpus folder) -> file.
    known : mapping
        Name -> ``{"sha256", "bytes", "mtime_ns"}`` from an earlier call; entries
        without ``mtime_ns`` are hashed again.
    rehash : bool, default=False
        Hash every file, trusting no recorded fingerprint.

    Returns
    -------
    dict
        Name -> ``{"sha256", "bytes", "mtime_ns"}``. The stat is taken before the
        file is read, so a file changed while it is hashed is hashed again next time.
    """
    out: dict[str, dict[str, Any]] = {}
    for name, path in files.items():
        stat = path.stat()
        seen = known.get(name) or {}
        same = (
            not rehash
            and seen.get("sha256")
            and seen.get("bytes") == stat.st_size
            and seen.get("mtime_ns") == stat.st_mtime_ns
        )
        sha = seen["sha256"] if same else _sha256(path)
        out[name] = {"sha256": sha, "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    return out
