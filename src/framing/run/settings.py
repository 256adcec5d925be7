"""Reading the run settings: shipped defaults, then the user's TOML, then overrides.

:func:`load_config` merges them in that order and validates the result once; the
rules (unknown keys, types and choices, where relative paths are resolved) are
described in :mod:`framing.run.config`.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from framing.run.config_checks import check_consistency, check_value
from framing.run.places import DEFAULTS, setting_place
from framing.run.schema import _NAME_OR_PATH_KEYS, _PATH_KEYS, _SECTIONS, ConfigError, RunConfig

__all__ = ["default_config_path", "default_config_text", "load_config"]


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
            check_value(section, key, value, str(fields[key].type), where)
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
    check_consistency(cfg)
    return cfg
