"""Streams in batches: what every stage that reads or writes many documents is built on."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of `size` items (the last one shorter), read lazily."""
    it = iter(items)
    while batch := list(islice(it, max(1, size))):
        yield batch
