"""The compact string store behind the articles and units text columns."""

import numpy as np
import pandas as pd
import pytest

from framing._strings import STR_DTYPE, StringBlocks, release_free_memory, repeated_array

VALUES = ["Talks stalled.", "", "Déjà vu in Genève", "emoji 😀 end", "x" * 40, "", "Київ"]


def stored(values, index=None):
    store = StringBlocks()
    store.extend(values)
    return store.to_series(index)


@pytest.mark.parametrize("block_chars", [1, 7, 16, 1 << 20])
def test_round_trip_across_block_boundaries(block_chars):
    store = StringBlocks(block_chars=block_chars)
    assert [store.append(v) for v in VALUES] == list(range(len(VALUES)))
    assert len(store) == len(VALUES)
    array = store.to_array()
    assert array.dtype == STR_DTYPE
    assert array.tolist() == VALUES
    # one contiguous chunk whatever the number of blocks
    assert array._pa_array.num_chunks == 1
    assert len(store) == 0  # the store hands its text over


def test_take_keeps_positions_in_order():
    store = StringBlocks(block_chars=5)
    store.extend(VALUES)
    assert store.to_array(take=[6, 0, 2]).tolist() == ["Київ", "Talks stalled.", VALUES[2]]


def test_identity_take_and_empty_store():
    store = StringBlocks()
    store.extend(["a", "b"])
    assert store.to_array(take=np.arange(2)).tolist() == ["a", "b"]
    empty = StringBlocks().to_array()
    assert len(empty) == 0 and empty.dtype == STR_DTYPE


def test_unpaired_surrogates_become_replacement_characters_and_are_counted():
    store = StringBlocks()
    store.extend(["fine", "bad \ud800 here", "pair \U0001f600 kept"])
    assert store.to_array().tolist() == ["fine", "bad \ufffd here", "pair \U0001f600 kept"]
    assert store.n_replaced == 1 and store.replaced == [1]


def test_pandas_operations_on_the_result():
    series = stored(VALUES, index=pd.RangeIndex(len(VALUES)))
    assert series.dtype == "str"
    assert series.take([2, 0]).tolist() == [VALUES[2], VALUES[0]]
    assert series.str.len().tolist() == [len(v) for v in VALUES]
    assert series.sort_values().tolist() == sorted(VALUES)
    assert (series == "").sum() == 2


def test_release_free_memory_is_safe_to_call():
    before = stored(["kept"])
    release_free_memory()
    assert before.tolist() == ["kept"]


def test_many_short_strings_are_flushed_by_count_and_offsets_run_on():
    # more strings than one block holds by count, far fewer characters than by size
    n = (1 << 14) * 2 + 5
    store = StringBlocks()
    store.extend(f"id{i}" for i in range(n))
    assert len(store._blocks) == 2  # flushed by count, the rest still pending
    array = store.to_array()
    assert array.tolist() == [f"id{i}" for i in range(n)]
    assert array._pa_array.num_chunks == 1


@pytest.mark.parametrize(("value", "size"), [("sentence", 3), ("", 4), ("Київ", 2), ("x", 0)])
def test_repeated_array(value, size):
    array = repeated_array(value, size)
    assert array.dtype == STR_DTYPE
    assert array.tolist() == [value] * size
    assert (pd.Series(array) == value).all()
