"""Sizes, colours and the Qt style sheet of the kiosk, for an 80-year-old resident at arm's length.

Sizes are pixels at 1080 lines and scale with the screen's short side. Touch targets are at least 20 mm: on
the largest usual 1080p kiosk panel (27", ~81 px/in, 3.2 px/mm) that is 64 px; we use 110 px so a shaky finger
still hits. Body text is 32 px (large text: 44 px). High contrast is white/yellow on black, every pair >= 7:1
(``contrast_ratio`` checks it in the tests). The start button (96 px) and the language names (36 px) keep their
size in large text: they are large already, and the welcome screen must still hold all ten names.
"""

from __future__ import annotations

from dataclasses import dataclass

FONT_FAMILY = "Noto Sans CJK JP"
#: pixels per millimetre of the largest 1080p panel we expect (27 inch); smaller panels only make things bigger
MIN_PX_PER_MM_1080 = 3.2
MIN_TOUCH_MM = 20.0


@dataclass(frozen=True)
class Palette:
    background: str
    surface: str
    text: str
    muted: str
    primary: str
    on_primary: str
    secondary: str
    on_secondary: str
    disabled: str
    on_disabled: str
    danger: str
    on_danger: str
    accent: str  # the ticket number
    warning: str  # a notice the resident must not miss (no paper): background
    on_warning: str


NORMAL = Palette(
    background="#F4F1EA",
    surface="#FFFFFF",
    text="#1A1A1A",
    muted="#3D3D3D",
    primary="#0B4F8A",
    on_primary="#FFFFFF",
    secondary="#FFFFFF",
    on_secondary="#0B3A66",
    disabled="#D6D6D6",
    on_disabled="#3D3D3D",
    danger="#9E1B1B",
    on_danger="#FFFFFF",
    accent="#0B3A66",
    warning="#FFE9A6",
    on_warning="#1A1A1A",
)

HIGH_CONTRAST = Palette(
    background="#000000",
    surface="#000000",
    text="#FFFFFF",
    muted="#FFFFFF",
    primary="#FFD500",
    on_primary="#000000",
    secondary="#000000",
    on_secondary="#FFD500",
    disabled="#1E1E1E",
    on_disabled="#E0E0E0",
    danger="#FFFFFF",
    on_danger="#000000",
    accent="#FFD500",
    warning="#000000",
    on_warning="#FFD500",
)


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#RRGGBB`` colours (1..21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_pairs(p: Palette) -> list[tuple[str, str]]:
    """(foreground, background) pairs the screens actually use."""
    return [
        (p.text, p.background),
        (p.muted, p.background),
        (p.text, p.surface),
        (p.on_primary, p.primary),
        (p.on_secondary, p.secondary),
        (p.on_disabled, p.disabled),
        (p.on_danger, p.danger),
        (p.accent, p.surface),
        (p.on_warning, p.warning),
    ]


@dataclass(frozen=True)
class Theme:
    scale: float = 1.0
    large_text: bool = False
    high_contrast: bool = False
    #: the resident's language's font (``translations.languages``): Chinese glyph forms for Chinese, Korean for
    #: Korean, Noto Sans's tighter lines for Latin scripts; Qt falls back per character for other scripts
    font_family: str = FONT_FAMILY

    @property
    def palette(self) -> Palette:
        return HIGH_CONTRAST if self.high_contrast else NORMAL

    def px(self, at_1080: float) -> int:
        return round(at_1080 * self.scale)

    @property
    def text_factor(self) -> float:
        return 1.35 if self.large_text else 1.0

    @property
    def body_px(self) -> int:
        return self.px(32 * self.text_factor)

    @property
    def small_px(self) -> int:
        return self.px(28 * self.text_factor)

    @property
    def title_px(self) -> int:
        return self.px(52 * self.text_factor)

    @property
    def button_px(self) -> int:
        return self.px(36 * self.text_factor)

    @property
    def number_px(self) -> int:
        return self.px(200)

    @property
    def touch_px(self) -> int:
        """Minimum height/width of anything touchable."""
        return max(self.px(100), round(MIN_TOUCH_MM * MIN_PX_PER_MM_1080 * self.scale))

    @property
    def min_touch_px(self) -> int:
        """The 20 mm every touch target keeps: the life events' entry, two lines that must not cost the procedure
        list a page, is held to this rather than to ``touch_px``."""
        return round(MIN_TOUCH_MM * MIN_PX_PER_MM_1080 * self.scale)

    @property
    def key_px(self) -> int:
        return self.px(118)

    def button_text(self, kind: str, checked: bool, pressed: bool, enabled: bool) -> str:
        """A button's text colour in a state, as ``style_sheet`` gives it (for buttons that paint their text)."""
        p = self.palette
        if not enabled:
            return p.on_disabled
        if checked or pressed:
            return p.on_primary
        return {"primary": p.on_primary, "danger": p.on_danger}.get(kind, p.on_secondary)

    def style_sheet(self) -> str:
        p = self.palette
        border = self.px(4) if self.high_contrast else self.px(2)
        radius = self.px(18)
        return f"""
QWidget#kioskRoot, QStackedWidget, QWidget[screen="true"] {{ background: {p.background}; }}
QWidget {{ font-family: "{self.font_family}"; color: {p.text}; font-size: {self.body_px}px; }}
QLabel {{ background: transparent; }}
QLabel[role="strong"] {{ font-weight: bold; color: {p.on_secondary}; }}
QPushButton:disabled QLabel {{ color: {p.on_disabled}; }}
QPushButton#startButton {{ font-size: {self.px(96)}px; }}
QScrollBar:vertical {{ width: {self.px(40)}px; }}
QLabel[role="title"] {{ font-size: {self.title_px}px; font-weight: bold; }}
QLabel[role="small"] {{ font-size: {self.small_px}px; color: {p.muted}; }}
QLabel[role="number"] {{ font-size: {self.number_px}px; font-weight: bold; color: {p.accent}; }}
QLabel[role="error"] {{ font-size: {self.body_px}px; font-weight: bold; color: {p.on_danger};
    background: {p.danger}; border-radius: {radius}px; padding: {self.px(16)}px; }}
QLabel[role="notice"] {{ background: {p.surface}; border: {border}px solid {p.text}; border-radius: {radius}px;
    padding: {self.px(16)}px; }}
QLabel[role="error"][textsize="title"], QLabel[role="notice"][textsize="title"] {{ font-size: {self.title_px}px;
    font-weight: bold; }}
QLabel[other="true"][role="strong"] {{ font-size: {self.px(30)}px; }}
QLabel[other="true"][role="small"] {{ font-size: {self.px(26)}px; }}
QLabel[role="notice"][textsize="small"] {{ font-weight: bold; padding: {self.px(8)}px; background: {p.warning};
    color: {p.on_warning}; border-color: {p.on_warning}; }}
QFrame[role="card"] {{ background: {p.surface}; border: {border}px solid {p.muted}; border-radius: {radius}px; }}
QPushButton {{ min-height: {self.touch_px}px; min-width: {self.touch_px}px; font-size: {self.button_px}px;
    font-weight: bold; border-radius: {radius}px; padding: {self.px(10)}px {self.px(16)}px;
    background: {p.secondary}; color: {p.on_secondary}; border: {border}px solid {p.on_secondary}; }}
QPushButton[kind="primary"] {{ background: {p.primary}; color: {p.on_primary}; border-color: {p.primary}; }}
QPushButton[kind="danger"] {{ background: {p.danger}; color: {p.on_danger}; border-color: {p.danger}; }}
QPushButton[kind="key"] {{ min-height: {self.key_px}px; min-width: {self.key_px}px;
    font-size: {self.px(60)}px; }}
QPushButton[kind="language"] {{ font-size: {self.px(36)}px; }}
QPushButton[kind="service"] {{ text-align: left; padding: {self.px(6)}px {self.px(8)}px; }}
QPushButton#lifeEvents {{ min-height: {self.min_touch_px}px; padding: {self.px(2)}px {self.px(8)}px; }}
QPushButton:checked {{ background: {p.primary}; color: {p.on_primary}; border-color: {p.primary}; }}
QPushButton:disabled {{ background: {p.disabled}; color: {p.on_disabled}; border-color: {p.disabled}; }}
QPushButton:pressed {{ background: {p.accent}; color: {p.on_primary}; }}
QWidget#bottomBar, QWidget#topBar {{ background: {p.surface}; border-top: {border}px solid {p.muted}; }}
"""


def theme_for_screen_height(
    height: int, large_text: bool, high_contrast: bool, font_family: str = FONT_FAMILY
) -> Theme:
    # Portrait 1080x1920 and landscape 1920x1080 both have 1080 on the short side.
    return Theme(max(0.5, height / 1080), large_text, high_contrast, font_family)
