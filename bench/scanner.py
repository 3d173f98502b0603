"""2D-code decode benchmark: plain zxing-cpp vs the scanner pipeline on a generated hard set.

Usage: .venv/bin/python bench/scanner.py [--dir DIR] [--seed N] [--per-category N]
Generates the hard set (bench/scanner_hardset.py) into a temp dir unless --dir holds one already, then prints
decode rate, false decodes and ms per frame (p50/p95) at 720p and 1080p, single-threaded. Never fails on time.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import zxingcpp

# This file is called scanner.py too: drop bench/ from the path so ``scanner`` is the package.
_BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH]
sys.path.insert(0, str(_BENCH.parent))

from madoguchi.devices.scanner.agreement import AgreementFilter  # noqa: E402
from madoguchi.devices.scanner.decode import FrameDecoder  # noqa: E402
from madoguchi.devices.scanner.watching import Watch  # noqa: E402


def _load_hardset():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("scanner_hardset", _BENCH / "scanner_hardset.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["scanner_hardset"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


generate = _load_hardset().generate

Decoder = Callable[[np.ndarray], list[str | None]]


def plain_zxing(frame: np.ndarray) -> list[str | None]:
    """What an integrator gets from the one-line call: every format, default options, zxing's own text."""
    return [b.text for b in zxingcpp.read_barcodes(frame)]


def plain_zxing_qr(frame: np.ndarray) -> list[str | None]:
    fmts = zxingcpp.barcode_formats_from_str("QRCode,MicroQRCode,RMQRCode")
    return [b.text for b in zxingcpp.read_barcodes(frame, formats=fmts)]


def opencv_only(frame: np.ndarray) -> list[str | None]:
    det = cv2.QRCodeDetector()
    try:
        ok, payloads, _, _ = det.detectAndDecodeBytesMulti(frame)
    except cv2.error:
        return []
    from madoguchi.devices.scanner.charset import guess

    return [guess(_undo_latin1_utf8(bytes(p))).text for p in payloads if len(p)] if ok else []


def _undo_latin1_utf8(data: bytes) -> bytes:
    """OpenCV 5's "bytes" API hands back byte-mode data transcoded Latin-1 → UTF-8 (Shift_JIS 0x88 comes back
    as C2 88); undo that so the comparison measures detection, not this transcoding."""
    try:
        return data.decode("utf-8").encode("latin-1")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return data


def pipeline(decoder: FrameDecoder) -> Decoder:
    return lambda frame: [c.text for c in decoder.decode(frame)]


class HeldUp:
    """A resident holding the code still for ``frames`` camera frames (15 fps): the kiosk configuration, with
    stage rotation across frames and the two-frame agreement rule. Timing is per frame."""

    def __init__(self, frames: int = 4) -> None:
        self.frames = frames
        self.decoder = FrameDecoder(budget_ms=15, rotate_stages=True)
        self.frame_cpu_ms: dict[int, list[float]] = defaultdict(list)

    def __call__(self, frame: np.ndarray) -> list[str | None]:
        agreement = AgreementFilter(frames_needed=2, window_s=1.0)
        self.decoder.reset()
        accepted: list[str | None] = []
        for i in range(self.frames):
            c0 = time.thread_time()
            codes = self.decoder.decode(frame)
            self.frame_cpu_ms[frame.shape[0]].append((time.thread_time() - c0) * 1000)
            accepted.extend(c.text for c in agreement.feed(codes, now=i / 15))
        return accepted


class Watched(HeldUp):
    """The kiosk's camera as it runs now (``watching.Watch``): it has watched an empty counter long enough to be
    in its cheap mode when the code appears, then the resident holds it for ``frames`` frames (15 fps)."""

    def __call__(self, frame: np.ndarray) -> list[str | None]:
        from madoguchi.devices.scanner.video_sim import background

        watch = Watch(self.decoder)
        agreement = AgreementFilter(frames_needed=2, window_s=1.0)
        self.decoder.reset()
        counter = background(frame.shape[1], frame.shape[0], np.random.default_rng(frame.shape[0]))
        for t in (0.0, 3.0, 3.2):  # opened (active), then still long enough to be watching only
            watch.look(counter, t)
        assert not watch.active(3.3)
        accepted: list[str | None] = []
        for i in range(self.frames):
            c0 = time.thread_time()
            codes = watch.look(frame, 3.4 + i / 15)
            self.frame_cpu_ms[frame.shape[0]].append((time.thread_time() - c0) * 1000)
            accepted.extend(c.text for c in agreement.feed(codes, now=3.4 + i / 15))
        return accepted


def evaluate(name: str, decode: Decoder, images: dict[str, np.ndarray], truth: dict[str, list[str]]) -> dict:
    hits = total = false = 0
    per_cat: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    ms_by_size: dict[int, list[float]] = defaultdict(list)
    cpu_by_size: dict[int, list[float]] = defaultdict(list)
    for fname, img in images.items():
        expected = Counter(truth[fname])
        t0, c0 = time.perf_counter(), time.thread_time()
        texts = decode(img)
        ms_by_size[img.shape[0]].append((time.perf_counter() - t0) * 1000)
        cpu_by_size[img.shape[0]].append((time.thread_time() - c0) * 1000)
        got = Counter(t for t in texts)
        ok = sum(min(n, got[t]) for t, n in expected.items())
        false += sum(n for t, n in got.items() if t not in expected)
        hits += ok
        total += sum(expected.values())
        cat = fname.split("-")[0]
        per_cat[cat][0] += ok
        per_cat[cat][1] += sum(expected.values())

    def pcts(d: dict[int, list[float]]) -> dict[int, tuple[float, float, float]]:
        return {h: (float(np.percentile(v, 50)), float(np.percentile(v, 95)), float(np.max(v))) for h, v in d.items()}

    return {
        "name": name,
        "hits": hits,
        "total": total,
        "false": false,
        "per_cat": dict(per_cat),
        "timing": pcts(ms_by_size),
        "cpu": pcts(getattr(decode, "frame_cpu_ms", None) or cpu_by_size),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", type=Path, help="existing or new hard-set directory (default: a temp dir)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--per-category", type=int, default=36)
    ap.add_argument("--with-opencv", action="store_true", help="also measure OpenCV alone and as a fallback")
    args = ap.parse_args()
    cv2.setNumThreads(1)

    tmp = None
    root = args.dir
    if root is None:
        tmp = tempfile.TemporaryDirectory(prefix="scanner-hardset-")
        root = Path(tmp.name)
    if not (root / "truth.json").exists():
        t0 = time.perf_counter()
        generate(root, args.seed, args.per_category)
        print(f"generated hard set in {root} ({time.perf_counter() - t0:.0f} s)")
    truth: dict[str, list[str]] = json.loads((root / "truth.json").read_text(encoding="utf-8"))
    images = {f: cv2.imread(str(root / f), cv2.IMREAD_COLOR) for f in truth}
    n_codes = sum(len(v) for v in truth.values())
    print(f"{len(images)} images, {n_codes} codes, {sum(1 for v in truth.values() if not v)} without a code")

    runs: list[tuple[str, Decoder]] = [
        ("plain zxing-cpp (defaults)", plain_zxing),
        ("plain zxing-cpp (QR formats)", plain_zxing_qr),
        ("pipeline, 15 ms budget", pipeline(FrameDecoder(budget_ms=15))),
        ("pipeline, no budget", pipeline(FrameDecoder(budget_ms=None))),
        ("kiosk: 15 ms, 4 frames held, agreement", HeldUp(frames=4)),
        ("kiosk camera watching, then 4 frames held", Watched(frames=4)),
    ]
    if args.with_opencv:
        runs.append(("OpenCV QRCodeDetector alone", opencv_only))
        full = FrameDecoder(budget_ms=None)

        def with_opencv(frame: np.ndarray) -> list[str | None]:
            texts = [c.text for c in full.decode(frame)]
            return texts or opencv_only(frame)  # OpenCV as a fallback only when the pipeline read nothing

        runs.append(("pipeline + OpenCV fallback, no budget", with_opencv))
    results = [evaluate(name, fn, images, truth) for name, fn in runs]

    cats = sorted({c for r in results for c in r["per_cat"]})
    print()
    print(f"{'decoder':40} {'decoded':>14} {'false':>5}  " + " ".join(f"{c[:7]:>7}" for c in cats))
    for r in results:
        rate = 100 * r["hits"] / max(r["total"], 1)
        cells = " ".join(f"{100 * h / t:6.0f}%" if t else f"{'-':>7}" for h, t in (r["per_cat"][c] for c in cats))
        print(f"{r['name']:40} {r['hits']:4}/{r['total']:<4} {rate:3.0f}% {r['false']:5}  {cells}")
    print()
    for key, title in (
        ("cpu", "CPU time of the decoding thread (kiosk row: per frame)"),
        ("timing", "wall clock, machine load adds (kiosk row: all frames of an image)"),
    ):
        print(f"ms per frame, {title}, single thread:")
        print(f"{'decoder':40} {'720p p50/p95/max':>22} {'1080p p50/p95/max':>22}")
        for r in results:
            cells = [f"{a:6.1f}/{b:5.1f}/{c:5.1f}" for a, b, c in (r[key].get(h, (0, 0, 0)) for h in (720, 1080))]
            print(f"{r['name']:40} {cells[0]:>22} {cells[1]:>22}")
        print()
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
