"""The ``framing`` command: run, init, corpus, --version, exit codes and messages."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from framing import __version__
from framing.run import cli, runner
from framing.run.config import load_config

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
FAST = ["--set", "compare.n_boot=200", "--set", "compare.n_perm=199"]


def framing_exe() -> list[str]:
    exe = Path(sys.executable).with_name("framing")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "framing.run.cli"]


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*framing_exe(), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
        check=False,
    )


def test_version_from_the_console_script():
    done = run_cli("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"framing {__version__}"


def test_no_command_prints_help_and_exits_2(capsys):
    assert cli.main([]) == 2
    assert "run" in capsys.readouterr().err


def test_corpus_command_prints_the_summary():
    done = run_cli("corpus", str(CORPUS))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Articles: 2" in out
    assert "outlet_000" in out and "outlet_004" in out
    assert "Dates:" in out and "Words per article:" in out
    assert "Duplicates flagged: 0" in out


def test_corpus_command_reports_what_was_skipped_and_why(tmp_path):
    corpus = tmp_path / "c"
    shutil.copytree(CORPUS, corpus)
    (corpus / "empty.txt").write_text("   \n")
    (corpus / "copy.txt").write_bytes((CORPUS / "000_5904578f6037d9dc.txt").read_bytes())
    done = run_cli("corpus", str(corpus))
    assert done.returncode == 0, done.stderr
    assert "empty.txt" in done.stdout
    assert "skipped: 1" in done.stdout
    assert "Duplicates flagged: 1" in done.stdout


def test_corpus_command_uses_the_mapping_options(tmp_path, capsys):
    data = tmp_path / "nyt_2022.csv"
    pd.DataFrame(
        {
            "headline": ["A", "B"],
            "body": ["Talks stall.", "Allies differ."],
            "date": ["2022/05/10", "2022/05/11"],
        }
    ).to_csv(data, index=False)
    code = cli.main(
        [
            "corpus",
            str(data),
            "--text",
            "body",
            "--title",
            "headline",
            "--published",
            "date",
            "--outlet-from",
            "filename",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "nyt_2022" in out
    assert "2022-05-10 to 2022-05-11" in out


def test_corpus_command_fails_cleanly_on_a_missing_corpus(tmp_path):
    done = run_cli("corpus", str(tmp_path / "nope"))
    assert done.returncode == 2
    assert "framing: error:" in done.stderr
    assert "nope" in done.stderr
    assert "Traceback" not in done.stderr


def test_corpus_command_lists_columns_when_the_text_column_is_missing(tmp_path, capsys):
    data = tmp_path / "x.csv"
    data.write_text("headline,content\nA,Some text here.\n")
    assert cli.main(["corpus", str(data), "--text", "body"]) == 2
    err = capsys.readouterr().err
    assert "body" in err and "headline" in err and "content" in err


def test_run_writes_results_to_the_default_folder(tmp_path):
    shutil.copytree(CORPUS, tmp_path / "corpus")
    done = run_cli("run", "--only", "corpus,units", *FAST, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "results" / "corpus"
    m = json.loads((out / "manifest.json").read_text())
    assert m["status"] == "complete"
    assert m["corpus"]["source"] == str((tmp_path / "corpus").resolve())
    assert (out / "tables" / "corpus_by_outlet.csv").is_file()
    assert "[1/9] corpus" in done.stderr  # progress lines


def test_run_with_unknown_config_key_lists_valid_keys(tmp_path):
    config = tmp_path / "framing.toml"
    config.write_text("[topics]\nnr_topic = 5\n")
    done = run_cli("run", str(CORPUS), "--config", str(config), "--out", str(tmp_path / "o"))
    assert done.returncode == 2
    assert "unknown key 'nr_topic' in [topics]" in done.stderr
    assert "nr_topics" in done.stderr and "min_topic_size" in done.stderr
    assert str(config) in done.stderr
    assert "Traceback" not in done.stderr


def test_run_only_with_missing_inputs_says_what_to_run_first(tmp_path, capsys):
    code = cli.main(["run", str(CORPUS), "--out", str(tmp_path / "o"), "--only", "frames"])
    assert code == 2
    assert "framing run --only corpus,units" in capsys.readouterr().err


def test_run_into_an_unwritable_folder_exits_2(tmp_path, capsys):
    (tmp_path / "f").write_text("x")
    code = cli.main(["run", str(CORPUS), "--out", str(tmp_path / "f" / "o"), "--quiet"])
    assert code == 2
    assert "not writable" in capsys.readouterr().err


def test_run_refuses_another_corpus_in_the_same_folder(tmp_path, capsys):
    other = tmp_path / "other"
    shutil.copytree(CORPUS, other)
    out = str(tmp_path / "o")
    assert cli.main(["run", str(CORPUS), "--out", out, "--only", "corpus", "--quiet"]) == 0
    assert cli.main(["run", str(other), "--out", out, "--only", "corpus", "--quiet"]) == 2
    assert "--out" in capsys.readouterr().err


def test_set_overrides_and_bad_set(tmp_path, capsys):
    out = tmp_path / "o"
    code = cli.main(
        [
            "run",
            str(CORPUS),
            "--out",
            str(out),
            "--only",
            "corpus",
            "--quiet",
            "--set",
            "compare.n_boot=123",
            "--set",
            "corpus.name=seeds",
        ]
    )
    assert code == 0
    m = json.loads((out / "manifest.json").read_text())
    assert m["config"]["compare"]["n_boot"] == 123
    assert m["corpus"]["name"] == "seeds"
    assert cli.main(["run", str(CORPUS), "--set", "n_boot"]) == 2
    assert "SECTION.KEY=VALUE" in capsys.readouterr().err


def test_unexpected_error_exits_1_with_traceback(tmp_path, monkeypatch, capsys):

    def boom(*args, **kwargs):
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(runner, "run_all", boom)
    assert cli.main(["run", str(CORPUS), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "unexpected error" in err


def test_interrupt_exits_130_and_says_how_to_resume(tmp_path, monkeypatch, capsys):

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run_all", interrupted)
    assert cli.main(["run", str(CORPUS), "--out", str(tmp_path / "o")]) == 130
    assert "resume" in capsys.readouterr().err


def test_init_writes_config_and_manifest_template(tmp_path, capsys):
    project = tmp_path / "news"
    project.mkdir()
    for seed in CORPUS.glob("*.txt"):
        shutil.copy(seed, project)
    assert cli.main(["init", str(project)]) == 0
    config_text = (project / "framing.toml").read_text()
    data = tomllib.loads(config_text)
    assert data["corpus"]["path"] == "."
    assert data["corpus"]["name"] == "news"
    # every documented default is there
    assert "# Bootstrap resamples" in config_text
    cfg = load_config(project / "framing.toml")
    assert cfg.corpus.path == str(project)
    assert cfg.out_dir.name == "news"
    manifest = pd.read_csv(project / "manifest.csv", keep_default_na=False)
    assert list(manifest.columns) == [
        "file",
        "outlet",
        "published",
        "title",
        "author",
        "url",
        "language",
    ]
    assert sorted(manifest["file"]) == ["000_5904578f6037d9dc.txt", "004_a2aa02edca634915.txt"]
    assert (manifest.drop(columns="file") == "").all().all()


def test_init_never_overwrites_without_force(tmp_path, capsys):
    project = tmp_path / "p"
    project.mkdir()
    (project / "framing.toml").write_text("# mine\n")
    assert cli.main(["init", str(project)]) == 2
    assert "--force" in capsys.readouterr().err
    assert (project / "framing.toml").read_text() == "# mine\n"
    assert not (project / "manifest.csv").exists()
    assert cli.main(["init", str(project), "--force"]) == 0
    assert "[corpus]" in (project / "framing.toml").read_text()


def test_init_for_a_corpus_elsewhere_then_load_it(tmp_path, capsys):
    data = tmp_path / "data" / "two-outlets"
    data.mkdir(parents=True)
    pd.DataFrame(
        {"headline": ["A"], "articles": ["Talks stall again."], "published": ["2022/05/10"]}
    ).to_csv(data / "NYT_x.csv", index=False)
    pd.DataFrame(
        {
            "headline": ["B"],
            "articles": ["Allies differ on aid."],
            "published": ["2022-02-24T10:00:00Z"],
        }
    ).to_csv(data / "Guardians_x.csv", index=False)
    project = tmp_path / "project"
    assert cli.main(["init", str(project), "--corpus", str(data)]) == 0
    data_toml = tomllib.loads((project / "framing.toml").read_text())
    assert data_toml["corpus"]["path"] == "../data/two-outlets"
    assert data_toml["corpus"]["manifest"] == "manifest.csv"
    assert data_toml["corpus"]["name"] == "project"
    manifest = project / "manifest.csv"
    assert sorted(pd.read_csv(manifest)["file"]) == ["Guardians_x.csv", "NYT_x.csv"]
    # the researcher fills in the outlets and the column mapping, then loads
    filled = pd.read_csv(manifest, keep_default_na=False)
    filled["outlet"] = filled["file"].map(
        {"NYT_x.csv": "New York Times", "Guardians_x.csv": "The Guardian"}
    )
    filled.to_csv(manifest, index=False)
    text = (project / "framing.toml").read_text()
    text = text.replace('text = ""  ', 'text = "articles"  ', 1)
    text = text.replace('title = "" ', 'title = "headline" ', 1)
    (project / "framing.toml").write_text(text)
    capsys.readouterr()
    assert (
        cli.main(
            [
                "corpus",
                str(data),
                "--text",
                "articles",
                "--title",
                "headline",
                "--manifest",
                str(manifest),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "New York Times" in out and "The Guardian" in out
    code = cli.main(
        [
            "run",
            "--config",
            str(project / "framing.toml"),
            "--only",
            "corpus",
            "--quiet",
            "--out",
            str(tmp_path / "res"),
        ]
    )
    assert code == 0
    by_outlet = pd.read_csv(tmp_path / "res" / "tables" / "corpus_by_outlet.csv")
    assert set(by_outlet["outlet"]) == {"New York Times", "The Guardian", "all"}


def test_init_rejects_a_missing_corpus(tmp_path, capsys):
    assert cli.main(["init", str(tmp_path / "p"), "--corpus", str(tmp_path / "nope")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_cli_module_holds_no_analysis_imports():
    source = Path(cli.__file__).read_text()
    for heavy in (
        "import numpy",
        "import sklearn",
        "import torch",
        "import bertopic",
        "score_sentiment",
        "fit_topics",
        "score_frames",
    ):
        assert heavy not in source


# ------------------------------------------------------------------ bring your own corpus
# The walkthrough of the README "Bring your own corpus" section on two real corpora, through the
# documented commands only. Topics are switched off to keep the suite lean (the
# walkthrough's full runs, with topics, are timed in the document).
def edit_config(path: Path, corpus: dict[str, str], extra: str = "") -> None:
    text = path.read_text(encoding="utf-8")
    for key, value in corpus.items():
        text, n = re.subn(rf"(?m)^{key} = .*$", f"{key} = {value}", text, count=1)
        assert n == 1, key
    path.write_text(text + extra, encoding="utf-8")


LEAN = ["--set", "topics.enabled=false"]
SHARED_DATA = ROOT.parent / "shared" / "data"


def shared_path(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/data is not available here)")
    return path


def byoc(tmp_path: Path, corpus: Path, mapping: dict[str, str], corpus_args: list[str]):
    project = tmp_path / "study"
    init = run_cli("init", str(project), "--corpus", str(corpus), cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    edit_config(project / "framing.toml", mapping)
    summary = run_cli("corpus", str(corpus), *corpus_args, cwd=tmp_path)
    assert summary.returncode == 0, summary.stderr
    run = run_cli("run", "--config", str(project / "framing.toml"), *FAST, *LEAN, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    out = tmp_path / "results" / "study"
    manifest = json.loads((out / "manifest.json").read_text())
    return summary.stdout, out, manifest


@pytest.mark.shared
@pytest.mark.slow
def test_bring_your_own_corpus_ukraine_csv(tmp_path):
    corpus = shared_path("ukraine-nyt-guardian-2022")
    mapping = {
        "text": '"articles"',
        "title": '"headlines"',
        "published": '"published"',
        "outlet_pattern": '"^([A-Za-z]+)_"',
    }
    summary, out, manifest = byoc(
        tmp_path,
        corpus,
        mapping,
        [
            "--text",
            "articles",
            "--title",
            "headlines",
            "--published",
            "published",
            "--outlet-pattern",
            "^([A-Za-z]+)_",
        ],
    )
    assert "NYT" in summary and "Guardians" in summary
    assert "Articles: 407" in summary
    assert manifest["status"] == "complete"
    assert manifest["stages"]["corpus"]["counts"]["articles"] == 407
    assert manifest["stages"]["topics"]["status"] == "disabled"
    by_outlet = pd.read_csv(out / "tables" / "corpus_by_outlet.csv").set_index("outlet")
    assert by_outlet.loc["NYT", "n_articles"] == 219
    assert by_outlet.loc["Guardians", "n_articles"] == 188
    assert by_outlet.loc["NYT", "first_published"] == "2022-05-10"
    assert by_outlet.loc["Guardians", "first_published"] == "2022-02-24"
    prevalence = pd.read_csv(out / "tables" / "frame_prevalence.csv")
    assert set(prevalence["outlet"]) == {"NYT", "Guardians"}
    assert (out / "figures" / "frame_prevalence_by_outlet.pdf").is_file()
    assert (out / "report.html").stat().st_size > 50_000


@pytest.mark.shared
@pytest.mark.slow
def test_bring_your_own_corpus_basil_json(tmp_path):
    corpus = shared_path("basil", "articles")
    aliases = '{ nyt = "New York Times", fox = "Fox News", hpo = "HuffPost" }'
    mapping = {"text": '"body-paragraphs"', "outlet": '"source"', "outlet_aliases": aliases}
    summary, out, manifest = byoc(
        tmp_path,
        corpus,
        {**mapping, "frame_set": '"generic-news"', "contrast": "[]", "actors": '""'},
        ["--text", "body-paragraphs", "--outlet", "source"],
    )
    assert "Articles: 300" in summary
    assert manifest["frame_set"]["name"] == "generic-news"
    by_outlet = pd.read_csv(out / "tables" / "corpus_by_outlet.csv").set_index("outlet")
    # BASIL: 100 event triplets, one article per outlet each; upper-case codes merged
    for outlet in ("New York Times", "Fox News", "HuffPost"):
        assert by_outlet.loc[outlet, "n_articles"] == 100
    sentiment = pd.read_csv(out / "tables" / "sentiment_pairwise.csv")
    assert len(sentiment) == 3  # three outlet pairs
    assert (out / "report.html").is_file()


# ------------------------------------------------------------------ a step that fails
def test_a_step_out_of_memory_names_the_step_and_the_setting_that_skips_it(
    tmp_path, monkeypatch, capsys
):
    import framing.compare

    def no_memory(*args, **kwargs):
        raise MemoryError("Unable to allocate 31.1 GiB for an array with shape (98937, 42225)")

    monkeypatch.setattr(framing.compare, "keyness_by_outlet", no_memory)
    out = tmp_path / "o"
    args = ["run", str(CORPUS), "--out", str(out), *FAST, "--set", "topics.enabled=false"]
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "step 'compare' ran out of memory (Unable to allocate 31.1 GiB" in err
    assert "--set frames.keyness_terms=0" in err  # the CLI syntax ...
    assert "in the configuration: frames.keyness_terms = 0;" in err  # ... and the TOML one
    m = json.loads((out / "manifest.json").read_text())
    assert m["status"] == "failed"
    assert m["stages"]["compare"]["status"] == "failed"
    assert "31.1 GiB" in m["stages"]["compare"]["error"]
    assert m["stages"]["frames"]["status"] == "ran"
    # the advice works: skipping keyness finishes the run, reusing the earlier steps
    assert cli.main([*args, "--set", "frames.keyness_terms=0", "--quiet"]) == 0
    m = json.loads((out / "manifest.json").read_text())
    assert m["status"] == "complete"
    assert m["stages"]["frames"]["status"] == "cached"
    assert m["stages"]["compare"]["status"] == "ran"


def test_a_bug_in_a_step_keeps_the_traceback_and_names_the_step(tmp_path, monkeypatch, capsys):
    import framing.run.steps.units

    def bug(ctx):
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(framing.run.steps.units, "run", bug)
    out = tmp_path / "o"
    assert cli.main(["run", str(CORPUS), "--out", str(out), "--only", "corpus,units"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "ZeroDivisionError: bug" in err
    assert "step 'units' failed" in err and '--set units.unit="paragraph"' in err
    assert json.loads((out / "manifest.json").read_text())["status"] == "failed"


# ------------------------------------------------------------------ files and messages
def test_run_files_respect_the_umask_and_the_count_matches_tables(tmp_path):
    out = tmp_path / "o"
    done = subprocess.run(
        [
            "sh",
            "-c",
            'umask 022 && exec "$@"',
            "sh",
            *framing_exe(),
            "run",
            str(CORPUS),
            "--out",
            str(out),
            "--only",
            "corpus,units",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for path in [out / "manifest.json", *(out / "tables").iterdir()]:
        assert oct(path.stat().st_mode & 0o777) == oct(0o644), path
    match = re.search(r"results in .* \((\d+) tables in tables/\)", done.stderr)
    assert match, done.stderr
    stems = {p.stem for p in (out / "tables").iterdir()}
    assert int(match.group(1)) == len(stems) > 0


def test_corpus_command_prints_each_warning_once(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes("Title\n\nSome text caf\xe9 here, words.\n".encode("cp1252"))
    (corpus / "b.txt").write_text("Other plain text here, more words.\n")
    done = run_cli("corpus", str(corpus))
    assert done.returncode == 0, done.stderr
    both = done.stdout + done.stderr
    assert both.count("not valid UTF-8") == 1, both
    assert both.count("have no outlet") == 1, both


def test_each_warning_is_printed_once(capsys):
    import warnings

    for _ in range(3):
        cli._show_warning(UserWarning("same thing"), UserWarning, "f.py", 1)
    cli._show_warning(UserWarning("other thing"), UserWarning, "f.py", 2)
    err = capsys.readouterr().err
    assert err.count("same thing") == 1 and err.count("other thing") == 1
    assert warnings.showwarning is not None


def test_init_into_a_read_only_place_is_a_clear_error(tmp_path, monkeypatch, capsys):
    import errno
    import os

    import framing.export

    target = tmp_path / "ro"
    target.mkdir()
    if os.geteuid() == 0:  # root ignores permission bits: refuse like a read-only mount

        def refuse(*args, dir=None, **kwargs):
            raise PermissionError(errno.EROFS, "Read-only file system", str(dir))

        monkeypatch.setattr(framing.export.tempfile, "mkstemp", refuse)
    else:
        target.chmod(0o500)
    try:
        code = cli.main(["init", str(target / "project"), "--corpus", str(CORPUS)])
    finally:
        target.chmod(0o700)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert "framing: error: cannot write" in err and str(target) in err
    assert "choose a folder you can write to" in err


def test_matplotlib_layout_warnings_are_not_shown(tmp_path, monkeypatch, recwarn):
    import matplotlib.pyplot as plt

    import framing.plots
    from framing.run.context import StepContext
    from framing.run.steps import figures

    def crowded(*args, **kwargs):
        import warnings

        warnings.warn(
            "constrained_layout not applied because axes sizes collapse", UserWarning, stacklevel=2
        )
        warnings.warn(
            "Tight layout not applied. tight_layout cannot make axes", UserWarning, stacklevel=2
        )
        fig, _ = plt.subplots()
        return fig

    monkeypatch.setattr(framing.plots, "by_outlet", crowded)
    summary = pd.DataFrame({"outlet": ["a"], "mean": [0.1]})
    ctx = StepContext(
        cfg=load_config(overrides={"figures.formats": ["png"]}),
        out=tmp_path,
        tables={"articles": pd.DataFrame({"outlet": ["a"]}), "sentiment_by_outlet": summary},
        meta={},
        show_progress=False,
        log=lambda _m: None,
    )
    result = figures.run(ctx)
    assert result.files == ["figures/sentiment_by_outlet.png"]
    assert not [w for w in recwarn if "layout" in str(w.message)]


def test_only_help_lists_every_step_of_the_registry(capsys):
    from framing.run import registry

    with pytest.raises(SystemExit):
        cli.main(["run", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    for step in registry.STEPS:
        assert f"{step.name} ({' '.join(step.summary.split())})" in help_text


def test_outlet_selection_flags_set_the_compare_section(monkeypatch):
    """--min-articles/--max-outlets/--other-outlets are the [compare] settings."""
    import framing.run.cli as cli
    import framing.run.runner as runner

    seen = {}

    def fake_run_all(cfg, **kwargs):
        seen["compare"] = cfg.compare
        return {}

    monkeypatch.setattr(runner, "run_all", fake_run_all)
    code = cli.main(
        ["run", "corpus", "--quiet", "--min-articles", "5", "--max-outlets", "12",
         "--other-outlets", "merge"]
    )  # fmt: skip
    assert code == 0
    assert (seen["compare"].min_articles, seen["compare"].max_outlets) == (5, 12)
    assert seen["compare"].other_outlets == "merge"


def test_main_leaves_the_callers_process_settings_as_they_were(monkeypatch, capsys):
    import os
    import warnings

    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    before = warnings.showwarning
    filters = list(warnings.filters)
    assert cli.main(["corpus", str(CORPUS)]) == 0  # stderr is not a terminal here
    assert "TQDM_DISABLE" not in os.environ
    assert warnings.showwarning is before
    assert warnings.filters == filters
    capsys.readouterr()
