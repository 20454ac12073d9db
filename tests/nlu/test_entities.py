"""Member numbers, e-mails, birth dates and phone numbers in every notation members type."""
from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import pytest
import yaml

from bot.nlu.entities import extract_entities, extract_first

HELDOUT_ENTITIES = Path(__file__).with_name("heldout_entities.yml")


def found(text: str) -> List[Tuple[str, str]]:
    """(entity, value) pairs extracted from ``text``, in order."""
    return [(e.entity, e.value) for e in extract_entities(text)]


# --- member numbers -----------------------------------------------------------------------

def test_plain_member_number() -> None:
    assert found("会員番号は1234567890です") == [("member_number", "1234567890")]


def test_full_width_member_number() -> None:
    assert found("会員番号は１２３４５６７８９０です") == [("member_number", "1234567890")]


def test_member_number_with_hyphens() -> None:
    assert found("番号は1234-567-890です") == [("member_number", "1234567890")]


def test_member_number_with_full_width_hyphens() -> None:
    assert found("番号は１２３４－５６７－８９０です") == [("member_number", "1234567890")]


def test_member_number_with_spaces() -> None:
    assert found("シールには 5678 1234 90 と書いてあります") == [("member_number", "5678123490")]


def test_member_number_with_ideographic_spaces() -> None:
    assert found("会員番号　９１２　３４５　６７８") == [("member_number", "912345678")]


def test_member_number_in_kanji_digits() -> None:
    assert found("会員番号は三五七二四六八一九〇です") == [("member_number", "3572468190")]


def test_nine_digit_member_number() -> None:
    assert found("あおばカードの会員番号は987654321です") == [("member_number", "987654321")]


def test_ten_digit_member_number() -> None:
    assert found("2345678901") == [("member_number", "2345678901")]


def test_twelve_digit_member_number() -> None:
    assert found("お客様番号は123456789012です") == [("member_number", "123456789012")]


def test_seven_digits_are_no_member_number() -> None:
    assert found("番号は1234567です") == []


def test_thirteen_digits_are_no_member_number() -> None:
    assert found("番号は1234567890123です") == []


def test_extract_first_gives_the_member_number_value() -> None:
    assert extract_first("会員番号は１２３４－５６７－８９０です", "member_number") == "1234567890"


def test_extract_first_gives_none_when_the_type_is_absent() -> None:
    assert extract_first("会員番号は1234567890です", "email") is None


# --- e-mail -------------------------------------------------------------------------------

def test_plain_email() -> None:
    assert found("メールアドレスは hanako_k@mail.example です") == [("email", "hanako_k@mail.example")]


def test_full_width_email_becomes_ascii() -> None:
    assert found("ｍａｍａ．ｓｕｋｕｓｕｋｕ＠ｅｘａｍｐｌｅ．ｊｐ") == [("email", "mama.sukusuku@example.jp")]


def test_upper_case_email_becomes_lower_case() -> None:
    assert found("登録したのはTaro.Yamada@Example.JPです。") == [("email", "taro.yamada@example.jp")]


def test_full_width_upper_case_email_becomes_lower_case_ascii() -> None:
    assert found("メアドは ＫＥＮ２０１０＠ＭＡＩＬ．ＥＸＡＭＰＬＥ です") == [("email", "ken2010@mail.example")]


def test_email_followed_by_japanese_without_space() -> None:
    assert found("登録メールはaoi.t@mail.exampleだったはず") == [("email", "aoi.t@mail.example")]


def test_at_sign_alone_is_no_email() -> None:
    assert found("＠マークが入力できません") == []


# --- birth dates --------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("typed", "iso"),
    [
        ("2010年4月1日", "2010-04-01"),
        ("2010/4/1", "2010-04-01"),
        ("２０１０年４月１日", "2010-04-01"),
        ("H22.4.1", "2010-04-01"),
        ("平成22年4月1日", "2010-04-01"),
        ("平成元年1月8日", "1989-01-08"),
        ("令和元年5月1日", "2019-05-01"),
        ("昭和64年1月7日", "1989-01-07"),
        ("平成二十二年四月一日", "2010-04-01"),
        ("二〇一〇年四月一日", "2010-04-01"),
        ("2013-11-22", "2013-11-22"),
        ("S60.3.3", "1985-03-03"),
        ("1999年の12月3日", "1999-12-03"),
        ("平成11年の12月3日", "1999-12-03"),
        ("へいせい２８ねん５がつ３にち", "2016-05-03"),
        ("ﾍｲｾｲ28ﾈﾝ5ｶﾞﾂ3ﾆﾁ", "2016-05-03"),
        ("れいわがんねん5がつ1にち", "2019-05-01"),
        ("2010ねん4がつ1にち", "2010-04-01"),
    ],
)
def test_birth_date_becomes_an_iso_date(typed: str, iso: str) -> None:
    assert found(f"生年月日は{typed}です") == [("birthdate", iso)]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("seinengappi wa heisei 23 nen 12 gatsu 24 nichi desu", "2011-12-24"),
        ("Reiwa gannen 5 gatsu 1 nichi", "2019-05-01"),
        ("reiwa gANnen 5 gatsu 1 nichi", "2019-05-01"),
        ("1985nen 3gatsu 14nichi", "1985-03-14"),
        ("My date of birth is March 14, 1985.", "1985-03-14"),
        ("born on 14 March 1985", "1985-03-14"),
        ("the 3rd of Feb, 2001", "2001-02-03"),
        ("Sept. 9th 1999", "1999-09-09"),
        ("生年月日はDec 24 2011です", "2011-12-24"),
    ],
)
def test_birth_date_in_romaji_or_english_becomes_an_iso_date(text: str, iso: str) -> None:
    assert found(text) == [("birthdate", iso)]


def test_english_date_that_does_not_exist_gives_no_entity() -> None:
    assert found("February 30, 2001") == []


@pytest.mark.parametrize("text", ["I may 12 2000 go", "charged on May 12 2000 yen", "June 5 1500 points",
                                  "the 3rd of May 0999"])
def test_english_text_that_only_looks_like_a_date_gives_no_birth_date(text: str) -> None:
    assert "birthdate" not in [entity for entity, _ in found(text)]


def test_a_month_name_without_a_year_is_no_date() -> None:
    assert found("I forgot my number in May 2020 and on March 3") == []


@pytest.mark.parametrize(
    "typed",
    ["昭和64年1月8日", "平成31年5月1日", "2月30日", "2010年2月30日", "平成元年1月7日", "2011年2月29日",
     "しょうわ64ねん1がつ8にち"],
    ids=["showa-64-jan-8-is-heisei", "heisei-31-may-1-is-reiwa", "feb-30-no-year", "feb-30",
         "heisei-1-jan-7-is-showa", "feb-29-not-leap-year", "kana-showa-64-jan-8-is-heisei"],
)
def test_date_that_does_not_exist_gives_no_entity(typed: str) -> None:
    assert found(f"生年月日は{typed}です") == []


def test_digits_of_an_impossible_date_are_not_read_as_a_number() -> None:
    assert found("20100230") == []


def test_leap_day_in_a_leap_year_is_a_birth_date() -> None:
    assert found("平成24年2月29日生まれ") == [("birthdate", "2012-02-29")]


# --- phone numbers ------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("090-1234-5678", "09012345678"),
        ("０９０ー１２３４ー５６７８", "09012345678"),
        ("(06)6123-4567", "0661234567"),
        ("+81 90-1234-5678", "09012345678"),
        ("03-5555-0123", "0355550123"),
        ("080(2222)3333", "08022223333"),
        ("〇九〇一二三四五六七八", "09012345678"),
        ("０７０の５５６６の７７８８", "07055667788"),
    ],
)
def test_phone_number_becomes_ascii_digits(typed: str, digits: str) -> None:
    assert found(f"電話は{typed}です") == [("phone_number", digits)]


def test_postal_code_is_no_phone_number() -> None:
    assert found("〒060-0001") == []


def test_postal_code_in_an_address_gives_nothing() -> None:
    assert found("新しい住所は〒060-0001 北海道さくら市中央1-2-3です") == []


def test_small_numbers_are_no_entities() -> None:
    assert found("3回失敗して、30分待ってから9時にまたやりました") == []


# --- several entities and offsets ---------------------------------------------------------

def test_several_entities_come_in_text_order() -> None:
    text = "会員番号1234567890、生年月日は2012年5月3日、メールはtaro@example.jp、電話は090-1234-5678です"
    assert found(text) == [
        ("member_number", "1234567890"),
        ("birthdate", "2012-05-03"),
        ("email", "taro@example.jp"),
        ("phone_number", "09012345678"),
    ]


def test_date_before_a_number_comes_first() -> None:
    text = "孫（令和2年6月6日生まれ）の会員番号は2020060600です"
    assert found(text) == [("birthdate", "2020-06-06"), ("member_number", "2020060600")]


@pytest.mark.parametrize(
    ("text", "typed"),
    [
        ("会員番号は１２３４－５６７－８９０です", "１２３４－５６７－８９０"),
        ("ﾒｰﾙはｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐです", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"),
        ("ﾀﾌﾞﾚｯﾄの生年月日は平成二十二年四月一日です", "平成二十二年四月一日"),
        ("ﾃﾞﾝﾜは（06）6123-4567です", "（06）6123-4567"),
        ("番号\u200bは1234\u200b567890です", "1234\u200b567890"),
    ],
    ids=["full-width-number", "full-width-email", "kanji-date", "bracketed-phone", "zero-width-space"],
)
def test_entity_span_slices_exactly_what_was_typed(text: str, typed: str) -> None:
    (entity,) = extract_entities(text)
    assert (entity.start, entity.end) == (text.index(typed), text.index(typed) + len(typed))
    assert text[entity.start:entity.end] == entity.text == typed


def test_spans_of_several_entities_each_slice_the_original_text() -> None:
    text = "ｍａｍａ＠ｅｘａｍｐｌｅ．ｊｐ、平成25年3月10日、080-1111-2222です"
    assert [text[e.start:e.end] for e in extract_entities(text)] == [
        "ｍａｍａ＠ｅｘａｍｐｌｅ．ｊｐ", "平成25年3月10日", "080-1111-2222",
    ]


def test_entity_converts_to_a_rasa_entity_dict() -> None:
    (entity,) = extract_entities("会員番号は1234567890です")
    assert entity.as_rasa("JapaneseEntityExtractor") == {
        "entity": "member_number", "value": "1234567890", "start": 5, "end": 15,
        "extractor": "JapaneseEntityExtractor", "confidence_entity": 1.0,
    }


# --- held-out set -------------------------------------------------------------------------

def _heldout_cases() -> List["pytest.ParameterSet"]:
    cases = yaml.safe_load(HELDOUT_ENTITIES.read_text(encoding="utf-8"))
    return [
        pytest.param(case["text"], [(e["entity"], e["value"]) for e in case["entities"]],
                     id=f"{number:03d}-{'+'.join(e['entity'] for e in case['entities']) or 'none'}",
                     marks=[pytest.mark.xfail(strict=True, reason=case["known_miss"])]
                     if case.get("known_miss") else [])
        for number, case in enumerate(cases, start=1)
    ]


@pytest.mark.parametrize(("text", "expected"), _heldout_cases())
def test_heldout_case_gives_exactly_the_expected_entities(text: str, expected: List[Tuple[str, str]]) -> None:
    assert found(text) == expected


def test_heldout_set_is_not_empty() -> None:
    assert len(_heldout_cases()) >= 90
