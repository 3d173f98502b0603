"""The call board's painted panels. Each reads the shared ``BoardModel`` and paints itself at ``unit`` scale.

Sizes are in "design pixels" of a 1920×1080 board times ``unit``, so the same panel reads from 10 m on a 720p
TV and a 4K screen. ``NowCallingPanel.painted`` tells the benchmark which number reached the screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from madoguchi.apps.board.board_model import BoardModel, CallEntry
from madoguchi.translations.catalog import translate

FONT_FAMILY = "Noto Sans CJK JP"
BG = QColor("#0b1f33")
PANEL = QColor("#12314f")
TEXT = QColor("#ffffff")
MUTED = QColor("#a9c4de")
ACCENT = QColor("#ffd23f")
ACCENT_TEXT = QColor("#0b1f33")


def font(px: float, bold: bool = False) -> QFont:
    f = QFont(FONT_FAMILY)
    f.setPixelSize(max(8, int(px)))
    f.setBold(bold)
    return f


def counter_label(counter: int, lang: str = "ja") -> str:
    return translate(lang, "board.counter", counter=str(counter))


def step_label(step: int | None, steps: int | None, lang: str = "ja") -> str:
    """``手続き 2/3`` for a visit's call, "" for one procedure."""
    if not steps:
        return ""
    return translate(lang, "board.step", step=str(step), steps=str(steps))


class _Panel(QWidget):
    def __init__(self, model: BoardModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.unit = 1.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def set_unit(self, unit: float) -> None:
        self.unit = unit
        self.update()

    def _heading(self, p: QPainter, ja_id: str, y: float) -> float:
        """Japanese heading with its English line; returns the y below it."""
        u = self.unit
        p.setPen(TEXT)
        p.setFont(font(40 * u, True))
        p.drawText(
            QRectF(24 * u, y, self.width() - 48 * u, 54 * u), Qt.AlignmentFlag.AlignVCenter, translate("ja", ja_id)
        )
        p.setPen(MUTED)
        p.setFont(font(24 * u))
        p.drawText(
            QRectF(24 * u, y + 52 * u, self.width() - 48 * u, 34 * u),
            Qt.AlignmentFlag.AlignVCenter,
            translate("en", ja_id),
        )
        return y + 94 * u

    def _background(self, p: QPainter) -> None:
        p.fillRect(self.rect(), BG)
        p.fillRect(QRectF(self.rect()).adjusted(6, 6, -6, -6), PANEL)


class NowCallingPanel(_Panel):
    """The newest call, huge: ``A-015 → 3番窓口``; blinks for a few seconds when fresh."""

    painted = Signal(str)

    def __init__(self, model: BoardModel, parent: QWidget | None = None) -> None:
        super().__init__(model, parent)
        self.blink_on = False
        self._blinks_left = 0
        self._blink = QTimer(self)
        self._blink.setInterval(500)
        self._blink.timeout.connect(self._toggle)

    def highlight(self, blinks: int = 10) -> None:
        self._blinks_left = blinks
        self.blink_on = True
        self._blink.start()
        self.update()

    @property
    def blinking(self) -> bool:
        return self._blink.isActive()

    def _toggle(self) -> None:
        self._blinks_left -= 1
        self.blink_on = not self.blink_on if self._blinks_left > 0 else False
        if self._blinks_left <= 0:
            self._blink.stop()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self._background(p)
        u = self.unit
        y = self._heading(p, "board.now_calling", 12 * u)
        newest = self.model.newest
        box = QRectF(24 * u, y + 8 * u, self.width() - 48 * u, self.height() - y - 32 * u)
        if newest is None:
            self.painted.emit("")
            p.end()
            return
        if self.blink_on:
            p.fillRect(box, ACCENT)
        p.setPen(ACCENT_TEXT if self.blink_on else ACCENT)
        # a visit's call keeps a line for its step (手続き 2/3): the number and the counter give it room
        step_h = 0.12 if newest.steps else 0.0
        number_px = min(box.height() * (0.5 - step_h / 2), box.width() / max(4, len(newest.number)) * 1.1)
        p.setFont(font(number_px, True))
        top = QRectF(box.x(), box.y(), box.width(), box.height() * (0.6 - step_h / 2))
        p.drawText(top, Qt.AlignmentFlag.AlignCenter, newest.number)
        p.setPen(ACCENT_TEXT if self.blink_on else TEXT)
        label = f"→ {counter_label(newest.counter)}"
        label_px = fit_px(label, box.width() * 0.95, box.height() * (0.18 - step_h / 4))
        p.setFont(font(label_px, True))
        middle = QRectF(box.x(), top.bottom(), box.width(), box.height() * (0.24 - step_h / 2))
        p.drawText(middle, Qt.AlignmentFlag.AlignCenter, label)
        # the call in the resident's own language (English for Japanese tickets): also the text shown when
        # no offline voice speaks that language
        lang = newest.language if newest.language not in ("ja", "ja-easy") else "en"
        if newest.steps:
            step = f"{step_label(newest.step, newest.steps)}　{step_label(newest.step, newest.steps, lang)}"
            p.setPen(ACCENT_TEXT if self.blink_on else ACCENT)
            p.setFont(font(fit_px(step, box.width() * 0.95, box.height() * step_h * 0.8), True))
            p.drawText(
                QRectF(box.x(), middle.bottom(), box.width(), box.height() * step_h), Qt.AlignmentFlag.AlignCenter, step
            )
            p.setPen(ACCENT_TEXT if self.blink_on else TEXT)
        msgid = "announce.recall" if newest.recall else "announce.call"
        line = translate(lang, msgid, number=newest.number, counter=str(newest.counter))
        p.setFont(font(fit_px(line, box.width() * 0.95, box.height() * 0.09), False))
        bottom = QRectF(box.x(), box.y() + box.height() * 0.84, box.width(), box.height() * 0.14)
        p.drawText(bottom, Qt.AlignmentFlag.AlignCenter, line)
        p.end()
        self.painted.emit(newest.number)


def fit_px(text: str, width: float, max_px: float) -> float:
    """The largest pixel size ≤ ``max_px`` at which ``text`` fits ``width`` (one measurement, then scale)."""
    probe = 100
    w = QFontMetrics(font(probe, True)).horizontalAdvance(text) or 1
    return min(max_px, probe * width / w)


def fit_wrapped_px(text: str, width: float, height: float, max_px: float) -> float:
    """The largest pixel size ≤ ``max_px`` (down to half of it) at which ``text``, wrapped between words, fits
    ``width``×``height``."""
    px = max_px
    while px > max_px / 2:
        box = QFontMetrics(font(px)).boundingRect(QRect(0, 0, int(width), 100_000), WRAP, text)
        if box.height() <= height and box.width() <= width:
            break
        px *= 0.92
    return px


WRAP = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft) | int(Qt.AlignmentFlag.AlignTop)


class RecentCallsPanel(_Panel):
    """The calls before the newest: number → counter, one per row."""

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        self._background(p)
        u = self.unit
        y = self._heading(p, "board.recent.heading", 12 * u)
        rows: list[CallEntry] = self.model.calls[1:]
        row_h = 84 * u
        for call in rows:
            if y + row_h > self.height() - 12 * u:
                break
            p.setPen(TEXT)
            p.setFont(font(64 * u, True))
            p.drawText(QRectF(36 * u, y, self.width() * 0.5, row_h), Qt.AlignmentFlag.AlignVCenter, call.number)
            if call.steps:  # a visit's call: which of its steps (2/3), small after the number
                after = 36 * u + QFontMetrics(font(64 * u, True)).horizontalAdvance(call.number) + 12 * u
                p.setPen(MUTED)
                p.setFont(font(34 * u, True))
                p.drawText(
                    QRectF(after, y, self.width() * 0.45 - after, row_h),
                    Qt.AlignmentFlag.AlignVCenter,
                    f"{call.step}/{call.steps}",
                )
            p.setPen(MUTED)
            p.setFont(font(52 * u, True))
            p.drawText(
                QRectF(self.width() * 0.45, y, self.width() * 0.55 - 36 * u, row_h),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                f"→ {counter_label(call.counter)}",
            )
            y += row_h
        p.end()


class ServingPanel(_Panel):
    """Now serving per counter, as a grid of ``3番窓口  A-015`` cells; then the counters on a break or closed
    (``5番窓口  休憩中``), so nobody waits in front of a counter that will not call."""

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        self._background(p)
        u = self.unit
        y = self._heading(p, "board.serving.heading", 12 * u)
        items: list[tuple[int, str]] = sorted(self.model.now_serving.items())
        serving = len(items)
        items += [(n, state) for n, state in self.model.paused_counters() if n not in self.model.now_serving]
        cols = 2 if self.width() > 700 * u else 1
        cell_h = 64 * u
        cell_w = (self.width() - 48 * u) / cols
        for i, (counter, number) in enumerate(items):
            r, c = divmod(i, cols)
            top = y + r * cell_h
            if top + cell_h > self.height() - 8 * u:
                break
            left = 24 * u + c * cell_w
            p.setPen(MUTED)
            p.setFont(font(34 * u))
            p.drawText(QRectF(left, top, cell_w * 0.5, cell_h), Qt.AlignmentFlag.AlignVCenter, counter_label(counter))
            right = QRectF(left + cell_w * 0.45, top, cell_w * 0.5, cell_h)
            if i < serving:
                p.setPen(TEXT)
                p.setFont(font(44 * u, True))
                p.drawText(right, Qt.AlignmentFlag.AlignVCenter, number)
                continue
            # a counter on a break or closed: in Japanese with its English line, as the headings are
            p.setPen(MUTED)
            p.setFont(font(30 * u))
            p.drawText(right.adjusted(0, 0, 0, -cell_h * 0.4), Qt.AlignmentFlag.AlignBottom, self._state(number, "ja"))
            p.setFont(font(20 * u))
            p.drawText(right.adjusted(0, cell_h * 0.6, 0, 0), Qt.AlignmentFlag.AlignTop, self._state(number, "en"))
        p.end()

    @staticmethod
    def _state(state: str, lang: str) -> str:
        return translate(lang, f"board.counter_state.{state}")


class WaitingPanel(_Panel):
    """Waiting residents per service (services with nobody waiting are left out)."""

    def __init__(self, model: BoardModel, service_name: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(model, parent)
        self.service_name = service_name

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        self._background(p)
        u = self.unit
        y = self._heading(p, "board.waiting.heading", 12 * u)
        row_h = 52 * u
        for sid, count in self.model.waiting.items():
            if count <= 0:
                continue
            if y + row_h > self.height() - 8 * u:
                break
            p.setPen(TEXT)
            name = self.service_name(sid)
            # one line, shrunk to fit rather than wrapped mid-word or cut at the edge of its column
            p.setFont(font(fit_px(name, self.width() * 0.55 - 36 * u, 34 * u)))
            p.drawText(QRectF(36 * u, y, self.width() * 0.55, row_h), Qt.AlignmentFlag.AlignVCenter, name)
            p.setFont(font(40 * u, True))
            p.drawText(
                QRectF(self.width() * 0.6, y, self.width() * 0.4 - 36 * u, row_h),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                translate("ja", "board.waiting.count", count=count),
            )
            y += row_h
        p.end()


class MovesPanel(_Panel):
    """Visits that moved on to their next counter, newest first, for a few minutes: the number and its step, then
    ``→ 国民健康保険　9・10番窓口`` and the waiting area, then the same in a subtitle language that changes every few
    seconds (the browser board's rotation). Rows that do not fit are left out whole."""

    #: design pixels of a move's row: its lines' heights and largest sizes (the last, the subtitle's waiting
    #: area, may take two lines)
    LINES = ((48, 40, True), (34, 28, True), (34, 26, False), (60, 24, False))
    ROW_GAP = 10

    def __init__(
        self,
        model: BoardModel,
        service_name: Callable[[str, str], str],
        place: Callable[[str, str], tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        """``place(service_id, lang)``: its counters (``9・10番窓口``) and its waiting area, in ``lang``."""
        super().__init__(model, parent)
        self.service_name = service_name
        self.place = place
        #: the subtitle languages in turn (the hall's, without Japanese)
        self.sub_languages: list[str] = ["en"]
        self.sub_index = 0

    @property
    def sub_language(self) -> str:
        return self.sub_languages[self.sub_index % len(self.sub_languages)]

    def next_language(self) -> None:
        self.sub_index += 1
        self.update()

    def row_height(self) -> float:
        return (sum(h for h, _, _ in self.LINES) + self.ROW_GAP) * self.unit

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        self._background(p)
        u = self.unit
        y = self._heading(p, "board.moves.heading", 12 * u)
        sub = self.sub_language
        left, width = 36 * u, self.width() - 72 * u
        number_w = 200 * u
        text_left, text_w = left + number_w, width - number_w
        for move in self.model.current_moves():
            if y + self.row_height() > self.height() - 8 * u:
                break
            p.setPen(ACCENT)
            p.setFont(font(fit_px(move.number, number_w - 16 * u, 56 * u), True))
            p.drawText(QRectF(left, y, number_w, 64 * u), Qt.AlignmentFlag.AlignVCenter, move.number)
            p.setPen(MUTED)
            p.setFont(font(28 * u, True))
            p.drawText(
                QRectF(left, y + 64 * u, number_w, 40 * u), Qt.AlignmentFlag.AlignVCenter, f"{move.step}/{move.steps}"
            )
            counters, area = self.place(move.service_id, "ja")
            sub_counters, sub_area = self.place(move.service_id, sub)
            texts = (
                f"→ {self.service_name(move.service_id, 'ja')}　{counters}",
                area,
                f"{self.service_name(move.service_id, sub)} · {sub_counters}",
                sub_area,
            )
            top = y
            for i, (line, (height, px, main)) in enumerate(zip(texts, self.LINES, strict=True)):
                p.setPen(TEXT if main else MUTED)
                box = QRectF(text_left, top, text_w, height * u)
                if i == len(texts) - 1:
                    p.setFont(font(fit_wrapped_px(line, text_w, height * u, px * u)))
                    p.drawText(box, WRAP, line)
                else:
                    p.setFont(font(fit_px(line, text_w, px * u), main))
                    p.drawText(box, Qt.AlignmentFlag.AlignVCenter, line)
                top += height * u
            y += self.row_height()
        p.end()
