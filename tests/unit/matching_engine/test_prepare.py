"""The input's indexing (prepare.py): the id order and the two ways of reading host ranks."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.matching_engine import MatchingInput
from backend.matching_engine.prepare import _id_order, entry_ranks, prepare
from tests.unit.matching_engine.support import instances
from tests.unit.matching_engine.test_rounds import in_list_order

ASCII = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=127), max_size=12)


def python_order(ids: list[str]) -> list[int]:
    return sorted(range(len(ids)), key=ids.__getitem__)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(ASCII, st.text(max_size=12)), unique=True, max_size=30))
def test_the_id_order_is_pythons_whatever_the_ids(ids: list[str]) -> None:
    assert _id_order(ids, "applicant").tolist() == python_order(ids)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="\x00ab\x7f", min_size=10, max_size=10), unique=True, max_size=40))
def test_ids_of_one_length_keep_pythons_order(ids: list[str]) -> None:
    assert _id_order(ids, "applicant").tolist() == python_order(ids)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "a\x00", "ab", "ab\x00c", "\x00", "", "zzzzzzzz", "zzzzzzzzz"]), unique=True))
def test_short_ids_and_nul_characters_keep_pythons_order(ids: list[str]) -> None:
    assert _id_order(ids, "applicant").tolist() == python_order(ids)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["abcdefgh", "abcdefgi", "zzzzzzzz"]), min_size=1, max_size=3), st.randoms())
def test_a_few_ids_sharing_their_first_8_characters_are_put_in_order(suffixes: list[str], rng: random.Random) -> None:
    ids = [f"{i:08x}-rest" for i in range(200)] + [s + f"-{k}" for k, s in enumerate(suffixes)]
    rng.shuffle(ids)
    assert _id_order(ids, "applicant").tolist() == python_order(ids)


@pytest.mark.parametrize("ids", [["x", "y", "x"], [f"{i:08x}" for i in range(300)] + ["0000000a"], ["é", "é"]])
def test_repeated_ids_are_refused(ids: list[str]) -> None:
    with pytest.raises(ValueError, match="applicant ids must be unique"):
        _id_order(ids, "applicant")


def test_uuids_and_ids_sharing_their_first_characters() -> None:
    uuids = [str(uuid.UUID(int=(i * 2654435761) % (1 << 128), version=4)) for i in range(2000)]
    assert _id_order(uuids, "applicant").tolist() == python_order(uuids)
    shared = [f"applicant-{i:06}" for i in range(2000, 0, -1)]  # every prefix of 8 characters is the same
    assert _id_order(shared, "applicant").tolist() == python_order(shared)


@settings(max_examples=300, deadline=None)
@given(instances(max_applicants=8, max_offers=5, ties=True, host_ranks_all=True))
def test_ranks_in_list_order_are_read_in_bulk_with_the_same_values(data: MatchingInput) -> None:
    listed = in_list_order(data)
    ordered = prepare(listed)
    assert ordered.aligned
    reversed_ranks = [replace(a, host_ranks=dict(reversed(list(a.host_ranks.items())))) for a in listed.applicants]
    other = prepare(replace(listed, applicants=reversed_ranks))
    assert other.aligned == all(len(a.preferences) <= 1 for a in data.applicants)
    read_in_bulk, looked_up = entry_ranks(ordered), entry_ranks(other)
    assert read_in_bulk is not None and looked_up is not None
    assert read_in_bulk.tolist() == looked_up.tolist()
