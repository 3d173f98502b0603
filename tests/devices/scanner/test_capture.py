"""The camera worker end to end through cv2.VideoCapture: simulated video, lost and recovered, stale frames."""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from madoguchi.core.codes import CodeKind
from madoguchi.devices.scanner.capture import CameraCapture, CameraState, CameraStatus, CaptureCallbacks, parse_source
from madoguchi.devices.scanner.decode import DecodedCode, FrameDecoder
from madoguchi.devices.scanner.scanned import ScannedCode
from madoguchi.devices.scanner.video_sim import write_video


class Recorder:
    """Collects callbacks from the worker threads; tests wait on its events, never on sleeps."""

    def __init__(self) -> None:
        self.payloads: list[ScannedCode] = []
        self.previews: list[np.ndarray] = []
        self.statuses: list[CameraStatus] = []
        self.events: list[str] = []
        self.changed = threading.Condition()

    def callbacks(self) -> CaptureCallbacks:
        return CaptureCallbacks(
            on_code=lambda p: self._add(self.payloads, p),
            on_preview=lambda f: self._add(self.previews, f),
            on_status=lambda s: self._add(self.statuses, s),
            on_camera_lost=lambda: self._add(self.events, "lost"),
            on_camera_ok=lambda: self._add(self.events, "ok"),
        )

    def _add(self, target: list, item: object) -> None:  # type: ignore[type-arg]
        with self.changed:
            target.append(item)
            self.changed.notify_all()

    def wait_for(self, predicate, timeout: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
        with self.changed:
            return self.changed.wait_for(predicate, timeout)


def test_source_values_from_hall_toml() -> None:
    assert parse_source("0") == 0
    assert parse_source(" 2 ") == 2
    assert parse_source("rtsp://cam.local/stream") == "rtsp://cam.local/stream"
    assert parse_source("/var/lib/madoguchi/cam.avi") == "/var/lib/madoguchi/cam.avi"


def test_available(sim_video: Path, tmp_path: Path) -> None:
    assert CameraCapture(sim_video).available()
    assert not CameraCapture(tmp_path / "missing.avi").available()


def test_video_simulator_end_to_end(
    sim_video: Path, sim_video_texts: tuple[str, ...], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    rec = Recorder()
    cam = CameraCapture(sim_video, rec.callbacks(), reopen_delay_s=0.2, preview_fps=5)
    cam.start()
    try:
        assert rec.wait_for(lambda: {p.code.text for p in rec.payloads} >= set(sim_video_texts))
        assert rec.wait_for(lambda: len(rec.previews) >= 2)
    finally:
        cam.stop()
    kinds = {p.code.text: p.kind for p in rec.payloads}
    assert kinds[sim_video_texts[0]] == CodeKind.RESERVATION
    assert kinds[sim_video_texts[1]] == CodeKind.TICKET
    # each code is reported once per showing although it is visible in many frames
    assert len(rec.payloads) == len({(p.code.text, p.code.raw) for p in rec.payloads})
    assert rec.events[0] == "ok"
    assert all(f.shape[1] <= 640 and f.ndim == 3 for f in rec.previews)
    status = cam.status
    assert status.state == CameraState.STOPPED
    assert status.frames_captured > 0 and status.frames_decoded > 0
    assert status.codes_accepted == len(rec.payloads)
    assert "reservation" in caplog.text and "ticket" in caplog.text
    for text in sim_video_texts:  # kinds and sizes are logged, never the content
        assert text not in caplog.text
        assert text.split(":")[-1] not in caplog.text


def test_camera_lost_then_recovered_by_itself(tmp_path: Path) -> None:
    """A source that is missing, then appears, then ends: lost → ok → lost → ok, without any help."""
    target = tmp_path / "camera.avi"
    rec = Recorder()
    cam = CameraCapture(target, rec.callbacks(), reopen_delay_s=0.1)
    cam.start()
    try:
        assert rec.wait_for(lambda: "lost" in rec.events)
        assert cam.status.state == CameraState.LOST
        tmp = write_video(tmp_path / "writing.avi", ["MDT1:Recover01"], fps=20, seconds_per_code=0.8, gap_seconds=0.2)
        os.replace(tmp, target)  # "replugged"
        assert rec.wait_for(lambda: "ok" in rec.events)
        assert rec.wait_for(lambda: any(p.body == "Recover01" for p in rec.payloads))
        # the file ends (camera unplugged mid-session) and is reopened: lost, then ok again
        assert rec.wait_for(lambda: rec.events.count("lost") >= 2 and rec.events.count("ok") >= 2)
    finally:
        cam.stop()
    assert rec.events[:3] == ["lost", "ok", "lost"]
    assert cam.status.reopen_attempts >= 2
    assert any(s.state == CameraState.LOST for s in rec.statuses)


class SlowDecoder(FrameDecoder):
    def __init__(self) -> None:
        super().__init__(budget_ms=None)
        self.seen: list[int] = []

    def decode(self, frame: np.ndarray) -> list[DecodedCode]:
        self.seen.append(int(frame[0, 0, 0]))
        time.sleep(0.03)  # a decoder slower than the camera
        return []


class CountingCapture:
    """A cv2.VideoCapture stand-in whose frames carry their number in the first pixel."""

    def __init__(self, frames: int) -> None:
        self.left = frames
        self.n = 0

    def isOpened(self) -> bool:
        return True

    def get(self, _prop: int) -> float:
        return 200.0

    def set(self, _prop: int, _value: float) -> bool:
        return False

    def read(self) -> tuple[bool, np.ndarray | None]:
        if self.left <= 0:
            return False, None
        self.left -= 1
        self.n += 1
        frame = np.zeros((4, 4, 3), np.uint8)
        frame[0, 0, 0] = self.n
        return True, frame

    def release(self) -> None:
        pass


def test_decoder_always_takes_the_newest_frame_and_stale_ones_are_counted() -> None:
    rec = Recorder()
    decoder = SlowDecoder()
    opened: list[CountingCapture] = []

    def open_capture(_source: int | str) -> CountingCapture:
        opened.append(CountingCapture(120))
        return opened[-1]

    cam = CameraCapture(
        "fake",
        rec.callbacks(),
        decoder=decoder,
        realtime=True,
        reopen_delay_s=5,
        open_capture=open_capture,  # type: ignore[arg-type]
    )
    cam.start()
    try:
        assert rec.wait_for(lambda: "lost" in rec.events)  # the 120 frames at 200 fps are over
    finally:
        cam.stop()
    status = cam.status
    assert status.frames_captured == 120
    assert status.frames_dropped > 0
    assert status.frames_decoded + status.frames_dropped <= 120 <= status.frames_decoded + status.frames_dropped + 1
    assert decoder.seen == sorted(decoder.seen)  # never an older frame after a newer one
    assert len(set(decoder.seen)) == len(decoder.seen)


@pytest.mark.parametrize("loop", [True])
def test_looping_file_is_never_reported_lost(sim_video: Path, loop: bool) -> None:
    rec = Recorder()
    cam = CameraCapture(sim_video, rec.callbacks(), realtime=False, loop=loop, decoder=FrameDecoder(budget_ms=1))
    cam.start()
    try:
        # realtime=False reads the whole file many times over while we wait
        assert rec.wait_for(lambda: cam.status.frames_captured > 300)
    finally:
        cam.stop()
    assert "lost" not in rec.events


def test_simulated_capture_for_the_demo(sim_video: Path, sim_video_texts: tuple[str, ...]) -> None:
    from madoguchi.devices.scanner.video_sim import simulated_capture

    rec = Recorder()
    cam = simulated_capture(sim_video, sim_video_texts, rec.callbacks())
    assert cam.loop
    cam.start()
    try:
        assert rec.wait_for(lambda: len(rec.payloads) >= 1)
    finally:
        cam.stop()
    assert rec.payloads[0].code.text in sim_video_texts


class HangingCapture(CountingCapture):
    """Delivers some frames, then hangs inside read() like an unplugged V4L2 camera, until released."""

    def __init__(self, frames: int, release: threading.Event) -> None:
        super().__init__(frames)
        self.release_event = release

    def read(self) -> tuple[bool, np.ndarray | None]:
        if self.left <= 0:
            self.release_event.wait(10)
            self.left = 5
        return super().read()


def test_a_camera_that_hangs_in_read_is_reported_lost_and_comes_back() -> None:
    rec = Recorder()
    unplugged = threading.Event()
    cap = HangingCapture(10, unplugged)
    cam = CameraCapture(
        0,
        rec.callbacks(),
        decoder=FrameDecoder(budget_ms=1),
        realtime=True,
        stall_timeout_s=0.3,
        open_capture=lambda _s: cap,  # type: ignore[arg-type,return-value]
    )
    cam.start()
    try:
        assert rec.wait_for(lambda: rec.events == ["ok", "lost"])
        unplugged.set()  # replugged: read() returns frames again
        assert rec.wait_for(lambda: rec.events == ["ok", "lost", "ok"])
    finally:
        unplugged.set()
        cam.stop()


def test_a_capture_left_running_is_stopped_cleanly_at_exit(sim_video: Path, repo_root: Path) -> None:
    import subprocess
    import sys

    script = (
        "import time\n"
        "from madoguchi.devices.scanner.capture import CameraCapture\n"
        f"cam = CameraCapture({str(sim_video)!r}, loop=True)\n"
        "cam.start()\n"
        "time.sleep(0.8)\n"  # exits while the worker is decoding, without stop()
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=repo_root)
    assert proc.returncode == 0
    assert "leaked" not in proc.stderr
