"""Counter conversation aid: a phrase shown large in the resident's language, read aloud, replies in Japanese."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from madoguchi.apps.staff.conversation_panel import ConversationPanel
from madoguchi.translations.conversation import ConversationAid, Utterance


def test_phrase_reply_and_free_text(qtbot: QtBot, voice_cache: Path, shots_dir: Path) -> None:
    panel = ConversationPanel(ConversationAid(), voice_cache=voice_cache, audio=False)
    qtbot.addWidget(panel)
    qtbot.addWidget(panel.customer)
    panel.set_language("en")
    panel.customer.show()

    panel.value.setText("300")
    panel.say_phrase("conv.phrase.fee")
    assert (
        "300" in panel.customer.text.text()
        and panel.customer.text.text() != panel.aid.phrase("conv.phrase.fee", "ja", amount="300").text
    )
    assert not panel.customer.mt_label.isVisible(), "common phrases are human translations"
    panel.customer.grab().save(str(shots_dir / "conversation_customer_en.png"))

    with qtbot.waitSignal(panel.reader.spoken, timeout=30000) as spoken:
        panel.customer.read_button.click()
    assert spoken.args[0] is not None and spoken.args[0].stat().st_size > 1000

    with qtbot.waitSignal(panel.reply_received, timeout=2000) as got:
        panel.customer.reply_buttons["conv.reply.not_with_me"].click()
    assert got.args[0].staff_text == "今は持っていません"
    assert panel.customer.reply_buttons["conv.reply.yes"].text() == "Yes"
    assert panel.log.item(panel.log.count() - 1).text().endswith("今は持っていません")

    panel.free_text.setText("この書類に押印をお願いします")  # no MT model in tests: shown untranslated, labelled
    with qtbot.waitSignal(panel.utterance_shown, timeout=30000) as shown:
        panel.send_button.click()
    utterance: Utterance = shown.args[0]
    assert utterance.machine_translated
    assert panel.customer.mt_label.isVisible() and panel.customer.mt_label.text()

    panel.clear()
    assert panel.log.count() == 0 and panel.customer.text.text() == ""
