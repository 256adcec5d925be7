"""The corpus options: declared once, here; everything else is derived or checked.

:data:`OPTIONS` lists the 19 options of :func:`framing.load_corpus`, in signature
order, each with its Python default, its ``[corpus]`` default in the run
configuration (``""`` = not set) and its one-line help. From it come:

- the command-line flags of ``framing run`` and ``framing corpus``
  (:func:`add_mapping_arguments`, :func:`mapping_from_args`);
- the keyword arguments a ``[corpus]`` section passes on
  (:func:`mapping_from_config`, used by ``framing.run.config.CorpusConfig``);
- hints in the caller's syntax (:func:`spell`: ``errors='skip'`` from Python,
  ``--errors skip`` on the command line).

The ``load_corpus`` signature, :class:`LoadOptions`, ``CorpusConfig`` and the
shipped ``default.toml`` are written out for readers and type checkers; a test
(``tests/test_corpus_options.py``) fails when one of them drifts from
:data:`OPTIONS`.
"""

from __future__ import annotations

import argparse
import contextlib
import contextvars
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from framing.corpus.problems import CorpusError

__all__ = [
    "DEFAULT_FIELDS",
    "OPTIONS",
    "CorpusOption",
    "LoadOptions",
    "add_mapping_arguments",
    "cli_hints",
    "corpus_command",
    "mapping_from_args",
    "mapping_from_config",
    "spell",
    "spell_unset",
]

#: Keys tried, in order, for each field of a structured record when no mapping is
#: given. Matching is case-insensitive (``Text``, ``BODY``); an exact match wins.
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article"),
    "title": ("title", "headline"),
    "outlet": ("outlet", "source", "publisher", "sitename"),
    "published": ("published", "date", "publish_date", "published_at", "pub_date"),
    "author": ("author", "authors", "byline"),
    "url": ("url", "link"),
}
_FIELDS = ("text", "title", "outlet", "published", "author", "url", "id")
_OUTLET_FROM = ("auto", "column", "manifest", "filename", "folder")


@dataclass(frozen=True)
class CorpusOption:
    """One option of :func:`framing.load_corpus`.

    Attributes
    ----------
    name : str
        The keyword argument, ``[corpus]`` key and (with ``-`` for ``_``) CLI flag.
    default : object
        The Python default of ``load_corpus`` and :class:`LoadOptions`.
    toml : object
        The default in ``default.toml``; ``""`` means "not set".
    help : str
        One line for ``--help``.
    metavar : str, optional
        The placeholder shown by ``--help``.
    choices : tuple, optional
        The allowed values on the command line.
    action : {"value", "flag", "toggle"}
        ``"flag"``: ``--name`` sets True; ``"toggle"``: ``--name``/``--no-name``.
    negatable : bool
        A value option that also has ``--no-name`` (sets False).
    """

    name: str
    default: Any
    toml: Any
    help: str
    metavar: str | None = None
    choices: tuple[Any, ...] | None = None
    action: str = "value"
    negatable: bool = False

    @property
    def flag(self) -> str:
        """The command-line flag, e.g. ``--outlet-from``."""
        return "--" + self.name.replace("_", "-")


def _column(field: str, extra: str = "") -> CorpusOption:
    return CorpusOption(
        field, None, "", f"column/key holding the {field} in records{extra}", metavar="KEY"
    )


#: The corpus options, in the order of the ``load_corpus`` signature.
OPTIONS: tuple[CorpusOption, ...] = (
    _column("text", "; KEY1,KEY2 joins several, in order, with a blank line"),
    _column("title"),
    _column("outlet"),
    _column("published"),
    _column("author"),
    _column("url"),
    _column("id", " (a unique article id; default: from the path and row)"),
    CorpusOption(
        "outlet_from",
        "auto",
        "auto",
        "where the outlet comes from (auto = manifest, else the outlet column)",
        choices=_OUTLET_FROM,
    ),
    CorpusOption(
        "outlet_pattern", None, "", "file-name regex; its group 1 is the outlet", "REGEX"
    ),
    CorpusOption("outlet_default", "", "", "outlet when no source names one", "NAME"),
    CorpusOption("outlet_aliases", None, "", "YAML/CSV outlet alias map", "FILE"),
    CorpusOption("folder_column", None, "", "column for each file's parent folder", "NAME"),
    CorpusOption("dayfirst", False, False, "read 05/04/2022 as 5 April", action="flag"),
    CorpusOption(
        "clean",
        None,
        "auto",
        "remove site chrome, with an audit (default: pages fully, records line by line)",
        action="toggle",
    ),
    CorpusOption(
        "manifest",
        None,
        "",
        "manifest CSV (default <folder>/manifest.csv); --no-manifest ignores it",
        "FILE",
        negatable=True,
    ),
    CorpusOption(
        "errors",
        "raise",
        "raise",
        "malformed items: stop after listing them all, or skip them",
        choices=("raise", "skip"),
    ),
    CorpusOption("encoding", None, "", "file encoding (default: detect)", "CODEC"),
    CorpusOption("language", None, "", "language code of the articles, e.g. en", "CODE"),
    CorpusOption("drop_duplicates", False, False, "drop flagged duplicates", action="flag"),
)
_BY_NAME = {o.name: o for o in OPTIONS}
_BARE = re.compile(r"[\w.,<>/:-]+")  # shell-safe without quotes

# ------------------------------------------------------------------------- hints
_CLI_STYLE: contextvars.ContextVar[bool] = contextvars.ContextVar("cli_hints", default=False)
_CLI_CONFIG: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "cli_config", default=None
)


@contextlib.contextmanager
def cli_hints(config: str | None = None) -> Iterator[None]:
    """Within this block, :func:`spell` writes command-line flags (``framing`` CLI).

    ``config``: the ``--config`` file of the command, named by :func:`corpus_command`.
    """
    token, config_token = _CLI_STYLE.set(True), _CLI_CONFIG.set(config)
    try:
        yield
    finally:
        _CLI_STYLE.reset(token)
        _CLI_CONFIG.reset(config_token)


def corpus_command(source: Any) -> str:
    """Spell the ``framing corpus`` command that loads ``source`` as this command does.

    Examples
    --------
    >>> corpus_command("news/")
    'framing corpus news/'
    >>> with cli_hints("study/framing.toml"):
    ...     corpus_command("news/")
    'framing corpus --config study/framing.toml'
    """
    config = _CLI_CONFIG.get()
    return f"framing corpus --config {config}" if config else f"framing corpus {source}"


def spell(name: str, value: Any = None) -> str:
    """Spell an option setting in the caller's syntax, for hints in messages.

    Examples
    --------
    >>> spell("errors", "skip"), spell("text", "<column>")
    ("errors='skip'", "text='<column>'")
    >>> with cli_hints():
    ...     spell("errors", "skip"), spell("outlet_from", "filename"), spell("dayfirst", True)
    ('--errors skip', '--outlet-from filename', '--dayfirst')
    """
    if _CLI_STYLE.get():
        flag = "--" + name.replace("_", "-")
        if value is True:
            return flag
        if value is False:
            return "--no-" + name.replace("_", "-")
        text = str(value)
        return f"{flag} {text if _BARE.fullmatch(text) else repr(text)}"
    return f"{name}={value!r}"


def spell_unset(name: str) -> str:
    """Spell "leave this option at its default" in the caller's syntax.

    Examples
    --------
    >>> spell_unset("encoding")
    'encoding=None'
    """
    if _CLI_STYLE.get():
        return "leave out --" + name.replace("_", "-")
    return f"{name}=None"


# ------------------------------------------------------------------ normalised
@dataclass(frozen=True)
class LoadOptions:
    """The options of :func:`framing.load_corpus`, normalised (see its docstring).

    Empty strings mean "not set", so a configuration file can use ``""`` for the
    defaults. ``text`` may name several keys (a list, or a comma-separated string);
    it is stored as a tuple of keys then.
    """

    text: str | tuple[str, ...] | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    author: str | None = None
    url: str | None = None
    id: str | None = None
    outlet_from: str = "auto"
    outlet_pattern: str | None = None
    outlet_default: str = ""
    outlet_aliases: Mapping[str, Any] | str | Path | None = None
    folder_column: str | None = None
    dayfirst: bool = False
    clean: bool | None = None
    manifest: str | Path | bool | None = None
    errors: str = "raise"
    encoding: str | None = None
    language: str | None = None
    drop_duplicates: bool = False

    def __post_init__(self) -> None:
        unset = {"outlet_from": "auto", "errors": "raise", "outlet_default": ""}
        for f in fields(self):
            if getattr(self, f.name) == "":
                object.__setattr__(self, f.name, unset.get(f.name))
        self._normalise_text()
        if self.clean == "auto":
            object.__setattr__(self, "clean", None)
        if self.outlet_from is None:
            object.__setattr__(self, "outlet_from", "auto")
        if self.outlet_from not in _OUTLET_FROM:
            raise CorpusError(
                f"{spell('outlet_from', self.outlet_from)} is not valid; use one of "
                f"{list(_OUTLET_FROM)} ('auto' = manifest, else the outlet column)"
            )
        if self.errors not in ("raise", "skip"):
            raise CorpusError(
                f"{spell('errors', self.errors)} is not valid; use "
                f"{spell('errors', 'raise')} or {spell('errors', 'skip')}"
            )
        if self.clean not in (None, True, False):
            raise CorpusError(f"clean={self.clean!r} is not valid; use True, False or 'auto'")
        if self.outlet_pattern is not None:
            self._check_pattern()

    def _normalise_text(self) -> None:
        text = self.text
        if isinstance(text, str) and "," in text:
            text = [part for part in text.split(",")]
        if isinstance(text, Sequence) and not isinstance(text, str):
            keys = tuple(str(k).strip() for k in text)
            if not keys or not all(keys):
                raise CorpusError(
                    f"{spell('text', ','.join(keys))}: name each text column, e.g. "
                    f"{spell('text', 'title,body')}"
                )
            object.__setattr__(self, "text", keys[0] if len(keys) == 1 else keys)

    def _check_pattern(self) -> None:
        try:
            pattern = re.compile(str(self.outlet_pattern))
        except re.error as exc:
            raise CorpusError(
                f"{spell('outlet_pattern', self.outlet_pattern)} is not a valid regular "
                f"expression: {exc}"
            ) from exc
        if pattern.groups < 1:
            raise CorpusError(
                f"{spell('outlet_pattern', self.outlet_pattern)} needs a group, e.g. "
                f"{spell('outlet_pattern', '^([A-Za-z]+)_')}; its first group is the outlet"
            )
        if self.outlet_from == "auto":
            object.__setattr__(self, "outlet_from", "filename")
        elif self.outlet_from != "filename":
            raise CorpusError(
                "outlet_pattern applies to file names; use it with "
                f"{spell('outlet_from', 'filename')}, not "
                f"{spell('outlet_from', self.outlet_from)}"
            )

    @property
    def text_keys(self) -> tuple[str, ...]:
        """The mapped text keys (empty when the default guesses apply)."""
        if not self.text:
            return ()
        return (self.text,) if isinstance(self.text, str) else tuple(self.text)


# --------------------------------------------------------------------- sources
def mapping_from_config(values: Mapping[str, Any]) -> dict[str, Any]:
    """Return the ``load_corpus`` keyword arguments a ``[corpus]`` section sets.

    A key is passed on when its value differs from its ``default.toml`` default
    (``""`` = not set), so the loader's own defaults apply otherwise.

    Examples
    --------
    >>> mapping_from_config({"text": "body", "dayfirst": True, "errors": "raise"})
    {'text': 'body', 'dayfirst': True}
    """
    out = {}
    for option in OPTIONS:
        value = values.get(option.name, option.toml)
        if isinstance(value, list):
            value = tuple(value)
        if value != option.toml:
            out[option.name] = value
    return out


def add_mapping_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the :func:`framing.load_corpus` options to an argparse parser.

    Shared by ``framing corpus`` and ``framing run``; read them back with
    :func:`mapping_from_args`. Every option defaults to "not given".
    """
    group = parser.add_argument_group("corpus mapping (see framing.load_corpus)")
    for option in OPTIONS:
        dest = f"map_{option.name}"
        if option.action == "flag":
            group.add_argument(
                option.flag, dest=dest, default=None, action="store_true", help=option.help
            )
        elif option.action == "toggle":
            group.add_argument(
                option.flag,
                dest=dest,
                default=None,
                action=argparse.BooleanOptionalAction,
                help=option.help,
            )
        else:
            group.add_argument(
                option.flag,
                dest=dest,
                default=None,
                metavar=option.metavar,
                choices=option.choices,
                help=option.help,
            )
            if option.negatable:
                group.add_argument(
                    "--no-" + option.flag[2:],
                    dest=dest,
                    action="store_false",
                    help=f"ignore the {option.name}",
                )
    return parser


def mapping_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """Return the ``load_corpus`` keyword arguments given on the command line.

    Only options the user gave are returned, so they can override a config file.
    """
    out = {}
    for option in OPTIONS:
        value = getattr(args, f"map_{option.name}", None)
        if value is not None:
            out[option.name] = value
    return out
