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

The settings are split by idea: the dataclasses in :mod:`framing.run.schema`,
reading and merging in :mod:`framing.run.settings`, where a value came from in
:mod:`framing.run.places`, the checks in :mod:`framing.run.config_checks`. This
module re-exports their public names, so ``framing.run.config`` stays the place to
import them from.
"""

from __future__ import annotations

from framing.run.places import DEFAULTS, place_of, setting_place
from framing.run.schema import (
    CompareConfig,
    ConfigError,
    CorpusConfig,
    EngineConfig,
    FiguresConfig,
    FramesConfig,
    OutputConfig,
    RunConfig,
    SeedsConfig,
    SentimentConfig,
    StoriesConfig,
    TablesConfig,
    TopicsConfig,
    UnitsConfig,
    config_to_dict,
    section_to_dict,
)
from framing.run.settings import default_config_path, default_config_text, load_config

__all__ = [
    "DEFAULTS",
    "CompareConfig",
    "ConfigError",
    "CorpusConfig",
    "EngineConfig",
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
    "default_config_path",
    "default_config_text",
    "load_config",
    "place_of",
    "section_to_dict",
    "setting_place",
]
