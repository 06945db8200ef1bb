"""The OpenAPI document against the live app: schemathesis sends every documented
parameter in shapes the document allows and checks every answer against it."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# Not positive_data_acceptance: a date the pattern allows may still not exist
# ("1950-02-30") and "from" after "to" is refused; both are documented 400s that a
# schema cannot express.
CONTRACT = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def api_schema(live_server):
    return schemathesis.openapi.from_url(f"{live_server}/api/openapi.json")


# Each operation's strategy driven by Hypothesis directly (schemathesis's pytest plugin
# uses pytest internals that pytest 9 no longer has).
@pytest.mark.parametrize(
    "operation_id", ["search", "searchPost", "record", "export", "cite", "people", "person"]
)
def test_the_api_keeps_its_documented_contract(api_schema, operation_id):
    operation = api_schema.find_operation_by_id(operation_id)

    @given(case=operation.as_strategy())
    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(checks=CONTRACT)

    check()


def test_the_document_describes_the_search_and_record_endpoints(api_schema):
    operations = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert operations == {
        ("GET", "/api/search"),
        ("POST", "/api/search"),
        ("GET", "/api/records/{record_id}"),
        ("GET", "/api/records/{record_id}/cite"),
        ("GET", "/api/people"),
        ("GET", "/api/people/{slug}"),
        ("GET", "/api/export"),
    }
