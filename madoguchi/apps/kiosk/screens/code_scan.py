"""Show your 2D code: the camera preview with a guide frame; a code that cannot be used here gets a message
on this same screen (the resident can try another one at once)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QWidget

from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.widgets import text_label


class PreviewWithGuide(QWidget):
    """The latest camera frame, scaled to fit, with a square guide frame in the middle."""

    def __init__(self) -> None:
        super().__init__()
        self.setMinimumSize(480, 360)
        self.image: QImage | None = None

    def set_frame(self, image: QImage) -> None:
        self.image = image
        self.update()

    def paintEvent(self, event: object) -> None:
        p = QPainter(self)
        w, h = self.width(), self.height()
        target = QRectF(0, 0, w, h)
        if self.image is not None and not self.image.isNull():
            iw, ih = self.image.width(), self.image.height()
            scale = min(w / iw, h / ih)
            target = QRectF((w - iw * scale) / 2, (h - ih * scale) / 2, iw * scale, ih * scale)
            p.drawImage(target, self.image)
        else:
            p.fillRect(target, QColor("#202020"))
        side = min(target.width(), target.height()) * 0.7
        guide = QRectF(target.center().x() - side / 2, target.center().y() - side / 2, side, side)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(QColor("#FFD500"), 10))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(guide, 24, 24)
        p.end()


class CodeScanScreen(Screen):
    name = "code_scan"

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        self.title = text_label(role="title", center=True)
        self.message = text_label(role="error", center=True)
        self.message.setObjectName("codeMessage")
        self.message.hide()
        self.preview = PreviewWithGuide()
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.message)
        self.layout_.addWidget(self.preview, 1)
        self._message_id: str | None = None
        self._params: dict[str, object] = {}
        ctx.scanner.frame_ready.connect(self._frame)

    def _frame(self, image: object) -> None:
        if self.isVisible() and isinstance(image, QImage):
            self.preview.set_frame(image)

    def show_message(self, msgid: str | None, **params: object) -> None:
        self._message_id = msgid
        self._params = params
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.t("kiosk.code.show"))
        self.message.setText(self.t(self._message_id, **self._params) if self._message_id else "")
        self.message.setVisible(bool(self._message_id))

    def clear(self) -> None:
        self.preview.image = None  # a frame may show the resident's paper or phone
        self.show_message(None)

    def leave(self) -> None:
        self.preview.image = None

    def speech_text(self) -> str:
        return self.t("kiosk.code.show")
