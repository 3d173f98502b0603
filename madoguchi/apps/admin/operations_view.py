"""Operations tab: backups (list, back up now), configuration file state (errors of a refused file, reload)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from madoguchi.apps.admin.texts import AdminTexts
from madoguchi.client.admin_client import AdminClient
from madoguchi.qt.tasks import run_task


def _when(ts: float | None) -> str:
    return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S") if ts else "—"


class OperationsView(QWidget):
    loaded = Signal()

    def __init__(self, client: AdminClient, texts: AdminTexts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.t = texts
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.backup_button = QPushButton(texts("admin.ops.backup_now"))
        self.backup_button.clicked.connect(self.backup_now)
        self.reload_button = QPushButton(texts("admin.ops.reload"))
        self.reload_button.clicked.connect(self.reload_config)
        self.refresh_button = QPushButton(texts("admin.refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        for b in (self.backup_button, self.reload_button, self.refresh_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = QLabel("")
        layout.addWidget(self.message)
        self.backup_state = QLabel("")
        layout.addWidget(self.backup_state)
        self.backups = QListWidget()
        layout.addWidget(self.backups, 1)
        self.config_state = QLabel("")
        layout.addWidget(self.config_state)
        self.config_errors = QPlainTextEdit()
        self.config_errors.setReadOnly(True)
        self.config_errors.setMaximumHeight(140)
        layout.addWidget(self.config_errors)
        self.last: dict[str, Any] | None = None

    def refresh(self) -> None:
        run_task(self.client.operations, self._show, self._failed, parent=self)

    def _failed(self, exc: BaseException) -> None:
        detail = getattr(exc, "detail", "") or type(exc).__name__
        self.message.setText(self.t("admin.ops.failed", detail=detail))

    def _show(self, ops: dict[str, Any]) -> None:
        self.last = ops
        folder = ops.get("backup_dir") or self.t("admin.ops.backup_dir_unset")
        error = ops.get("last_backup_error")
        state = self.t("admin.ops.backup_folder", folder=folder)
        if error:
            state += "\n" + self.t("admin.ops.last_failure", error=error)
        self.backup_state.setText(state)
        self.backups.clear()
        for b in reversed(ops.get("backups", [])):
            self.backups.addItem(f"{b['name']}  {b['size'] / 1e6:.1f} MB  {_when(b['mtime'])}")
        self.config_state.setText(
            self.t("admin.ops.config_state", path=ops.get("config_path", ""), time=_when(ops.get("config_loaded_at")))
        )
        errors = ops.get("config_errors") or []
        self.config_errors.setPlainText(
            self.t("admin.ops.refused") + "\n" + "\n".join(errors) if errors else self.t("admin.ops.no_errors")
        )
        self.loaded.emit()

    def backup_now(self) -> None:
        def started(ok: bool) -> None:
            self.message.setText(self.t("admin.ops.backup_started" if ok else "admin.ops.backup_running"))
            self.refresh()

        run_task(self.client.backup_now, started, self._failed, parent=self)

    def reload_config(self) -> None:
        def done(result: dict[str, Any]) -> None:
            self.message.setText(
                self.t("admin.ops.config_applied" if result.get("applied") else "admin.ops.config_refused")
            )
            self.refresh()

        run_task(self.client.reload_config, done, self._failed, parent=self)
