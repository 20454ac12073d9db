"""Redaction of personal data in chat text and in Rasa parse data."""
from __future__ import annotations

import copy

import pytest

from bot.privacy.redact import find_password, mask_value, redact, redact_mapping


# --- personal values ----------------------------------------------------------------------

def test_member_number_keeps_first_and_last_two_digits() -> None:
    assert redact("会員番号は1234567890です") == "会員番号は12******90です"


def test_full_width_hyphenated_member_number_is_masked_from_its_value() -> None:
    assert redact("会員番号は１２３４－５６７－８９０です") == "会員番号は12******90です"


def test_member_number_in_kanji_digits_is_masked() -> None:
    assert redact("会員番号は三五七二四六八一九〇です") == "会員番号は35******90です"


def test_email_keeps_first_letter_and_domain() -> None:
    assert redact("メールはtaro@example.jpです") == "メールはt***@example.jpです"


def test_full_width_upper_case_email_is_masked_in_ascii() -> None:
    assert redact("メールはＴＡＲＯ＠ＥＸＡＭＰＬＥ．ＪＰです") == "メールはt***@example.jpです"


@pytest.mark.parametrize(
    "typed",
    [
        "2010年4月1日", "2010/4/1", "２０１０年４月１日", "H22.4.1", "ｈ２２．４．１", "平成22年4月1日",
        "平成元年1月8日", "令和元年5月1日", "昭和64年1月7日", "平成二十二年四月一日", "二〇一〇年四月一日",
        "2013-11-22", "2011.07.15", "２００９／０８／３１", "S60.3.3", "平成 20 年 6 月 9 日", "20100401",
        "へいせい２８ねん５がつ３にち", "ﾍｲｾｲ28ﾈﾝ5ｶﾞﾂ3ﾆﾁ",
    ],
)
def test_birth_date_is_fully_masked(typed: str) -> None:
    assert redact(f"生年月日は{typed}です") == "生年月日は****-**-**です"


@pytest.mark.parametrize(
    "typed", ["しょうわ64ねん1がつ8にち", "へいせい31ねん5がつ1にち", "2010ねん2がつ30にち", "H31.5.1", "昭和64年1月8日"],
)
def test_birth_date_that_is_no_real_day_is_masked_all_the_same(typed: str) -> None:
    assert redact(f"生年月日は{typed}です") == "生年月日は****-**-**です"


def test_kana_birth_date_past_the_first_2000_characters_is_still_hidden() -> None:
    assert redact("あ" * 2100 + "へいせい28ねん5がつ3にち").endswith("あ****-**-**")


def test_phone_number_keeps_last_four_digits() -> None:
    assert redact("電話は090-1234-5678です") == "電話は***-****-5678です"


def test_full_width_phone_number_with_long_vowel_marks_keeps_last_four_digits() -> None:
    assert redact("電話は０９０ー１２３４ー５６７８です") == "電話は***-****-5678です"


def test_international_phone_number_keeps_last_four_digits() -> None:
    assert redact("電話は+81 90-1234-5678です") == "電話は***-****-5678です"


def test_every_personal_value_in_one_message_is_masked() -> None:
    text = "会員番号1234567890、生年月日は平成24年5月3日、メールはtaro@example.jp、電話は090-1234-5678です"
    assert redact(text) == "会員番号12******90、生年月日は****-**-**、メールはt***@example.jp、電話は***-****-5678です"


def test_member_number_past_the_first_2000_characters_is_still_hidden() -> None:
    text = "あ" * 2500 + "会員番号は1234567890です"
    assert redact(text).endswith("会員番号は**********です")


# --- passwords ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("typed", "masked"),
    [
        ("パスワードはabc12345です", "パスワードは●●●●です"),
        ("パスワードは「Hana2024!」です", "パスワードは「●●●●」です"),
        ("パスワード：hoge1234", "パスワード：●●●●"),
        ("PW: Secret99", "PW: ●●●●"),
        ("pw=abcd1234", "pw=●●●●"),
        ("ＰＷ：ａｂｃ１２３４", "ＰＷ：●●●●"),
        ("ﾊﾟｽﾜｰﾄﾞはqwer1234", "ﾊﾟｽﾜｰﾄﾞは●●●●"),
        ("暗証番号は4321です", "暗証番号は●●●●です"),
    ],
)
def test_typed_password_is_blanked(typed: str, masked: str) -> None:
    assert redact(typed) == masked


def test_password_only_is_blanked_and_the_rest_of_the_sentence_kept() -> None:
    assert redact("IDはtaro、パスワードはabc12345です。ログインできません") == "IDはtaro、パスワードは●●●●です。ログインできません"


def test_forgotten_password_message_is_unchanged() -> None:
    assert redact("パスワードを忘れました") == "パスワードを忘れました"


def test_question_about_password_length_is_unchanged() -> None:
    assert redact("パスワードは8文字以上必要ですか") == "パスワードは8文字以上必要ですか"


def test_password_reset_request_in_katakana_is_unchanged() -> None:
    assert redact("パスワードをリセットしたい") == "パスワードをリセットしたい"


def test_forgotten_password_message_in_english_letters_is_unchanged() -> None:
    assert redact("passwordを忘れました") == "passwordを忘れました"


def test_an_english_request_to_reset_the_password_is_unchanged() -> None:
    assert redact("password reset please") == "password reset please"


def test_a_word_that_starts_like_pass_is_not_a_keyword() -> None:
    assert redact("passportの番号は関係ありますか") == "passportの番号は関係ありますか"


def test_find_password_points_at_the_secret() -> None:
    match = find_password("パスワードはabc12345です")
    assert match is not None
    assert match.group("secret") == "abc12345"


def test_find_password_finds_nothing_in_a_question() -> None:
    assert find_password("パスワードを忘れました") is None


# --- already masked -----------------------------------------------------------------------

@pytest.mark.parametrize(
    "masked",
    [
        "会員番号は12******90です",
        "メールはt***@example.jpです",
        "生年月日は****-**-**です",
        "電話は***-****-5678です",
        "パスワードは●●●●です",
        "会員番号12******90、生年月日は****-**-**、メールはt***@example.jp、電話は***-****-5678です",
    ],
)
def test_already_masked_text_is_unchanged(masked: str) -> None:
    assert redact(masked) == masked


def test_text_without_personal_data_is_unchanged() -> None:
    assert redact("3回失敗しました。30分待てばいいですか？") == "3回失敗しました。30分待てばいいですか？"


def test_mask_value_of_a_member_number() -> None:
    assert mask_value("member_number", "1234567890") == "12******90"


def test_mask_value_of_a_birth_date() -> None:
    assert mask_value("birthdate", "2010-04-01") == "****-**-**"


# --- Rasa parse data ----------------------------------------------------------------------

def parse_data(intent: str) -> dict:
    """Rasa parse data for a message with a member number and an e-mail."""
    return {
        "text": "会員番号は1234567890、メールはtaro@example.jpです",
        "intent": {"name": intent, "confidence": 0.91},
        "entities": [
            {"entity": "member_number", "value": "1234567890", "start": 5, "end": 15,
             "extractor": "JapaneseEntityExtractor", "confidence_entity": 1.0},
            {"entity": "email", "value": "taro@example.jp", "start": 20, "end": 35,
             "extractor": "JapaneseEntityExtractor", "confidence_entity": 1.0},
        ],
        "intent_ranking": [{"name": intent, "confidence": 0.91}, {"name": "forgot_number", "confidence": 0.05}],
    }


def test_redact_mapping_masks_the_message_text() -> None:
    assert redact_mapping(parse_data("inform"))["text"] == "会員番号は12******90、メールはt***@example.jpです"


def test_redact_mapping_masks_entity_values() -> None:
    entities = redact_mapping(parse_data("inform"))["entities"]
    assert [e["value"] for e in entities] == ["12******90", "t***@example.jp"]


def test_redact_mapping_keeps_entity_offsets_and_extractor() -> None:
    entities = redact_mapping(parse_data("inform"))["entities"]
    assert [(e["start"], e["end"], e["extractor"]) for e in entities] == [
        (5, 15, "JapaneseEntityExtractor"), (20, 35, "JapaneseEntityExtractor"),
    ]


def test_redact_mapping_keeps_intent_confidences() -> None:
    redacted = redact_mapping(parse_data("inform"))
    assert redacted["intent"] == {"name": "inform", "confidence": 0.91}
    assert [r["confidence"] for r in redacted["intent_ranking"]] == [0.91, 0.05]


def test_redact_mapping_leaves_intent_names_without_password_alone() -> None:
    redacted = redact_mapping(parse_data("where_is_number"))
    assert [r["name"] for r in redacted["intent_ranking"]] == ["where_is_number", "forgot_number"]


def test_redact_mapping_leaves_the_forgot_password_intent_name_alone() -> None:
    redacted = redact_mapping(parse_data("forgot_password"))
    assert redacted["intent"]["name"] == "forgot_password"
    assert redacted["intent_ranking"][0]["name"] == "forgot_password"


def test_redact_mapping_does_not_change_its_input() -> None:
    data = parse_data("inform")
    before = copy.deepcopy(data)
    redact_mapping(data)
    assert data == before


def test_redact_mapping_masks_a_birth_date_entity_value() -> None:
    assert redact_mapping({"entity": "birthdate", "value": "2010-04-01"}) == {"entity": "birthdate", "value": "****-**-**"}


def test_redact_mapping_leaves_non_personal_entity_values_alone() -> None:
    assert redact_mapping({"entity": "service", "value": "sukusuku"}) == {"entity": "service", "value": "sukusuku"}


def test_redact_mapping_leaves_numbers_and_none_alone() -> None:
    assert redact_mapping({"confidence": 0.5, "start": 3, "slot": None, "ok": True}) == {
        "confidence": 0.5, "start": 3, "slot": None, "ok": True,
    }


def test_redact_mapping_masks_strings_inside_lists_and_tuples() -> None:
    assert redact_mapping(["090-1234-5678", ("1234567890",)]) == ["***-****-5678", ("12******90",)]
