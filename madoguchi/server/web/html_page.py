"""The frame of every HTML page the hall server serves: the document, its language, its styles and scripts.

Styles and scripts live as files in ``assets/`` (checked by linters, readable) and are put into the page inline:
one request per page on a phone, and the Content-Security-Policy allows exactly them by their hash
(``page_headers.py``). No inline ``style=""`` attribute and no ``on…=`` handler anywhere: the policy forbids both.
"""

from __future__ import annotations

import functools
import html
import json
from importlib import resources

from madoguchi.core.config import SHIPPED_LANGUAGES

e = html.escape


@functools.cache
def asset(name: str) -> str:
    """A file of ``assets/`` (read once)."""
    return (resources.files("madoguchi.server.web") / "assets" / name).read_text(encoding="utf-8")


def html_lang(lang: str) -> str:
    """The BCP 47 tag of a hall language (easy Japanese is Japanese to a browser and a screen reader)."""
    return "ja" if lang == "ja-easy" else lang


def json_script(element_id: str, value: object) -> str:
    """Data for a page's script, as a non-executed JSON block (``</`` escaped so it cannot end the block)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/json" id="{e(element_id)}">{text}</script>'


def page(
    lang: str,
    title: str,
    body: str,
    *,
    styles: tuple[str, ...] = ("base.css",),
    scripts: tuple[str, ...] = (),
    head: str = "",
    body_class: str = "",
) -> str:
    css = "\n".join(asset(name) for name in styles)
    js = "".join(f"<script>{asset(name)}</script>" for name in scripts)
    cls = f' class="{e(body_class)}"' if body_class else ""
    return (
        f'<!doctype html>\n<html lang="{e(html_lang(lang))}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title>{head}<style>{css}</style></head>"
        f"<body{cls}>{body}{js}</body></html>"
    )


def pick_language(asked: str | None, accept: str | None, offered: tuple[str, ...]) -> str:
    """``?lang=`` when the hall offers it, else the browser's first offered language, else Japanese."""
    if asked in offered:
        return str(asked)
    for part in (accept or "").split(","):
        tag = part.split(";", 1)[0].strip()
        for lang in offered:
            if lang == "ja-easy":
                continue
            if tag.lower() == lang.lower() or tag.lower().split("-")[0] == lang.lower().split("-")[0]:
                return lang
    return "ja"


def known_language(lang: str | None) -> str:
    return lang if lang is not None and lang in SHIPPED_LANGUAGES else "ja"
