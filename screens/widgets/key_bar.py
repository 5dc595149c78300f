"""A footer line of keys that redraws as text, for screens whose keys change on every action.

Textual's Footer rebuilds all its key widgets whenever the screen's bindings change: on
the calling screen, where almost every key press shows some keys and hides others, that
was tens of ms of UI thread per action (a recompose, two layout passes) and a few
thousand objects for the garbage collector. :class:`KeyBar` shows the same keys, styled
like the compact Footer, as one line of text: a change of keys is a change of text.

A screen with more keys than one line holds (the live floor's fourteen) asks for
``KeyBar(wrap=True)``: the keys break onto as many lines as the width needs, never in the
middle of a key, so every key stays in sight.
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


def key_rows(keys: list[tuple[Binding, str, bool]], width: int) -> list[list[tuple[Binding, str, bool]]]:
    """The keys in rows of at most ``width`` cells, in order, a row breaking only between keys."""
    rows: list[list[tuple[Binding, str, bool]]] = [[]]
    used = 0
    for key in keys:
        cells = Content(f"{key[1]} {key[0].description}").cell_length
        if rows[-1] and used + 1 + cells > width:
            rows.append([])
            used = 0
        used += cells + (1 if rows[-1] else 0)
        rows[-1].append(key)
    return rows


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
    KeyBar.-wrap {
        height: auto;
    }
    """

    def __init__(self, wrap: bool = False) -> None:
        super().__init__(Content(""), classes="-wrap" if wrap else "")
        self.wrap = wrap
        self._spans: list[list[tuple[int, int, str]]] = []
        """Per row, the cells (start, end, key) each enabled key covers."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.show_keys)
        self.show_keys(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def show_keys(self, screen) -> None:
        keys = shown_keys(screen)
        width = self.size.width or self.app.size.width
        rows = [key_line(row) for row in key_rows(keys, width)] if self.wrap else [key_line(keys)]
        self._spans = [spans for _line, spans in rows]
        line = Content("\n").join(line for line, _spans in rows)
        shown = self.content
        if not (isinstance(shown, Content) and shown.is_same(line)):
            # One line, docked: no layout pass needed, unless the rows may have changed.
            self.update(line, layout=self.wrap)

    def on_resize(self) -> None:
        if self.wrap:
            self.show_keys(self.screen)

    def on_click(self, event: events.Click) -> None:
        row = self._spans[event.y] if 0 <= event.y < len(self._spans) else []
        for start, end, key in row:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
