"""Stories: articles about the same event across outlets, and story-matched comparison.

- :func:`find_stories` groups articles into stories (TF-IDF and embeddings within a
  date window, Leiden communities);
- :func:`story_summary`, :func:`story_selection`, :func:`coverage_over_time` and
  :func:`coverage_windows` describe **selection** (which stories each outlet covers);
- :func:`story_matched_differences` compares **presentation**: outlet differences
  within stories both outlets cover, next to the raw differences;
- :func:`story_exemplars` shows each outlet's top sentences for a frame in one story;
- :func:`story_tables` builds all of these from a run's tables (:func:`story_measures`).
"""

from framing.stories.build import StoryWarning, find_stories
from framing.stories.exemplars import pick_story, story_exemplars
from framing.stories.matched import Measure, frame_measures, story_matched_differences
from framing.stories.selection import (
    coverage_over_time,
    coverage_windows,
    story_selection,
    story_summary,
)
from framing.stories.tables import story_measures, story_tables, topic_shares

__all__ = [
    "Measure",
    "StoryWarning",
    "coverage_over_time",
    "coverage_windows",
    "find_stories",
    "frame_measures",
    "pick_story",
    "story_exemplars",
    "story_matched_differences",
    "story_measures",
    "story_selection",
    "story_summary",
    "story_tables",
    "topic_shares",
]
