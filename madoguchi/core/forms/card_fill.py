"""Card auto-fill: the My Number card's basic 4 info → the form fields that ask for them (``from_card``).

Only fields the form declares are filled, grouped (family member) fields never are, and the individual number
only when the caller says the procedure needs it (``Service.needs_individual_number``): a My Number is never
copied into a form that does not ask for it.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from madoguchi.core.config import Form
from madoguchi.core.forms.validation import FieldValueError, normalize_value


class CardBasicInfo(Protocol):
    """What the card reader gives (``card_reader`` defines the concrete type; any object with these works)."""

    @property
    def name(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def birth_date(self) -> dt.date: ...
    @property
    def sex(self) -> str: ...  # "male" / "female" / "not_applicable"


def card_values(form: Form, card: CardBasicInfo, *, include_individual_number: bool = False) -> dict[str, str]:
    """Canonical form values from the card, for the top-level fields whose ``from_card`` is set.

    A card value that does not pass the field's validation (an unusual 外字 substitute, an odd sex code) is
    left out, so the resident or staff fill it in, rather than failing the whole auto-fill.
    """
    sources: dict[str, object] = {
        "name": card.name,
        "address": card.address,
        "birth_date": card.birth_date,
        "sex": card.sex,
    }
    if include_individual_number:
        number = getattr(card, "individual_number", None)
        if number:
            sources["individual_number"] = number
    filled: dict[str, str] = {}
    for f in form.fields:
        if f.group is not None or f.from_card is None or f.from_card not in sources:
            continue
        try:
            filled[f.key] = normalize_value(f, sources[f.from_card])
        except FieldValueError:
            continue
    return filled
