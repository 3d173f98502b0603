from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from madoguchi.devices.scanner.charset import decode_payload, decode_with_eci, guess, split_eci


def test_utf8_is_read_as_utf8() -> None:
    assert guess("住民票 ABC".encode()) == guess("住民票 ABC".encode())
    assert guess("住民票 ABC".encode()).text == "住民票 ABC"
    assert guess("住民票 ABC".encode()).charset == "utf-8"


def test_shift_jis_without_eci_is_read_as_shift_jis() -> None:
    decoded = guess("印鑑登録証明書 ①".encode("cp932"))
    assert decoded.text == "印鑑登録証明書 ①"
    assert decoded.charset == "shift_jis"


def test_short_half_width_katakana_that_is_also_valid_utf8_stays_katakana() -> None:
    # ﾃｽ in Shift_JIS is C3 BD, which is also valid UTF-8 for "ý": never return the mojibake.
    data = "ﾃｽ".encode("shift_jis")
    assert data.decode("utf-8") == "ý"
    assert guess(data).text == "ﾃｽ"


def test_latin_text_in_utf8_is_not_mistaken_for_katakana() -> None:
    assert guess("café déjà".encode()).text == "café déjà"


def test_ascii_is_plain() -> None:
    assert guess(b"MDR1:ABC").text == "MDR1:ABC"


def test_binary_gives_no_text_instead_of_mojibake() -> None:
    assert guess(bytes([0x00, 0x01, 0xFF, 0x80, 0x02])).text is None
    assert guess(bytes(range(0, 256, 7))).text is None


def test_declared_eci_wins_over_guessing() -> None:
    # Latin-1 bytes declared as ECI 3; a guess would fail (invalid UTF-8) or pick Shift_JIS.
    stream = b"\\000003" + "Ñandú".encode("latin-1")
    assert decode_with_eci(stream).text == "Ñandú"
    assert decode_with_eci(stream).charset == "eci:3"


def test_eci_segments_and_escaped_backslash() -> None:
    stream = b"\\000020" + "窓口".encode("shift_jis") + b"\\\\x" + b"\\000026" + "です".encode()
    assert split_eci(stream) == [(20, "窓口".encode("shift_jis") + b"\\x"), (26, "です".encode())]
    decoded = decode_with_eci(stream)
    assert decoded.text == "窓口\\xです"
    assert decoded.charset == "mixed"


def test_decode_payload_without_eci_guesses() -> None:
    assert decode_payload("予約".encode("shift_jis"), None).text == "予約"


JAPANESE_TEXT = st.text(
    alphabet=st.sampled_from("あいうえおアイウエオ漢字申請住民票市役所窓口ｱｲｳｴｵﾃｽﾄ 0123ABCabc-:/"),
    min_size=1,
    max_size=40,
)


@given(JAPANESE_TEXT)
def test_japanese_text_round_trips_in_utf8(text: str) -> None:
    assert guess(text.encode("utf-8")).text == text


@given(JAPANESE_TEXT)
def test_japanese_text_round_trips_in_shift_jis(text: str) -> None:
    assert guess(text.encode("cp932")).text == text


@given(st.binary(max_size=64))
def test_any_bytes_give_printable_text_or_none(data: bytes) -> None:
    decoded = guess(data)
    if decoded.text is not None:
        assert all(ch in "\t\r\n" or (ord(ch) >= 0x20 and not 0x7F <= ord(ch) <= 0x9F) for ch in decoded.text)
