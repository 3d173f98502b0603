"""A camera watching an empty counter looks at few frames and briefly; a code coming into view gets the full
pipeline on every frame at once, so nothing is lost of the read rate."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from madoguchi.devices.scanner.capture import CameraCapture, CaptureCallbacks
from madoguchi.devices.scanner.decode import FrameDecoder
from madoguchi.devices.scanner.video_sim import SceneStyle, background, degrade, scene
from madoguchi.devices.scanner.watching import StillScene, Watch

SIZE = (1280, 720)


def counter_frames(n: int, seed: int = 1) -> list[np.ndarray]:
    """An empty counter as a camera sees it: the same scene, a new sensor noise pattern in every frame."""
    rng = np.random.default_rng(seed)
    empty = background(*SIZE, rng)
    frames = []
    for _ in range(n):
        frame = empty.copy()
        degrade(frame, SceneStyle(noise=3.0, blur=0.6), rng, (SIZE[0] / 2, SIZE[1] / 2))
        frames.append(frame)
    return frames


def test_sensor_noise_is_no_motion_and_a_hand_is() -> None:
    still = StillScene()
    frames = counter_frames(5)
    assert still.moved(frames[0])  # nothing to compare with yet
    assert not any(still.moved(f) for f in frames[1:])
    held = scene(["MDR1:WATCH-TEST"], ["MDR1:WATCH-TEST"], size=SIZE, style=SceneStyle(module_px=6.0), seed=1)
    assert still.moved(held.frame)


def test_watching_takes_a_few_frames_a_second_and_looks_briefly() -> None:
    watch = Watch(FrameDecoder(budget_ms=15, rotate_stages=True), watch_fps=5, full_every_s=1.0, active_hold_s=2.0)
    frames = counter_frames(40)
    watch.activate(0.0)  # the camera just opened
    assert all(watch.wants_frame(t / 30) for t in range(60))  # active: every frame of the first 2 s
    watch.look(frames[0], 0.0)
    looked = stages = 0
    full = 0
    for i, frame in enumerate(frames):
        now = 2.5 + i / 30
        if not watch.wants_frame(now):
            continue
        looked += 1
        assert watch.look(frame, now) == []
        stages += len(watch.decoder.stats.stages_run)
        full += watch.decoder.stats.stages_run != ["base"]
        assert not watch.active(now)  # still, nothing code-like: it stays watching
    assert 6 <= looked <= 7  # 40 frames at 30 fps = 1.33 s, one look every 0.2 s (or the frame after)
    assert full == 2  # the full pipeline once a second; the other looks are the first stage only


def test_a_code_coming_into_view_is_read_at_once_with_the_full_pipeline() -> None:
    decoder = FrameDecoder(budget_ms=15, rotate_stages=True)
    watch = Watch(decoder)
    for i, frame in enumerate(counter_frames(3)):
        watch.look(frame, 10.0 + i)  # long after opening: watching
    assert not watch.active(12.5)
    held = scene(["MDR1:WATCH-TEST"], ["MDR1:WATCH-TEST"], size=SIZE, style=SceneStyle(module_px=4.0), seed=2)
    codes = watch.look(held.frame, 12.5)
    assert [c.text for c in codes] == ["MDR1:WATCH-TEST"]
    assert watch.active(12.6)  # and every frame after it while the code is there
    assert watch.wants_frame(12.6) and watch.wants_frame(12.61)


def test_a_code_laid_still_in_view_is_found_by_a_quick_look() -> None:
    """No motion at all (a phone put down under the camera): the first stage sees the symbol and activates."""
    decoder = FrameDecoder(budget_ms=15)
    watch = Watch(decoder, full_every_s=100.0)
    held = scene(["MDT1:LaidStill"], ["MDT1:LaidStill"], size=SIZE, style=SceneStyle(module_px=5.0), seed=3)
    watch.look(held.frame, 0.0)
    watch.look(held.frame, 5.0)  # the same picture: no motion; the full pipeline is not due
    assert decoder.stats.stages_run == ["base"] and decoder.stats.symbols >= 1
    assert watch.active(5.1)


def test_a_capture_that_need_not_decode_only_grabs(tmp_path: Path) -> None:
    from madoguchi.devices.scanner.video_sim import write_video

    video = write_video(tmp_path / "counter.avi", ["MDT1:NotWanted"], fps=20, seconds_per_code=0.5, gap_seconds=0.5)
    previews: list[np.ndarray] = []
    codes: list[object] = []
    cam = CameraCapture(video, CaptureCallbacks(on_code=codes.append, on_preview=previews.append), loop=True)
    cam.set_decoding(False)
    cam.preview_enabled = False
    cam.start()
    try:
        import time

        deadline = time.monotonic() + 20
        while cam.status.frames_captured < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        cam.stop()
    status = cam.status
    assert status.frames_captured >= 40 and status.frames_decoded == 0 and status.frames_skipped >= 40
    assert codes == [] and previews == []
