"""The validation rules and procedure forms as JSON data, so the pre-fill web site validates like Python.

``site_rules(cfg)`` is written to ``rules.js`` by ``export-prefill-site``. The site's ``validate.js`` is a
small interpreter of this data (regular expressions, the era table, the limits); a Chromium test feeds the same
input table through both sides and compares the results.
"""

from __future__ import annotations

import re
from typing import Any

from madoguchi.core.config import HallConfig, localized
from madoguchi.core.forms import normalize, validation, wareki
from madoguchi.core.forms.messages import MESSAGES
from madoguchi.core.forms.payload import (
    EXCLUDED_CARD_SOURCES,
    GS,
    MAX_CODE_CHARS,
    PREFIX,
    RS,
    SEX_CODES,
    US,
    VERSION,
    form_fingerprint,
)

SITE_LANGUAGES = ("ja", "en")

#: texts of the site itself (ids stable like the error ids; the translations engineer moves them to catalogs)
SITE_TEXTS: dict[str, dict[str, str]] = {
    "site.title": {"ja": "申請書の事前入力", "en": "Fill in your application in advance"},
    "site.intro": {
        "ja": "窓口に来る前に申請書を入力し、表示されるコードを受付機（キオスク）にかざしてください。"
        "入力した内容はこの端末の外に送信されません。",
        "en": "Fill in your application before you come, then show the code at the kiosk. "
        "What you type never leaves this device.",
    },
    "site.choose_procedure": {"ja": "手続きを選んでください", "en": "Choose a procedure"},
    "site.required": {"ja": "必須", "en": "required"},
    "site.add_member": {"ja": "人を追加", "en": "Add a person"},
    "site.remove_member": {"ja": "この人を削除", "en": "Remove this person"},
    "site.member": {"ja": "{n}人目", "en": "Person {n}"},
    "site.make_code": {"ja": "コードを作る", "en": "Make the code"},
    "site.fix_errors": {"ja": "入力内容を確認してください。", "en": "Please check the highlighted entries."},
    "site.show_at_kiosk": {
        "ja": "このコードを受付機のカメラにかざしてください。",
        "en": "Show this code to the kiosk's camera.",
    },
    "site.back": {"ja": "入力に戻る", "en": "Back to the form"},
    "site.back_to_list": {"ja": "手続きの選択に戻る", "en": "Back to the procedures"},
    "site.clear": {"ja": "入力内容を消す", "en": "Clear everything"},
    "site.choose": {"ja": "選んでください", "en": "Please choose"},
    "site.sex.male": {"ja": "男", "en": "Male"},
    "site.sex.female": {"ja": "女", "en": "Female"},
    # ISO/IEC 5218 "9": the validator and the My Number card accept it, so the site offers it too
    "site.sex.not_applicable": {"ja": "該当なし", "en": "Not applicable"},
    "site.hint.date": {"ja": "例：1980-04-01、昭和55年4月1日、S55.4.1", "en": "e.g. 1980-04-01 or S55.4.1"},
    "site.hint.kana": {"ja": "カタカナ（例：ヤマダ　タロウ）", "en": "katakana (e.g. ヤマダ　タロウ)"},
    "site.hint.phone": {"ja": "例：090-1234-5678", "en": "e.g. 090-1234-5678"},
    "site.hint.postal_code": {"ja": "例：123-4567", "en": "e.g. 123-4567"},
    "site.offline_note": {
        "ja": "このページは読み込み後はオフラインでも使えます。",
        "en": "Once loaded, this page also works offline.",
    },
}


def js_pattern(pattern: re.Pattern[str]) -> str:
    """A Python regular expression source in JavaScript syntax (named groups differ)."""
    return pattern.pattern.replace("(?P<", "(?<")


def _field(f: Any, language_texts: tuple[str, ...]) -> dict[str, Any]:
    return {
        "key": f.key,
        "label": {lang: localized(f.label, lang) for lang in language_texts},
        "kind": f.kind,
        "required": f.required,
        "group": f.group,
        "min": f.min_value,
        "max": f.max_value,
        "choices": [{"value": v, "label": {lang: localized(t, lang) for lang in language_texts}} for v, t in f.choices],
        "birth_date": validation.is_birth_date_field(f),
    }


def site_rules(cfg: HallConfig) -> dict[str, Any]:
    langs = SITE_LANGUAGES
    procedures = []
    for service in cfg.services:
        if service.form is None:
            continue
        form = cfg.forms[service.form]
        fields = [f for f in form.fields if f.from_card not in EXCLUDED_CARD_SOURCES]
        # Positional codes need every top-level field slot, so excluded fields stay as empty, hidden slots.
        procedures.append(
            {
                "id": service.id,
                "name": {lang: localized(service.name, lang) for lang in langs},
                "description": {lang: localized(service.description, lang) for lang in langs}
                if service.description
                else None,
                "fingerprint": form_fingerprint(form),
                "title": {lang: localized(form.title, lang) for lang in langs},
                "max_group_size": form.max_group_size,
                "fields": [_field(f, langs) | {"hidden": f not in fields} for f in form.fields],
            }
        )
    return {
        "format": {"prefix": PREFIX, "version": VERSION, "us": US, "rs": RS, "gs": GS, "max_chars": MAX_CODE_CHARS},
        "hall": {lang: localized(cfg.hall.name, lang) for lang in langs},
        "languages": list(langs),
        "procedures": procedures,
        "patterns": {
            "control": normalize._CONTROL.pattern,
            "half_katakana": normalize._HALF_KATAKANA.pattern,
            "dash_between_digits": normalize._DASH_BETWEEN_DIGITS.pattern,
            "hiragana": normalize._HIRAGANA.pattern,
            "kana_dashes": normalize._KANA_DASHES.pattern,
            "dashes": f"[{normalize._DASHES}]",
            "kana": validation.KANA_RE.pattern,
            "postal": validation.POSTAL_RE.pattern,
            "phone_chars": validation.PHONE_CHARS_RE.pattern,
            "phone_digits": validation.PHONE_DIGITS_RE.pattern,
            "phone_intl": validation.PHONE_INTL_RE.pattern,
            "number": validation.NUMBER_RE.pattern,
            "era_date": js_pattern(wareki._ERA_RE),
            "era_year_only": js_pattern(wareki._ERA_YEAR_ONLY_RE),
            "gregorian": js_pattern(wareki._GREGORIAN_RE),
            "compact": js_pattern(wareki._COMPACT_RE),
            "year_month": js_pattern(wareki._YEAR_MONTH_RE),
        },
        "eras": [
            {
                "key": e.key,
                "name": e.name,
                "first": e.first_day.isoformat(),
                "last": e.last_day.isoformat() if e.last_day else None,
            }
            for e in wareki.ERAS
        ],
        "era_aliases": {alias: era.key for alias, era in wareki._ERA_ALIASES.items()},
        "date_min": wareki.MIN_DATE.isoformat(),
        "date_max": wareki.MAX_DATE.isoformat(),
        "max_length": validation.MAX_LENGTH,
        "sex_aliases": validation.SEX_ALIASES,
        "sex_codes": SEX_CODES,
        "sex_values": list(validation.SEX_VALUES),  # the site's options, in this order
        "messages": {k: {lang: v.get(lang, v["ja"]) for lang in langs} for k, v in MESSAGES.items()},
        "texts": SITE_TEXTS,
    }
