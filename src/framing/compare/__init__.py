"""Outlet comparisons with uncertainty: bootstrap intervals, permutation tests, keyness.

Every function takes a tidy table (one row per article, or per article × measure) and
returns a new tidy table. Signed results are stated in each docstring (``diff`` is
always ``a - b``; positive means the first group scores higher).
"""

from framing.compare._contrast import *  # noqa: F403
from framing.compare._contrast import __all__ as _contrast_all
from framing.compare._keyness import *  # noqa: F403
from framing.compare._keyness import __all__ as _keyness_all
from framing.compare._outlets import *  # noqa: F403
from framing.compare._outlets import __all__ as _outlets_all
from framing.compare._select import *  # noqa: F403
from framing.compare._select import __all__ as _select_all
from framing.compare._stats import *  # noqa: F403
from framing.compare._stats import __all__ as _stats_all

__all__ = [*_stats_all, *_outlets_all, *_contrast_all, *_keyness_all, *_select_all]
