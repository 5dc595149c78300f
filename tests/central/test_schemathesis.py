"""schemathesis against the served OpenAPI document: generated (also invalid) requests never
cause a server error, and every response matches the documented status codes and schemas."""

from __future__ import annotations

import pytest
import schemathesis
from harness import migrated_copy, seed_hall
from hypothesis import HealthCheck, settings
from sqlalchemy import func, select

from clerk.central import devices, state
from clerk.central.app import create_app
from clerk.clock import SystemClock
from clerk.ids import new_id
from clerk.store.central_tables import PushReceipt
from clerk.store.schema import SCHEMA_VERSION


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory, template):
    store = migrated_copy(template, tmp_path_factory.mktemp("st") / "central.sqlite3")
    state.ensure_state(store)
    seed_hall(store)
    app = create_app(store)
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        code = devices.make_enrol_code(store, SystemClock(), "c1")
        body = client.post("/api/v1/enrol", json={"code": code, "client_id": new_id(), "schema_version": SCHEMA_VERSION}).json()
    yield app, store, {"Authorization": f"Bearer {body['device_id']}.{body['secret']}"}
    store.dispose()


@pytest.fixture(scope="module")
def api_schema(fuzzed):
    app, _store, _auth = fuzzed
    return schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_matches_its_openapi_document(case, fuzzed):
    _app, _store, auth = fuzzed
    # With a real credential the generated bodies reach validation and business checks;
    # a case whose headers are deliberately wrong keeps them as generated.
    from schemathesis.core.parameters import ParameterLocation

    negative_header = case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)
    headers = None if negative_header else auth
    case.call_and_validate(headers=headers, excluded_checks=[schemathesis.checks.positive_data_acceptance])


def test_fuzzing_stored_no_mutation_for_a_client_that_was_never_pushed(fuzzed):
    """Generated client ids never match the enrolled one, so nothing may have been applied."""
    _app, store, _auth = fuzzed
    with store.session() as s:
        assert s.execute(select(func.count()).select_from(PushReceipt)).scalar_one() == 0
