"""The validation rules and procedure forms as JSON data, so the pre-fill web site validates like Python.

``site_rules(cfg, texts)`` is written to ``rules.js`` by ``export-prefill-site``. The site's ``validate.js`` is a
small interpreter of this data (regular expressions, the era table, the limits); a Chromium test feeds the same
input table through both sides and compares the results. The texts come from the catalogs, in the hall's
languages (``madoguchi.translations.prefill_site``); ``core`` only places them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from typing import Any

from madoguchi.core.config import HallConfig, LifeEvent, localized
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
from madoguchi.core.life_events import guidance, visit_form_service

#: the catalog messages the site shows besides the forms' message ids (``MESSAGES``): its own ``site.*`` texts
SITE_MESSAGE_PREFIX = "site."
#: shared catalog messages the site shows too
SITE_SHARED_MESSAGES = ("common.yes", "common.no")
#: a life event's answers are exported as every yes/no combination: 2 ** questions results
MAX_SITE_QUESTIONS = 8

Texts = Mapping[str, Mapping[str, str]]


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


def site_rules(cfg: HallConfig, texts: Texts) -> dict[str, Any]:
    """The site's data for ``cfg``; ``texts`` (message id → language → text, from the catalogs) holds every
    ``MESSAGES`` id and ``site.*`` text in each of the hall's languages."""
    langs = tuple(cfg.hall.languages)
    missing = sorted(
        f"{msgid} ({lang})"
        for msgid in [*MESSAGES, *SITE_SHARED_MESSAGES, *site_message_ids(texts)]
        for lang in langs
        if not texts.get(msgid, {}).get(lang)
    )
    if missing:
        raise ValueError(f"the site has no text for {', '.join(missing[:5])}")
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
        "messages": {k: {lang: texts[k][lang] for lang in langs} for k in MESSAGES},
        "texts": {k: {lang: texts[k][lang] for lang in langs} for k in site_message_ids(texts)},
        "life_events": [_life_event(cfg, event, langs) for event in cfg.life_events],
        "places": _places(cfg, langs),
    }


def site_message_ids(texts: Texts) -> list[str]:
    """The texts of the site itself: every ``site.*`` message, and the shared ones it shows."""
    return sorted({*SITE_SHARED_MESSAGES, *(k for k in texts if k.startswith(SITE_MESSAGE_PREFIX))})


def _life_event(cfg: HallConfig, event: LifeEvent, langs: tuple[str, ...]) -> dict[str, Any]:
    """A life event with its guidance for every combination of answers, worked out here by
    ``core.life_events.guidance`` (the site looks the answers up; it has no rules of its own). A result's key
    is one digit per question, in order: 1 = yes, 0 = no."""
    if len(event.questions) > MAX_SITE_QUESTIONS:
        raise ValueError(f"life event {event.id!r}: the site offers at most {MAX_SITE_QUESTIONS} questions")

    def texts(text: dict[str, str]) -> dict[str, str]:
        return {lang: localized(text, lang) for lang in langs}

    results = {}
    for answers in itertools.product((False, True), repeat=len(event.questions)):
        found = guidance(event, {q.id: yes for q, yes in zip(event.questions, answers, strict=True)})
        results["".join("1" if yes else "0" for yes in answers)] = {
            "route": list(found.route),
            "bring": [texts(item) for item in found.bring],
            "form": visit_form_service(cfg, found.route),
        }
    return {
        "id": event.id,
        "name": texts(event.name),
        "description": texts(event.description) if event.description else None,
        "questions": [{"id": q.id, "text": texts(q.text)} for q in event.questions],
        "results": results,
    }


def _places(cfg: HallConfig, langs: tuple[str, ...]) -> dict[str, Any]:
    """Each procedure on a life event's route: its name, its counters and where to wait for them."""
    on_routes = dict.fromkeys(sid for event in cfg.life_events for sid in event.route)
    places = {}
    for sid in on_routes:
        service = cfg.service(sid)
        counters = [c for c in cfg.counters if sid in c.services]
        areas = [a for a in dict.fromkeys(_key(cfg.counter_area(c)) for c in counters) if a is not None]
        places[sid] = {
            "name": {lang: localized(service.name, lang) for lang in langs},
            "counters": [c.number for c in counters],
            "areas": [{lang: localized(dict(area), lang) for lang in langs} for area in areas],
        }
    return places


def _key(area: dict[str, str] | None) -> tuple[tuple[str, str], ...] | None:
    return tuple(sorted(area.items())) if area else None
