"""framing.config: defaults, user files, overrides, validation, path resolution."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path

import pytest

import framing
from framing.run.config import (
    ConfigError,
    RunConfig,
    config_to_dict,
    default_config_text,
    load_config,
)

SECTIONS = (
    "corpus",
    "output",
    "units",
    "sentiment",
    "topics",
    "frames",
    "stories",
    "compare",
    "figures",
    "tables",
    "seeds",
    "run",
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_match_the_dataclass_defaults():
    # The shipped TOML is the single source of defaults; it must agree with the code.
    shipped = tomllib.loads(default_config_text())
    assert set(shipped) == set(SECTIONS)
    bare = RunConfig()
    for section, values in shipped.items():
        part = getattr(bare, section)
        declared = {f.name: getattr(part, f.name) for f in dataclasses.fields(part)}
        assert set(values) == set(declared), section
        for key, value in values.items():
            expected = declared[key]
            if isinstance(expected, tuple):
                expected = list(expected)
            assert value == expected, f"{section}.{key}"


def test_study_defaults_are_declared_in_default_toml_only():
    """Issue 11: no module of the package spells the built-in study's names as defaults."""
    import ast

    study = {"ukraine-diplomacy", "allies_divided", "balancing_interests"}
    package = Path(framing.__file__).parent
    found = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            defaults = []
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                defaults = [*node.args.defaults, *node.args.kw_defaults]
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                defaults = [node.value]
            for value in defaults:
                for leaf in ast.walk(value) if value is not None else ():
                    if isinstance(leaf, ast.Constant) and leaf.value in study:
                        found.append(f"{path.relative_to(package)}:{leaf.lineno}")
    assert found == []


def test_every_parameter_is_documented_by_a_comment():
    lines = default_config_text().splitlines()
    for i, line in enumerate(lines):
        match = re.match(r"^([a-z_]+) = ", line)
        if not match:
            continue
        # a comment on the same line or on the line(s) just above
        documented = "#" in line.split("=", 1)[1] or lines[i - 1].startswith("#")
        assert documented, f"parameter {match.group(1)!r} (line {i + 1}) has no comment"


def test_load_defaults_resolves_corpus_against_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = load_config()
    assert cfg.corpus.path == str(tmp_path / "corpus")
    assert cfg.corpus.corpus_name == "corpus"
    assert cfg.out_dir == tmp_path / "results" / "corpus"
    assert cfg.compare.n_boot == 2000 and cfg.seeds.random_state == 42
    assert cfg.figures.formats == ("pdf", "svg", "png")


def test_user_file_overrides_defaults_and_resolves_paths_against_its_folder(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    config = write(
        project / "framing.toml",
        '[corpus]\npath = "../data/news"\ntext = "content"\n'
        '[output]\ndir = "out"\n[compare]\nn_boot = 500\n'
        '[frames]\nframe_set = "my_frames.yaml"\ncontrast = []\n',
    )
    cfg = load_config(config)
    assert cfg.corpus.path == str(tmp_path / "data" / "news")
    assert cfg.corpus.text == "content"
    assert cfg.corpus.corpus_name == "news"
    assert cfg.out_dir == project / "out"
    assert cfg.compare.n_boot == 500
    assert cfg.compare.n_perm == 9999  # untouched keys keep their default
    assert cfg.frames.frame_set == str(project / "my_frames.yaml")
    assert cfg.frames.contrast == ()
    assert cfg.sources[-1] == str(config.resolve())


def test_builtin_names_are_not_treated_as_paths(tmp_path):
    cfg = load_config(write(tmp_path / "c.toml", '[frames]\nframe_set = "generic-news"\n'))
    assert cfg.frames.frame_set == "generic-news"


def test_overrides_win_over_file_in_both_spellings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = write(tmp_path / "c.toml", "[compare]\nn_boot = 500\nn_perm = 99\n")
    cfg = load_config(config, overrides={"compare.n_boot": 10, "seeds": {"random_state": 7}})
    assert (cfg.compare.n_boot, cfg.compare.n_perm, cfg.seeds.random_state) == (10, 99, 7)
    cfg = load_config(overrides={"corpus.path": "elsewhere"})
    assert cfg.corpus.path == str(tmp_path / "elsewhere")


def test_inline_alias_table_is_accepted(tmp_path):
    cfg = load_config(
        write(tmp_path / "c.toml", '[corpus.outlet_aliases]\nnyt = "New York Times"\n')
    )
    assert cfg.corpus.outlet_aliases == {"nyt": "New York Times"}


def test_unknown_key_lists_valid_keys_and_names_file(tmp_path):
    config = write(tmp_path / "bad.toml", "[compare]\nn_boots = 10\n")
    with pytest.raises(ConfigError) as err:
        load_config(config)
    message = str(err.value)
    assert str(config) in message
    assert "n_boots" in message
    assert "valid keys are n_boot, n_perm, ci" in message


def test_unknown_section_lists_valid_sections(tmp_path):
    with pytest.raises(ConfigError, match=r"unknown section \[sentimnet\].*corpus, output"):
        load_config(write(tmp_path / "c.toml", "[sentimnet]\nenabled = false\n"))


def test_unknown_override_key_is_an_error():
    with pytest.raises(ConfigError, match=r"override: unknown key 'nboot'.*n_boot"):
        load_config(overrides={"compare.nboot": 3})
    with pytest.raises(ConfigError, match=r"section\.key"):
        load_config(overrides={"nboot": 3})


def test_invalid_toml_names_file_and_line(tmp_path):
    config = write(tmp_path / "c.toml", "[compare]\nn_boot = = 3\n")
    with pytest.raises(ConfigError, match=r"c\.toml is not valid TOML.*line 2"):
        load_config(config)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ('[compare]\nn_boot = "many"\n', "compare.n_boot must be an integer"),
        ("[compare]\nn_boot = 0\n", "compare.n_boot must be >= 1"),
        ("[compare]\nci = 95\n", "compare.ci must be between 0 and 1"),
        ('[units]\nunit = "word"\n', "units.unit must be one of 'sentence', 'paragraph'"),
        ('[figures]\nformats = ["jpg"]\n', r"figures.formats has unknown value\(s\) \['jpg'\]"),
        ('[sentiment]\nenabled = "yes"\n', "sentiment.enabled must be true or false"),
        ('[corpus]\nclean = "maybe"\n', "corpus.clean must be one of 'auto', true, false"),
        ('[frames]\ncontrast = ["a"]\n', "frames.contrast must name two frames"),
        ('[frames]\ncontrast = ["a", "a"]\n', "same frame twice"),
        ('[corpus]\noutlet_from = "folder"\noutlet_pattern = "x"\n', "outlet_pattern"),
    ],
)
def test_bad_values_are_rejected_with_what_is_allowed(tmp_path, text, pattern):
    with pytest.raises(ConfigError, match=pattern):
        load_config(write(tmp_path / "c.toml", text))


def test_config_is_frozen():
    cfg = load_config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.compare.n_boot = 3  # type: ignore[misc]


def test_config_to_dict_is_json_ready_and_complete(tmp_path, monkeypatch):
    import json

    monkeypatch.chdir(tmp_path)
    cfg = load_config(overrides={"frames.contrast": ["x", "y"]})
    data = json.loads(json.dumps(config_to_dict(cfg)))
    assert set(SECTIONS) <= set(data)
    assert data["frames"]["contrast"] == ["x", "y"]
    assert data["corpus"]["resolved_name"] == "corpus"
    assert data["output"]["resolved_dir"] == str(tmp_path / "results" / "corpus")
    assert data["sources"][-1] == "overrides"


def test_corpus_name_of_a_single_file(tmp_path):
    data = tmp_path / "nyt_2022.csv"
    data.write_text("text\nhello\n")
    cfg = load_config(overrides={"corpus.path": str(data)})
    assert cfg.corpus.corpus_name == "nyt_2022"
    named = load_config(overrides={"corpus.path": str(data), "corpus.name": "x"})
    assert named.out_dir.name == "x"


# ------------------------------------------------------------------ names checked early
BUNDLED = Path(__file__).resolve().parents[1] / "corpus"


def test_a_contrast_frame_missing_from_the_set_stops_before_any_work(tmp_path, capsys):
    from framing.run import cli

    out = tmp_path / "o"
    code = cli.main(
        [
            "run",
            str(BUNDLED),
            "--out",
            str(out),
            "--set",
            'frames.contrast=["allies_divided","nope"]',
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith('framing: error: --set frames.contrast=["allies_divided","nope"]:')
    assert "'nope'" in err and "balancing_interests" in err  # names the valid frames
    assert "--set 'frames.contrast=[" in err  # the advice in the syntax used
    assert not out.exists()  # nothing was started


def test_a_new_frame_set_with_the_default_contrast_points_at_the_frame_set(tmp_path, capsys):
    from framing.run import cli

    out = tmp_path / "o"
    code = cli.main(
        ["run", str(BUNDLED), "--out", str(out), "--set", "frames.frame_set=generic-news"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "--set frames.frame_set=generic-news: the frame set 'generic-news'" in err
    assert "frames.contrast names by default" in err and "conflict" in err


def test_names_in_a_config_file_are_reported_with_file_and_line(tmp_path):
    from framing.run.checks import check_settings

    path = tmp_path / "framing.toml"
    path.write_text(
        '[compare]\nn_boot = 100\n\n[frames]\n# mine\ncontrast = ["x", "peace_talks"]\n'
    )
    cfg = load_config(path)
    with pytest.raises(ConfigError) as info:
        check_settings(cfg)
    message = str(info.value)
    assert message.startswith(f"{path}, line 6: frames.contrast names 'x'")
    assert 'under [frames], e.g. contrast = ["allies_divided", "balancing_interests"]' in message


def test_names_given_in_python_are_reported_in_python_syntax():
    from framing.run.checks import check_settings

    cfg = load_config(overrides={"frames.contrast": ["x", "peace_talks"]})
    with pytest.raises(ConfigError, match=r"^override: .*overrides=\{'frames.contrast'"):
        check_settings(cfg)


def test_a_missing_frame_set_or_actor_list_stops_a_run_before_any_work(tmp_path):
    from framing.frames import FrameSetError
    from framing.run.runner import run_all
    from framing.sentiment.actors import ActorSetError

    base = {"corpus.path": str(BUNDLED), "output.dir": str(tmp_path / "o")}
    with pytest.raises(FrameSetError):
        run_all(load_config(overrides={**base, "frames.frame_set": "no-such-set"}))
    with pytest.raises(ActorSetError):
        run_all(load_config(overrides={**base, "sentiment.actors": "no-such-list"}))
    assert not (tmp_path / "o").exists()
    # switched off, they are not checked
    cfg = load_config(
        overrides={**base, "frames.frame_set": "no-such-set", "frames.enabled": False}
    )
    from framing.run.checks import check_settings

    check_settings(cfg)


def test_type_errors_on_the_command_line_quote_the_flag():
    cfg_error = None
    try:
        load_config(
            overrides={"compare.n_boot": 0}, spelled={"compare.n_boot": "--set compare.n_boot=0"}
        )
    except ConfigError as exc:
        cfg_error = str(exc)
    assert cfg_error == "--set compare.n_boot=0: compare.n_boot must be >= 1; got 0"
