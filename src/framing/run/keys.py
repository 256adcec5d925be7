"""Cache keys of the steps: the code a step runs, the settings it reads, its inputs.

A step's key is the sha256 of

- the **code** it runs: its module (:attr:`Step.module <framing.run.registry.Step>`)
  and every ``framing`` module reached from it through ``import`` statements,
  transitively (found with :mod:`ast`, without importing anything; imports inside
  functions count, imports under ``if TYPE_CHECKING:`` do not; a package's
  ``__init__`` counts for every module imported from it), plus the package data the
  step declares, plus the framing version;
- the **settings** it declares in :data:`~framing.run.registry.STEPS`, and the
  sha256 of every file those settings name (frame set, actor list, alias map, coded
  units);
- the keys of the steps whose tables it reads, and, for ``corpus``, the sha256 of
  every input file.

So editing a module re-runs exactly the steps that import it, directly or not, and a
setting re-runs only the steps that read it.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from framing import MOVED, __version__
from framing.corpus.files import sha256_file
from framing.run.schema import _NAME_OR_PATH_KEYS, _PATH_KEYS

if TYPE_CHECKING:  # pragma: no cover
    from framing.run.config import RunConfig
    from framing.run.registry import Step

__all__ = [
    "PACKAGE_ROOT",
    "code_digest",
    "code_files",
    "engine_digest",
    "sha256_file",
    "sha256_json",
    "step_key",
    "step_settings",
]

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
# settings naming a file whose contents count, not only its name (the corpus files
# are hashed one by one as the inputs of step corpus)
_FILE_SETTINGS = {f"{s}.{k}" for s, k in _PATH_KEYS | _NAME_OR_PATH_KEYS} - {
    "corpus.path",
    "output.dir",
}
_DIGESTS: dict[tuple[str, str], str] = {}


def sha256_json(value: Any) -> str:
    """Return the sha256 of ``value`` as canonical JSON (sorted keys)."""
    return hashlib.sha256(
        json.dumps(value, sort_keys=True, default=str).encode("utf-8")
    ).hexdigest()


# --------------------------------------------------------------------------- code
def _module_file(name: str, root: Path) -> Path | None:
    """Return the file of module ``name`` (``framing.a.b``) under ``root``, if it exists."""
    base = root.joinpath(*name.split(".")[1:])
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    return None


def _imports(path: Path, name: str) -> frozenset[str]:
    """Names that ``import`` statements in ``path`` (module ``name``) may refer to."""
    stat = path.stat()
    return _parse_imports(path, name, stat.st_mtime_ns, stat.st_size)


_IMPORT_LINE = re.compile(rb"^([ \t]*)(?:from[ \t]+[\w.]+|import)[ \t]", re.M)
_TYPE_CHECKING_LINE = re.compile(rb"^([ \t]*)if[ \t]+(?:typing\.)?TYPE_CHECKING[ \t]*:", re.M)


def _import_statements(source: bytes) -> list[ast.stmt]:
    """Return the ``import`` statements of ``source`` outside ``if TYPE_CHECKING:`` blocks.

    Each statement is parsed on its own (parsing whole modules costs ten times more);
    a line that only looks like an import (in a docstring) and does not parse is
    skipped, one that parses counts (erring on the side of a larger key).
    """
    skipped: list[tuple[int, int]] = []  # (start, end) byte ranges of TYPE_CHECKING blocks
    for match in _TYPE_CHECKING_LINE.finditer(source):
        indent = len(match.group(1))
        end = source.find(b"\n", match.end())
        pos = len(source) if end < 0 else end + 1
        while pos < len(source):
            line_end = source.find(b"\n", pos)
            line_end = len(source) if line_end < 0 else line_end + 1
            line = source[pos:line_end]
            body = line.strip()
            if body and len(line) - len(line.lstrip()) <= indent and not body.startswith(b"#"):
                break
            pos = line_end
        skipped.append((match.start(), pos))
    statements: list[ast.stmt] = []
    for match in _IMPORT_LINE.finditer(source):
        if any(a <= match.start() < b for a, b in skipped):
            continue
        end = source.find(b"\n", match.end())
        end = len(source) if end < 0 else end
        text = source[match.start() : end]
        if b"(" in text and b")" not in text:
            close = source.find(b")", end)
            text = source[match.start() : close + 1] if close >= 0 else text
        while text.rstrip().endswith(b"\\"):
            nxt = source.find(b"\n", end + 1)
            nxt = len(source) if nxt < 0 else nxt
            text, end = source[match.start() : nxt], nxt
        try:
            statements += ast.parse(text.decode("utf-8", "replace").strip()).body
        except SyntaxError:
            continue
    return statements


@functools.lru_cache(maxsize=1024)
def _parse_imports(path: Path, name: str, _mtime: int, _size: int) -> frozenset[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _import_statements(path.read_bytes()):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, node.module] if node.module else parts)
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names if a.name != "*")
    return frozenset(n for n in found if n == "framing" or n.startswith("framing."))


def code_files(module: str, root: Path = PACKAGE_ROOT) -> list[Path]:
    """Every file of the ``framing`` package that running ``module`` may execute.

    ``module`` itself, the packages above it, and everything reached from them through
    ``import`` statements, transitively; an old module path (``framing.MOVED``) counts
    as the module it moved to. Sorted.
    """
    seen: dict[str, Path | None] = {}
    stack = [module]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        name_moved = MOVED.get(name)  # an old path imports the module at its new path
        path = _module_file(name, root)
        seen[name] = path
        # importing a.b.c runs the packages a and a.b first, even when c is not a module
        stack.extend(".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1))
        if name_moved:
            stack.append(name_moved)
        if path is not None:
            stack.extend(_imports(path, name))
    return sorted({p for p in seen.values() if p is not None})


def _data_files(data: Iterable[str], root: Path) -> list[Path]:
    files: list[Path] = []
    for entry in data:
        target = root / entry
        if target.is_dir():
            files += [
                p
                for p in sorted(target.rglob("*"))
                if p.is_file() and not any(part.startswith((".", "__")) for part in p.parts)
            ]
        elif target.is_file():
            files.append(target)
        else:
            raise FileNotFoundError(f"package data {entry!r} declared by a step is missing")
    return files


def code_digest(step: Step, root: Path = PACKAGE_ROOT) -> str:
    """Return the sha256 over the code and package data ``step`` depends on."""
    return _files_digest(
        (step.name, str(root)),
        lambda: {*code_files(step.module, root), *_data_files(step.data, root)},
        root,
    )


def _files_digest(cache_key: tuple[str, str], files: Any, root: Path) -> str:
    """sha256 over the version, then each file's path and bytes (sorted); kept per process."""
    if cache_key not in _DIGESTS:
        digest = hashlib.sha256(__version__.encode())
        for path in sorted(files()):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
        _DIGESTS[cache_key] = digest.hexdigest()
    return _DIGESTS[cache_key]


# --------------------------------------------------------------------------- settings
def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def step_settings(cfg: RunConfig, step: Step) -> dict[str, Any]:
    """Return the settings ``step`` reads (``section.key`` -> value) and named files.

    Returns
    -------
    dict
        ``{"settings": {...}, "files": {setting: sha256}}``; a file that does not
        exist is left out (the step reports it when it runs).
    """
    settings: dict[str, Any] = {}
    for read in step.reads:
        section_name, _, key = read.partition(".")
        section = getattr(cfg, section_name)
        keys = [key] if key else [f.name for f in dataclasses.fields(section)]
        for k in keys:
            full = f"{section_name}.{k}"
            if full not in step.unread:
                settings[full] = _jsonable(getattr(section, k))
    files = {}
    for full, value in settings.items():
        if full in _FILE_SETTINGS and isinstance(value, str) and value:
            path = Path(value)
            if path.is_file():
                files[full] = sha256_file(path)
    return {"settings": settings, "files": files}


def step_key(
    cfg: RunConfig,
    step: Step,
    need_keys: Sequence[str | None],
    inputs: Sequence[dict[str, Any]] | None = None,
    partitioned: bool = False,
) -> str:
    """Return the cache key of ``step`` (see the module docstring).

    ``partitioned``: the partitioned engine runs the step (the runner says so,
    :func:`framing.run.engine.partitioned`); its code (:func:`engine_digest`), not
    only the step's module, computes the tables, so it is part of the key.
    """
    return sha256_json(
        {
            "step": step.name,
            **step_settings(cfg, step),
            "needs": list(need_keys),
            "code": code_digest(step),
            **({"engine": engine_digest()} if partitioned else {}),
            "inputs": [f["sha256"] for f in inputs or []] if step.inputs else None,
        }
    )


def engine_digest(root: Path = PACKAGE_ROOT) -> str:
    """Return the sha256 over ``framing.run.engine``, the partitioned engine, and its imports."""
    return _files_digest(
        ("<engine>", str(root)), lambda: code_files("framing.run.engine", root), root
    )
