"""Run settings for ``framing run``: TOML in, a frozen, validated ``RunConfig`` out.

The shipped ``framing/data/default.toml`` holds every parameter with its default and
documents each one in a comment; a user's file only needs the keys it changes.
:func:`load_config` reads the defaults, then the user's file, then ``overrides``
(e.g. from the command line), and validates the result once:

- an unknown section or key is an error that names the file and lists the valid
  keys of that section;
- a value of the wrong type, or outside its allowed choices, is an error naming the
  file, the ``section.key`` and what is allowed.

Relative paths are resolved where they are written: in a configuration file,
against that file's folder; in the defaults and in ``overrides``, against the
current working directory. The resolved configuration is what the run manifest
records (:func:`config_to_dict`).
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from framing.corpus.options import OPTIONS, mapping_from_config

__all__ = [
    "DEFAULTS",
    "CompareConfig",
    "ConfigError",
    "CorpusConfig",
    "FiguresConfig",
    "FramesConfig",
    "OutputConfig",
    "RunConfig",
    "SeedsConfig",
    "SentimentConfig",
    "TablesConfig",
    "TopicsConfig",
    "UnitsConfig",
    "config_to_dict",
    "default_config_text",
    "load_config",
    "place_of",
    "setting_place",
]


class ConfigError(ValueError):
    """A configuration file or override is invalid; the message says where and why."""


@dataclass(frozen=True)
class CorpusConfig:
    """Where the corpus is and how its records map onto the ``articles`` table.

    ``path`` and ``name`` say where the corpus is and what its results are called;
    the other keys are the options of :func:`framing.load_corpus`, declared in
    :data:`framing.corpus.options.OPTIONS` (a test checks these fields against it).
    """

    path: str = "corpus"
    name: str = ""
    text: str = ""
    title: str = ""
    outlet: str = ""
    published: str = ""
    author: str = ""
    url: str = ""
    id: str = ""
    outlet_from: str = "auto"
    outlet_pattern: str = ""
    outlet_default: str = ""
    outlet_aliases: str | dict[str, str] = ""
    folder_column: str = ""
    dayfirst: bool = False
    clean: str | bool = "auto"
    manifest: str | bool = ""
    errors: str = "raise"
    encoding: str = ""
    language: str = ""
    drop_duplicates: bool = False

    @property
    def corpus_name(self) -> str:
        """The corpus name: ``name`` if set, else the file or folder name of ``path``."""
        if self.name:
            return self.name
        path = Path(self.path)
        return path.stem if path.is_file() else path.name

    def mapping(self) -> dict[str, Any]:
        """Keyword arguments for :func:`framing.load_corpus` (only the keys that are set).

        Derived from :data:`framing.corpus.options.OPTIONS`: a key is passed on
        when it differs from its ``default.toml`` default.

        Examples
        --------
        >>> CorpusConfig(text="body", dayfirst=True).mapping()
        {'text': 'body', 'dayfirst': True}
        """
        return mapping_from_config(section_to_dict(self))


@dataclass(frozen=True)
class OutputConfig:
    """Where results go (``""`` = ``results/<corpus name>/``)."""

    dir: str = ""


@dataclass(frozen=True)
class UnitsConfig:
    """Unit of analysis for sentiment and frames."""

    unit: str = "sentence"
    language: str = "english"


@dataclass(frozen=True)
class SentimentConfig:
    """VADER sentiment settings."""

    enabled: bool = True
    actors: str = "ukraine-diplomacy"


@dataclass(frozen=True)
class TopicsConfig:
    """Topic-model settings."""

    enabled: bool = True
    method: str = "bertopic"
    unit: str = "auto"
    embedding_model: str = ""
    min_topic_size: int = 0
    nr_topics: int = 0
    period: str = "month"


@dataclass(frozen=True)
class FramesConfig:
    """Frame-scoring settings."""

    enabled: bool = True
    frame_set: str = "ukraine-diplomacy"
    method: str = "lexicon"
    threshold: float = 0.0
    coded: str = ""
    features: str = "tfidf"
    contrast: tuple[str, ...] = ("allies_divided", "balancing_interests")
    exemplars: int = 3
    keyness_terms: int = 20


@dataclass(frozen=True)
class CompareConfig:
    """Uncertainty settings for the outlet comparisons."""

    n_boot: int = 2000
    n_perm: int = 9999
    ci: float = 0.95
    min_articles: int = 1
    max_outlets: int = 0
    other_outlets: str = "drop"


@dataclass(frozen=True)
class FiguresConfig:
    """Figure export formats."""

    formats: tuple[str, ...] = ("pdf", "svg", "png")


@dataclass(frozen=True)
class TablesConfig:
    """Table export formats."""

    formats: tuple[str, ...] = ("csv", "tex")


@dataclass(frozen=True)
class SeedsConfig:
    """Seed for every random step."""

    random_state: int = 42


@dataclass(frozen=True)
class EngineConfig:
    """Where the run computes (``[run]``): in this process, or on a Dask cluster.

    See :mod:`framing.run.engine` for what each value does.
    """

    engine: str = "local"
    scheduler: str = ""
    store: str = "auto"
    partition_mb: float = 32


@dataclass(frozen=True)
class RunConfig:
    """The resolved, validated settings of one ``framing run``.

    ``sources`` lists where the values came from (the defaults, then the user's
    file, then overrides), in the order they were applied; ``origins`` says, per
    ``section.key``, which of them set it (:data:`DEFAULTS`, the file's path, or the
    override as the user spelled it, e.g. ``--set frames.contrast=[...]``).
    """

    corpus: CorpusConfig = field(default_factory=CorpusConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    units: UnitsConfig = field(default_factory=UnitsConfig)
    sentiment: SentimentConfig = field(default_factory=SentimentConfig)
    topics: TopicsConfig = field(default_factory=TopicsConfig)
    frames: FramesConfig = field(default_factory=FramesConfig)
    compare: CompareConfig = field(default_factory=CompareConfig)
    figures: FiguresConfig = field(default_factory=FiguresConfig)
    tables: TablesConfig = field(default_factory=TablesConfig)
    seeds: SeedsConfig = field(default_factory=SeedsConfig)
    run: EngineConfig = field(default_factory=EngineConfig)
    sources: tuple[str, ...] = ()
    origins: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def out_dir(self) -> Path:
        """The output folder: ``output.dir`` or ``results/<corpus name>/`` in the cwd."""
        if self.output.dir:
            return Path(self.output.dir)
        return Path.cwd() / "results" / self.corpus.corpus_name


_SECTIONS: dict[str, type] = {
    "corpus": CorpusConfig,
    "output": OutputConfig,
    "units": UnitsConfig,
    "sentiment": SentimentConfig,
    "topics": TopicsConfig,
    "frames": FramesConfig,
    "compare": CompareConfig,
    "figures": FiguresConfig,
    "tables": TablesConfig,
    "seeds": SeedsConfig,
    "run": EngineConfig,
}

# Allowed values of enumerated keys ("" = not set, where the key allows it).
_CHOICES: dict[tuple[str, str], tuple[Any, ...]] = {
    **{("corpus", o.name): o.choices for o in OPTIONS if o.choices},
    ("corpus", "clean"): ("auto", True, False),
    ("units", "unit"): ("sentence", "paragraph"),
    ("topics", "method"): ("bertopic", "lda", "nmf"),
    ("topics", "unit"): ("auto", "article", "paragraph", "sentence"),
    ("topics", "period"): ("week", "month"),
    ("frames", "method"): ("lexicon", "semantic", "supervised"),
    ("frames", "features"): ("tfidf", "embeddings", "both"),
    ("compare", "other_outlets"): ("drop", "merge"),
    ("run", "engine"): ("local", "dask"),
    ("run", "store"): ("auto", "memory", "partitioned"),
}
_LIST_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("figures", "formats"): ("pdf", "svg", "png"),
    ("tables", "formats"): ("csv", "tex", "parquet"),
}
# Keys holding paths, resolved against the folder of the file that sets them.
_PATH_KEYS = {
    ("corpus", "path"),
    ("corpus", "manifest"),
    ("output", "dir"),
    ("frames", "coded"),
}
# Keys holding either a built-in name or a path (a path ends in .yaml/.yml/.csv or has
# a folder separator).
_NAME_OR_PATH_KEYS = {
    ("corpus", "outlet_aliases"),
    ("sentiment", "actors"),
    ("frames", "frame_set"),
}
# Minimum values of numeric keys.
_MINIMUM: dict[tuple[str, str], float] = {
    ("topics", "min_topic_size"): 0,
    ("topics", "nr_topics"): 0,
    ("frames", "exemplars"): 0,
    ("frames", "threshold"): 0,
    ("frames", "keyness_terms"): 0,
    ("compare", "n_boot"): 1,
    ("compare", "n_perm"): 1,
    ("compare", "min_articles"): 1,
    ("compare", "max_outlets"): 0,
    ("run", "partition_mb"): 0.01,
}


DEFAULTS = "the defaults"  # origin of a value nobody set (framing/data/default.toml)


def setting_place(origin: str, section: str, key: str) -> str:
    """Say where ``section.key`` was set, for messages: ``file, line N`` when known.

    Examples
    --------
    >>> setting_place("--set frames.contrast=[]", "frames", "contrast")
    '--set frames.contrast=[]'
    """
    path = Path(origin)
    if origin in (DEFAULTS, "override") or origin.startswith("-") or not path.is_file():
        return origin
    header = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
    assignment = re.compile(rf"^\s*{re.escape(key)}\s*=")
    current = ""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return origin
    for number, line in enumerate(lines, start=1):
        match = header.match(line)
        if match:
            current = match.group(1)
        elif current == section and assignment.match(line):
            return f"{origin}, line {number}"
    return origin


def default_config_path() -> Path:
    """Return the path of the shipped, documented ``default.toml``."""
    return Path(str(resources.files("framing") / "data" / "default.toml"))


def default_config_text() -> str:
    """Return the text of the shipped ``default.toml`` (every parameter, documented)."""
    return default_config_path().read_text(encoding="utf-8")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"configuration file {path} does not exist") from None
    except OSError as exc:
        raise ConfigError(f"cannot read configuration file {path}: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"configuration file {path} is not UTF-8 text: {exc}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"configuration file {path} is not valid TOML: {exc}. "
            "Compare it with the documented defaults (framing init writes a copy)."
        ) from None


def _looks_like_path(value: str) -> bool:
    return value.endswith((".yaml", ".yml", ".csv", ".toml")) or "/" in value or os.sep in value


def _resolve(section: str, key: str, value: Any, base: Path) -> Any:
    if not isinstance(value, str) or not value:
        return value
    if (section, key) in _PATH_KEYS or (
        (section, key) in _NAME_OR_PATH_KEYS and _looks_like_path(value)
    ):
        path = Path(value).expanduser()
        return str(path if path.is_absolute() else (base / path).resolve())
    return value


def _type_ok(value: Any, annotation: str) -> bool:
    if annotation == "bool":
        return isinstance(value, bool)
    if annotation == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if annotation == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if annotation == "str":
        return isinstance(value, str)
    if annotation == "str | bool":
        return isinstance(value, str | bool)
    if annotation == "str | dict[str, str]":
        return isinstance(value, str) or (
            isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
        )
    if annotation == "tuple[str, ...]":
        return isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
    raise AssertionError(f"unhandled annotation {annotation}")  # pragma: no cover


_TYPE_WORDS = {
    "bool": "true or false",
    "int": "an integer",
    "float": "a number",
    "str": "a string",
    "str | bool": "a string or true/false",
    "str | dict[str, str]": "a string (name or path) or a table of strings",
    "tuple[str, ...]": "a list of strings",
}


def _merge(
    values: dict[str, dict[str, Any]],
    data: Mapping[str, Any],
    *,
    origin: str,
    base: Path,
    origins: dict[str, str] | None = None,
    spelled: Mapping[str, str] | None = None,
) -> None:
    """Validate ``data`` (section -> key -> value) and merge it into ``values``.

    ``origins`` receives, per ``section.key``, where its value came from: the
    ``spelled`` form (e.g. ``--set compare.n_boot=0``) when given, else ``origin``.
    """
    spelled = spelled or {}
    for section, keys in data.items():
        if section not in _SECTIONS:
            raise ConfigError(
                f"{origin}: unknown section [{section}]; valid sections are {', '.join(_SECTIONS)}"
            )
        if not isinstance(keys, Mapping):
            raise ConfigError(f"{origin}: [{section}] must be a table of key = value pairs")
        fields = {f.name: f for f in dataclasses.fields(_SECTIONS[section])}
        for key, value in keys.items():
            if key not in fields:
                raise ConfigError(
                    f"{origin}: unknown key {key!r} in [{section}]; valid keys are "
                    f"{', '.join(fields)}"
                )
            where = spelled.get(f"{section}.{key}") or setting_place(origin, section, key)
            annotation = str(fields[key].type)
            if not _type_ok(value, annotation):
                raise ConfigError(
                    f"{where}: {section}.{key} must be {_TYPE_WORDS[annotation]}, got {value!r}"
                )
            choices = _CHOICES.get((section, key))
            if choices is not None and value not in choices:
                shown = ", ".join(
                    str(c).lower() if isinstance(c, bool) else repr(c) for c in choices
                )
                raise ConfigError(
                    f"{where}: {section}.{key} must be one of {shown}; got {value!r}"
                )
            allowed = _LIST_CHOICES.get((section, key))
            if allowed is not None:
                bad = [v for v in value if v not in allowed]
                if bad:
                    raise ConfigError(
                        f"{where}: {section}.{key} has unknown value(s) {bad}; "
                        f"choose from {list(allowed)}"
                    )
            minimum = _MINIMUM.get((section, key))
            if minimum is not None and value < minimum:
                raise ConfigError(f"{where}: {section}.{key} must be >= {minimum}; got {value}")
            if (section, key) == ("compare", "ci") and not 0 < value < 1:
                raise ConfigError(f"{where}: compare.ci must be between 0 and 1; got {value}")
            if isinstance(value, list):
                value = tuple(value)
            if isinstance(value, dict):
                value = dict(value)
            values.setdefault(section, {})[key] = _resolve(section, key, value, base)
            if origins is not None:
                origins[f"{section}.{key}"] = spelled.get(f"{section}.{key}", origin)


def _nest_overrides(overrides: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Accept ``{"section": {"key": v}}`` and/or ``{"section.key": v}``."""
    nested: dict[str, dict[str, Any]] = {}
    for name, value in overrides.items():
        if isinstance(value, Mapping) and "." not in name:
            nested.setdefault(name, {}).update(value)
            continue
        section, dot, key = name.partition(".")
        if not dot or not key:
            raise ConfigError(
                f"override {name!r} must be written section.key (e.g. compare.n_boot); "
                f"valid sections are {', '.join(_SECTIONS)}"
            )
        nested.setdefault(section, {})[key] = value
    return nested


def load_config(
    path: str | os.PathLike[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    spelled: Mapping[str, str] | None = None,
) -> RunConfig:
    """Read the run configuration: shipped defaults, then ``path``, then ``overrides``.

    Parameters
    ----------
    path : path-like, optional
        A TOML file (e.g. the ``framing.toml`` written by ``framing init``). Relative
        paths inside it are resolved against its folder.
    overrides : mapping, optional
        Values that win over the file, as ``{"section.key": value}`` or
        ``{"section": {"key": value}}``; relative paths resolve against the cwd.
    spelled : mapping, optional
        How the user wrote each override (``{"compare.n_boot": "--set
        compare.n_boot=0"}``), so that messages quote it; the command line passes it.

    Returns
    -------
    RunConfig
        Frozen, validated settings.

    Raises
    ------
    ConfigError
        If the file is missing or not TOML (the message has the line and column), or
        a section or key is unknown (the message lists the valid ones), or a value has
        the wrong type or is not one of the allowed choices.

    Examples
    --------
    >>> cfg = load_config(overrides={"compare.n_boot": 500})
    >>> cfg.compare.n_boot, cfg.units.unit
    (500, 'sentence')
    """
    cwd = Path.cwd()
    values: dict[str, dict[str, Any]] = {}
    origins: dict[str, str] = {}
    default_path = default_config_path()
    _merge(values, _read_toml(default_path), origin=DEFAULTS, base=cwd, origins=origins)
    sources = [str(default_path)]
    if path is not None:
        file_path = Path(path).expanduser().resolve()
        _merge(
            values,
            _read_toml(file_path),
            origin=str(file_path),
            base=file_path.parent,
            origins=origins,
        )
        sources.append(str(file_path))
    if overrides:
        _merge(
            values,
            _nest_overrides(overrides),
            origin="override",
            base=cwd,
            origins=origins,
            spelled=spelled,
        )
        sources.append("overrides")
    sections = {name: cls(**values.get(name, {})) for name, cls in _SECTIONS.items()}
    cfg = RunConfig(**sections, sources=tuple(sources), origins=origins)
    _check_consistency(cfg)
    return cfg


def place_of(cfg: RunConfig, setting: str) -> str:
    """Say where ``setting`` (``section.key``) got its value, for messages."""
    section, _, key = setting.partition(".")
    return setting_place(cfg.origins.get(setting, DEFAULTS), section, key)


def _check_consistency(cfg: RunConfig) -> None:
    if cfg.corpus.manifest is True:
        raise ConfigError(
            f'{place_of(cfg, "corpus.manifest")}: corpus.manifest must be a path, "" '
            "(use <folder>/manifest.csv when present) or false (ignore it)"
        )
    contrast = cfg.frames.contrast
    where = place_of(cfg, "frames.contrast")
    if len(contrast) not in (0, 2):
        raise ConfigError(
            f"{where}: frames.contrast must name two frames (or be [] for none); "
            f"got {list(contrast)}"
        )
    if len(contrast) == 2 and contrast[0] == contrast[1]:
        raise ConfigError(f"{where}: frames.contrast names the same frame twice")
    if cfg.frames.method == "supervised" and not cfg.frames.coded:
        raise ConfigError(
            f'{place_of(cfg, "frames.method")}: frames.method = "supervised" needs '
            "frames.coded, the path of a CSV of human-coded units to train the "
            "classifier on"
        )
    if cfg.corpus.outlet_pattern and cfg.corpus.outlet_from not in ("auto", "filename"):
        raise ConfigError(
            f"{place_of(cfg, 'corpus.outlet_pattern')}: corpus.outlet_pattern applies to "
            'file names; set corpus.outlet_from = "filename" or remove the pattern'
        )


def section_to_dict(section: Any) -> dict[str, Any]:
    """Return one config section as a JSON-ready dict (tuples become lists)."""
    out = {}
    for f in dataclasses.fields(section):
        value = getattr(section, f.name)
        out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


def config_to_dict(cfg: RunConfig) -> dict[str, Any]:
    """Return the resolved configuration as a JSON-ready nested dict (for the manifest).

    Examples
    --------
    >>> d = config_to_dict(load_config())
    >>> d["figures"]["formats"], d["seeds"]["random_state"]
    (['pdf', 'svg', 'png'], 42)
    """
    out: dict[str, Any] = {name: section_to_dict(getattr(cfg, name)) for name in _SECTIONS}
    out["corpus"]["resolved_name"] = cfg.corpus.corpus_name
    out["output"]["resolved_dir"] = str(cfg.out_dir)
    out["sources"] = list(cfg.sources)
    return out
