"""Idle kiosk with its camera on: CPU of the whole kiosk process on the welcome screen, nobody in front of it.

    .venv/bin/python bench/kiosk_idle.py [--seconds 30] [--runs 3]

A real hall server and the printer simulator run on loopback; the kiosk runs offscreen in a child process of its
own, its camera a 1280×720, 30 fps video of an empty counter with sensor noise (cv2.VideoCapture on an MJPG file,
the simulator the tests use). The child's CPU time (user + system, all its threads, from /proc) over the window
is the figure, as a share of one core. Rows: no camera; the camera as the kiosk runs it (watching the still scene,
a quick look a few times a second); and every frame through the full pipeline (what the kiosk did before).
Target (issue 24): at most 10 % of one core with the camera on. Never fails on time.

The row "nothing decoded" is the cost of reading the camera itself (the file's frames are grabbed without being
decoded, as a V4L2 camera's buffers are), with the kiosk around it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CHILD = r"""
import sys, time
from PySide6.QtWidgets import QApplication
app = QApplication([])
from madoguchi.apps.kiosk.main_window import KioskWindow
from madoguchi.apps.kiosk.settings import KioskSettings
from madoguchi.client.hall_client import HallClient
from madoguchi.devices.card.interface import NoCardReader
from madoguchi.devices.printer.worker_printer import WorkerPrinter
from madoguchi.devices.scanner.interface import NoScanner
from madoguchi.qt.read_aloud import ReadAloud
base_url, token, printer_url, video, mode = sys.argv[1:6]
scanner = NoScanner()
if mode != "no-camera":
    from madoguchi.devices.scanner.qt_camera import CameraScanner
    scanner = CameraScanner(video)
    capture = scanner._capture
    if mode == "every-frame":  # the kiosk before: every frame through the full pipeline, previews drawn
        capture.watch.active_hold_s = 1e9
        capture.preview_enabled = True
    elif mode == "grab-only":  # the camera read and nothing decoded: the file's own cost
        capture.set_decoding(False)
window = KioskWindow(HallClient(base_url, token), NoCardReader(), scanner, WorkerPrinter(printer_url),
                     KioskSettings(kiosk_name="kiosk-1", speech=False), speaker=ReadAloud(None, audio=False))
window.resize(1920, 1080)
window.show()
window.start()
while not (window.ctx.hall is not None and window.current_name() == "welcome"
           and (mode == "no-camera" or scanner.available())):
    app.processEvents()
    time.sleep(0.005)
if mode == "grab-only":
    scanner.set_active(False)
print("READY", flush=True)
end = time.monotonic() + float(sys.argv[6])
while time.monotonic() < end:
    app.processEvents()
    time.sleep(0.005)
if mode != "no-camera":
    st = capture.status
    print(f"CAMERA {st.frames_captured} {st.frames_decoded} {st.frames_skipped}", flush=True)
window.shutdown()
"""


def idle_video(path: Path, seconds: int = 10) -> Path:
    import cv2
    import numpy as np

    from madoguchi.devices.scanner.video_sim import SceneStyle, background, degrade

    rng = np.random.default_rng(24)
    w, h = 1280, 720
    counter = background(w, h, rng)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 30, (w, h))
    for _ in range(30 * seconds):
        frame = counter.copy()
        degrade(frame, SceneStyle(noise=3.0, blur=0.6), rng, (w / 2, h / 2))  # a new noise pattern each frame
        writer.write(frame)
    writer.release()
    return path


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(base_url: str, token: str, printer_url: str, video: Path, mode: str, seconds: float) -> tuple[float, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, base_url, token, printer_url, str(video), mode, str(seconds + 5)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
    )
    assert child.stdout is not None
    if child.stdout.readline().strip() != "READY":
        raise SystemExit(f"kiosk ({mode}) did not start")
    time.sleep(3)  # settled: the start-up work and the first seconds of the camera are behind it
    c0, t0 = cpu_seconds(child.pid), time.monotonic()
    time.sleep(seconds)
    c1, t1 = cpu_seconds(child.pid), time.monotonic()
    rest = child.stdout.read()
    child.wait(timeout=60)
    camera = next((line.split()[1:] for line in rest.splitlines() if line.startswith("CAMERA")), None)
    detail = f"captured {camera[0]}, decoded {camera[1]}, grabbed only {camera[2]}" if camera else ""
    return 100 * (c1 - c0) / (t1 - t0), detail


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    from madoguchi.apps.kiosk.demo_material import always_open_config
    from madoguchi.client.local_server import HallServerProcess
    from madoguchi.devices.printer.sim_harness import running_simulator

    with tempfile.TemporaryDirectory(prefix="kiosk-idle-") as tmp:
        root = Path(tmp)
        video = idle_video(root / "empty-counter.avi")
        hall = HallServerProcess(root / "hall", config_path=always_open_config(root / "config")).start()
        try:
            with running_simulator(out_dir=root / "printed") as sim:
                print(
                    f"idle kiosk on the welcome screen, {args.seconds:.0f} s windows, {args.runs} runs, "
                    f"{os.cpu_count()} cores; CPU of the kiosk process as % of one core"
                )
                for mode, label in (
                    ("no-camera", "no camera"),
                    ("watching", "camera on, as the kiosk runs it"),
                    ("grab-only", "camera on, nothing decoded (file reading)"),
                    ("every-frame", "camera on, every frame decoded (before)"),
                ):
                    shares, detail = [], ""
                    for _ in range(args.runs):
                        share, detail = run(hall.base_url, hall.tokens["kiosk-1"], sim.url, video, mode, args.seconds)
                        shares.append(share)
                    cells = " ".join(f"{x:5.1f}" for x in shares)
                    print(f"  {label:44} median {statistics.median(shares):5.1f} %  (runs: {cells})  {detail}")
        finally:
            hall.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
