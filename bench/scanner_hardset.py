"""Deterministic hard set of camera-like images for the 2D-code benchmark (generated, never committed).

Each category stresses one thing a kiosk camera meets: small modules, tilt, blur, noise, low contrast, glare,
curved paper, phone screens (moiré), several codes per image, everything at once, and code-free frames for
false decodes. ``generate(root, seed)`` writes PNGs plus ``truth.json`` (file → expected texts).
"""

from __future__ import annotations

import json
import string
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

# bench/scanner.py would shadow the ``scanner`` package when this runs as a script: use the repository root.
_BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH]
sys.path.insert(0, str(_BENCH.parent))

from madoguchi.devices.scanner.qr_segments import ByteSegment, EciSegment, Segment, kanji_segment  # noqa: E402
from madoguchi.devices.scanner.video_sim import SceneStyle, background, degrade, scene  # noqa: E402

JAPANESE = ["申請書", "住民票の写し", "市民課", "印鑑登録証明書", "転入届", "窓口", "予約確認"]


@dataclass(frozen=True)
class Case:
    name: str
    frame: np.ndarray
    texts: list[str]


def _token(rng: np.random.Generator, n: int) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(alphabet[int(i)] for i in rng.integers(0, len(alphabet), n))


def _content(rng: np.random.Generator) -> tuple[str | list[Segment], str]:
    """A payload as the field sees them: our formats, URLs, Japanese text in its three encodings."""
    kind = int(rng.integers(0, 7))
    if kind == 0:
        text = f"MDR1:{_token(rng, 12)}"
    elif kind == 1:
        text = f"https://hall.example.jp/t/{_token(rng, 16)}"
    elif kind == 2:
        text = f"MDT1:{_token(rng, 10)}"
    elif kind == 3:
        text = f"MDG1:{_token(rng, int(rng.integers(20, 120)))}"
    elif kind == 4:  # Shift_JIS bytes, no ECI
        text = f"{JAPANESE[int(rng.integers(0, len(JAPANESE)))]} {_token(rng, 6)}"
        return [ByteSegment(text.encode("shift_jis"))], text
    elif kind == 5:  # kanji mode
        jp = JAPANESE[int(rng.integers(0, len(JAPANESE)))]
        tok = _token(rng, 4)
        return [kanji_segment(jp), ByteSegment(f" {tok}".encode())], f"{jp} {tok}"
    else:  # Shift_JIS behind ECI 20
        text = f"{JAPANESE[int(rng.integers(0, len(JAPANESE)))]} {_token(rng, 5)}"
        return [EciSegment(20), ByteSegment(text.encode("shift_jis"))], text
    return text, text


CATEGORIES: dict[str, dict[str, tuple[float, float]]] = {
    "small": {"module_px": (1.3, 2.6), "blur": (0.0, 0.6), "noise": (0, 4)},
    "tilt": {"module_px": (3, 7), "tilt": (0.12, 0.28), "rotation": (-60, 60)},
    "blur": {"module_px": (3, 7), "blur": (1.2, 2.8), "motion": (0, 8)},
    "noise": {"module_px": (2.5, 6), "noise": (12, 30), "jpeg": (40, 80)},
    "lowcontrast": {"module_px": (3, 7), "contrast": (0.12, 0.3), "noise": (1, 5)},
    "glare": {"module_px": (3, 7), "glare": (0.5, 1.0), "blur": (0, 1)},
    "curved": {"module_px": (3, 7), "curve": (0.15, 0.45), "rotation": (-20, 20)},
    "screen": {"module_px": (2.5, 6), "rotation": (-30, 30), "tilt": (0, 0.1), "blur": (0, 0.8)},
    "multi": {"module_px": (2.5, 5), "rotation": (-40, 40), "tilt": (0, 0.08), "blur": (0, 1)},
    "mixed": {
        "module_px": (1.8, 5),
        "rotation": (-45, 45),
        "tilt": (0, 0.15),
        "blur": (0, 1.6),
        "noise": (0, 12),
        "contrast": (0.3, 1.0),
        "glare": (0, 0.6),
        "curve": (0, 0.25),
    },
}
SIZES = ((1920, 1080), (1280, 720))


def _style(rng: np.random.Generator, ranges: dict[str, tuple[float, float]], screen: bool) -> SceneStyle:
    values = {k: float(rng.uniform(lo, hi)) for k, (lo, hi) in ranges.items()}
    if "jpeg" in values:
        values["jpeg"] = int(values["jpeg"])
    return SceneStyle(screen=screen, **values)  # type: ignore[arg-type]


def cases(seed: int = 2026, per_category: int = 36, negatives: int = 40) -> Iterator[Case]:
    rng = np.random.default_rng(seed)
    for cat, ranges in CATEGORIES.items():
        for i in range(per_category):
            size = SIZES[i % 2]
            n_codes = int(rng.integers(2, 5)) if cat == "multi" else 1
            pairs = [_content(rng) for _ in range(n_codes)]
            style = _style(rng, ranges, screen=(cat == "screen"))
            w, h = size
            centers: Sequence[tuple[float, float]] = [
                (float(rng.uniform(0.2, 0.8) * w), float(rng.uniform(0.3, 0.7) * h))
            ]
            if n_codes > 1:
                cols = n_codes
                centers = [((k + 0.5) * w / cols, h * float(rng.uniform(0.35, 0.65))) for k in range(cols)]
            sc = scene(
                [c for c, _ in pairs],
                [t for _, t in pairs],
                size=size,
                style=style,
                seed=int(rng.integers(0, 2**31)),
                centers=centers,
            )
            yield Case(f"{cat}-{i:03d}", sc.frame, [t for _, t in pairs])
    for i in range(negatives):
        w, h = SIZES[i % 2]
        frame = background(w, h, rng)
        style = SceneStyle(noise=float(rng.uniform(0, 25)), blur=float(rng.uniform(0, 1.5)))
        degrade(frame, style, rng, (w / 2, h / 2))
        if i % 4 == 0:  # pure sensor noise
            frame = rng.integers(0, 256, frame.shape, dtype=np.uint8)
        yield Case(f"none-{i:03d}", frame, [])


def generate(root: Path, seed: int = 2026, per_category: int = 36, negatives: int = 40) -> dict[str, list[str]]:
    """Write the set as PNG files under ``root``; returns (and writes truth.json) file name → texts."""
    root.mkdir(parents=True, exist_ok=True)
    truth: dict[str, list[str]] = {}
    for case in cases(seed, per_category, negatives):
        name = f"{case.name}.png"
        cv2.imwrite(str(root / name), case.frame)
        truth[name] = case.texts
    (root / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return truth


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/madoguchi-scanner-hardset")
    t = generate(out)
    print(f"{len(t)} images in {out}")
