"""The one exception family of the card reader, with a reason code the UI translates.

Messages never contain personal data or the PIN: only the reason, the number of tries left, and
status words or reader names for the installer.
"""

from __future__ import annotations

from enum import StrEnum


class CardErrorReason(StrEnum):
    no_reader = "no_reader"
    no_card = "no_card"
    card_removed = "card_removed"
    not_mynumber = "not_mynumber"
    wrong_pin = "wrong_pin"
    locked = "locked"
    reader_error = "reader_error"
    timeout = "timeout"
    pin_format = "pin_format"
    #: READ BINARY answered 6982: the caller read a protected file before a successful VERIFY
    pin_required = "pin_required"
    #: one try left and the resident has not confirmed using it: the PIN was not sent
    last_try = "last_try"
    #: 照合番号B refused (63Cx); tries_left is set like for wrong_pin
    wrong_collation_number = "wrong_collation_number"


class CardError(Exception):
    """A card or reader failure. ``reason`` is stable; ``message_id`` is the catalog key for the UI."""

    def __init__(self, reason: CardErrorReason, detail: str = "", *, tries_left: int | None = None) -> None:
        self.reason = reason
        self.tries_left = tries_left
        self.detail = detail
        text = reason.value
        if tries_left is not None:
            text += f" (tries left: {tries_left})"
        if detail:
            text += f": {detail}"
        super().__init__(text)

    @property
    def message_id(self) -> str:
        return f"card.error.{self.reason.value}"
