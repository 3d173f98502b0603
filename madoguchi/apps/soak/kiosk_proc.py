"""One scripted kiosk as its own process: ``python -m madoguchi.apps.soak.kiosk_proc PLAN.json``.

It plays its residents at their simulated arrival times: language, card read (in-process virtual card) or a
2D code or plain touch, walk-aways at the inactivity timeout, then issues with one request id per resident
action (retried with the same id while the server is down) and prints through a ``PrintWorker``. A failed print
leaves the ticket valid (its number is on the screen) and is reprinted once the printer can print again.

A 2D-code resident holds a pre-filled application code (``MDG1:``, made with the forms package's encoder) up
to the camera: the camera is ``scanner.capture.CameraCapture`` on a video of that code (``scanner.video_sim``,
moving, turning, blurred and noisy), so frames are grabbed, decoded by zxing-cpp, agreed on over two frames
and classified as on a real kiosk; the code is then decoded against the hall's forms as the kiosk's flow does.
The Qt kiosk keeps its camera running all day; here it runs only while a resident holds a code up (three
kiosks decoding 15 frames a second all day would take a CPU core from the rest of the hall).

Everything the resident saw is appended to a JSON-lines journal (flushed per line, so a SIGKILL loses nothing
that was shown). A restarted kiosk reads its journal and continues with the residents it had not started.
It keeps heart-beating until its stdin closes, so the server does not see it go silent during the drain.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from madoguchi.apps.soak.plan import Arrival, KioskPlan
from madoguchi.client.hall_client import ClientError, HallClient, RateLimited, ServerUnreachable, new_request_id
from madoguchi.core import api_models as m
from madoguchi.core.config import HallConfig, load_config
from madoguchi.devices.card.errors import CardError
from madoguchi.devices.card.sim_service import SimulatedCardService
from madoguchi.devices.card.virtual_card import CardProfile
from madoguchi.devices.printer.print_worker import PrintWorker
from madoguchi.devices.printer.sim_harness import LANGUAGE_SAMPLES, sample_content

log = logging.getLogger(__name__)

ISSUE_GIVE_UP_S = 90.0  # wall seconds of retrying before the kiosk says "please ask the staff"
SCAN_GIVE_UP_S = 8.0  # a resident whose code the camera cannot read for this long continues by touch
#: what a city web form's 2D code carries (fictional resident; a test greps logs for it); each procedure's
#: code takes the fields its form has
CODE_VALUES = {
    "name": "試験　太郎",
    "kana": "シケン　タロウ",
    "address": "みどり市中央一丁目1-1",
    "birth_date": "1975-05-05",
    "sex": "male",
    "copies": "1",
    "purpose": "work",
    "previous_address": "あおば市港町3-4-5",
    "new_address": "みどり市中央一丁目1-1",
    "moved_on": "2026-11-20",
    "moving_on": "2026-12-10",
}


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._fh = path.open("a", encoding="utf-8")

    def write(self, ev: str, **data: Any) -> None:
        line = json.dumps({"ev": ev, "t": time.time(), **data}, ensure_ascii=False)
        with self._lock:
            self._fh.write(line + "\n")
            self._fh.flush()

    @staticmethod
    def read(path: Path) -> list[dict[str, Any]]:
        if not path.exists():
            return []
        out = []
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:  # a line cut by SIGKILL
                continue
        return out


def code_video(config: HallConfig, service: str, folder: Path) -> Path:
    """The camera's view of a resident holding up the pre-filled code for ``service`` (made once, shared)."""
    from madoguchi.core.forms.payload import build_prefill
    from madoguchi.devices.scanner.video_sim import write_video

    path = folder / f"{service}.avi"
    if path.exists():
        return path
    form = config.forms[str(config.service(service).form)]
    values = {k: v for k, v in CODE_VALUES.items() if any(f.key == k and not f.group for f in form.fields)}
    code = build_prefill(config, service, values, language="ja")
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{service}.{os.getpid()}.avi"
    write_video(tmp, [code], size=(640, 480), fps=15, seconds_per_code=2.0, gap_seconds=0.3, seed=len(service))
    os.replace(tmp, path)  # several kiosks may make the same video at once: whole files only
    return path


@dataclass
class Scan:
    form: dict[str, Any] | None  # the form values the code carried; None when it could not be used
    ms: float  # code held up → accepted by the scanner (wall clock)
    frames: int  # frames the camera worker decoded meanwhile
    problem: str = ""


def scan_prefill(video: Path, config: HallConfig, procedure: str, give_up_s: float = SCAN_GIVE_UP_S) -> Scan:
    """The kiosk's camera path on a video: capture, decode, two-frame agreement, classify, then the form."""
    from madoguchi.core.codes import CodeKind
    from madoguchi.core.forms.payload import PayloadError, decode_prefill
    from madoguchi.devices.scanner.capture import CameraCapture, CaptureCallbacks
    from madoguchi.devices.scanner.scanned import ScannedCode

    codes: queue.Queue[ScannedCode] = queue.Queue()
    camera = CameraCapture(video, CaptureCallbacks(on_code=codes.put), realtime=True, loop=True, preview_fps=0)
    t0 = time.monotonic()
    camera.start()
    try:
        while True:
            payload = codes.get(timeout=max(0.01, give_up_s - (time.monotonic() - t0)))
            if payload.kind == CodeKind.PREFILL_APPLICATION:
                break
    except queue.Empty:
        return Scan(None, (time.monotonic() - t0) * 1000, camera.status.frames_decoded, "timeout")
    finally:
        camera.stop()
    ms = (time.monotonic() - t0) * 1000
    frames = camera.status.frames_decoded
    try:
        decoded = decode_prefill(payload.text, config, expected_procedure=procedure)
    except PayloadError as exc:
        return Scan(None, ms, frames, exc.reason.value)
    return Scan({**decoded.values, **decoded.groups}, ms, frames)


class ScriptedKiosk:
    def __init__(self, plan: KioskPlan) -> None:
        self.plan = plan
        self.config = load_config(Path(plan.config_path)) if plan.config_path else None
        self.videos: dict[str, Path] = {}
        self.clock = plan.clock
        self.journal = Journal(Path(plan.journal))
        self.client = HallClient(plan.base_url, plan.token, timeout=3.0)
        self.worker = PrintWorker(plan.printer_url, idle_poll_s=1.0, status_timeout_s=1.0)
        self.card = SimulatedCardService()
        self.card_pulled = False
        self._prints: queue.Queue[tuple[int, str, str] | None] = queue.Queue()
        self._stop = threading.Event()

    # ------------------------------------------------------------------ resident
    def _read_card(self, pull: bool) -> dict[str, Any]:
        profile = CardProfile(remove_after_apdus=3 if pull else None)
        self.card.insert(profile)
        try:
            with self.card.wait_for_card(1.0) as session:
                session.verify_pin(profile.pin)
                info = session.read_basic_info()
        finally:
            self.card.remove()
        return {"name": info.name, "address": info.address, "birth_date": info.birth_date.isoformat()}

    def _scan_code(self, a: Arrival) -> dict[str, Any] | None:
        """The resident holds the code up; the camera path decodes it. None when it could not be read."""
        assert self.config is not None
        scan = scan_prefill(self.videos[a.service], self.config, a.service)
        if scan.form is None:
            self.journal.write("code_unreadable", idx=a.idx, reason=scan.problem)
        else:
            self.journal.write("code_scanned", idx=a.idx, ms=round(scan.ms, 1), frames=scan.frames)
        return scan.form

    def _issue(self, a: Arrival, source: str, form: dict[str, Any] | None) -> m.IssuedTicket | None:
        request_id = new_request_id()
        deadline = time.monotonic() + ISSUE_GIVE_UP_S
        while not self._stop.is_set():
            try:
                return self.client.issue(
                    a.service,
                    language=a.language,
                    source=source,  # type: ignore[arg-type]
                    request_id=request_id,
                    form=form,
                    priority_need="wheelchair" if a.priority else None,
                )
            except (ServerUnreachable, RateLimited) as exc:
                if time.monotonic() > deadline:
                    self.journal.write("issue_failed", idx=a.idx, error=type(exc).__name__)
                    return None
                time.sleep(0.2)
            except ClientError as exc:
                self.journal.write("issue_failed", idx=a.idx, error=type(exc).__name__, code=exc.code)
                return None
        return None

    def serve(self, a: Arrival) -> None:
        self.journal.write("touch", idx=a.idx, sim=round(self.clock.sim_min(), 3))
        if a.walkaway:
            self.journal.write("walkaway", idx=a.idx)
            return
        source, form = a.source, None
        if source == "card":
            pull = (
                self.plan.card_pull_at_min is not None
                and not self.card_pulled
                and self.clock.sim_min() >= self.plan.card_pull_at_min
            )
            try:
                form = self._read_card(pull)
            except CardError as exc:
                self.card_pulled = self.card_pulled or pull
                self.journal.write("card_error", idx=a.idx, reason=exc.reason.value, injected=pull)
                source, form = "touch", None  # the resident takes the card back and continues by touch
        elif source == "code":
            form = self._scan_code(a) if a.service in self.videos else None
            if form is None:
                source = "touch"  # the kiosk said "this code cannot be used"; the resident goes on by touch
        t_touch = time.time()
        issued = self._issue(a, source, form)
        if issued is None:
            return
        t = issued.ticket
        self.journal.write(
            "shown",
            idx=a.idx,
            id=t.id,
            number=t.number,
            day=t.day,
            service=t.service_id,
            source=source,
            t_touch=t_touch,
            t_ack=time.time(),
        )
        self._prints.put((t.id, t.number, a.language))

    # ------------------------------------------------------------------ printing
    def _print_loop(self) -> None:
        while True:
            item = self._prints.get()
            if item is None:
                return
            ticket_id, number, language = item
            lang = language if language in LANGUAGE_SAMPLES else "ja"
            result = self.worker.submit(str(ticket_id), content=sample_content(lang, number)).result(60)
            reprint = False
            while not result.ok:
                self.journal.write("print_failed", id=ticket_id, reason=str(result.reason))
                while not self.worker.check_status().result(10).status.can_print:
                    time.sleep(0.3)
                reprint = True
                result = self.worker.reprint(str(ticket_id)).result(60)
            self.journal.write("printed", id=ticket_id, reprint=reprint)

    def _heartbeat_loop(self) -> None:
        started = time.monotonic()
        while not self._stop.wait(2.0):
            status = self.worker.status.status.value
            health = m.DeviceHealth(
                app_version="soak",
                uptime_s=round(time.monotonic() - started, 1),
                printer=m.PrinterHealth(status=status),  # type: ignore[arg-type]
                card_reader_present=True,
            )
            try:
                self.client.heartbeat(health)
            except ClientError:
                pass  # the server is down (injected) or busy: the next beat will do

    # ------------------------------------------------------------------ main
    def _wait_for_go(self) -> None:
        go = Path(self.plan.go_file)
        while not go.exists() or not go.read_text().strip():
            time.sleep(0.05)
        self.plan.wall0 = float(go.read_text())
        self.clock = self.plan.clock

    def run(self) -> None:
        done = {int(r["idx"]) for r in Journal.read(Path(self.plan.journal)) if r.get("ev") == "touch"}
        if self.config is not None and self.plan.codes_dir:
            for service in sorted({a.service for a in self.plan.arrivals if a.source == "code"}):
                self.videos[service] = code_video(self.config, service, Path(self.plan.codes_dir))
        self.worker.start()
        self.journal.write("ready", resumed=len(done))
        self._wait_for_go()
        printer = threading.Thread(target=self._print_loop, name="kiosk-print", daemon=True)
        printer.start()
        threading.Thread(target=self._heartbeat_loop, name="kiosk-heartbeat", daemon=True).start()
        for a in self.plan.arrivals:
            if a.idx in done:
                continue
            delay = self.clock.wall_for(a.sim_min) - time.time()
            if delay > 0:
                time.sleep(delay)
            self.serve(a)
        self._prints.put(None)
        printer.join(120)
        self.journal.write("finished")
        sys.stdin.read()  # stay alive (heart-beating) until the run closes our stdin
        self._stop.set()
        self.worker.stop()


def main(argv: list[str]) -> int:
    from madoguchi.core.process_start import start_process

    start_process("soak-kiosk")
    plan = KioskPlan.load(Path(argv[0]))
    plan.arrivals = [Arrival(**a) if isinstance(a, dict) else a for a in plan.arrivals]
    ScriptedKiosk(plan).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
