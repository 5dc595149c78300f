"""A refusal request and the chief's decision across the hall, through a real `clerk serve`.

Two counters of the demo county centre on their own SQLite files, each with its sync agent
running as on a real counter (rounds every 30 s, the /wait listener on). The clerk at
counter A files a 不予受理 request; the chief at counter B signs the decision. Measured, for
each of N cases: from the request's local commit at A to the request in B's store (what the
chief's queue reads), and from the decision's local commit at B to the decision in A's
store (what the clerk's screen reads). Beside them, the bare floor: one HTTP round trip
to the same server (/health).

Targets (issue: the case to its end): decision to the clerk's screen median under 1 s,
p95 under 2 s.
Run: python bench/decision_latency.py [N]   (default 30; on SQLite)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
from _sync_common import start_server  # noqa: E402
from sqlmodel import select  # noqa: E402

from clerk.cases.desk import CaseDesk  # noqa: E402
from clerk.central import devices, state  # noqa: E402
from clerk.central.reference import publish_fixtures  # noqa: E402
from clerk.clock import SystemClock  # noqa: E402
from clerk.config import Settings  # noqa: E402
from clerk.fixtures import load_fixtures  # noqa: E402
from clerk.outbox import Workbench  # noqa: E402
from clerk.signoff.service import SignOffDesk  # noqa: E402
from clerk.staff.auth import sign_in  # noqa: E402
from clerk.staff.sessions import open_session  # noqa: E402
from clerk.store import migrate  # noqa: E402
from clerk.store.engine import Store  # noqa: E402
from clerk.store.operations import SignOff  # noqa: E402
from clerk.sync.agent import AgentSettings, SyncAgent  # noqa: E402
from clerk.sync.client import CentralClient  # noqa: E402
from clerk.sync.enrol import enrol  # noqa: E402

CENTRE, PASSWORD = "demo-county", "demo1234"
PERSON = {"kind": "person", "name": "张三", "id_number": "11010519491231002X", "phone": "13800138000"}


class Counter:
    def __init__(self, path: Path, central: Store, base: str, name: str, username: str) -> None:
        self.clock = SystemClock()
        self.store = Store.sqlite(path)
        migrate.upgrade(self.store)
        self.bench = Workbench(self.store, self.clock)
        client = CentralClient(base, http=httpx.Client(timeout=40))
        enrol(self.store, client, devices.make_enrol_code(central, self.clock, CENTRE), name)
        self.agent = SyncAgent(self.store, self.clock, client, AgentSettings())
        self.agent.sync_once()  # the reference data
        self.staff = open_session(self.bench, sign_in(self.store, self.clock, username, PASSWORD, 5, 15))
        self.agent.sync_once()
        self.agent.start()


def _until(store: Store, sign_off_id: str | None, decided: bool, case_id: str = "") -> float:
    while True:
        with store.session() as s:
            if sign_off_id is None:
                row = s.exec(select(SignOff).where(SignOff.case_id == case_id)).first()
            else:
                row = s.get(SignOff, sign_off_id)
            if row is not None and (row.decision is not None) == decided:
                return time.perf_counter()
        time.sleep(0.01)


def _figures(label: str, values: list[float], target: str = "") -> None:
    p95 = statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values)
    print(f"  {label:<34} median {statistics.median(values) * 1000:7.0f} ms   p95 {p95 * 1000:7.0f} ms"
          f"   max {max(values) * 1000:7.0f} ms  {target}")


def main(n: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="decision-"))
    url = f"sqlite:///{tmp / 'central.sqlite3'}"
    central = Store.url(url)
    state.prepare(central)
    publish_fixtures(central, load_fixtures(Settings().fixtures_path()))
    proc, base = start_server(url)
    try:
        a = Counter(tmp / "a.sqlite3", central, base, "1号窗口", "clerk01")
        b = Counter(tmp / "b.sqlite3", central, base, "首席代表", "chief_scjg")
        cases = CaseDesk(a.bench, a.store, a.clock, CENTRE, None)
        chief = SignOffDesk(b.bench, b.store, b.clock, CENTRE, None)
        requests, decisions = [], []
        for _ in range(n):
            case = cases.open_case(a.staff.staff_id, "SCJG-XK-001", PERSON)
            cases.decide(a.staff.staff_id, case.id, case.version, "request_refusal", reason="经营场所位于禁止区域",
                         legal_basis="《中华人民共和国行政许可法》第三十二条第一款第（三）项", print_papers=False)
            asked = time.perf_counter()
            requests.append(_until(b.store, None, False, case.id) - asked)
            [line] = [ln for ln in chief.queue(b.staff.staff_id).lines if ln.case_id == case.id]
            chief.decide(b.staff.staff_id, PASSWORD, line.id, "approved", "同意不予受理", print_papers=False)
            signed = time.perf_counter()
            decisions.append(_until(a.store, line.id, True) - signed)
        rtt = []
        with httpx.Client() as http:
            for _ in range(50):
                t = time.perf_counter()
                http.get(base + "/api/v1/health")
                rtt.append(time.perf_counter() - t)
        print(f"decision latency, {n} cases, SQLite central store, real `clerk serve`:")
        _figures("request → the chief's store", requests)
        _figures("decision → the clerk's store", decisions, "(target: median < 1000, p95 < 2000)")
        _figures("bare: one HTTP round trip", rtt)
        print(f"  decision median / bare round trip: {statistics.median(decisions) / statistics.median(rtt):.0f}×")
        for c in (a, b):
            c.agent.stop()
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
