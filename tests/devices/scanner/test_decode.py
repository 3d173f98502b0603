"""Decoding generated codes: every Japanese encoding, sizes, angles, blur, noise; exact text, no false reads."""

from __future__ import annotations

import numpy as np
import pytest

from madoguchi.devices.scanner.decode import FrameDecoder
from madoguchi.devices.scanner.qr_segments import ByteSegment, EciSegment, Segment, kanji_segment, qr_image
from madoguchi.devices.scanner.video_sim import SceneStyle, background, degrade, scene

ENCODINGS: dict[str, tuple[list[Segment], str | None]] = {
    "utf8": ([ByteSegment("住民票の写し 2通 https://x.jp".encode())], "住民票の写し 2通 https://x.jp"),
    "utf8-eci": ([EciSegment(26), ByteSegment("転入届 ①".encode())], "転入届 ①"),
    "sjis-no-eci": ([ByteSegment("印鑑登録証明書 A-015".encode("shift_jis"))], "印鑑登録証明書 A-015"),
    "sjis-eci": ([EciSegment(20), ByteSegment("市民課 窓口3".encode("shift_jis"))], "市民課 窓口3"),
    "kanji-mode": ([kanji_segment("申請書予約確認")], "申請書予約確認"),
    "kanji-and-bytes": ([kanji_segment("窓口"), ByteSegment(b" 12")], "窓口 12"),
    "half-width-katakana": ([ByteSegment("ｼﾐﾝｶ ﾏﾄﾞｸﾞﾁ".encode("shift_jis"))], "ｼﾐﾝｶ ﾏﾄﾞｸﾞﾁ"),
    # C3 BD is also valid UTF-8 for "ý": without an ECI either could be meant, so the text is "unknown"
    "half-width-katakana-short": ([ByteSegment("ﾃｽ".encode("shift_jis"))], None),
    "half-width-katakana-short-eci": ([EciSegment(20), ByteSegment("ﾃｽ".encode("shift_jis"))], "ﾃｽ"),
    "half-width-katakana-eci": ([EciSegment(20), ByteSegment("ｱｲｳ".encode("shift_jis"))], "ｱｲｳ"),
}


@pytest.fixture(scope="module")
def decoder() -> FrameDecoder:
    return FrameDecoder(budget_ms=None)


@pytest.mark.parametrize("name", list(ENCODINGS))
def test_every_japanese_encoding_decodes_to_the_exact_text(decoder: FrameDecoder, name: str) -> None:
    segments, text = ENCODINGS[name]
    img = np.pad(qr_image(segments, module_px=6), 40, constant_values=255)
    codes = decoder.decode(img)
    assert [c.text for c in codes] == [text]
    assert codes[0].symbology == "QRCode"


@pytest.mark.parametrize(
    ("label", "style"),
    [
        ("small", SceneStyle(module_px=2.2)),
        ("large", SceneStyle(module_px=9)),
        ("rotated", SceneStyle(module_px=5, rotation=37)),
        ("upside-down", SceneStyle(module_px=5, rotation=180)),
        ("tilted", SceneStyle(module_px=5, tilt=0.15, rotation=-20)),
        ("blurred", SceneStyle(module_px=5, blur=1.6)),
        ("motion", SceneStyle(module_px=5, motion=6)),
        ("noisy", SceneStyle(module_px=4, noise=18)),
        ("low-contrast", SceneStyle(module_px=5, contrast=0.2, noise=2)),
        ("curved", SceneStyle(module_px=5, curve=0.3)),
        ("glare", SceneStyle(module_px=5, glare=0.5)),
        ("phone-screen", SceneStyle(module_px=4, screen=True, rotation=12)),
    ],
)
def test_codes_in_camera_like_scenes(decoder: FrameDecoder, label: str, style: SceneStyle) -> None:
    texts = ["MDR1:RES-2026-0042", "窓口 ﾃｽﾄ"]
    contents: list[str | list[Segment]] = [texts[0], [ByteSegment(texts[1].encode("shift_jis"))]]
    sc = scene(contents, texts, size=(1280, 720), style=style, seed=7)
    got = sorted(c.text or "" for c in decoder.decode(sc.frame))
    assert got == sorted(texts), label


def test_multiple_codes_in_one_frame_with_their_corners(decoder: FrameDecoder) -> None:
    texts = [f"MDT1:tok{i}abcd" for i in range(4)]
    sc = scene(texts, texts, size=(1920, 1080), style=SceneStyle(module_px=6, rotation=15), seed=3)
    codes = decoder.decode(sc.frame)
    assert sorted(c.text or "" for c in codes) == texts
    for code in codes:
        truth = next(p for p in sc.codes if p.text == code.text)
        tx = sum(x for x, _ in truth.corners) / 4
        ty = sum(y for _, y in truth.corners) / 4
        assert abs(code.center[0] - tx) < 15 and abs(code.center[1] - ty) < 15


def test_downscaled_frame_falls_back_to_full_resolution_for_small_modules(decoder: FrameDecoder) -> None:
    # 1.6 px per module at 1080p becomes ~1 px after the downscale to 1280: only the full-res stage reads it.
    sc = scene(["MDR1:SMALL-CODE-1"], ["MDR1:SMALL-CODE-1"], size=(1920, 1080), style=SceneStyle(module_px=1.6))
    codes = decoder.decode(sc.frame)
    assert [c.text for c in codes] == ["MDR1:SMALL-CODE-1"]
    assert decoder.stats.found_by != {"base": 1}


def test_light_on_dark_code_from_a_dark_mode_phone(decoder: FrameDecoder) -> None:
    img = 255 - np.pad(qr_image([ByteSegment(b"MDT1:darkmode1")], module_px=5), 30, constant_values=255)
    assert [c.text for c in decoder.decode(img)] == ["MDT1:darkmode1"]


@pytest.mark.parametrize("seed", range(6))
def test_no_false_decodes_on_blank_clutter_and_noise(decoder: FrameDecoder, seed: int) -> None:
    rng = np.random.default_rng(seed)
    frames = [
        np.full((720, 1280, 3), 255, np.uint8),
        np.zeros((720, 1280), np.uint8),
        rng.integers(0, 256, (720, 1280, 3), dtype=np.uint8),
    ]
    cluttered = background(1280, 720, rng)
    degrade(cluttered, SceneStyle(noise=15, blur=0.8), rng, (640, 360))
    frames.append(cluttered)
    for frame in frames:
        assert decoder.decode(frame) == []


def test_repr_never_shows_content(decoder: FrameDecoder) -> None:
    img = np.pad(qr_image([ByteSegment("山田太郎".encode())], module_px=4), 20, constant_values=255)
    (code,) = decoder.decode(img)
    assert "山田" not in repr(code)
    assert code.raw == "山田太郎".encode()


def test_budget_still_runs_the_first_stage() -> None:
    img = np.pad(qr_image([ByteSegment(b"MDR1:X1")], module_px=4), 20, constant_values=255)
    decoder = FrameDecoder(budget_ms=0.0)
    assert [c.text for c in decoder.decode(img)] == ["MDR1:X1"]


class SteppingClock:
    """CPU clock stand-in: every reading is 4 ms later, so a 10 ms budget leaves room for one extra stage."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 0.004
        return self.now


def test_frames_out_of_budget_hand_the_remaining_stages_to_the_next_frame() -> None:
    blank = np.full((1080, 1920), 200, np.uint8)
    decoder = FrameDecoder(budget_ms=10, rotate_stages=True, clock=SteppingClock())
    runs = []
    for _ in range(7):
        decoder.decode(blank)
        runs.append(decoder.stats.stages_run)
    assert all(r[0] == "base" and len(r) == 2 for r in runs)
    extra = [r[1] for r in runs]
    assert extra[:6] == ["histogram", "full", "smooth", "sharpen", "clahe", "inverted"]
    assert extra[6] == "histogram"


def test_without_rotation_every_frame_starts_with_the_most_useful_stage() -> None:
    blank = np.full((1080, 1920), 200, np.uint8)
    decoder = FrameDecoder(budget_ms=10, clock=SteppingClock())
    for _ in range(3):
        decoder.decode(blank)
        assert decoder.stats.stages_run == ["base", "histogram"]


def test_a_stage_that_read_the_code_goes_first_on_the_next_frame() -> None:
    # Light-on-dark: only the inverted stage reads it. Once it has, the next frame starts there, so two
    # consecutive frames agree at once (the agreement rule) although the budget allows one extra stage.
    img = 255 - np.pad(qr_image([ByteSegment(b"MDT1:darkmode2")], module_px=5), 30, constant_values=255)
    decoder = FrameDecoder(budget_ms=10, rotate_stages=True, clock=SteppingClock())
    texts = []
    for _ in range(7):
        texts.append([c.text for c in decoder.decode(img)])
    first = next(i for i, t in enumerate(texts) if t)
    assert texts[first:] == [["MDT1:darkmode2"]] * (7 - first)
    assert decoder.stats.stages_run == ["base", "inverted"]


def test_tiny_photo_is_upscaled(decoder: FrameDecoder) -> None:
    import cv2

    img = np.pad(
        qr_image([ByteSegment(b"https://hall.example.jp/t/SmallPhoto123")], module_px=4), 40, constant_values=255
    )
    tiny = cv2.GaussianBlur(cv2.resize(img, None, fx=0.3, fy=0.3, interpolation=cv2.INTER_AREA), (0, 0), 0.5)
    assert [c.text for c in decoder.decode(tiny)] == ["https://hall.example.jp/t/SmallPhoto123"]
