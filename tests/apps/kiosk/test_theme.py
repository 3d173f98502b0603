"""Sizes and colours: touch targets >= 20 mm, body >= 28 px at 1080p, high contrast >= 7:1."""

from __future__ import annotations

import pytest

from madoguchi.apps.kiosk.theme import HIGH_CONTRAST, MIN_PX_PER_MM_1080, NORMAL, Theme, contrast_ratio, text_pairs


def test_contrast_ratio_reference_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)


def test_high_contrast_pairs_reach_7_to_1() -> None:
    for fg, bg in text_pairs(HIGH_CONTRAST):
        assert contrast_ratio(fg, bg) >= 7.0, (fg, bg)


def test_normal_pairs_reach_7_to_1_too() -> None:
    for fg, bg in text_pairs(NORMAL):
        assert contrast_ratio(fg, bg) >= 7.0, (fg, bg)


@pytest.mark.parametrize("large", [False, True])
def test_sizes_at_1080p(large: bool) -> None:
    theme = Theme(1.0, large_text=large)
    assert theme.touch_px / MIN_PX_PER_MM_1080 >= 20.0
    assert theme.body_px >= 28 and theme.small_px >= 28
    if large:
        assert theme.body_px > Theme(1.0).body_px


def test_style_sheet_uses_noto_cjk() -> None:
    assert "Noto Sans CJK JP" in Theme().style_sheet()
