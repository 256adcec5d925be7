"""framing.run.registry and framing.run.keys: one declaration per step, honest cache keys.

A step's key must change whenever the code it runs changes (found from the imports,
checked here against the code that really executes), whenever a setting it reads
changes, and never for a setting it does not read.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

from framing.run import keys, registry
from framing.run.config import load_config
from framing.run.runner import run_all
from framing.topics import fit_topics
from framing.topics.summaries import topic_shares

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
LEAN = {
    "compare.n_boot": 50,
    "compare.n_perm": 49,
    "topics.method": "lda",
    "figures.formats": ["png"],
}


def config(out: Path, **overrides):
    values = {"corpus.path": str(CORPUS), "output.dir": str(out), **LEAN}
    values.update({k.replace("__", "."): v for k, v in overrides.items()})
    return load_config(overrides=values)


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def rel(paths) -> set[str]:
    return {p.relative_to(keys.PACKAGE_ROOT).as_posix() for p in paths}


# --------------------------------------------------------------------------- registry
def test_the_registry_is_the_one_list_of_steps():
    assert registry.STEP_NAMES == (
        "corpus",
        "units",
        "sentiment",
        "topics",
        "frames",
        "stories",
        "compare",
        "figures",
        "report",
    )
    for step in registry.STEPS:
        assert callable(step.run), step.name
        # a step only needs steps that come before it
        for need in step.needs:
            assert registry.STEP_NAMES.index(need) < registry.STEP_NAMES.index(step.name)
        # every setting it declares exists
        cfg = load_config()
        for read in (*step.reads, *step.unread):
            section, _, key = read.partition(".")
            assert hasattr(cfg, section), read
            if key:
                assert hasattr(getattr(cfg, section), key), read
        for data in step.data:
            assert (keys.PACKAGE_ROOT / data).exists(), data


def test_every_package_data_file_is_declared_by_a_step():
    declared = set()
    for step in registry.STEPS:
        declared |= rel(keys._data_files(step.data, keys.PACKAGE_ROOT))
    data = keys.PACKAGE_ROOT / "data"
    shipped = {p.relative_to(keys.PACKAGE_ROOT).as_posix() for p in data.rglob("*") if p.is_file()}
    # default.toml is the settings themselves, which are keyed value by value
    assert shipped - declared == {"data/default.toml"}


# --------------------------------------------------------------------------- code keys
@pytest.mark.parametrize(
    ("step", "module"),
    [
        ("corpus", "_strings.py"),
        ("corpus", "corpus/reader.py"),
        ("corpus", "corpus/clean/navigation.py"),
        ("units", "_strings.py"),
        ("topics", "units.py"),  # topics splits paragraphs itself
        ("topics", "embeddings/__init__.py"),
        ("topics", "topics/_backend.py"),
        ("frames", "frames/supervised.py"),
        ("frames", "frames/coding.py"),
        ("frames", "units.py"),
        ("compare", "topics/summaries.py"),
        ("figures", "plots/_topics.py"),
        ("report", "run/report.py"),
        ("report", "run/report_tables.py"),  # split out of report.py (issue 11)
        ("sentiment", "sentiment/actor_sets.py"),  # split out of actors.py
    ],
)
def test_code_keys_follow_the_imports(step, module):
    assert module in rel(keys.code_files(registry.get(step).module))


@pytest.mark.parametrize(
    ("step", "module"),
    [
        ("corpus", "plots/_topics.py"),
        ("corpus", "topics/model.py"),
        ("units", "corpus/clean.py"),
        ("sentiment", "frames/score.py"),
        ("frames", "stories/build.py"),  # stories read frame scores, not the reverse
        ("figures", "topics/model.py"),
    ],
)
def test_code_keys_leave_out_what_a_step_never_imports(step, module):
    assert module not in rel(keys.code_files(registry.get(step).module))


def test_type_checking_imports_are_not_code_that_runs():
    # context.py names RunConfig and pandas for type checkers only
    files = rel(keys.code_files("framing.run.context"))
    assert "run/config.py" not in files


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("pkg") / "framing"
    shutil.copytree(keys.PACKAGE_ROOT, root, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    keys._DIGESTS.clear()
    yield root
    keys._DIGESTS.clear()


@pytest.mark.parametrize("step", registry.STEP_NAMES)
def test_a_step_key_changes_with_every_file_of_its_code_and_no_other(step, package_copy):
    spec = registry.get(step)
    files = {
        *keys.code_files(spec.module, package_copy),
        *keys._data_files(spec.data, package_copy),
    }
    before = keys.code_digest(spec, package_copy)
    candidates = sorted(p for p in package_copy.rglob("*") if p.is_file())
    inside = [p for p in candidates if p in files]
    outside = [p for p in candidates if p not in files and p.suffix == ".py"]
    assert inside and outside
    for path in (inside[0], inside[len(inside) // 2], inside[-1]):
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        keys._DIGESTS.clear()
        assert keys.code_digest(spec, package_copy) != before, path
        path.write_bytes(original)
    for path in outside[:5]:
        original = path.read_bytes()
        path.write_bytes(original + b"\n# changed\n")
        keys._DIGESTS.clear()
        assert keys.code_digest(spec, package_copy) == before, path
        path.write_bytes(original)


@pytest.mark.slow
def test_the_key_covers_the_code_each_step_really_runs(tmp_path, monkeypatch):
    """Trace which framing files execute inside each step: all are in the step's key."""
    executed: dict[str, set[str]] = {}
    root = str(keys.PACKAGE_ROOT)

    def traced(name, func):
        def run(ctx):
            seen = executed.setdefault(name, set())

            def tracer(frame, event, arg):
                filename = frame.f_code.co_filename
                if filename.startswith(root):
                    seen.add(filename)
                return None

            previous = sys.gettrace()
            sys.settrace(tracer)
            try:
                return func(ctx)
            finally:
                sys.settrace(previous)

        return run

    for step in registry.STEPS:
        module = sys.modules.get(step.module) or __import__(step.module, fromlist=["run"])
        monkeypatch.setattr(module, "run", traced(step.name, module.run))
    cfg = config(tmp_path / "out", frames__method="lexicon")
    run_all(cfg, show_progress=False)
    assert set(executed) == set(registry.STEP_NAMES)
    for step in registry.STEPS:
        covered = {str(p) for p in keys.code_files(step.module)}
        missing = sorted(executed[step.name] - covered)
        assert not missing, f"{step.name} runs code outside its key: {missing}"


@pytest.mark.slow
def test_the_key_covers_the_code_the_partitioned_engine_runs(tmp_path, monkeypatch):
    """With the partitioned engine a step runs framing.run.engine's code, not its module's.

    Every framing file executed in the driver inside each partitioned step is in the
    step's code files or the engine's, and the engine's code is in those steps' keys
    (a change of ``compare_parts.py`` once left a stale compare table in place).
    """
    from framing.run import engine

    executed: dict[str, set[str]] = {}
    root = str(keys.PACKAGE_ROOT)
    real = engine.run_step

    def traced(name, ctx):
        seen = executed.setdefault(name, set())

        def tracer(frame, event, arg):
            if frame.f_code.co_filename.startswith(root):
                seen.add(frame.f_code.co_filename)
            return None

        previous = sys.gettrace()
        sys.settrace(tracer)
        try:
            return real(name, ctx)
        finally:
            sys.settrace(previous)

    monkeypatch.setattr(engine, "run_step", traced)
    overrides = {"run__store": "partitioned", "topics__enabled": False}
    cfg = config(tmp_path / "out", frames__method="lexicon", stories__enabled=False, **overrides)
    run_all(cfg, show_progress=False)
    assert {"corpus", "units", "sentiment", "frames", "compare"} <= set(executed)
    engine_code = {str(p) for p in keys.code_files("framing.run.engine")}
    engine_code.add(str(keys.PACKAGE_ROOT / "run" / "runner.py"))  # its progress callbacks
    for name, files in executed.items():
        covered = {str(p) for p in keys.code_files(registry.get(name).module)} | engine_code
        assert not sorted(files - covered), name
    assert "compare_parts.py" in {Path(f).name for f in executed["compare"]}
    step = registry.get("compare")
    memory = config(tmp_path / "mem", frames__method="lexicon")
    keys_of = [(cfg, engine.partitioned(cfg)), (memory, engine.partitioned(memory))]
    assert [p for _, p in keys_of] == [True, False]
    before = [keys.step_key(c, step, [], None, p) for c, p in keys_of]
    monkeypatch.setattr(keys, "engine_digest", lambda: "changed engine code")
    after = [keys.step_key(c, step, [], None, p) for c, p in keys_of]
    assert after[0] != before[0]  # the partitioned key follows the engine's code
    assert after[1] == before[1]  # the in-memory key does not
    # and the runner says which steps are partitioned: the compare stage re-runs
    lines: list[str] = []
    run_all(cfg, show_progress=False, log=lines.append)
    assert not any(line.startswith("[7/9] compare: unchanged") for line in lines), lines


# --------------------------------------------------------------------------- settings
@pytest.mark.parametrize(
    ("setting", "value", "changed", "unchanged"),
    [
        ("compare.n_boot", 99, {"compare", "stories"}, {"topics", "frames", "corpus", "units"}),
        ("stories.window", 5, {"stories"}, {"compare", "frames", "topics"}),
        ("compare.ci", 0.9, {"compare"}, {"topics", "sentiment"}),
        ("topics.period", "week", {"compare"}, {"topics"}),
        ("topics.nr_topics", 3, {"topics"}, {"compare", "frames", "corpus"}),
        ("frames.contrast", ["allies_divided", "dialogue"], {"compare", "figures"}, {"frames"}),
        ("frames.keyness_terms", 5, {"compare"}, {"frames"}),
        ("corpus.name", "other", set(), {"corpus"}),
        ("units.unit", "paragraph", {"units", "sentiment", "frames"}, {"corpus", "topics"}),
        ("seeds.random_state", 7, {"topics", "frames", "compare"}, {"corpus", "sentiment"}),
        ("tables.formats", ["csv"], {"corpus", "compare"}, {"figures", "report"}),
    ],
)
def test_keys_cover_only_the_settings_a_step_reads(tmp_path, setting, value, changed, unchanged):
    base = config(tmp_path)
    other = config(tmp_path, **{setting: value})
    for name in changed:
        step = registry.get(name)
        assert keys.step_settings(base, step) != keys.step_settings(other, step), name
    for name in unchanged:
        step = registry.get(name)
        assert keys.step_settings(base, step) == keys.step_settings(other, step), name


def test_changing_n_boot_reuses_the_topic_model(tmp_path):
    out = tmp_path / "out"
    run_all(config(out), steps="corpus,units,sentiment,topics,frames,compare", show_progress=False)
    assert manifest(out)["stages"]["topics"]["status"] == "ran"
    tables = run_all(
        config(out, compare__n_boot=80),
        steps="corpus,units,sentiment,topics,frames,compare",
        show_progress=False,
    )
    stages = manifest(out)["stages"]
    assert stages["topics"]["status"] == "cached"
    assert stages["compare"]["status"] == "ran"
    # the shares are those of a fit made with n_boot=80 directly
    direct = fit_topics(tables["articles"], method="lda", random_state=42, n_boot=80, ci=0.95)
    pd.testing.assert_frame_equal(tables["topics_by_outlet"], direct.topics_by_outlet)
    pd.testing.assert_frame_equal(tables["topics_over_time"], direct.topics_over_time)
    exported = pd.read_csv(out / "tables" / "topics_by_outlet.csv")
    assert len(exported) == len(direct.topics_by_outlet)


def test_topic_shares_match_the_fit_for_weekly_periods(tiny_articles):
    articles = pd.concat(
        [tiny_articles.assign(article_id=tiny_articles["article_id"] + f"_{i}") for i in range(3)],
        ignore_index=True,
    )
    articles.loc[articles["article_id"].str.startswith("a2"), "published"] = pd.NaT
    fit0 = fit_topics(articles, unit="sentence", method="nmf", n_boot=0, period="week")
    fit = fit_topics(articles, unit="sentence", method="nmf", n_boot=60, ci=0.8, period="week")
    by_outlet, over_time, notes = topic_shares(
        fit0.doc_topics,
        fit0.topic_info,
        articles,
        fit0.topics_by_outlet,
        n_boot=60,
        ci=0.8,
        random_state=42,
        period="week",
    )
    pd.testing.assert_frame_equal(by_outlet, fit.topics_by_outlet)
    pd.testing.assert_frame_equal(over_time, fit.topics_over_time)
    assert notes["n_undated_docs"] == fit.notes["n_undated_docs"] > 0


def _imports_by_full_parse(path: Path) -> set[str]:
    """Reference: every import in the module's syntax tree, outside TYPE_CHECKING."""
    import ast

    tree = ast.parse(path.read_bytes())
    found = set()

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for other in child.orelse:
                    visit(ast.Module(body=[other], type_ignores=[]))
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.add(ast.unparse(child))
            visit(child)

    visit(tree)
    return found


def test_the_fast_import_scan_finds_what_the_parser_finds():
    import ast

    for path in sorted(keys.PACKAGE_ROOT.rglob("*.py")):
        scanned = {ast.unparse(n) for n in keys._import_statements(path.read_bytes())}
        assert scanned == _imports_by_full_parse(path), path


def test_an_old_module_path_counts_as_the_module_it_moved_to(tmp_path):
    root = tmp_path / "framing"
    (root / "run").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "run" / "__init__.py").write_text("")
    (root / "run" / "runner.py").write_text("X = 1\n")
    (root / "a.py").write_text("import framing.pipeline  # the old path of framing.run.runner\n")
    files = {p.relative_to(root).as_posix() for p in keys.code_files("framing.a", root)}
    assert files == {"__init__.py", "a.py", "run/__init__.py", "run/runner.py"}


def _settings_read_by(module_file: Path) -> set[str]:
    """``section.key`` read in a step module as ctx.cfg.section.key or via an alias."""
    import ast

    tree = ast.parse(module_file.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        target, value = None, None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if (
            isinstance(target, ast.Name)
            and isinstance(value, ast.Attribute)
            and ast.unparse(value.value) == "ctx.cfg"
        ):
            aliases[target.id] = value.attr
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        base = ast.unparse(node.value)
        if base.startswith("ctx.cfg.") and base.count(".") == 2:
            found.add(f"{base.split('.')[2]}.{node.attr}")
        elif base in aliases:
            found.add(f"{aliases[base]}.{node.attr}")
    return found


@pytest.mark.parametrize("step", registry.STEP_NAMES)
def test_every_setting_a_step_module_reads_is_in_its_key(step):
    spec = registry.get(step)
    module_file = keys._module_file(spec.module, keys.PACKAGE_ROOT)
    declared = set()
    cfg = load_config()
    for read in spec.reads:
        section, _, key = read.partition(".")
        fields = [key] if key else list(vars(getattr(cfg, section)))
        declared |= {f"{section}.{k}" for k in fields} - set(spec.unread)
    # the corpus path is keyed through the input files; a frame-set name in a message
    # only is not a setting the results depend on
    allowed = {"corpus.path", "frames.frame_set"}
    read = {r for r in _settings_read_by(module_file) if not r.endswith(("mapping",))}
    assert read - declared - allowed == set()
