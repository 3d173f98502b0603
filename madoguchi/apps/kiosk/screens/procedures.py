"""Procedure list: services grouped by category, each with its waiting count and estimate from the server.

Services closed now are shown disabled with their opening time. The list is cut into columns and, when it
does not fit the screen, into pages with big "previous" and "next" buttons (``procedure_pages``): normal
text puts the usual hall on one landscape screen in four columns; large text uses fewer, wider columns and
pages, never content hidden below the edge. What still has to scroll (one very tall column) scrolls under
a finger, with the glide a touchscreen user expects.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from madoguchi.apps.kiosk.icons import Pictogram
from madoguchi.apps.kiosk.ruby_widgets import RubyButton
from madoguchi.apps.kiosk.screens.base import Screen
from madoguchi.apps.kiosk.screens.procedure_pages import Category, Item, Page, layout_pages
from madoguchi.apps.kiosk.widgets import RichButton, big_button, kinetic_scrolling, text_label
from madoguchi.core import api_models as m
from madoguchi.translations.catalog import default_catalogs
from madoguchi.translations.formatting import format_time
from madoguchi.translations.ruby_markup import plain_text

#: the narrowest a column may be, at 1080 lines (normal text, large text): narrower, names wrap word by word
MIN_COLUMN_PX = (380, 560)
MAX_COLUMNS = 4
SPACING = 8
COLUMN_GAP = 20
#: the life events' entry among the list's items (no service id starts with "*")
LIFE = "*life_events"


class ProceduresScreen(Screen):
    name = "procedures"

    def __init__(self, ctx, flow) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, flow)
        self.layout_.setContentsMargins(40, 12, 40, 12)  # the list gets every pixel the heading can spare
        self.layout_.setSpacing(8)
        self.heading = text_label(role="title")
        self.subheading = text_label(role="small")
        self.subheading.hide()  # the heading says it; room for one more row of procedures
        self.notice = text_label(role="notice")
        self.notice.hide()
        self.machine_note = text_label(role="small")
        self.machine_note.hide()
        pager = QHBoxLayout()
        pager.setContentsMargins(0, 0, 0, 0)
        self.previous_button = cast(RubyButton, big_button(on_click=lambda: self.show_page(self.page - 1)))
        self.previous_button.setObjectName("previousPage")
        self.next_button = cast(RubyButton, big_button(kind="primary", on_click=lambda: self.show_page(self.page + 1)))
        self.next_button.setObjectName("nextPage")
        self.page_label = text_label(role="strong", center=True)
        pager.addWidget(self.previous_button)
        pager.addWidget(self.page_label)
        pager.addWidget(self.next_button)
        self.pager = QWidget()
        self.pager.setLayout(pager)
        self._pager_row = pager
        self.pager.hide()
        # The pager shares the heading's row where the row is wide enough: pages would otherwise lose a whole
        # row of procedures to it. On a narrow screen it gets a row of its own under the list.
        self.top_row = QHBoxLayout()
        self.top_row.addWidget(self.heading, 1)
        self.top_row.addWidget(self.pager, 0, Qt.AlignmentFlag.AlignBottom)
        self.pager_on_top = True
        self.layout_.addLayout(self.top_row)
        self.layout_.addWidget(self.subheading)
        self.layout_.addWidget(self.notice)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller = kinetic_scrolling(self.scroll_area)
        self.layout_.addWidget(self.scroll_area, 1)
        self.layout_.addWidget(self.machine_note)
        self.bottom_row = QHBoxLayout()
        self.layout_.addLayout(self.bottom_row)
        # Buttons live as long as the hall; pages borrow them. Parked here while not on the shown page.
        self._parking = QWidget(self)
        self._parking.hide()
        # A life event (moving, a birth, a death…) leads to its procedures in counter order, on one ticket: the
        # first item of the list, where it costs a column's slot rather than a row across the whole screen
        self.life_button = RichButton(roles=("strong", "small"), icon=Pictogram("family", 48))
        self.life_button.setObjectName("lifeEvents")
        self.life_button.clicked.connect(lambda _=False: self.flow.choose_life_events())
        self.life_button.setParent(self._parking)
        self.buttons: dict[str, RichButton] = {}
        self.pages: list[Page] = []
        self.page = 0
        self.columns_shown = 1
        self._pager_cost = 0
        self._built_for: tuple[str, ...] = ()
        self._laid_out: tuple[object, ...] = ()
        # Parked widgets take a new style sheet's fonts only once shown: a page is measured again when shown.
        self._check = QTimer(self)
        self._check.setSingleShot(True)
        self._check.setInterval(0)
        self._check.timeout.connect(self._check_fit)
        self._rechecks = 0

    # ------------------------------------------------------------------ building
    def _ensure_buttons(self, hall: m.HallInfo) -> None:
        ids = tuple(s.id for s in hall.services)
        if ids == self._built_for:
            return
        for button in self.buttons.values():
            button.deleteLater()
        self.buttons = {}
        for service in hall.services:
            button = RichButton(icon=Pictogram(service.icon, 48))
            button.clicked.connect(lambda _=False, s=service.id: self.flow.choose_service(s))
            button.setObjectName(f"service-{service.id}")
            button.setParent(self._parking)
            self.buttons[service.id] = button
        self._built_for = ids
        self._laid_out = ()

    def _categories(self, hall: m.HallInfo) -> dict[str, list[m.ServiceInfo]]:
        categories: dict[str, list[m.ServiceInfo]] = {}
        for service in hall.services:
            categories.setdefault(service.category, []).append(service)
        return categories

    def columns(self) -> int:
        large = self.ctx.session.prefs.large_text
        scale = max(0.5, min(self.width(), self.height()) / 1080) if self.height() else 1.0
        usable = self.scroll_area.viewport().width() or self.width()
        return max(1, min(MAX_COLUMNS, int((usable + COLUMN_GAP) // (MIN_COLUMN_PX[large] * scale + COLUMN_GAP))))

    def _column_width(self, columns: int) -> int:
        usable = self.scroll_area.viewport().width() or self.width()
        return max(100, (usable - COLUMN_GAP * (columns - 1)) // columns)

    def _category_label(self, category: str) -> QLabel:
        label = text_label(role="small")
        label.setProperty("category", category)
        msgid = f"kiosk.category.{category}"
        label.setText(self.t(msgid) if msgid in default_catalogs().messages("ja") else "")
        return label

    def _paginate(self, hall: m.HallInfo) -> None:
        """Measure every item and cut the list into columns and pages: the fewest pages, then the fewest (and
        so widest) columns that give them. Done again only when a size, the texts or the style changed."""
        most = self.columns()
        pager = self._place_pager()
        # the list's room without the pager (one page needs none); pages lose the room the pager takes
        height = self.scroll_area.viewport().height() + (self._pager_cost if self.pager.isVisible() else 0)
        life = self.life_events_offered()
        texts = tuple(b.text() for b in self.buttons.values()) + ((self.life_button.text(),) if life else ())
        key = (most, self._column_width(most), height, self.t.language, texts, self.styleSheet())
        if key == self._laid_out:
            return
        self._laid_out = key
        probe = self._category_label("")
        probe.setParent(self._parking)  # under the window's style sheet, as the real headings will be
        for widget in [probe, *self._parking.findChildren(QWidget)]:
            widget.ensurePolished()  # parked widgets have not been shown: fonts from the style sheet now
        best: tuple[int, int, bool, list[Page]] | None = None
        detail = self.life_button.lines[1]
        for columns in range(most, 0, -1):
            width = self._column_width(columns)
            categories = []
            for category, services in self._categories(hall).items():
                probe.setText(self._category_label(category).text())
                heading = probe.heightForWidth(width) if probe.text() else 0
                heights = tuple((s.id, self._button_height(self.buttons[s.id], width)) for s in services)
                categories.append(Category(category, heading, heights))
            # the entry whole, or (where that would take a page more) its first line only: the second is said
            for short in (False, True) if life else (False,):
                detail.setVisible(not short and bool(detail.text()))
                pinned = Item("service", LIFE, self._button_height(self.life_button, width)) if life else None
                pages = layout_pages(categories, columns, height, SPACING, pager, pinned)
                if best is None or (len(pages), columns, short) < (best[0], best[1], best[2]):
                    best = (len(pages), columns, short, pages)
        probe.deleteLater()
        assert best is not None
        self.columns_shown = best[1]
        detail.setVisible(not best[2] and bool(detail.text()))
        self.pages = best[3]
        self.show_page(min(self.page, len(self.pages) - 1))

    def _place_pager(self) -> int:
        """Beside the heading if the heading still fits there in the pager's height, else under the list;
        returns the height the pager costs the list when shown."""
        margins = self.layout_.contentsMargins()
        row = self.width() - margins.left() - margins.right()
        pager = self.pager.sizeHint()
        spacing = self.top_row.spacing()
        alone = self.heading.heightForWidth(row)
        beside = self.heading.heightForWidth(max(1, row - pager.width() - spacing))
        on_top = beside <= max(pager.height(), alone)
        if on_top != self.pager_on_top:
            (self.bottom_row if self.pager_on_top else self.top_row).removeWidget(self.pager)
            if on_top:
                self.top_row.addWidget(self.pager, 0, Qt.AlignmentFlag.AlignBottom)
            else:
                self.bottom_row.addWidget(self.pager)
            self.pager_on_top = on_top
        self._pager_cost = max(pager.height(), beside) - alone if on_top else pager.height() + self.layout_.spacing()
        return self._pager_cost

    @staticmethod
    def _button_height(button: RichButton, width: int) -> int:
        """The height the button's wrapped lines need at ``width`` (never under the style's touch height)."""
        return button.heightForWidth(width)

    def show_page(self, page: int) -> None:
        if not self.pages:
            return
        self.page = max(0, min(page, len(self.pages) - 1))
        holder = QWidget()
        holder.setProperty("screen", True)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(COLUMN_GAP)
        for button in [*self.buttons.values(), self.life_button]:
            button.setParent(self._parking)
        for column_items in self.pages[self.page]:
            column = QVBoxLayout()
            column.setSpacing(SPACING)
            for item in column_items:
                if item.kind == "heading" and item.key == LIFE:
                    continue  # the life events' entry has no heading
                if item.kind == "heading":
                    column.addWidget(self._category_label(item.key))
                elif item.key == LIFE:
                    column.addWidget(self.life_button)
                    self.life_button.show()
                else:
                    column.addWidget(self.buttons[item.key])
                    self.buttons[item.key].show()
            column.addStretch(1)
            row.addLayout(column, 1)
        for _ in range(len(self.pages[self.page]), self.columns_shown):
            row.addStretch(1)  # a last page with fewer columns keeps the others' width
        self.scroll_area.setWidget(holder)
        self.scroll_area.verticalScrollBar().setValue(0)
        self._update_pager()
        self._check.start()

    def page_of(self, service_id: str) -> int:
        """The page that shows the procedure (0 when it is on none, e.g. before the first layout)."""
        for number, page in enumerate(self.pages):
            if any(item.kind == "service" and item.key == service_id for column in page for item in column):
                return number
        return 0

    def overflow(self) -> int:
        """How many pixels of the shown page lie below the visible area (0 when it fits)."""
        holder = self.scroll_area.widget()
        if holder is None or holder.layout() is None:
            return 0
        width = self.scroll_area.viewport().width()
        layout = holder.layout()
        assert layout is not None
        need = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.sizeHint().height()
        return max(0, need - self.scroll_area.viewport().height())

    def _check_fit(self) -> None:
        """Measured again as shown: a page that does not fit (or a pager that is not needed) is laid out anew."""
        if self.ctx.hall is None or not self.isVisible():
            return
        for _ in range(3):  # the pager just shown or hidden changes the list's room: settle the layouts first
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        if self.overflow() > 0 and self._rechecks < 3:
            self._rechecks += 1
            self._laid_out = ()
            self._paginate(self.ctx.hall)
        else:
            self._rechecks = 0

    def _update_pager(self) -> None:
        many = len(self.pages) > 1
        self.pager.setVisible(many)
        self.previous_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < len(self.pages) - 1)
        previous, following = self.t("kiosk.procedures.previous"), self.t("kiosk.procedures.next")
        self.page_label.setText(self.t("kiosk.procedures.page", page=self.page + 1, pages=max(1, len(self.pages))))
        # Where the words do not fit (a narrow screen in large text), the arrows alone: still big, still said
        margins = self.layout_.contentsMargins()
        room = self.width() - margins.left() - margins.right()
        spacing = 2 * self._pager_row.spacing()
        full = [("◀ " + previous, self.previous_button), (following + " ▶", self.next_button)]
        need = sum(button.size_for(text).width() for text, button in full) + self.page_label.minimumSizeHint().width()
        words = need + spacing <= room
        for (text, button), arrow in zip(full, ("◀", "▶"), strict=True):
            button.setText(text if words else arrow)
            button.setMinimumWidth(button.size_for(text if words else arrow).width())
        self.previous_button.setAccessibleName(plain_text(previous))
        self.next_button.setAccessibleName(plain_text(following))

    # ------------------------------------------------------------------ texts
    def retranslate(self) -> None:
        hall = self.ctx.hall
        if hall is None:
            return
        self._ensure_buttons(hall)
        self.heading.setText(self.t("kiosk.procedures.heading"))
        self.subheading.setText(self.t("kiosk.procedures.subheading"))
        if self.ctx.session.reservation_code:
            self.notice.setText(self.t("kiosk.code.reservation_choose"))
            self.notice.show()
        else:
            self.notice.hide()
        self.life_button.set_lines(self.t("kiosk.life.entry"), self.t("kiosk.life.entry_detail"))
        for service in hall.services:
            self._update_button(service)
        machine = self._machine_translated(hall)
        self.machine_note.setText(self.t("kiosk.procedures.machine_translated") if machine else "")
        self.machine_note.setVisible(machine)
        self._paginate(hall)
        self._update_pager()

    def life_events_offered(self) -> bool:
        """The hall has life events, and the resident is not checking in a reservation (one procedure)."""
        return bool(self.ctx.life_events) and not self.ctx.session.reservation_code

    def _machine_translated(self, hall: m.HallInfo) -> bool:
        """Whether a name or description shown now is a machine translation nobody has checked yet."""
        lang = self.t.language
        for service in hall.services:
            for key in ("name", "description"):
                if lang in hall.machine_translated.get(f"services.{service.id}.{key}", ()):
                    return True
        return False

    def _update_button(self, service: m.ServiceInfo) -> None:
        button = self.buttons[service.id]
        status = self.ctx.statuses.get(service.id)
        name = self.t.pick(service.name)
        description = self.t.pick(service.description)
        if status is None:
            button.set_lines(name, description)
            button.setEnabled(True)
            return
        if not status.open_now:
            when = (
                self.t("kiosk.closed.opens_at", time=self._time(status.opens_at))
                if status.opens_at
                else self.t("kiosk.service.closed")
            )
            button.set_lines(name, description, when)
            button.setEnabled(False)
            return
        waiting = self.t("kiosk.waiting.count", count=status.waiting)
        estimate = self.t.wait_range(status.estimate)
        separator = "・" if self.t.language in ("ja", "ja-easy", "zh-Hans") else " · "  # a wide dot only in CJK
        button.set_lines(name, description, f"{waiting}{separator}{estimate}")
        button.setEnabled(True)

    def _time(self, hhmm: str) -> str:
        """ "16:30" as the resident's language writes a time ("4:30 PM")."""
        try:
            return format_time(self.t.language, dt.time.fromisoformat(hhmm))
        except ValueError:
            return hhmm

    # ------------------------------------------------------------------ events
    def resizeEvent(self, event: object) -> None:
        if self.ctx.hall is not None and self.isVisible():
            self._paginate(self.ctx.hall)  # turned, or large text: columns and pages again

    def enter(self) -> None:
        self.page = 0
        self.retranslate()
        if self.ctx.hall is not None:
            self.show_page(0)

    def speech_text(self) -> str:
        return self.t("kiosk.procedures.heading")
