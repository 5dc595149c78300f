"""Pick the item of a new case with the catalogue search: Enter takes the highlighted item."""

from __future__ import annotations

from screens.catalogue.results import ResultList
from screens.catalogue.search import CatalogueScreen


class ItemPicker(CatalogueScreen):
    """The catalogue search, but Enter returns the item's code instead of opening its guide."""

    SUB_TITLE = "收件：选择办理事项"

    def action_open(self) -> None:
        item = self.query_one(ResultList).highlighted
        if item is not None:
            self.dismiss(item.code)

    def action_back(self) -> None:
        self.dismiss(None)
