"""bot.nlu.polarity: a yes/no answer's polarity, composed from its words and their negations."""
from __future__ import annotations

import pytest

from bot.nlu.polarity import answer_polarity


@pytest.mark.parametrize("text", [
    "合ってます", "それで合っています", "同意します", "了解です", "ただしいです",
])
def test_a_yes_word_without_negation_is_yes(text):
    assert answer_polarity(text) is True


@pytest.mark.parametrize("text", [
    "違います", "それ、間違いです", "ダメです", "反対です", "いやです",
])
def test_a_no_word_without_negation_is_no(text):
    assert answer_polarity(text) is False


@pytest.mark.parametrize("text", [
    "間違ってないです", "間違いないです", "違わないです", "異存ありません", "異論はないです",
    "問題ありません", "構いません", "差し支えございません", "反対はしません",
])
def test_a_negated_no_word_is_yes(text):
    assert answer_polarity(text) is True


@pytest.mark.parametrize("text", [
    "合ってないよ", "正しくありません", "同意しません", "了承しかねます", "了解できない",
])
def test_a_negated_yes_word_is_no(text):
    assert answer_polarity(text) is False


def test_two_negations_cancel_out():
    assert answer_polarity("だめじゃなくないです") is False


def test_the_negation_reaches_through_a_noun_the_word_describes():
    assert answer_polarity("それは正しいアドレスじゃないです") is False
    assert answer_polarity("断る理由はないので、お願いします") is True


def test_a_negated_verb_of_saying_negates_what_is_said():
    assert answer_polarity("正しいとは言えないです") is False
    assert answer_polarity("間違ってるとは思いません") is True


def test_dialect_and_casual_negations_count():
    assert answer_polarity("それ合うてへんわ") is False
    assert answer_polarity("ええ、間違っとらんよ") is True
    assert answer_polarity("間違ってねーよ") is True


def test_half_width_katakana_is_read_as_words():
    assert answer_polarity("ﾁｶﾞｲﾏｾﾝ ｿﾉｱﾄﾞﾚｽﾃﾞｽ") is True


def test_a_clause_after_a_space_is_a_clause_of_its_own():
    assert answer_polarity("まちがってます そのあどれすじゃないです") is False


def test_interjections_answer_on_their_own():
    assert answer_polarity("はい") is True
    assert answer_polarity("いいえ、そのままにしておいてください") is False
    assert answer_polarity("うん、違ってないよ") is True


def test_words_that_disagree_settle_nothing():
    assert answer_polarity("いや、間違ってないです") is None
    assert answer_polarity("はい、違います") is None
    assert answer_polarity("了解です。でも、そのアドレスは間違いです") is None


def test_a_question_is_not_an_answer():
    assert answer_polarity("違いますか？") is None
    assert answer_polarity("間違ってないですか") is None


# 不要 / いらない / 結構 / 大丈夫 / いい take an object or depend on the question (修正は不要です
# is a yes), so they are left to the classifier.
@pytest.mark.parametrize("text", ["", "   ", "😀", "結構です", "大丈夫です", "いいです", "修正は不要です",
                                  "担当者がいないです", "not ok", "再発行してもらわないと困ります", "あ" * 10000])
def test_words_without_polarity_settle_nothing(text):
    assert answer_polarity(text) is None


@pytest.mark.parametrize("text", [
    "正しいかわかりません", "合ってるとは限りません", "正しいとは言い切れないです",
    "間違ってないか不安です", "違いがわかりません",
])
def test_a_polar_word_inside_another_predicate_settles_nothing(text):
    # the member is unsure; a false yes would reissue a number
    assert answer_polarity(text) is None


@pytest.mark.parametrize("text", ["名前以外は合ってます", "合ってるのは名前だけです", "違うとしか言えません"])
def test_a_restricted_answer_settles_nothing(text):
    assert answer_polarity(text) is None


@pytest.mark.parametrize("text", ["嫌じゃないけど今はいいです", "了解です。でも今回は再発行しなくていいです"])
def test_a_contrast_the_words_cannot_read_settles_nothing(text):
    assert answer_polarity(text) is None


def test_a_contrast_followed_by_a_polar_clause_is_read():
    assert answer_polarity("すみません、でも間違ってないです") is True


def test_a_clause_joined_by_a_conjunctive_particle_keeps_its_answer():
    assert answer_polarity("間違ってないので送ってください") is True


def test_words_whose_sense_depends_on_the_question_settle_the_whole_message_nothing():
    assert answer_polarity("問題ないので再発行は不要です") is None
    assert answer_polarity("違わないです、いりません") is None
