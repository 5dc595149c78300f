"""A footer line of keys that redraws as text, for screens whose keys change on every action.

Textual's Footer rebuilds all its key widgets whenever the screen's bindings change: on
the calling screen, where almost every key press shows some keys and hides others, that
was tens of ms of UI thread per action (a recompose, two layout passes) and a few
thousand objects for the garbage collector. :class:`KeyBar` shows the same keys, styled
like the compact Footer, as one line of text: a change of keys is a change of text.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

KEY_STYLE = "bold $footer-key-foreground on $footer-key-background"
DESCRIPTION_STYLE = "$footer-description-foreground on $footer-description-background"


def shown_keys(screen) -> list[tuple[Binding, str, bool]]:
    """The keys the Footer would show: bindings with a description that check_action does
    not hide, one per action, with the key as the app displays it and whether it is enabled
    (check_action said None: shown dimmed)."""
    seen: set[str] = set()
    keys = []
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.show and binding.action not in seen:
            seen.add(binding.action)
            keys.append((binding, screen.app.get_key_display(binding), active.enabled))
    return keys


def key_line(keys: list[tuple[Binding, str, bool]]) -> tuple[Content, list[tuple[int, int, str]]]:
    """The line of keys, and the cells (start, end, key) each enabled one covers, for clicks."""
    parts: list[tuple[str, str] | str] = []
    spans, x = [], 0
    for binding, display, enabled in keys:
        label = f" {binding.description}"
        dim = "" if enabled else " dim"
        parts += [" "] if parts else []  # the compact Footer's margin between keys
        parts += [(display, KEY_STYLE + dim), (label, DESCRIPTION_STYLE + dim)]
        width = Content(display + label).cell_length
        if enabled:
            spans.append((x, x + width, binding.key))
        x += width + 1
    return Content.assemble(*parts), spans


class KeyBar(Static):
    """The screen's keys on one line at the bottom, updated as text when they change."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    """

    def __init__(self) -> None:
        super().__init__(Content(""))
        self._spans: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.show_keys)
        self.show_keys(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def show_keys(self, screen) -> None:
        line, self._spans = key_line(shown_keys(screen))
        shown = self.content
        if not (isinstance(shown, Content) and shown.is_same(line)):
            self.update(line, layout=False)  # one line, docked: no layout pass needed

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
