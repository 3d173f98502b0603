"""Camera worker: cv2.VideoCapture on a device index, a file or a stream URL, decoding the newest frame.

Two threads per camera. The grabber reads frames as the source delivers them and keeps only the newest
(a slow decode never builds a backlog: stale frames are dropped and counted). The decoder takes the newest
frame, decodes it within its budget, applies the two-frame agreement and reports accepted codes.

A camera watching an empty counter costs little (``watching.Watch``): while the scene is still and nothing
code-like is in view, only a few frames a second are taken from the camera and given a quick look; the others
are only grabbed (``grab()``: the camera's buffer stays fresh, nothing is decoded). Motion or anything code-like
switches to every frame and the full pipeline. ``set_decoding(False)`` stops decoding altogether (screens where
a code means nothing); ``preview_enabled`` draws previews only while a screen shows them. bench/kiosk_idle.py
measures the result.

When the source fails to open or stops delivering (camera unplugged, stream down, file ended, or no frame
for ``stall_timeout_s`` while ``read()`` hangs), the worker calls ``on_camera_lost`` once, keeps trying to
reopen every ``reopen_delay_s`` and calls ``on_camera_ok`` when frames flow again. Callbacks run on the
worker threads: they must be quick and must not touch widgets (``qt_preview`` turns them into Qt
signals).
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import cv2
import numpy as np

from madoguchi.devices.scanner.agreement import AgreementFilter
from madoguchi.devices.scanner.decode import DecodedCode, FrameDecoder
from madoguchi.devices.scanner.errors import ScannerError, ScannerErrorReason
from madoguchi.devices.scanner.preview import draw_preview
from madoguchi.devices.scanner.scanned import ScannedCode, scanned
from madoguchi.devices.scanner.watching import Watch

log = logging.getLogger(__name__)

Source = int | str | Path


# Captures still running at interpreter exit are stopped first: a daemon thread inside zxing-cpp while the
# interpreter tears down makes nanobind report leaked objects (and could crash the exit).
_RUNNING: weakref.WeakSet[CameraCapture] = weakref.WeakSet()


@atexit.register
def _stop_running_captures() -> None:
    for capture in list(_RUNNING):
        capture.callbacks = CaptureCallbacks()  # receivers (Qt objects) may be gone already
        capture.stop(timeout=2.0)


class CameraState(StrEnum):
    STARTING = "starting"
    OK = "ok"
    LOST = "lost"
    STOPPED = "stopped"


@dataclass(frozen=True)
class CameraStatus:
    """Health heartbeat: counters since start; ``last_frame_age_s`` is None before the first frame."""

    state: CameraState
    source: str
    frames_captured: int = 0
    frames_decoded: int = 0
    frames_dropped: int = 0
    codes_accepted: int = 0
    decode_ms_last: float = 0.0
    last_frame_age_s: float | None = None
    reopen_attempts: int = 0
    #: frames grabbed but not decoded: the scene was still (watching), or nothing wanted codes
    frames_skipped: int = 0
    #: decoding every frame now (motion or a code in view), not watching
    active: bool = False


@dataclass
class CaptureCallbacks:
    on_code: Callable[[ScannedCode], None] | None = None
    on_preview: Callable[[np.ndarray], None] | None = None  # BGR frame with guide and outlines drawn
    on_status: Callable[[CameraStatus], None] | None = None  # on every state change and once a second
    on_camera_lost: Callable[[], None] | None = None
    on_camera_ok: Callable[[], None] | None = None


def parse_source(value: Source) -> int | str:
    """hall.toml's ``camera`` value → what cv2.VideoCapture takes: "0" is device 0, else a path or URL."""
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not text:
        raise ScannerError(ScannerErrorReason.SOURCE_INVALID, "empty camera value")
    if text.isdigit():
        return int(text)
    return text


def _is_file(source: int | str) -> bool:
    return isinstance(source, str) and "://" not in source


def _describe(source: int | str) -> str:
    # Stream URLs may hold credentials (rtsp://user:pass@…): log the scheme and host only.
    if isinstance(source, int):
        return f"camera {source}"
    if "://" in source:
        scheme, rest = source.split("://", 1)
        host = rest.split("@")[-1].split("/")[0]
        return f"{scheme}://{host}"
    return Path(source).name


def open_video_capture(source: int | str) -> cv2.VideoCapture:
    """Open a source with the hints a kiosk camera wants; unsupported hints are silently ignored.

    An MJPG ``.avi`` (the camera simulator's videos) is read by OpenCV's own MJPEG reader when it can: like a
    camera, it hands over a frame's bytes on ``grab()`` and decodes only on ``retrieve()``, where FFmpeg decodes
    every frame grabbed (~1.3 ms a 720p frame that the watching camera never looks at)."""
    if isinstance(source, str) and source.lower().endswith(".avi"):
        own = cv2.VideoCapture(source, cv2.CAP_OPENCV_MJPEG)
        if own.isOpened():
            return own
        own.release()
    cap = cv2.VideoCapture(source)
    if isinstance(source, int) and cap.isOpened():
        cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # the newest frame, not one queued seconds ago
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, 1280)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, 720)
        cap.set(cv2.CAP_PROP_AUTOFOCUS, 1)
        cap.set(cv2.CAP_PROP_AUTO_EXPOSURE, 3)  # V4L2 "aperture priority" = automatic exposure
    return cap


@dataclass
class _Counters:
    captured: int = 0
    decoded: int = 0
    dropped: int = 0
    accepted: int = 0
    decode_ms: float = 0.0
    last_frame: float | None = None
    reopen_attempts: int = 0
    skipped: int = 0


class CameraCapture:
    """The camera worker. Build one per camera, set callbacks, ``start()``; ``stop()`` joins the threads.

    ``realtime`` paces a file at its own frame rate (a simulated camera); ``loop`` replays a file forever
    without reporting it lost (the demo), until the file is removed. ``open_capture`` is injectable for tests.
    """

    def __init__(
        self,
        source: Source,
        callbacks: CaptureCallbacks | None = None,
        *,
        decoder: FrameDecoder | None = None,
        agreement: AgreementFilter | None = None,
        preview_fps: float = 8.0,
        preview_max_width: int = 640,
        reopen_delay_s: float = 1.0,
        stall_timeout_s: float = 3.0,
        realtime: bool | None = None,
        loop: bool = False,
        open_capture: Callable[[int | str], cv2.VideoCapture] = open_video_capture,
        watch_fps: float = 5.0,
        full_every_s: float = 1.0,
        active_hold_s: float = 2.0,
    ) -> None:
        self.source = parse_source(source)
        self.callbacks = callbacks or CaptureCallbacks()
        self.decoder = decoder or FrameDecoder(budget_ms=15.0, rotate_stages=True)
        self.agreement = agreement or AgreementFilter()
        self.preview_interval = 1.0 / preview_fps if preview_fps > 0 else float("inf")
        self.preview_max_width = preview_max_width
        self.reopen_delay_s = reopen_delay_s
        self.stall_timeout_s = stall_timeout_s
        self.realtime = _is_file(self.source) if realtime is None else realtime
        self.loop = loop
        self._open = open_capture
        self._name = _describe(self.source)
        self._state = CameraState.STOPPED
        self._state_lock = threading.Lock()
        self._counters = _Counters()
        self._cond = threading.Condition()
        self._latest: np.ndarray | None = None
        self._latest_seq = 0
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        #: how much of each frame is looked at (watching an empty counter, or active)
        self.watch = Watch(self.decoder, watch_fps=watch_fps, full_every_s=full_every_s, active_hold_s=active_hold_s)
        #: decode at all (False: frames are only grabbed, the camera still watched for being there)
        self.decoding = True
        #: draw preview frames for ``on_preview`` (a screen shows them)
        self.preview_enabled = True

    def set_decoding(self, on: bool) -> None:
        if on and not self.decoding:
            self.watch.activate(time.monotonic())  # a screen that wants codes: look at once
        self.decoding = on

    # -- public ------------------------------------------------------------------------------------------
    def available(self) -> bool:
        """Can the source be opened right now? (Briefly opens it; call before start, not while running.)"""
        cap = self._open(self.source)
        try:
            return bool(cap.isOpened())
        finally:
            cap.release()

    def start(self) -> None:
        if self._threads:
            return
        self._stop.clear()
        self._set_state(CameraState.STARTING)
        self._threads = [
            threading.Thread(target=self._grab_loop, name=f"camera-grab {self._name}", daemon=True),
            threading.Thread(target=self._decode_loop, name=f"camera-decode {self._name}", daemon=True),
        ]
        for t in self._threads:
            t.start()
        _RUNNING.add(self)

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        for t in self._threads:
            t.join(timeout)
        self._threads = []
        _RUNNING.discard(self)
        self._set_state(CameraState.STOPPED)

    @property
    def status(self) -> CameraStatus:
        c = self._counters
        age = None if c.last_frame is None else time.monotonic() - c.last_frame
        return CameraStatus(
            self._state,
            self._name,
            c.captured,
            c.decoded,
            c.dropped,
            c.accepted,
            c.decode_ms,
            age,
            c.reopen_attempts,
            c.skipped,
            self.watch.active(time.monotonic()),
        )

    # -- threads -----------------------------------------------------------------------------------------
    def _set_state(self, state: CameraState) -> None:
        with self._state_lock:  # grabber and decoder (stall watchdog) may both report "lost": once only
            previous, self._state = self._state, state
        if previous == state:
            return
        log.info("%s: %s", self._name, state.value)
        cb = self.callbacks
        if state == CameraState.LOST and cb.on_camera_lost:
            cb.on_camera_lost()
        if state == CameraState.OK and previous != CameraState.OK and cb.on_camera_ok:
            cb.on_camera_ok()
        self._emit_status()

    def _emit_status(self) -> None:
        if self.callbacks.on_status:
            self.callbacks.on_status(self.status)

    def _grab_loop(self) -> None:
        last_status = time.monotonic()
        while not self._stop.is_set():
            cap = self._open(self.source)
            if not cap.isOpened():
                cap.release()
                self._lost("cannot open")
                continue
            fps = cap.get(cv2.CAP_PROP_FPS) if self.realtime else 0.0
            period = 1.0 / fps if fps and 0 < fps < 240 else (1 / 30 if self.realtime else 0.0)
            next_due = time.monotonic()
            got_any = False
            self.watch.activate(time.monotonic())  # a camera (re)opened: look at what it shows
            while not self._stop.is_set():
                frame: np.ndarray | None = None
                wanted = self._wants_frame()
                if wanted:
                    ok, frame = cap.read()
                else:
                    ok = _grab_only(cap)
                if not ok or (wanted and frame is None):
                    # A looping file that was removed counts as an unplugged camera (the open handle could
                    # replay it forever).
                    replay = self.loop and got_any and _is_file(self.source) and Path(str(self.source)).exists()
                    if replay and cap.set(cv2.CAP_PROP_POS_FRAMES, 0):
                        continue
                    break
                got_any = True
                if frame is not None:
                    self._publish(frame)
                else:
                    self._counters.skipped += 1
                    self._grabbed()
                now = time.monotonic()
                if now - last_status >= 1.0:
                    last_status = now
                    self._emit_status()
                if period:
                    next_due += period
                    delay = next_due - time.monotonic()
                    if delay > 0:
                        self._stop.wait(delay)
                    else:
                        next_due = time.monotonic()  # fell behind: do not burst to catch up
            cap.release()
            if not self._stop.is_set():
                self._lost("source ended")

    def _lost(self, why: str) -> None:
        if self._state != CameraState.LOST:
            log.warning("%s lost (%s); retrying every %.1f s", self._name, why, self.reopen_delay_s)
        self._set_state(CameraState.LOST)
        self.agreement.reset()
        self._counters.reopen_attempts += 1
        self._stop.wait(self.reopen_delay_s)

    def _wants_frame(self) -> bool:
        """Whether to take this frame from the camera (``watch``), or only grab it. Not decoding: only grab."""
        return self.decoding and self.watch.wants_frame(time.monotonic())

    def _grabbed(self) -> None:
        """A frame the camera delivered and nobody needs decoded: the camera is there all the same."""
        c = self._counters
        c.captured += 1
        c.last_frame = time.monotonic()
        if self._state != CameraState.OK:
            self._set_state(CameraState.OK)

    def _publish(self, frame: np.ndarray) -> None:
        c = self._counters
        with self._cond:
            if self._latest is not None:
                c.dropped += 1  # the decoder never saw the previous frame: it is stale now
            self._latest = frame
            self._latest_seq += 1
            c.captured += 1
            c.last_frame = time.monotonic()
            self._cond.notify()
        if self._state != CameraState.OK:
            self._set_state(CameraState.OK)

    def _decode_loop(self) -> None:
        last_preview = 0.0
        while not self._stop.is_set():
            with self._cond:
                while self._latest is None and not self._stop.is_set():
                    self._cond.wait(0.2)
                    if self._stalled():
                        break
                frame, self._latest = self._latest, None
            if frame is None:
                if self._stalled():
                    # An unplugged USB camera can block in read() for many seconds: report it now;
                    # the next frame that arrives reports it back.
                    log.warning("%s: no frame for %.1f s", self._name, self.stall_timeout_s)
                    self._set_state(CameraState.LOST)
                continue
            try:
                codes = self.watch.look(frame, time.monotonic())
            except Exception:  # a decoder bug must not kill the camera; the frame is simply lost
                log.exception("%s: decoding a frame failed", self._name)
                continue
            c = self._counters
            c.decoded += 1
            c.decode_ms = self.decoder.stats.ms
            for code in self.agreement.feed(codes):
                c.accepted += 1
                self._deliver(code)
            now = time.monotonic()
            wants_preview = self.preview_enabled and self.callbacks.on_preview is not None
            if wants_preview and now - last_preview >= self.preview_interval:
                last_preview = now
                assert self.callbacks.on_preview is not None
                self.callbacks.on_preview(draw_preview(frame, codes, self.preview_max_width))

    def _stalled(self) -> bool:
        last = self._counters.last_frame
        return self._state == CameraState.OK and last is not None and time.monotonic() - last > self.stall_timeout_s

    def _deliver(self, code: DecodedCode) -> None:
        found = scanned(code)
        if self.callbacks.on_code:
            self.callbacks.on_code(found)


def _grab_only(cap: cv2.VideoCapture) -> bool:
    """Take the next frame from the camera without decoding it (``read()`` for stand-ins without ``grab``)."""
    grab = getattr(cap, "grab", None)
    return bool(grab()) if grab is not None else bool(cap.read()[0])


def capture_from_config(camera: str | None, **kwargs: object) -> CameraCapture | None:
    """The worker for a kiosk's ``camera`` key (None when the kiosk has no camera)."""
    if camera is None:
        return None
    return CameraCapture(camera, **kwargs)  # type: ignore[arg-type]


__all__ = [
    "CameraCapture",
    "CameraState",
    "CameraStatus",
    "CaptureCallbacks",
    "capture_from_config",
    "open_video_capture",
    "parse_source",
]
