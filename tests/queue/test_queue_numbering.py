"""Number bands: short numbers, restarting per day, never colliding between stores."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clerk.mutation import MutationRefused
from clerk.queue.numbering import (
    CENTRAL_BAND,
    OFFLINE_BANDS,
    band,
    band_of,
    format_number,
    next_in_band,
)

ALL = (CENTRAL_BAND, *OFFLINE_BANDS)


def test_bands_and_display():
    assert format_number("A", next_in_band(0, None)) == "A001"
    assert format_number("A", next_in_band(1, None)) == "A601"
    assert format_number("B", next_in_band(4, None)) == "B901"
    assert next_in_band(0, 599) == 1000 and format_number("A", 1000) == "A1000"
    assert next_in_band(2, 799) == 7000 and format_number("A", 7000) == "A7000"


def test_exhausted_band_is_refused():
    with pytest.raises(MutationRefused):
        next_in_band(3, 8999)
    with pytest.raises(ValueError):
        next_in_band(1, 5)  # a number from another band


def test_bands_are_disjoint():
    seen: dict[int, int] = {}
    for index in ALL:
        b = band(index)
        for seq in (*b.main, *b.overflow):
            assert seen.setdefault(seq, index) == index
            assert band_of(seq) == index


@given(st.lists(st.sampled_from(ALL), max_size=300))
def test_interleaved_issuing_never_collides(order):
    last: dict[int, int | None] = dict.fromkeys(ALL)
    numbers = []
    for index in order:
        last[index] = next_in_band(index, last[index])
        numbers.append(format_number("A", last[index]))
    assert len(numbers) == len(set(numbers))
    assert all(len(n) <= 5 for n in numbers)
