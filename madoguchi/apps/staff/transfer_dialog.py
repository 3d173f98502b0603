"""Where to send the ticket: to a procedure (any counter that serves it), to one counter, or to one clerk; and
why (the reason goes to the server and is shown to staff only)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from madoguchi.core import api_models as m
from madoguchi.translations.catalog import translate

KINDS = ("service", "counter", "staff")


class TransferDialog(QDialog):
    def __init__(
        self,
        hall: m.HallInfo,
        current_service: str,
        own_counter: int,
        staff: list[m.StaffMember] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("ja", "staff.transfer"))
        self.kind_buttons: dict[str, QRadioButton] = {}
        group = QButtonGroup(self)
        for kind in KINDS:
            b = QRadioButton(translate("ja", f"staff.transfer.to_{kind}"))
            b.setObjectName(f"transfer_{kind}")
            self.kind_buttons[kind] = b
            group.addButton(b)
        self.kind_buttons["service"].setChecked(True)
        self.service = QComboBox()
        self.service.setObjectName("transfer_service_choice")
        for s in hall.services:
            if s.id != current_service:
                self.service.addItem(f"{s.prefix}  {s.name.get('ja', s.id)}", s.id)
        self.counter = QComboBox()
        self.counter.setObjectName("transfer_counter_choice")
        names = {s.id: s.name.get("ja", s.id) for s in hall.services}
        for c in hall.counters:
            if c.number != own_counter:
                served = "・".join(names.get(sid, sid) for sid in c.services[:2])
                label = translate("ja", "board.counter", counter=str(c.number))
                self.counter.addItem(f"{label}  ({served})", c.number)
        self.staff = QComboBox()
        self.staff.setObjectName("transfer_staff_choice")
        self.set_staff(staff or [])
        self.reason = QLineEdit()
        self.reason.setMaxLength(200)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        for which, msgid in (
            (QDialogButtonBox.StandardButton.Ok, "common.ok"),
            (QDialogButtonBox.StandardButton.Cancel, "common.cancel"),
        ):
            button = buttons.button(which)
            if button is not None:
                button.setText(translate("ja", msgid))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.kind_buttons["service"], self.service)
        form.addRow(self.kind_buttons["counter"], self.counter)
        form.addRow(self.kind_buttons["staff"], self.staff)
        form.addRow(translate("ja", "staff.reason"), self.reason)
        form.addRow(buttons)
        group.buttonToggled.connect(lambda *_: self._enable())
        self._enable()

    def set_staff(self, staff: list[m.StaffMember]) -> None:
        self.staff.clear()
        for s in staff:
            where = (
                translate("ja", "staff.transfer.at_counter", counter="・".join(str(c) for c in s.counters))
                if s.counters
                else translate("ja", "staff.transfer.not_logged_in")
            )
            self.staff.addItem(f"{s.display_name}  ({where})", s.staff_id)

    def _enable(self) -> None:
        self.service.setEnabled(self.kind_buttons["service"].isChecked())
        self.counter.setEnabled(self.kind_buttons["counter"].isChecked())
        self.staff.setEnabled(self.kind_buttons["staff"].isChecked())

    def kind(self) -> str:
        return next(k for k, b in self.kind_buttons.items() if b.isChecked())

    def choice(self) -> tuple[str | None, str, int | None, str | None]:
        """(service, reason, counter, staff id): one of service, counter or staff id is given."""
        reason = self.reason.text().strip()
        kind = self.kind()
        if kind == "counter":
            return None, reason, int(self.counter.currentData()), None
        if kind == "staff":
            return None, reason, None, str(self.staff.currentData())
        return str(self.service.currentData()), reason, None, None
