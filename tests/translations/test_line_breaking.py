"""Where lines may break: phrases for Japanese and Chinese (BudouX), spaces elsewhere, kinsoku always."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madoguchi.translations.line_breaking import NO_LINE_END, NO_LINE_START, breaks, characters, pieces

# Words the issue saw split (「交／付」「くだ／さい」「お待ちく／ださい」「まも／なく」「0〜／10分」) and their kin.
WHOLE = ["交付", "ください", "お待ちください", "まもなく", "0〜10分", "15〜30分", "番号札を", "マイナンバーカード"]


@pytest.mark.parametrize(
    "text",
    [
        "住民票の写し・記載事項証明書の交付",
        "番号札をお取りください",
        "呼ばれるまでこの番号札をお待ちください",
        "0人待ち ・ まもなく",
        "待ち時間の目安：0〜10分",
        "待ち時間の目安：15〜30分",
        "マイナンバーカードを読み取り機に置いてください",
    ],
)
def test_japanese_words_are_never_cut(text: str) -> None:
    units = pieces(text, "ja")
    assert "".join(units) == text
    for word in WHOLE:
        if word in text:
            start = text.index(word)
            inside = [b for b in breaks(text, "ja") if start < b < start + len(word)]
            assert not inside, (word, units)


def test_kinsoku_no_line_starts_with_closing_marks_or_the_middle_dot() -> None:
    for text in ("0人待ち ・ まもなく", "「住民票」を選んでください。", "カードの受け取り・暗証番号の再設定"):
        for unit in pieces(text, "ja"):
            if not unit.isspace():
                assert unit[0] not in NO_LINE_START, (text, unit)
                assert unit[-1] not in NO_LINE_END, (text, unit)


def test_other_scripts_break_at_spaces_and_korean_keeps_words() -> None:
    assert pieces("Please wait here", "en") == ["Please", " ", "wait", " ", "here"]
    assert pieces("카드를 가져가세요", "ko") == ["카드를", " ", "가져가세요"]
    assert pieces("कृपया आफ्नो कार्ड लिनुहोस्", "ne")[0] == "कृपया"


def test_chinese_uses_the_chinese_model() -> None:
    units = pieces("请将个人编号卡放在读卡器上", "zh-Hans")
    assert "读卡器" in units or any("读卡器" in u for u in units)


def test_an_overlong_unit_is_cut_between_characters_obeying_kinsoku() -> None:
    assert characters("カード。") == ["カー", "ド。"]
    assert "".join(characters("マイナンバーカード交付。")) == "マイナンバーカード交付。"
    assert all(p[0] not in NO_LINE_START for p in characters("マイナンバーカード交付。"))


@given(st.text(alphabet=st.sampled_from("あいう漢字カード。、・「」ー〜0123 ABCabc"), max_size=30))
def test_pieces_always_give_the_text_back(text: str) -> None:
    assert "".join(pieces(text, "ja")) == text


def test_no_break_spaces_hold_their_words_together() -> None:
    # Babel puts U+202F between a time and AM/PM: "10:15 AM" must never end a line at "10:15".
    assert "10:15\u202fAM" in pieces("Issued Nov 28, 2026, 10:15\u202fAM", "en")
    assert "20\u00a0min" in pieces("Espera estimada: 20\u00a0min", "es")
    assert " " in pieces("Issued Nov 28", "en")


def test_an_address_keeps_its_prefecture_whole() -> None:
    # BudouX alone gives 東|京都みどり市…: a resident would read 「東」 on a line of its own
    units = pieces("東京都みどり市中央1-2-3", "ja")
    assert units[0].startswith("東京")
    assert "".join(units) == "東京都みどり市中央1-2-3"
