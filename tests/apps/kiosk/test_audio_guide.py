"""A blind resident takes a ticket alone: keypad only, every screen and choice spoken, through the card's PIN.

The real kiosk window against the session's hall server, the virtual My Number card through pcscd + vpcd, the
printer simulator, and the real voices (pyopenjtalk, espeak-ng) rendering every sentence to WAV files (no sound
card: the player keeps the timing). What the kiosk says is read from its ``ReadAloud`` (``said``); the WAVs of
the path are copied to ``tests/artifacts/speech/`` to be listened to and measured (``test_speech_quality``).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from madoguchi.apps.kiosk.audio_guide import (
    DEFAULT_SPEED,
    DEFAULT_VOLUME,
    SPEEDS,
    VOLUMES,
    is_headphones,
    sentences,
)
from madoguchi.devices.card.qt_reader import PcscCardReader
from madoguchi.devices.printer.worker_printer import WorkerPrinter
from madoguchi.devices.speech.voice import VoiceSynthesizer
from madoguchi.qt.read_aloud import ReadAloud
from madoguchi.translations.catalog import translate

KEYPAD = Qt.KeyboardModifier.KeypadModifier
RESIDENT_PIN = "1234"


@pytest.fixture(scope="module")
def kiosk_voice_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("kiosk-voice")


@pytest.fixture
def speaker(kiosk_voice_cache: Path) -> ReadAloud:
    return ReadAloud(VoiceSynthesizer(kiosk_voice_cache), audio=False)


def press(qtbot: Any, window: Any, key: Qt.Key, modifier: Qt.KeyboardModifier = KEYPAD) -> None:
    qtbot.keyClick(window, key, modifier)


def sentence(lang: str, msgid: str, **params: object) -> str:
    """A catalog message as the guide says it (ended as a sentence)."""
    return sentences(lang, [translate(lang, msgid, **params)])


def said(window: Any) -> str:
    return window.ctx.speaker.said[-1][1]


def move_to(qtbot: Any, window: Any, wanted: Any) -> None:
    """Press 2 (next) until the current choice is the wanted one, as a resident listening would."""
    guide = window.guide
    for _ in range(len(guide.items) + 1):
        if wanted(guide.items[guide.index]):
            return
        press(qtbot, window, Qt.Key.Key_2)
    raise AssertionError(f"not offered: {[i.label for i in guide.items]}")


@pytest.fixture
def guided_kiosk(make_kiosk: Any, printer_sim: Any, qtbot: Any, pcscd: Any, speaker: ReadAloud) -> Any:
    reader = PcscCardReader(None, allow_virtual=True)
    window = make_kiosk(card=reader, printer=WorkerPrinter(printer_sim.url), speaker=speaker)
    qtbot.waitUntil(reader.available, timeout=10000)
    qtbot.waitUntil(lambda: window.current_name() == "welcome", timeout=10000)
    return window


def test_keypad_alone_from_language_to_ticket_with_the_card(
    qtbot: Any, guided_kiosk: Any, insert_card: Any, artifacts_dir: Path
) -> None:
    window = guided_kiosk
    guide = window.guide
    spoken: list[Path] = []
    window.ctx.speaker.spoken.connect(lambda path: spoken.append(path))

    # any key of the keypad starts the guide, in the kiosk's language, and says the keys and the first choice
    press(qtbot, window, Qt.Key.Key_Enter)
    assert guide.active and window.ctx.session.prefs.read_aloud
    assert window.current_name() == "welcome", "the key that starts the guide does nothing else"
    first = said(window)
    assert first.startswith(translate("ja", "kiosk.audio.started"))
    assert translate("ja", "kiosk.audio.position", index=1, total=len(guide.items)) in first

    # the languages, each said in its own language; choosing English says the choice again, in English
    move_to(qtbot, window, lambda item: item.language == "en")
    assert said(window).startswith("English")
    press(qtbot, window, Qt.Key.Key_5)
    assert window.ctx.session.prefs.language == "en"
    assert "selected" in said(window) and " of " in said(window)

    # 8 goes back up to "start"; help says every key
    while guide.index != 0:
        press(qtbot, window, Qt.Key.Key_8)
    press(qtbot, window, Qt.Key.Key_Slash)
    assert said(window) == sentence("en", "kiosk.audio.help")
    press(qtbot, window, Qt.Key.Key_Period)  # repeat: the screen and the current choice
    assert translate("en", "kiosk.welcome.start") in said(window)
    press(qtbot, window, Qt.Key.Key_5)

    # every procedure of the hall, with its wait, by keypad
    assert window.current_name() == "procedures"
    assert said(window).startswith(translate("en", "kiosk.procedures.heading"))
    services = window.ctx.hall.services
    # the life events' entry first (several procedures on one ticket), then every procedure
    assert len(guide.items) == len(services) + 1
    assert guide.items[0].label.startswith(translate("en", "kiosk.life.entry"))
    assert f"1 of {len(services) + 1}" in said(window)
    qtbot.waitUntil(lambda: bool(window.ctx.statuses), timeout=10000)
    juminhyo = next(s for s in services if s.id == "juminhyo").name["en"]
    move_to(qtbot, window, lambda item: item.label.startswith(juminhyo))
    assert "waiting" in said(window)
    press(qtbot, window, Qt.Key.Key_5)

    # how to fill it in: the card
    assert window.current_name() == "method"
    move_to(qtbot, window, lambda item: item.label == translate("en", "kiosk.method.card"))
    press(qtbot, window, Qt.Key.Key_5)
    assert window.current_name() == "card_place"
    assert translate("en", "kiosk.card.place") in said(window)

    card = insert_card()
    qtbot.waitUntil(lambda: window.current_name() == "pin_entry", timeout=10000)
    assert translate("en", "kiosk.audio.pin_help") in said(window)

    # the PIN by the number keys: how many digits, never which
    before = len(window.ctx.speaker.said)
    for n, digit in enumerate(RESIDENT_PIN, start=1):
        press(qtbot, window, getattr(Qt.Key, f"Key_{digit}"))
        assert said(window) == sentence("en", "kiosk.audio.pin_progress", typed=n)
    press(qtbot, window, Qt.Key.Key_Period)  # deletes one
    assert said(window) == sentence("en", "kiosk.audio.pin_progress", typed=3)
    press(qtbot, window, Qt.Key.Key_Enter)  # three digits: not sent
    assert said(window) == sentence("en", "kiosk.audio.pin_incomplete") and card.card.verify_attempts == 0
    press(qtbot, window, Qt.Key.Key_4)
    pin_sentences = [text for _, text in window.ctx.speaker.said[before:]]
    assert not any(RESIDENT_PIN in text or RESIDENT_PIN[:3] in text for text in pin_sentences)
    press(qtbot, window, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: window.current_name() == "card_confirm", timeout=15000)
    assert card.card.verify_attempts == 1

    # what the card filled in is read out (the screen shows it), then "correct"
    assert translate("en", "kiosk.card.confirm.title") in said(window)
    assert translate("en", "kiosk.card.field.name") in said(window)
    move_to(qtbot, window, lambda item: item.label == translate("en", "kiosk.card.confirm.correct"))
    press(qtbot, window, Qt.Key.Key_5)
    assert window.current_name() == "card_take"
    assert translate("en", "kiosk.card.take") in said(window)
    card.remove()

    # the procedure's questions: number of copies, purpose
    qtbot.waitUntil(lambda: window.current_name() == "extra", timeout=10000)
    assert said(window).startswith(translate("en", "kiosk.extra.copies"))
    press(qtbot, window, Qt.Key.Key_2)
    assert said(window).startswith(translate("en", "kiosk.extra.copies_value", count=2))
    press(qtbot, window, Qt.Key.Key_5)
    assert window.ctx.session.form["copies"] == "2"
    assert window.current_name() == "extra"  # the purpose
    with qtbot.waitSignal(window.flow.printed, timeout=15000):
        press(qtbot, window, Qt.Key.Key_5)

    # the ticket: the number said as a number, where to go, the people ahead, the wait
    assert window.current_name() == "ticket"
    issued = window.ctx.session.issued
    letter, digits = issued.ticket.number.split("-")
    ticket_text = said(window)
    assert f"{translate('en', 'kiosk.ticket.your_number')} {letter} {int(digits)}" in ticket_text
    assert issued.ticket.number not in ticket_text  # never "A minus zero zero six"
    assert "ahead of you" in ticket_text and "wait" in ticket_text.lower()
    assert any(words in ticket_text.lower() for words in ("counter", "wait in", "where to wait"))
    qtbot.waitUntil(lambda: len(spoken) > 0 and spoken[-1] is not None and spoken[-1].exists(), timeout=30000)

    out = artifacts_dir / "speech"
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(spoken[-1], out / "kiosk-ticket-en.wav")
    (out / "kiosk-ticket-en.txt").write_text(ticket_text + "\n", encoding="utf-8")


def test_volume_and_speed_keys(qtbot: Any, make_kiosk: Any, speaker: ReadAloud) -> None:
    window = make_kiosk(speaker=speaker)
    qtbot.waitUntil(lambda: window.current_name() == "welcome", timeout=10000)
    press(qtbot, window, Qt.Key.Key_2)  # starts the guide (and moves nowhere)
    assert window.guide.active and window.guide.index == 0
    press(qtbot, window, Qt.Key.Key_Plus)
    assert speaker.volume == VOLUMES[DEFAULT_VOLUME + 1]
    assert said(window) == sentence("ja", "kiosk.audio.volume", level=DEFAULT_VOLUME + 2, levels=len(VOLUMES))
    press(qtbot, window, Qt.Key.Key_Minus)
    press(qtbot, window, Qt.Key.Key_Minus)
    assert speaker.volume == VOLUMES[DEFAULT_VOLUME - 1]
    press(qtbot, window, Qt.Key.Key_7)
    assert speaker.speed == SPEEDS[DEFAULT_SPEED - 1]
    with qtbot.waitSignal(speaker.spoken, timeout=30000) as slow:
        press(qtbot, window, Qt.Key.Key_Period)
    press(qtbot, window, Qt.Key.Key_9)
    press(qtbot, window, Qt.Key.Key_9)
    assert speaker.speed == SPEEDS[DEFAULT_SPEED + 1]
    with qtbot.waitSignal(speaker.spoken, timeout=30000) as fast:
        press(qtbot, window, Qt.Key.Key_Period)
    assert slow.args[0] != fast.args[0]  # the same sentence, said at another speed
    press(qtbot, window, Qt.Key.Key_Q, Qt.KeyboardModifier.NoModifier)
    assert said(window) == sentence("ja", "kiosk.audio.no_action")
    window.flow.go_welcome()  # the next resident hears the usual voice
    assert (speaker.volume, speaker.speed) == (1.0, 1.0) and not speaker.said


def test_long_press_anywhere_starts_the_guide_and_presses_nothing(
    qtbot: Any, make_kiosk: Any, speaker: ReadAloud
) -> None:
    window = make_kiosk(speaker=speaker, audio_long_press_ms=300)
    qtbot.waitUntil(lambda: window.current_name() == "welcome", timeout=10000)
    start = window.screens.welcome.start
    qtbot.mousePress(start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.guide.active, timeout=5000)
    qtbot.mouseRelease(start, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    assert window.current_name() == "welcome", "the button under the finger was not pressed"
    assert not start.isDown()
    # a short tap stays a tap
    window.flow.go_welcome()
    assert not window.guide.active, "the guide ends with the session"
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    assert window.current_name() == "procedures" and not window.guide.active


def test_headphones_plugged_in_start_the_guide(qtbot: Any, make_kiosk: Any, speaker: ReadAloud) -> None:
    window = make_kiosk(speaker=speaker)
    guide = window.guide
    guide.outputs_changed(["Built-in Audio Analog Stereo"])
    assert not guide.active
    guide.outputs_changed(["Built-in Audio Analog Stereo", "USB Audio Device"])
    assert not guide.active
    guide.outputs_changed(["Built-in Audio Analog Stereo", "USB Audio Device", "Headphones (Realtek Audio)"])
    assert guide.active
    assert is_headphones("ヘッドホン (High Definition Audio)") and not is_headphones("Speakers")


def test_the_countdown_is_said_with_its_choices(qtbot: Any, make_kiosk: Any, speaker: ReadAloud) -> None:
    window = make_kiosk(speaker=speaker, inactivity_seconds=1, countdown_seconds=30)
    qtbot.waitUntil(lambda: window.current_name() == "welcome", timeout=10000)
    press(qtbot, window, Qt.Key.Key_5)
    press(qtbot, window, Qt.Key.Key_5)  # start
    assert window.current_name() == "procedures"
    qtbot.waitUntil(window.idle_overlay.isVisible, timeout=10000)
    text = said(window)
    assert translate("ja", "kiosk.idle.title") in text and translate("ja", "kiosk.idle.continue") in text
    press(qtbot, window, Qt.Key.Key_5)  # continue
    assert not window.idle_overlay.isVisible() and window.current_name() == "procedures"
