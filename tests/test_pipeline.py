"""framing run (framing.run.runner): outputs, manifest, re-runs from cache, --only, faults."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

import framing.run.steps.corpus
import framing.run.steps.sentiment
import framing.run.steps.units
from framing.corpus.summary import corpus_by_outlet
from framing.run import keys, registry
from framing.run.config import load_config
from framing.run.runner import RunError, run_all

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
FAST = {"compare.n_boot": 200, "compare.n_perm": 199}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def config(corpus: Path, out: Path, **overrides):
    values = {"corpus.path": str(corpus), "output.dir": str(out), **FAST}
    values.update({k.replace("__", "."): v for k, v in overrides.items()})
    return load_config(overrides=values)


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    dest = tmp_path / "news"
    shutil.copytree(CORPUS, dest)
    return dest


def test_corpus_and_units_write_tables_cache_and_manifest(tmp_path):
    out = tmp_path / "out"
    tables = run_all(config(CORPUS, out), steps="corpus,units", show_progress=False)
    assert len(tables["articles"]) == 2
    assert set(tables["units"]["article_id"]) == set(tables["articles"]["article_id"])
    for name in (
        "corpus_by_outlet.csv",
        "corpus_by_outlet.tex",
        "corpus_overview.csv",
        "cleaning_summary.csv",
        "cleaning_audit.csv",
        "units_by_outlet.csv",
    ):
        assert (out / "tables" / name).is_file(), name
    assert (out / "cache" / "stages" / "units" / "units.parquet").is_file()
    # the exported table is the one returned
    by_outlet = pd.read_csv(out / "tables" / "corpus_by_outlet.csv")
    assert by_outlet.loc[by_outlet["outlet"] == "all", "n_articles"].item() == 2
    audit = pd.read_csv(out / "tables" / "cleaning_audit.csv")
    assert len(audit) == tables["cleaning_summary"]["n_lines"].sum() > 0

    m = manifest(out)
    assert m["status"] == "complete"
    assert m["corpus"]["name"] == "corpus"
    assert m["corpus"]["source"] == str(CORPUS.resolve())
    # input hashes are the sha256 of the files the reader reads (the articles and
    # manifest.csv), not of documentation files such as corpus/README.md
    hashes = {f["path"]: f["sha256"] for f in m["input_files"]}
    read = sorted(p.name for p in CORPUS.iterdir() if p.suffix in {".txt", ".csv"})
    assert sorted(hashes) == read
    for name in read:
        assert hashes[name] == sha256(CORPUS / name)
    assert m["config"]["compare"]["n_boot"] == 200
    assert m["seeds"] == {"random_state": 42}
    assert m["packages"]["pandas"] == pd.__version__
    assert "torch" in m["packages"]  # recorded from metadata, never imported
    corpus_stage = m["stages"]["corpus"]
    assert corpus_stage["status"] == "ran"
    assert corpus_stage["counts"]["articles"] == 2
    assert corpus_stage["counts"]["items_seen"] == 2 + corpus_stage["counts"]["skipped"]
    assert corpus_stage["seconds"] >= 0
    assert m["stages"]["units"]["counts"]["units"] == len(tables["units"])
    assert m["stages"]["sentiment"]["status"] == "not run"
    # outputs: every exported file, with its real hash and size
    outputs = {o["path"]: o for o in m["outputs"]}
    for rel in ("tables/corpus_by_outlet.csv", "tables/units_by_outlet.tex"):
        assert outputs[rel]["sha256"] == sha256(out / rel)
        assert outputs[rel]["bytes"] == (out / rel).stat().st_size


def test_rerun_reuses_unchanged_steps_and_reruns_changed_ones(tmp_path):
    out = tmp_path / "out"
    run_all(config(CORPUS, out), steps="corpus,units", show_progress=False)
    before = sha256(out / "tables" / "units_by_outlet.csv")
    run_all(config(CORPUS, out), steps="corpus,units", show_progress=False)
    stages = manifest(out)["stages"]
    assert stages["corpus"]["status"] == "cached"
    assert stages["units"]["status"] == "cached"
    assert sha256(out / "tables" / "units_by_outlet.csv") == before
    # a changed setting re-runs that step only
    run_all(
        config(CORPUS, out, units__unit="paragraph"), steps="corpus,units", show_progress=False
    )
    stages = manifest(out)["stages"]
    assert stages["corpus"]["status"] == "cached"
    assert stages["units"]["status"] == "ran"
    units = pd.read_parquet(out / "cache" / "stages" / "units" / "units.parquet")
    assert set(units["unit"]) == {"paragraph"}
    # force recomputes everything
    run_all(
        config(CORPUS, out, units__unit="paragraph"),
        steps="corpus,units",
        force=True,
        show_progress=False,
    )
    assert manifest(out)["stages"]["corpus"]["status"] == "ran"


def test_changed_input_file_reruns_the_corpus_step(tmp_path, corpus_copy):
    out = tmp_path / "out"
    run_all(config(corpus_copy, out), steps="corpus", show_progress=False)
    seed = sorted(corpus_copy.glob("*.txt"))[0]
    seed.write_text(
        seed.read_text(encoding="utf-8") + "\n\nOne more paragraph of text.\n", encoding="utf-8"
    )
    run_all(config(corpus_copy, out), steps="corpus", show_progress=False)
    m = manifest(out)
    assert m["stages"]["corpus"]["status"] == "ran"
    hashes = {f["path"]: f["sha256"] for f in m["input_files"]}
    assert hashes[seed.name] == sha256(seed)


def test_deleted_output_is_regenerated(tmp_path):
    out = tmp_path / "out"
    run_all(config(CORPUS, out), steps="corpus", show_progress=False)
    (out / "tables" / "corpus_by_outlet.csv").unlink()
    run_all(config(CORPUS, out), steps="corpus", show_progress=False)
    assert (out / "tables" / "corpus_by_outlet.csv").is_file()
    assert manifest(out)["stages"]["corpus"]["status"] == "ran"


def test_results_of_another_corpus_are_never_overwritten(tmp_path, corpus_copy):
    out = tmp_path / "out"
    run_all(config(CORPUS, out), steps="corpus", show_progress=False)
    snapshot = {p: sha256(p) for p in out.rglob("*") if p.is_file()}
    with pytest.raises(RunError, match=r"another corpus.*--out"):
        run_all(config(corpus_copy, out), steps="corpus", show_progress=False)
    assert {p: sha256(p) for p in out.rglob("*") if p.is_file()} == snapshot


def test_a_folder_that_is_not_a_results_folder_is_refused(tmp_path):
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter1.tex").write_text("precious")
    with pytest.raises(RunError, match="not a framing results folder"):
        run_all(config(CORPUS, out), steps="corpus", show_progress=False)
    assert (out / "chapter1.tex").read_text() == "precious"
    assert sorted(p.name for p in out.iterdir()) == ["chapter1.tex"]


def test_output_folder_under_a_file_is_not_writable(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(RunError, match=r"not writable.*--out"):
        run_all(config(CORPUS, blocker / "out"), steps="corpus", show_progress=False)


def test_read_only_output_folder_is_not_writable(tmp_path):
    if os.geteuid() == 0:
        # root ignores permission bits; /proc refuses new folders even to root
        out = Path("/proc/self/framing-results")
        with pytest.raises(RunError, match="not writable"):
            run_all(config(CORPUS, out), steps="corpus", show_progress=False)
        return
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    try:
        with pytest.raises(RunError, match="not writable"):
            run_all(config(CORPUS, out), steps="corpus", show_progress=False)
    finally:
        out.chmod(0o700)


def test_unwritable_folder_fails_before_any_work(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(framing.run.steps.corpus, "run", lambda ctx: calls.append(1))
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(RunError):
        run_all(config(CORPUS, blocker / "out"), show_progress=False)
    assert calls == []


def test_only_with_missing_inputs_names_the_steps_to_run_first(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(RunError, match=r"step\(s\) corpus, units.*--only corpus,units"):
        run_all(config(CORPUS, out), steps="frames", show_progress=False)
    run_all(config(CORPUS, out), steps="corpus", show_progress=False)
    with pytest.raises(RunError, match=r"step\(s\) units\b.*`framing run --only units`"):
        run_all(config(CORPUS, out), steps="sentiment", show_progress=False)


def test_only_reloads_earlier_steps_from_the_cache(tmp_path):
    out = tmp_path / "out"
    run_all(config(CORPUS, out), steps="corpus", show_progress=False)
    tables = run_all(config(CORPUS, out), steps="units", show_progress=False)
    stages = manifest(out)["stages"]
    assert stages["corpus"]["status"] == "loaded"
    assert stages["units"]["status"] == "ran"
    assert len(tables["articles"]) == 2  # reloaded from Parquet


def test_unknown_step_lists_the_steps(tmp_path):
    with pytest.raises(RunError, match=r"unknown step.*corpus, units, sentiment"):
        run_all(config(CORPUS, tmp_path / "o"), steps="corpus,sentimnet", show_progress=False)


def test_missing_corpus_is_a_clear_error(tmp_path):
    with pytest.raises(RunError, match="does not exist"):
        run_all(config(tmp_path / "nope", tmp_path / "o"), show_progress=False)
    assert not (tmp_path / "o").exists()


def test_interrupted_run_leaves_no_partial_files_and_resumes(tmp_path, monkeypatch):
    out = tmp_path / "out"

    def interrupted(ctx):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(framing.run.steps.units, "run", interrupted)
        with pytest.raises(KeyboardInterrupt):
            run_all(config(CORPUS, out), steps="corpus,units", show_progress=False)
    m = manifest(out)
    assert m["status"] == "interrupted"
    assert m["stages"]["corpus"]["status"] == "ran"
    assert not list(out.rglob("*.tmp"))
    assert not (out / "cache" / "stages" / "units").exists()
    # the finished step's tables are complete and readable
    pd.read_csv(out / "tables" / "corpus_by_outlet.csv")
    run_all(config(CORPUS, out), steps="corpus,units", show_progress=False)
    m = manifest(out)
    assert m["status"] == "complete"
    assert m["stages"]["corpus"]["status"] == "cached"
    assert m["stages"]["units"]["status"] == "ran"


def test_a_write_that_fails_midway_keeps_the_previous_table(tmp_path, monkeypatch):
    out = tmp_path / "out"
    run_all(config(CORPUS, out), steps="corpus", show_progress=False)
    target = out / "tables" / "corpus_by_outlet.csv"
    before = target.read_bytes()
    original = pd.DataFrame.to_csv

    def half_written(self, path=None, *args, **kwargs):
        Path(path).write_text("outlet,n_art")  # a torn write ...
        raise OSError("disk full")  # ... then the failure

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_written)
    with pytest.raises(OSError, match="disk full"):
        run_all(config(CORPUS, out), steps="corpus", force=True, show_progress=False)
    monkeypatch.setattr(pd.DataFrame, "to_csv", original)
    assert target.read_bytes() == before
    assert not list(out.rglob("*.tmp"))
    assert manifest(out)["status"] == "failed"
    assert manifest(out)["stages"]["corpus"]["status"] == "failed"
    assert "disk full" in manifest(out)["stages"]["corpus"]["error"]


def test_disabled_step_is_recorded_and_not_required(tmp_path, monkeypatch):
    out = tmp_path / "out"
    ran = []
    monkeypatch.setattr(framing.run.steps.sentiment, "run", lambda ctx: ran.append(1))
    cfg = config(CORPUS, out, sentiment__enabled=False)
    run_all(cfg, steps="corpus,units,sentiment", show_progress=False)
    assert ran == []
    assert manifest(out)["stages"]["sentiment"]["status"] == "disabled"


def test_corpus_by_outlet_numbers(tiny_articles):
    table = corpus_by_outlet(tiny_articles).set_index("outlet")
    assert table.loc["alpha", "n_articles"] == 2
    assert table.loc["alpha", "words_total"] == 16
    assert table.loc["beta", "words_median"] == 4.0
    assert table.loc["beta", "n_undated"] == 1
    assert table.loc["all", "n_articles"] == 4
    assert table.loc["all", "first_published"] == pd.Timestamp("2025-05-15")
    assert table.loc["all", "last_published"] == pd.Timestamp("2025-05-17")


def test_parse_steps_orders_and_validates():
    assert registry.parse_steps("report,corpus") == ("corpus", "report")
    assert registry.parse_steps(None) is None
    with pytest.raises(RunError):
        registry.parse_steps(" , ")


def test_default_output_folder_is_results_corpus_name_in_cwd(tmp_path, monkeypatch, corpus_copy):
    monkeypatch.chdir(tmp_path)
    cfg = load_config(overrides={"corpus.path": "news"})
    run_all(cfg, steps="corpus", show_progress=False)
    assert (tmp_path / "results" / "news" / "manifest.json").is_file()


@pytest.mark.slow
def test_full_run_on_the_bundled_corpus_then_a_warm_rerun(tmp_path):
    out = tmp_path / "out"
    tables = run_all(config(CORPUS, out), show_progress=False)
    m = manifest(out)
    assert m["status"] == "complete"
    assert list(m["stages"]) == list(registry.STEP_NAMES)
    assert {s: m["stages"][s]["status"] for s in registry.STEP_NAMES} == dict.fromkeys(
        registry.STEP_NAMES, "ran"
    )
    for name in (
        "article_sentiment",
        "sentiment_by_outlet",
        "topic_info",
        "frame_prevalence",
        "frame_pairwise",
        "frame_contrast",
        "frame_exemplars",
        "keyness",
    ):
        assert name in tables and len(tables[name]), name
    # the acceptance direction of the frames issue, through the whole pipeline
    contrast = tables["frame_contrast"].set_index("outlet")["mean_diff"]
    assert contrast["outlet_000"] > 0 > contrast["outlet_004"]
    assert m["frame_set"]["name"] == "ukraine-diplomacy"
    assert m["actor_set"]["name"] == "ukraine-diplomacy"
    assert m["stages"]["topics"]["counts"]["topics"] >= 2
    figures = sorted(p.stem for p in (out / "figures").glob("*.svg"))
    assert {
        "sentiment_by_outlet",
        "frame_prevalence_by_outlet",
        "frame_contrast_by_outlet",
        "topic_terms",
        "topic_shares_by_outlet",
    } <= set(figures)
    for stem in figures:
        for ext in ("pdf", "png"):
            assert (out / "figures" / f"{stem}.{ext}").is_file()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("<img ") == len(figures)
    for caption in (
        "Mean VADER compound per outlet",
        "Topics: size and top terms",
        "Per outlet, mean over articles of the frame score",
        "Exemplar sentences",
    ):
        assert caption in html
    outputs = {o["path"] for o in m["outputs"]}
    assert "report.html" in outputs and "figures/topic_terms.svg" in outputs
    # embeddings are cached under cache/
    assert any((out / "cache" / "embeddings").rglob("*"))

    before = {o["path"]: o["sha256"] for o in m["outputs"]}
    run_all(config(CORPUS, out), show_progress=False)
    m = manifest(out)
    assert {m["stages"][s]["status"] for s in registry.STEP_NAMES} == {"cached"}
    after = {o["path"]: o["sha256"] for o in m["outputs"]}
    assert after == before

    # --only report rebuilds the report from the cached tables
    (out / "report.html").unlink()
    run_all(config(CORPUS, out), steps="report", show_progress=False)
    assert (out / "report.html").is_file()
    assert manifest(out)["stages"]["frames"]["status"] == "loaded"
    # the provenance of the rebuilt report names the sets of the loaded steps
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<td>frame set</td><td>ukraine-diplomacy v" in html


def test_too_few_documents_for_topics_is_recorded_not_fatal(tmp_path):
    corpus = tmp_path / "tiny.csv"
    pd.DataFrame(
        {
            "outlet": ["a", "b", "a"],
            "text": ["Allies disagree on aid.", "Talks seek common ground.", "A truce holds."],
        }
    ).to_csv(corpus, index=False)
    out = tmp_path / "out"
    with pytest.warns(UserWarning, match="topics skipped"):
        tables = run_all(
            config(corpus, out, topics__method="lda"),
            steps="corpus,topics",
            show_progress=False,
        )
    assert "topic_info" not in tables
    stage = manifest(out)["stages"]["topics"]
    assert stage["status"] == "ran"
    assert stage["counts"] == {"topics": 0}
    assert "documents" in stage["meta"]["skipped"]


def test_outputs_a_rerun_no_longer_produces_are_removed(tmp_path):
    out = tmp_path / "out"
    run_all(config(CORPUS, out), steps="corpus,units,sentiment", show_progress=False)
    assert (out / "tables" / "actor_sentiment.csv").is_file()
    cfg = config(CORPUS, out, sentiment__actors="")
    run_all(cfg, steps="corpus,units,sentiment", show_progress=False)
    assert not (out / "tables" / "actor_sentiment.csv").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert not any("actor_sentiment" in o["path"] for o in manifest["outputs"])


@pytest.mark.parametrize(
    ("step", "override"),
    [
        ("compare", {"compare.ci": 0.9}),
        ("compare", {"topics.period": "week"}),
        ("frames", {"topics.embedding_model": "/some/other/model"}),
    ],
)
def test_step_keys_change_with_every_setting_the_step_uses(tmp_path, step, override):
    base = config(CORPUS, tmp_path)
    changed = load_config(
        overrides={"corpus.path": str(CORPUS), "output.dir": str(tmp_path), **FAST, **override}
    )
    step = registry.get(step)
    assert keys.step_settings(base, step) != keys.step_settings(changed, step)


def test_step_key_follows_the_coded_file_contents(tmp_path):
    coded = tmp_path / "coded.csv"
    coded.write_text("text,labels\nA rift.,allies_divided\n")
    cfg = config(CORPUS, tmp_path, frames__coded=str(coded))
    before = keys.step_settings(cfg, registry.get("frames"))
    coded.write_text("text,labels\nA rift.,balancing_interests\n")
    assert keys.step_settings(cfg, registry.get("frames")) != before


def test_a_long_silent_step_prints_that_it_is_still_working(tmp_path, monkeypatch):
    import time

    import framing._progress

    monkeypatch.setattr(framing._progress, "HEARTBEAT_FIRST", 0.2)
    monkeypatch.setattr(framing._progress, "HEARTBEAT_EVERY", 0.2)
    original = framing.run.steps.units.run

    def slow(ctx):
        time.sleep(0.7)  # e.g. numba compiling, with nothing to report
        return original(ctx)

    monkeypatch.setattr(framing.run.steps.units, "run", slow)
    lines: list[str] = []
    run_all(config(CORPUS, tmp_path / "out"), steps="corpus,units", log=lines.append)
    beats = [line for line in lines if "still working" in line]
    units = f"[2/{len(registry.STEPS)}] units"
    assert any(line.startswith(f"{units}: still working (") for line in beats), lines
    quiet: list[str] = []
    run_all(
        config(CORPUS, tmp_path / "out"),
        steps="corpus,units",
        force=True,
        show_progress=False,
        log=quiet.append,
    )
    assert not [line for line in quiet if "still working" in line]


@pytest.mark.slow
def test_figures_keep_the_actor_and_frame_order_when_rerun_alone(tmp_path, monkeypatch):
    """Issue 17.4: after --only figures the actor figure kept alphabetical order."""
    import framing.plots
    from framing.frames import load_frame_set
    from framing.sentiment.actors import load_actor_set

    seen: dict[str, list] = {"actors": [], "frames": []}
    real_actor, real_frame = framing.plots.actor_by_outlet, framing.plots.frame_prevalence

    def actor_by_outlet(*args, **kwargs):
        seen["actors"].append(kwargs.get("order"))
        return real_actor(*args, **kwargs)

    def frame_prevalence(*args, **kwargs):
        seen["frames"].append(kwargs.get("order"))
        return real_frame(*args, **kwargs)

    monkeypatch.setattr(framing.plots, "actor_by_outlet", actor_by_outlet)
    monkeypatch.setattr(framing.plots, "frame_prevalence", frame_prevalence)
    out = tmp_path / "out"
    cfg = config(CORPUS, out, topics__enabled=False, stories__enabled=False)
    run_all(cfg, show_progress=False)
    run_all(cfg, steps="figures", force=True, show_progress=False)  # meta from the cache
    actors = list(load_actor_set("ukraine-diplomacy").labels)
    frames = list(load_frame_set("ukraine-diplomacy").keys)
    assert actors != sorted(actors) and frames != sorted(frames)  # the test can fail
    assert seen["actors"] == [actors, actors]
    assert seen["frames"] == [frames, frames]
