"""Issue 15 §4: the topics step on real corpora, timed by phase, with its progress output.

Corpora
    ``ukraine``: ``../shared/data/ukraine-nyt-guardian-2022`` (407 articles, loaded as
    ``bench_run.py`` maps it). ``mixed4000``: every shared article of
    ``bench_run.py --mixed`` (3,360: BBC News, Ukraine, BASIL, climate) plus 640
    synthetic articles of ``bench_scale.py``'s generator (sentences of BBC and
    Ukraine articles, Zipf outlets, dates over 2021-2022), 4,000 in all.
What is timed
    What ``framing run`` computes for topics with the default settings, in a fresh
    process with an empty embedding cache (cold, as a first run): step ``topics``
    (:func:`framing.fit_topics` with ``n_boot=0``, then
    :func:`~framing.topics.summaries.topic_documents`) and the topic shares of step
    ``compare`` (:func:`~framing.topics.summaries.topic_shares`, ``n_boot=2000``).
    Phases are measured by wrapping the functions that do them (the outermost wrapped
    call gets the time): embedding (model load + encoding + token counts), reduction
    (UMAP or PCA), clustering (HDBSCAN), c-TF-IDF and topic words (BERTopic's
    ``_extract_topics``), term counting (CountVectorizer calls outside it, including
    ``clean_for_terms``), tables (by outlet, over time, top documents), the shares'
    bootstrap, and "other" (the rest of ``fit_topics``: BERTopic's bookkeeping,
    documents).
Progress
    Standard error and standard output are captured with a time stamp per write
    (``show_progress=True``, as in a terminal); for each phase the longest stretch
    without output is reported. Target: every phase longer than 10 s writes something
    at least every ~10 s (UMAP's fit has a heartbeat every 10 s; the run's heartbeat
    adds a line after 10 s of silence, then every 30 s),
    and the phases other than embedding take at most a quarter of the embedding time.

Usage: ``bench_topics_profile.py [--corpora ukraine,mixed4000] [--out FILE]`` (from a
worktree, set ``FRAMING_SHARED_DATA`` to the shared data folder). Results
are printed and written to ``benchmarks/out/bench_topics_profile.json``.
"""

from __future__ import annotations

import argparse
import functools
import io
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the shared corpora: next to the repository, or FRAMING_SHARED_DATA (a worktree)
SHARED = Path(os.environ.get("FRAMING_SHARED_DATA", ROOT.parent / "shared" / "data"))
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT / "benchmarks"))

PHASES = [
    "embedding",
    "reduction",
    "clustering",
    "c-TF-IDF",
    "term counting",
    "tables",
    "shares bootstrap",
    "other",
]


class Phases:
    """Accumulate wall time per phase; nested wrapped calls count for the outer phase."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {p: 0.0 for p in PHASES}
        self.spans: list[tuple[str, float, float]] = []
        self.active: list[str] = []

    def wrap(self, owner: object, name: str, phase: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            if self.active:
                return original(*args, **kwargs)
            self.active.append(phase)
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                t1 = time.perf_counter()
                self.active.pop()
                self.seconds[phase] += t1 - t0
                self.spans.append((phase, t0, t1))

        setattr(owner, name, timed)


class StampedStderr(io.TextIOBase):
    """Stands in for stderr: passes writes on and records when each happened."""

    def __init__(self, inner) -> None:
        self.inner, self.writes = inner, []

    def write(self, text: str) -> int:
        if text.strip():
            self.writes.append(time.perf_counter())
        return self.inner.write(text)

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return False


def ukraine_articles():
    import framing

    return framing.load_corpus(
        SHARED / "ukraine-nyt-guardian-2022",
        text="articles",
        title="headlines",
        published="published",
        outlet_pattern="^([A-Za-z]+)_",
    )


def mixed4000_articles(work: Path):
    import bench_run
    import bench_scale

    import framing

    bench_run.SHARED, bench_run.LARGE = SHARED, SHARED / "ukraine-nyt-guardian-2022"
    bench_scale.SHARED = SHARED
    build_mixed_corpus, make_corpus = bench_run.build_mixed_corpus, bench_scale.make_corpus
    sentence_pools = bench_scale.sentence_pools
    folder = work / "mixed4000"
    folder.mkdir(parents=True, exist_ok=True)
    n_real = build_mixed_corpus(folder)
    make_corpus(folder, 4000 - n_real, sentence_pools(), seed=15, prefix="synthetic")
    return framing.load_corpus(folder, id="id")


def profile_one(name: str) -> dict:
    """Profile the topics work on corpus ``name`` in this (fresh) process."""
    import framing.topics._backend as backend
    import framing.topics.model as model
    from framing.topics import summaries

    work = Path(tempfile.mkdtemp(prefix="bench_topics_profile_"))
    articles = ukraine_articles() if name == "ukraine" else mixed4000_articles(work)
    phases = Phases()
    bertopic = backend._import_bertopic()
    import hdbscan
    from sklearn.decomposition import PCA
    from sklearn.feature_extraction.text import CountVectorizer

    phases.wrap(model, "_embed", "embedding")
    phases.wrap(backend.CachedUMAP, "fit_transform", "reduction")
    phases.wrap(PCA, "fit_transform", "reduction")
    phases.wrap(hdbscan.HDBSCAN, "fit", "clustering")
    phases.wrap(bertopic.BERTopic, "_extract_topics", "c-TF-IDF")
    for method in ("fit", "fit_transform", "transform"):
        phases.wrap(CountVectorizer, method, "term counting")
    phases.wrap(backend, "clean_for_terms", "term counting")
    phases.wrap(model, "_by_outlet", "tables")
    phases.wrap(model, "_over_time", "tables")
    phases.wrap(summaries, "topic_documents", "tables")
    phases.wrap(summaries._shares, "_share_table", "shares bootstrap")
    # what a user sees: standard error (bars, status lines, heartbeats) and standard
    # output (UMAP's verbose steps are printed there)
    stamped, stamped_out = StampedStderr(sys.stderr), StampedStderr(sys.stdout)
    sys.stderr, sys.stdout = stamped, stamped_out
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = model.fit_topics(
            articles, cache_dir=work / "embeddings", n_boot=0, show_progress=True
        )
        t_fit = time.perf_counter()
        summaries.topic_documents(fitted.doc_topics, fitted.documents)
        summaries.topic_shares(
            fitted.doc_topics, fitted.topic_info, articles, fitted.topics_by_outlet, n_boot=2000
        )
    t1 = time.perf_counter()
    sys.stderr, sys.stdout = stamped.inner, stamped_out.inner
    total = t1 - t0
    measured = sum(v for k, v in phases.seconds.items() if k != "other")
    phases.seconds["other"] = total - measured
    silences = {}
    marks = sorted(stamped.writes + stamped_out.writes)
    for phase in PHASES[:-1]:
        worst = 0.0
        for p, a, b in phases.spans:
            if p != phase:
                continue
            inside = [a] + [m for m in marks if a <= m <= b] + [b]
            worst = max(worst, max(y - x for x, y in itertools.pairwise(inside)))
        silences[phase] = worst
    emb = phases.seconds["embedding"]
    rest = total - emb
    return {
        "corpus": name,
        "articles": len(articles),
        "documents": int(fitted.params["n_docs"]),
        "unit": fitted.params["unit"],
        "reduction": fitted.params["reduction"],
        "topics": int((fitted.topic_info["topic"] != -1).sum()),
        "seconds": {k: round(v, 2) for k, v in phases.seconds.items()},
        "longest_silence": {k: round(v, 1) for k, v in silences.items()},
        "total": round(total, 2),
        "fit_topics": round(t_fit - t0, 2),
        "non_embedding_over_embedding": round(rest / emb, 3) if emb else None,
        "load": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", default="ukraine,mixed4000")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=OUT / "bench_topics_profile.json")
    args = parser.parse_args()
    if args.one:
        print("RESULT " + json.dumps(profile_one(args.one)), flush=True)
        return
    if not SHARED.is_dir():
        sys.exit(f"bench_topics_profile: {SHARED} is absent")
    results = []
    for name in args.corpora.split(","):
        proc = subprocess.run(
            [sys.executable, __file__, "--one", name],
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        )
        line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
        result = json.loads(line[len("RESULT ") :])
        results.append(result)
        print(f"\n{name}: {result['articles']} articles, {result['documents']} documents "
              f"({result['unit']}s), {result['topics']} topics, {result['reduction']}, "
              f"load {result['load'][0]:.2f}")  # fmt: skip
        for phase in PHASES:
            silence = result["longest_silence"].get(phase)
            extra = f"   longest silence {silence:6.1f} s" if silence is not None else ""
            print(f"  {phase:<17} {result['seconds'][phase]:8.1f} s{extra}")
        ratio = result["non_embedding_over_embedding"]
        verdict = "PASS" if ratio is not None and ratio <= 0.25 else "FAIL"
        print(f"  total {result['total']:.1f} s; non-embedding / embedding = {ratio} "
              f"(target <= 0.25: {verdict})")  # fmt: skip
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
