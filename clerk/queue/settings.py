"""Which CallingPolicy a centre uses, for mutation handlers that need its limits.

The application (counter or central store) installs a provider built from its config at
start-up; until then every centre gets the defaults. Counter and central store must be
configured alike, or the central store may refuse what a counter allowed (a visible
conflict, never a silent difference).
"""

from __future__ import annotations

from collections.abc import Callable

from clerk.config import Settings
from clerk.queue.policy import CallingPolicy

PolicyProvider = Callable[[str], CallingPolicy]

_DEFAULT = CallingPolicy()
_provider: PolicyProvider = lambda _centre: _DEFAULT  # noqa: E731


def configure(provider: PolicyProvider | None) -> None:
    """Install ``provider`` (centre code → policy); None restores the defaults."""
    global _provider
    _provider = provider or (lambda _centre: _DEFAULT)


def configure_from(settings: Settings) -> None:
    """Install the ``[queue]`` settings: defaults plus ``[queue.centre.<code>]`` changes."""
    queue = settings.queue
    configure(lambda centre: CallingPolicy(**queue.for_centre(centre).model_dump()))


def policy_for(centre_code: str) -> CallingPolicy:
    """The calling policy of ``centre_code``."""
    return _provider(centre_code)
