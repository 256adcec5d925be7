"""Shared fixtures: tiny literal tables and the location of ../shared."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SHARED_DATA = SHARED / "data"
CORPUS = ROOT / "corpus"


def shared_path(*parts: str) -> Path:
    """Return a path under ../shared/data, skipping the test when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/data is not available here)")
    return path


@pytest.fixture
def tiny_articles() -> pd.DataFrame:
    """Four articles from two outlets, one empty."""
    return pd.DataFrame(
        {
            "article_id": ["a1", "a2", "b1", "b2"],
            "outlet": ["alpha", "alpha", "beta", "beta"],
            "published": pd.to_datetime(["2025-05-15", "2025-05-16", None, "2025-05-17"]),
            "title": ["", "", "", ""],
            "author": ["", "", "", ""],
            "url": ["", "", "", ""],
            "text": [
                "Allies are divided. Mr. Putin smiled.\n\nA new paragraph here.",
                "Talks balance interests. Everyone wins!",
                "",
                "The U.S. and the EU disagree on guarantees.",
            ],
            "n_words": [11, 5, 0, 8],
            "source_path": ["a1.txt", "a2.txt", "b1.txt", "b2.txt"],
        }
    )


@pytest.fixture
def terminal(monkeypatch):
    """Pretend standard error is a terminal, so progress shows as a tqdm bar at once.

    (In a log or under pytest's capture, progress is a plain line every 10 s.)
    """
    import framing._progress

    monkeypatch.setattr(framing._progress, "interactive", lambda: True)
