"""``madoguchi scan IMAGE_OR_VIDEO...``: decode 2D codes in files, one JSON line per image or per video frame hit.

For installers checking a camera and anyone measuring the decoder on their own images. Each line holds the
file, the frame number (videos), the codes (text, symbology, charset, corner points) and the decode time.
``ms`` is wall-clock time, ``cpu_ms`` the decoding thread's CPU time (stable on a busy machine).
The decoded text is printed because the person running this asked for it; nothing goes to the log.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="IMAGE_OR_VIDEO", help="image or video files")
    parser.add_argument(
        "--budget-ms",
        type=float,
        default=None,
        help="per-frame work budget as on a kiosk (default: no budget, every stage runs)",
    )
    parser.add_argument(
        "--exhaustive", action="store_true", help="run every stage even after all detected codes were read"
    )
    parser.add_argument("--every", type=int, default=1, metavar="N", help="videos: decode every N-th frame")
    parser.add_argument("--raw", action="store_true", help="also print the raw payload bytes as hex")


def _codes_json(codes: list[Any], raw: bool) -> list[dict[str, Any]]:
    out = []
    for c in codes:
        item: dict[str, Any] = {
            "text": c.text,
            "symbology": c.symbology,
            "charset": c.charset,
            "corners": [[round(x, 1), round(y, 1)] for x, y in c.corners],
        }
        if raw:
            item["raw_hex"] = c.raw.hex()
        out.append(item)
    return out


def run(args: argparse.Namespace) -> int:
    import cv2

    from madoguchi.devices.scanner.decode import FrameDecoder
    from madoguchi.devices.scanner.errors import ScannerErrorReason

    cv2.setNumThreads(1)
    decoder = FrameDecoder(budget_ms=args.budget_ms, exhaustive=args.exhaustive)
    status = 0

    def emit(record: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()

    for name in args.files:
        path = Path(name)
        image = cv2.imread(str(path), cv2.IMREAD_COLOR) if path.is_file() else None
        if image is not None:
            t0 = time.perf_counter()
            codes = decoder.decode(image)
            ms = (time.perf_counter() - t0) * 1000
            cpu = round(decoder.stats.ms, 2)
            emit({"file": name, "codes": _codes_json(codes, args.raw), "ms": round(ms, 2), "cpu_ms": cpu})
            continue
        cap = cv2.VideoCapture(str(path)) if path.is_file() else None
        if cap is None or not cap.isOpened():
            emit({"file": name, "error": ScannerErrorReason.FILE_UNREADABLE.value, "codes": []})
            status = 2
            continue
        frame_no = -1
        try:
            while True:
                ok, frame = cap.read()
                if not ok:
                    break
                frame_no += 1
                if frame_no % max(args.every, 1):
                    continue
                t0 = time.perf_counter()
                codes = decoder.decode(frame)
                ms = (time.perf_counter() - t0) * 1000
                if codes:
                    record = {"file": name, "frame": frame_no, "codes": _codes_json(codes, args.raw)}
                    emit(record | {"ms": round(ms, 2), "cpu_ms": round(decoder.stats.ms, 2)})
        finally:
            cap.release()
        if frame_no < 0:
            emit({"file": name, "error": ScannerErrorReason.FILE_UNREADABLE.value, "codes": []})
            status = 2
    return status
