"""``madoguchi scan`` through a subprocess, as an installer would run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np

from madoguchi.devices.scanner.qr_segments import ByteSegment, qr_image


def scan(repo_root: Path, *args: str) -> tuple[int, list[dict]]:  # type: ignore[type-arg]
    proc = subprocess.run(
        [sys.executable, "-m", "madoguchi", "scan", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        cwd=repo_root,
    )
    return proc.returncode, [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def test_scan_images_and_a_video(
    repo_root: Path, tmp_path: Path, sim_video: Path, sim_video_texts: tuple[str, ...]
) -> None:
    code = tmp_path / "sjis.png"
    cv2.imwrite(
        str(code), np.pad(qr_image([ByteSegment("住民票 2通".encode("shift_jis"))], 5), 30, constant_values=255)
    )
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((200, 300), 255, np.uint8))
    rc, lines = scan(repo_root, str(code), str(blank), str(sim_video), "--every", "3")
    assert rc == 0
    assert lines[0]["file"] == str(code)
    assert [c["text"] for c in lines[0]["codes"]] == ["住民票 2通"]
    assert lines[0]["codes"][0]["symbology"] == "QRCode"
    assert lines[0]["codes"][0]["charset"] == "shift_jis"
    assert len(lines[0]["codes"][0]["corners"]) == 4
    assert isinstance(lines[0]["ms"], float)
    assert lines[1] == {"file": str(blank), "codes": [], "ms": lines[1]["ms"], "cpu_ms": lines[1]["cpu_ms"]}
    video_lines = [rec for rec in lines[2:] if rec["file"] == str(sim_video)]
    assert video_lines and all(rec["frame"] % 3 == 0 for rec in video_lines)
    assert set(sim_video_texts) <= {c["text"] for rec in video_lines for c in rec["codes"]}


def test_unreadable_file_is_reported_not_a_traceback(repo_root: Path, tmp_path: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("not an image", encoding="utf-8")
    rc, lines = scan(repo_root, str(junk), str(tmp_path / "missing.png"))
    assert rc == 2
    assert [rec["error"] for rec in lines] == ["file_unreadable", "file_unreadable"]
