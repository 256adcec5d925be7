"""The checks of the run settings: each value on its own, then the whole configuration.

:func:`check_value` runs for every ``section.key = value`` as it is read (type,
allowed choices, minimum, range); :func:`check_consistency` runs once on the merged
:class:`~framing.run.schema.RunConfig` (settings that only make sense together). Both
raise :class:`~framing.run.schema.ConfigError` with a message that starts with where
the value was set (:mod:`framing.run.places`).
"""

from __future__ import annotations

from typing import Any

from framing.run.places import place_of
from framing.run.schema import _CHOICES, _LIST_CHOICES, _MINIMUM, ConfigError, RunConfig

__all__ = ["check_consistency", "check_value"]


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


def check_value(section: str, key: str, value: Any, annotation: str, where: str) -> None:
    """Check one ``section.key = value`` against its type and allowed values.

    ``annotation`` is the dataclass field's type as written; ``where`` starts the
    message (:func:`framing.run.places.setting_place`).

    Raises
    ------
    ConfigError
        The value has the wrong type, is not one of the choices, is below the
        minimum, or is out of range.
    """
    if not _type_ok(value, annotation):
        raise ConfigError(
            f"{where}: {section}.{key} must be {_TYPE_WORDS[annotation]}, got {value!r}"
        )
    choices = _CHOICES.get((section, key))
    if choices is not None and value not in choices:
        shown = ", ".join(str(c).lower() if isinstance(c, bool) else repr(c) for c in choices)
        raise ConfigError(f"{where}: {section}.{key} must be one of {shown}; got {value!r}")
    allowed = _LIST_CHOICES.get((section, key))
    if allowed is not None:
        bad = [v for v in value if v not in allowed]
        if bad:
            raise ConfigError(
                f"{where}: {section}.{key} has unknown value(s) {bad}; choose from {list(allowed)}"
            )
    minimum = _MINIMUM.get((section, key))
    if minimum is not None and value < minimum:
        raise ConfigError(f"{where}: {section}.{key} must be >= {minimum}; got {value}")
    if (section, key) == ("compare", "ci") and not 0 < value < 1:
        raise ConfigError(f"{where}: compare.ci must be between 0 and 1; got {value}")
    if (section, key) == ("stories", "threshold") and not 0 <= value < 1:
        raise ConfigError(
            f"{where}: stories.threshold must be a quantile in [0, 1) (0 = automatic); got {value}"
        )


def check_consistency(cfg: RunConfig) -> None:
    """Check the settings that only make sense together; raise :class:`ConfigError`."""
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
