"""The ticket: the number huge, where to wait, the estimate, a QR code for the phone page, and the printing
state. When printing fails the screen says so and keeps the number up longer so it can be photographed; the
ticket stays valid (the server already has it)."""

from __future__ import annotations

import io

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.widgets import big_button, text_label

QR_PX = 340


def qr_pixmap(payload: str, size: int = QR_PX) -> QPixmap:
    import qrcode

    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, box_size=10)
    qr.add_data(payload)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, "PNG")
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)


class TicketScreen(Screen):
    name = "ticket"
    in_history = False

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        self.print_state: str = "printing"  # printing | printed | failed
        self.print_error_id: str | None = None
        body = QHBoxLayout()
        left = QVBoxLayout()
        self.your_number = text_label(center=True)
        self.number = text_label(role="number", center=True)
        self.number.setObjectName("ticketNumber")
        self.service = text_label(role="title", center=True)
        self.where = text_label(center=True)
        self.ahead = text_label(center=True)
        self.estimate = text_label(center=True)
        for w in (self.your_number, self.number, self.service, self.where):
            left.addWidget(w)
        left.addStretch(1)
        right = QVBoxLayout()
        self.qr = QLabel()
        self.qr.setObjectName("ticketQr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setStyleSheet("background: white; padding: 12px;")
        self.qr_caption = text_label(role="small", center=True)
        # The wait sits under the QR code: the left column keeps room for the number and, in large text or with
        # furigana, everything still fits one screen.
        for w in (self.qr, self.qr_caption, self.ahead, self.estimate):
            right.addWidget(w)
        right.addStretch(1)
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        self.layout_.addLayout(body, 1)
        row = QHBoxLayout()
        self.printing = text_label(role="notice", center=True)
        self.printing.setObjectName("printStatus")
        row.addWidget(self.printing, 3)
        self.again = big_button(on_click=flow.print_again)
        self.again.setObjectName("ticketPrintAgain")
        self.again.hide()
        row.addWidget(self.again, 1)
        self.done = big_button(kind="primary", on_click=flow.finish_ticket)
        self.done.setObjectName("ticketDone")
        row.addWidget(self.done, 1)
        self.layout_.addLayout(row)

    def set_print_result(self, state: str, error_id: str | None = None) -> None:
        self.print_state = state
        self.print_error_id = error_id
        self.retranslate()

    def retranslate(self) -> None:
        issued = self.ctx.session.issued
        self.done.setText(self.t("common.close"))
        self.again.setText(self.t("kiosk.ticket.print_again"))
        self.again.setVisible(self.print_state == "failed" and self.ctx.printer.available())
        if issued is None:
            self.clear()
            return
        t = issued.ticket
        self.your_number.setText(self.t("kiosk.ticket.your_number"))
        self.number.setText(t.number)
        self._tighten_number()
        self.service.setText(self.t.pick(self.ctx.service(t.service_id).name))
        self.where.setText(self._where(t.service_id))
        self.ahead.setText(self.t("kiosk.ticket.people_ahead", count=issued.people_ahead))
        self.estimate.setText(self.t("kiosk.estimate.line", range=self.t.wait_range(issued.estimate)))
        self.qr_caption.setText(self.t("kiosk.ticket.follow_phone"))
        if self.print_state == "printing":
            self.printing.setText(self.t("kiosk.ticket.printing"))
            self.printing.setProperty("role", "notice")
        elif self.print_state == "printed":
            self.printing.setText(self.t("kiosk.ticket.take"))
            self.printing.setProperty("role", "notice")
        else:
            lines = [self.t("kiosk.ticket.printer_failed")]
            if self.print_error_id:
                lines.append(self.t(self.print_error_id))
            lines.append(self.t("kiosk.ticket.still_valid"))
            self.printing.setText("\n".join(lines))
            self.printing.setProperty("role", "error")
        self.printing.style().unpolish(self.printing)
        self.printing.style().polish(self.printing)

    def _tighten_number(self) -> None:
        """As high as the number's capitals and digits need, not the font's whole line (~1.45 em of mostly
        empty ascent and descent at 200 px): that room goes to the text around it."""
        fm = self.number.fontMetrics()
        line, ascent, cap = fm.height(), fm.ascent(), fm.capHeight()
        # The line box is centred in the label: tall enough that the cap tops and the baseline are inside.
        self.number.setFixedHeight(int(max(line - 2 * (ascent - cap), 2 * ascent - line)) + 8)

    def _where(self, service_id: str) -> str:
        counters = self.ctx.counters_for(service_id)
        areas = [self.t.pick(c.area) for c in counters if c.area]
        if areas:
            return self.t("kiosk.ticket.wait_area", area=areas[0])
        sep = "・" if self.t.language in ("ja", "ja-easy", "zh-Hans") else ", "
        numbers = sep.join(str(c.number) for c in counters)
        return self.t("kiosk.ticket.wait_counter", counter=numbers) if numbers else ""

    def enter(self) -> None:
        issued = self.ctx.session.issued
        self.qr.setPixmap(qr_pixmap(issued.status_url) if issued else QPixmap())
        self.retranslate()

    def clear(self) -> None:
        self.print_state = "printing"
        self.print_error_id = None
        for w in (self.number, self.service, self.where, self.ahead, self.estimate, self.printing):
            w.setText("")
        self.qr.setPixmap(QPixmap())

    def speech_text(self) -> str:
        issued = self.ctx.session.issued
        return f"{self.t('kiosk.ticket.your_number')} {issued.ticket.number}" if issued else ""
