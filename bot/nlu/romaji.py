"""Japanese typed in romaji (kaiin bangou wasureta), read as kana so it meets the kana readings."""
from __future__ import annotations

import re
from typing import Iterable, Optional

import jaconv

__all__ = ["is_romaji_word", "reads_as_romaji", "romaji_to_kana"]

# A word made only of romaji syllables (kaiin, bangou, saihakkou, shitai): consonant(s) + vowel,
# syllabic n, or a doubled consonant for っ. please, my, ok are not.
_ROMAJI_WORD = re.compile(r"(?:(?:[kgsztdnhbpmrfvj]|sh|ch|ts|[kgnhbpmr]y|[sztdcj]y)?[aiueo]"
                          r"|y[auo]|w[ao]|n(?![aiueoy])|n'|([kgsztdhbpmrfcj])(?=\1)|t(?=ch))+")
# jaconv reads "nn" as ん and drops the second n (konnichiwa -> こんいちわ); "n'" keeps it.
_DOUBLE_N_BEFORE_VOWEL = re.compile(r"n(?=n[aiueoy])")
# Most English words of two letters are also romaji (no, to, do, go): a message counts as
# romaji only if one of its words is longer.
_MIN_LONGEST_WORD = 3


def is_romaji_word(word: str) -> bool:
    """Whether ``word`` (lower case) spells out as romaji syllables only."""
    return bool(_ROMAJI_WORD.fullmatch(word))


def reads_as_romaji(words: Iterable[str]) -> bool:
    """Whether the Latin-letter words of a message are Japanese in romaji rather than English.

    English almost always has a word that is no romaji (my, please, the); Japanese typed with the
    IME off has none. Per message, not per word, so "I want to change my name" keeps to, change
    and name as English.
    """
    latin = [word.lower() for word in words]
    return (bool(latin) and all(is_romaji_word(word) for word in latin)
            and max(map(len, latin)) >= _MIN_LONGEST_WORD)


def romaji_to_kana(word: str) -> Optional[str]:
    """``word`` in hiragana if it is romaji (bangou -> ばんごう, konnichiwa -> こんにちわ), else None."""
    word = word.lower()
    if not is_romaji_word(word):
        return None
    return jaconv.alphabet2kana(_DOUBLE_N_BEFORE_VOWEL.sub("n'", word))
