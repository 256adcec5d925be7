"""Where a setting got its value, for messages: the defaults, ``file, line N``, or ``--set``.

Every value of a :class:`~framing.run.schema.RunConfig` has an origin
(``RunConfig.origins``): :data:`DEFAULTS`, a configuration file's path, or the
override as the user spelled it. :func:`setting_place` turns one into the place a
message quotes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from framing.run.schema import RunConfig

__all__ = ["DEFAULTS", "place_of", "setting_place"]

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


def place_of(cfg: RunConfig, setting: str) -> str:
    """Say where ``setting`` (``section.key``) got its value, for messages."""
    section, _, key = setting.partition(".")
    return setting_place(cfg.origins.get(setting, DEFAULTS), section, key)
