"""A filled form as the rows of its paper application: labels and display values, in the form's order.

No Qt. The screen (``form_sheet``) and the PDF (``form_pdf``) both render these rows, so they always agree.
The individual number appears only as the server sent it (masked) unless the staff member revealed it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from madoguchi.core.config import Form, FormField, localized
from madoguchi.core.forms.wareki import to_wareki

INDIVIDUAL_NUMBER = "individual_number"
_SEX = {"male": "男", "female": "女", "not_applicable": "—"}


@dataclass(frozen=True)
class FormRow:
    key: str
    label: str
    value: str
    #: repeated-group name and 1-based row number ("異動する人 1")
    group: str | None = None
    row: int | None = None
    masked: bool = False


def display_value(f: FormField, raw: Any, lang: str = "ja") -> str:
    if raw is None or raw == "":
        return ""
    text = str(raw)
    if f.kind == "choice":
        for value, label in f.choices:
            if value == text:
                return localized(dict(label), lang)
        return text
    if f.kind == "sex":
        return _SEX.get(text, text)
    if f.kind == "date":
        try:
            date = dt.date.fromisoformat(text)
        except ValueError:
            return text
        return f"{to_wareki(date)}（{date.year}年）"
    return text


def form_rows(
    form: Form,
    fields: dict[str, Any],
    *,
    individual_number: str | None = None,
    individual_number_masked: str | None = None,
    lang: str = "ja",
) -> list[FormRow]:
    rows: list[FormRow] = []
    groups_seen: set[str] = set()
    for f in form.fields:
        if f.group is None:
            if f.key == INDIVIDUAL_NUMBER:
                value = individual_number or individual_number_masked or ""
                rows.append(FormRow(f.key, localized(dict(f.label), lang), value, masked=individual_number is None))
            else:
                rows.append(FormRow(f.key, localized(dict(f.label), lang), display_value(f, fields.get(f.key), lang)))
            continue
        if f.group in groups_seen:
            continue
        groups_seen.add(f.group)
        members = [g for g in form.fields if g.group == f.group]
        entries = fields.get(f.group) or []
        for i, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
            if not isinstance(entry, dict):
                continue
            for g in members:
                label = localized(dict(g.label), lang)
                rows.append(FormRow(g.key, label, display_value(g, entry.get(g.key), lang), group=f.group, row=i))
    return rows


def form_title(form: Form, lang: str = "ja") -> str:
    return localized(dict(form.title), lang)
