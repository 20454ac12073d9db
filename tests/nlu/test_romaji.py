"""Japanese typed in romaji."""
from __future__ import annotations

import pytest

from bot.nlu.romaji import reads_as_romaji, romaji_to_kana


@pytest.mark.parametrize("romaji, kana", [
    ("bangou", "ばんごう"),
    ("konnichiwa", "こんにちわ"),
    ("minna", "みんな"),
    ("saihakkou", "さいはっこう"),
    ("tsukaenai", "つかえない"),
    ("kyanseru", "きゃんせる"),
    ("KAIIN", "かいいん"),
])
def test_romaji_word_becomes_hiragana(romaji: str, kana: str) -> None:
    assert romaji_to_kana(romaji) == kana


@pytest.mark.parametrize("word", ["please", "my", "ok", "we", "yes"])
def test_word_that_is_no_romaji_has_no_kana(word: str) -> None:
    assert romaji_to_kana(word) is None


def test_message_of_romaji_words_reads_as_romaji() -> None:
    assert reads_as_romaji(["kaiin", "bangou", "wo", "wasureta"])


def test_english_message_with_one_word_that_is_no_romaji_is_english() -> None:
    assert not reads_as_romaji(["I", "want", "to", "change", "my", "name"])


def test_message_of_two_letter_words_is_english() -> None:
    assert not reads_as_romaji(["no"])


def test_message_without_latin_words_is_no_romaji() -> None:
    assert not reads_as_romaji([])
