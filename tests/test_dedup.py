"""Tests for framing.dedup: exact and near-duplicate detection (MinHash LSH)."""

from __future__ import annotations

import hashlib
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

import framing.corpus.shingles as shingles_module
from framing.corpus.dedup import duplicate_pairs, flag_duplicates
from framing.corpus.minhash import _band_shape, _signatures
from framing.corpus.shingles import _jaccard, _shingle_set, _token_hashes
from framing.schema import SchemaError

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

WIRE = (
    "Foreign ministers from the alliance met in Brussels on Thursday to discuss a "
    "proposed peacekeeping mission, but officials said the capitals remained divided "
    "over who would command the force and how long it would stay. Several governments "
    "want a clear mandate from the United Nations before sending troops, while others "
    "argue that waiting for a vote would leave the ceasefire without protection for "
    "months. Diplomats said a compromise text could be ready by the end of the month, "
    "and a further meeting is planned in Warsaw. The talks come as fighting continues "
    "along the eastern front and as aid agencies warn that winter will make the "
    "delivery of food and medicine far more difficult for civilians in the region."
)
OTHER = (
    "The central bank left interest rates unchanged on Wednesday and said inflation "
    "had eased faster than expected over the summer, giving it room to wait before "
    "cutting borrowing costs. Shares rose in early trading."
)
SPORT = (
    "The home side scored twice in the final ten minutes to win the cup final, "
    "ending a run of three defeats at the national stadium."
)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def oracle_shingles(text: str, k: int = 5) -> set[tuple[str, ...]]:
    """Independent shingle sets: tuples of words, no hashing."""
    w = words(text)
    if not w:
        return set()
    if len(w) < k:
        return {tuple(w)}
    return {tuple(w[i : i + k]) for i in range(len(w) - k + 1)}


def oracle_jaccard(a: str, b: str, k: int = 5) -> float:
    sa, sb = oracle_shingles(a, k), oracle_shingles(b, k)
    return len(sa & sb) / len(sa | sb)


def replace_words(text: str, positions: list[int], prefix: str = "edit") -> str:
    toks = text.split()
    for p in positions:
        toks[p] = f"{prefix}{p}"
    return " ".join(toks)


def table(ids, texts, published=None) -> pd.DataFrame:
    data = {"article_id": ids, "text": texts}
    if published is not None:
        data["published"] = pd.to_datetime(published)
    return pd.DataFrame(data)


def flags(result: pd.DataFrame) -> dict[str, tuple[str, str]]:
    return {
        a: (d, k)
        for a, d, k in zip(
            result["article_id"], result["duplicate_of"], result["duplicate_kind"], strict=True
        )
    }


# ----------------------------------------------------------------- exact copies


def test_identical_texts_map_to_earliest_published_copy():
    arts = table(
        ["a", "b", "c"],
        [WIRE, WIRE, OTHER],
        ["2025-05-16", "2025-05-15", "2025-05-14"],
    )
    got = flags(flag_duplicates(arts))
    assert got == {"a": ("b", "exact"), "b": ("", ""), "c": ("", "")}


@pytest.mark.parametrize(
    "variant",
    [
        WIRE.upper(),
        "  " + WIRE.replace(" ", "\n\n", 5) + "\n",
        WIRE.replace(" ", "\t "),
        "\r\n".join(WIRE.split(". ")).replace("\r\n", ".\r\n"),
    ],
    ids=["upper", "newlines", "tabs", "crlf"],
)
def test_case_and_whitespace_variants_are_exact(variant):
    arts = table(["a-orig", "b-copy"], [WIRE, variant])
    got = flags(flag_duplicates(arts))
    assert got == {"a-orig": ("", ""), "b-copy": ("a-orig", "exact")}


def test_punctuation_change_is_near_not_exact():
    arts = table(["a", "b"], [WIRE, WIRE.replace(",", ";")])
    assert flags(flag_duplicates(arts))["b"] == ("a", "near")


# ------------------------------------------------------------------ near copies


def test_syndicated_wire_copy_with_changed_first_line_is_near():
    original = "Allies split over peacekeeping plan\n\n" + WIRE
    syndicated = (
        "BRUSSELS (Wire Service) - Reporting by our correspondent; editing by staff\n\n" + WIRE
    )
    assert 0.8 <= oracle_jaccard(original, syndicated) < 1.0
    arts = table(
        ["wire-1", "paper-7", "other"],
        [original, syndicated, OTHER],
        ["2025-05-15 09:00", "2025-05-15 11:30", "2025-05-15 10:00"],
    )
    result = flag_duplicates(arts)
    assert flags(result) == {
        "wire-1": ("", ""),
        "paper-7": ("wire-1", "near"),
        "other": ("", ""),
    }
    pairs = duplicate_pairs(arts)
    assert pairs["article_id"].tolist() == ["paper-7"]
    assert pairs["jaccard"].iloc[0] == pytest.approx(oracle_jaccard(original, syndicated))


def test_unrelated_texts_are_not_duplicates():
    arts = table(["a", "b", "c"], [WIRE, OTHER, SPORT])
    result = flag_duplicates(arts)
    assert (result["duplicate_of"] == "").all()
    assert (result["duplicate_kind"] == "").all()
    assert duplicate_pairs(arts).empty


def test_similarity_just_below_threshold_is_not_flagged():
    # 8 replaced words (far apart) change 40 of ~113 shingles: J well under 0.8
    edited = replace_words(WIRE, [5, 18, 31, 44, 57, 70, 83, 96])
    j = oracle_jaccard(WIRE, edited)
    assert 0.4 < j < 0.8
    result = flag_duplicates(table(["a", "b"], [WIRE, edited]))
    assert (result["duplicate_of"] == "").all()
    # ... and is flagged once the threshold is lowered below J
    lowered = flag_duplicates(table(["a", "b"], [WIRE, edited]), threshold=j - 0.01)
    assert flags(lowered)["b"] == ("a", "near")


def test_chain_resolves_to_one_original():
    # A ~ B and B ~ C are >= 0.8, but A and C alone are < 0.8
    a = WIRE
    b = replace_words(a, [20, 60])
    c = replace_words(b, [40, 80], prefix="again")
    assert oracle_jaccard(a, b) >= 0.8
    assert oracle_jaccard(b, c) >= 0.8
    assert oracle_jaccard(a, c) < 0.8
    arts = table(["c", "a", "b"], [c, a, b], ["2025-03-03", "2025-03-01", "2025-03-02"])
    got = flags(flag_duplicates(arts))
    assert got == {"a": ("", ""), "b": ("a", "near"), "c": ("a", "near")}
    pairs = duplicate_pairs(arts).set_index("article_id")
    assert pairs.loc["c", "jaccard"] == pytest.approx(oracle_jaccard(a, c))
    assert pairs.loc["c", "jaccard"] < 0.8


def test_exact_copy_of_a_near_duplicate_points_to_cluster_original():
    near = replace_words(WIRE, [30])
    arts = table(
        ["orig", "near", "near-again"],
        [WIRE, near, near.upper()],
        ["2025-01-01", "2025-01-02", "2025-01-03"],
    )
    got = flags(flag_duplicates(arts))
    # both map to the earliest copy; the upper-case copy differs from it in wording
    assert got == {"orig": ("", ""), "near": ("orig", "near"), "near-again": ("orig", "near")}


def test_many_copies_in_one_bucket_all_map_to_first():
    texts = [replace_words(WIRE, [i % 100 + 3]) for i in range(60)] + [WIRE]
    ids = [f"copy{i:02d}" for i in range(60)] + ["aaa-original"]
    result = flag_duplicates(table(ids, texts))
    got = flags(result)
    assert got["aaa-original"] == ("", "")
    assert all(got[i][0] == "aaa-original" for i in ids[:60])
    assert result.attrs["dedup_report"]["n_near"] == 60


def test_short_texts_use_one_shingle():
    arts = table(["a", "b", "c"], ["Breaking news.", "BREAKING news!", "Weather update"])
    got = flags(flag_duplicates(arts))
    assert got == {"a": ("", ""), "b": ("a", "near"), "c": ("", "")}


# ----------------------------------------------------------- empty texts, dates


def test_empty_texts_are_never_duplicates():
    arts = table(["a", "b", "c", "d", "e"], ["", "   \n", "", WIRE, "\t"])
    result = flag_duplicates(arts)
    assert (result["duplicate_of"] == "").all()
    assert result.attrs["dedup_report"]["n_empty"] == 4


def test_missing_text_is_treated_as_empty_with_a_warning():
    arts = pd.DataFrame({"article_id": ["a", "b", "c"], "text": [None, np.nan, WIRE]})
    with pytest.warns(UserWarning, match=r"2 article\(s\) have no text"):
        result = flag_duplicates(arts)
    assert (result["duplicate_of"] == "").all()
    assert result.attrs["dedup_report"]["n_missing_text"] == 2


def test_non_word_text_can_only_be_an_exact_duplicate():
    arts = table(["a", "b", "c"], ["* * *", "*  *  *", "***"])
    got = flags(flag_duplicates(arts))
    assert got == {"a": ("", ""), "b": ("a", "exact"), "c": ("", "")}


def test_nat_sorts_last_and_ids_break_ties():
    arts = table(
        ["a-undated", "z-dated", "b-undated", "m-dated"],
        [WIRE] * 4,
        [None, "2025-05-15", None, "2025-05-15"],
    )
    got = flags(flag_duplicates(arts))
    assert got["m-dated"] == ("", "")  # same date as z-dated: smaller id wins
    assert {got[i] for i in ["a-undated", "z-dated", "b-undated"]} == {("m-dated", "exact")}


def test_all_dates_missing_orders_by_article_id():
    arts = table(["b", "a"], [WIRE, WIRE], [None, None])
    assert flags(flag_duplicates(arts))["b"] == ("a", "exact")


def test_without_published_column_orders_by_article_id():
    arts = table(["k2", "k10", "k1"], [WIRE, WIRE, WIRE])
    got = flags(flag_duplicates(arts))
    assert got == {"k1": ("", ""), "k10": ("k1", "exact"), "k2": ("k1", "exact")}


def test_timezone_aware_dates_are_accepted():
    arts = table(["late", "early"], [WIRE, WIRE])
    arts["published"] = pd.to_datetime(["2025-01-02T00:00Z", "2025-01-01T00:00Z"])
    assert flags(flag_duplicates(arts))["late"] == ("early", "exact")


# --------------------------------------------------------- stability, contract


def _mixed_corpus() -> pd.DataFrame:
    texts = {
        "w1": WIRE,
        "w2": WIRE.lower(),
        "w3": replace_words(WIRE, [10]),
        "w4": replace_words(WIRE, [10, 50]),
        "o1": OTHER,
        "o2": "Markets: " + OTHER,
        "s1": SPORT,
        "e1": "",
        "e2": "",
        "x1": replace_words(WIRE, [5, 15, 25, 35, 45, 55, 65, 75, 85, 95]),
    }
    published = ["2025-02-01", None, "2025-01-30", "2025-02-01", None]
    published += ["2024-12-31", "2025-02-02", None, None, "2025-01-01"]
    return table(list(texts), list(texts.values()), published)


def test_result_is_stable_across_row_order():
    arts = _mixed_corpus()
    expected = flags(flag_duplicates(arts))
    assert sum(1 for d, _ in expected.values() if d) == 4  # sanity: duplicates exist
    rng = np.random.default_rng(7)
    for _ in range(5):
        shuffled = arts.iloc[rng.permutation(len(arts))].reset_index(drop=True)
        assert flags(flag_duplicates(shuffled)) == expected


def test_result_does_not_depend_on_index_labels():
    arts = _mixed_corpus()
    relabelled = arts.set_axis([f"r{i}" for i in range(len(arts))][::-1])
    result = flag_duplicates(relabelled)
    assert list(result.index) == list(relabelled.index)
    assert flags(result) == flags(flag_duplicates(arts))


def test_returns_new_table_and_keeps_input_unchanged():
    arts = _mixed_corpus()
    arts["outlet"] = "wire"
    before = arts.copy()
    result = flag_duplicates(arts)
    pd.testing.assert_frame_equal(arts, before)
    assert result is not arts
    assert list(result.columns) == [*arts.columns, "duplicate_of", "duplicate_kind"]
    assert list(result["article_id"]) == list(arts["article_id"])
    assert pd.api.types.is_string_dtype(result["duplicate_of"])
    assert set(result["duplicate_kind"]) <= {"", "exact", "near"}
    # duplicate_of only ever names an original
    originals = set(result.loc[result["duplicate_of"] == "", "article_id"])
    assert set(result["duplicate_of"]) - {""} <= originals


def test_drop_removes_flagged_rows_and_warns_with_count():
    arts = _mixed_corpus()
    flagged = flag_duplicates(arts)
    n_flagged = int((flagged["duplicate_of"] != "").sum())
    with pytest.warns(UserWarning, match=rf"removed {n_flagged} duplicate article\(s\)"):
        kept = flag_duplicates(arts, drop=True)
    assert len(kept) == len(arts) - n_flagged
    assert set(kept["article_id"]) == set(flagged.loc[flagged["duplicate_of"] == "", "article_id"])
    assert kept.attrs["dedup_report"]["n_dropped"] == n_flagged
    assert len(arts) == 10  # input untouched


def test_drop_without_duplicates_does_not_warn():
    arts = table(["a", "b"], [WIRE, OTHER])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kept = flag_duplicates(arts, drop=True)
    assert len(kept) == 2


def test_duplicate_pairs_lists_each_flagged_article_once():
    arts = _mixed_corpus()
    flagged = flag_duplicates(arts)
    pairs = duplicate_pairs(arts)
    assert list(pairs.columns) == ["article_id", "duplicate_of", "jaccard"]
    expected = flagged.loc[flagged["duplicate_of"] != "", ["article_id", "duplicate_of"]]
    got = set(zip(pairs["article_id"], pairs["duplicate_of"], strict=True))
    assert got == set(zip(expected["article_id"], expected["duplicate_of"], strict=True))
    text = dict(zip(arts["article_id"], arts["text"], strict=True))
    for row in pairs.itertuples():
        assert row.jaccard == pytest.approx(
            oracle_jaccard(text[row.article_id], text[row.duplicate_of])
        )
    assert pairs["jaccard"].between(0, 1).all()


def test_empty_table():
    arts = table([], [])
    result = flag_duplicates(arts)
    assert len(result) == 0
    assert list(result.columns) == ["article_id", "text", "duplicate_of", "duplicate_kind"]
    assert duplicate_pairs(arts).empty


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"threshold": 0}, "threshold"),
        ({"threshold": 1.5}, "threshold"),
        ({"num_perm": 1}, "num_perm"),
        ({"shingle": 0}, "shingle"),
    ],
)
def test_bad_parameters_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        flag_duplicates(table(["a"], [WIRE]), **kwargs)


def test_schema_errors_are_clear():
    with pytest.raises(SchemaError, match="repeated: \\['a'\\]"):
        flag_duplicates(table(["a", "a"], [WIRE, OTHER]))
    with pytest.raises(SchemaError, match="column 'text'"):
        flag_duplicates(pd.DataFrame({"article_id": ["a"], "body": [WIRE]}))
    bad_dates = pd.DataFrame({"article_id": ["a"], "text": [WIRE], "published": ["2025-01-01"]})
    with pytest.raises(SchemaError, match=r"pandas\.to_datetime"):
        flag_duplicates(bad_dates)


# -------------------------------------------------- MinHash internals vs oracle


def test_shingle_sets_match_word_tuple_oracle():
    texts = [WIRE, OTHER, SPORT, "Two words", "one", replace_words(WIRE, [3, 40])]
    for a in texts:
        assert _shingle_set(a, 5).size == len(oracle_shingles(a))
        for b in texts:
            assert _jaccard(_shingle_set(a, 5), _shingle_set(b, 5)) == pytest.approx(
                oracle_jaccard(a, b)
            )


UNICODE_TEXTS = [
    "Straße café naïve e\u0301te\u0301 İstanbul ǅemal ΣΊΣΥΦΟΣ",
    "日本語のテキスト 123 ٣٤ x_y __init__ ½ ²",
    "emoji 😀smile, surrogate \ud800 end",
    "",
    "   \n\t ",
    "!!! ---",
    "a",
    "tab\tnew\nline\r\nnbsp\u00a0thin\u2009end",
]


def test_token_hashes_follow_regex_word_tokens():
    hashes, counts = _token_hashes(UNICODE_TEXTS)
    expected = [re.findall(r"\w+", t.casefold()) for t in UNICODE_TEXTS]
    assert counts.tolist() == [len(e) for e in expected]
    flat = [w for e in expected for w in e]
    assert len(hashes) == len(flat)
    # equal tokens hash equally, distinct tokens distinctly
    seen: dict[str, int] = {}
    for token, h in zip(flat, hashes.tolist(), strict=True):
        assert seen.setdefault(token, h) == h
    assert len(set(seen.values())) == len(seen)


def test_very_long_texts_are_cut_without_splitting_tokens(monkeypatch):
    monkeypatch.setattr(shingles_module, "_CHARS_PER_CHUNK", 40)
    long_text = " ".join(f"Word{i}" for i in range(300))
    one_word = "x" * 100  # no place to cut: stays one token
    hashes, counts = _token_hashes([long_text, "short text", one_word, long_text])
    assert counts.tolist() == [300, 2, 1, 300]
    assert np.array_equal(hashes[:300], hashes[303:])
    single, _ = _token_hashes([f"word{i}" for i in range(300)])
    assert np.array_equal(hashes[:300], single)
    # and the duplicate decision is unchanged by the cutting
    edited = long_text.replace("Word150", "changed")
    got = flags(flag_duplicates(table(["a", "b", "c"], [long_text, edited, one_word])))
    assert got == {"a": ("", ""), "b": ("a", "near"), "c": ("", "")}


def test_unicode_texts_dedup_like_the_oracle():
    texts = [*UNICODE_TEXTS, UNICODE_TEXTS[0].upper(), UNICODE_TEXTS[1] + " !"]
    # object dtype: a lone surrogate cannot live in an Arrow-backed str column
    arts = pd.DataFrame(
        {
            "article_id": [f"u{i:02d}" for i in range(len(texts))],
            "text": pd.Series(texts, dtype=object),
        }
    )
    result = flag_duplicates(arts)
    got = flags(result)
    assert got["u08"][0] == "u00"  # casefold makes these the same text
    assert got["u09"] == ("u01", "near")
    _assert_matches_oracle(arts.iloc[[0, 1, 2, 6, 8, 9]], result.iloc[[0, 1, 2, 6, 8, 9]], 0.8)


def test_minhash_estimate_agrees_with_exact_jaccard():
    variants = [replace_words(WIRE, list(range(4, 4 + 7 * m, 7))) for m in (0, 1, 2, 4, 6, 10, 14)]
    variants.append(OTHER)
    num_perm = 256
    sig, has = _signatures(variants, num_perm=num_perm, shingle=5, random_state=3)
    assert has.all()
    assert sig.shape == (len(variants), num_perm)
    for v in variants[1:]:
        exact = oracle_jaccard(WIRE, v)
        i = variants.index(v)
        estimate = float(np.mean(sig[0] == sig[i]))
        sd = np.sqrt(max(exact * (1 - exact), 0.01) / num_perm)
        assert abs(estimate - exact) < 4 * sd, (exact, estimate)
    # identical sets give identical signatures, disjoint sets essentially none
    assert np.array_equal(
        sig[0], _signatures([WIRE.upper()], num_perm=num_perm, shingle=5, random_state=3)[0][0]
    )
    assert np.mean(sig[0] == sig[-1]) < 0.02


def test_signatures_depend_on_seed_and_flag_empty():
    s1, has = _signatures([WIRE, "", "!!"], num_perm=16, shingle=5, random_state=1)
    s2, _ = _signatures([WIRE, "", "!!"], num_perm=16, shingle=5, random_state=2)
    assert has.tolist() == [True, False, False]
    assert not np.array_equal(s1[0], s2[0])


@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.8, 0.9, 0.95])
@pytest.mark.parametrize("num_perm", [64, 128, 256])
def test_band_shape_meets_recall_target(threshold, num_perm):
    bands, rows, p = _band_shape(threshold, num_perm)
    assert bands * rows <= num_perm
    assert p == pytest.approx(1 - (1 - threshold**rows) ** bands)
    assert p >= 0.99
    # one more row per band would fall below the target
    if rows < num_perm:
        b2 = num_perm // (rows + 1)
        assert 1 - (1 - threshold ** (rows + 1)) ** b2 < 0.99


def test_default_band_shape():
    assert _band_shape(0.8, 128)[:2] == (21, 6)


# ------------------------------------------ clusters vs brute-force all pairs


def _oracle_clusters(texts: list[str], threshold: float) -> np.ndarray:
    """Connected components of the graph 'exact Jaccard >= threshold' (all pairs)."""
    vocab: dict[tuple[str, ...], int] = {}
    rows, cols = [], []
    for i, t in enumerate(texts):
        for s in oracle_shingles(t):
            rows.append(i)
            cols.append(vocab.setdefault(s, len(vocab)))
    x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), max(len(vocab), 1)))
    inter = (x @ x.T).toarray()
    size = np.asarray(x.sum(axis=1)).ravel()
    union = size[:, None] + size[None, :] - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        jac = np.where(union > 0, inter / union, 0.0)
    return connected_components(csr_matrix(jac >= threshold), directed=False)[1]


def _assert_matches_oracle(arts: pd.DataFrame, result: pd.DataFrame, threshold: float):
    labels = _oracle_clusters(arts["text"].tolist(), threshold)
    ids = arts["article_id"].tolist()
    pos = {a: i for i, a in enumerate(ids)}
    ours = [pos[d] if d else pos[a] for a, d in zip(ids, result["duplicate_of"], strict=True)]
    # same partition: two articles share our original iff they share an oracle component
    ours_arr = np.array(ours)
    for comp in np.unique(labels):
        members = np.flatnonzero(labels == comp)
        assert len(set(ours_arr[members])) == 1, [ids[m] for m in members]
    for root in np.unique(ours_arr):
        members = np.flatnonzero(ours_arr == root)
        assert len(set(labels[members])) == 1
    # and the original is the earliest member (here: smallest id, no dates)
    for root in np.unique(ours_arr):
        members = np.flatnonzero(ours_arr == root)
        assert ids[root] == min(ids[m] for m in members)


@pytest.mark.parametrize("chars_per_chunk", [None, 300])
def test_clusters_match_brute_force_on_synthetic_corpus(chars_per_chunk, monkeypatch):
    if chars_per_chunk:  # many small chunks: sets built and dropped group by group
        monkeypatch.setattr(shingles_module, "_CHARS_PER_CHUNK", chars_per_chunk)
    rng = np.random.default_rng(11)
    lexicon = sorted(set(words(WIRE + " " + OTHER + " " + SPORT)))
    base = [" ".join(rng.choice(lexicon, size=int(rng.integers(40, 120)))) for _ in range(150)]
    texts = list(base)
    for _ in range(150):
        src = base[int(rng.integers(len(base)))].split()
        n_edit = int(rng.integers(0, 8))
        for p in rng.choice(len(src), size=n_edit, replace=False):
            src[p] = str(rng.choice(lexicon))
        texts.append(" ".join(src))
    ids = [f"d{i:04d}" for i in range(len(texts))]
    arts = table(ids, texts)
    result = flag_duplicates(arts)
    # a mix of flagged copies and copies edited below the threshold
    assert 30 < (result["duplicate_of"] != "").sum() < 130
    _assert_matches_oracle(arts, result, 0.8)


# ------------------------------------------------------------- real shared data


@pytest.mark.shared
def test_bbc_news_duplicates_match_byte_groups_and_brute_force():
    root = SHARED / "bbc-news" / "bbc"
    if not root.is_dir():
        pytest.skip("../shared/data/bbc-news is not available")
    files = sorted(root.glob("*/*.txt"))
    raw = [f.read_bytes() for f in files]
    ids = [f"{f.parent.name}/{f.name}" for f in files]
    arts = table(ids, [b.decode("utf-8", errors="replace") for b in raw])
    result = flag_duplicates(arts)
    # PROVENANCE.md: 98 files are byte-identical copies of another file
    digest = [hashlib.sha256(b).hexdigest() for b in raw]
    first: dict[str, str] = {}
    n_byte_copies = 0
    got = flags(result)
    for a, d in zip(ids, digest, strict=True):
        if d in first:
            n_byte_copies += 1
            original, kind = got[first[d]]
            assert got[a] == (original or first[d], kind or "exact")
        else:
            first[d] = a
    assert n_byte_copies == 98
    report = result.attrs["dedup_report"]
    assert report["n_exact"] >= 98
    assert report["n_near"] > 0
    _assert_matches_oracle(arts, result, 0.8)
