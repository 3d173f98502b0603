"""The filled form on the staff console, laid out like the paper application, with "copy" per field.

Shows nothing until a form arrives and is emptied (widgets deleted, values dropped) as soon as the controller
clears the form, e.g. when the ticket is done.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from madoguchi.apps.staff.form_layout import INDIVIDUAL_NUMBER, FormRow, form_rows, form_title
from madoguchi.apps.staff.form_pdf import export_form_pdf
from madoguchi.core import api_models as m
from madoguchi.core.config import Form
from madoguchi.translations.catalog import translate

CELL = "border: 1px solid #555; padding: 6px; font-size: 15px;"


class FormSheet(QWidget):
    reveal_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.forms: dict[str, Form] = {}
        self.view: m.FormView | None = None
        self.number = ""
        self.revealed: str | None = None
        self.rows: list[FormRow] = []
        self.copy_buttons: dict[str, QPushButton] = {}
        self.show_button: QPushButton | None = None
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.export_button = QPushButton(translate("ja", "staff.export_pdf"))
        self.export_button.clicked.connect(self._export_clicked)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.export_button)
        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setSpacing(0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._grid_host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)
        self.clear()

    def set_forms(self, forms: dict[str, object]) -> None:
        self.forms = {fid: Form.model_validate(spec) for fid, spec in forms.items()}

    @property
    def showing(self) -> bool:
        return self.view is not None

    def show_form(self, view: m.FormView | None, number: str = "") -> None:
        if view is None:
            self.clear()
            return
        if self.view is None or self.view.ticket_id != view.ticket_id:
            self.revealed = None
        self.view = view
        self.number = number
        self._render()

    def show_individual_number(self, ticket_id: int, number: str) -> None:
        if self.view is not None and self.view.ticket_id == ticket_id:
            self.revealed = number
            self._render()

    def clear(self) -> None:
        self.view = None
        self.revealed = None
        self.rows = []
        self.number = ""
        self.title.setText("")
        self._clear_grid()
        self.export_button.setEnabled(False)

    def _clear_grid(self) -> None:
        self.copy_buttons = {}
        self.show_button = None
        while self._grid.count():
            item = self._grid.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.setParent(None)
                w.deleteLater()

    def _render(self) -> None:
        view = self.view
        assert view is not None
        self._clear_grid()
        form = self.forms.get(view.form_id or "")
        if form is None:
            self.title.setText(view.form_id or "")
            self.rows = [FormRow(k, k, str(v)) for k, v in view.fields.items() if not isinstance(v, list)]
        else:
            self.title.setText(form_title(form))
            self.rows = form_rows(
                form,
                view.fields,
                individual_number=self.revealed,
                individual_number_masked=view.individual_number_masked,
            )
        for i, row in enumerate(self.rows):
            label = QLabel(f"{row.label} {row.row}" if row.row else row.label)
            label.setStyleSheet(CELL + "background: #eee;")
            value = QLabel(row.value)
            # what a resident or a code wrote is text, never markup that could show another name than the real one
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setObjectName(f"value_{row.key}" + (f"_{row.row}" if row.row else ""))
            value.setStyleSheet(CELL)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._grid.addWidget(label, i, 0)
            self._grid.addWidget(value, i, 1)
            if row.key == INDIVIDUAL_NUMBER and row.masked:
                self.show_button = QPushButton(translate("ja", "staff.show_number"))
                self.show_button.clicked.connect(self.reveal_requested.emit)
                self._grid.addWidget(self.show_button, i, 2)
                continue
            copy = QPushButton(translate("ja", "staff.copy"))
            copy.setEnabled(bool(row.value))
            copy.clicked.connect(lambda _=False, text=row.value: QGuiApplication.clipboard().setText(text))
            self._grid.addWidget(copy, i, 2)
            self.copy_buttons[value.objectName().removeprefix("value_")] = copy
        self._grid.setColumnStretch(1, 1)
        self._grid.addWidget(QFrame(), len(self.rows), 0)
        self._grid.setRowStretch(len(self.rows), 1)
        self.export_button.setEnabled(True)

    def export_pdf(self, path: Path) -> Path:
        return export_form_pdf(path, self.title.text(), self.number, self.rows)

    def _export_clicked(self) -> None:
        if self.view is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, translate("ja", "staff.export_pdf"), "", "PDF (*.pdf)")
        if name:
            self.export_pdf(Path(name))
