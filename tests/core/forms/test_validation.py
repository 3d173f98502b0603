"""Form validation: good and bad values per field kind, groups, and the messages in Japanese and English."""

from __future__ import annotations

import datetime as dt

import pytest

from madoguchi.core.config import Form, FormField, HallConfig
from madoguchi.core.forms.messages import MESSAGES, message_text
from madoguchi.core.forms.validation import FieldValueError, normalize_value, validate_form

TODAY = dt.date(2026, 11, 30)


def field(kind: str, **kw: object) -> FormField:
    return FormField.model_validate({"key": "f", "label": {"ja": "項目"}, "kind": kind, **kw})


CHOICE = field("choice", choices=[["work", {"ja": "勤務先"}], ["other", {"ja": "その他"}]])
NUMBER = field("number", min_value=1, max_value=10)

GOOD: list[tuple[FormField, object, str]] = [
    (field("text"), "山田　太郎", "山田 太郎"),
    (field("text"), "  髙橋   𠮷子 ", "髙橋 𠮷子"),
    (field("text"), "ＪＯＨＮ　ＳＭＩＴＨ", "JOHN SMITH"),
    (field("text"), "ﾔﾏﾀﾞ", "ヤマダ"),
    (field("text"), "神田", "神田"),  # a compatibility ideograph (U+FA19) is kept: NFKC would change it
    (field("kana"), "ヤマダ　タロウ", "ヤマダ\u3000タロウ"),
    (field("kana"), "ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ\u3000タロウ"),
    (field("kana"), "やまだ たろう", "ヤマダ\u3000タロウ"),
    (field("kana"), "ｻﾄｳ ｺｰｽｹ", "サトウ\u3000コースケ"),
    (field("kana"), "コ-スケ", "コースケ"),
    (field("kana"), "ジョン・スミス", "ジョン・スミス"),
    (field("kana"), "ヴァン", "ヴァン"),
    (field("address"), "東京都みどり市中央１－２－３", "東京都みどり市中央1-2-3"),
    (field("address"), "中央1ー2ー3 ハイツ１０１", "中央1-2-3 ハイツ101"),
    (field("address"), "中央三丁目12番34号", "中央三丁目12番34号"),
    (field("date"), "S55.4.1", "1980-04-01"),
    (field("date"), "令和2年2月24日", "2020-02-24"),
    (field("date"), dt.date(1999, 12, 31), "1999-12-31"),
    (field("date", key="moved_on"), "2027-01-05", "2027-01-05"),  # not a birth date: the future is fine
    (field("sex"), "male", "male"),
    (field("sex"), "2", "female"),
    (field("sex"), "女性", "female"),
    (field("sex"), "9", "not_applicable"),
    (field("phone"), "090-1234-5678", "090-1234-5678"),
    (field("phone"), "０９０１２３４５６７８", "09012345678"),
    (field("phone"), "(03) 1234-5678", "03-1234-5678"),
    (field("phone"), "+81 90 1234 5678", "090-1234-5678"),
    (field("phone"), "+81 (0)3-1234-5678", "03-1234-5678"),
    (field("phone"), "0120-123-456", "0120-123-456"),
    (field("phone"), "050ー1234ー5678", "050-1234-5678"),
    (field("postal_code"), "123-4567", "123-4567"),
    (field("postal_code"), "1234567", "123-4567"),
    (field("postal_code"), "〒１２３－４５６７", "123-4567"),
    (field("postal_code"), "123ー4567", "123-4567"),
    (CHOICE, "work", "work"),
    (NUMBER, "２", "2"),
    (NUMBER, 10, "10"),
    (NUMBER, "01", "1"),
]

BAD: list[tuple[FormField, object, str]] = [
    (field("text"), "山田\n太郎", "form.error.invalid_characters"),
    (field("text"), "a\u200bb", "form.error.invalid_characters"),
    (field("text"), "あ" * 101, "form.error.too_long"),
    (field("kana"), "山田", "form.error.kana_only"),
    (field("kana"), "Yamada", "form.error.kana_only"),
    (field("kana"), "ヤマダ1", "form.error.kana_only"),
    (field("address"), "x" * 201, "form.error.too_long"),
    (field("date"), "昭和55年", "form.error.date_incomplete"),
    (field("date"), "2001-02-29", "form.error.date_invalid"),
    (field("date"), "令和元年4月1日", "form.error.date_era_range"),
    (field("date"), "tomorrow", "form.error.date_format"),
    (field("date", key="birth_date"), "2030-01-01", "form.error.date_future"),
    (field("date", from_card="birth_date"), "R10.1.1", "form.error.date_future"),
    (field("sex"), "不明", "form.error.sex_value"),
    (field("phone"), "12345", "form.error.phone_format"),
    (field("phone"), "090-1234-567", "form.error.phone_format"),
    (field("phone"), "+1 555 123 4567", "form.error.phone_format"),
    (field("phone"), "090-1234-5678 内線", "form.error.phone_format"),
    (field("postal_code"), "12-34567", "form.error.postal_code_format"),
    (field("postal_code"), "123456", "form.error.postal_code_format"),
    (CHOICE, "school", "form.error.choice_value"),
    (NUMBER, "0", "form.error.number_range"),
    (NUMBER, "11", "form.error.number_range"),
    (NUMBER, "2.5", "form.error.number_format"),
    (NUMBER, "-1", "form.error.number_format"),
    (NUMBER, True, "form.error.invalid_characters"),
]


@pytest.mark.parametrize(("f", "raw", "expected"), GOOD, ids=[f"{f.kind}-{i}" for i, (f, _, _) in enumerate(GOOD)])
def test_good_values_normalise(f: FormField, raw: object, expected: str) -> None:
    assert normalize_value(f, raw, today=TODAY) == expected


@pytest.mark.parametrize(("f", "raw", "message_id"), BAD, ids=[f"{f.kind}-{i}" for i, (f, _, _) in enumerate(BAD)])
def test_bad_values_give_message_ids_in_ja_and_en(f: FormField, raw: object, message_id: str) -> None:
    with pytest.raises(FieldValueError) as info:
        normalize_value(f, raw, today=TODAY)
    err = info.value
    assert err.message_id == message_id
    ja = message_text(err.message_id, "ja", err.params)
    en = message_text(err.message_id, "en", err.params)
    assert ja and en and ja != en
    assert "{" not in ja + en  # every parameter was supplied
    assert str(raw) not in str(err)  # the value (personal data) is not in the exception


def test_number_range_message_says_the_range() -> None:
    with pytest.raises(FieldValueError) as info:
        normalize_value(NUMBER, "11")
    assert message_text(info.value.message_id, "en", info.value.params) == "Please give a number from 1 to 10."
    assert message_text(info.value.message_id, "ja", info.value.params) == "1から10までの数を入力してください。"


def test_every_message_has_japanese_and_english() -> None:
    for message_id, texts in MESSAGES.items():
        assert set(texts) >= {"ja", "en"}, message_id
        assert message_text(message_id, "ja-easy", {}) if "{" not in texts["ja"] else True


def test_moving_in_form_with_family(hall_config: HallConfig) -> None:
    form = hall_config.forms["moving_in"]
    result = validate_form(
        form,
        {
            "name": "髙橋　𠮷太郎",
            "kana": "ﾀｶﾊｼ ｷﾁﾀﾛｳ",
            "birth_date": "S55.4.1",
            "address": "東京都みどり市中央１－２－３",
            "previous_address": "大阪府大阪市北区梅田1-2-3",
            "moved_on": "R8.11.20",
        },
        {"members": [{"member_name": "髙橋 花子", "member_sex": "2"}, {"member_name": "", "member_kana": " "}]},
        today=TODAY,
    )
    assert result.ok, result.errors
    assert result.values["kana"] == "タカハシ\u3000キチタロウ"
    assert result.groups == {"members": [{"member_name": "髙橋 花子", "member_sex": "female"}]}  # empty row dropped
    assert "髙橋" not in repr(result)


def test_form_level_errors(hall_config: HallConfig) -> None:
    form = hall_config.forms["moving_in"]
    rows = [{"member_name": f"山田 {i}"} for i in range(form.max_group_size + 1)]
    result = validate_form(form, {"name": "山田", "nickname": "x"}, {"members": rows, "pets": [{"a": "b"}]})
    by_path = {e.path: e.message_id for e in result.errors}
    assert by_path["nickname"] == "form.error.unknown_field"
    assert by_path["kana"] == "form.error.required"
    assert by_path["members"] == "form.error.group_too_large"
    assert by_path["pets"] == "form.error.unknown_field"
    assert "name" not in by_path


def test_grouped_field_errors_carry_the_row(hall_config: HallConfig) -> None:
    form = hall_config.forms["moving_in"]
    result = validate_form(form, {}, {"members": [{"member_name": "a"}, {"member_birth_date": "昭和55年"}]})
    err = next(e for e in result.errors if e.group == "members")
    assert (err.path, err.message_id) == ("members[1].member_birth_date", "form.error.date_incomplete")


def test_individual_number_can_be_excluded(hall_config: HallConfig) -> None:
    form = hall_config.forms["insurance"]
    base = {"name": "山田 太郎", "address": "東京都", "birth_date": "1980-04-01"}
    assert validate_form(form, base | {"individual_number": "123456789012"}).ok
    result = validate_form(form, base | {"individual_number": "123456789012"}, exclude_from_card=["individual_number"])
    assert [(e.field, e.message_id) for e in result.errors] == [("individual_number", "form.error.not_allowed")]


def test_required_check_ignores_blank_text() -> None:
    form = Form.model_validate({"title": {"ja": "t"}, "fields": [{"key": "a", "label": {"ja": "a"}, "required": True}]})
    assert [e.message_id for e in validate_form(form, {"a": " \u3000 "}).errors] == ["form.error.required"]
