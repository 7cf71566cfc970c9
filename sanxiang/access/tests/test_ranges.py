from __future__ import annotations

import pytest

from sanxiang.access.ranges import RangeNotSatisfiableError, byte_range


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("bytes=0-99", (0, 100)),
        ("bytes=100-", (100, 1000)),
        ("bytes=-50", (950, 1000)),
        ("bytes=-5000", (0, 1000)),
        ("bytes=990-5000", (990, 1000)),
        ("bytes=999-999", (999, 1000)),
        ("BYTES = 10 - 19", (10, 20)),
        ("bytes=0-9,20-29", None),  # several ranges: the whole file
        ("bytes=50-10", None),  # malformed: ignored
        ("items=0-9", None),
        ("bytes=-", None),
    ],
)
def test_a_range_header_gives_the_bytes_to_send(header: str | None, expected: tuple[int, int] | None) -> None:
    assert byte_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5000-6000", "bytes=-0"])
def test_a_range_outside_the_file_cannot_be_satisfied(header: str) -> None:
    with pytest.raises(RangeNotSatisfiableError):
        byte_range(header, 1000)


def test_no_range_of_an_empty_file_can_be_satisfied() -> None:
    with pytest.raises(RangeNotSatisfiableError):
        byte_range("bytes=-10", 0)
    assert byte_range(None, 0) is None
