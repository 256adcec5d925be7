"""Figures in ``report.html``: embedded as ``data:`` URIs, SVG preferred, at screen size."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from pathlib import Path

__all__ = ["figure_data_uri"]


def figure_data_uri(path: Path) -> str:
    """Return ``path`` (an SVG or PNG file) as a base64 ``data:`` URI."""
    mime = {".svg": "image/svg+xml", ".png": "image/png"}[path.suffix.lower()]
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _figure_files(figures_dir: Path, names: Sequence[str] | None) -> dict[str, Path]:
    """Figure name -> the file to embed (SVG preferred, else PNG), in ``names`` order."""
    found: dict[str, Path] = {}
    if not figures_dir.is_dir():
        return found
    stems = sorted({p.stem for p in figures_dir.iterdir() if not p.name.startswith(".")})
    if names is not None:
        stems = [n for n in names if n in set(stems)]
    for stem in stems:
        for ext in (".svg", ".png"):
            candidate = figures_dir / f"{stem}{ext}"
            if candidate.exists():
                found[stem] = candidate
                break
    return found


_SVG_WIDTH = re.compile(rb'<svg[^>]*?\swidth="([0-9.]+)(pt|px)?"', re.S)
_DISPLAY_SCALE = 1.6  # figures are drawn at print size (3.5 or 7.2 in); enlarge on screen


def _display_width(path: Path) -> int | None:
    """Screen width in CSS px: the figure's print width x ``_DISPLAY_SCALE``."""
    data = path.read_bytes()
    if path.suffix.lower() == ".svg":
        match = _SVG_WIDTH.search(data[:4000])
        if not match:
            return None
        width = float(match.group(1)) * (4 / 3 if match.group(2) in (b"pt", None) else 1)
    else:
        if data[:8] != b"\x89PNG\r\n\x1a\n":
            return None
        # PNGs are written at 300 dpi; a CSS px is 1/96 in
        width = int.from_bytes(data[16:20], "big") * 96 / 300
    return round(width * _DISPLAY_SCALE)


def _figure_html(name: str, path: Path) -> str:
    caption = html.escape(name.replace("_", " "))
    width = _display_width(path)
    size = f' style="width:{width}px"' if width else ""
    return (
        f'<figure id="fig-{html.escape(name)}"><img alt="{caption}"{size} '
        f'src="{figure_data_uri(path)}"><figcaption>{caption} '
        f"(figures/{html.escape(name)}.*)</figcaption></figure>"
    )
