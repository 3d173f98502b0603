"""Staff login: id and password, checked by the server."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from madoguchi.translations.catalog import translate


class LoginScreen(QWidget):
    submitted = Signal(str, str)

    def __init__(self, counter: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(translate("ja", "board.counter", counter=str(counter)))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("font-size: 28px; font-weight: bold;")
        self.staff_id = QLineEdit()
        self.staff_id.setObjectName("staff_id")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.button = QPushButton(translate("ja", "staff.login"))
        self.button.setMinimumHeight(48)
        self.button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        form = QFormLayout()
        form.addRow(translate("ja", "staff.user_id"), self.staff_id)
        form.addRow(translate("ja", "staff.password"), self.password)
        box = QWidget()
        box.setMaximumWidth(420)
        inner = QVBoxLayout(box)
        inner.addWidget(title)
        inner.addLayout(form)
        inner.addWidget(self.button)
        inner.addWidget(self.message)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

    def _submit(self) -> None:
        if self.staff_id.text().strip() and self.password.text():
            self.message.setText("")
            self.submitted.emit(self.staff_id.text().strip(), self.password.text())

    def failed(self, message_id: str) -> None:
        self.password.clear()
        self.message.setText(translate("ja", message_id))

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
