"""Frame sets, term matching, the three scoring methods, exemplars and contrasts."""

from __future__ import annotations

import re
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score, roc_curve
from sklearn.model_selection import KFold, cross_val_predict
from sklearn.pipeline import make_pipeline

from framing import compare, plots
from framing.frames import (
    FrameScores,
    FrameSetError,
    calibrate_threshold,
    compile_terms,
    frame_prototypes,
    list_frame_sets,
    load_frame_set,
    score_frames,
    train_frame_classifier,
)
from framing.frames.exemplars import exemplars
from framing.frames.validation import CodingSheetError
from framing.units import split_units

ROOT = Path(__file__).resolve().parents[1]


def matches(terms, text):
    return [m.group() for m in compile_terms(terms).finditer(text)]


# ------------------------------------------------------------------ term matching


@pytest.mark.parametrize(
    ("terms", "text", "expected"),
    [
        (["divid*"], "Allies are Divided and divide; individual", ["Divided", "divide"]),
        (["war"], "warm Warsaw war-torn war.", ["war", "war"]),
        (["NATO"], "nato, NATO and Nato", ["nato", "NATO", "Nato"]),
        (
            ["cease fire"],
            "a cease-fire, a cease  fire, a cease\nfire",
            ["cease-fire", "cease  fire", "cease\nfire"],
        ),
        (["cease-fire"], "a cease fire", ["cease fire"]),
        (["lack of clarity"], "the lack of “clarity” here", ["lack of “clarity"]),
        (["Kyiv's allies"], "Kyiv’s allies and Kyiv's allies", ["Kyiv’s allies", "Kyiv's allies"]),
        (
            ["split", "split between"],
            "a split between allies; a split",
            ["split between", "split"],
        ),
        (
            ["rift*", "rifts between"],
            "rifts between them; riftless",
            ["rifts between", "riftless"],
        ),
        # regex metacharacters are literal
        (["C++"], "C++ and C and Cpp", ["C++"]),
        (["U.S."], "U.S. troops, US troops, UxSx", ["U.S."]),
        (["(EU)"], "the (EU) said; the EU said", ["(EU)"]),
        (["a|b"], "a|b a b ab", ["a|b"]),
        (["$21"], "cost $21 billion, not $210", ["$21"]),
        (["wh*t"], "what wh*t", ["wh*t"]),
        (["e.g."], "e.g. eg", ["e.g."]),
    ],
)
def test_term_matching_rules(terms, text, expected):
    assert matches(terms, text) == expected


def test_compile_terms_empty_is_none():
    assert compile_terms([]) is None
    assert compile_terms(["  "]) is None


# ------------------------------------------------------------------- frame sets


def write(tmp_path: Path, text: str, name: str = "set.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


GOOD = """\
name: demo
version: 2
citation: us (2025)
frames:
  alpha:
    label: Alpha
    description: first frame
    terms: [one, two]
  beta:
    terms: [three]
"""


def test_load_frame_set_from_file_and_dict(tmp_path):
    fs = load_frame_set(write(tmp_path, GOOD))
    assert fs.name == "demo" and fs.version == "2" and fs.keys == ["alpha", "beta"]
    assert fs.frames["beta"].label == "beta"
    assert fs.source.endswith("set.yaml")
    same = load_frame_set(
        {
            "name": "demo",
            "version": 2,
            "citation": "us (2025)",
            "frames": {"alpha": {"terms": ["x"]}, "beta": {"terms": ["y"]}},
        }
    )
    assert same.keys == ["alpha", "beta"] and load_frame_set(same) is same


def test_malformed_yaml_names_file_and_line(tmp_path):
    bad = write(tmp_path, GOOD.replace("    terms: [three]", "    terms: [three\n  gamma: x"))
    with pytest.raises(FrameSetError, match=r"set\.yaml: line 11, column \d+: malformed YAML"):
        load_frame_set(bad)


def test_frame_without_terms_or_description_is_named(tmp_path):
    bad = write(tmp_path, GOOD + "  gamma:\n    label: Gamma\n")
    with pytest.raises(FrameSetError, match=r"line 11: frame 'gamma': has neither terms nor"):
        load_frame_set(bad)


def test_duplicate_yaml_keys_rejected_with_both_lines(tmp_path):
    bad = write(tmp_path, GOOD + "  alpha:\n    terms: [four]\n")
    with pytest.raises(
        FrameSetError, match=r"line 11.*duplicate key 'alpha' \(first defined on line 5\)"
    ):
        load_frame_set(bad)


def test_duplicate_frame_names_ignoring_case_and_labels(tmp_path):
    with pytest.raises(FrameSetError, match="duplicate frame name"):
        load_frame_set(write(tmp_path, GOOD + "  Alpha:\n    terms: [four]\n"))
    with pytest.raises(
        FrameSetError, match="duplicate frame name: label 'ALPHA' is also used by frame 'alpha'"
    ):
        load_frame_set(write(tmp_path, GOOD + "  gamma:\n    label: ALPHA\n    terms: [x]\n"))


def test_unknown_keys_list_the_valid_ones(tmp_path):
    with pytest.raises(
        FrameSetError, match=r"unknown key\(s\) \['author'\]; valid keys are \['name'"
    ):
        load_frame_set(write(tmp_path, "author: me\n" + GOOD))
    with pytest.raises(
        FrameSetError, match=r"frame 'beta': unknown key\(s\) \['term'\]; valid keys"
    ):
        load_frame_set(write(tmp_path, GOOD.replace("    terms: [three]", "    term: [three]")))


def test_other_validation_errors(tmp_path):
    with pytest.raises(FrameSetError, match=r"missing required key\(s\) \['citation'\]"):
        load_frame_set(write(tmp_path, GOOD.replace("citation: us (2025)\n", "")))
    with pytest.raises(
        FrameSetError, match=r"unknown frame set .*built-in frame sets: \['generic-news'"
    ):
        load_frame_set("no-such-set")
    with pytest.raises(FrameSetError, match=r"'terms' lists \['One', 'one'\] more than once"):
        load_frame_set(write(tmp_path, GOOD.replace("[one, two]", "[one, One]")))
    with pytest.raises(FrameSetError, match="frame key must start with a letter"):
        load_frame_set(write(tmp_path, GOOD.replace("  beta:", "  beta frame:")))


def test_builtin_sets():
    sets = list_frame_sets().set_index("name")
    assert set(sets.index) == {"ukraine-diplomacy", "generic-news", "policy-frames"}
    generic = load_frame_set("generic-news")
    assert generic.keys == [
        "conflict",
        "human_interest",
        "economic_consequences",
        "morality",
        "responsibility",
    ]
    assert "Semetko" in generic.citation
    policy = load_frame_set("policy-frames")
    assert len(policy) == 15 and "Boydstun" in policy.citation
    ukraine = load_frame_set("ukraine-diplomacy")
    for key in (
        "allies_divided",
        "balancing_interests",
        "security_guarantees",
        "territorial_concessions",
        "us_deal_pressure",
        "escalation_risk",
    ):
        frame = ukraine.frames[key]
        assert frame.description and frame.terms and frame.examples
    for name in sets.index:
        fs = load_frame_set(name)
        assert all(f.description for f in fs.frames.values())
        # issue 12: every built-in frame carries prototypes and near misses
        assert fs.version >= "1.1", name
        for key, frame in fs.frames.items():
            assert len(frame.examples) >= 8, (name, key)
            assert len(frame.counter_examples) >= 3, (name, key)
            assert not set(frame.examples) & set(frame.counter_examples)


# ---------------------------------------------------------------------- lexicon

SET = {
    "name": "mini",
    "version": "1",
    "citation": "tests",
    "frames": {
        "divided": {"terms": ["divid*", "disagree*", "rift*"]},
        "balance": {"terms": ["balanc*", "interests"], "exclude": ["balance of power"]},
    },
}


def test_lexicon_tables_by_hand(tiny_articles):
    before = tiny_articles.copy()
    with pytest.warns(UserWarning, match=r"1 article\(s\) have no text.*'b1'"):
        scores = score_frames(tiny_articles, SET)
    pd.testing.assert_frame_equal(tiny_articles, before)  # input not mutated
    assert isinstance(scores, FrameScores)
    assert scores.method == "lexicon" and scores.frame_set == "mini"
    units = scores.units.set_index(["unit_id", "frame"])
    assert units.loc[("a1:s0", "divided"), "matched_terms"] == "divided"
    assert units.loc[("a1:s0", "divided"), "score"] == 1
    assert units.loc[("a2:s0", "balance"), "matched_terms"] == "balance; interests"
    assert not units.loc[("a1:s1", "divided"), "present"]
    art = scores.articles.set_index(["article_id", "frame"])
    # a1: 3 sentences ("Allies are divided." "Mr. Putin smiled." "A new paragraph here."),
    # a2: 2, b1: none, b2: 1 -> 6 units; per_1k uses the articles' n_words (11 for a1)
    assert art.loc[("a1", "divided"), ["n_units", "n_present"]].tolist() == [3, 1]
    assert art.loc[("a1", "divided"), "share"] == pytest.approx(1 / 3)
    assert art.loc[("a1", "divided"), "per_1k_words"] == pytest.approx(1000 / 11)
    assert art.loc[("a2", "balance"), "n_matches"] == 2
    assert art.loc[("b2", "divided"), "share"] == 1.0
    # the empty article is kept, with no units and an undefined share
    assert art.loc[("b1", "divided"), "n_units"] == 0
    assert np.isnan(art.loc[("b1", "divided"), "share"])
    assert len(scores.articles) == 4 * 2 and len(scores.units) == 6 * 2


def test_units_input_gives_the_same_scores(tiny_articles):
    units = split_units(tiny_articles)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from_articles = score_frames(tiny_articles, SET)
    from_units = score_frames(units, SET)
    pd.testing.assert_frame_equal(from_articles.units, from_units.units)
    # from units, n_words is counted from the units' text: 3 + 3 + 4 words
    row = from_units.articles.set_index(["article_id", "frame"]).loc[("a1", "divided")]
    assert row["n_words"] == 10


def test_exclusions_drop_matches_and_are_counted():
    arts = pd.DataFrame(
        {
            "article_id": ["a"],
            "text": ["They balance interests. The balance of power shifted. Balancing acts."],
        }
    )
    units = score_frames(arts, SET).units
    balance = units[units["frame"] == "balance"].set_index("unit_id")
    assert balance["score"].tolist() == [2, 0, 1]
    assert balance["n_excluded"].tolist() == [0, 1, 0]
    assert balance["matched_terms"].tolist() == ["balance; interests", "", "balancing"]


def test_matches_never_cross_units():
    units = pd.DataFrame(
        {"article_id": ["a", "a"], "unit_id": ["a:0", "a:1"], "text": ["a split", "between us"]}
    )
    fs = {
        "name": "x",
        "version": "1",
        "citation": "c",
        "frames": {"f": {"terms": ["split between"]}, "g": {"terms": ["zzz"]}},
    }
    scored = score_frames(units, fs).units
    assert scored.loc[scored["frame"] == "f", "score"].tolist() == [0, 0]


def test_frame_without_terms_warns():
    fs = {
        "name": "x",
        "version": "1",
        "citation": "c",
        "frames": {"f": {"terms": ["a"]}, "other": {"description": "residual"}},
    }
    with pytest.warns(UserWarning, match=r"\['other'\] have no terms"):
        out = score_frames(pd.DataFrame({"article_id": ["1"], "text": ["a b"]}), fs)
    assert out.articles.set_index("frame").loc["other", "n_present"] == 0


def test_bad_input_tables():
    with pytest.raises(Exception, match=r"needs column\(s\) \['text'\]"):
        score_frames(pd.DataFrame({"article_id": ["a"]}), SET)
    with pytest.raises(ValueError, match="method must be"):
        score_frames(pd.DataFrame({"article_id": ["a"], "text": ["x"]}), SET, method="magic")
    with pytest.raises(Exception, match="unique"):
        score_frames(pd.DataFrame({"article_id": ["a", "a"], "text": ["x", "y"]}), SET)


# --------------------------------------------------------------------- semantic

VOCAB = ["divided", "rift", "balance", "interests", "talks", "weather"]


def fake_embedder(texts):
    """Bag of keywords plus a constant dimension: cosine = keyword overlap."""
    out = np.zeros((len(texts), len(VOCAB) + 1))
    for i, text in enumerate(texts):
        words = re.findall(r"\w+", text.lower())
        for j, v in enumerate(VOCAB):
            out[i, j] = words.count(v)
        out[i, -1] = 0.5
    return out


SEM_SET = {
    "name": "sem",
    "version": "1",
    "citation": "tests",
    "frames": {
        "divided": {"description": "allies divided", "terms": ["rift"], "examples": ["a rift"]},
        "balance": {"description": "balance interests", "terms": ["balance*"]},
    },
}


def unit(v):
    return v / np.linalg.norm(v)


def test_prototypes_are_equal_weight_means_of_normalised_parts():
    protos = frame_prototypes(SEM_SET, embedder=fake_embedder)
    e = lambda t: unit(fake_embedder([t])[0])  # noqa: E731
    expected = unit(np.mean([e("allies divided"), e("a rift"), e("rift")], axis=0))
    np.testing.assert_allclose(protos.loc["divided"].to_numpy(), expected)
    expected_b = unit(np.mean([e("balance interests"), e("balance")], axis=0))
    np.testing.assert_allclose(protos.loc["balance"].to_numpy(), expected_b)


SEM_COUNTER = {
    **SEM_SET,
    "frames": {
        "divided": {**SEM_SET["frames"]["divided"], "counter_examples": ["talks weather"]},
        "balance": SEM_SET["frames"]["balance"],
    },
}


def by_hand(texts, frame_set, *, center, rule):
    """Independent computation of the semantic unit score, for both rules."""
    e = lambda t: unit(fake_embedder([t])[0])  # noqa: E731
    units = np.array([e(t) for t in texts])
    mean = units.mean(axis=0)
    shift = (lambda v: unit(v - mean)) if center else (lambda v: v)
    frames = frame_set["frames"]
    pooled = [c for f in frames.values() for c in f.get("counter_examples", [])]
    out = np.zeros((len(texts), len(frames)))
    for j, f in enumerate(frames.values()):
        protos = [e(f["description"])] + [e(x) for x in f.get("examples", [])]
        protos.append(unit(np.mean([e(t.replace("*", "")) for t in f["terms"]], axis=0)))
        refs = [e(c) for c in (f.get("counter_examples") or pooled)]
        if rule == "centroid":
            protos = [unit(np.mean(protos, axis=0))]
            refs = [unit(np.mean(refs, axis=0))] if refs else []
        for i, u in enumerate(units):
            best = max(shift(u) @ shift(p) for p in protos)
            ref = max(shift(u) @ shift(r) for r in refs) if refs else 0.0
            out[i, j] = best - ref
    return out


@pytest.mark.parametrize("rule", ["centroid", "nearest"])
def test_semantic_score_is_prototype_minus_reference(rule):
    from framing.frames.semantic import semantic_similarity
    from framing.frames.sets import load_frame_set

    texts = ["Allies divided by a rift.", "Nice weather.", "Talks balance interests.", "Talks."]
    arts = pd.DataFrame({"article_id": list("abcd"), "outlet": list("xxyy"), "text": texts})
    for frame_set in (SEM_SET, SEM_COUNTER):
        for center in (False, True):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = semantic_similarity(
                    texts, load_frame_set(frame_set), fake_embedder, center=center, rule=rule
                )
                expected = by_hand(texts, frame_set, center=center, rule=rule)
                np.testing.assert_allclose(got, expected, atol=1e-12)
                if rule == "centroid":  # the default of score_frames
                    scores = score_frames(
                        arts, frame_set, method="semantic", embedder=fake_embedder, center=center
                    )
                    wide = scores.units.pivot(index="unit_id", columns="frame", values="score")
                    wide = wide.loc[["a:s0", "b:s0", "c:s0", "d:s0"], ["divided", "balance"]]
                    np.testing.assert_allclose(wide, expected, atol=1e-12)
    assert got[0, 0] > got[2, 0]  # the rift sentence is more "divided" than the talks one


def test_semantic_headline_is_the_composite_of_the_semantic_and_lexicon_z_scores():
    # issue 12, change 1: mean of the two z-scores, standardised again (by hand here)
    rng = np.random.default_rng(3)
    pool = ["Allies divided by a rift.", "A rift again.", "Talks balance interests.", "Talks."]
    texts = [" ".join(rng.choice(pool, size=int(rng.integers(1, 6)))) for _ in range(40)]
    arts = pd.DataFrame({"article_id": [f"a{i}" for i in range(40)], "text": texts})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sem = score_frames(arts, SEM_SET, method="semantic", embedder=fake_embedder)
        lex = score_frames(arts, SEM_SET)
    sem_rows = sem.articles.set_index(["article_id", "frame"])
    lex_rows = lex.articles.set_index(["article_id", "frame"])

    def z(x):
        return (x - x.mean()) / x.std(ddof=0)

    for frame in ("divided", "balance"):
        s, lx = sem_rows.xs(frame, level="frame"), lex_rows.xs(frame, level="frame")
        # the semantic table carries the same matches as the lexicon method
        np.testing.assert_array_equal(s["n_matches"], lx["n_matches"])
        expected = z((z(s["top_k_mean"]) + lx["score"]) / 2)  # lexicon score is its z
        np.testing.assert_allclose(s["score"], expected, atol=1e-12)
        assert not np.allclose(s["score"], z(s["top_k_mean"]))
    assert "lexicon evidence" in sem.summary.set_index("frame").loc["divided", "score"]


def test_semantic_present_rule_is_per_corpus_unless_a_threshold_is_given():
    texts = [f"Talks {i}." for i in range(60)] + ["Allies divided by a rift."] * 2
    arts = pd.DataFrame({"article_id": [f"a{i}" for i in range(62)], "text": texts})
    scores = score_frames(arts, SEM_SET, method="semantic", embedder=fake_embedder)
    wide = scores.units.pivot(index="unit_id", columns="frame", values="score")
    expected_cut = wide.mean() + 2 * wide.std(ddof=0)
    assert scores.params["threshold"]["divided"] == pytest.approx(expected_cut["divided"])
    assert scores.params["threshold_rule"]["divided"] == "corpus mean + 2 SD"
    present = scores.units.pivot(index="unit_id", columns="frame", values="present")
    assert present["divided"].sum() == 2  # the two rift sentences stand out
    given = score_frames(
        arts, SEM_SET, "semantic", embedder=fake_embedder, threshold={"divided": 0.99}
    )
    assert given.params["threshold"]["divided"] == 0.99
    assert given.params["threshold_rule"] == {"divided": "given", "balance": "corpus mean + 2 SD"}
    assert given.params["threshold"]["balance"] == pytest.approx(expected_cut["balance"])
    assert not given.units.query("frame == 'divided'")["present"].any()
    with pytest.raises(ValueError, match="unknown frame"):
        score_frames(arts, SEM_SET, method="semantic", embedder=fake_embedder, threshold={"x": 1})
    with pytest.warns(UserWarning, match="centring on the mean of only 4 units"):
        score_frames(arts.head(4), SEM_SET, method="semantic", embedder=fake_embedder)


def test_calibrate_threshold_f1_and_youden():
    units = pd.DataFrame(
        {
            "unit_id": [f"u{i}" for i in range(8)],
            "frame": "f",
            "score": [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2],
        }
    )
    truth = [1, 1, 0, 1, 0, 0, 1, 0]
    coded = pd.DataFrame({"unit_id": units["unit_id"], "f": truth})
    # by hand: t=0.6 -> tp=3, predicted 4, F1 = 6/8 = 0.75 (best); t=0.3 -> 8/11
    assert calibrate_threshold(units, coded) == 0.6
    fpr, tpr, thr = roc_curve(truth, units["score"])
    assert calibrate_threshold(units, coded, criterion="youden") == thr[np.argmax(tpr - fpr)]
    labels = pd.DataFrame(
        {"unit_id": units["unit_id"], "labels": ["f" if t else "none" for t in truth]}
    )
    assert calibrate_threshold(units, labels) == 0.6
    # coded columns for some of the scored frames only
    two = pd.concat([units, units.assign(frame="g", score=0.1)])
    assert calibrate_threshold(two, coded) == 0.6
    assert calibrate_threshold(two, coded, frame="f") == 0.6
    with pytest.raises(ValueError, match="both classes"):
        calibrate_threshold(units, coded.assign(f=1))


# ------------------------------------------------------------------- supervised


def coded_units(n_per_class: int = 20) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    conflict = ["clash", "dispute", "accuse", "attack", "blame"]
    economy = ["cost", "price", "budget", "jobs", "market"]
    filler = ["the", "city", "report", "today", "people", "said", "new", "plan"]
    rows = []
    for i in range(4 * n_per_class):
        kind = i % 4  # 0 none, 1 conflict, 2 economic, 3 both
        words = list(rng.choice(filler, 5))
        labels = []
        if kind in (1, 3):
            words += list(rng.choice(conflict, 2))
            labels.append("conflict")
        if kind in (2, 3):
            words += list(rng.choice(economy, 2))
            labels.append("economic_consequences")
        rng.shuffle(words)
        rows.append({"text": " ".join(words), "labels": ";".join(labels) or "none"})
    return pd.DataFrame(rows)


def test_supervised_cv_matches_an_independent_sklearn_pipeline():
    coded = coded_units()
    clf = train_frame_classifier(
        coded, frames=["conflict", "economic_consequences"], threshold=0.5, features="tfidf"
    )
    report = clf.cv_report
    assert list(report.index) == ["conflict", "economic_consequences", "macro"]
    from framing.frames.learners import tfidf_vectorizer as _tfidf_vectorizer

    folds = KFold(5, shuffle=True, random_state=0)
    for key in ("conflict", "economic_consequences"):
        y = coded["labels"].str.contains(key).astype(int)
        pipe = make_pipeline(
            _tfidf_vectorizer(len(coded)),
            LogisticRegression(class_weight="balanced", max_iter=5000, random_state=0),
        )
        pred = cross_val_predict(pipe, coded["text"], y, cv=folds, method="predict_proba")[:, 1]
        assert report.loc[key, "precision"] == pytest.approx(precision_score(y, pred >= 0.5))
        assert report.loc[key, "recall"] == pytest.approx(recall_score(y, pred >= 0.5))
        assert report.loc[key, "f1"] == pytest.approx(f1_score(y, pred >= 0.5))
        assert report.loc[key, "support"] == y.sum()
    assert report.loc["macro", "f1"] == pytest.approx(report["f1"].iloc[:2].mean())
    assert report.loc["macro", "f1"] > 0.8  # separable synthetic data


def test_supervised_label_layouts_agree_and_apply():
    coded = coded_units()
    wide = coded[["text"]].assign(
        conflict=coded["labels"].str.contains("conflict").astype(int),
        economic_consequences=coded["labels"].str.contains("economic").astype(int),
    )
    with pytest.warns(
        UserWarning, match=r"\['human_interest', 'morality', 'responsibility'\] are never"
    ):
        a = train_frame_classifier(coded, frames="generic-news")
    b = train_frame_classifier(wide)
    assert a.frames == ["conflict", "economic_consequences"] == b.frames
    assert a.labels["conflict"] == "Conflict"
    texts = ["they clash, accuse and blame", "the budget, price and jobs", "people said today"]
    np.testing.assert_allclose(a.predict_proba(texts), b.predict_proba(texts))
    proba = a.predict_proba(texts)
    assert proba[0, 0] > 0.5 and proba[1, 1] > 0.5
    assert proba[0, 0] > proba[1, 0] + 0.3 and proba[1, 1] > proba[0, 1] + 0.3
    arts = pd.DataFrame({"article_id": ["x"], "outlet": ["o"], "text": [" ".join(texts[:2])]})
    scored = score_frames(arts, method="supervised", classifier=a)
    assert scored.frame_set == "generic-news" and scored.cv_report is a.cv_report
    np.testing.assert_allclose(
        scored.units.sort_values(["unit_id", "frame"])["score"].to_numpy(),
        a.predict_proba(split_units(arts)["text"]).ravel(),
    )


def test_supervised_features_embeddings_and_both():
    coded = coded_units(10).assign(text=lambda d: d["text"] + " divided")
    for features in ("embeddings", "both"):
        clf = train_frame_classifier(coded, features=features, embedder=fake_embedder)
        assert clf.features == features
        assert clf.predict_proba(["a rift"]).shape == (1, 2)


def test_supervised_bad_coded_input(tmp_path):
    coded = coded_units(5)
    bad = coded.copy()
    bad.loc[3, "labels"] = "conflict;weather"
    path = tmp_path / "coded.csv"
    bad.to_csv(path, index=False)
    with pytest.raises(
        CodingSheetError,
        match=r"coded\.csv: line 5: unknown label 'weather'.*Valid labels: \['conflict'",
    ):
        train_frame_classifier(path, frames="generic-news")
    with pytest.raises(
        CodingSheetError, match=r"missing the text column 'text'; columns are \['body'"
    ):
        train_frame_classifier(coded.rename(columns={"text": "body"}))
    with pytest.raises(ValueError, match="needs classifier="):
        score_frames(pd.DataFrame({"article_id": ["a"], "text": ["x"]}), method="supervised")


# ----------------------------------------------------- exemplars and acceptance


@pytest.fixture(scope="module")
def corpus_scores():
    from framing import load_corpus

    return score_frames(load_corpus(ROOT / "corpus"), "ukraine-diplomacy")


ALLIES = "000_5904578f6037d9dc"
TALKS = "004_a2aa02edca634915"


def test_acceptance_on_the_bundled_corpus(corpus_scores):
    share = corpus_scores.articles.pivot(index="article_id", columns="frame", values="share")
    assert share.loc[ALLIES, "allies_divided"] > share.loc[TALKS, "allies_divided"]
    assert share.loc[TALKS, "balancing_interests"] > share.loc[ALLIES, "balancing_interests"]
    ex = exemplars(corpus_scores, k=3, by="article_id")
    allies = ex[(ex["frame"] == "allies_divided") & (ex["article_id"] == ALLIES)]
    talks = ex[(ex["frame"] == "balancing_interests") & (ex["article_id"] == TALKS)]
    assert len(allies) == 3 and len(talks) == 3
    allies_text = " ".join(allies["text"])
    assert "different views" in allies_text or "misunderstandings" in allies_text
    talks_text = " ".join(talks["text"]).lower()
    assert "compromise" in talks_text and "common ground" in talks_text


def test_exemplars_ranking_and_options(corpus_scores):
    ex = exemplars(corpus_scores, k=2)
    assert list(ex.columns) == [
        "frame", "outlet", "rank", "article_id", "unit_id", "score", "matched_terms", "text",
        "validation",
    ]  # fmt: skip
    assert (ex["validation"] == "not validated on this corpus").all()
    assert (ex.groupby(["frame", "outlet"])["rank"].max() <= 2).all()
    for _, group in ex.groupby(["frame", "outlet"]):
        assert group["score"].is_monotonic_decreasing
    assert (ex["matched_terms"] != "").all()
    assert ex["frame"].iloc[0] == corpus_scores.frames[0]
    overall = exemplars(corpus_scores, k=1, by=None, frames=["balancing_interests"])
    assert len(overall) == 1 and overall["score"].iloc[0] == 4
    assert "common ground" in overall["matched_terms"].iloc[0]
    with pytest.raises(ValueError, match="unknown frame"):
        exemplars(corpus_scores, frames=["nope"])


# ---------------------------------------------------------------- frame contrast


def article_table():
    return pd.DataFrame(
        {
            "article_id": ["1", "1", "2", "2", "3", "3", "4", "4", "5", "5"],
            "outlet": ["x"] * 6 + ["y"] * 4,
            "frame": ["a", "b"] * 5,
            "share": [0.5, 0.1, 0.3, 0.1, 0.4, 0.0, 0.0, 0.2, np.nan, np.nan],
        }
    )


def test_frame_contrast_by_hand():
    out = compare.frame_contrast(article_table(), "a", "b", n_boot=500, value="share").set_index(
        "outlet"
    )
    assert out.loc["x", "mean_diff"] == pytest.approx((0.4 + 0.2 + 0.4) / 3)
    assert out.loc["x", ["mean_a", "mean_b", "n"]].tolist() == pytest.approx([0.4, 0.2 / 3, 3])
    assert out.loc["x", "ci_low"] <= out.loc["x", "mean_diff"] <= out.loc["x", "ci_high"]
    # all 2^3 sign patterns: only +++ and --- reach |mean| = 1/3
    assert out.loc["x", "p_value"] == pytest.approx(2 / 8)
    assert out.loc["y", "mean_diff"] == pytest.approx(-0.2)
    assert "1 missing value dropped" in out.loc["y", "note"]
    diffs = compare.frame_difference(article_table(), "a", "b", value="share")
    assert diffs["diff"].round(6).tolist()[:4] == [0.4, 0.2, 0.4, -0.2]
    with pytest.raises(ValueError, match="not scored"):
        compare.frame_contrast(article_table(), "a", "zzz", value="share")


def test_sign_flip_test_random_branch_is_calibrated():
    rng = np.random.default_rng(0)
    p = [
        compare.sign_flip_test(rng.normal(size=30), n_perm=999, random_state=i) for i in range(200)
    ]
    assert 0.02 < np.mean(np.array(p) < 0.05) < 0.09
    assert compare.sign_flip_test(np.full(30, 1.0), n_perm=999) == pytest.approx(1 / 1000)


# ------------------------------------------------------------------------ plots


def test_plots_return_figures(corpus_scores):
    from matplotlib.figure import Figure

    summary = compare.outlet_summary(corpus_scores.articles, "share", within=["frame"], n_boot=50)
    fig = plots.frame_prevalence(summary, labels=corpus_scores.labels)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()][:2] == [
        "Allies divided",
        "Balancing interests",
    ]
    assert len(ax.get_legend().get_texts()) == 2
    contrast = compare.frame_contrast(article_table(), "a", "b", n_boot=50, value="share")
    fig2 = plots.frame_contrast(contrast, label_a="A", label_b="B")
    xlabel = fig2.axes[0].get_xlabel()
    assert "Difference in" in xlabel and "← more B" in xlabel and "more A →" in xlabel
    assert len(fig2.axes[0].lines) >= 2
    words = ["alpha beta gamma delta epsilon zeta", "eta theta iota kappa lambda mu"]
    table = compare.keyness(words * 2, ["x", "y"] * 2, target="x", stop_words=None)
    fig3 = plots.keyness(table, n=3, target_label="x", reference_label="y")
    assert len(fig3.axes[0].patches) == 6
    from matplotlib.figure import Figure as F

    ext = F()
    own = ext.subplots()
    assert plots.frame_contrast(contrast, ax=own) is ext


# ----------------------------------------------------------------- docstrings


@pytest.mark.parametrize(
    "module",
    [
        "framing.frames.sets",
        "framing.frames.lexicon",
        "framing.frames.score",
        "framing.frames.semantic",
        "framing.frames.coding",
        "framing.frames.exemplars",
        "framing.frames.validation",
        "framing.compare._keyness",
        "framing.compare._contrast",
    ],
)
def test_docstring_examples_run(module):
    import doctest
    import importlib

    result = doctest.testmod(
        importlib.import_module(module), optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted > 0 and result.failed == 0


# ------------------------------------------------- issue 12: headline, status, bad input


def test_top_k_mean_and_standardise_match_pandas():
    from framing.frames.headline import standardise, top_k_mean

    rng = np.random.default_rng(3)
    codes = rng.integers(0, 40, size=500)
    scores = rng.normal(size=(500, 3))
    got = top_k_mean(scores, codes, 42, k=3)
    long = pd.DataFrame(scores).assign(code=codes)
    for j in range(3):
        expected = long.groupby("code")[j].apply(lambda s: s.nlargest(3).mean())
        np.testing.assert_allclose(got[expected.index, j], expected.to_numpy())
    assert np.isnan(got[40:]).all()  # groups without units
    z, constant = standardise(np.column_stack([got[:40, 0], np.full(40, 2.0)]))
    np.testing.assert_allclose(z[:, 0], (got[:40, 0] - got[:40, 0].mean()) / got[:40, 0].std())
    assert constant.tolist() == [False, True] and np.isnan(z[:, 1]).all()


def test_headline_score_status_and_summary(tiny_articles):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores = score_frames(tiny_articles, SET)
    art = scores.articles
    lex = art.set_index(["article_id", "frame"])
    for frame in ("divided", "balance"):
        # lexicon evidence: Poisson residual of the matches at the corpus rate, z-scored
        rows = lex.xs(frame, level="frame")
        words = rows["n_words"].astype(float)
        rate = rows["n_matches"].sum() / words[words > 0].sum()
        residual = (rows["n_matches"] - rate * words) / np.sqrt(rate * words)
        finite = residual[words > 0]
        expected = (finite - finite.mean()) / finite.std(ddof=0)
        np.testing.assert_allclose(rows["score"][finite.index], expected)
        # not the density any more (the two differ on articles of unequal length)
        density = rows["per_1k_words"][finite.index]
        assert not np.allclose(
            rows["score"][finite.index], (density - density.mean()) / density.std(ddof=0)
        )
    assert (~art["validated"]).all() and (
        art["validation"] == "not validated on this corpus"
    ).all()
    assert (art["validation_n"] == 0).all() and art["validation_f1"].isna().all()
    summary = scores.summary.set_index("frame")
    assert summary.loc["divided", "method"] == "lexicon"
    assert 0 < summary.loc["divided", "coverage"] <= 1
    assert list(art.columns[:4]) == ["article_id", "outlet", "frame", "score"]


def test_constant_scores_and_low_coverage_are_said_in_the_tables():
    from framing.frames.results import FrameScoreWarning

    arts = pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(30)],
            "outlet": ["x", "y"] * 15,
            "text": ["Allies are divided over aid."] + ["Talks go on today."] * 29,
        }
    )
    with pytest.warns(FrameScoreWarning, match="say little on this corpus"):
        scores = score_frames(arts, SET)
    summary = scores.summary.set_index("frame")
    # "balance" matches nothing: same score everywhere, and 0% coverage
    assert summary.loc["balance", "constant"]
    assert "does not rank the articles" in summary.loc["balance", "note"]
    assert "barely covers this corpus" in summary.loc["balance", "note"]
    # "divided" matches 1 of 30 articles (3.3% < 5%): ranked, but flagged
    assert not summary.loc["divided", "constant"]
    assert "matches 3.3% of articles" in summary.loc["divided", "note"]
    rows = scores.articles[scores.articles["frame"] == "balance"]
    assert rows["score"].isna().all() and rows["note"].str.contains("same score").all()


BAD_EXAMPLES = """\
name: demo
version: 1
citation: us
frames:
  alpha:
    description: first
    examples:
      - A good sentence.
      - {bad}
  beta:
    description: second
"""


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("42", r"set\.yaml, line 9: frame 'alpha': 'examples' item 2 is int 42, not a sentence"),
        ('""', r"set\.yaml, line 9: frame 'alpha': 'examples' item 2 is empty"),
        ("a good sentence.", r"line 9: frame 'alpha': 'examples' lists 'a good sentence\.' twice"),
    ],
)
def test_bad_examples_name_file_line_frame_and_key(tmp_path, bad, message):
    with pytest.raises(FrameSetError, match=message):
        load_frame_set(write(tmp_path, BAD_EXAMPLES.format(bad=bad)))


def test_examples_counter_examples_and_one_frame_sets_are_rejected(tmp_path):
    two = {
        "name": "d",
        "version": 1,
        "citation": "c",
        "frames": {
            "alpha": {
                "description": "a",
                "examples": ["Allies split."],
                "counter_examples": ["allies  SPLIT."],
            },
            "beta": {"description": "b"},
        },
    }
    with pytest.raises(FrameSetError, match=r"'Allies split\.' is both an example and a counter"):
        load_frame_set(two)
    with pytest.raises(FrameSetError, match="'examples' must be a non-empty list"):
        load_frame_set({**two, "frames": {"alpha": {"description": "a", "examples": []}, "b": {}}})
    one = {"name": "d", "version": 1, "citation": "c", "frames": {"alpha": {"terms": ["x"]}}}
    with pytest.raises(FrameSetError, match=r"<dict>: the set has one frame \('alpha'\)"):
        load_frame_set(one)
    with pytest.raises(FrameSetError, match="'contrast' must name two frames"):
        load_frame_set(
            {
                **two,
                "frames": {"a": {"terms": ["x"]}, "b": {"terms": ["y"]}},
                "contrast": ["a", "zzz"],
            }
        )


def test_report_banner_and_figure_caption():
    from framing.run.report import _frame_banner

    summary = pd.DataFrame({"frame": ["a", "b"], "validated": [False, False]})
    assert "Not validated on this corpus" in _frame_banner({"frame_summary": summary})
    assert "Not validated on this corpus" in _frame_banner({})
    assert _frame_banner({"frame_summary": summary.assign(validated=True)}) == ""
    table = pd.DataFrame(
        {"frame": ["a"], "outlet": ["x"], "mean": [0.2], "ci_low": [0.1], "ci_high": [0.3]}
    )
    fig = plots.frame_prevalence(table)
    assert any("not validated on this corpus" in t.get_text() for t in fig.texts)
    fig = plots.frame_prevalence(table, validation="validated: F1 0.80, AUC 0.90 on 200 units")
    assert any("F1 0.80" in t.get_text() for t in fig.texts)
