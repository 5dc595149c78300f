"""Pick the item of a new case with the catalogue search: Enter takes the highlighted item."""

from __future__ import annotations

from screens.catalogue.search import CatalogueScreen


class ItemPicker(CatalogueScreen):
    """The catalogue search, but Enter returns the item's code instead of opening its guide."""

    SUB_TITLE = "收件：选择办理事项"

    def action_open(self) -> None:
        table = self.query_one("#results")
        if self._items and 0 <= table.cursor_row < len(self._items):
            self.dismiss(self._items[table.cursor_row].code)

    def action_back(self) -> None:
        self.dismiss(None)
