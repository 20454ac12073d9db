"""Japanese word segmentation and the Rasa components built on it."""
from __future__ import annotations

import unicodedata
from typing import List

import pytest
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.extractor import JapaneseEntityExtractor
from bot.nlu.japanese import segment
from bot.nlu.normalize import normalize_text
from bot.nlu.tokenizer import JapaneseTokenizer

SENTENCES = [
    "パスワードを忘れちゃった",
    "ﾛｸﾞｲﾝできません！",
    "会員番号は１２３４５６７８９０です",
    "メールが届かない　どうすれば？",
    "ｍａｍａ．ｓｕｋｕｓｕｋｕ＠ｅｘａｍｐｌｅ．ｊｐに登録しました",
    "  タブレットの裏に\tシールがあるって聞いたんですけど  ",
    "番号\u200bわすれた😥",
    "ｲｲｴ ﾁｶﾞｲﾏｽ ﾔｯﾊﾟﾔﾒﾙ",
]


def rasa_tokens(text: str) -> List[Token]:
    """Tokens the Rasa tokenizer component puts on a message with ``text``."""
    tokenizer = JapaneseTokenizer(JapaneseTokenizer.get_default_config())
    message = Message(data={"text": text})
    tokenizer.process([message])
    return message.get("text_tokens")


@pytest.mark.parametrize("text", SENTENCES)
def test_each_word_is_the_nfkc_form_of_its_original_slice(text: str) -> None:
    words = segment(text)
    assert words
    for word in words:
        assert unicodedata.normalize("NFKC", text[word.start:word.end]) == word.text


def test_kanji_digit_word_is_the_normalized_form_of_its_original_slice() -> None:
    text = "会員番号は三五七二四六八一九〇です"
    number = next(w for w in segment(text) if w.text.isdigit())
    assert text[number.start:number.end] == "三五七二四六八一九〇"
    assert normalize_text(text[number.start:number.end]) == number.text


@pytest.mark.parametrize("text", SENTENCES)
def test_words_come_in_text_order_without_overlap(text: str) -> None:
    words = segment(text)
    for left, right in zip(words, words[1:]):
        assert left.end <= right.start


def test_half_width_katakana_word_points_at_the_half_width_original() -> None:
    text = "ﾛｸﾞｲﾝできません"
    words = segment(text)
    assert "".join(w.text for w in words[:2]) == "ログイン"
    assert text[words[0].start:words[1].end] == "ﾛｸﾞｲﾝ"


def test_native_word_typed_in_half_width_katakana_gets_its_dictionary_form() -> None:
    assert [(w.text, w.lemma) for w in segment("ﾁｶﾞｳ")] == [("チガウ", "ちがう")]


def test_katakana_typed_words_are_split_like_their_hiragana_spelling() -> None:
    assert [w.lemma for w in segment("ﾔｯﾊﾟﾔﾒﾙ")] == ["やっぱ", "やめる"]


def test_katakana_typed_word_points_at_the_half_width_original() -> None:
    text = "いや ﾔﾒﾙ"
    word = segment(text)[-1]
    assert (word.lemma, text[word.start:word.end]) == ("やめる", "ﾔﾒﾙ")


def test_loanword_and_particle_typed_in_katakana_keep_the_loanword() -> None:
    assert [w.lemma for w in segment("ﾒｰﾙｶﾞ")] == ["メール", "が"]


def test_unknown_loanword_is_not_split_into_hiragana_nouns() -> None:
    assert [w.lemma for w in segment("ガラケー")] == ["ガラケー"]


@pytest.mark.parametrize("loanword", ["スマホ", "ボット", "ログイン", "ﾊﾟｽﾜｰﾄﾞ"])
def test_loanword_in_katakana_keeps_its_katakana_form(loanword: str) -> None:
    assert "".join(w.lemma for w in segment(loanword)) == normalize_text(loanword)


def test_lemma_of_casual_past_tense_is_the_dictionary_form() -> None:
    assert "忘れる" in [w.lemma for w in segment("忘れちゃった")]


def test_lemma_of_polite_negative_is_the_dictionary_form() -> None:
    assert "届く" in [w.lemma for w in segment("メールが届きません")]


def test_every_word_has_a_part_of_speech() -> None:
    words = segment("パスワードを忘れちゃった")
    assert all(w.pos and w.pos != "*" for w in words)


def test_verb_is_tagged_as_a_verb() -> None:
    forgot = next(w for w in segment("パスワードを忘れちゃった") if w.lemma == "忘れる")
    assert forgot.pos == "動詞"


def test_empty_text_has_no_words() -> None:
    assert segment("") == []


def test_none_has_no_words() -> None:
    assert segment(None) == []


def test_tokenizer_default_config_keeps_intent_names_whole() -> None:
    config = JapaneseTokenizer.get_default_config()
    assert config["intent_tokenization_flag"] is False
    assert config["intent_split_symbol"] == "_"


def test_tokenizer_is_for_japanese_only() -> None:
    assert JapaneseTokenizer.supported_languages() == ["ja"]


@pytest.mark.parametrize("text", SENTENCES)
def test_rasa_token_offsets_point_into_the_original_text(text: str) -> None:
    tokens = rasa_tokens(text)
    assert tokens
    for token in tokens:
        original = unicodedata.normalize("NFKC", text[token.start:token.end])
        assert original.lower() == token.text


def test_rasa_tokens_of_half_width_login_span_the_half_width_characters() -> None:
    tokens = rasa_tokens("ﾛｸﾞｲﾝできません")
    assert [(t.text, t.start, t.end) for t in tokens[:2]] == [("ログ", 0, 3), ("イン", 3, 5)]


def test_rasa_tokens_are_lower_case() -> None:
    tokens = rasa_tokens("ＩＤとPasswordを忘れた")
    assert "id" in [t.text for t in tokens]
    assert "password" in [t.text for t in tokens]


def test_rasa_tokens_carry_the_dictionary_form_as_lemma() -> None:
    tokens = rasa_tokens("パスワードを忘れちゃった")
    assert "忘れる" in [t.lemma for t in tokens]


def test_rasa_tokens_carry_the_part_of_speech() -> None:
    tokens = rasa_tokens("パスワードを忘れちゃった")
    assert all(t.get("pos") for t in tokens)


def test_rasa_tokenizer_gives_no_tokens_for_an_empty_message() -> None:
    assert rasa_tokens("") == []


def test_entity_extractor_adds_entities_under_its_own_name() -> None:
    extractor = JapaneseEntityExtractor(JapaneseEntityExtractor.get_default_config())
    message = Message(data={"text": "会員番号は１２３４５６７８９０です"})
    extractor.process([message])
    assert message.get("entities") == [{
        "entity": "member_number", "value": "1234567890", "start": 5, "end": 15,
        "extractor": "JapaneseEntityExtractor", "confidence_entity": 1.0,
    }]


def test_entity_extractor_keeps_entities_found_earlier_in_the_pipeline() -> None:
    extractor = JapaneseEntityExtractor(JapaneseEntityExtractor.get_default_config())
    earlier = {"entity": "service", "value": "sukusuku", "start": 0, "end": 6, "extractor": "RegexEntityExtractor"}
    message = Message(data={"text": "すくすくゼミの会員番号は1234567890です", "entities": [earlier]})
    extractor.process([message])
    assert [e["extractor"] for e in message.get("entities")] == ["RegexEntityExtractor", "JapaneseEntityExtractor"]


def test_entity_extractor_with_dimensions_adds_only_those_types() -> None:
    extractor = JapaneseEntityExtractor({"dimensions": ["email"]})
    message = Message(data={"text": "会員番号は1234567890、メールはtaro@example.jpです"})
    extractor.process([message])
    assert [(e["entity"], e["value"]) for e in message.get("entities")] == [("email", "taro@example.jp")]


def test_entity_extractor_adds_nothing_to_a_message_without_entities() -> None:
    extractor = JapaneseEntityExtractor(JapaneseEntityExtractor.get_default_config())
    message = Message(data={"text": "パスワードを忘れました"})
    extractor.process([message])
    assert not message.get("entities")


def readings(text: str) -> str:
    """The katakana readings of ``text``'s words, run together."""
    return "".join(word.reading for word in segment(text))


def test_reading_of_a_kanji_word_is_its_katakana_pronunciation() -> None:
    assert [word.reading for word in segment("会員番号")] == ["カイイン", "バンゴウ"]


def test_hiragana_spelling_reads_like_the_kanji_spelling() -> None:
    assert readings("かいいんばんごう") == readings("会員番号")


def test_half_width_katakana_reads_like_the_kanji_spelling() -> None:
    assert readings("ｶｲｲﾝﾊﾞﾝｺﾞｳ") == readings("会員番号")


def test_reading_of_latin_letters_is_the_lower_case_word() -> None:
    assert [word.reading for word in segment("Web-ID")] == ["web", "-", "id"]


def test_rasa_tokens_carry_the_katakana_reading() -> None:
    assert [t.get("reading") for t in rasa_tokens("忘れた")] == ["ワスレ", "タ"]


@pytest.mark.parametrize("romaji, japanese", [
    ("kaiin bangou", "会員番号"),
    ("ｗａｓｕｒｅｔａ", "忘れた"),
    ("saihakkou", "再発行"),
    ("annai", "案内"),
])
def test_romaji_reads_like_the_japanese_spelling(romaji: str, japanese: str) -> None:
    assert readings(romaji) == readings(japanese)


@pytest.mark.parametrize("english", ["please", "my", "ok", "unlock", "no"])
def test_english_word_keeps_its_letters(english: str) -> None:
    assert readings(english) == english


def test_english_message_keeps_words_that_could_be_romaji_in_letters() -> None:
    assert [word.reading for word in segment("I want to change my name")] == [
        "i", "want", "to", "change", "my", "name"]


def test_emoji_takes_its_japanese_name_as_lemma() -> None:
    assert segment("🙅")[0].lemma.split() == ["ダメ", "の", "ポーズ", "を", "する"]


def test_emoji_reads_like_its_japanese_name() -> None:
    assert readings("🆗") == readings("OKマーク")


def test_emoji_word_still_points_at_the_emoji() -> None:
    text = "了解です👌"
    emoji_word = segment(text)[-1]
    assert (emoji_word.text, text[emoji_word.start:emoji_word.end]) == ("👌", "👌")


def test_each_emoji_in_a_run_is_named() -> None:
    assert segment("👍👍")[0].lemma.split() == ["サムズ", "アップ", "サムズ", "アップ"]


def test_joined_person_emoji_is_named_without_its_gender() -> None:
    lemmas = [word.lemma for word in segment("🙇\u200d♀️")]
    assert lemmas[0].endswith("じぎ する") and not any("女性" in lemma for lemma in lemmas)


def test_keycap_emoji_is_its_digit() -> None:
    assert [word.text for word in segment("1️⃣")] == ["1"]


def test_emoji_style_selector_is_no_word_of_its_own() -> None:
    assert [word.text for word in segment("⭕️")] == ["⭕"]


def test_symbol_without_an_emoji_name_keeps_its_surface() -> None:
    assert segment("→")[0].lemma == "→"


def test_rasa_token_of_an_emoji_carries_its_name_as_lemma() -> None:
    token = rasa_tokens("はい👌")[-1]
    assert (token.text, token.lemma) == ("👌", "ok の 手")


def test_english_words_take_their_stem_as_lemma() -> None:
    assert [word.lemma for word in segment("Thanks for withdrawing")] == ["thank", "for", "withdraw"]


def test_romaji_words_keep_their_letters_and_add_the_dictionary_forms_of_their_kana() -> None:
    assert [word.lemma for word in segment("yamete kudasai")] == ["yamete やめる て", "kudasai くださる"]


def test_romaji_verb_meets_the_same_verb_typed_in_hiragana() -> None:
    romaji = [lemma for word in segment("todokanai") for lemma in word.lemma.split()]
    assert romaji[1:] == [word.lemma for word in segment("とどかない")]


@pytest.mark.parametrize("loanword_or_compound", ["pasuwaado", "kaiin", "saihakkou"])
def test_romaji_that_hiragana_would_split_into_nonsense_keeps_only_its_letters(loanword_or_compound: str) -> None:
    assert segment(f"{loanword_or_compound} ga dekinai")[0].lemma == loanword_or_compound


def test_romaji_word_keeps_its_letters_and_offsets() -> None:
    word = segment("meeru ga todokanai")[2]
    assert (word.text, word.start, word.end) == ("todokanai", 9, 18)


def test_japanese_word_keeps_its_dictionary_form_next_to_english() -> None:
    assert [word.lemma for word in segment("loginできなかった")][1] == "できる"
