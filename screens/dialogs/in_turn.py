"""Several dialogs one after another, each answer kept under its key.

A step sees the answers so far and returns ``(key, dialog)``, or None to be skipped (a
legal basis asked only for a denial). Esc at any step ends the whole sequence: ``done``
is never called, so nothing is stored. Callbacks rather than an awaiting worker, so no
worker waits on a person.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.app import App
from textual.screen import ModalScreen

Step = Callable[[dict], "tuple[str, ModalScreen] | None"]


def ask_in_turn(app: App, steps: Sequence[Step], done: Callable[[dict], None], answers: dict | None = None) -> None:
    answers = {} if answers is None else answers
    for i, step in enumerate(steps):
        asked = step(answers)
        if asked is None:
            continue
        key, dialog = asked

        def answered(value, key=key, rest=steps[i + 1:]) -> None:
            if value is None:
                return
            answers[key] = value
            ask_in_turn(app, rest, done, answers)

        app.push_screen(dialog, answered)
        return
    done(answers)
