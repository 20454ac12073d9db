"""Emoji read as their Japanese names."""
from __future__ import annotations

from bot.nlu.emoji_names import emoji_names


def test_emoji_has_its_japanese_name() -> None:
    assert emoji_names("❌") == ("バツ",)


def test_every_emoji_in_a_run_is_named_in_order() -> None:
    assert emoji_names("👋🚪") == ("手を振る", "ドア")


def test_person_emoji_is_named_by_what_the_person_does() -> None:
    assert emoji_names("🙇") == ("おじぎする",)


def test_person_described_with_no_is_named_without_the_dangling_no() -> None:
    assert emoji_names("👱") == ("金髪",)


def test_a_noun_ending_in_person_keeps_it() -> None:
    assert emoji_names("🧑") == ("大人",)


def test_gender_sign_left_from_a_joined_sequence_has_no_name() -> None:
    assert emoji_names("♀") == ()


def test_skin_tone_does_not_change_the_name() -> None:
    assert emoji_names("👍🏽") == emoji_names("👍")


def test_text_without_emoji_has_no_names() -> None:
    assert emoji_names("ありがとう") == ()
