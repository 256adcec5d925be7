"""Topic-model benchmark on BBC News (Greene & Cunningham 2006): quality, time, memory.

Usage (from the repository root)::

    python benchmarks/bench_topics.py                 # quality + cold/warm time + memory
    python benchmarks/bench_topics.py --mode memory   # BERTopic on 50,000 paragraphs
    python benchmarks/bench_topics.py --ks 10,20      # fewer topic counts (faster)

Quality mode: the 2,225 articles of ``../shared/data/bbc-news`` less the 98 exact
duplicate files (2,127), one document per article (MiniLM truncates at 256 word
pieces, as in the BERTopic paper). For BERTopic-MiniLM, LDA and NMF, at
``nr_topics`` in {10, 20, 30, 40, 50}: NPMI (gensim ``c_npmi``: top 10 words, sliding
window 10, over the tokenised corpus), topic diversity (top 25 words) and NMI/ARI
against the 5 categories (outliers count as one cluster); the mean over the topic
counts is compared with the paper (Grootendorst 2022, Table 1: BERTopic-MiniLM on BBC
News NPMI 0.170, TD 0.802). As in OCTIS's preprocessed corpora, terms in fewer than
``--min-df`` (0.5 %) of the articles are dropped from every model's vocabulary and the
NPMI windows run over vocabulary tokens only. Each method runs in its own subprocess,
whose peak RSS (``ru_maxrss``) is reported.

Time: *cold* = ``fit_topics`` in a fresh process with an empty embedding cache
(model load + embedding + fit, after imports); *warm* = the same call again with the
cache filled, both in the same process (as when a notebook is re-run) and in a fresh
process (as for a new ``framing run``, which also pays numba's JIT compilation of UMAP).
All timings are medians of ``--repeats`` runs.

Memory mode: BBC paragraphs (real text) replicated to 50,000 documents, embedded
(each distinct paragraph once) and fitted with BERTopic; peak RSS of that process.

Results are printed and written to ``benchmarks/out/bench_topics_<mode>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "bbc-news" / "bbc"
OUT = ROOT / "benchmarks" / "out"
PAPER = {"npmi": 0.170, "td": 0.802}


def load_bbc(data: Path):
    """Return (articles DataFrame, n_files, n_duplicates): exact duplicate files removed."""
    import pandas as pd

    rows, seen, n_files, dups = [], set(), 0, 0
    for path in sorted(data.glob("*/*.txt")):
        raw = path.read_bytes()
        n_files += 1
        if raw in seen:
            dups += 1
            continue
        seen.add(raw)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:  # bbc/sport/199.txt has one Latin-1 byte
            text = raw.decode("latin-1")
        rows.append(
            {
                "article_id": f"{path.parent.name}/{path.stem}",
                "outlet": "bbc",
                "published": pd.NaT,
                "text": text.strip(),
                "category": path.parent.name,
            }
        )
    return pd.DataFrame(rows), n_files, dups


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    """CPU seconds (user + system) of this process: robust to other jobs on the cores."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _evaluate(result, tokens, labels) -> dict:
    from framing.topics.evaluation import label_agreement, npmi_coherence, topic_diversity

    words10 = result.topic_words(10)
    agreement = label_agreement(result.doc_topics["topic"], labels)
    return {
        "n_topics": len(words10),
        "npmi": npmi_coherence(words10, tokens, top_n=10, window=10),
        "td": topic_diversity(result.topic_words(25), top_n=25),
        "nmi": agreement["nmi"],
        "ari": agreement["ari"],
        "outlier_share": float((result.doc_topics["topic"] == -1).mean()),
    }


def worker_quality(args: argparse.Namespace) -> dict:
    """One method: cold/warm timing (BERTopic) and quality at each topic count."""
    from sklearn.feature_extraction.text import CountVectorizer

    from framing.topics.evaluation import tokenize_for_coherence
    from framing.topics.model import clean_for_terms, fit_topics

    warnings.simplefilter("ignore")
    articles, _, _ = load_bbc(Path(args.data))
    # the models' shared vocabulary; NPMI windows run over it, as over an OCTIS corpus
    vocab = CountVectorizer(stop_words="english", min_df=args.min_df).fit(
        [clean_for_terms(t) for t in articles["text"]]
    )
    tokens = tokenize_for_coherence(articles["text"], vocabulary=vocab.vocabulary_)
    labels = articles["category"].tolist()
    common = {
        "unit": "article",
        "random_state": 42,
        "top_n_words": 25,
        "n_boot": 2000,
        "min_df": args.min_df,
    }
    out: dict = {
        "method": args.method,
        "n_docs": len(articles),
        "vocabulary": len(vocab.vocabulary_),
    }
    if args.method == "bertopic":
        from framing.embeddings import clear_memory_caches

        cold, warm, cold_cpu, warm_cpu = [], [], [], []
        for r in range(args.repeats):
            # the last repeat fills args.cache, which the topic-count runs then reuse
            tmp = tempfile.TemporaryDirectory() if r < args.repeats - 1 else None
            cache = tmp.name if tmp else args.cache
            clear_memory_caches()  # cold: no vectors and no model in memory either
            t, c = time.perf_counter(), _cpu_s()
            first = fit_topics(articles, cache_dir=cache, **common)
            cold.append(time.perf_counter() - t)
            cold_cpu.append(_cpu_s() - c)
            t, c = time.perf_counter(), _cpu_s()
            fit_topics(articles, cache_dir=cache, **common)
            warm.append(time.perf_counter() - t)
            warm_cpu.append(_cpu_s() - c)
            if tmp:
                tmp.cleanup()
        out.update(
            cold_s=statistics.median(cold),
            warm_in_process_s=statistics.median(warm),
            cold_cpu_s=statistics.median(cold_cpu),
            warm_in_process_cpu_s=statistics.median(warm_cpu),
            n_truncated=first.notes.get("n_truncated"),
            unreduced=_evaluate(first, tokens, labels),
        )
        cache_dir = args.cache
    else:
        cache_dir = None
    results = []
    for k in args.ks:
        t = time.perf_counter()
        res = fit_topics(articles, method=args.method, nr_topics=k, cache_dir=cache_dir, **common)
        row = {"nr_topics": k, "fit_s": time.perf_counter() - t, **_evaluate(res, tokens, labels)}
        results.append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    out["by_k"] = results
    for key in ("npmi", "td", "nmi", "ari"):
        out[f"mean_{key}"] = statistics.fmean(r[key] for r in results)
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def worker_warm(args: argparse.Namespace) -> dict:
    """A fresh process with a filled cache: import time and one fit."""
    t0 = time.perf_counter()
    from framing.topics.model import fit_topics

    warnings.simplefilter("ignore")
    articles, _, _ = load_bbc(Path(args.data))
    t1, c1 = time.perf_counter(), _cpu_s()
    res = fit_topics(
        articles, unit="article", cache_dir=args.cache, random_state=42, min_df=args.min_df
    )
    t2 = time.perf_counter()
    return {
        "import_and_load_s": t1 - t0,
        "fit_s": t2 - t1,
        "fit_cpu_s": _cpu_s() - c1,
        "n_embedded": res.notes["n_embedded"],
        "peak_rss_mb": _peak_rss_mb(),
    }


def worker_memory(args: argparse.Namespace) -> dict:
    """BERTopic on ``args.n_paragraphs`` real BBC paragraphs (replicated)."""
    import pandas as pd

    from framing.topics.model import fit_topics
    from framing.units import split_paragraphs

    warnings.simplefilter("ignore")
    articles, _, _ = load_bbc(Path(args.data))
    paragraphs = [
        (aid, p)
        for aid, text in zip(articles["article_id"], articles["text"], strict=True)
        for p in split_paragraphs(text)
    ]
    rows, copy = [], 0
    while len(rows) < args.n_paragraphs:
        for i, (aid, p) in enumerate(paragraphs):
            if len(rows) == args.n_paragraphs:
                break
            rows.append((f"{aid}#{copy}", f"{aid}#{copy}:p{i}", p))
        copy += 1
    units = pd.DataFrame(rows, columns=["article_id", "unit_id", "text"])
    units = units.assign(unit="paragraph", position=0, outlet="bbc", published=pd.NaT)
    t = time.perf_counter()
    res = fit_topics(units, cache_dir=args.cache, random_state=42, show_progress=False)
    return {
        "n_docs": len(units),
        "n_distinct_paragraphs": len({p for _, p in paragraphs}),
        "n_embedded": res.notes["n_embedded"],
        "n_topics": int((res.topic_info["topic"] != -1).sum()),
        "outlier_share": float((res.doc_topics["topic"] == -1).mean()),
        "fit_s": time.perf_counter() - t,
        "peak_rss_mb": _peak_rss_mb(),
    }


def _spawn(kind: str, args: argparse.Namespace, **extra) -> dict:
    cmd = [sys.executable, __file__, "--worker", kind, "--data", str(args.data)]
    cmd += ["--ks", ",".join(map(str, args.ks)), "--repeats", str(args.repeats)]
    cmd += ["--min-df", str(args.min_df)]
    for key, value in extra.items():
        cmd += [f"--{key.replace('_', '-')}", str(value)]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"worker {kind} {extra} failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _fmt(x, digits=3):
    return "-" if x is None else f"{x:.{digits}f}"


def run_quality(args: argparse.Namespace) -> dict:
    articles, n_files, dups = load_bbc(Path(args.data))
    print(
        f"BBC News: {n_files} files, {dups} exact duplicates removed -> {len(articles)} "
        f"articles; topic counts {args.ks}; repeats {args.repeats}"
    )
    with tempfile.TemporaryDirectory() as cache:
        report = {"n_files": n_files, "n_duplicates": dups, "n_articles": len(articles)}
        report["bertopic"] = _spawn("quality", args, method="bertopic", cache=cache)
        warm = [_spawn("warm", args, cache=cache) for _ in range(args.repeats)]
        report["bertopic"]["warm_fresh_process_fit_s"] = statistics.median(
            w["fit_s"] for w in warm
        )
        report["bertopic"]["warm_fresh_process_total_s"] = statistics.median(
            w["fit_s"] + w["import_and_load_s"] for w in warm
        )
    for method in ("lda", "nmf"):
        report[method] = _spawn("quality", args, method=method)
    print(
        f"\n{'method':10} {'NPMI':>7} {'TD':>6} {'NMI':>6} {'ARI':>6} "
        f"{'fit s/k':>8} {'peak RSS MB':>12}"
    )
    for method in ("bertopic", "lda", "nmf"):
        r = report[method]
        fit = statistics.median(x["fit_s"] for x in r["by_k"])
        print(
            f"{method:10} {_fmt(r['mean_npmi']):>7} {_fmt(r['mean_td']):>6} "
            f"{_fmt(r['mean_nmi']):>6} {_fmt(r['mean_ari']):>6} {fit:8.1f} "
            f"{r['peak_rss_mb']:12.0f}"
        )
    b = report["bertopic"]
    print("\nper topic count (NPMI / TD / NMI):")
    for method in ("bertopic", "lda", "nmf"):
        cells = [
            f"k={x['nr_topics']}: {x['npmi']:.3f}/{x['td']:.3f}/{x['nmi']:.3f}"
            for x in report[method]["by_k"]
        ]
        print(f"  {method:9} " + "  ".join(cells))
    u = b["unreduced"]
    print(
        f"  BERTopic without reduction: {u['n_topics']} topics, NPMI {u['npmi']:.3f}, "
        f"TD {u['td']:.3f}, NMI {u['nmi']:.3f}, outliers {u['outlier_share']:.1%}"
    )
    print(
        f"\npaper (Grootendorst 2022) BERTopic-MiniLM on BBC: NPMI {PAPER['npmi']}, "
        f"TD {PAPER['td']}"
    )
    ratio = b["cold_s"] / b["warm_in_process_s"]
    if "cold_cpu_s" in b:
        print(
            f"CPU time: cold {b['cold_cpu_s']:.0f} s, warm {b['warm_in_process_cpu_s']:.1f} s "
            "(wall time on an idle 2-core machine is about CPU time / 2 for embedding)"
        )
    print(
        f"BERTopic cold {b['cold_s']:.1f} s; warm {b['warm_in_process_s']:.1f} s in process "
        f"(cold/warm = {ratio:.1f}x); warm in a fresh process {b['warm_fresh_process_fit_s']:.1f}"
        f" s fit, {b['warm_fresh_process_total_s']:.1f} s with imports; "
        f"{b['n_truncated']} of {b['n_docs']} articles truncated at 256 word pieces"
    )
    checks = {
        "BERTopic NPMI >= 0.15": b["mean_npmi"] >= 0.15,
        "BERTopic TD >= 0.75": b["mean_td"] >= 0.75,
        "BERTopic NPMI > LDA NPMI": b["mean_npmi"] > report["lda"]["mean_npmi"],
        "cold <= 120 s": b["cold_s"] <= 120,
        "warm (in process) <= 15 s": b["warm_in_process_s"] <= 15,
        "warm >= 10x faster than cold": ratio >= 10,
    }
    for name, ok in checks.items():
        print(f"  [{'ok' if ok else 'MISSED'}] {name}")
    report["checks"] = checks
    return report


def run_memory(args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory() as cache:
        report = _spawn("memory", args, cache=cache, n_paragraphs=args.n_paragraphs)
    print(
        f"BERTopic on {report['n_docs']:,} paragraphs ({report['n_distinct_paragraphs']:,} "
        f"distinct, replicated): {report['n_topics']} topics, "
        f"{report['outlier_share']:.1%} outliers, {report['fit_s']:.0f} s "
        f"(embedding {report['n_embedded']:,} texts included), peak RSS "
        f"{report['peak_rss_mb']:,.0f} MB "
        f"[{'ok' if report['peak_rss_mb'] < 6144 else 'MISSED'}: < 6 GB]"
    )
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["quality", "memory"], default="quality")
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--ks", default="10,20,30,40,50")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--n-paragraphs", type=int, default=50_000)
    parser.add_argument(
        "--min-df",
        type=lambda v: int(v) if float(v) >= 1 else float(v),
        default=0.005,
        help="keep terms in at least this fraction of documents (OCTIS-like; default 0.005)",
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--method", help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.ks = [int(k) for k in str(args.ks).split(",") if k]
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if not Path(args.data).is_dir():
        raise SystemExit(f"{args.data} is absent: this benchmark needs ../shared/data/bbc-news")
    if args.worker:
        fn = {"quality": worker_quality, "warm": worker_warm, "memory": worker_memory}
        print(json.dumps(fn[args.worker](args)))
        return
    report = run_quality(args) if args.mode == "quality" else run_memory(args)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"bench_topics_{args.mode}.json"
    path.write_text(json.dumps(report, indent=2, default=str))
    print(f"\nwritten: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
