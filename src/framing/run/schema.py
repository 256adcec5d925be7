"""The schema of the run settings: one frozen dataclass per TOML section.

:class:`RunConfig` holds one section object per ``[section]`` of
``framing/data/default.toml``; the tables below say which values a key allows
(:data:`_CHOICES`, :data:`_LIST_CHOICES`, :data:`_MINIMUM`) and which keys hold
paths. Reading and merging files is :mod:`framing.run.settings`; the checks are
:mod:`framing.run.config_checks`; :mod:`framing.run.config` re-exports the public names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framing.corpus.options import OPTIONS, mapping_from_config
from framing.resources import default_setting

__all__ = [
    "CompareConfig",
    "ConfigError",
    "CorpusConfig",
    "FiguresConfig",
    "FramesConfig",
    "OutputConfig",
    "RunConfig",
    "SeedsConfig",
    "SentimentConfig",
    "StoriesConfig",
    "TablesConfig",
    "TopicsConfig",
    "UnitsConfig",
    "config_to_dict",
    "section_to_dict",
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
    # the study default lives in default.toml only
    actors: str = field(default_factory=lambda: default_setting("sentiment", "actors"))


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
    reduction: str = "auto"
    # documents the partitioned engine fits the model on (framing.run.topics_parts)
    sample: int = 20_000


@dataclass(frozen=True)
class FramesConfig:
    """Frame-scoring settings."""

    enabled: bool = True
    # the study defaults (frame set, contrast) live in default.toml only
    frame_set: str = field(default_factory=lambda: default_setting("frames", "frame_set"))
    method: str = "lexicon"
    measure: str = "score"  # compared article column (framing.frames.headline.MEASURES)
    threshold: float = 0.0
    coded: str = ""
    features: str = field(default_factory=lambda: default_setting("frames", "features"))
    mode: str = "multi"  # supervised: "single" or "multi" (issue 16)
    backend: str = "lr"  # supervised: "lr", "setfit" or "auto" (issue 16)
    setfit_steps: int = field(default_factory=lambda: default_setting("frames", "setfit_steps"))
    contrast: tuple[str, ...] = field(
        default_factory=lambda: tuple(default_setting("frames", "contrast"))
    )
    exemplars: int = 3
    keyness_terms: int = 20


@dataclass(frozen=True)
class StoriesConfig:
    """Story detection and the story-matched comparison (:mod:`framing.stories`)."""

    enabled: bool = True
    window: int = 3
    threshold: float = 0.0
    resolution: float = 0.5
    chance_links: float = 0.1
    max_links: int = 200
    exemplars: int = 3


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
    stories: StoriesConfig = field(default_factory=StoriesConfig)
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
    "stories": StoriesConfig,
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
    ("topics", "reduction"): ("auto", "umap", "pca"),
    ("frames", "method"): ("lexicon", "semantic", "supervised"),
    # = framing.frames.headline.MEASURES (not imported: importing frames is slow; a
    # test checks that the two agree)
    ("frames", "measure"): ("score", "share"),
    ("frames", "features"): ("tfidf", "embeddings", "both", "auto"),
    ("compare", "other_outlets"): ("drop", "merge"),
    ("run", "engine"): ("local", "dask"),
    ("run", "store"): ("auto", "memory", "partitioned"),
    ("frames", "mode"): ("single", "multi"),
    ("frames", "backend"): ("lr", "setfit", "auto"),
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
    ("topics", "sample"): 6,
    ("frames", "exemplars"): 0,
    ("frames", "setfit_steps"): 1,
    ("frames", "threshold"): 0,
    ("frames", "keyness_terms"): 0,
    ("stories", "window"): 0,
    ("stories", "threshold"): 0,
    ("stories", "resolution"): 0,
    ("stories", "chance_links"): 0,
    ("stories", "max_links"): 1,
    ("stories", "exemplars"): 0,
    ("compare", "n_boot"): 1,
    ("compare", "n_perm"): 1,
    ("compare", "min_articles"): 1,
    ("compare", "max_outlets"): 0,
    ("run", "partition_mb"): 0.01,
}


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
    >>> from framing.run.settings import load_config
    >>> d = config_to_dict(load_config())
    >>> d["figures"]["formats"], d["seeds"]["random_state"]
    (['pdf', 'svg', 'png'], 42)
    """
    out: dict[str, Any] = {name: section_to_dict(getattr(cfg, name)) for name in _SECTIONS}
    out["corpus"]["resolved_name"] = cfg.corpus.corpus_name
    out["output"]["resolved_dir"] = str(cfg.out_dir)
    out["sources"] = list(cfg.sources)
    return out
