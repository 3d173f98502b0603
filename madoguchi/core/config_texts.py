"""Every text the administrator writes in hall.toml (names, descriptions, questions and answers, notices, areas),
with where it is and which of the hall's languages it still lacks.

``madoguchi check-config`` lists the missing translations (``--strict`` fails on them);
``madoguchi translate-config`` fills them with offline machine translation and records each filled text in the
``[machine_translated]`` table, which a person empties as they review the texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from madoguchi.core.config import HallConfig

Loc = tuple[str | int, ...]

_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]+")
_READING = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]+（[\u3041-\u3096ー]+）")


@dataclass(frozen=True)
class TextField:
    """One localized text of the configuration.

    ``path`` names it by ids (``services.juminhyo.name``: stable when services are reordered, the key of the
    ``[machine_translated]`` table); ``loc`` is its place in the TOML document (``("services", 0, "name")``).
    """

    path: str
    loc: Loc
    texts: dict[str, str]


def text_fields(cfg: HallConfig) -> Iterator[TextField]:
    yield TextField("hall.name", ("hall", "name"), cfg.hall.name)
    for i, notice in enumerate(cfg.hall.notices):
        yield TextField(f"hall.notices.{i}", ("hall", "notices", i), notice)
    for i, service in enumerate(cfg.services):
        yield TextField(f"services.{service.id}.name", ("services", i, "name"), service.name)
        if service.description is not None:
            yield TextField(f"services.{service.id}.description", ("services", i, "description"), service.description)
    for area_id, area in cfg.areas.items():
        yield TextField(f"areas.{area_id}", ("areas", area_id), area)
    for i, counter in enumerate(cfg.counters):
        for key in ("name", "area"):
            value = getattr(counter, key)
            if isinstance(value, dict):
                yield TextField(f"counters.{counter.number}.{key}", ("counters", i, key), value)
    for i, event in enumerate(cfg.life_events):
        base = f"life_events.{event.id}"
        yield TextField(f"{base}.name", ("life_events", i, "name"), event.name)
        if event.description is not None:
            yield TextField(f"{base}.description", ("life_events", i, "description"), event.description)
        for k, item in enumerate(event.bring):
            yield TextField(f"{base}.bring.{k}", ("life_events", i, "bring", k), item)
        for j, q in enumerate(event.questions):
            yield TextField(f"{base}.questions.{q.id}.text", ("life_events", i, "questions", j, "text"), q.text)
            for k, item in enumerate(q.bring):
                loc_b: Loc = ("life_events", i, "questions", j, "bring", k)
                yield TextField(f"{base}.questions.{q.id}.bring.{k}", loc_b, item)
    for form_id, form in cfg.forms.items():
        yield TextField(f"forms.{form_id}.title", ("forms", form_id, "title"), form.title)
        for j, f in enumerate(form.fields):
            yield TextField(f"forms.{form_id}.fields.{f.key}.label", ("forms", form_id, "fields", j, "label"), f.label)
            for k, (value, label) in enumerate(f.choices):
                loc: Loc = ("forms", form_id, "fields", j, "choices", k, 1)
                yield TextField(f"forms.{form_id}.fields.{f.key}.choices.{value}", loc, label)


@dataclass(frozen=True)
class MissingTranslation:
    field: TextField
    languages: tuple[str, ...]


def missing_translations(cfg: HallConfig) -> list[MissingTranslation]:
    """Texts without a translation in one of ``hall.languages`` (in the hall's language order)."""
    out = []
    for field in text_fields(cfg):
        missing = tuple(lang for lang in cfg.hall.languages if lang not in field.texts)
        if missing:
            out.append(MissingTranslation(field, missing))
    return out


def kanji_without_reading(text: str) -> list[str]:
    """Kanji in an easy-Japanese text with no reading in brackets after them (``窓口`` in ``窓口で``)."""
    bare = _READING.sub("", text)
    return _KANJI.findall(bare)


def machine_translated(cfg: HallConfig) -> list[tuple[TextField, tuple[str, ...]]]:
    """Texts still marked machine-translated (not yet reviewed), with their languages."""
    fields = {field.path: field for field in text_fields(cfg)}
    return [(fields[path], langs) for path, langs in cfg.machine_translated.items() if path in fields]
