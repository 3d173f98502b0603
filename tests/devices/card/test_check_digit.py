from __future__ import annotations

import pytest

from madoguchi.devices.card.check_digit import check_digit, is_valid_individual_number, with_check_digit


def test_reference_example() -> None:
    assert check_digit("12345678901") == 8
    assert is_valid_individual_number("123456789018")


@pytest.mark.parametrize("wrong_last", "012345679")
def test_every_other_check_digit_is_rejected(wrong_last: str) -> None:
    assert not is_valid_individual_number("12345678901" + wrong_last)


def test_remainder_zero_or_one_gives_zero() -> None:
    # 00000000000 → r = 0; and a number whose weighted sum is ≡ 1 (mod 11): P1 = 1, Q1 = 2 → 2; P2=... use search
    assert check_digit("00000000000") == 0
    ones = [
        n
        for n in (f"{i:011d}" for i in range(200))
        if sum(int(c) * (k + 1 if k <= 6 else k - 5) for k, c in enumerate(reversed(n), start=1)) % 11 == 1
    ]
    assert ones and all(check_digit(n) == 0 for n in ones)


@pytest.mark.parametrize("bad", ["", "1234567890", "123456789012", "１２３４５６７８９０１", "1234567890a"])
def test_format_errors(bad: str) -> None:
    with pytest.raises(ValueError):
        check_digit(bad)


def test_full_width_digits_are_not_a_number() -> None:
    assert not is_valid_individual_number("１２３４５６７８９０１８")
    assert with_check_digit("98765432101")[-1].isdigit()
