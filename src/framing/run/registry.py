"""The steps of ``framing run``, each declared once: the one registry.

A :class:`Step` names its module (which defines ``run(ctx) -> StepResult``), the
steps whose tables it reads, the settings it reads, the package data it reads and the
settings that skip or shrink it. Everything else derives from :data:`STEPS`: the run
order, ``--only`` and its help, the manifest's entries, each step's cache key
(:mod:`framing.run.keys`) and the advice printed when a step fails.

Nothing heavy is imported here: a step's module is imported when the step runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from framing.run.context import RunError

if TYPE_CHECKING:  # pragma: no cover
    from framing.run.config import RunConfig
    from framing.run.context import StepContext, StepResult

__all__ = [
    "STEPS",
    "STEP_NAMES",
    "Step",
    "closure",
    "enabled",
    "get",
    "needs",
    "only_help",
    "parse_steps",
]


@dataclass(frozen=True)
class Step:
    """One step of ``framing run``.

    Attributes
    ----------
    name : str
        The step's name (``--only``, manifest, cache folder).
    module : str
        The module defining ``run(ctx) -> StepResult``; its imports, followed through
        the ``framing`` package, are the code in the step's cache key.
    summary : str
        What the step does, in a few words (``--only`` help, progress lines).
    needs : tuple of str
        Steps whose tables it reads (a disabled step is left out).
    reads : tuple of str
        Settings it reads: ``"section"`` (every key) or ``"section.key"``. A setting
        naming a file (frame set, actor list, alias map, coded units) brings the
        file's sha256 into the key too.
    unread : tuple of str
        ``"section.key"`` settings excluded from a whole section in ``reads``.
    data : tuple of str
        Package data under ``framing/`` it reads (files or folders).
    inputs : bool
        Whether it reads the corpus files (their sha256 go into its key).
    enabled_by : str or None
        The ``section.key`` boolean that switches it off, if any.
    relief : tuple of str
        ``section.key = value`` settings that skip or shrink it, said when it fails.
    """

    name: str
    module: str
    summary: str
    needs: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    inputs: bool = False
    enabled_by: str | None = None
    relief: tuple[str, ...] = ()

    @property
    def run(self) -> Callable[[StepContext], StepResult]:
        """The step function (imports the step's module)."""
        return importlib.import_module(self.module).run


_M = "framing.run.steps."
STEPS: tuple[Step, ...] = (
    Step(
        "corpus",
        _M + "corpus",
        "load and clean the corpus",
        reads=("corpus", "tables.formats", "run.engine", "run.store"),
        unread=("corpus.name",),
        inputs=True,
        relief=('corpus.errors = "skip"',),
    ),
    Step(
        "units",
        _M + "units",
        "split into sentences or paragraphs",
        needs=("corpus",),
        reads=("units", "tables.formats"),
        relief=('units.unit = "paragraph"',),
    ),
    Step(
        "sentiment",
        _M + "sentiment",
        "VADER sentiment, actor sentiment",
        needs=("units",),
        reads=("sentiment", "units.unit", "tables.formats"),
        data=("data/actors",),
        enabled_by="sentiment.enabled",
        relief=("sentiment.enabled = false", 'sentiment.actors = ""'),
    ),
    Step(
        "topics",
        _M + "topics",
        "fit the topic model",
        needs=("corpus",),
        reads=("topics", "seeds.random_state", "tables.formats"),
        unread=("topics.period",),
        enabled_by="topics.enabled",
        relief=("topics.enabled = false", 'topics.method = "nmf"'),
    ),
    Step(
        "frames",
        _M + "frames",
        "score frames",
        needs=("units",),
        reads=(
            "frames",
            "units.unit",
            "topics.embedding_model",
            "tables.formats",
            "seeds.random_state",  # the supervised classifier's folds and fit
        ),
        unread=("frames.contrast", "frames.keyness_terms", "frames.measure"),
        data=("data/frames",),
        enabled_by="frames.enabled",
        relief=("frames.enabled = false", 'frames.method = "lexicon"', "frames.exemplars = 0"),
    ),
    Step(
        "stories",
        _M + "stories",
        "stories across outlets; story-matched vs raw outlet differences",
        needs=("corpus", "sentiment", "topics", "frames"),
        reads=(
            "stories",
            "compare.n_boot",
            "frames.measure",
            "compare.n_perm",
            "compare.ci",
            "compare.min_articles",
            "compare.max_outlets",
            "compare.other_outlets",
            "frames.contrast",
            "topics.embedding_model",
            "seeds.random_state",
            "tables.formats",
        ),
        enabled_by="stories.enabled",
        relief=("stories.enabled = false", "stories.exemplars = 0", "compare.n_perm = 999"),
    ),
    Step(
        "compare",
        _M + "compare",
        "outlet comparisons: bootstrap CIs, permutation tests, topic shares, keyness",
        needs=("corpus", "units", "sentiment", "topics", "frames"),
        reads=(
            "compare",
            "frames.contrast",
            "frames.measure",
            "frames.method",
            "frames.keyness_terms",
            "topics.period",
            "seeds.random_state",
            "tables.formats",
        ),
        relief=("frames.keyness_terms = 0", "compare.n_boot = 500", "compare.n_perm = 999"),
    ),
    Step(
        "figures",
        _M + "figures",
        "draw the figures",
        needs=("corpus", "sentiment", "topics", "frames", "stories", "compare"),
        reads=("figures.formats", "frames.contrast", "frames.measure"),
        data=("data/framing.mplstyle",),
        relief=('figures.formats = ["png"]',),
    ),
    Step(
        "report",
        _M + "report",
        "write report.html",
        needs=(
            "corpus",
            "units",
            "sentiment",
            "topics",
            "frames",
            "stories",
            "compare",
            "figures",
        ),
    ),
)
STEP_NAMES: tuple[str, ...] = tuple(s.name for s in STEPS)
_BY_NAME = {s.name: s for s in STEPS}


def get(name: str) -> Step:
    """Return the step called ``name``."""
    return _BY_NAME[name]


def enabled(cfg: RunConfig, name: str) -> bool:
    """Whether step ``name`` is switched on in ``cfg``."""
    flag = _BY_NAME[name].enabled_by
    if flag is None:
        return True
    section, _, key = flag.partition(".")
    return bool(getattr(getattr(cfg, section), key))


def needs(cfg: RunConfig, name: str) -> tuple[str, ...]:
    """Return the enabled steps whose tables step ``name`` reads."""
    return tuple(n for n in _BY_NAME[name].needs if enabled(cfg, n))


def closure(cfg: RunConfig, wanted: Sequence[str]) -> set[str]:
    """Return the wanted steps plus every step they read, transitively."""
    found: set[str] = set()
    stack = list(wanted)
    while stack:
        name = stack.pop()
        if name not in found:
            found.add(name)
            stack.extend(needs(cfg, name))
    return found


def parse_steps(text: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """Parse ``--only`` (``"corpus,units"`` or a list) into step names, in run order.

    Raises
    ------
    RunError
        If a name is not a step; the message lists the steps.

    Examples
    --------
    >>> parse_steps("units, corpus")
    ('corpus', 'units')
    """
    if text is None:
        return None
    names = text.split(",") if isinstance(text, str) else list(text)
    chosen = {n.strip().lower() for n in names if n.strip()}
    unknown = sorted(chosen - set(STEP_NAMES))
    if unknown or not chosen:
        raise RunError(
            f"unknown step(s) {unknown} in --only; the steps are {', '.join(STEP_NAMES)}"
        )
    return tuple(s for s in STEP_NAMES if s in chosen)


def only_help() -> str:
    """Return the ``--only`` help: every step with what it does, in run order."""
    listed = "; ".join(f"{s.name} ({s.summary})" for s in STEPS)
    return (
        f"comma-separated steps to run: {listed}. The steps they read are reloaded "
        "from the output folder"
    )
