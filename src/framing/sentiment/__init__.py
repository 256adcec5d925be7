"""Stage 3, sentiment: VADER per unit and article, and sentiment toward actors.

See :mod:`framing.sentiment.vader` and :mod:`framing.sentiment.actors`.
"""

from framing.sentiment.vader import *  # noqa: F403
from framing.sentiment.vader import __all__ as _all

__all__ = list(_all)
