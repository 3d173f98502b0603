"""The staff side of the counter conversation aid: pick a phrase or type Japanese, see the resident's replies.

The translated sentence goes to a ``CustomerWindow`` (shown on the counter's customer screen); replies come back
in Japanese. Translation may use offline MT, so it runs on a worker. Nothing typed here is logged or cached.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from madoguchi.apps.staff.customer_window import CustomerWindow
from madoguchi.qt.read_aloud import ReadAloud
from madoguchi.qt.tasks import run_task
from madoguchi.translations.catalog import placeholders, translate
from madoguchi.translations.conversation import ConversationAid, Reply, Utterance
from madoguchi.translations.languages import codes, language

log = logging.getLogger(__name__)


def default_conversation() -> ConversationAid:
    """The aid with offline machine translation when a model is installed (free text is then translated)."""
    try:
        from madoguchi.translations.machine import MachineTranslator, available

        machine = MachineTranslator() if available() else None
    except Exception as exc:  # no MT runtime: common phrases still work
        log.info("machine translation unavailable (%s)", type(exc).__name__)
        machine = None
    return ConversationAid(machine=machine)


class ConversationPanel(QWidget):
    utterance_shown = Signal(object)  # Utterance
    reply_received = Signal(object)  # Reply

    def __init__(
        self,
        aid: ConversationAid,
        parent: QWidget | None = None,
        *,
        customer: CustomerWindow | None = None,
        voice_cache: Path | None = None,
        audio: bool | None = None,
    ) -> None:
        super().__init__(parent)
        self.aid = aid
        self.customer = customer or CustomerWindow()
        from madoguchi.devices.speech.voice_adapter import TranslationsVoice

        self.reader = ReadAloud(TranslationsVoice(voice_cache).synthesizer, audio=audio, parent=self)
        self.language = QComboBox()
        for code in codes():
            if code != "ja":
                self.language.addItem(language(code).native_name, code)
        self.phrases = QListWidget()
        for msgid, template in aid.common_phrases():
            item = QListWidgetItem(template)
            item.setData(256, msgid)  # Qt.UserRole
            self.phrases.addItem(item)
        self.value = QLineEdit()
        self.value.setPlaceholderText(translate("ja", "staff.conversation.value"))
        self.value.setMaximumWidth(120)
        self.free_text = QLineEdit()
        self.free_text.setPlaceholderText(translate("ja", "staff.conversation.type_here"))
        self.send_button = QPushButton(translate("ja", "staff.conversation.send"))
        self.read_button = QPushButton(translate("ja", "staff.conversation.read_aloud"))
        self.show_button = QPushButton(translate("ja", "staff.conversation.customer_window"))
        self.log = QListWidget()
        self.status = QLabel()
        self.status.setStyleSheet("color: #8a4b00;")
        top = QHBoxLayout()
        top.addWidget(QLabel(translate("ja", "staff.conversation.language")))
        top.addWidget(self.language, 1)
        top.addWidget(self.show_button)
        phrase_row = QHBoxLayout()
        phrase_row.addWidget(self.phrases, 1)
        phrase_row.addWidget(self.value)
        free_row = QHBoxLayout()
        free_row.addWidget(self.free_text, 1)
        free_row.addWidget(self.send_button)
        free_row.addWidget(self.read_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel(translate("ja", "staff.conversation.phrases")))
        layout.addLayout(phrase_row, 2)
        layout.addLayout(free_row)
        layout.addWidget(self.status)
        layout.addWidget(QLabel(translate("ja", "staff.conversation.log")))
        layout.addWidget(self.log, 1)
        self.phrases.itemActivated.connect(self._phrase_chosen)
        self.phrases.itemDoubleClicked.connect(self._phrase_chosen)
        self.free_text.returnPressed.connect(self.send_free_text)
        self.send_button.clicked.connect(self.send_free_text)
        self.read_button.clicked.connect(self.read_aloud)
        self.show_button.clicked.connect(self.customer.show)
        self.language.currentIndexChanged.connect(lambda _i: self._language_changed())
        self.customer.reply_chosen.connect(self._on_reply)
        self.customer.read_aloud_requested.connect(self.read_aloud)
        self._language_changed()

    @property
    def lang(self) -> str:
        return str(self.language.currentData())

    def set_language(self, lang: str) -> None:
        """Follow the current ticket's language (Japanese tickets keep the previous choice)."""
        index = self.language.findData(lang)
        if index >= 0:
            self.language.setCurrentIndex(index)

    def _language_changed(self) -> None:
        self.customer.set_language(self.lang, self.aid.replies(self.lang))

    def say_phrase(self, msgid: str) -> None:
        value = self.value.text().strip()
        params = {name: value or "—" for name in placeholders(self.aid.catalogs.template("ja", msgid))}
        self._show(self.aid.phrase(msgid, self.lang, **params))

    def _phrase_chosen(self, item: QListWidgetItem) -> None:
        self.say_phrase(str(item.data(256)))

    def send_free_text(self) -> None:
        text = self.free_text.text().strip()
        if not text:
            return
        lang = self.lang
        self.send_button.setEnabled(False)

        def done(utterance: Utterance) -> None:
            self.send_button.setEnabled(True)
            self.free_text.clear()
            self._show(utterance)

        def failed(exc: BaseException) -> None:
            self.send_button.setEnabled(True)
            log.error("conversation translation failed: %s", type(exc).__name__)
            self.status.setText(translate("ja", "staff.conversation.no_translation"))

        run_task(lambda: self.aid.say(text, lang), done, failed, parent=self)

    def _show(self, utterance: Utterance) -> None:
        self.customer.show_utterance(utterance)
        if utterance.text is None:
            self.status.setText(translate("ja", "staff.conversation.no_translation"))
        else:
            self.status.setText(translate("ja", "board.machine_translated") if utterance.machine_translated else "")
        self.log.addItem(f"▶ {utterance.staff_text}")
        self.utterance_shown.emit(utterance)

    def read_aloud(self) -> None:
        u = self.customer.utterance
        if u is not None and u.text is not None:
            self.reader.say(u.lang, u.text)

    def _on_reply(self, reply: Reply) -> None:
        self.log.addItem(f"◀ {reply.staff_text}")
        self.reply_received.emit(reply)

    def clear(self) -> None:
        """Called when the ticket is done: the next resident starts with an empty conversation."""
        self.log.clear()
        self.customer.clear()
        self.free_text.clear()
        self.value.clear()
