"""Telling "I don't know it" apart from a value or a plain no, in what a member types at a form's question."""
from __future__ import annotations

import pytest

from bot.conversation.factors import asks_about, names_factor, not_known_factor, says_not_known


@pytest.mark.parametrize("text", [
    "わかりません",
    "登録したメールアドレスが分かりません",
    "メアド覚えてないです",
    "どのメールで登録したか忘れちゃった",
    "生年月日は分からん",
    "ちょっとわかんない",
    "思い出せない",
    "記憶にないです",
    "存じません",
    "わかりかねます",
    "不明です",
    "ﾜｶﾘﾏｾﾝ",
    "ﾒｱﾄﾞ ﾜｽﾚﾀ",
    "wakarimasen",
    "I don't remember my email",
    "no idea",
])
def test_not_knowing_is_recognized_in_every_spelling(text):
    assert says_not_known(text)


@pytest.mark.parametrize("text", [
    "わかりました",
    "覚えてます",
    "いいえ",
    "ｲｲｴ",
    "taro@example.jp",
    "平成23年12月24日",
    "メールが届かない",
    "I know it",
    "忘れずに確認します",
    "不明なエラーが出ました",
    "",
    "   ",
])
def test_values_answers_and_other_negations_are_not_taken_for_not_knowing(text):
    assert not says_not_known(text)


def test_the_factor_is_recognized_by_the_words_members_use_for_it():
    assert names_factor("ﾒｱﾄﾞ忘れた", "email")
    assert names_factor("誕生日がわからない", "birthdate")
    assert names_factor("携帯の番号は覚えてない", "phone_number")


def test_another_factor_is_not_taken_for_the_one_asked():
    assert not names_factor("誕生日がわからない", "email")
    assert not names_factor("会員番号がわからない", "phone_number")


@pytest.mark.parametrize("text", [
    "生年月日って、子どもの誕生日ですか？それとも親の私のですか？",
    "誕生日は親のでいいの",
    "メールアドレスって、ログインに使ってるやつですか",
])
def test_a_question_about_the_factor_is_recognized(text):
    slot = "email" if "メール" in text else "birthdate"
    assert asks_about(text, slot)


def test_a_question_about_something_else_is_not_taken_for_one_about_the_factor():
    assert not asks_about("電話番号でもいいですか？", "email")
    assert not asks_about("誕生日は2011年12月24日です", "birthdate")


def test_not_knowing_another_thing_is_not_taken_for_the_factor():
    assert not_known_factor("パスワードが分からない", "email") is None


def test_the_factor_the_member_names_is_the_one_not_known():
    assert not_known_factor("メアド覚えてないです", "birthdate") == "email"
    assert not_known_factor("わかりません", "birthdate") == "birthdate"


@pytest.mark.parametrize("text", ["意味がわかりません", "和暦か西暦か分からない", "生年月日は子どものか分かりません"])
def test_not_understanding_the_question_is_a_question_not_a_not_knowing(text):
    assert asks_about(text, "birthdate")
    assert not_known_factor(text, "birthdate") is None


def test_latin_factor_words_must_stand_alone():
    assert not names_factor("iPhoneが壊れた", "phone_number")
    assert names_factor("my phone number", "phone_number")
