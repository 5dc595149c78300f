"""Hybrid logical clock stamps: ordered like wall time, but never backwards on one counter.

A stamp is ``<millis:013d>-<counter:05d>-<node>``, so stamps sort as strings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Stamp:
    millis: int
    counter: int
    node: str

    def __str__(self) -> str:
        return f"{self.millis:013d}-{self.counter:05d}-{self.node}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        millis, counter, node = text.split("-", 2)
        return cls(int(millis), int(counter), node)


def tick(last: Stamp | None, wall_millis: int, node: str) -> Stamp:
    """The stamp of a local event after ``last``."""
    if last is None or wall_millis > last.millis:
        return Stamp(wall_millis, 0, node)
    return Stamp(last.millis, last.counter + 1, node)


def receive(last: Stamp | None, remote: Stamp, wall_millis: int, node: str) -> Stamp:
    """The stamp after seeing ``remote``, so later local events sort after it."""
    top = max(wall_millis, remote.millis, last.millis if last else 0)
    if last and top == last.millis and top == remote.millis:
        counter = max(last.counter, remote.counter) + 1
    elif last and top == last.millis:
        counter = last.counter + 1
    elif top == remote.millis:
        counter = remote.counter + 1
    else:
        counter = 0
    return Stamp(top, counter, node)
