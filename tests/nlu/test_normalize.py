"""Normalization of what members type, and the offset map back to the original text."""
from __future__ import annotations

import pytest

from bot.nlu.normalize import normalize, normalize_text


def original_of(text: str, normalized_part: str) -> str:
    """The original characters a substring of the normalized text came from."""
    norm = normalize(text)
    index = norm.text.index(normalized_part)
    start, end = norm.span(index, index + len(normalized_part))
    return text[start:end]


def test_full_width_digits_become_ascii() -> None:
    assert normalize_text("１２３４５６７８９０") == "1234567890"


def test_full_width_letters_and_at_sign_become_ascii() -> None:
    assert normalize_text("ｔａｒｏ＠ＥＸＡＭＰＬＥ．ｊｐ") == "taro@EXAMPLE.jp"


def test_full_width_characters_map_one_to_one_to_the_original() -> None:
    assert original_of("会員番号は１２３４５６７８９０です", "1234567890") == "１２３４５６７８９０"


def test_half_width_katakana_become_full_width() -> None:
    assert normalize_text("ﾛｸﾞｲﾝできません") == "ログインできません"


def test_voiced_half_width_kana_maps_back_to_both_original_characters() -> None:
    norm = normalize("ﾀﾞﾒ")
    assert norm.text == "ダメ"
    assert norm.span(0, 1) == (0, 2)


def test_character_after_voiced_half_width_kana_keeps_its_own_offset() -> None:
    norm = normalize("ﾀﾞﾒ")
    assert norm.span(1, 2) == (2, 3)


def test_half_width_login_maps_back_to_the_whole_original_word() -> None:
    assert original_of("ﾛｸﾞｲﾝできません", "ログイン") == "ﾛｸﾞｲﾝ"


@pytest.mark.parametrize(
    "typed",
    ["090ー1234ー5678", "090−1234−5678", "090‐1234‐5678", "090－1234－5678", "090―1234―5678"],
    ids=["long-vowel-mark", "minus-sign", "hyphen", "full-width-hyphen-minus", "horizontal-bar"],
)
def test_dash_variants_between_digits_become_ascii_hyphens(typed: str) -> None:
    assert normalize_text(typed) == "090-1234-5678"


def test_full_width_phone_number_with_long_vowel_marks_becomes_ascii() -> None:
    assert normalize_text("０９０ー１２３４ー５６７８") == "090-1234-5678"


@pytest.mark.parametrize("typed", ["パスワ-ド", "パスワ－ド", "パスワ−ド", "パスワ‐ド"])
def test_dash_typed_for_the_long_vowel_mark_in_katakana_becomes_the_mark(typed: str) -> None:
    assert normalize_text(typed) == "パスワード"


@pytest.mark.parametrize("typed", ["ログイン-エラー", "シール-カード", "ジャン-ポール"])
def test_hyphen_between_two_katakana_words_is_kept(typed: str) -> None:
    assert normalize_text(typed) == typed


def test_dash_between_katakana_and_latin_letters_is_kept() -> None:
    assert normalize_text("ID-パスワード") == "ID-パスワード"


def test_long_vowel_mark_inside_a_word_is_kept() -> None:
    assert normalize_text("メールアドレス") == "メールアドレス"


def test_long_vowel_mark_after_a_single_digit_word_is_kept() -> None:
    assert normalize_text("3ーつ") == "3ーつ"


def test_kanji_digit_run_becomes_ascii_digits() -> None:
    assert normalize_text("会員番号は三五七二四六八一九〇です") == "会員番号は3572468190です"


def test_kanji_digit_run_maps_back_to_the_kanji() -> None:
    assert original_of("会員番号は三五七二四六八一九〇です", "3572468190") == "三五七二四六八一九〇"


def test_lone_kanji_one_stays_a_word() -> None:
    assert normalize_text("一度ログインしました") == "一度ログインしました"


def test_zero_width_space_inside_a_number_is_removed() -> None:
    assert normalize_text("1234\u200b567890") == "1234567890"


def test_emoji_style_variation_selector_is_removed() -> None:
    assert normalize_text("⭕\ufe0fです") == "⭕です"


def test_offsets_after_a_zero_width_space_still_point_at_the_right_characters() -> None:
    text = "番号\u200bは1234567890です"
    assert original_of(text, "1234567890") == "1234567890"
    assert original_of(text, "です") == "です"


def test_number_with_zero_width_space_maps_back_over_the_space() -> None:
    assert original_of("会員番号1234\u200b567890", "1234567890") == "1234\u200b567890"


def test_byte_order_mark_at_the_start_is_removed() -> None:
    norm = normalize("\ufeffログイン")
    assert norm.text == "ログイン"
    assert norm.span(0, 4) == (1, 5)


def test_whitespace_runs_collapse_to_one_space() -> None:
    assert normalize_text("ログイン \t\n できません") == "ログイン できません"


def test_ideographic_spaces_collapse_to_one_space() -> None:
    assert normalize_text("かいいんばんごうは　　４４５５６６７７８８　です") == "かいいんばんごうは 4455667788 です"


def test_leading_and_trailing_whitespace_is_dropped() -> None:
    norm = normalize("  ログイン  ")
    assert norm.text == "ログイン"
    assert norm.span(0, 4) == (2, 6)


def test_bracketed_area_code_becomes_a_hyphenated_number() -> None:
    assert normalize_text("(06)6123-4567") == "06-6123-4567"


def test_phone_groups_joined_by_no_become_a_hyphenated_number() -> None:
    assert normalize_text("０９０の１２３４の５６７８です") == "090-1234-5678です"


def test_phone_groups_joined_by_no_with_spaces_keep_their_own_offsets() -> None:
    norm = normalize("070 の 5566 の 7788です")
    assert norm.text == "070-5566-7788です"
    assert norm.span(4, 8) == (6, 10)


def test_groups_joined_by_no_too_short_for_a_phone_stay_as_typed() -> None:
    assert normalize_text("03の12の3456") == "03の12の3456"


def test_international_prefix_becomes_a_leading_zero() -> None:
    assert normalize_text("+81 90-1234-5678") == "090-1234-5678"


def test_original_text_is_kept_unchanged() -> None:
    assert normalize("ﾛｸﾞｲﾝ").original == "ﾛｸﾞｲﾝ"


def test_offset_map_has_one_span_per_normalized_character() -> None:
    norm = normalize("ﾛｸﾞｲﾝ　１２３４\u200b５")
    assert len(norm.starts) == len(norm.ends) == len(norm.text)


def test_empty_slice_maps_to_an_empty_original_span() -> None:
    norm = normalize("ログイン")
    assert norm.span(2, 2) == (2, 2)
