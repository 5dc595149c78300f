"""Two chief representatives (the chief and the deputy) act on one 先批后报 row from two
counters, and the two pushes reach the central store's PostgreSQL at the same moment: one
decision and one report are stored, the other is refused in words.

Each handler reads the row, checks it is still open and writes it; two transactions that
read before either wrote would both pass the check, and the later write would replace the
earlier (a second decision over the first, a second report over the first). The row is read
for update, so the second waits for the first and then sees what it did. The first
transaction is held open here (not committed), so the race happens every run."""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "cases"))

import pytest  # noqa: E402
from harness import waiting_on_a_lock  # noqa: E402
from signoff_centre import PASSWORDS  # noqa: E402
from signoff_helpers import apply_pushed, outbox_rows  # noqa: E402
from test_urgent_report import REPORT, urgent_request  # noqa: E402

from clerk import mutation  # noqa: E402
from clerk.backoffice.service import BackOfficeDesk  # noqa: E402
from clerk.cases import states  # noqa: E402
from clerk.mutation import MutationRefused  # noqa: E402
from clerk.outbox import Workbench  # noqa: E402
from clerk.signoff.service import SignOffDesk  # noqa: E402
from clerk.store.engine import Store  # noqa: E402
from clerk.store.operations import Case, SignOff  # noqa: E402

APPROVE = "情况紧急，同意先行批准"


@pytest.fixture
def pg(central: Store) -> Store:
    if central.is_sqlite:
        pytest.skip("SQLite takes one writer at a time; the race is PostgreSQL's")
    return central



def _race(central: Store, first, second) -> BaseException | None:
    """Run ``first`` in a transaction held open while ``second`` runs in its own; returns what
    ``second`` raised (None when it committed)."""
    held = central.write()
    session = held.__enter__()
    first(session)
    session.flush()
    outcome: list[BaseException | None] = []

    def other() -> None:
        try:
            with central.write() as s:
                second(s)
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - the test looks at what came out
            outcome.append(exc)

    thread = threading.Thread(target=other)
    thread.start()
    assert waiting_on_a_lock(central)  # the second waits for the first's row, however it reads it
    held.__exit__(None, None, None)
    thread.join(30)
    return outcome[0]


def _run(row, actor: str | None = None, args: dict | None = None):
    def run(session) -> None:
        ctx = mutation.MutationContext(client_id=row.client_id, mutation_id=row.mutation_id, hlc=row.hlc,
                                       at=row.created_at, actor_id=actor or row.actor_id)
        mutation.run(session, row.name, args if args is not None else json.loads(row.args), ctx)
    return run


def test_two_reports_of_one_urgent_approval_at_once_one_is_kept(cases, signoff, pg):
    _case_id, so = urgent_request(cases, BackOfficeDesk(cases))
    signoff.decide("k1", PASSWORDS["k1"], so, "approved", APPROVE)
    signoff.report("k1", so, REPORT)
    *earlier, report = outbox_rows(signoff.store)
    for row in earlier:
        apply_pushed(pg, row)
    deputy = {"sign_off_id": so, "report": "副首席代为报告：因申请人须于次日参加招标，依授权先行批准"}
    outcome = _race(pg, _run(report), _run(report, actor="k2", args=deputy))
    assert isinstance(outcome, MutationRefused) and "已经报告过" in outcome.message, outcome
    with pg.session() as s:
        row = s.get(SignOff, so)
        assert (row.reported_by, row.report) == ("k1", REPORT)


def test_the_chief_and_the_deputy_approving_one_request_at_once_one_decision_is_kept(cases, signoff, pg, store,
                                                                                      tmp_path):
    _case_id, so = urgent_request(cases, BackOfficeDesk(cases))
    deputy_store = _copy(store, tmp_path / "deputy.sqlite3")  # the deputy's counter holds the same request
    deputy = SignOffDesk(Workbench(deputy_store, signoff.clock), deputy_store, signoff.clock, signoff.centre_code,
                         None)
    signoff.decide("k1", PASSWORDS["k1"], so, "approved", APPROVE)
    deputy.decide("k2", PASSWORDS["k2"], so, "approved", "急需办理，代首席同意先行批准")
    *earlier, mine = outbox_rows(store)
    theirs = outbox_rows(deputy_store)[-1]
    deputy_store.dispose()
    for row in earlier:
        apply_pushed(pg, row)
    outcome = _race(pg, _run(mine), _run(theirs))
    assert isinstance(outcome, MutationRefused) and "不能再次签批" in outcome.message, outcome
    with pg.session() as s:
        assert s.get(SignOff, so).decided_by == "k1"


def _copy(store: Store, path: Path) -> Store:
    source = store.engine.url.database
    with sqlite3.connect(source) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    return Store.sqlite(path)


def test_the_applicant_withdrawing_while_the_chief_approves_one_of_them_is_refused(cases, signoff, pg, store,
                                                                                     tmp_path):
    """The clerk registers the applicant's written withdrawal at the window while the chief
    approves at theirs: both saw the case waiting, one push must find it moved. Else the case
    is 申请人撤回 with a chief's grant on it and a report owed, or granted with the withdrawal
    lost."""
    case_id, so = urgent_request(cases, BackOfficeDesk(cases))
    clerk_store = _copy(store, tmp_path / "clerk.sqlite3")
    clerk_cases = type(cases)(Workbench(clerk_store, signoff.clock), clerk_store, signoff.clock, cases.centre_code,
                              None)
    signoff.decide("k1", PASSWORDS["k1"], so, "approved", APPROVE)
    version = clerk_cases.case(case_id).version
    BackOfficeDesk(clerk_cases).applicant_withdraw("c1", case_id, version, "申请人书面申请撤回")
    *earlier, approval = outbox_rows(store)
    withdrawal = outbox_rows(clerk_store)[-1]
    clerk_store.dispose()
    for row in earlier:
        apply_pushed(pg, row)
    outcome = _race(pg, _run(approval), _run(withdrawal))
    assert isinstance(outcome, MutationRefused) and "其他工作人员更新" in outcome.message, outcome
    with pg.session() as s:
        assert s.get(Case, case_id).status == states.READY
