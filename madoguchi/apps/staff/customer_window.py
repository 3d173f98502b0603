"""The customer-facing conversation screen at the counter: the staff's sentence large in the resident's
language (labelled when machine-translated), read-aloud, and prepared replies to tap."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from madoguchi.translations.catalog import translate
from madoguchi.translations.conversation import Reply, Utterance


class CustomerWindow(QWidget):
    reply_chosen = Signal(object)  # Reply
    read_aloud_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Madoguchi")
        self.lang = "ja"
        self.utterance: Utterance | None = None
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 22px; color: #555;")
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # a translation is text, never markup
        self.text.setObjectName("customer_text")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setStyleSheet("font-size: 44px; font-weight: bold;")
        self.mt_label = QLabel()
        self.mt_label.setObjectName("machine_translated")
        self.mt_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.mt_label.setStyleSheet("font-size: 18px; color: #8a4b00; background: #fff3cd; padding: 4px;")
        self.mt_label.hide()
        self.read_button = QPushButton()
        self.read_button.setMinimumHeight(64)
        self.read_button.setStyleSheet("font-size: 22px;")
        self.read_button.clicked.connect(self.read_aloud_requested.emit)
        self.tap_hint = QLabel()
        self.tap_hint.setStyleSheet("font-size: 20px;")
        self._replies_host = QWidget()
        self._replies = QGridLayout(self._replies_host)
        self.reply_buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.mt_label)
        layout.addWidget(self.read_button)
        layout.addWidget(self.tap_hint)
        layout.addWidget(self._replies_host)
        self.resize(1024, 600)

    def set_language(self, lang: str, replies: list[Reply]) -> None:
        self.lang = lang
        self.heading.setText(translate(lang, "conv.label.staff_says"))
        self.read_button.setText("🔊 " + translate(lang, "kiosk.toggle.read_aloud"))
        self.tap_hint.setText(translate(lang, "conv.label.tap_reply"))
        for b in self.reply_buttons.values():
            b.setParent(None)
            b.deleteLater()
        self.reply_buttons = {}
        first = ("conv.reply.yes", "conv.reply.no")  # はい / いいえ where the eye lands first
        ordered = sorted(replies, key=lambda r: first.index(r.msgid) if r.msgid in first else len(first))
        for i, reply in enumerate(ordered):
            b = QPushButton(reply.resident_text)
            b.setMinimumHeight(72)
            b.setStyleSheet("font-size: 22px;")
            b.clicked.connect(lambda _=False, r=reply: self.reply_chosen.emit(r))
            self._replies.addWidget(b, i // 3, i % 3)
            self.reply_buttons[reply.msgid] = b

    def show_utterance(self, utterance: Utterance) -> None:
        self.utterance = utterance
        self.text.setText(utterance.text if utterance.text is not None else utterance.staff_text)
        self.mt_label.setText(utterance.label or "")
        self.mt_label.setVisible(utterance.machine_translated)
        self.read_button.setEnabled(utterance.text is not None)

    def clear(self) -> None:
        self.utterance = None
        self.text.setText("")
        self.mt_label.hide()
