"""Benchmark corpus throughput: load + clean + sentence split on 10,000 real articles.

Input is real news text replicated to ``--n`` articles (default 10,000): the BBC
News files (``../shared/data/bbc-news``, 2,225 articles) and, when present, the
Guardian and NYT articles of ``../shared/data/ukraine-nyt-guardian-2022`` (407).
The first copy of each source article is unchanged; every further copy has one
word per paragraph replaced, so the copies are distinct (near-duplicate) texts
and every stage, including near-duplicate detection, does its full work.

Two inputs are measured, each run in its own fresh subprocess (so RSS is clean),
``--repeats`` times (default 3), medians reported:

(a) ``text``: ``--n`` ``.txt`` files (headline, blank line, body) in one folder
    per outlet, loaded with ``load_corpus(folder, outlet_from="folder")``;
(b) ``csv``: one CSV of ``--n`` rows (``outlet, published, title, text``), loaded
    with ``load_corpus(path, text="text", title="title", outlet="outlet",
    published="published")``.

A third, optional mode is a reference, not a target: (c) ``floor`` reads the same
``.txt`` files straight into an ``articles`` table of compact ``str`` columns (no
cleaning, dates, duplicate detection or per-article Python records: nothing is
held but the table itself) and then runs the real ``split_units``. Its peak is
what the split alone costs on top of a loader that leaves nothing behind.

Each run times ``framing.load_corpus`` (read, clean, dates, dedup, validate) and
then ``framing.split_units(articles, unit="sentence")``, and reports articles/s
per stage and in total, plus the process CPU time (the machine is shared, so
wall time includes waiting for a core).

Memory. Before measuring, the child imports framing and runs both stages once on
a 3-article copy of the same input (a *warm-up*: lazy imports such as NLTK's
Punkt and the cleaner's patterns are then loaded), then reads its RSS: the
*baseline after imports*. A thread samples RSS every 10 ms. The figure compared
with the target is the **peak RSS increase over that baseline** divided by the
raw input size (bytes of the input files); the peak per stage and the process's
lifetime peak (``ru_maxrss``, including interpreter and imports) are also shown.

Targets (issue 2, section 9): >= 500 articles/s for text and for CSV input;
peak RSS <= 3x the raw text size.

Run from the repository root::

    /work/venv/bin/python benchmarks/bench_corpus.py
    /work/venv/bin/python benchmarks/bench_corpus.py --n 2000 --repeats 1
    /work/venv/bin/python benchmarks/bench_corpus.py --profile     # + cProfile hot spots
    /work/venv/bin/python benchmarks/bench_corpus.py --memprofile  # + tracemalloc sites
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
BBC = SHARED / "bbc-news" / "bbc"
UKRAINE = SHARED / "ukraine-nyt-guardian-2022"
SRC = Path(__file__).resolve().parents[1] / "src" / "framing"
TARGET_RATE = 500.0
TARGET_RSS_RATIO = 3.0


# ------------------------------------------------------------------- inputs


def read_sources() -> list[tuple[str, str, str, str]]:
    """Real articles as (outlet, published, title, body); body paragraphs by blank lines."""
    out = []
    for path in sorted(BBC.glob("*/*.txt")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        title, _, body = text.partition("\n")
        out.append(("bbc", "", title.strip(), body.strip()))
    for name, outlet in [
        ("Guardians_Russia_Ukraine.csv", "guardian"),
        ("NYT_Russia_Ukraine.csv", "nyt"),
    ]:
        path = UKRAINE / name
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                body = (row.get("articles") or "").strip()
                if body:
                    out.append((outlet, row.get("published", ""), row.get("headlines", ""), body))
    return out


def replicate(sources, n: int, seed: int):
    """Yield ``n`` articles cycling through ``sources``; later copies are lightly edited."""
    rng = random.Random(seed)
    vocab = sorted({w for _, _, _, b in sources[:300] for w in b.split() if w.isalpha()})
    for i in range(n):
        outlet, published, title, body = sources[i % len(sources)]
        if i >= len(sources):
            paragraphs = re.split(r"\n\s*\n", body)
            edited = []
            for p in paragraphs:
                words = p.split(" ")
                words[rng.randrange(len(words))] = rng.choice(vocab)
                edited.append(" ".join(words))
            body = "\n\n".join(edited)
        yield i, outlet, published, title, body


def write_inputs(folder: Path, n: int, seed: int) -> dict[str, tuple[Path, int]]:
    """Write the text-file and CSV inputs; return {mode: (path, raw bytes)}."""
    sources = read_sources()
    text_dir = folder / "text"
    csv_path = folder / "articles.csv"
    text_bytes = 0
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["outlet", "published", "title", "text"])
        for i, outlet, published, title, body in replicate(sources, n, seed):
            target = text_dir / outlet / f"{i:06d}.txt"
            target.parent.mkdir(parents=True, exist_ok=True)
            data = f"{title}\n\n{body}\n".encode()
            target.write_bytes(data)
            text_bytes += len(data)
            writer.writerow([outlet, published, title, body])
    outlets = sorted({s[0] for s in sources})
    print(
        f"inputs: {n:,} articles replicated from {len(sources):,} real ones "
        f"({', '.join(outlets)}); text files {text_bytes / 1e6:.1f} MB, "
        f"CSV {csv_path.stat().st_size / 1e6:.1f} MB"
    )
    return {"text": (text_dir, text_bytes), "csv": (csv_path, csv_path.stat().st_size)}


def small_copy(mode: str, path: Path, folder: Path, k: int = 3) -> Path:
    """A ``k``-article input in the same format, for the warm-up run."""
    if mode in ("text", "floor"):
        for src in sorted(path.rglob("*.txt"))[:k]:
            dst = folder / src.relative_to(path)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
        return folder
    dst = folder / "small.csv"
    with path.open(encoding="utf-8", newline="") as fin, dst.open("w", encoding="utf-8") as fout:
        rows = list(zip(range(k + 1), csv.reader(fin), strict=False))
        csv.writer(fout).writerows(r for _, r in rows)
    return dst


# ----------------------------------------------------------------- stages


def minimal_table(folder: Path):
    """The ``floor`` loader: ``.txt`` files into compact columns, nothing else kept."""
    import numpy as np
    import pandas as pd

    from framing._strings import StringBlocks, repeated_array

    files = sorted(folder.rglob("*.txt"))
    ids, outlets, titles, texts, paths = (StringBlocks() for _ in range(5))
    n_words = np.zeros(len(files), dtype=np.int64)
    for i, file in enumerate(files):
        title, _, body = file.read_text(encoding="utf-8").partition("\n")
        body = body.strip()
        ids.append(f"{file.parent.name}/{file.stem}")
        outlets.append(file.parent.name)
        titles.append(title.strip())
        texts.append(body)
        paths.append(file.relative_to(folder).as_posix())
        n_words[i] = len(body.split())
    n = len(files)
    return pd.DataFrame(
        {
            "article_id": ids.to_array(),
            "outlet": outlets.to_array(),
            "published": np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"),
            "title": titles.to_array(),
            "author": repeated_array("", n),
            "url": repeated_array("", n),
            "text": texts.to_array(),
            "n_words": n_words,
            "source_path": paths.to_array(),
        },
        copy=False,
    )


def load(mode: str, path: Path):
    from framing.corpus.load import load_corpus

    if mode == "floor":
        return minimal_table(path)
    if mode == "text":
        return load_corpus(path, outlet_from="folder")
    return load_corpus(path, text="text", title="title", outlet="outlet", published="published")


def split(articles):
    from framing.units import split_units

    return split_units(articles, unit="sentence")


def warm_up(mode: str, path: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        split(load(mode, small_copy(mode, path, Path(tmp))))
    gc.collect()


def child(mode: str, path: Path) -> None:
    """One measured run (in a fresh process); prints a JSON line."""
    import resource

    import psutil

    warm_up(mode, path)
    proc = psutil.Process()
    baseline = proc.memory_info().rss
    peak = {"load": baseline, "split": baseline}
    state = {"stage": "load", "done": False}

    def sample() -> None:
        while not state["done"]:
            stage = state["stage"]
            peak[stage] = max(peak[stage], proc.memory_info().rss)
            time.sleep(0.01)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    cpu0 = proc.cpu_times()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t0 = time.perf_counter()
        articles = load(mode, path)
        t1 = time.perf_counter()
        after_load = proc.memory_info().rss
        peak["load"] = max(peak["load"], after_load)
        state["stage"] = "split"
        units = split(articles)
        t2 = time.perf_counter()
    cpu1 = proc.cpu_times()
    state["done"] = True
    thread.join()
    peak["split"] = max(peak["split"], proc.memory_info().rss)
    report = articles.attrs.get("load_report")
    result = {
        "load_s": t1 - t0,
        "split_s": t2 - t1,
        "cpu_s": (cpu1.user + cpu1.system) - (cpu0.user + cpu0.system),
        "n_articles": len(articles),
        "n_units": len(units),
        "n_skipped": getattr(report, "n_skipped", None),
        "n_duplicates": getattr(report, "n_duplicates", None),
        "n_warnings": len(caught),
        "baseline_rss": baseline,
        "peak_rss_increase": max(peak.values()) - baseline,
        "load_peak_increase": peak["load"] - baseline,
        "after_load_increase": after_load - baseline,
        "split_peak_increase": peak["split"] - baseline,
        "ru_maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        # what the two output tables themselves hold (the floor for any peak)
        "articles_bytes": int(articles.memory_usage(deep=True).sum()),
        "units_bytes": int(units.memory_usage(deep=True).sum()),
    }
    print(json.dumps(result))


def run_child(mode: str, path: Path, flag: str = "--child") -> str:
    proc = subprocess.run(
        [sys.executable, __file__, flag, mode, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        raise RuntimeError(f"{mode} run failed:\n{proc.stderr}")
    return proc.stdout


# -------------------------------------------------------------- diagnostics


def _site(file: str) -> str:
    path = Path(file)
    return f"{path.parent.name}/{path.name}" if path.parent.name != "framing" else path.name


def profile(mode: str, path: Path, top: int = 25) -> None:
    """Print cProfile hot spots of one in-process run (after a warm-up)."""
    import cProfile
    import pstats

    warm_up(mode, path)
    prof = cProfile.Profile()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prof.runcall(lambda: split(load(mode, path)))
    stats = pstats.Stats(prof)
    total = stats.total_tt
    print(f"\n=== cProfile, {mode} input: {total:.1f} s (profiled; shares of that) ===")
    rows = [
        (ct, tt, ncalls, file, f"{_site(file)}:{line}({func})")
        for (file, line, func), (_, ncalls, tt, ct, _) in stats.stats.items()
    ]
    print("  cumul.   own      calls  function   [framing code, by cumulative time]")
    for ct, tt, ncalls, _, name in [r for r in sorted(rows, reverse=True) if str(SRC) in r[3]][
        :top
    ]:
        print(f"  {ct / total:6.1%} {tt / total:6.1%} {ncalls:>10,}  {name}")
    print("  own time, top 15 functions overall:")
    for ct, tt, ncalls, _, name in sorted(rows, key=lambda r: r[1], reverse=True)[:15]:
        print(f"  {ct / total:6.1%} {tt / total:6.1%} {ncalls:>10,}  {name}")


def _by_site(snap, ref, top: int) -> list[tuple[str, int]]:
    """Memory added between two snapshots, per innermost framing source line."""
    by_site: dict[str, int] = {}
    for d in snap.compare_to(ref, "traceback"):
        frames = [f for f in d.traceback if str(SRC) in f.filename] or list(d.traceback)[-1:]
        key = f"{_site(frames[-1].filename)}:{frames[-1].lineno}" if frames else "?"
        by_site[key] = by_site.get(key, 0) + d.size_diff
    return sorted(by_site.items(), key=lambda kv: -kv[1])[:top]


def memprofile(mode: str, path: Path, top: int = 10) -> None:
    """Print tracemalloc peaks per stage and which source lines hold memory.

    A thread takes a snapshot whenever traced memory reaches a new high, so the
    composition *near each stage's peak* is shown, not only what stays after it.
    """
    import tracemalloc

    import pyarrow as pa

    warm_up(mode, path)
    tracemalloc.start(10)
    state = {"stage": "load", "done": False}
    near_peak: dict[str, tuple[int, object]] = {}

    def watch() -> None:
        while not state["done"]:
            current = tracemalloc.get_traced_memory()[0]
            best = near_peak.get(state["stage"], (0, None))[0]
            if current > best * 1.05 + 2**20:
                near_peak[state["stage"]] = (current, tracemalloc.take_snapshot())
            time.sleep(0.02)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        before = tracemalloc.take_snapshot()
        base = tracemalloc.get_traced_memory()[0]
        arrow0 = pa.total_allocated_bytes()
        thread = threading.Thread(target=watch, daemon=True)
        thread.start()
        articles = load(mode, path)
        arrow_load = pa.total_allocated_bytes() - arrow0
        load_peak = tracemalloc.get_traced_memory()[1]
        after_load = tracemalloc.take_snapshot()
        tracemalloc.reset_peak()
        state["stage"] = "split"
        units = split(articles)
        split_peak = tracemalloc.get_traced_memory()[1]
        arrow_split = pa.total_allocated_bytes() - arrow0 - arrow_load
        state["done"] = True
        thread.join()
        after_split = tracemalloc.take_snapshot()
    mib = 2**20
    print(f"\n=== tracemalloc, {mode} input (Python and NumPy allocations) ===")
    print(
        f"  load_corpus peak +{(load_peak - base) / mib:,.0f} MiB; split_units peak "
        f"+{(split_peak - base) / mib:,.0f} MiB (over the allocations before loading); "
        f"{len(articles):,} articles, {len(units):,} units"
    )
    print(
        "  Arrow memory (not seen by tracemalloc; pandas str columns): "
        f"+{arrow_load / mib:,.1f} MiB held after load_corpus, "
        f"+{arrow_split / mib:,.1f} MiB added by split_units"
    )
    sections = []
    for stage, ref in (("load", before), ("split", after_load)):
        if stage in near_peak:
            size, snap = near_peak[stage]
            sections.append(
                (f"near the {stage} peak (+{(size - base) / mib:,.0f} MiB)", snap, ref)
            )
    sections += [
        ("held after load_corpus", after_load, before),
        ("added by split_units", after_split, after_load),
    ]
    for label, snap, ref in sections:
        rows = _by_site(snap, ref, top)
        print(f"  {label}: largest sites (innermost framing frame)")
        for key, size in rows:
            print(f"    {size / mib:8.1f} MiB  {key}")


# --------------------------------------------------------------------- main


def report(mode: str, runs: list[dict], n: int, raw: int) -> bool:
    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    load_s, split_s, cpu = med("load_s"), med("split_s"), med("cpu_s")
    total = statistics.median(r["load_s"] + r["split_s"] for r in runs)
    inc = med("peak_rss_increase")
    rate = n / total
    ok_rate, ok_rss = rate >= TARGET_RATE, inc / raw <= TARGET_RSS_RATIO
    first = runs[0]

    def verdict(ok: bool) -> str:
        return "reference only" if mode == "floor" else ("MET" if ok else "MISSED")

    print(f"\n{mode} input, median of {len(runs)} fresh-process runs")
    print(f"  raw input           {raw / 1e6:.1f} MB ({n:,} articles)")
    checks = (
        "no cleaning or duplicate detection"
        if first["n_duplicates"] is None
        else f"{first['n_duplicates']} flagged duplicates, {first['n_skipped']} skipped"
    )
    print(
        f"  loaded              {first['n_articles']:,} articles, {first['n_units']:,} "
        f"sentences, {checks}, {first['n_warnings']} warnings"
    )
    loader = "minimal load" if mode == "floor" else "load_corpus"
    print(f"  {loader:<20}{load_s:.2f} s = {n / load_s:,.0f} articles/s")
    print(f"  split_units         {split_s:.2f} s = {n / split_s:,.0f} articles/s")
    print(
        f"  total               {total:.2f} s = {rate:,.0f} articles/s "
        f"(target >= {TARGET_RATE:.0f}: {verdict(ok_rate)})"
    )
    print(
        f"  CPU time            {cpu:.2f} s = {n / cpu:,.0f} articles per CPU-second "
        "(what one free core would give)"
    )
    print(
        f"  peak RSS increase   {inc / 2**20:,.0f} MiB = {inc / raw:.2f}x raw input "
        f"(target <= {TARGET_RSS_RATIO:.0f}x: {verdict(ok_rss)}); baseline "
        f"after imports and warm-up {med('baseline_rss') / 2**20:,.0f} MiB"
    )
    print(
        f"  RSS by stage        load peak +{med('load_peak_increase') / 2**20:,.0f} MiB, "
        f"after load +{med('after_load_increase') / 2**20:,.0f} MiB, split peak "
        f"+{med('split_peak_increase') / 2**20:,.0f} MiB"
    )
    held = first["articles_bytes"] + first["units_bytes"]
    print(
        f"  output tables       articles {first['articles_bytes'] / 2**20:,.0f} MiB + units "
        f"{first['units_bytes'] / 2**20:,.0f} MiB = {held / raw:.2f}x raw input (held after "
        "the split; the floor for the peak)"
    )
    print(
        f"  process peak RSS    {med('ru_maxrss') / 2**20:,.0f} MiB = "
        f"{med('ru_maxrss') / raw:.2f}x raw input (ru_maxrss, includes the imports)"
    )
    return ok_rate and ok_rss


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] in ("--child", "--child-profile", "--child-mem"):
        func = {"--child": child, "--child-profile": profile, "--child-mem": memprofile}
        func[sys.argv[1]](sys.argv[2], Path(sys.argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of articles")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--modes", default="text,csv", help="comma-separated: text,csv,floor (a reference)"
    )
    parser.add_argument("--profile", action="store_true", help="print cProfile hot spots")
    parser.add_argument("--memprofile", action="store_true", help="print tracemalloc sites")
    args = parser.parse_args()
    if not BBC.is_dir():
        print(f"bench_corpus: {BBC} not found; this benchmark needs ../shared/data/bbc-news")
        return 2
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    all_ok, measured = True, False
    with tempfile.TemporaryDirectory() as tmp:
        inputs = write_inputs(Path(tmp), args.n, args.seed)
        inputs["floor"] = inputs["text"]
        for mode in modes:
            path, raw = inputs[mode]
            runs = []
            for r in range(args.repeats):
                run = json.loads(run_child(mode, path).strip().splitlines()[-1])
                runs.append(run)
                print(
                    f"  {mode} repeat {r + 1}: load {run['load_s']:.1f} s, split "
                    f"{run['split_s']:.1f} s, total "
                    f"{args.n / (run['load_s'] + run['split_s']):,.0f} articles/s "
                    f"(CPU {run['cpu_s']:.1f} s), peak RSS "
                    f"+{run['peak_rss_increase'] / 2**20:,.0f} MiB"
                )
            if runs:
                ok = report(mode, runs, args.n, raw)
                all_ok &= ok or mode == "floor"  # the floor is a reference, not a target
                measured = True
            if args.profile:
                print(run_child(mode, path, "--child-profile"))
            if args.memprofile:
                print(run_child(mode, path, "--child-mem"))
    if measured:
        print(f"\nTARGETS {'MET' if all_ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
