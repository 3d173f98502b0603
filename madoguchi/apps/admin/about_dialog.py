"""Help → About: Madoguchi's version and licence, and the third-party notices (licences and attributions).

The notices are the ``THIRD_PARTY_NOTICES.md`` the wheel carries in its metadata (``licenses/``); a source
checkout reads the file at the top of the tree. The text is shown as it is written, in English: licence terms
are legal text, not translated.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from madoguchi import package_version
from madoguchi.apps.admin.texts import AdminTexts

NOTICES = "THIRD_PARTY_NOTICES.md"
LICENCE_NAME = "Apache License 2.0"


def notices_text() -> str:
    """The third-party notices of the installed package, or of the source tree it runs from."""
    try:
        files = importlib.metadata.distribution("madoguchi").files or []
        for file in files:
            if file.name == NOTICES:
                return file.read_text(encoding="utf-8")
    except importlib.metadata.PackageNotFoundError:
        pass
    source = Path(__file__).resolve().parents[3] / NOTICES
    return source.read_text(encoding="utf-8") if source.is_file() else ""


class AboutDialog(QDialog):
    def __init__(self, t: AdminTexts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("admin.about.title"))
        self.resize(900, 640)
        layout = QVBoxLayout(self)
        title = QLabel(t("admin.about.version", version=package_version()))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        self.licence = QLabel(t("admin.about.licence", licence=LICENCE_NAME))
        self.licence.setWordWrap(True)
        layout.addWidget(self.licence)
        self.notices = QPlainTextEdit()
        self.notices.setReadOnly(True)
        self.notices.setFont(QFont("Monospace"))
        self.notices.setPlainText(notices_text() or t("admin.about.no_notices"))
        self.notices.setAccessibleName(t("admin.about.notices"))
        layout.addWidget(QLabel(t("admin.about.notices")))
        layout.addWidget(self.notices, 1)
        buttons = QDialogButtonBox()
        close = buttons.addButton(t("admin.about.close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
