"""The resident's session: in memory only, nothing personal in its repr, everything gone after clear()."""

from __future__ import annotations

import datetime as dt

from madoguchi.apps.kiosk.screens.card_confirm import mask_individual_number
from madoguchi.apps.kiosk.session import Session
from madoguchi.devices.card.interface import CardData


def card() -> CardData:
    return CardData("平塚　花子", "神奈川県平塚市浅間町９－１", dt.date(1980, 2, 17), "female", "123456789018")


def test_repr_hides_personal_data() -> None:
    s = Session()
    s.fill_from_card(card(), {"name": "平塚　花子"})
    for text in (repr(s), repr(s.card), str(s.card)):
        assert "花子" not in text and "1980" not in text and "9018" not in text


def test_wrong_card_data_is_dropped_but_answers_kept() -> None:
    s = Session(service_id="juminhyo")
    s.form["copies"] = "2"
    s.fill_from_card(card(), {"name": "平塚　花子", "address": "x"})
    assert s.source == "card"
    s.drop_card_data()
    assert s.form == {"copies": "2"} and s.card is None and s.source == "touch"


def test_clear_forgets_everything() -> None:
    s = Session(service_id="juminhyo")
    s.prefs.language = "en"
    s.prefs.large_text = True
    s.fill_from_card(card(), {"name": "平塚　花子"})
    s.reservation_code = "MDR1:X.Y"
    rid = s.start_issue()
    assert s.start_issue() == rid  # one id per action: a retry reuses it
    s.clear()
    assert s.card is None and s.form == {} and s.service_id is None and s.reservation_code is None
    assert s.request_id is None and s.prefs.language == "ja" and not s.prefs.large_text
    assert s.start_issue() != rid


def test_individual_number_mask_shows_last_four() -> None:
    assert mask_individual_number("123456789018") == "●●●●●●●●9018"


def test_back_to_the_welcome_screen_keeps_the_display_choices_only() -> None:
    s = Session(service_id="juminhyo")
    s.prefs.language = "vi"
    s.prefs.language_chosen = True
    s.prefs.large_text = True
    s.fill_from_card(card(), {"name": "平塚　花子"})
    s.clear(keep_preferences=True)
    assert s.card is None and s.form == {} and s.service_id is None
    assert (s.prefs.language, s.prefs.large_text, s.prefs.language_chosen) == ("vi", True, True)
    assert not s.prefs.is_default
    s.clear()
    assert s.prefs.is_default


def test_clear_forgets_the_life_event_and_its_route() -> None:
    s = Session()
    s.start_life_event("moving_in")
    s.answers["insurance"] = True
    s.dropped.add("kokuho")
    s.route, s.service_id, s.form_service_id = ["tennyu", "jido_teate"], "tennyu", "tennyu"
    assert s.form_service == "tennyu" and "jido_teate" in repr(s)
    s.clear(keep_preferences=True)
    assert (s.life_event, s.answers, s.dropped, s.route, s.form_service_id) == (None, {}, set(), [], None)
