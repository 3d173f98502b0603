"""The ticket: the number huge, where to wait, the estimate, a QR code for the phone page, and the printing
state. When printing fails (or the kiosk has no paper) the screen says so and keeps the number up longer, to be
written down or read with a phone; the ticket stays valid (the server already has it). Portrait panels get a
layout of their own (``orient``)."""

from __future__ import annotations

import io

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.step_place import WIDE_SCRIPT, step_place
from madoguchi.apps.kiosk.widgets import big_button, text_label, touch_scroll_area
from madoguchi.translations.spoken import spoken_ticket_number

QR_PX = 340
#: portrait has the room for a QR code a phone reads from further away
QR_PX_PORTRAIT = 480


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
        self.your_number = text_label(center=True)
        self.number = text_label(role="number", center=True)
        self.number.setObjectName("ticketNumber")
        self.service = text_label(role="title", center=True)
        self.where = text_label(center=True)
        self.ahead = text_label(center=True)
        self.estimate = text_label(center=True)
        # a visit of several procedures: its steps in order (where each is, the first marked as now), the wait
        # for the whole visit, and that the number moves on to the next counter by itself
        self.route_box = QWidget()
        self.route_lines = QVBoxLayout(self.route_box)
        self.route_lines.setContentsMargins(0, 0, 0, 0)
        self.route_lines.setSpacing(4)
        self.route_labels: list[QLabel] = []
        self.route_box.hide()
        self.route_total = text_label(center=True)
        self.route_total.setObjectName("routeEstimate")
        self.moves_on = text_label(role="small", center=True)
        self.qr = QLabel()
        self.qr.setObjectName("ticketQr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setStyleSheet("background: white; padding: 12px;")
        self.qr_caption = text_label(role="small", center=True)
        self.printing = text_label(role="notice", center=True)
        self.printing.setObjectName("printStatus")
        self.again = big_button(on_click=flow.print_again)
        self.again.setObjectName("ticketPrintAgain")
        self.again.hide()
        self.done = big_button(kind="primary", on_click=flow.finish_ticket)
        self.done.setObjectName("ticketDone")
        self.content = QWidget()
        self.layout_.addWidget(self.content, 1)
        self.orient(False)

    def orient(self, portrait: bool) -> None:
        """Landscape: the number and where to wait on the left, the phone's QR code and the wait on the right.
        Portrait: one column, top to bottom, in the order a resident reads it, with a larger QR code."""
        content = QWidget()
        outer = QVBoxLayout(content)
        outer.setContentsMargins(0, 0, 0, 0)
        body = QWidget()
        body.setProperty("screen", True)
        if portrait:
            column = QVBoxLayout(body)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(12)
            for w in (self.your_number, self.number, self.service, self.route_box, self.where, self.moves_on):
                column.addWidget(w)
            for w in (self.ahead, self.estimate, self.route_total):
                column.addWidget(w)
            column.addStretch(1)
            column.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
            column.addWidget(self.qr_caption)
            column.addStretch(1)
            outer.addWidget(touch_scroll_area(body), 1)
            outer.addWidget(self.printing)
            buttons = QHBoxLayout()
            buttons.addWidget(self.again)
            buttons.addWidget(self.done)
            outer.addLayout(buttons)
        else:
            columns = QHBoxLayout(body)
            columns.setContentsMargins(0, 0, 0, 0)
            left = QVBoxLayout()
            for w in (self.your_number, self.number, self.service, self.route_box, self.where, self.moves_on):
                left.addWidget(w)
            left.addStretch(1)
            right = QVBoxLayout()
            # The wait sits under the QR code: the left column keeps room for the number and, in large text or
            # with furigana, everything still fits one screen.
            for w in (self.qr, self.qr_caption, self.ahead, self.estimate, self.route_total):
                right.addWidget(w)
            right.addStretch(1)
            columns.addLayout(left, 3)
            columns.addLayout(right, 2)
            # A small panel in large text has no room for all of the ticket (a failed print's message takes a
            # third of the screen): the number on top, the rest a finger's drag away, never drawn over.
            outer.addWidget(touch_scroll_area(body), 1)
            row = QHBoxLayout()
            row.addWidget(self.printing, 3)
            row.addWidget(self.again, 1)
            row.addWidget(self.done, 1)
            outer.addLayout(row)
        self.layout_.replaceWidget(self.content, content)
        self.content.deleteLater()
        self.content = content
        if self.ctx.session.issued is not None:
            self.enter()  # the QR code's size follows the orientation

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
        self.ahead.setText(self.t("kiosk.ticket.people_ahead", count=issued.people_ahead))
        route = [step.service_id for step in t.route if step.state not in ("dropped", "skipped")]
        self._show_route(route)
        # a visit's heading ("3 procedures, in this order") is a line of the list, not a procedure's name
        self._set_role(self.service, "strong" if route else "title")
        if route:
            self.service.setText(self.t("kiosk.route.heading", count=len(route)))
            self.where.setText("")  # each step says where it is
            self.estimate.setText(self.t("kiosk.route.estimate_now", range=self.t.wait_range(issued.estimate)))
            total = issued.route_estimate
            self.route_total.setText(self.t("kiosk.route.estimate_total", range=self.t.wait_range(total)))
            self.moves_on.setText(self.t("kiosk.route.moves_on"))
        else:
            self.service.setText(self.t.pick(self.ctx.service(t.service_id).name))
            self.where.setText(self._where(t.service_id))
            self.estimate.setText(self.t("kiosk.estimate.line", range=self.t.wait_range(issued.estimate)))
            self.route_total.setText("")
            self.moves_on.setText("")
        for label in (self.where, self.route_total, self.moves_on):
            label.setVisible(bool(label.text()))
        self.qr_caption.setText(self.t("kiosk.ticket.follow_phone"))
        if self.print_state == "printing":
            self.printing.setText(self.t("kiosk.ticket.printing"))
            self.printing.setProperty("role", "notice")
        elif self.print_state == "printed":
            self.printing.setText(self.t("kiosk.ticket.take"))
            self.printing.setProperty("role", "notice")
        else:
            # No paper ticket: the number on screen is the ticket. Say what to do with it, not "take a photo"
            # (not everyone has a phone), and that it stays valid.
            lines = [self.t("kiosk.ticket.not_printed")]
            if self.print_error_id:
                lines.append(self.t(self.print_error_id))
            lines.append(self.t("kiosk.ticket.still_valid"))
            self.printing.setText("\n".join(lines))
            self.printing.setProperty("role", "error")
        self.printing.style().unpolish(self.printing)
        self.printing.style().polish(self.printing)

    def _show_route(self, route: list[str]) -> None:
        """One line per step ("1  転入届  ◀ いまの手続き") with where it is done under it."""
        while self.route_lines.count():  # the spacings between steps
            self.route_lines.takeAt(0)
        for label in self.route_labels:
            label.hide()  # at once: a deleteLater'd label would still take room until the event loop runs
            label.setParent(None)
            label.deleteLater()
        self.route_labels = []
        for number, service_id in enumerate(route, start=1):
            name = f"{number}  {self.t.pick(self.ctx.service(service_id).name)}"
            if number == 1:  # the step the number waits for now
                now = self.t("kiosk.route.now")
                name = f"▶ {name}" + (f"（{now}）" if self.t.language in WIDE_SCRIPT else f" ({now})")
            step = text_label(name, role="strong" if number == 1 else "", center=True)
            place = step_place(self.ctx.counters_for(service_id), self.t.language, self.t, self.t.pick)
            where = text_label(place, role="small", center=True)
            if number > 1:
                self.route_lines.addSpacing(8)
            for label in (step, where):
                self.route_lines.addWidget(label)
                self.route_labels.append(label)
        self.route_box.setVisible(bool(route))

    @staticmethod
    def _set_role(label: QLabel, role: str) -> None:
        if label.property("role") != role:
            label.setProperty("role", role)
            label.style().unpolish(label)
            label.style().polish(label)

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

    def route_words(self) -> list[str]:
        """A visit said: its steps and where each is, the waits (first counter, whole visit), what happens next."""
        issued = self.ctx.session.issued
        if issued is None or not self.route_labels:
            return []
        t = self.t
        return [
            self.service.text(),
            *(label.text() for label in self.route_labels),
            t("kiosk.route.estimate_now", range=t.wait_range(issued.estimate, spoken=True)),
            t("kiosk.route.estimate_total", range=t.wait_range(issued.route_estimate, spoken=True)),
            self.moves_on.text(),
        ]

    def enter(self) -> None:
        issued = self.ctx.session.issued
        size = QR_PX_PORTRAIT if self.portrait else QR_PX
        self.qr.setPixmap(qr_pixmap(issued.status_url, size) if issued else QPixmap())
        self.retranslate()

    def clear(self) -> None:
        self.print_state = "printing"
        self.print_error_id = None
        for w in (self.number, self.service, self.where, self.ahead, self.estimate, self.printing):
            w.setText("")
        for w in (self.route_total, self.moves_on):
            w.setText("")
        self._show_route([])
        self.qr.setPixmap(QPixmap())

    def speech_text(self) -> str:
        issued = self.ctx.session.issued
        if issued is None:
            return ""
        number = spoken_ticket_number(self.t.language, issued.ticket.number)  # "A 6", not "A minus zero zero six"
        ahead = self.t("kiosk.ticket.people_ahead", count=issued.people_ahead)
        wait = self.t("kiosk.estimate.line", range=self.t.wait_range(issued.estimate, spoken=True))
        said = f"{self.t('kiosk.ticket.your_number')} {number}. {self.where.text()}. {ahead}. {wait}"
        if self.route_labels:
            said = ". ".join([f"{self.t('kiosk.ticket.your_number')} {number}", *self.route_words(), ahead])
        return said if self.print_state == "printing" else f"{said}. {self.printing.text()}"
