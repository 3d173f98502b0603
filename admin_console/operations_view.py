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

from qt_common.tasks import run_task
from queueing.admin_client import AdminClient


def _when(ts: float | None) -> str:
    return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S") if ts else "—"


class OperationsView(QWidget):
    loaded = Signal()

    def __init__(self, client: AdminClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.backup_button = QPushButton("今すぐバックアップ / Back up now")
        self.backup_button.clicked.connect(self.backup_now)
        self.reload_button = QPushButton("設定を再読み込み / Reload hall.toml")
        self.reload_button.clicked.connect(self.reload_config)
        self.refresh_button = QPushButton("更新 / Refresh")
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
        self.message.setText(f"失敗 / Failed: {detail}")

    def _show(self, ops: dict[str, Any]) -> None:
        self.last = ops
        folder = ops.get("backup_dir") or "（未設定 / not configured: [operations] backup_dir）"
        error = ops.get("last_backup_error")
        state = f"バックアップ先 / Backup folder: {folder}"
        if error:
            state += f"\n前回の失敗 / Last failure: {error}"
        self.backup_state.setText(state)
        self.backups.clear()
        for b in reversed(ops.get("backups", [])):
            self.backups.addItem(f"{b['name']}  {b['size'] / 1e6:.1f} MB  {_when(b['mtime'])}")
        self.config_state.setText(
            f"設定ファイル / Configuration: {ops.get('config_path', '')} · "
            f"再読込 / reloaded: {_when(ops.get('config_loaded_at'))}"
        )
        errors = ops.get("config_errors") or []
        self.config_errors.setPlainText(
            "拒否された変更 / Refused change:\n" + "\n".join(errors) if errors else "誤りなし / No errors"
        )
        self.loaded.emit()

    def backup_now(self) -> None:
        def started(ok: bool) -> None:
            self.message.setText("バックアップ開始 / Backup started" if ok else "実行中 / Already running")
            self.refresh()

        run_task(self.client.backup_now, started, self._failed, parent=self)

    def reload_config(self) -> None:
        def done(result: dict[str, Any]) -> None:
            self.message.setText(
                "設定を反映しました / Configuration applied"
                if result.get("applied")
                else "設定に誤りがあり、反映しませんでした / Refused: the file has mistakes"
            )
            self.refresh()

        run_task(self.client.reload_config, done, self._failed, parent=self)
