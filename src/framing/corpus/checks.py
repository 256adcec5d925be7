"""Checks over a whole load: one error listing every problem, warnings about losses.

Each check looks at the records or the finished table and returns messages; the
loader (:mod:`framing.corpus.load`) raises or warns with them. Hints are spelled
in the caller's syntax (:func:`framing.corpus.options.spell`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from framing.corpus.options import LoadOptions, spell
from framing.corpus.problems import CorpusError, Skip

__all__ = [
    "EXTREME_WORDS",
    "LOSS_SHARE",
    "error_listing",
    "extreme_articles",
    "looks_tokenised",
    "no_outlet_message",
    "outlet_losses",
    "tokenised_articles",
]

#: An outlet losing more than this share of its items to skips is warned about.
LOSS_SHARE = 0.20
#: Articles longer than this many words are warned about (a whole site or several
#: articles in one file; sentence splitting and topic models slow down on them).
EXTREME_WORDS = 100_000
_STRUCTURED = (".csv", ".tsv", ".json", ".jsonl", ".parquet")
_NOT_LOSSES = frozenset({"duplicate article"})  # dropped on request


def error_listing(source: Path, errors: Sequence[str]) -> CorpusError:
    """Return one :class:`CorpusError` that lists every problem of a load, numbered.

    Examples
    --------
    >>> print(error_listing(Path("c"), ["a.json, line 2: malformed JSON", "b.csv: no rows"]))
    2 problem(s) in c; nothing was loaded:
      1. a.json, line 2: malformed JSON
      2. b.csv: no rows
    Fix them, or pass errors='skip' to skip these items (the load report lists them) and load the rest.
    """  # noqa: E501
    lines = [f"{len(errors)} problem(s) in {source}; nothing was loaded:"]
    width = len(str(len(errors)))
    lines += [f"  {i:>{width}}. {e}" for i, e in enumerate(errors, start=1)]
    lines.append(
        f"Fix them, or pass {spell('errors', 'skip')} to skip these items (the load "
        "report lists them) and load the rest."
    )
    return CorpusError("\n".join(lines))


def outlet_losses(
    loaded: pd.Series, skipped: Iterable[Skip], share: float = LOSS_SHARE
) -> list[str]:
    """Warn about outlets that lost all of their items, or more than ``share``, to skips.

    ``loaded`` holds the outlet of every loaded article; each skip counts under its
    ``outlet`` (named as in the table). Skips with no known outlet and duplicates
    dropped on request do not count.

    Examples
    --------
    >>> skips = [Skip(f"h.csv#row{i}", "empty text", "", "Fox") for i in range(3)]
    >>> outlet_losses(pd.Series(["CNN", "CNN"]), skips)
    ["outlet 'Fox': 3 of 3 item(s) skipped (3 empty text), all of them: the outlet is missing from the table; check the mapping of that outlet's files (the load report lists each skip)"]
    """  # noqa: E501
    by_outlet: dict[str, Counter[str]] = {}
    for s in skipped:
        if s.outlet and s.reason not in _NOT_LOSSES:
            by_outlet.setdefault(s.outlet, Counter())[s.reason] += 1
    counts = loaded.value_counts()
    messages = []
    for name, reasons in sorted(by_outlet.items(), key=lambda kv: -kv[1].total()):
        n_lost = reasons.total()
        n_kept = int(counts.get(name, 0))
        total = n_lost + n_kept
        if n_kept and n_lost / total <= share:
            continue
        why = ", ".join(f"{n} {r}" for r, n in reasons.most_common())
        what = (
            "all of them: the outlet is missing from the table"
            if not n_kept
            else f"{n_lost / total:.0%} of them"
        )
        messages.append(
            f"outlet {name!r}: {n_lost} of {total} item(s) skipped ({why}), {what}; "
            "check the mapping of that outlet's files (the load report lists each skip)"
        )
    return messages


def extreme_articles(articles: pd.DataFrame, limit: int = EXTREME_WORDS) -> list[str]:
    """Warn about articles of more than ``limit`` words."""
    long = articles.loc[articles["n_words"] > limit, ["article_id", "n_words"]]
    if long.empty:
        return []
    long = long.sort_values("n_words", ascending=False)
    examples = ", ".join(f"{a} ({n:,} words)" for a, n in long.head(5).itertuples(index=False))
    return [
        f"{len(long)} article(s) have more than {limit:,} words: {examples}"
        f"{' ...' if len(long) > 5 else ''}. One file may hold several articles or a "
        "whole site; check them (they also make sentence splitting and topics slow)"
    ]


def no_outlet_message(files: Sequence[str], opts: LoadOptions, has_manifest: bool) -> str:
    """Say that ``len(files)`` articles' files gave no outlet, and how to give one.

    ``files`` holds the file of every article without an outlet. When they come
    from two or more table/JSON files and neither a manifest nor an outlet column
    names outlets, each file probably is one outlet: suggest
    ``outlet_from="filename"`` with the names it would give.
    """
    n = len(files)
    distinct = list(dict.fromkeys(files))
    base = (
        f"{n} article(s) have no outlet; give one with a manifest, "
        f"{spell('outlet', '<column>')}, {spell('outlet_from', 'filename')} (or "
        f"'folder') or {spell('outlet_default', '<name>')}"
    )
    one_per_file = (
        len(distinct) >= 2
        and not has_manifest
        and opts.outlet_from in ("auto", "column")
        and all(Path(f).suffix.lower() in _STRUCTURED for f in distinct)
    )
    if not one_per_file:
        return base
    stems = sorted({Path(f).stem for f in distinct})
    shown = ", ".join(repr(s) for s in stems[:12]) + (" ..." if len(stems) > 12 else "")
    return (
        f"{n} article(s) have no outlet, and each of the {len(distinct)} files looks "
        f"like one outlet: {spell('outlet_from', 'filename')} would give the outlets "
        f"{shown} ({spell('outlet_pattern', '<regex>')} keeps part of the name). "
        f"Or give outlets with a manifest, {spell('outlet', '<column>')} or "
        f"{spell('outlet_default', '<name>')}"
    )


# Penn Treebank tokenisation (Marcus, Santorini & Marcinkiewicz 1993): clitics split
# off ("do n't", "it 's"), `` and '' for quotes, -LRB-/-RRB- for brackets, and a
# space before punctuation. Natural text almost never has these. Counted with
# str.count (a regular expression is ten times slower on long corpora).
_PTB_MARKS = (
    " n't ",
    " 's ",
    " 're ",
    " 've ",
    " 'll ",
    " 'd ",
    " 'm ",
    "`` ",
    " ''",
    "-lrb-",
    "-rrb-",
    " , ",
    " . ",
    " ; ",
    " ? ",
    " ! ",
)
_PTB_SAMPLE = 5_000  # characters looked at per article (keeps the check linear)


def looks_tokenised(text: str) -> bool:
    """Return True when ``text`` looks Penn-Treebank tokenised.

    At least 5 tokenisation marks (split clitics such as `` n't``, ```` ``/``''``
    quotes, ``-LRB-``, a space before punctuation) in the first 5,000 characters,
    and at least 2 per 100 words.

    Examples
    --------
    >>> looks_tokenised("He said : `` We do n't know . '' The talks , it 's said , stall .")
    True
    >>> looks_tokenised("He said: 'We don't know.' The talks, it's said, stall.")
    False
    """
    sample = text[:_PTB_SAMPLE]
    if " , " not in sample and " . " not in sample and " n't" not in sample:
        return False  # the common case, decided in one pass
    sample = " " + sample.lower().replace("\n", " ") + " "
    marks = sum(sample.count(mark) for mark in _PTB_MARKS)
    return marks >= 5 and marks / max(1, len(sample.split())) >= 0.02


def tokenised_articles(articles: pd.DataFrame) -> list[str]:
    """Warn about articles whose text is already Penn-Treebank tokenised."""
    flags = [isinstance(t, str) and looks_tokenised(t) for t in articles["text"]]
    n = sum(flags)
    if not n:
        return []
    hit = articles.loc[flags]
    per_outlet = hit["outlet"].value_counts()
    shown = ", ".join(f"{o or '(none)'} {k}" for o, k in per_outlet.head(5).items())
    return [
        f"{n} article(s) look Penn-Treebank tokenised (\"do n't\", \"it 's\", `` '', a "
        f"space before punctuation), e.g. {hit['article_id'].iloc[0]!r}; by outlet: "
        f"{shown}. Sentence splitting and keyness work on running text: detokenise "
        "them (e.g. nltk's TreebankWordDetokenizer) before loading"
    ]
