"""Small building blocks shared by the screens: big buttons, labels with a role, the numeric pad.

Labels and buttons draw furigana when their text carries readings (easy Japanese, see ``ruby_widgets``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QWidget,
)

from madoguchi.apps.kiosk.ruby_widgets import RubyButton, RubyTextLabel
from madoguchi.translations import line_breaking
from madoguchi.translations.ruby_markup import plain_text


def big_button(text: str = "", kind: str = "secondary", on_click: Callable[[], None] | None = None) -> QPushButton:
    button = RubyButton(text)
    button.setProperty("kind", kind)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    if on_click is not None:
        button.clicked.connect(on_click)
    return button


def language_buttons(choose: Callable[[str], None], name_prefix: str) -> dict[str, QPushButton]:
    """One checkable button per kiosk language, each in its own name; kind "language" keeps the names at the
    normal button size in large text (see theme.py). Object names are ``{name_prefix}{code}``."""
    from madoguchi.translations.languages import LANGUAGES

    buttons: dict[str, QPushButton] = {}
    for lang in LANGUAGES:
        button = big_button(lang.native_name, "language", lambda _=False, c=lang.code: choose(c))  # type: ignore[misc]
        button.setCheckable(True)
        button.setObjectName(f"{name_prefix}{lang.code}")
        buttons[lang.code] = button
    return buttons


def text_label(text: str = "", role: str = "", center: bool = False) -> QLabel:
    label = RubyTextLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        label.setProperty("role", role)
    if center:
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class FittingScrollArea(QScrollArea):
    """Exactly as tall as its text where there is room for it; where there is not (a small panel in large
    text), it scrolls under a finger instead of squeezing a label until its lines are cut."""

    def __init__(self, body: QWidget) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(body)
        kinetic_scrolling(self)
        self._width = 0

    def sizeHint(self) -> QSize:
        body = self.widget()
        if body is None:
            return super().sizeHint()
        hint = body.sizeHint()
        if self.width() > 0 and body.hasHeightForWidth():
            hint.setHeight(body.heightForWidth(self.width()))
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.width() != self._width:  # the text's height follows the width it wraps at
            self._width = self.width()
            self.updateGeometry()


def touch_scroll_area(body: QWidget | None = None) -> QScrollArea:
    """A frameless area that scrolls up and down under a finger (``kinetic_scrolling``), never sideways: where
    large text, furigana or a long list has no room on one screen."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    if body is not None:
        area.setWidget(body)
    kinetic_scrolling(area)
    return area


def kinetic_scrolling(area: QAbstractScrollArea) -> QScroller:
    """A finger dragged over the area scrolls it and lets it glide on (QScroller): a kiosk has a touchscreen,
    and a 40-pixel scroll bar is no target for a shaky hand. A tap still presses the button under it."""
    viewport = area.viewport()
    viewport.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
    QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.TouchGesture)
    scroller = QScroller.scroller(viewport)
    properties = scroller.scrollerProperties()
    off = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff
    properties.setScrollMetric(QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy, off)
    properties.setScrollMetric(QScrollerProperties.ScrollMetric.VerticalOvershootPolicy, off)
    scroller.setScrollerProperties(properties)
    scroller.stateChanged.connect(lambda state: _cancel_press(viewport, state))
    return scroller


def _cancel_press(viewport: QWidget, state: QScroller.State) -> None:
    """A finger that starts to drag was no tap: the button it came down on must not fire when it lifts."""
    if state == QScroller.State.Dragging:
        for button in viewport.findChildren(QAbstractButton):
            if button.isDown():
                # a release off the button ends its press without a click (setDown alone would come back
                # with the next move, the button riding along under the finger)
                outside = QPointF(-1.0, -1.0)
                release = QMouseEvent(
                    QEvent.Type.MouseButtonRelease,
                    outside,
                    button.mapToGlobal(outside),
                    Qt.MouseButton.LeftButton,
                    Qt.MouseButton.NoButton,
                    Qt.KeyboardModifier.NoModifier,
                )
                QCoreApplication.sendEvent(button, release)


class RichButton(QPushButton):
    """A big button holding several wrapped lines in different styles (a QPushButton cannot wrap text).

    The pictogram sits beside the first line only; the lines below use the button's whole width, so a long
    description or a waiting line in Portuguese or Tagalog wraps as little as it can.
    """

    def __init__(self, roles: tuple[str, ...] = ("strong", "small", "strong"), icon: QWidget | None = None) -> None:
        super().__init__()
        self.setProperty("kind", "service")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 2, 10, 4)  # every pixel saves lines: ten procedures on one screen
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(0)
        first_column = 0
        if icon is not None:
            grid.addWidget(icon, 0, 0, Qt.AlignmentFlag.AlignTop)
            first_column = 1
        grid.setColumnStretch(grid.columnCount() - 1 if icon is not None else 0, 1)
        self.lines: list[QLabel] = []
        for row, role in enumerate(roles):
            label = text_label(role=role)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            if row == 0:
                grid.addWidget(label, 0, first_column)
            else:
                grid.addWidget(label, row, 0, 1, first_column + 1)
            self.lines.append(label)

    def set_lines(self, *texts: str) -> None:
        for label, text in zip(self.lines, texts + ("",) * len(self.lines), strict=False):
            label.setText(text)
            label.setVisible(bool(text))
        self.setAccessibleName(plain_text(" ".join(t for t in texts if t)))

    def text(self) -> str:
        return "\n".join(label.text() for label in self.lines if label.text())

    def sizeHint(self):  # type: ignore[no-untyped-def]
        return self.layout().sizeHint()

    def minimumSizeHint(self):  # type: ignore[no-untyped-def]
        return self.layout().minimumSize()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        """As tall as its wrapped lines at ``width``: a column gives it that, never a one-line height."""
        layout = self.layout()
        assert layout is not None
        return max(layout.totalHeightForWidth(width), self.minimumHeight())


class NumberPad(QWidget):
    """Digits 1-9, then "clear", 0, "delete": the same fixed layout every time (no scrambling for the PIN)."""

    digit = Signal(str)
    delete = Signal()
    clear_all = Signal()

    LAYOUT = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "⌫")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setSpacing(16)
        self.keys: dict[str, QPushButton] = {}
        for i, key in enumerate(self.LAYOUT):
            button = big_button(key, "key")
            button.setAccessibleName({"C": "clear", "⌫": "delete"}.get(key, key))
            button.clicked.connect(lambda _=False, k=key: self._pressed(k))
            grid.addWidget(button, i // 3, i % 3)
            self.keys[key] = button

    def _pressed(self, key: str) -> None:
        if key == "C":
            self.clear_all.emit()
        elif key == "⌫":
            self.delete.emit()
        else:
            self.digit.emit(key)


class ButtonGrid(QWidget):
    """Equal-width buttons in as many columns as their labels allow at the current width.

    A fixed 5-column grid clipped long names ("Português (Brasil)") on a 1280 px or portrait panel. Here a label
    that does not fit its column is broken onto two lines at a space, and when even that does not fit, rows are
    added instead: every label is always shown whole. Set labels with ``set_text`` (the grid owns line breaks).
    """

    #: the buttons were placed again (rows or heights may have changed)
    laid_out = Signal()

    def __init__(self, buttons: Sequence[QPushButton], max_columns: int, spacing: int = 12) -> None:
        super().__init__()
        self.buttons = list(buttons)
        self.max_columns = max_columns
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(spacing)
        self._labels: dict[QPushButton, str] = {}
        self._needs: dict[tuple[QPushButton, str], int] = {}
        self._shown: dict[QPushButton, str] = {}  # the form set on each button (text() drops readings)
        self._placed: tuple[int, tuple[int, ...]] = (0, ())
        # A style sheet change reaches every button one by one: lay out once after the last of them.
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(lambda: self.relayout(force=True))
        for button in self.buttons:
            self._labels[button] = button.text()
            button.setParent(self)  # before anything asks isHidden(): a parentless widget counts as hidden
            button.installEventFilter(self)  # a style or font change changes the width a label needs
        self.relayout()

    def set_text(self, button: QPushButton, text: str) -> None:
        if self._labels.get(button) != text:
            self._labels[button] = text
            self.relayout(force=True)

    def label(self, button: QPushButton) -> str:
        """The label as one line (what the resident reads, whatever the line breaks)."""
        return self._labels[button]

    def _visible(self) -> list[QPushButton]:
        return [b for b in self.buttons if not b.isHidden()]

    def _need(self, button: QPushButton, text: str) -> int:
        """Width the button needs for ``text`` (measured without setting it: trial texts would relayout)."""
        key = (button, text)
        if key not in self._needs:
            size_for = getattr(button, "size_for", None)
            self._needs[key] = int(size_for(text).width()) if size_for else _measured(button, text)
        return self._needs[key]

    def _fits(self, width: int, columns: int) -> int:
        spacing = self.grid.spacing()
        return (width - spacing * (columns - 1)) // columns

    def relayout(self, force: bool = False) -> None:
        visible = self._visible()
        width = self.width() if self.isVisible() else self.max_columns * 10_000
        columns = 1
        for candidate in range(min(self.max_columns, len(visible)), 0, -1):
            column = self._fits(width, candidate)
            if all(min(self._need(b, t) for t in _two_line_forms(self._labels[b])) <= column for b in visible):
                columns = candidate
                break
        rows = math.ceil(len(visible) / columns) if visible else 1
        columns = math.ceil(len(visible) / rows) if visible else 1  # 10 in 4 columns is 4+4+2; 5+5 reads better
        column = self._fits(width, columns)
        for b in visible:
            # One line when it fits; else the two-line form that fits (or the narrowest, at one column).
            forms = _two_line_forms(self._labels[b])
            fitting = [t for t in forms if self._need(b, t) <= column]
            chosen = fitting[0] if fitting else min(forms, key=lambda t: self._need(b, t))
            if self._shown.get(b) != chosen:
                self._shown[b] = chosen
                b.setText(chosen)
            # Never lower than its label (a two-line one is taller than the style's min-height): squeezed, the
            # label would be cut. Set here because the style sheet's min-height overrides any size policy.
            b.setMinimumHeight(b.sizeHint().height())
        placed = (columns, tuple(i for i, b in enumerate(self.buttons) if not b.isHidden()))
        if placed == self._placed and not force:
            return
        self._placed = placed
        for button in self.buttons:
            self.grid.removeWidget(button)
        for c in range(self.max_columns):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)
        for n, button in enumerate(visible):
            self.grid.addWidget(button, n // columns, n % columns)
        self.laid_out.emit()

    def minimumSizeHint(self):  # type: ignore[no-untyped-def]
        # As narrow as one column: the width decides the columns, not the other way round.
        hint = super().minimumSizeHint()
        visible = self._visible()
        if visible:
            hint.setWidth(max(b.sizeHint().width() for b in visible))
        return hint

    def resizeEvent(self, event: object) -> None:
        self.relayout()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._needs.clear()
            self._later.start()
        elif event.type() in (QEvent.Type.ShowToParent, QEvent.Type.HideToParent):
            self._later.start()
        return False


def _measured(button: QPushButton, text: str) -> int:
    shown = button.text()
    button.setText(text)
    width = int(button.sizeHint().width())
    button.setText(shown)
    return width


def _two_line_forms(text: str) -> list[str]:
    """The label on one line, then broken in two, most balanced first: at a space, or for Japanese and Chinese
    (no spaces) between phrases (``line_breaking``: BudouX and kinsoku), never inside a word."""
    if " " in text:
        cuts = [i for i, ch in enumerate(text) if ch == " "]
        skip = 1
    else:
        inside = _inside_annotation(text)
        cuts = [i for i in line_breaking.breaks(text) if not inside[i]]
        skip = 0
    cuts.sort(key=lambda i: abs(len(text) - 2 * i - skip))  # balanced first
    return [text] + [text[:i] + "\n" + text[i + skip :] for i in cuts]


def _inside_annotation(text: str) -> list[bool]:
    """For each index, whether a cut there would split a word from its reading (``madoguchi.qt.ruby_text``)."""
    from madoguchi.translations.ruby_markup import ANCHOR, TERMINATOR

    inside, depth = [], 0
    for ch in text:
        inside.append(depth > 0)
        depth += (ch == ANCHOR) - (ch == TERMINATOR)
    return inside
