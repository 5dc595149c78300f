"""The one key that opens a case, from the calling screen (for the served ticket) or from
home (a visitor without a ticket): pick the item, record the applicant, then the case's
checklist. Kept here so that the calling and home screens each add one binding only."""

from __future__ import annotations

from dataclasses import dataclass

from textual.screen import Screen

from clerk.staff.auth import SignedIn


@dataclass(frozen=True)
class Intake:
    staff: SignedIn
    window_id: str | None
    ticket_id: str | None = None
    ticket_number: str = ""
    channel: str = "window"


def start_intake(screen: Screen, intake: Intake) -> None:
    """Item → applicant (which opens the case) → checklist; Esc at each step stores nothing."""
    from screens.cases.applicant_form import ApplicantForm
    from screens.cases.item_picker import ItemPicker

    app = screen.app

    def item_chosen(code: str | None) -> None:
        if code is not None:
            guide = app.desk.guide(code)
            app.push_screen(ApplicantForm(intake, code, guide.name if guide else code))

    app.push_screen(ItemPicker(), item_chosen)


def open_cases(screen: Screen, staff: SignedIn) -> None:
    from screens.cases.open_cases import OpenCasesScreen

    screen.app.push_screen(OpenCasesScreen(staff))
