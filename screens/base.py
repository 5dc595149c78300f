"""What every workstation screen shares: access to the Desk and one way back from workers.

Blocking calls (database, argon2) run in ``@work(thread=True)`` methods that simply
return their result. Textual reports the outcome with a ``Worker.StateChanged``
message on the UI thread, and :class:`DeskScreen` routes it by the worker's name:

* success            → ``<name>_done(result)`` on the screen, if defined;
* a UserFacingError  → ``<name>_refused(error)`` if defined (an expected refusal,
  shown in place, e.g. a wrong password);
* anything else      → :meth:`DeskScreen.worker_failed`, which hands it to
  :meth:`ClerkApp.report_error`, the one error handler.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen
from textual.worker import Worker, WorkerState

from clerk.errors import UserFacingError

if TYPE_CHECKING:
    from clerk.desk import Desk
    from screens.app import ClerkApp


class DeskScreen(Screen):
    """A screen whose blocking work runs in thread workers (see the module docstring)."""

    @property
    def clerk_app(self) -> ClerkApp:
        return cast("ClerkApp", self.app)

    @property
    def desk(self) -> Desk:
        return self.clerk_app.desk

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Subclasses must not define this handler too: Textual calls the handlers of
        # every class in the MRO, so results would be delivered twice. Use the hooks.
        worker = event.worker
        if event.state == WorkerState.SUCCESS:
            done = getattr(self, f"{worker.name}_done", None)
            if done is not None:
                done(worker.result)
        elif event.state == WorkerState.ERROR and worker.error is not None:
            refused = getattr(self, f"{worker.name}_refused", None)
            if refused is not None and isinstance(worker.error, UserFacingError):
                refused(worker.error)
            else:
                self.worker_failed(worker.name, worker.error)

    def worker_failed(self, name: str, error: BaseException) -> None:
        """An unexpected failure (or an unhandled refusal): the app's one error handler."""
        self.clerk_app.report_error(error)
