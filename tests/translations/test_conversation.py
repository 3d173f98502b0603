from __future__ import annotations

from pathlib import Path

import pytest

from madoguchi.translations import machine as machine_module
from madoguchi.translations.conversation import ConversationAid
from madoguchi.translations.languages import codes
from madoguchi.translations.machine import MachineTranslator
from madoguchi.translations.mt_cache import TranslationCache


def test_common_phrases_and_replies_exist_in_every_language() -> None:
    aid = ConversationAid()
    assert 20 <= len(aid.phrase_ids()) <= 30
    assert {"conv.reply.yes", "conv.reply.no", "conv.reply.not_with_me", "conv.reply.write_down"} <= set(
        aid.reply_ids()
    )
    for lang in codes():
        assert all(text for _, text in aid.common_phrases(lang))
        assert all(reply.resident_text and reply.staff_text for reply in aid.replies(lang))


def test_phrase_with_placeholder_is_human_translated() -> None:
    shown = ConversationAid().phrase("conv.phrase.fee", "es", amount=300)
    assert shown.text == "La tasa es de 300 yenes"
    assert shown.staff_text == "手数料は300円です"
    assert not shown.machine_translated and shown.label is None


def test_reply_is_shown_to_staff_in_japanese() -> None:
    reply = ConversationAid().reply("conv.reply.not_with_me", "vi")
    assert reply.resident_text == "Tôi không mang theo"
    assert reply.staff_text == "今は持っていません"


def test_typed_sentence_matching_a_phrase_uses_the_catalog() -> None:
    shown = ConversationAid().say("少々お待ちください", "ko")
    assert shown.text == "잠시 기다려 주세요" and shown.msgid == "conv.phrase.please_wait"


def test_easy_japanese_gets_furigana() -> None:
    aid = ConversationAid()
    assert aid.phrase("conv.phrase.write_name", "ja-easy").ruby_html == (
        "ここに <ruby>名前<rt>なまえ</rt></ruby>を <ruby>書<rt>か</rt></ruby>いて ください"
    )
    free = aid.say("窓口へどうぞ", "ja-easy")
    assert free.ruby_html is not None and "<rt>まどぐち</rt>" in free.ruby_html


def test_free_text_without_model_is_flagged_untranslated() -> None:
    shown = ConversationAid().say("書類の原本をお持ちですか", "en")
    assert shown.text is None and shown.machine_translated
    assert shown.label == "Machine translated; may not be accurate"


@pytest.mark.skipif(not machine_module.available(), reason="translate extra not installed")
def test_free_text_is_machine_translated_labelled_and_not_cached(
    packages_dir: Path, mt_packages: dict[str, Path], tmp_path: Path, no_network: list[str]
) -> None:
    mt = MachineTranslator(packages_dir, TranslationCache(tmp_path / "cache.sqlite"))
    mt.install_model(mt_packages["ja_en"])
    shown = ConversationAid(machine=mt).say("書類の原本をお持ちですか", "en")
    assert shown.text and shown.machine_translated
    assert shown.label == "Machine translated; may not be accurate"
    assert mt.cache is not None and len(mt.cache) == 0
    assert no_network == []
