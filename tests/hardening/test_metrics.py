"""/metrics shows PV case counts: bearer PSP_METRICS_TOKEN when set, else only callers on 127.0.0.1."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from aiohttp.test_utils import TestClient, TestServer, make_mocked_request

from bot.web import health
from bot.web.app import build_web_app
from bot.web.keys import SERVICES

TOKEN = "metrics-token-for-tests"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_with_a_token_metrics_need_the_bearer(services: Any) -> None:
    services.settings = services.settings.model_copy(update={"psp_metrics_token": TOKEN})
    async with TestClient(TestServer(build_web_app(services), host="127.0.0.1")) as client:
        assert (await client.get("/metrics")).status == 401
        assert (await client.get("/metrics", headers={"Authorization": "Bearer wrong"})).status == 401
        ok = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status == 200 and "psp_pv_cases_overdue" in await ok.text()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_without_a_token_metrics_answer_only_on_loopback(services: Any) -> None:
    app = build_web_app(services)

    def from_(ip: str) -> Any:
        transport = mock.Mock()
        transport.get_extra_info.return_value = (ip, 40000)
        request = make_mocked_request("GET", "/metrics", app=app, transport=transport)
        assert request.app[SERVICES] is services
        return request

    refused = health._metrics_refused(from_("203.0.113.7"))
    assert refused is not None and refused.status == 403
    assert health._metrics_refused(from_("127.0.0.1")) is None
