"""framing.actors: actor sets, matching rules, sentiment toward actors."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import framing
from framing.sentiment.actors import (
    ActorSet,
    ActorSetError,
    find_actors,
    list_actor_sets,
    load_actor_set,
    score_actor_sentiment,
)
from framing.sentiment.vader import score_units

DEFAULT = load_actor_set("ukraine-diplomacy")


def mentions(text: str, actors=DEFAULT) -> list[tuple[str, str]]:
    """(actor, matched text) for every mention in ``text``."""
    return [(actor, text[s:e]) for actor, _, s, e in actors.find(text)]


def units_of(*texts: str, article_id: str = "a") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "article_id": article_id,
            "unit_id": [f"{article_id}:s{i}" for i in range(len(texts))],
            "text": list(texts),
            "outlet": "x",
        }
    )


# ------------------------------------------------------------------ the set
def test_builtin_set_metadata():
    assert "ukraine-diplomacy" in list_actor_sets()
    assert DEFAULT.name == "ukraine-diplomacy" and DEFAULT.version == "1"
    assert DEFAULT.id == "ukraine-diplomacy@1"
    assert DEFAULT.description
    assert list(DEFAULT.labels) == [
        "russia",
        "ukraine",
        "united_states",
        "eu_europe",
        "nato",
        "united_kingdom",
        "france",
        "germany",
    ]
    assert DEFAULT.labels["eu_europe"] == "EU/Europe"
    assert load_actor_set(DEFAULT) is DEFAULT


REQUIRED = {
    "russia": ["Russia", "Russian", "Moscow", "Kremlin", "Putin"],
    "ukraine": ["Ukraine", "Ukrainian", "Kyiv", "Kiev", "Zelenskyy", "Zelensky"],
    "united_states": [
        "US",
        "U.S.",
        "United States",
        "Washington",
        "White House",
        "Trump",
        "Biden",
    ],
    "eu_europe": ["EU", "European Union", "Brussels", "European leaders", "European allies"],
    "nato": ["NATO", "Nato"],
    "united_kingdom": ["UK", "Britain", "British", "London", "Starmer"],
    "france": ["France", "Paris", "French", "Macron"],
    "germany": ["Germany", "Berlin", "German", "Merz", "Scholz"],
}


@pytest.mark.parametrize(
    ("actor", "alias"), [(a, alias) for a, aliases in REQUIRED.items() for alias in aliases]
)
def test_default_set_covers_required_aliases(actor, alias):
    assert alias in DEFAULT.actors[actor].aliases
    assert mentions(f"Officials said {alias} agreed.") == [(actor, alias)]


# ------------------------------------------------------------- matching rules
def test_multi_word_aliases_are_one_mention_and_longest_wins():
    assert mentions("The White House and the European Union spoke.") == [
        ("united_states", "White House"),
        ("eu_europe", "European Union"),
    ]
    hits = DEFAULT.find("Vladimir Putin spoke.")
    assert [(a, alias) for a, alias, _, _ in hits] == [("russia", "Vladimir Putin")]
    # whitespace inside a multi-word alias may be any run, including a line break
    assert mentions("the White\n  House said") == [("united_states", "White\n  House")]


def test_possessives_with_straight_and_curly_apostrophes():
    assert mentions("Russia's army and Kyiv’s allies") == [
        ("russia", "Russia"),
        ("ukraine", "Kyiv"),
    ]
    assert mentions("the Kremlin’s line, NATO's summit") == [
        ("russia", "Kremlin"),
        ("nato", "NATO"),
    ]


def test_case_rules_acronyms_exact_others_any_case():
    assert mentions("US officials told us nothing") == [("united_states", "US")]
    assert mentions("Us and them; us-versus-them") == []
    assert mentions("the eu said; the EU said") == [("eu_europe", "EU")]
    assert mentions("russia, RUSSIA and Russia") == [
        ("russia", "russia"),
        ("russia", "RUSSIA"),
        ("russia", "Russia"),
    ]
    assert mentions("president zelenskyy") == [("ukraine", "zelenskyy")]
    assert mentions("Nato and NATO") == [("nato", "Nato"), ("nato", "NATO")]


def test_word_boundaries():
    assert mentions("Russian and Russians and Russia") == [
        ("russia", "Russian"),
        ("russia", "Russians"),
        ("russia", "Russia"),
    ]
    assert mentions("Prussia, Berliner Zeitung, Frenchman, USAID, EUR") == []
    assert mentions("pro-Kremlin and anti-Ukrainian voices") == [
        ("russia", "Kremlin"),
        ("ukraine", "Ukrainian"),
    ]


def test_dotted_us_and_variants():
    assert mentions("The U.S. envoy; the U.S.-led talks; the USA; U.S.A.") == [
        ("united_states", "U.S."),
        ("united_states", "U.S."),
        ("united_states", "USA"),
        ("united_states", "U.S.A."),
    ]
    assert mentions("the UK and the U.K.") == [
        ("united_kingdom", "UK"),
        ("united_kingdom", "U.K."),
    ]


def test_exclusions_and_documented_ambiguity():
    assert mentions("The Washington Post reported it.") == []
    assert mentions("George Washington; Latin America; the Paris Agreement") == []
    # "Washington" alone is the US government by this set's choice (documented)
    assert mentions("Washington insists.") == [("united_states", "Washington")]


def test_find_actors_table_offsets_and_counts():
    units = units_of(
        "Putin told the Kremlin press pool that Putin would not attend.",
        "Nothing here.",
        "The EU and NATO met.",
    )
    found = find_actors(units)
    assert list(found.columns) == ["unit_id", "article_id", "actor", "alias", "start", "end"]
    assert found["unit_id"].tolist() == ["a:s0"] * 3 + ["a:s2"] * 2
    assert found["actor"].tolist() == ["russia", "russia", "russia", "eu_europe", "nato"]
    for row in found.itertuples():
        text = units.set_index("unit_id").loc[row.unit_id, "text"]
        assert text[row.start : row.end].casefold() == row.alias.casefold()
    assert found["start"].dtype == "int64"
    empty = find_actors(units_of("Nothing."))
    assert empty.empty and list(empty.columns) == list(found.columns)


def test_find_actors_non_string_text_warns_and_missing_is_silent():
    units = units_of("Kyiv said.", None, float("nan"), 7)
    with pytest.warns(UserWarning, match=r"1 unit\(s\) have non-string text"):
        found = find_actors(units)
    assert found["unit_id"].tolist() == ["a:s0"]


def test_custom_dict_set_with_literal_metacharacters():
    custom = load_actor_set(
        {
            "name": "demo",
            "version": 2,
            "actors": {
                "g7": {"label": "G7", "aliases": ["G7", "(G-7)", "Group of Seven"]},
                "un": {"aliases": ["U.N.", "United Nations"]},
            },
        }
    )
    assert custom.labels == {"g7": "G7", "un": "un"}
    assert mentions("the (G-7) and the G7 and the group of seven", custom) == [
        ("g7", "(G-7)"),
        ("g7", "G7"),
        ("g7", "group of seven"),
    ]
    # the dots are literal: "UXNX" is not "U.N."
    assert mentions("UXNX and U.N.", custom) == [("un", "U.N.")]


# ------------------------------------------------------------- loading errors
def test_yaml_file_and_its_errors(tmp_path):
    good = tmp_path / "mine.yaml"
    good.write_text(
        "name: mine\nversion: '0.1'\nactors:\n  china:\n    label: China\n"
        "    aliases: [China, Beijing, Xi Jinping]\n",
        encoding="utf-8",
    )
    mine = load_actor_set(good)
    assert mine.id == "mine@0.1" and str(good) in mine.source
    assert mentions("Beijing and Xi Jinping", mine) == [
        ("china", "Beijing"),
        ("china", "Xi Jinping"),
    ]

    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nversion: 1\nactors:\n  x: [unclosed\n", encoding="utf-8")
    with pytest.raises(ActorSetError, match=r"bad\.yaml: line \d+, column \d+"):
        load_actor_set(bad)
    with pytest.raises(ActorSetError, match="no such actor-set file"):
        load_actor_set(tmp_path / "missing.yaml")
    with pytest.raises(ActorSetError, match=r"unknown actor set 'nope'.*ukraine-diplomacy"):
        load_actor_set("nope")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"version": 1, "actors": {"a": {"aliases": ["A"]}}}, "'name' is missing"),
        ({"name": "n", "version": 1, "actors": {}}, "'actors' is missing or empty"),
        ({"name": "n", "version": 1, "actors": {"a": {"label": "A"}}}, "has no 'aliases'"),
        ({"name": "n", "version": 1, "actors": {"a": {"aliases": []}}}, "non-empty strings"),
        ({"name": "n", "version": 1, "actors": {"a": {"aliases": ["A"], "x": 1}}}, "unknown"),
        ({"name": "n", "version": 1, "actors": {"a b": {"aliases": ["A"]}}}, "keys use"),
        (
            {
                "name": "n",
                "version": 1,
                "actors": {"a": {"aliases": ["Paris"]}, "b": {"aliases": ["paris"]}},
            },
            "listed for both 'a' and 'b'",
        ),
        (
            {"name": "n", "version": 1, "actors": {"a": {"aliases": ["X"], "exclude": ["x"]}}},
            "both an alias and excluded",
        ),
    ],
)
def test_invalid_sets_are_rejected_with_clear_messages(spec, message):
    with pytest.raises(ActorSetError, match=message):
        load_actor_set(spec)


def test_actor_set_is_immutable():
    with pytest.raises(AttributeError):
        DEFAULT.name = "other"  # type: ignore[misc]
    assert isinstance(DEFAULT, ActorSet)


# ----------------------------------------------------------- actor sentiment
def test_score_actor_sentiment_means_of_mentioning_units():
    unit_scores = pd.DataFrame(
        {
            "article_id": ["a", "a", "a", "b"],
            "unit_id": ["a:s0", "a:s1", "a:s2", "b:s0"],
            "outlet": ["x", "x", "x", "y"],
            "text": [
                "Putin met Kremlin aides.",
                "Putin spoke to Kyiv.",
                "Nothing to see.",
                "Zelensky thanked the EU.",
            ],
            "compound": [-0.5, 0.3, 0.9, 0.6],
        }
    )
    before = unit_scores.copy()
    out = score_actor_sentiment(unit_scores, DEFAULT)
    pd.testing.assert_frame_equal(unit_scores, before)
    assert list(out.columns) == [
        "article_id",
        "outlet",
        "actor",
        "label",
        "n_mentions",
        "n_units",
        "sentiment_mean",
        "actor_set",
    ]
    table = out.set_index(["article_id", "actor"])
    russia = table.loc[("a", "russia")]
    # "Putin" and "Kremlin" in one sentence: 2 mentions, 1 unit
    assert (russia.n_mentions, russia.n_units) == (3, 2)
    assert russia.sentiment_mean == pytest.approx((-0.5 + 0.3) / 2)
    assert table.loc[("a", "ukraine"), "sentiment_mean"] == pytest.approx(0.3)
    assert table.loc[("b", "ukraine"), "outlet"] == "y"
    assert table.loc[("b", "eu_europe"), "label"] == "EU/Europe"
    assert set(out["actor_set"]) == {"ukraine-diplomacy@1"}
    # article order, then the set's actor order; no rows for unmentioned actors
    assert out[["article_id", "actor"]].values.tolist() == [
        ["a", "russia"],
        ["a", "ukraine"],
        ["b", "ukraine"],
        ["b", "eu_europe"],
    ]


def test_one_sentence_with_putin_and_kremlin_counts_two_mentions_one_unit():
    scores = score_units(units_of("Putin and the Kremlin rejected the plan."))
    row = score_actor_sentiment(scores).iloc[0]
    assert (row.actor, row.n_mentions, row.n_units) == ("russia", 2, 1)
    assert row.sentiment_mean == pytest.approx(scores.compound.item())


def test_score_actor_sentiment_edge_cases():
    nothing = score_actor_sentiment(
        pd.DataFrame(
            {"article_id": ["a"], "unit_id": ["a:s0"], "text": ["Hi."], "compound": [0.0]}
        )
    )
    assert nothing.empty and "sentiment_mean" in nothing.columns
    with pytest.raises(ValueError, match="score_units"):
        score_actor_sentiment(units_of("Putin spoke."))  # no compound column


def test_bundled_corpus_mentions_every_default_actor():
    from conftest import CORPUS

    units = framing.split_units(framing.load_corpus(CORPUS))
    found = find_actors(units)
    assert set(found["actor"]) == set(DEFAULT.actors)
    scores = score_actor_sentiment(score_units(units))
    assert (scores["n_units"] <= scores["n_mentions"]).all()
    assert scores["sentiment_mean"].between(-1, 1).all()
    assert not math.isnan(scores["sentiment_mean"].mean())
