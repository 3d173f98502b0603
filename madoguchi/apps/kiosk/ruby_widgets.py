"""The kiosk's label and button, drawing furigana above kanji when their text carries readings (easy Japanese).

``Texts`` gives easy-Japanese text with the readings as interlinear annotations (``madoguchi.qt.ruby_text``), so
every screen keeps calling ``setText``; these widgets then lay out and paint ruby themselves (Qt's rich text has
no ``<ruby>``). Text without readings is left entirely to QLabel / QPushButton. ``text()`` is always the text
as written, without readings.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QStyle, QStyleOptionButton, QStylePainter, QWidget

from madoguchi.qt.ruby_text import RubyLayout
from madoguchi.translations.furigana import Segment
from madoguchi.translations.ruby_markup import annotate, has_ruby, parse, plain_text


def _group(widget: QWidget) -> QPalette.ColorGroup:
    return QPalette.ColorGroup.Active if widget.isEnabled() else QPalette.ColorGroup.Disabled


class RubyTextLabel(QLabel):
    def __init__(self, text: str = "") -> None:
        super().__init__()
        self._ruby: list[Segment] | None = None
        self.setText(text)

    def setText(self, text: str) -> None:
        self._ruby = parse(text) if has_ruby(text) else None
        super().setText(plain_text(text) if self._ruby else text)
        self.updateGeometry()
        self.update()

    def ruby(self) -> list[Segment] | None:
        return self._ruby

    def _layout(self) -> RubyLayout:
        assert self._ruby is not None
        return RubyLayout(self._ruby, self.font())

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
        return self._layout().size() + self._margins()

    def minimumSizeHint(self) -> QSize:
        if self._ruby is None:
            return super().minimumSizeHint()
        layout = self._layout()
        return QSize(int(layout.narrowest_width()) + 1, int(layout.line_height) + 1) + self._margins()

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
        self._ruby = parse(text) if has_ruby(text) else None
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
        return self._ruby

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
        if has_ruby(text):
            content = RubyLayout(parse(text), self.font()).size()
        else:
            content = self.fontMetrics().size(Qt.TextFlag.TextShowMnemonic, text or "XXXX")
        option = self._option()
        option.text = "" if has_ruby(text) else text
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
        RubyLayout(self._ruby, self.font()).paint(
            painter, QRectF(rect), Qt.AlignmentFlag.AlignCenter, self._text_colour()
        )
        painter.end()
