from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from madoguchi.devices.scanner.charset import DecodedText, decode_payload, decode_with_eci, guess, split_eci


def test_utf8_is_read_as_utf8() -> None:
    assert guess("住民票 ABC".encode()) == guess("住民票 ABC".encode())
    assert guess("住民票 ABC".encode()).text == "住民票 ABC"
    assert guess("住民票 ABC".encode()).charset == "utf-8"


def test_japanese_with_latin_letters_stays_japanese() -> None:
    for text in ("住民票 ABC", "Tシャツ", "A-015 窓口", "ＡＢＣ市役所", "ﾏﾄﾞｸﾞﾁ A-015"):
        assert guess(text.encode("cp932")) == DecodedText(text, "shift_jis")


def test_shift_jis_without_eci_is_read_as_shift_jis() -> None:
    decoded = guess("印鑑登録証明書 ①".encode("cp932"))
    assert decoded.text == "印鑑登録証明書 ①"
    assert decoded.charset == "shift_jis"


def test_short_half_width_katakana_that_is_also_valid_utf8_is_never_mojibake() -> None:
    # ﾃｽ in Shift_JIS is C3 BD, which is also valid UTF-8 for "ý": either could be meant, so say "unknown".
    data = "ﾃｽ".encode("shift_jis")
    assert data.decode("utf-8") == "ý"
    assert guess(data).text is None and guess(data).charset == "ambiguous"
    assert guess("ﾃｽﾄ".encode("shift_jis")).text == "ﾃｽﾄ"  # C4 ends it: not UTF-8


def test_utf8_accents_are_never_half_width_katakana() -> None:
    # The measured failure: José in UTF-8 without an ECI came back as Josﾃｩ.
    for text in ("José", "São João", "Ñandú", "Zoë Müller", "Αθήνα", "Nguyễn Văn An"):
        assert guess(text.encode()).text == text


def test_latin_1_without_eci_is_latin_1_not_kanji() -> None:
    # The measured failure: Málaga in ISO-8859-1 came back as M疝aga.
    for text in ("Málaga", "José", "São João", "Conceição", "ÁLVARO", "HÉLÈNE", "Straße"):
        assert guess(text.encode("latin-1")) == DecodedText(text, "iso-8859-1")


def test_single_byte_greek_or_cyrillic_without_eci_is_unknown_not_japanese() -> None:
    for text, codec in (("Αθήνα", "iso8859-7"), ("Москва", "iso8859-5"), ("Київ", "cp1251")):
        assert guess(text.encode(codec)).text is None


def test_text_with_control_characters_is_kept() -> None:
    assert guess(b"[)>\x1e06\x1dP123\x1e\x04").text == "[)>\x1e06\x1dP123\x1e\x04"  # ISO 15434
    assert decode_with_eci(b"\\000026" + "A\x1dé".encode()).text == "A\x1dé"


def test_latin_text_in_utf8_is_not_mistaken_for_katakana() -> None:
    assert guess("café déjà".encode()).text == "café déjà"


def test_ascii_is_plain() -> None:
    assert guess(b"MDR1:ABC").text == "MDR1:ABC"


def test_binary_gives_no_text_instead_of_mojibake() -> None:
    assert guess(bytes([0x00, 0x01, 0xFF, 0x80, 0x02])).text is None
    assert guess(bytes(range(0, 256, 7))).text is None
    assert guess(bytes(range(0x80, 0x100))).text is None


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


# As Japanese is written: half-width katakana as words of their own, Latin letters apart (``A-015 窓口``). A
# lone half-width kana glued to a Latin letter is what a Latin-1 accent looks like in Shift_JIS (JOSÉ /
# JOSﾉ), and half-width kana bytes before a full-width character can form valid UTF-8, which wins.
JAPANESE_WORD = st.text(alphabet=st.sampled_from("あいうえおアイウエオ漢字申請住民票窓口①"), min_size=1, max_size=6)
HALF_WIDTH_WORD = st.text(alphabet=st.sampled_from("ｱｲｳｴｵﾃｽﾄﾏﾄﾞｸﾞﾁ"), min_size=1, max_size=6)
JAPANESE_WITHOUT_LATIN = st.lists(
    st.one_of(JAPANESE_WORD, HALF_WIDTH_WORD, st.sampled_from(["0123", "A-015", "-", ":"])), min_size=1, max_size=6
).map(" ".join)


@given(JAPANESE_WITHOUT_LATIN)
@example("ﾃｱﾃｱﾃｱ A-015")  # C3 B1 ×3: also valid UTF-8 for "ñññ" (found by CI)
def test_japanese_text_in_shift_jis_comes_back_exactly_or_as_unknown(text: str) -> None:
    data = text.encode("cp932")
    decoded = guess(data)
    assert decoded.text in (text, None)
    if decoded.text is None:  # only bytes that are also valid UTF-8 (a few half-width kana) are left open
        data.decode("utf-8")


MANY_SCRIPTS = st.text(
    alphabet=st.sampled_from("abcXYZ 0189-:/éãçñüÑÁαβΩжЯđươ₫नेपाअあア漢字ｱ\x1d\t"), min_size=1, max_size=40
)


@given(MANY_SCRIPTS)
def test_any_text_in_utf8_comes_back_exactly_or_as_unknown(text: str) -> None:
    assert guess(text.encode("utf-8")).text in (text, None)


@given(st.binary(max_size=64))
def test_any_bytes_give_their_own_text_or_none(data: bytes) -> None:
    decoded = guess(data)
    if decoded.text is not None:
        codec = {"utf-8": "utf-8", "shift_jis": "cp932", "iso-8859-1": "latin-1"}[decoded.charset]
        assert data.decode(codec) == decoded.text
