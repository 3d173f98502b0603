"""The kiosk's label and button: furigana above kanji (easy Japanese) and lines broken between phrases (CJK).

``Texts`` gives easy-Japanese text with the readings as interlinear annotations (``madoguchi.qt.ruby_text``), so
every screen keeps calling ``setText``; these widgets then lay out and paint ruby themselves (Qt's rich text has
no ``<ruby>``). Japanese, Chinese and Korean text is laid out by ``RubyLayout`` too, because Qt's line breaker
cuts it inside words; the break rules follow the widget's locale (the kiosk window sets the resident's).
Other text is left entirely to QLabel / QPushButton. ``text()`` is always the text as written, without
readings.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QStyle, QStyleOptionButton, QStylePainter, QWidget

from madoguchi.qt.ruby_text import RubyLayout
from madoguchi.translations.furigana import Segment
from madoguchi.translations.line_breaking import needs_phrase_layout
from madoguchi.translations.ruby_markup import annotate, has_ruby, parse, plain_text

_LOCALE_LANGUAGES = {
    QLocale.Language.Japanese: "ja",
    QLocale.Language.Chinese: "zh-Hans",
    QLocale.Language.Korean: "ko",
}


def _group(widget: QWidget) -> QPalette.ColorGroup:
    return QPalette.ColorGroup.Active if widget.isEnabled() else QPalette.ColorGroup.Disabled


def _laid_out(text: str) -> list[Segment] | None:
    """The segments these widgets lay out themselves: text with readings, or CJK text; None for the rest."""
    if has_ruby(text):
        return parse(text)
    return [(text, None)] if needs_phrase_layout(text) else None


def break_language(widget: QWidget, segments: list[Segment]) -> str | None:
    """Which line-breaking rules apply: easy Japanese for text with readings, else the widget's locale."""
    if any(reading for _, reading in segments):
        return "ja-easy"
    return _LOCALE_LANGUAGES.get(widget.locale().language())


class RubyTextLabel(QLabel):
    def __init__(self, text: str = "") -> None:
        super().__init__()
        self._ruby: list[Segment] | None = None
        self.setText(text)

    def setText(self, text: str) -> None:
        self._ruby = _laid_out(text)
        super().setText(plain_text(text) if self._ruby else text)
        self.updateGeometry()
        self.update()

    def ruby(self) -> list[Segment] | None:
        """The text's words with their readings; None when it carries none."""
        return self._ruby if self._ruby and any(r for _, r in self._ruby) else None

    def _layout(self) -> RubyLayout:
        assert self._ruby is not None
        return RubyLayout(self._ruby, self.font(), break_language(self, self._ruby))

    def line_texts(self) -> list[str]:
        """The lines as drawn at the current width (tests check where they break)."""
        if self._ruby is None:
            return [self.text()]
        return self._layout().line_texts(max(1.0, float(self.contentsRect().width())))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LocaleChange and self._ruby is not None:
            self.updateGeometry()
            self.update()

    def _margins(self) -> QSize:
        # Style-sheet border and padding (the "error" and "notice" roles) are outside the contents rect.
        inner = self.contentsRect()
        return QSize(self.width() - inner.width(), self.height() - inner.height())

    def heightForWidth(self, width: int) -> int:
        if self._ruby is None:
            return super().heightForWidth(width)
        m = self._margins()
        return int(self._layout().height(width - m.width())) + m.height() + 1

    def sizeHint(self) -> QSize:
        if self._ruby is None:
            return super().sizeHint()
        layout = self._layout()
        if not self.wordWrap():
            return layout.size() + self._margins()
        # As QLabel does for wrapped text: at most 80 average characters, and narrower (half, then a quarter)
        # while that keeps it short, so that a centred panel is not asked for one line wider than the screen.
        m = self._margins()
        room = min(self.fontMetrics().averageCharWidth() * 80, self.maximumWidth()) - m.width()
        line = layout.first_line_height
        width = float(room)
        if layout.height(width) < 4 * line and layout.used_width(width) > room / 2:
            width = room / 2
            if layout.height(width) < 2 * line and layout.used_width(width) > room / 4:
                width = room / 4
        width = max(width, layout.narrowest_width())
        return QSize(int(layout.used_width(width)) + 1, int(layout.height(width)) + 1) + m

    def minimumSizeHint(self) -> QSize:
        if self._ruby is None:
            return super().minimumSizeHint()
        layout = self._layout()
        return QSize(int(layout.narrowest_width()) + 1, int(layout.first_line_height) + 1) + self._margins()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._ruby is None:
            super().paintEvent(event)
            return
        QFrame.paintEvent(self, event)  # the style sheet's background and border, without QLabel's text
        painter = QPainter(self)
        colour = self.palette().color(_group(self), self.foregroundRole())
        self._layout().paint(painter, QRectF(self.contentsRect()), self.alignment(), colour)
        painter.end()


class RubyButton(QPushButton):
    def __init__(self, text: str = "") -> None:
        super().__init__()
        self._ruby: list[Segment] | None = None
        self.setText(text)

    def setText(self, text: str) -> None:
        had_ruby = self._ruby is not None
        self._ruby = _laid_out(text)
        super().setText(plain_text(text) if self._ruby else text)
        if had_ruby and self._ruby is None:
            self.style().polish(self)  # back to the style sheet's min-height
        self._fit_height()
        self.updateGeometry()
        self.update()

    def _fit_height(self) -> None:
        # The style sheet's min-height overrides any size policy, and a reading line makes the label taller
        # than that: squeezed to it, the furigana would be cut.
        if self._ruby is not None:
            self.setMinimumHeight(self.sizeHint().height())  # never below the sheet's: sizeHint includes it

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._fit_height()

    def ruby(self) -> list[Segment] | None:
        """The text's words with their readings; None when it carries none."""
        return self._ruby if self._ruby and any(r for _, r in self._ruby) else None

    def _layout(self, segments: list[Segment]) -> RubyLayout:
        return RubyLayout(segments, self.font(), break_language(self, segments))

    def _option(self) -> QStyleOptionButton:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = ""
        return option

    def sizeHint(self) -> QSize:
        if self._ruby is None:
            return super().sizeHint()
        return self.size_for(annotate(self._ruby))

    def size_for(self, text: str) -> QSize:
        """The size hint this button would have with ``text``, without setting it (for layouts trying forms)."""
        segments = _laid_out(text)
        if segments is not None:
            content = self._layout(segments).size()
        else:
            content = self.fontMetrics().size(Qt.TextFlag.TextShowMnemonic, text or "XXXX")
        option = self._option()
        option.text = "" if segments is not None else text
        return self.style().sizeFromContents(QStyle.ContentsType.CT_PushButton, option, content, self)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint() if self._ruby is not None else super().minimumSizeHint()

    def _text_colour(self) -> QColor:
        # The style sheet gives checked and pressed buttons their colour by pseudo-state, which the widget's
        # palette does not carry: ask the kiosk's theme, which wrote that sheet.
        theme = getattr(self.window(), "theme", None)
        if theme is not None:
            kind = str(self.property("kind") or "secondary")
            return QColor(theme.button_text(kind, self.isChecked(), self.isDown(), self.isEnabled()))
        return self.palette().color(_group(self), QPalette.ColorRole.ButtonText)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._ruby is None:
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        option = self._option()
        painter.drawControl(QStyle.ControlElement.CE_PushButton, option)  # background and border, no label
        rect = self.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, self)
        self._layout(self._ruby).paint(painter, QRectF(rect), Qt.AlignmentFlag.AlignCenter, self._text_colour())
        painter.end()


def two_lines(text: str, button: QPushButton) -> str:
    """``text`` on two lines, cut at the space that makes the wider line narrowest (unchanged without one)."""
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return text
    metrics = button.fontMetrics()
    best = min(spaces, key=lambda i: max(metrics.horizontalAdvance(text[:i]), metrics.horizontalAdvance(text[i + 1 :])))
    return text[:best] + "\n" + text[best + 1 :]
