"""Japanese and English texts of the forms' message ids, for the pre-fill web site and ``madoguchi admin``.

The ids are stable API: the kiosk, the staff console and the pre-fill web site show errors by id. The kiosk
and the staff console take every language from the gettext catalogs (``madoguchi.translations``), which hold
these ids in all ten languages; ``core`` cannot import them, so the static site keeps this Japanese and
English copy, and tests/translations/test_error_codes.py keeps the two equal. Parameters never carry
personal data.
"""

from __future__ import annotations

from collections.abc import Mapping

MESSAGES: dict[str, dict[str, str]] = {
    # field validation
    "form.error.required": {"ja": "入力してください。", "en": "Please fill this in."},
    "form.error.too_long": {"ja": "{max}文字以内で入力してください。", "en": "Please use at most {max} characters."},
    "form.error.invalid_characters": {
        "ja": "使えない文字が含まれています。",
        "en": "This contains characters that cannot be used.",
    },
    "form.error.kana_only": {
        "ja": "カタカナで入力してください（例：ヤマダ　タロウ）。",
        "en": "Please write the reading in katakana (e.g. ヤマダ　タロウ).",
    },
    "form.error.date_format": {
        "ja": "日付の書き方が違います（例：1980-04-01、昭和55年4月1日、S55.4.1）。",
        "en": "Please write a date such as 1980-04-01, 昭和55年4月1日 or S55.4.1.",
    },
    "form.error.date_incomplete": {
        "ja": "年・月・日をすべて入力してください。",
        "en": "Please give the year, month and day.",
    },
    "form.error.date_invalid": {"ja": "その日付は存在しません。", "en": "That date does not exist."},
    "form.error.date_era_range": {
        "ja": "{era}の期間外の日付です（{era}は{first}から{last}まで）。",
        "en": "That date is outside the {era} era ({first} to {last}).",
    },
    "form.error.date_out_of_range": {
        "ja": "{min}から{max}までの日付を入力してください。",
        "en": "Please give a date between {min} and {max}.",
    },
    "form.error.date_future": {
        "ja": "未来の日付は入力できません。",
        "en": "This date cannot be in the future.",
    },
    "form.error.postal_code_format": {
        "ja": "郵便番号は7桁の数字で入力してください（例：123-4567）。",
        "en": "Please give the 7-digit postal code (e.g. 123-4567).",
    },
    "form.error.phone_format": {
        "ja": "電話番号の書き方が違います（例：090-1234-5678、03-1234-5678）。",
        "en": "Please give a Japanese phone number (e.g. 090-1234-5678 or 03-1234-5678).",
    },
    "form.error.sex_value": {"ja": "性別を選んでください。", "en": "Please choose a sex."},
    "form.error.choice_value": {"ja": "選択肢から選んでください。", "en": "Please choose one of the options."},
    "form.error.number_format": {"ja": "数字で入力してください。", "en": "Please give a whole number."},
    "form.error.number_range": {
        "ja": "{min}から{max}までの数を入力してください。",
        "en": "Please give a number from {min} to {max}.",
    },
    "form.error.unknown_field": {"ja": "この申請書にない項目です。", "en": "This form has no such field."},
    "form.error.group_too_large": {
        "ja": "{max}人まで入力できます。",
        "en": "At most {max} people can be listed.",
    },
    "form.error.not_allowed": {
        "ja": "この項目はここでは入力できません。",
        "en": "This field cannot be given here.",
    },
    # pre-filled application codes (MDG1)
    "payload.error.not_a_prefill_code": {
        "ja": "申請書の事前入力コードではありません。",
        "en": "This is not a pre-filled application code.",
    },
    "payload.error.unknown_version": {
        "ja": "このコードの形式（バージョン{version}）には対応していません。職員にお声がけください。",
        "en": "This code's format (version {version}) is not supported. Please ask a member of staff.",
    },
    "payload.error.corrupt": {
        "ja": "コードを読み取れませんでした。もう一度かざしてください。",
        "en": "The code could not be read. Please show it again.",
    },
    "payload.error.unknown_procedure": {
        "ja": "この窓口では扱っていない手続きのコードです。",
        "en": "This code is for a procedure this hall does not handle.",
    },
    "payload.error.wrong_procedure": {
        "ja": "選んだ手続きとコードの手続きが違います。",
        "en": "This code is for a different procedure than the one you chose.",
    },
    "payload.error.form_changed": {
        "ja": "申請書の様式が変わりました。お手数ですが、入力サイトでコードを作り直してください。",
        "en": "This form has changed since the code was made. Please make a new code on the web site.",
    },
    "payload.error.invalid_field": {
        "ja": "コードの内容に誤りがあります。窓口で確認します。",
        "en": "Some entries in the code are not valid. Staff will check them with you at the counter.",
    },
    "payload.error.too_large": {
        "ja": "入力が多すぎて1つのコードに収まりません。",
        "en": "There is too much text to fit in one code.",
    },
    # reservation check-in codes (MDR1) and reservation CSV
    "reservation.error.not_a_reservation_code": {
        "ja": "予約のコードではありません。",
        "en": "This is not a reservation code.",
    },
    "reservation.error.unknown_version": {
        "ja": "この予約コードの形式には対応していません。",
        "en": "This reservation code's format is not supported.",
    },
    "reservation.error.check_failed": {
        "ja": "予約番号を確認できませんでした。番号をもう一度お確かめください。",
        "en": "The reservation number could not be verified. Please check it.",
    },
    "reservation.error.unknown": {
        "ja": "この予約は見つかりません。",
        "en": "This reservation cannot be found.",
    },
    "reservation.error.already_checked_in": {
        "ja": "この予約はすでに受付済みです。",
        "en": "This reservation has already been checked in.",
    },
    "reservation.checkin.inside": {"ja": "予約を確認しました。", "en": "Your reservation is confirmed."},
    "reservation.checkin.too_early": {
        "ja": "予約の受付は{opens_at}からです。通常の番号札もお取りいただけます。",
        "en": "Check-in for your reservation opens at {opens_at}. You can take a normal ticket instead.",
    },
    "reservation.checkin.too_late": {
        "ja": "予約の受付時間（{closes_at}まで）を過ぎました。通常の番号札をお取りください。",
        "en": "The check-in time for your reservation ended at {closes_at}. Please take a normal ticket.",
    },
    "reservation.checkin.other_day": {
        "ja": "この予約は{date}のものです。通常の番号札もお取りいただけます。",
        "en": "This reservation is for {date}. You can take a normal ticket instead.",
    },
    "reservations_csv.error.encoding": {
        "ja": "CSVの文字コードが読めません（UTF-8かShift_JISで保存してください）。",
        "en": "The CSV file is neither UTF-8 nor Shift_JIS text.",
    },
    "reservations_csv.error.empty": {"ja": "CSVにデータがありません。", "en": "The CSV file holds no rows."},
    "reservations_csv.error.missing_column": {
        "ja": "列「{column}」がありません。",
        "en": "The column “{column}” is missing.",
    },
    "reservations_csv.error.unknown_procedure": {
        "ja": "手続き「{value}」は設定にありません。",
        "en": "Unknown procedure “{value}”.",
    },
    "reservations_csv.error.bad_date": {
        "ja": "日付の形式が違います（例：2026-12-01）。",
        "en": "Expected a date such as 2026-12-01.",
    },
    "reservations_csv.error.bad_time": {
        "ja": "時間帯の形式が違います（例：10:00 または 10:00-10:30）。",
        "en": "Expected a time slot such as 10:00 or 10:00-10:30.",
    },
    "reservations_csv.error.bad_reference": {
        "ja": "予約番号は英数字4〜16文字です。",
        "en": "Expected a reference code of 4 to 16 letters and digits.",
    },
    "reservations_csv.error.duplicate_reference": {
        "ja": "予約番号が{first_row}行目と重複しています。",
        "en": "This reference code is also on row {first_row}.",
    },
    "reservations_csv.error.too_long": {
        "ja": "{max}文字以内にしてください。",
        "en": "Expected at most {max} characters.",
    },
    "reservations_csv.error.bad_row": {
        "ja": "列の数が見出しと合いません。",
        "en": "This row does not have the same number of columns as the header.",
    },
}


def message_text(message_id: str, language: str = "ja", params: Mapping[str, object] | None = None) -> str:
    """The text for ``message_id`` in ``language`` (falls back to English, then Japanese); KeyError if unknown."""
    texts = MESSAGES[message_id]
    template = texts.get(language) or texts.get("en") or texts["ja"]
    if language == "ja-easy":
        template = texts["ja"]
    return template.format(**(params or {}))
