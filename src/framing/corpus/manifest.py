"""The corpus manifest: one row of metadata per corpus file.

A folder corpus may hold a ``manifest.csv`` (columns ``file, outlet, published,
title, author, url, language`` plus any extra columns; only ``file`` is required;
``file`` is relative to the corpus folder). A non-empty manifest value fills or
overrides that field for every article of the file (a filled ``outlet`` wins over
the file or folder name too; only ``outlet_from="column"`` ignores it); extra
columns become metadata columns. See ``corpus/README.md``.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from framing.corpus.decoding import decode_bytes
from framing.corpus.problems import CorpusError, FileProblem

__all__ = ["MANIFEST_COLUMNS", "find_manifest", "starter_manifest"]


# --------------------------------------------------------------------------- corpora

#: Columns of a corpus manifest (``file`` is required, the others optional).
MANIFEST_COLUMNS: tuple[str, ...] = (
    "file",
    "outlet",
    "published",
    "title",
    "author",
    "url",
    "language",
)

# --------------------------------------------------------------------------- manifest


def find_manifest(
    manifest: str | Path | bool | None, root: Path, single_file: bool
) -> Path | None:
    """Return the manifest to read for the ``manifest`` option, or None.

    ``None``/``True``: ``<root>/manifest.csv`` when it exists (``True`` requires
    it); ``False``: none; a path: that file, which must exist.
    """
    if manifest is False:
        return None
    if manifest in (None, True):
        candidate = root / "manifest.csv"
        if single_file or not candidate.is_file():
            if manifest is True:
                raise CorpusError(f"manifest=True but {candidate} does not exist")
            return None
        return candidate
    path = Path(str(manifest))
    if not path.is_file():
        raise CorpusError(f"manifest {path} does not exist; fix the path")
    return path


def _read_manifest(path: Path) -> tuple[dict[str, dict[str, str]], dict[str, int]]:
    """Return ``{file: {column: value}}`` (non-empty values only) and ``{file: line}``."""
    try:
        text, _ = decode_bytes(path.read_bytes(), name=str(path))
    except (OSError, FileProblem) as exc:
        raise CorpusError(f"cannot read manifest {path}: {exc}") from exc
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CorpusError(f"manifest {path} is not a valid CSV: {exc}") from exc
    if "file" not in table.columns:
        raise CorpusError(
            f"manifest {path} needs a 'file' column (relative path of each corpus "
            f"file); it has {list(table.columns)}"
        )
    rows: dict[str, dict[str, str]] = {}
    lines: dict[str, int] = {}
    for i, row in enumerate(table.to_dict("records"), start=2):
        name = Path(str(row.pop("file")).strip()).as_posix()
        if not name or name == ".":
            raise CorpusError(f"manifest {path}, line {i}: empty 'file' value")
        if name in rows:
            raise CorpusError(
                f"manifest {path}, line {i}: file {name!r} is listed twice "
                f"(first on line {lines[name]}); keep one row per file"
            )
        rows[name] = {k: str(v).strip() for k, v in row.items() if str(v).strip()}
        lines[name] = i
    return rows, lines


def starter_manifest(corpus: Path, files: list[Path]) -> tuple[str, int]:
    """Return the text of a manifest for ``files`` and how many rows it kept.

    One row per corpus file (``file`` relative to the corpus folder), with the
    standard columns. When the corpus already has a ``manifest.csv``, its filled
    values and extra columns are kept, and so are its rows for files that are
    not there (the loader reports those), so starting a project never loses
    metadata; other values are left empty for the user to fill in.
    """
    root = corpus.parent if corpus.is_file() else corpus
    existing = root / "manifest.csv"
    old: dict[str, dict[str, str]] = {}
    columns = list(MANIFEST_COLUMNS)
    if existing.is_file() and not corpus.is_file():
        try:
            text, _ = decode_bytes(existing.read_bytes(), name=str(existing))
            table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except (OSError, FileProblem, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise CorpusError(
                f"cannot read the corpus's manifest {existing} ({exc}); fix it, or move "
                "it away to start from an empty manifest"
            ) from exc
        if "file" in table.columns:
            columns += [str(c) for c in table.columns if c not in columns]
            for row in table.to_dict("records"):
                name = Path(str(row["file"]).strip()).as_posix()
                old.setdefault(name, {k: str(v) for k, v in row.items()})
    names = [p.relative_to(root).as_posix() for p in files]
    names += [n for n in old if n not in set(names)]
    out = io.StringIO()
    pd.DataFrame(
        [{**dict.fromkeys(columns, ""), **old.get(n, {}), "file": n} for n in names],
        columns=columns,
    ).to_csv(out, index=False, lineterminator="\n")
    return out.getvalue(), sum(1 for n in names if n in old)
