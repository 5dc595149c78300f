"""One module per paper kind (clerk.papers.kinds): the body it prints and its stub's facts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Flowable


@dataclass(frozen=True)
class Layout:
    body: Callable[[Any, Any, Any], list[Flowable]]
    """``body(form, paper, paper.body)``: the paper's own wording, after the applicant grid."""
    stub_facts: Callable[[Any, Any], Sequence[tuple[str, object]]] = lambda form, body: ()
    """What the stub (the office's copy) repeats of the body, label and value."""
    stub_title: str = "存根"
    stub_signer: str = "签收人"
    """Who signs the stub when the applicant does not (the unit a slip goes to)."""


def layout_of(kind: str) -> Layout:
    from printing.papers.kinds import registry

    return registry.LAYOUTS[kind]
