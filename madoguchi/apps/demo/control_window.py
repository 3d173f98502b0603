"""The demo's control window: the sample resident and PIN, the virtual card and printer switches, and a
preview of every ticket the printer simulator printed (decoded back from the ESC/POS bytes)."""

from __future__ import annotations

from collections.abc import Callable

from PIL.ImageQt import ImageQt
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget


class _JobRelay(QObject):
    printed = Signal(object)


class DemoControlWindow(QWidget):
    def __init__(
        self,
        *,
        resident_line: str,
        insert_card: Callable[[], None] | None,
        remove_card: Callable[[], None] | None,
        set_printer_state: Callable[[str], None],
        staff_line: str,
    ) -> None:
        super().__init__()
        self.setWindowTitle(f"Madoguchi demo — {resident_line}")
        self.relay = _JobRelay()
        self.relay.printed.connect(self._show_ticket)
        layout = QVBoxLayout(self)
        info = QLabel(f"{resident_line}\n{staff_line}")
        info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(info)
        row = QHBoxLayout()
        for label, action in (("Insert card", insert_card), ("Remove card", remove_card)):
            b = QPushButton(label)
            b.setEnabled(action is not None)
            if action is not None:
                b.clicked.connect(action)
            row.addWidget(b)
        for state in ("ok", "near_end", "paper_out", "cover_open"):
            b = QPushButton(f"Printer: {state}")
            b.clicked.connect(lambda _=False, s=state: set_printer_state(s))
            row.addWidget(b)
        layout.addLayout(row)
        self.preview = QLabel("No ticket printed yet.")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidget(self.preview)
        scroll.setWidgetResizable(True)
        layout.addWidget(scroll, 1)
        self.resize(700, 900)

    def on_printed(self, job: object) -> None:
        """Called on the simulator's thread; hands the job to the UI thread."""
        self.relay.printed.emit(job)

    def _show_ticket(self, job: object) -> None:
        image = getattr(job, "image", None)
        if image is None:
            return
        self.preview.setPixmap(QPixmap.fromImage(ImageQt(image.convert("RGB"))))
