"""Stage 5, frames: frame sets, scoring methods, exemplars and validation against coding.

See :mod:`framing.frames.core`, :mod:`framing.frames.exemplars` and
:mod:`framing.frames.validation`.
"""

from framing.frames.core import *  # noqa: F403
from framing.frames.core import __all__ as _all

__all__ = list(_all)
