"""Texts of the server's HTML pages, looked up in the shared catalogs (``translations``)."""

from __future__ import annotations

_FALLBACK = {
    "ja": {
        "phone.your_number": "あなたの番号",
        "phone.people_ahead": "あなたの前に{count}人",
        "phone.estimate": "待ち時間の目安：{low}〜{high}分",
        "phone.called": "お呼びしています：{counter}番窓口へお越しください",
        "phone.finished": "この番号の受付は終了しました",
        "phone.auto_update": "この画面は自動で更新されます",
        "phone.not_found": "この番号は見つかりません",
        "board.now_calling": "お呼び出し中",
    },
    "en": {
        "phone.your_number": "Your number",
        "phone.people_ahead": "{count} people ahead of you",
        "phone.estimate": "Estimated wait: {low}–{high} min",
        "phone.called": "It's your turn: please go to counter {counter}",
        "phone.finished": "This ticket is finished",
        "phone.auto_update": "This page updates itself",
        "phone.not_found": "This number was not found",
        "board.now_calling": "Now calling",
    },
}


def text(lang: str, key: str, **params: object) -> str:
    table = _FALLBACK.get(lang) or _FALLBACK["ja" if lang == "ja-easy" else "en"]
    return table.get(key, _FALLBACK["en"][key]).format(**params)
