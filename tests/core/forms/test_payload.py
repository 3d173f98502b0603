"""MDG1 pre-fill codes: round trips (incl. a hypothesis property over random Unicode), errors, QR size."""

from __future__ import annotations

import contextlib
import zlib

import pytest
import qrcode
import zxingcpp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from madoguchi.core.config import HallConfig
from madoguchi.core.forms.base45 import Base45Error, b45decode, b45encode
from madoguchi.core.forms.payload import (
    PayloadError,
    PayloadErrorReason,
    build_prefill,
    decode_body,
    decode_prefill,
    encode_prefill,
    form_fingerprint,
)
from madoguchi.core.forms.qr_measure import FAMILY_OF_FOUR_MEMBERS, FAMILY_OF_FOUR_VALUES, measure
from madoguchi.core.forms.validation import validate_form

HARD_TEXT = "髙橋 𠮷野家ﾊﾝｶｸ①神"  # outside Shift_JIS, half-width kana, enclosed digit, compatibility ideograph


def test_base45_rfc9285_vectors() -> None:
    assert b45encode(b"AB") == "BB8"
    assert b45encode(b"Hello!!") == "%69 VD92EX0"
    assert b45encode(b"base-45") == "UJCLQE7W581"
    assert b45decode("QED8WEX0") == b"ietf!"
    for bad in ("GGW", "A", "a1", "ZZZ"):
        with pytest.raises(Base45Error):
            b45decode(bad)


def test_round_trip_keeps_japanese_text(hall_config: HallConfig) -> None:
    code = build_prefill(
        hall_config,
        "juminhyo",
        {"name": HARD_TEXT, "address": "東京都みどり市中央１－２－３", "birth_date": "S55.4.1", "copies": "2"},
        language="en",
    )
    assert code.startswith("MDG1:")
    assert set(code) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    payload = decode_prefill(code, hall_config)
    assert payload.procedure_id == "juminhyo" and payload.language == "en"
    assert payload.values == {
        "name": "髙橋 𠮷野家ハンカク①神",  # width folded, but no NFKC on names: ① and 神 survive
        "address": "東京都みどり市中央1-2-3",
        "birth_date": "1980-04-01",
        "copies": "2",
    }
    assert "髙橋" not in repr(payload)


def test_family_of_four_round_trip_and_qr_version(hall_config: HallConfig) -> None:
    code, rows = measure(hall_config)
    payload = decode_prefill(code, hall_config, expected_procedure="tennyu")
    assert len(payload.groups["members"]) == 4
    assert payload.groups["members"][1] == {
        "member_name": "髙橋 花子",
        "member_kana": "タカハシ\u3000ハナコ",
        "member_birth_date": "1982-09-15",
        "member_sex": "female",
        "member_relationship": "妻",
    }
    chosen = rows[0]
    assert chosen.version <= 15
    # the figure agrees with a real QR encoder, and the symbol reads back with zxing-cpp
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    qr.add_data(qrcode.util.QRData(code, mode=qrcode.util.MODE_ALPHA_NUM))
    qr.make(fit=True)
    assert qr.version == chosen.version
    image = qr.make_image().get_image().convert("L")
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [code]
    assert rows[1].version > chosen.version  # uncompressed UTF-8 in byte mode needs a bigger symbol


def test_short_forms_are_stored_uncompressed(hall_config: HallConfig) -> None:
    code = build_prefill(
        hall_config, "juminhyo", {"name": "山田", "address": "東京", "birth_date": "1980-1-1", "copies": "1"}
    )
    assert code.startswith("MDG1:U")
    assert decode_prefill(code, hall_config).values["name"] == "山田"


VALUE = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=VALUE, address=VALUE, relationship=VALUE, member_names=st.lists(VALUE, max_size=6))
def test_round_trip_property(
    hall_config: HallConfig, name: str, address: str, relationship: str, member_names: list[str]
) -> None:
    """Whatever a resident types: either a validation error, or a code that decodes to the validated values."""
    form = hall_config.forms["moving_in"]
    values = {
        "name": name,
        "kana": "ヤマダ",
        "birth_date": "1980-04-01",
        "address": address,
        "previous_address": "大阪府",
        "moved_on": "2026-11-20",
    }
    groups = {"members": [{"member_name": n, "member_relationship": relationship} for n in member_names]}
    result = validate_form(form, values, groups)
    if not result.ok:
        with pytest.raises(PayloadError) as info:
            build_prefill(hall_config, "tennyu", values, groups)
        assert info.value.reason is PayloadErrorReason.INVALID_FIELD
        return
    code = encode_prefill("tennyu", form, result.values, result.groups)
    payload = decode_prefill(code, hall_config)
    assert payload.values == result.values
    assert payload.groups == result.groups


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_decoder_never_crashes_on_garbage(hall_config: HallConfig, text: str) -> None:
    for candidate in (text, "MDG1:Z" + text, "MDG1:U" + text):
        with contextlib.suppress(PayloadError):
            decode_prefill(candidate, hall_config)


def _code_with_body(body: str, method: str = "U") -> str:
    data = body.encode()
    if method == "Z":
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        data = c.compress(data) + c.flush()
    return f"MDG1:{method}{b45encode(data)}"


def test_typed_errors(hall_config: HallConfig) -> None:
    fp = form_fingerprint(hall_config.forms["certificate_request"])
    good = f"juminhyo\x1f{fp}\x1d山田\x1f\x1f東京\x1f19800401\x1f\x1f1"
    assert decode_prefill(_code_with_body(good, "Z"), hall_config).values["birth_date"] == "1980-04-01"
    cases = {
        "https://example.org/": PayloadErrorReason.NOT_A_PREFILL_CODE,
        "MDT1:abc": PayloadErrorReason.NOT_A_PREFILL_CODE,
        "MDG2:U00": PayloadErrorReason.UNKNOWN_VERSION,
        "MDG1:Uabc": PayloadErrorReason.CORRUPT,
        "MDG1:X" + b45encode(good.encode()): PayloadErrorReason.CORRUPT,
        "MDG1:Z" + b45encode(b"\xff\xfe\x00"): PayloadErrorReason.CORRUPT,
        _code_with_body(good.replace("juminhyo", "nosuch")): PayloadErrorReason.UNKNOWN_PROCEDURE,
        _code_with_body(good.replace("juminhyo", "mynumber")): PayloadErrorReason.UNKNOWN_PROCEDURE,  # no form
        _code_with_body(good.replace(fp, "0000")): PayloadErrorReason.FORM_CHANGED,
        _code_with_body(good.replace("19800401", "19801301")): PayloadErrorReason.INVALID_FIELD,
        _code_with_body(good + "\x1f1\x1fwork\x1fself\x1fextra"): PayloadErrorReason.CORRUPT,
        _code_with_body(good + "\x1dsurplus group"): PayloadErrorReason.CORRUPT,
    }
    for code, reason in cases.items():
        with pytest.raises(PayloadError) as info:
            decode_prefill(code, hall_config)
        assert info.value.reason is reason, code
        assert info.value.message_id == reason.value
    with pytest.raises(PayloadError) as info:
        decode_prefill(_code_with_body(good), hall_config, expected_procedure="inkan")
    assert info.value.reason is PayloadErrorReason.WRONG_PROCEDURE
    assert info.value.params == {}


def test_unknown_version_names_the_version(hall_config: HallConfig) -> None:
    with pytest.raises(PayloadError) as info:
        decode_prefill("MDG2:U00", hall_config)
    assert info.value.params == {"version": "2"}


def test_invalid_field_lists_the_fields(hall_config: HallConfig) -> None:
    fp = form_fingerprint(hall_config.forms["certificate_request"])
    code = _code_with_body(f"juminhyo\x1f{fp}\x1d\x1f\x1f東京\x1f19800401\x1f\x1f99")
    with pytest.raises(PayloadError) as info:
        decode_prefill(code, hall_config)
    assert {(e.field, e.message_id) for e in info.value.field_errors} == {
        ("name", "form.error.required"),
        ("copies", "form.error.number_range"),
    }


def test_individual_number_never_travels(hall_config: HallConfig) -> None:
    base = {"name": "山田", "address": "東京", "birth_date": "1980-01-01"}
    with pytest.raises(PayloadError) as info:
        build_prefill(hall_config, "kokuho", base | {"individual_number": "123456789012"})
    assert [e.message_id for e in info.value.field_errors] == ["form.error.not_allowed"]
    fp = form_fingerprint(hall_config.forms["insurance"])
    with pytest.raises(PayloadError):
        decode_prefill(_code_with_body(f"kokuho\x1f{fp}\x1d山田\x1f東京\x1f19800101\x1f\x1f123456789012"), hall_config)


def test_too_large_is_refused(hall_config: HallConfig) -> None:
    import random

    rnd = random.Random(1)

    def noise(n: int) -> str:  # random kanji do not compress
        return "".join(chr(rnd.randint(0x4E00, 0x9FFF)) for _ in range(n))

    members = [{"member_name": noise(90), "member_relationship": noise(90)} for _ in range(6)]
    with pytest.raises(PayloadError) as info:
        build_prefill(hall_config, "tennyu", FAMILY_OF_FOUR_VALUES | {"address": noise(190)}, {"members": members})
    assert info.value.reason is PayloadErrorReason.TOO_LARGE


def test_body_grammar(hall_config: HallConfig) -> None:
    code = build_prefill(hall_config, "tennyu", FAMILY_OF_FOUR_VALUES, {"members": FAMILY_OF_FOUR_MEMBERS})
    header, top, members = decode_body(code).split("\x1d")
    assert header == "tennyu\x1f" + form_fingerprint(hall_config.forms["moving_in"])
    assert top.split("\x1f")[2:4] == ["19800401", "1"]
    assert len(members.split("\x1e")) == 4
