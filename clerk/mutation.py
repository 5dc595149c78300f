"""Named mutations: every state-changing action is one of these.

A mutation has a name, a pydantic model for its JSON arguments and a handler that
changes the tables through a session. The same handler runs on the counter (inside
the local transaction that also writes the outbox row) and on the central store
(when the outbox is pushed), so a handler must take time and ids from its context
and arguments, never from the machine it runs on.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlmodel import Session

from clerk.errors import UserFacingError


class MutationArgs(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class MutationContext:
    client_id: str
    mutation_id: int
    hlc: str
    at: datetime
    """Wall time of the action on the counter that made it."""
    actor_id: str | None
    """Staff member who did it, if anyone is signed in."""


Handler = Callable[[Session, Any, MutationContext], Any]
Rows = Callable[[Any, MutationContext], list[tuple[type, dict[str, Any]]]]
"""The rows an insert-only mutation adds: (table model, attribute values) pairs."""


@dataclass(frozen=True)
class Mutation:
    name: str
    args_model: type[MutationArgs]
    handler: Handler
    roles: frozenset[str] | None = None
    """Staff roles allowed to make it (checked again by the central store); None = any staff."""
    rows: Rows | None = None
    """Set when the mutation's whole effect is inserting these rows (see ``insert_only``):
    the central store may then insert a run of them with one Core statement per table."""
    session_change: bool = False
    """It opens or closes a staff session (clerk.staff.session_handlers): the central store does not
    ask for an open session before it (its handler checks the proof itself) and looks the
    sessions up again after it."""

    def allows(self, role: str | None) -> bool:
        return self.roles is None or role in self.roles


class MutationRefused(UserFacingError):
    """The action is not allowed in the current state (a business refusal, not a fault)."""


class UnknownMutation(UserFacingError):
    pass


REGISTRY: dict[str, Mutation] = {}


def mutation(
    name: str, args_model: type[MutationArgs], roles: Set[str] | None = None, *, session_change: bool = False
) -> Callable[[Handler], Handler]:
    """Register ``handler`` under ``name``; names are part of the sync protocol, never reuse one."""

    def register(handler: Handler) -> Handler:
        roles_set = frozenset(roles) if roles else None
        _register(Mutation(name, args_model, handler, roles_set, session_change=session_change))
        return handler

    return register


def insert_only(
    name: str, args_model: type[MutationArgs], roles: set[str] | None = None
) -> Callable[[Rows], Rows]:
    """Register a mutation whose only effect is to insert the rows ``rows(args, ctx)`` returns.

    The handler is derived from ``rows`` (one ORM object per row), so the ORM path and the
    central store's bulk path (clerk.central.bulk) cannot disagree about what it does.
    """

    def register(rows: Rows) -> Rows:
        def handler(session: Session, args: MutationArgs, ctx: MutationContext) -> None:
            session.add_all(model(**values) for model, values in rows(args, ctx))

        _register(Mutation(name, args_model, handler, frozenset(roles) if roles else None, rows))
        return rows

    return register


def _register(mut: Mutation) -> None:
    if mut.name in REGISTRY:
        raise ValueError(f"mutation {mut.name!r} registered twice")
    REGISTRY[mut.name] = mut


def lookup(name: str) -> Mutation:
    """The registered mutation ``name``; the workflows register theirs at start-up
    (clerk.workflows.install, called by each composition root)."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise UnknownMutation(f"未知的操作：{name}", f"unknown mutation {name!r}") from None


def parse_args(mut: Mutation, args: dict) -> MutationArgs:
    try:
        return mut.args_model.model_validate(args)
    except ValidationError as exc:
        raise MutationRefused(f"操作 {mut.name} 的参数不正确", str(exc)) from exc


def run(session: Session, name: str, args: dict, ctx: MutationContext) -> Any:
    """Apply one mutation through ``session``; the caller owns the transaction."""
    mut = lookup(name)
    return mut.handler(session, parse_args(mut, args), ctx)

