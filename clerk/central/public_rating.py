"""Rating a case from its public page: the posted form goes through ``rating.give``, anonymous.

The visitor is nobody the store knows: the rating is stored with the source ``public`` and
no name, phone or address (the client address only feeds the in-memory limit of
clerk.central.limits and is never written). It is applied by the same handler and checks as
a counter's rating, inside a change capture, so the handler's counter receives the rating
and a bad review's rectification by its normal pull. A refusal rolls the whole write back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from clerk import mutation
from clerk.central.capture import captured
from clerk.central.rating_form import Entered
from clerk.clock import Clock
from clerk.ids import new_id
from clerk.ledgers import ratings
from clerk.ledgers.reasons import BAD_GRADES
from clerk.mutation import MutationContext, MutationRefused
from clerk.store.engine import Store
from clerk.store.ledger_tables import Rating
from clerk.store.operations import Case

MAX_FORM_BYTES = 8 * 1024
"""150 characters and a few reason codes, form-encoded, are well under 2 KB."""
FORM_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PUBLIC_CLIENT = "central:public-page"
"""The context's client id: no counter made it (ledger step ids derive from it)."""


@dataclass(frozen=True)
class Outcome:
    status: int
    """303 stored (or stored before under this form id), 404, 409 the case's state, 422 the input."""
    message: str = ""


class _Refusal(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.outcome = Outcome(status, message)


def find_case(session: Session, token: str) -> Case | None:
    if not token or len(token) > 64:
        return None
    return session.exec(select(Case).where(Case.public_token == token)).first()


def parse(body: bytes) -> Entered | None:
    """The posted fields, or None when the body is no form of ours."""
    if len(body) > MAX_FORM_BYTES:
        return None
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=64)
    except (UnicodeDecodeError, ValueError):
        return None
    raw = _first(fields, "grade")
    grade = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 3 else 0
    form_id = _first(fields, "form_id")
    # A textarea sends its line breaks as CRLF; the browser counted each as one character.
    text = _first(fields, "text").replace("\r\n", "\n")
    return Entered(grade=grade, reasons=tuple(dict.fromkeys(fields.get(f"reason-{grade}", []))), text=text,
                   form_id=form_id if FORM_ID.fullmatch(form_id) else "")


def _first(fields: dict[str, list[str]], name: str) -> str:
    return (fields.get(name) or [""])[0]


def submit(store: Store, clock: Clock, token: str, entered: Entered) -> Outcome:
    """Store the rating of the case ``token`` as ``entered``, or say why not."""
    for attempt in (1, 2):
        try:
            with store.write() as session:
                _write(session, clock, token, entered)
            return Outcome(303)
        except _Refusal as refusal:
            return refusal.outcome
        except IntegrityError:
            # Two posts for one case at once (PostgreSQL): the second to commit fails on the
            # case's one rating; run again, it is answered as already rated.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _write(session: Session, clock: Clock, token: str, entered: Entered) -> None:
    case = find_case(session, token)
    if case is None:
        raise _Refusal(404, "未找到")
    if entered.form_id and _stored(session, entered.form_id, case.id):
        return  # the same filling-in sent again (a reload, a double click): one rating
    if (refusal := ratings.case_refusal(session, case)) is not None:
        raise _Refusal(409, refusal)
    args = {"id": entered.form_id or new_id(), "case_id": case.id, "source": "public", "grade": entered.grade,
            "reasons": list(entered.reasons), "text": entered.text,
            "rectification_id": new_id() if entered.grade in BAD_GRADES else None}
    try:
        ratings.check(ratings.RateArgs.model_validate(args))
    except MutationRefused as exc:
        raise _Refusal(422, exc.message) from exc
    ctx = MutationContext(client_id=PUBLIC_CLIENT, mutation_id=0, hlc="", at=clock.now(), actor_id=None)
    try:
        with captured(session, case.centre_code):
            mutation.run(session, "rating.give", args, ctx)
    except MutationRefused as exc:
        raise _Refusal(409, exc.message) from exc


def _stored(session: Session, rating_id: str, case_id: str) -> bool:
    rating = session.get(Rating, rating_id)
    return rating is not None and rating.case_ref == case_id
