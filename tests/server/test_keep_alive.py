"""Idle connections: the client lets go of one before the server closes it, so no request crosses the close."""

from __future__ import annotations

import http.client
import time

from madoguchi.client.hall_client import KEEPALIVE_EXPIRY_S
from madoguchi.client.local_server import HallServerProcess
from madoguchi.server.cli import KEEP_ALIVE_S


def test_the_client_lets_go_of_an_idle_connection_well_before_the_server_does() -> None:
    # equal times (httpx's and uvicorn's 5 s) made a request now and then fail with RemoteProtocolError
    assert KEEPALIVE_EXPIRY_S + 5 <= KEEP_ALIVE_S


def test_an_idle_connection_stays_open_past_uvicorns_default(server: HallServerProcess) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request("GET", "/healthz")
        first = conn.getresponse()
        first.read()
        assert first.status == 200
        time.sleep(6)  # uvicorn's default keep-alive (5 s) would have closed it by now
        conn.request("GET", "/healthz")  # on the same socket: http.client does not reconnect by itself here
        second = conn.getresponse()
        second.read()
        assert second.status == 200
        assert conn.sock is not None
    finally:
        conn.close()
