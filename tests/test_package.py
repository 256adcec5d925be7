"""Packaging promises: fast lazy import, offline resources, stable public names."""

import json
import subprocess
import sys

import pytest

import framing

HEAVY = ("torch", "bertopic", "sentence_transformers", "umap", "hdbscan", "transformers")


def _run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout


def test_import_is_fast_and_imports_no_heavy_module():
    out = _run(
        "import time, sys, json; t=time.perf_counter(); import framing; "
        "dt=time.perf_counter()-t; "
        f"print(json.dumps([dt, [m for m in {HEAVY!r} if m in sys.modules]]))"
    )
    seconds, heavy = json.loads(out)
    assert heavy == []
    assert seconds < 1.0


def test_analysis_modules_import_without_heavy_dependencies():
    modules = ["corpus", "units", "sentiment", "frames", "compare", "plots", "export", "topics"]
    code = (
        "import importlib, sys, json\n"
        f"for m in {modules!r}:\n"
        "    try:\n        importlib.import_module('framing.' + m)\n"
        "    except ModuleNotFoundError as e:\n"
        "        if not e.name.startswith('framing'): raise\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    assert json.loads(_run(code)) == []


@pytest.mark.parametrize(
    "name", ["load_corpus", "split_units", "score_sentiment", "fit_topics", "score_frames"]
)
def test_public_functions_are_callable(name):
    assert callable(getattr(framing, name))


def test_public_modules_exist():
    for name in ("compare", "plots", "export"):
        assert getattr(framing, name).__name__ == f"framing.{name}"
    with pytest.raises(AttributeError):
        framing.not_a_name  # noqa: B018


def test_offline_resources_build_once():
    from framing import resources

    assert resources.vader_analyzer() is resources.vader_analyzer()
    scores = resources.vader_analyzer().polarity_scores("This is a wonderful, great day!")
    assert scores["compound"] > 0.5
    assert resources.punkt_tokenizer() is resources.punkt_tokenizer()
    assert "the" in resources.english_stop_words()
