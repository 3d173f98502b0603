"""Call board benchmark: "Call next" clicked in a staff console → the number painted on a board, and speech.

Both windows run in this process (offscreen Qt unless a display is set) against a real hall server on loopback,
so the path measured is the real one: click → HTTP call-next → server event → WebSocket → board model → paint.
Prints p50/p95 over N calls, then announcement synthesis per sentence (cold and cached) and the time from
``announce()`` to the first sound starting with a warm cache.

    python bench/board.py [--calls 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from madoguchi.core.config import EXAMPLE_CONFIG

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def wait_for(app: object, cond: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        app.processEvents()  # type: ignore[attr-defined]
        time.sleep(0.0005)


def bench_click_to_paint(calls: int, workdir: Path) -> list[float]:
    from PySide6.QtWidgets import QApplication

    from madoguchi.client.local_server import HallServerProcess
    from tests.support.qt_apps import login, make_board, make_console

    app = QApplication.instance() or QApplication([])
    config = workdir / "hall.toml"
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    config.write_text(text.replace("issue_rate_per_minute = 30", "issue_rate_per_minute = 1000"), encoding="utf-8")
    srv = HallServerProcess(workdir / "hall", config_path=config).start()
    try:
        board = make_board(srv)
        board.resize(1920, 1080)
        board.show()
        board.start()
        wait_for(app, lambda: board.connected and not board.model.resync_pending)
        painted: list[tuple[float, str]] = []
        board.now_calling.painted.connect(lambda number: painted.append((time.perf_counter(), number)))
        console = make_console(srv, 7)
        console.show()
        login(console)
        wait_for(app, lambda: console.controller.session is not None and console.controller.queue is not None)
        kiosk = srv.client("kiosk-1")
        buttons = console.counter_screen.action_buttons.buttons
        latencies: list[float] = []
        for _ in range(calls):
            number = kiosk.issue("mynumber").ticket.number
            wait_for(app, lambda: buttons["call_next"].isEnabled())
            painted.clear()
            t0 = time.perf_counter()
            buttons["call_next"].click()
            wait_for(app, lambda n=number: any(p[1] == n for p in painted))  # type: ignore[misc]
            latencies.append(next(t for t, n in painted if n == number) - t0)
            wait_for(app, lambda: buttons["done"].isEnabled())
            buttons["done"].click()
            wait_for(app, lambda: console.controller.current is None)
        board.close()
        console.close()
        return latencies
    finally:
        srv.stop()


def bench_speech(workdir: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from madoguchi.apps.board.announcer import Announcer
    from madoguchi.devices.speech.announcement_voice import Announcement
    from madoguchi.devices.speech.voice import announcement_text
    from madoguchi.devices.speech.voice_adapter import TranslationsVoice

    app = QApplication.instance() or QApplication([])
    voice = TranslationsVoice(workdir / "voice")
    for lang in ("ja", "en", "vi"):
        cold: list[float] = []
        cached: list[float] = []
        for i, number in enumerate(("A-015", "B-102", "K-007")):
            text = announcement_text(lang, number, 3 + i)
            t0 = time.perf_counter()
            voice.synthesizer.speak(lang, text)
            cold.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            voice.synthesizer.speak(lang, text)
            cached.append(time.perf_counter() - t0)
        print(
            f"synthesis {lang}: cold mean {statistics.mean(cold) * 1000:.0f} ms (first {cold[0] * 1000:.0f} ms), "
            f"cached mean {statistics.mean(cached) * 1000:.2f} ms"
        )
    announcer = Announcer(voice, audio=False, time_scale=0.0)
    for _ in range(50):
        announcer.announce(Announcement(1, "A-015", 3, "en"))
        wait_for(app, lambda: not announcer.busy, timeout=30)
    starts = announcer.start_latencies
    print(
        f"announcement start (warm cache, announce() → first sound): p50 {pct(starts, 0.5) * 1000:.1f} ms, "
        f"p95 {pct(starts, 0.95) * 1000:.1f} ms over {len(starts)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        latencies = bench_click_to_paint(args.calls, work)
        ms = [v * 1000 for v in latencies]
        print(
            f"click → painted on board: p50 {pct(ms, 0.5):.1f} ms, p95 {pct(ms, 0.95):.1f} ms, "
            f"max {max(ms):.1f} ms over {len(ms)} calls"
        )
        bench_speech(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
