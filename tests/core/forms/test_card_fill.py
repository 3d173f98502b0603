"""Card auto-fill: only the fields a form asks for, never the individual number unless needed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from madoguchi.core.config import HallConfig
from madoguchi.core.forms.card_fill import card_values


@dataclass(frozen=True)
class Card:
    name: str = "髙橋 𠮷子"
    address: str = "東京都みどり市中央１－２－３"
    birth_date: dt.date = dt.date(1950, 1, 2)
    sex: str = "female"
    individual_number: str | None = "123456789018"


def test_certificate_form_gets_name_address_birth_date(hall_config: HallConfig) -> None:
    values = card_values(hall_config.forms["certificate_request"], Card())
    assert values == {"name": "髙橋 𠮷子", "address": "東京都みどり市中央1-2-3", "birth_date": "1950-01-02"}


def test_moving_in_maps_card_address_to_previous_address(hall_config: HallConfig) -> None:
    values = card_values(hall_config.forms["moving_in"], Card(sex="male"))
    assert values["previous_address"] == "東京都みどり市中央1-2-3"
    assert values["sex"] == "male"
    assert "address" not in values  # the new address is not on the card
    assert not any(k.startswith("member_") for k in values)


def test_individual_number_only_when_the_procedure_needs_it(hall_config: HallConfig) -> None:
    form = hall_config.forms["insurance"]
    assert "individual_number" not in card_values(form, Card())
    assert card_values(form, Card(), include_individual_number=True)["individual_number"] == "123456789018"
    assert "individual_number" not in card_values(form, Card(individual_number=None), include_individual_number=True)


def test_unusable_card_value_is_left_out(hall_config: HallConfig) -> None:
    values = card_values(hall_config.forms["insurance"], Card(sex="x", name="山田\x00花子"))
    assert "sex" not in values and "name" not in values
    assert values["birth_date"] == "1950-01-02"
