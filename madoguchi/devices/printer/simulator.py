"""Printer simulator: an ESC/POS printer that prints to PNG files.

It answers DLE EOT in real time with the state it is told to be in, parses what it receives (text, ``GS v 0``
raster, ``GS ( L`` graphics, native ``GS ( k`` QR, cuts), decodes raster data back to pixels and draws native QR
codes, and can be slowed down to a real printer's speed. Links (TCP port, pty) live in ``sim_links``.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from PIL import Image, ImageDraw

from madoguchi.devices.printer.fonts import font_chain, load_font
from madoguchi.devices.printer.qr_image import QrErrorCorrection, qr_image
from madoguchi.devices.printer.sim_commands import Action, parse

log = logging.getLogger(__name__)


class SimState(StrEnum):
    OK = "ok"
    NEAR_END = "near_end"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    CUTTER_ERROR = "cutter_error"
    SILENT = "silent"


# Replies to DLE EOT n = 1..4 (EPSON bit layout; fixed bits 1 and 4 set).
DLE_EOT_REPLIES: dict[SimState, bytes] = {
    SimState.OK: bytes((0x12, 0x12, 0x12, 0x12)),
    SimState.NEAR_END: bytes((0x12, 0x12, 0x12, 0x1E)),
    SimState.PAPER_OUT: bytes((0x1A, 0x32, 0x12, 0x7E)),
    SimState.COVER_OPEN: bytes((0x1A, 0x16, 0x12, 0x12)),
    SimState.CUTTER_ERROR: bytes((0x1A, 0x52, 0x1A, 0x12)),
}
ASB_MESSAGES: dict[SimState, bytes] = {
    SimState.OK: bytes((0x10, 0x00, 0x00, 0x00)),
    SimState.NEAR_END: bytes((0x10, 0x00, 0x03, 0x00)),
    SimState.PAPER_OUT: bytes((0x18, 0x00, 0x0C, 0x00)),
    SimState.COVER_OPEN: bytes((0x38, 0x00, 0x00, 0x00)),
    SimState.CUTTER_ERROR: bytes((0x18, 0x08, 0x00, 0x00)),
}
_PRINTING_STATES = {SimState.OK, SimState.NEAR_END}
_CLEAR_BUFFERS = b"\x10\x14\x08\x01\x03\x14\x01\x06\x02\x08"
_INVERT = bytes(255 - i for i in range(256))
_THROTTLE_CHUNK_ROWS = 24


@dataclass
class SimJob:
    """One printed job: everything between two cuts (or up to a buffer clear)."""

    index: int
    image: Image.Image
    complete: bool
    texts: list[str] = field(default_factory=list)
    qr_payloads: list[str] = field(default_factory=list)
    unknown_commands: list[str] = field(default_factory=list)
    png_path: Path | None = None


class SimulatedPrinter:
    def __init__(
        self,
        width_dots: int = 576,
        dpi: int = 203,
        state: SimState | str = SimState.OK,
        speed_mm_s: float | None = None,
        out_dir: Path | None = None,
    ) -> None:
        self.width = width_dots
        self.dpi = dpi
        self.out_dir = out_dir
        self._state = SimState(state)
        self._speed = speed_mm_s
        self._paper_left_dots: float | None = None
        self._cond = threading.Condition()
        self._buffer = bytearray()
        self._rt_tail = b""
        self._reply: Callable[[bytes], None] | None = None
        self._running = False
        self._thread: threading.Thread | None = None
        self.jobs: list[SimJob] = []
        self.job_listeners: list[Callable[[SimJob], None]] = []
        self.paper_used_mm = 0.0
        self._reset_settings()
        self._new_job()

    # ------------------------------------------------------------------ control
    @property
    def state(self) -> SimState:
        return self._state

    def set_state(self, state: SimState | str) -> None:
        new = SimState(state)
        with self._cond:
            changed = new != self._state
            if new in _PRINTING_STATES and self._state is SimState.PAPER_OUT:
                self._paper_left_dots = None  # a new roll
            self._state = new

            self._cond.notify_all()
        if changed:
            self._send_asb()

    def set_speed(self, mm_s: float | None) -> None:
        self._speed = mm_s if mm_s and mm_s > 0 else None

    def set_paper_remaining(self, mm: float | None) -> None:
        """Paper runs out after ``mm`` more millimetres (``None``: endless roll)."""
        with self._cond:
            self._paper_left_dots = None if mm is None else mm * self.dpi / 25.4

    def wait_for_jobs(self, count: int, timeout: float = 10.0) -> list[SimJob]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.jobs) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"simulator printed {len(self.jobs)} of {count} jobs")
                self._cond.wait(remaining)
            return list(self.jobs)

    def snapshot(self) -> dict[str, object]:
        return {
            "state": self._state.value,
            "speed_mm_s": self._speed,
            "jobs": len(self.jobs),
            "complete_jobs": sum(1 for j in self.jobs if j.complete),
            "buffered_bytes": len(self._buffer),
            "paper_used_mm": round(self.paper_used_mm, 1),
        }

    def apply_command(self, line: str) -> str:
        """Text control interface (stdin / control port): state S | speed N|off | paper MM|unlimited | status."""
        words = line.split()
        try:
            if not words or words[0] == "status":
                return json.dumps(self.snapshot())
            if words[0] == "state" and len(words) == 2:
                self.set_state(words[1])
            elif words[0] == "speed" and len(words) == 2:
                self.set_speed(None if words[1] == "off" else float(words[1]))
            elif words[0] == "paper" and len(words) == 2:
                self.set_paper_remaining(None if words[1] == "unlimited" else float(words[1]))
            elif words[0] == "help":
                return (
                    "commands: status | state ok|near_end|paper_out|cover_open|cutter_error|silent"
                    " | speed N|off | paper MM|unlimited"
                )
            else:
                return f"error: unknown command {line.strip()!r} (try help)"
        except ValueError as exc:
            return f"error: {exc}"
        return "ok " + json.dumps(self.snapshot())

    # ------------------------------------------------------------------ link side
    def attach(self, reply: Callable[[bytes], None] | None) -> None:
        """The link calls this with a function that sends bytes back to the host (None when disconnected)."""
        self._reply = reply

    def receive(self, data: bytes) -> None:
        """Bytes from the host. Real-time commands are answered at once, the rest goes to the print buffer."""
        replies = bytearray()
        with self._cond:
            window = self._rt_tail + data
            old = len(self._rt_tail)
            start = 0
            while (i := window.find(b"\x10\x04", start)) >= 0 and i + 2 < len(window):
                if i + 2 >= old and 1 <= window[i + 2] <= 4 and self._state is not SimState.SILENT:
                    replies.append(DLE_EOT_REPLIES[self._state][window[i + 2] - 1])
                start = i + 1
            keep_from = 0
            clear_at = window.rfind(_CLEAR_BUFFERS)
            if clear_at >= 0 and clear_at + len(_CLEAR_BUFFERS) > old:
                self._buffer.clear()
                self._abort_job()
                keep_from = clear_at + len(_CLEAR_BUFFERS) - old
            self._rt_tail = window[-(len(_CLEAR_BUFFERS) - 1) :]
            self._buffer.extend(data[keep_from:])
            self._cond.notify_all()
        if replies:
            self._send(bytes(replies))

    def _send(self, data: bytes) -> None:
        reply = self._reply
        if reply is not None and self._state is not SimState.SILENT:
            try:
                reply(data)
            except OSError:
                log.debug("simulator reply dropped: host gone")

    def _send_asb(self) -> None:
        if self._asb and self._state in ASB_MESSAGES:
            self._send(ASB_MESSAGES[self._state])

    # ------------------------------------------------------------------ engine
    def start(self) -> None:
        self._running = True
        self._thread = threading.Thread(target=self._engine, name="printer-sim-engine", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._running = False
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _engine(self) -> None:
        while True:
            with self._cond:
                while self._running and (not self._buffer or self._state not in _PRINTING_STATES):
                    self._cond.wait(0.2)
                if not self._running:
                    return
                parsed = parse(self._buffer, 0, self._kanji)
                if parsed is None:
                    self._cond.wait(0.05)
                    continue
                consumed, action = parsed
                del self._buffer[:consumed]
            self._apply(action)

    def _reset_settings(self) -> None:
        self._align = 0
        self._kanji = False
        self._char_size = 0
        self._line_spacing = round(self.dpi / 6)
        self._qr_size = 3
        self._qr_ec = QrErrorCorrection.L
        self._qr_data = b""
        self._graphics: Image.Image | None = None
        self._asb = getattr(self, "_asb", False)

    def _new_job(self) -> None:
        self._rows: list[Image.Image] = []
        self._text = bytearray()
        self._texts: list[str] = []
        self._qrs: list[str] = []
        self._unknown: list[str] = []
        self._interrupted = False

    def _apply(self, action: Action) -> None:
        kind = action.kind
        if kind == "text":
            self._text.extend(action.data)
        elif kind == "lf":
            self._flush_text(feed_if_empty=True)
        elif kind == "feed_lines":
            self._flush_text(feed_if_empty=False)
            self._print_rows(Image.new("1", (self.width, action.args[0] * self._line_spacing), 1))
        elif kind == "feed_dots":
            self._print_rows(Image.new("1", (self.width, action.args[0]), 1))
        elif kind == "line_spacing":
            self._line_spacing = round(self.dpi / 6) if action.args[0] < 0 else action.args[0]
        elif kind == "align":
            self._align = action.args[0] % 48
        elif kind == "init":
            self._text.clear()
            self._reset_settings()
        elif kind == "raster":
            width_bytes, height, _ = action.args
            self._print_image(_decode_raster(action.data, width_bytes * 8, height))
        elif kind == "graphics_store":
            width, height = action.args
            self._graphics = _decode_raster(action.data, ((width + 7) // 8) * 8, height).crop((0, 0, width, height))
        elif kind == "graphics_print" and self._graphics is not None:
            self._print_image(self._graphics)
        elif kind == "qr_set":
            fn, value = action.args
            if fn == 67:
                self._qr_size = value
            elif fn == 69:
                self._qr_ec = QrErrorCorrection(max(0, min(3, value - 48)))
        elif kind == "qr_store":
            self._qr_data = action.data
        elif kind == "qr_print" and self._qr_data:
            payload = self._qr_data.decode("utf-8", "replace")
            self._qrs.append(payload)
            self._print_image(qr_image(payload, self._qr_size, self._qr_ec))
        elif kind == "cut":
            self._flush_text(feed_if_empty=False)
            self._finish_job(complete=not self._interrupted)
        elif kind == "asb":
            self._asb = action.args[0] != 0
            self._send_asb()
        elif kind == "process_id":
            self._send(b"\x37\x22" + action.data + b"\x00")
        elif kind == "transmit_status":
            near = 0x03 if self._state is SimState.NEAR_END else 0x00
            self._send(bytes((near if action.args[0] in (1, 49) else 0x00,)))
        elif kind == "kanji":
            self._kanji = bool(action.args[0])
        elif kind == "char_size":
            self._char_size = action.args[0]
        elif kind == "unknown":
            self._unknown.append(" ".join(f"{b:02x}" for b in action.args))

    def _flush_text(self, feed_if_empty: bool) -> None:
        if not self._text:
            if feed_if_empty:
                self._print_rows(Image.new("1", (self.width, self._line_spacing), 1))
            return
        raw, self._text = bytes(self._text), bytearray()
        text = raw.decode("cp932" if self._kanji else "cp437", "replace")
        self._texts.append(text)
        scale_w, scale_h = (self._char_size >> 4) + 1, (self._char_size & 0x0F) + 1
        font = load_font(font_chain("ja")[0], 24 * scale_h)
        width = min(self.width, int(font.getlength(text) * scale_w / scale_h) + 1)
        height = max(self._line_spacing, 30 * scale_h)
        line = Image.new("1", (max(1, width), height), 1)
        ImageDraw.Draw(line).text((0, 0), text, font=font, fill=0)
        self._print_image(line)

    def _print_image(self, image: Image.Image) -> None:
        if image.width > self.width:
            self._unknown.append(f"image wider than paper ({image.width} > {self.width})")
            image = image.crop((0, 0, self.width, image.height))
        row = Image.new("1", (self.width, image.height), 1)
        x = {0: 0, 1: (self.width - image.width) // 2, 2: self.width - image.width}.get(self._align, 0)
        row.paste(image, (x, 0))
        self._print_rows(row)

    def _print_rows(self, rows: Image.Image) -> None:
        """Move paper by ``rows.height`` dots, honouring the speed limit and the end of the roll."""
        dots_per_mm = self.dpi / 25.4
        top = 0
        while top < rows.height:
            with self._cond:
                if self._state not in _PRINTING_STATES:
                    self._interrupted = True
                    return
                chunk = min(_THROTTLE_CHUNK_ROWS, rows.height - top)
                if self._paper_left_dots is not None:
                    chunk = min(chunk, max(0, int(self._paper_left_dots)))
                    if chunk == 0:
                        self._interrupted = True
                        self._state = SimState.PAPER_OUT
                        out_of_paper = True
                    else:
                        self._paper_left_dots -= chunk
                        out_of_paper = False
                else:
                    out_of_paper = False
            if out_of_paper:
                self._send_asb()
                return
            self._rows.append(rows.crop((0, top, self.width, top + chunk)))
            self.paper_used_mm += chunk / dots_per_mm
            top += chunk
            if self._speed:
                time.sleep(chunk / dots_per_mm / self._speed)

    def _abort_job(self) -> None:
        """Buffer cleared by the host: whatever was printed of the current job is an incomplete job."""
        if self._rows or self._texts or self._qrs:
            self._finish_job(complete=False)

    def _finish_job(self, complete: bool) -> None:
        height = sum(r.height for r in self._rows)
        image = Image.new("1", (self.width, max(1, height)), 1)
        y = 0
        for row in self._rows:
            image.paste(row, (0, y))
            y += row.height
        job = SimJob(len(self.jobs) + 1, image, complete, self._texts, self._qrs, self._unknown)
        if self.out_dir is not None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            suffix = "" if complete else "-incomplete"
            job.png_path = self.out_dir / f"job-{job.index:04d}{suffix}.png"
            image.save(job.png_path)
        self._new_job()
        with self._cond:
            self.jobs.append(job)
            self._cond.notify_all()
        log.info("simulator printed job %d (%s)", job.index, "complete" if complete else "incomplete")
        for listener in list(self.job_listeners):
            listener(job)


def _decode_raster(data: bytes, width: int, height: int) -> Image.Image:
    """ESC/POS raster (1 = black dot, MSB first) back to a mode "1" image (1 = white)."""
    expected = (width // 8) * height
    data = data[:expected].ljust(expected, b"\x00")
    return Image.frombytes("1", (width, height), data.translate(_INVERT))
