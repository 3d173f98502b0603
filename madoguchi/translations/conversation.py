"""The counter conversation aid, as a pure model (the Qt windows that show it live elsewhere).

Staff pick a common phrase or type a Japanese sentence; the resident sees it in their language, large, and
answers with prepared replies that the staff see in Japanese. Common phrases and replies are human-translated
catalog messages (``conv.phrase.*``, ``conv.reply.*``); free text goes through offline machine translation and
is labelled as such. Free text is never written to the translation cache: staff may type personal data.
"""

from __future__ import annotations

from dataclasses import dataclass

from madoguchi.translations.catalog import Catalogs, default_catalogs
from madoguchi.translations.languages import SOURCE_LANGUAGE
from madoguchi.translations.machine import MachineTranslationUnavailable, MachineTranslator

PHRASE_PREFIX = "conv.phrase."
REPLY_PREFIX = "conv.reply."
EASY = "ja-easy"


@dataclass(frozen=True)
class Utterance:
    """What the resident's screen shows for one staff sentence.

    ``text`` is None when the sentence could not be translated (no model): the UI then shows the Japanese
    and suggests the common phrases. ``ruby_html`` carries furigana for easy Japanese.
    """

    lang: str
    staff_text: str
    text: str | None
    machine_translated: bool
    label: str | None
    msgid: str | None = None
    ruby_html: str | None = None


@dataclass(frozen=True)
class Reply:
    msgid: str
    resident_text: str  # on the resident's button, in their language
    staff_text: str  # what the staff see, in Japanese


class ConversationAid:
    def __init__(self, catalogs: Catalogs | None = None, machine: MachineTranslator | None = None) -> None:
        self.catalogs = catalogs or default_catalogs()
        self.machine = machine

    def phrase_ids(self) -> list[str]:
        return [msgid for msgid in self.catalogs.msgids() if msgid.startswith(PHRASE_PREFIX)]

    def reply_ids(self) -> list[str]:
        return [msgid for msgid in self.catalogs.msgids() if msgid.startswith(REPLY_PREFIX)]

    def common_phrases(self, lang: str = SOURCE_LANGUAGE) -> list[tuple[str, str]]:
        """(msgid, template) pairs for the staff's phrase list; templates may hold ``{amount}``-style fields."""
        return [(msgid, self.catalogs.template(lang, msgid)) for msgid in self.phrase_ids()]

    def phrase(self, msgid: str, lang: str, **params: object) -> Utterance:
        """A human-translated common phrase, with its placeholders filled."""
        staff_text = self.catalogs.translate(SOURCE_LANGUAGE, msgid, **params)
        text = self.catalogs.translate(lang, msgid, **params)
        ruby = None
        if lang == EASY:
            from madoguchi.translations.furigana import message_ruby_html

            ruby = message_ruby_html(msgid, **params)
        return Utterance(lang, staff_text, text, False, None, msgid, ruby)

    def say(self, staff_text: str, lang: str) -> Utterance:
        """A sentence typed by staff: a catalog phrase when it matches one exactly, else machine translation."""
        for msgid in self.phrase_ids():
            if self.catalogs.template(SOURCE_LANGUAGE, msgid) == staff_text:
                return self.phrase(msgid, lang)
        if lang == SOURCE_LANGUAGE:
            return Utterance(lang, staff_text, staff_text, False, None)
        if lang == EASY:
            # No MT model writes easy Japanese; the original with furigana is the honest fallback.
            from madoguchi.translations.furigana import ruby_html

            return Utterance(lang, staff_text, staff_text, False, None, None, ruby_html(staff_text))
        label = self.catalogs.translate(lang, "conv.label.machine_translated")
        if self.machine is None:
            return Utterance(lang, staff_text, None, True, label)
        try:
            result = self.machine.translate(staff_text, SOURCE_LANGUAGE, lang, remember=False)
        except MachineTranslationUnavailable:
            return Utterance(lang, staff_text, None, True, label)
        return Utterance(lang, staff_text, result.text, True, label)

    def replies(self, lang: str) -> list[Reply]:
        """The resident's answer buttons, in their language, each with its Japanese text for the staff."""
        return [self.reply(msgid, lang) for msgid in self.reply_ids()]

    def reply(self, msgid: str, lang: str) -> Reply:
        if not msgid.startswith(REPLY_PREFIX):
            raise KeyError(msgid)
        return Reply(msgid, self.catalogs.translate(lang, msgid), self.catalogs.translate(SOURCE_LANGUAGE, msgid))
