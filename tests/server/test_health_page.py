"""The browser health page (/admin/health) in headless Chromium: tiles coloured from the admin API."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from madoguchi.client.admin_client import AdminClient
from madoguchi.client.local_server import HallServerProcess
from madoguchi.core import api_models as m

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_health_page_shows_red_and_amber_tiles(tmp_path: Path, artifacts_dir: Path) -> None:
    srv = HallServerProcess(tmp_path / "server").start()
    try:
        with srv.client("kiosk-1") as c:
            c.heartbeat(m.DeviceHealth(printer=m.PrinterHealth(status="PAPER_OUT")))
        with srv.client("kiosk-2") as c:
            c.heartbeat(m.DeviceHealth(printer=m.PrinterHealth(status="PAPER_LOW")))
        with srv.client("board-1") as c:
            c.heartbeat(m.DeviceHealth())
        admin = AdminClient(srv.base_url, srv.tokens["admin-1"])
        deadline = time.monotonic() + 20
        while len(admin.alerts()) < 2:  # the ticker has evaluated
            assert time.monotonic() < deadline
            time.sleep(0.1)
        url = f"{srv.base_url}/admin/health#token={srv.tokens['admin-1']}"
        out = artifacts_dir / "admin"
        out.mkdir(parents=True, exist_ok=True)
        base = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=3000"]
        dom = subprocess.run([*base, "--dump-dom", url], capture_output=True, text=True, timeout=90).stdout
        subprocess.run(
            [*base, f"--screenshot={out / 'health_page.png'}", "--window-size=1200,700", url],
            capture_output=True,
            timeout=90,
        )
        assert 'data-state="red" data-name="kiosk-1"' in dom
        assert 'data-state="amber" data-name="kiosk-2"' in dom
        assert 'data-state="green" data-name="board-1"' in dom
        assert "printer out of paper" in dom
    finally:
        srv.stop()
