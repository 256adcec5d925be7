"""Benchmark frame scoring: validity against human coding, and lexicon speed.

Validity (issue 5, section 6) uses ``../shared/data/narrative-frames-climate``
(Frermann et al. 2023): 428 climate-change articles with aggregated human codes
for five generic frames. Label mapping to our ``generic-news`` set (Semetko &
Valkenburg 2000):

    CO -> conflict, EC -> economic_consequences, HI -> human_interest,
    MO -> morality, RE -> responsibility.

The last one is a partial match and is reported as such: the corpus's "Resolution"
frame (codebook questions RE1/RE5: a solution is suggested; urgent action is
needed) covers the *solution* and *urgency* items of Semetko & Valkenburg's
attribution-of-responsibility frame but not its *blame* items, which our
``responsibility`` lexicon also counts. One article (ID 405) has no frame codes
and is left out; one code reads ``False)`` (ID 716, EC) and is read as False.
427 articles remain.

Reported:

1. per frame, ROC AUC of the ``lexicon`` article scores (``per_1k_words``, the
   default; ``share``; ``n_matches``) and of the ``semantic`` article scores
   (``mean_score``; ``share`` at the default threshold), plus article length
   alone as a baseline (a score that only reflects length);
2. 5-fold cross-validated macro-F1 over the five frames (same seeded folds for
   all) of: the majority baseline (each frame's majority class), a plain TF-IDF
   logistic-regression baseline (scikit-learn defaults, one-vs-rest), and
   ``train_frame_classifier`` with ``tfidf``, ``embeddings`` and ``both``;
3. lexicon scoring speed on the sentences of the NYT/Guardian 2022 Ukraine corpus
   (8,223 sentences, pre-split; the three built-in frame sets), median of
   ``--repeats`` runs; and the same including sentence splitting.

Targets: best unsupervised conflict AUC >= 0.75; supervised macro-F1 above the
TF-IDF baseline; lexicon >= 20,000 sentences/s.

Run from the repository root::

    /work/venv/bin/python benchmarks/bench_frames.py
    /work/venv/bin/python benchmarks/bench_frames.py --skip-semantic --repeats 3

The semantic and embedding parts embed ~11,000 sentences once (several minutes on
two busy cores); vectors are cached in ``--cache-dir`` (default
``benchmarks/out/cache``) so reruns are fast.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CLIMATE = DATA / "narrative-frames-climate" / "articles_metadata.tsv"
UKRAINE = DATA / "ukraine-nyt-guardian-2022"
LABELS = {
    "CO": "conflict",
    "EC": "economic_consequences",
    "HI": "human_interest",
    "MO": "morality",
    "RE": "responsibility",
}


def load_climate() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Articles table and 0/1 label matrix (columns = generic-news frames)."""
    raw = pd.read_csv(CLIMATE, sep="\t", dtype=str, keep_default_na=False)
    codes = raw[list(LABELS)].apply(lambda c: c.str.strip().str.rstrip(")"))
    valid = codes.isin(["True", "False"]).all(axis=1)
    dropped = raw.loc[~valid, "ID"].tolist()
    raw, codes = raw[valid].reset_index(drop=True), codes[valid].reset_index(drop=True)
    print(
        f"climate corpus: {len(raw)} articles ({len(dropped)} without frame codes left out: "
        f"IDs {dropped})"
    )
    articles = pd.DataFrame(
        {
            "article_id": raw["ID"],
            "outlet": raw["source"].str.lower(),
            "text": raw["text"],
            "n_words": raw["text"].str.split().str.len().astype("int64"),
        }
    )
    labels = (codes == "True").astype(int).rename(columns=LABELS)
    labels.index = articles["article_id"]
    return articles, labels


def auc_table(scores, labels: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    from sklearn.metrics import roc_auc_score

    rows = []
    art = scores.articles
    for frame in labels.columns:
        sub = art[art["frame"] == frame].set_index("article_id").reindex(labels.index)
        row = {"frame": frame, "prevalence": labels[frame].mean()}
        for col in columns:
            row[col] = roc_auc_score(labels[frame], sub[col].fillna(0))
        rows.append(row)
    return pd.DataFrame(rows)


def validity_unsupervised(articles, labels, args) -> None:
    from sklearn.metrics import roc_auc_score

    from framing.frames import score_frames

    print("\n== 1. ROC AUC of article scores vs human codes (generic-news)")
    length = {f: roc_auc_score(labels[f], articles["n_words"]) for f in labels.columns}
    t0 = time.perf_counter()
    lexicon = score_frames(articles, "generic-news")
    print(
        f"lexicon scoring incl. sentence split: {time.perf_counter() - t0:.1f} s, "
        f"{lexicon.texts.shape[0]} sentences"
    )
    table = auc_table(lexicon, labels, ["per_1k_words", "share", "n_matches"])
    table.columns = ["frame", "prevalence", "lex_per_1k", "lex_share", "lex_n_matches"]
    if not args.skip_semantic:
        t0 = time.perf_counter()
        semantic = score_frames(
            articles, "generic-news", method="semantic", cache_dir=args.cache_dir
        )
        print(f"semantic scoring: {time.perf_counter() - t0:.1f} s (cached vectors reused)")
        sem = auc_table(semantic, labels, ["mean_score", "share"])
        table["sem_mean"] = sem["mean_score"]
        table["sem_share"] = sem["share"]
        raw = score_frames(
            articles, "generic-news", method="semantic", cache_dir=args.cache_dir, center=False
        )
        table["sem_mean_uncentred"] = auc_table(raw, labels, ["mean_score"])["mean_score"]
    table["length_only"] = table["frame"].map(length)
    print(table.round(3).to_string(index=False))
    best = table.drop(columns=["frame", "prevalence", "length_only"]).iloc[0]
    print(
        f"conflict: best unsupervised AUC {best.max():.3f} ({best.idxmax()}); "
        f"default lexicon score (per_1k_words) {table.loc[0, 'lex_per_1k']:.3f}; "
        f"target >= 0.75"
    )


def validity_supervised(articles, labels, args) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import KFold

    from framing.frames import train_frame_classifier

    print("\n== 2. Supervised: 5-fold cross-validated macro-F1 over the five frames")
    coded = pd.DataFrame({"text": articles["text"].to_numpy()})
    for frame in labels.columns:
        coded[frame] = labels[frame].to_numpy()
    Y = labels.to_numpy()
    folds = list(KFold(5, shuffle=True, random_state=0).split(coded))
    majority = np.zeros_like(Y)
    baseline = np.zeros_like(Y)
    texts = coded["text"].to_numpy()
    for train, test in folds:
        majority[test] = (Y[train].mean(axis=0) >= 0.5).astype(int)
        vec = TfidfVectorizer()
        X_train, X_test = vec.fit_transform(texts[train]), vec.transform(texts[test])
        for j in range(Y.shape[1]):
            clf = LogisticRegression(max_iter=1000).fit(X_train, Y[train, j])
            baseline[test, j] = clf.predict(X_test)

    def macro(pred: np.ndarray) -> float:
        return float(np.mean([f1_score(Y[:, j], pred[:, j], zero_division=0) for j in range(5)]))

    rows = [
        ("majority class", macro(majority)),
        ("TF-IDF + logistic regression (sklearn defaults)", macro(baseline)),
    ]
    per_frame = {}
    for features in ("tfidf", "embeddings", "both"):
        if features != "tfidf" and args.skip_semantic:
            continue
        t0 = time.perf_counter()
        clf = train_frame_classifier(
            coded, frames="generic-news", features=features, cache_dir=args.cache_dir
        )
        report = clf.cv_report
        rows.append((f"train_frame_classifier(features={features!r})", report.loc["macro", "f1"]))
        per_frame[features] = report["f1"].iloc[:-1]
        print(f"  features={features}: {time.perf_counter() - t0:.1f} s")
    print(pd.DataFrame(rows, columns=["model", "macro_F1"]).round(3).to_string(index=False))
    print("per-frame F1:")
    print(pd.DataFrame(per_frame).round(3).to_string())


def speed(args) -> None:
    import framing
    from framing.frames import load_frame_set, score_frames

    print("\n== 3. Lexicon scoring speed (Ukraine 2022 corpus)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = framing.load_corpus(
            UKRAINE,
            text="articles",
            title="headlines",
            outlet_from="filename",
            outlet_pattern="^([A-Za-z]+)_",
        )
    units = framing.split_units(articles)
    print(f"{len(articles)} articles, {len(units)} sentences")
    for name in ("ukraine-diplomacy", "generic-news", "policy-frames"):
        fs = load_frame_set(name)
        score_frames(units.head(50), fs)  # compile the patterns once
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            score_frames(units, fs)
            times.append(time.perf_counter() - t0)
        median = statistics.median(times)
        n_terms = sum(len(f.terms) for f in fs.frames.values())
        print(
            f"  {name:18s} {len(fs):2d} frames, {n_terms:3d} terms: median {median:.3f} s "
            f"= {len(units) / median:,.0f} sentences/s (target >= 20,000)"
        )
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            score_frames(articles, "ukraine-diplomacy")
        times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    print(
        f"  incl. sentence splitting (ukraine-diplomacy): median {median:.2f} s "
        f"= {len(units) / median:,.0f} sentences/s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cache-dir", default=str(ROOT / "benchmarks" / "out" / "cache"))
    parser.add_argument(
        "--skip-semantic",
        action="store_true",
        help="skip everything that needs sentence embeddings",
    )
    parser.add_argument("--skip-validity", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"{DATA} is absent: the frame benchmarks need ../shared/data", file=sys.stderr)
        return 1
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    warnings.filterwarnings("ignore", message=".*truncat.*")
    warnings.filterwarnings("ignore", message=r".*\['other'\] have no terms.*")
    if not args.skip_validity:
        articles, labels = load_climate()
        validity_unsupervised(articles, labels, args)
        validity_supervised(articles, labels, args)
    if not args.skip_speed:
        speed(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
