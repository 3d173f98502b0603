"""MDR1 reservation check-in codes and reference codes with a check symbol."""

from __future__ import annotations

import random

import pytest

from madoguchi.core.forms.reservation_codes import (
    ALPHABET,
    ReservationCodeError,
    ReservationCodeErrorReason,
    check_character,
    decode_checkin_code,
    encode_checkin_code,
    format_reference,
    new_reference,
    normalize_reference,
)

KEY = b"\x01" * 32


def test_reference_round_trip_and_lenient_typing() -> None:
    ref = new_reference()
    assert len(ref) == 9
    printed = format_reference(ref)
    assert printed.count("-") == 2
    assert normalize_reference(printed.lower().replace("-", " ")) == ref
    zero_ref = "0" * 8 + check_character("0" * 8)
    assert normalize_reference("oOoO-0000-" + zero_ref[-1]) == zero_ref


def test_every_single_typo_and_neighbour_swap_is_caught() -> None:
    rnd = random.Random(7)
    for _ in range(100):
        data = "".join(rnd.choice(ALPHABET) for _ in range(8))
        ref = data + check_character(data)
        for i in range(9):
            for c in ALPHABET:
                if c != ref[i]:
                    with pytest.raises(ReservationCodeError):
                        normalize_reference(ref[:i] + c + ref[i + 1 :])
        for i in range(8):
            if ref[i] != ref[i + 1]:
                with pytest.raises(ReservationCodeError):
                    normalize_reference(ref[:i] + ref[i + 1] + ref[i] + ref[i + 2 :])


def test_checkin_code_round_trip() -> None:
    ref = new_reference()
    code = encode_checkin_code(format_reference(ref), KEY)
    assert code.startswith("MDR1:") and set(code) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    assert decode_checkin_code(code, KEY) == ref
    assert decode_checkin_code(encode_checkin_code("ext-0042", KEY), KEY) == "EXT0042"  # CSV-imported reference


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda c: c.replace("MDR1", "MDR2"), ReservationCodeErrorReason.UNKNOWN_VERSION),
        (lambda c: "MDG1:" + c[5:], ReservationCodeErrorReason.NOT_A_RESERVATION_CODE),
        (lambda c: "hello", ReservationCodeErrorReason.NOT_A_RESERVATION_CODE),
        (lambda c: c[:6] + ("A" if c[6] != "A" else "B") + c[7:], ReservationCodeErrorReason.CHECK_FAILED),
        (lambda c: c[:-1] + ("A" if c[-1] != "A" else "B"), ReservationCodeErrorReason.CHECK_FAILED),
        (lambda c: c.split(".")[0], ReservationCodeErrorReason.CHECK_FAILED),
        (lambda c: encode_checkin_code("FORGED123", b"other key"), ReservationCodeErrorReason.CHECK_FAILED),
    ],
)
def test_bad_checkin_codes(mutate, reason) -> None:  # type: ignore[no-untyped-def]
    code = encode_checkin_code(new_reference(), KEY)
    with pytest.raises(ReservationCodeError) as info:
        decode_checkin_code(mutate(code), KEY)
    assert info.value.reason is reason
    assert info.value.message_id.startswith("reservation.error.")
