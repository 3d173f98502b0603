"""Ask where to send the ticket and why (the reason goes to the server, is shown to staff only)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from madoguchi.core import api_models as m
from madoguchi.translations.catalog import translate


class TransferDialog(QDialog):
    def __init__(self, services: list[m.ServiceInfo], current_service: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("ja", "staff.transfer"))
        self.service = QComboBox()
        for s in services:
            if s.id != current_service:
                self.service.addItem(f"{s.prefix}  {s.name.get('ja', s.id)}", s.id)
        self.reason = QLineEdit()
        self.reason.setMaxLength(200)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(translate("ja", "staff.transfer.service"), self.service)
        form.addRow(translate("ja", "staff.reason"), self.reason)
        form.addRow(buttons)

    def choice(self) -> tuple[str, str]:
        return str(self.service.currentData()), self.reason.text().strip()
