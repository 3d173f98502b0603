"""A bounded fuzz pass over the API from its own OpenAPI document: no request may get a 5xx."""

from __future__ import annotations

import pytest

from madoguchi.client.local_server import HallServerProcess

schemathesis = pytest.importorskip("schemathesis")


def test_openapi_fuzz_has_no_server_errors(server: HallServerProcess) -> None:
    from hypothesis import HealthCheck, given, settings

    headers = {"Authorization": f"Bearer {server.tokens['admin-1']}"}
    schema = schemathesis.openapi.from_url(f"{server.base_url}/openapi.json", headers=headers)
    failures: list[str] = []
    checked = 0
    for op in schema.get_all_operations():
        operation = op.ok()

        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def run(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call(headers=headers, timeout=10)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} → {response.status_code}")

        run()
        checked += 1
    assert checked >= 15
    assert failures == []
