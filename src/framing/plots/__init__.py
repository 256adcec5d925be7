"""Figures for papers: functions from a tidy table to a matplotlib ``Figure``.

Plot functions never compute statistics beyond reshaping, never save and never call
``plt.show()``; save with :func:`framing.export.save_figure`. All share one style
(:func:`framing.plots.style.paper_style`) and one colour per outlet
(:func:`framing.plots.style.outlet_colors`).
"""

from framing.plots import style
from framing.plots._compare import *  # noqa: F403
from framing.plots._compare import __all__ as _compare_all
from framing.plots._frames import *  # noqa: F403
from framing.plots._frames import __all__ as _frames_all
from framing.plots._stories import *  # noqa: F403
from framing.plots._stories import __all__ as _stories_all
from framing.plots._topics import *  # noqa: F403
from framing.plots._topics import __all__ as _topics_all

__all__ = ["style", *_compare_all, *_frames_all, *_stories_all, *_topics_all]
