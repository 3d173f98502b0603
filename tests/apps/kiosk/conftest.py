"""Kiosk fixtures: a real hall server (open all day), the printer simulator, pcscd with the virtual card, a
camera video with sample codes, and a factory that builds the real KioskWindow around them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from madoguchi.apps.kiosk.demo_material import always_open_config, sample_checkin_code, sample_prefill_code
from madoguchi.client.local_server import HallServerProcess
from madoguchi.devices.printer.sim_harness import RunningSimulator, running_simulator


@pytest.fixture(scope="session")
def kiosk_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return always_open_config(tmp_path_factory.mktemp("kiosk-config"))


@pytest.fixture(scope="session")
def hall(tmp_path_factory: pytest.TempPathFactory, kiosk_config: Path) -> Iterator[HallServerProcess]:
    srv = HallServerProcess(tmp_path_factory.mktemp("kiosk-hall"), config_path=kiosk_config).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def open_hall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HallServerProcess]:
    """A hall of the test module's own where every procedure is open now (児童手当 too: a moving family's whole
    route), so that its tests call exactly the tickets they issued."""
    config = always_open_config(tmp_path_factory.mktemp("visit-config"))
    text = config.read_text(encoding="utf-8").replace('hours = { start = "00:00", end = "00:01" }', "")
    config.write_text(text, encoding="utf-8")
    srv = HallServerProcess(tmp_path_factory.mktemp("visit-hall"), config_path=config).start()
    yield srv
    srv.stop()


@pytest.fixture
def printer_sim(tmp_path: Path) -> Iterator[RunningSimulator]:
    with running_simulator(out_dir=tmp_path / "printed") as sim:
        yield sim


@pytest.fixture(scope="session")
def codes(kiosk_config: Path, hall: HallServerProcess) -> dict[str, str]:
    """Sample codes; the check-in code is for a real reservation due now (made by the admin API)."""
    now = dt.datetime.now(ZoneInfo("Asia/Tokyo"))
    with hall.client("admin-1") as admin:
        reservation = admin.create_reservation("koseki", now.date().isoformat(), now.strftime("%H:%M"))
    return {
        "prefill": sample_prefill_code(kiosk_config),
        "prefill-en": sample_prefill_code(kiosk_config, language="en"),
        "checkin": reservation.checkin_code,
        "forged-checkin": sample_checkin_code(),
        "unknown": "https://example.com/not-for-the-kiosk",
    }


@pytest.fixture(scope="session")
def camera_videos(tmp_path_factory: pytest.TempPathFactory, codes: dict[str, str]) -> dict[str, Path]:
    """One short looping video per sample code (a resident holding it up to the camera)."""
    from madoguchi.devices.scanner.video_sim import write_video

    folder = tmp_path_factory.mktemp("camera")
    return {
        name: write_video(folder / f"{name}.avi", [text], seconds_per_code=1.5, gap_seconds=0.3)
        for name, text in codes.items()
    }


@pytest.fixture(scope="session")
def shots(artifacts_dir: Path) -> Path:
    folder = artifacts_dir / "kiosk"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


MakeKiosk = Callable[..., Any]


@pytest.fixture
def make_kiosk(qtbot: Any, hall: HallServerProcess, shots: Path) -> Iterator[MakeKiosk]:
    """``make_kiosk(card=None, scanner=None, printer=None, device="kiosk-1", server_url=None, server=None,
    speaker=None, **settings)`` → a started window (``server_url``: reach the hall through something in between,
    a proxy; ``server``: another hall server than the session's; ``speaker``: a ``ReadAloud`` with a voice)."""
    from madoguchi.apps.kiosk.main_window import KioskWindow
    from madoguchi.apps.kiosk.settings import KioskSettings
    from madoguchi.devices.card.interface import NoCardReader
    from madoguchi.devices.printer.interface import NoPrinter
    from madoguchi.devices.scanner.interface import NoScanner
    from madoguchi.qt.read_aloud import ReadAloud

    built: list[Any] = []

    def make(
        card: Any = None,
        scanner: Any = None,
        printer: Any = None,
        device: str = "kiosk-1",
        server_url: str | None = None,
        server: HallServerProcess | None = None,
        speaker: Any = None,
        **settings: Any,
    ) -> Any:
        options: dict[str, Any] = {
            "kiosk_name": device,
            "heartbeat_seconds": 3600,
            "state_poll_seconds": 0.5,
            "screenshot_dir": shots,
            "auto_screenshots": False,
        }
        options.update(settings)
        from madoguchi.client.hall_client import HallClient

        srv = server or hall
        client = HallClient(server_url or srv.base_url, srv.tokens[device], timeout=2.0)
        window = KioskWindow(
            client,
            card or NoCardReader(),
            scanner or NoScanner(),
            printer or NoPrinter(),
            KioskSettings(**options),
            speaker=speaker or ReadAloud(None, audio=False),
        )
        qtbot.addWidget(window)
        window.resize(1920, 1080)
        window.show()
        window.start()
        # the hall loaded and the state known (a camera may move on at once)
        qtbot.waitUntil(lambda: window.ctx.hall is not None and window.flow.monitor.probes > 0, timeout=15000)
        built.append((window, client))
        return window

    yield make
    for window, client in built:
        window.shutdown()
        client.close()
