"""The 19 corpus options are declared once (framing.corpus.options.OPTIONS).

The load_corpus signature, LoadOptions, CorpusConfig, default.toml and the CLI
flags are written out for readers; these tests fail when one drifts from OPTIONS.
"""

import dataclasses
import inspect
import tomllib

import pytest

from framing.corpus import LoadOptions, load_corpus
from framing.corpus.options import OPTIONS, cli_hints, mapping_from_config, spell
from framing.run.cli import build_parser
from framing.run.config import CorpusConfig, default_config_path, load_config

NAMES = [o.name for o in OPTIONS]


def test_there_are_19_options():
    assert len(NAMES) == 19 == len(set(NAMES))


def test_load_corpus_signature_matches_the_declaration():
    params = list(inspect.signature(load_corpus).parameters.values())[1:]
    assert [p.name for p in params] == NAMES
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params)
    assert {p.name: p.default for p in params} == {o.name: o.default for o in OPTIONS}
    doc = load_corpus.__doc__
    for name in NAMES:
        assert name in doc, f"load_corpus docstring does not document {name}"


def test_load_options_fields_match_the_declaration():
    fields = dataclasses.fields(LoadOptions)
    assert [f.name for f in fields] == NAMES
    assert {f.name: f.default for f in fields} == {o.name: o.default for o in OPTIONS}


def test_corpus_config_fields_match_the_declaration():
    fields = dataclasses.fields(CorpusConfig)
    assert [f.name for f in fields] == ["path", "name", *NAMES]
    defaults = {f.name: f.default for f in fields[2:]}
    assert defaults == {o.name: o.toml for o in OPTIONS}


def test_default_toml_corpus_section_matches_the_declaration():
    with default_config_path().open("rb") as fh:
        section = tomllib.load(fh)["corpus"]
    assert list(section) == ["path", "name", *NAMES]
    assert {k: section[k] for k in NAMES} == {o.name: o.toml for o in OPTIONS}


def test_default_config_passes_no_option_on():
    assert load_config().corpus.mapping() == {}
    assert mapping_from_config({}) == {}


@pytest.mark.parametrize("command", ["run", "corpus"])
def test_cli_flags_and_help_come_from_the_declaration(command):
    parser = build_parser()
    sub = parser._subparsers._group_actions[0].choices[command]
    by_dest = {a.dest: a for a in sub._actions}
    for option in OPTIONS:
        action = by_dest[f"map_{option.name}"]
        assert option.flag in action.option_strings or any(
            a.dest == action.dest and option.flag in a.option_strings for a in sub._actions
        )
        helps = [a.help for a in sub._actions if a.dest == action.dest]
        assert option.help in helps
    assert by_dest["map_manifest"] is not None
    args = sub.parse_args(["x", "--no-manifest", "--errors", "skip", "--no-clean"])
    from framing.corpus.options import mapping_from_args

    assert mapping_from_args(args) == {"manifest": False, "errors": "skip", "clean": False}


def test_every_option_round_trips_from_toml_to_load_corpus(tmp_path):
    config = tmp_path / "framing.toml"
    config.write_text(
        '[corpus]\ntext = "body"\noutlet_from = "filename"\ndayfirst = true\n'
        'clean = false\nmanifest = false\nerrors = "skip"\n',
        encoding="utf-8",
    )
    mapping = load_config(config).corpus.mapping()
    assert mapping == {
        "text": "body",
        "outlet_from": "filename",
        "dayfirst": True,
        "clean": False,
        "manifest": False,
        "errors": "skip",
    }
    LoadOptions(**mapping)  # valid keyword arguments of the loader


def test_hints_are_spelled_in_the_callers_syntax():
    assert spell("errors", "skip") == "errors='skip'"
    with cli_hints():
        assert spell("errors", "skip") == "--errors skip"
        assert spell("text", "Text") == "--text Text"
        assert spell("outlet_from", "filename") == "--outlet-from filename"
        assert spell("clean", False) == "--no-clean"
        assert spell("outlet_pattern", "^(\\w+) x") == "--outlet-pattern '^(\\\\w+) x'"
    assert spell("errors", "skip") == "errors='skip'"  # reset after the block
