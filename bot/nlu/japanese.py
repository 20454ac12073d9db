"""Japanese word segmentation with fugashi + UniDic, with offsets into the original text."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import List, Optional

import jaconv

from bot.nlu.normalize import Normalized, normalize

__all__ = ["Word", "segment", "segment_normalized", "tagger"]

_lock = threading.Lock()
_tagger = None


@dataclass(frozen=True)
class Word:
    """One token: normalized surface, [start, end) in the ORIGINAL text, dictionary form, POS, reading."""

    text: str
    start: int
    end: int
    lemma: str
    pos: str
    norm_start: int
    norm_end: int
    reading: str


def tagger():
    """The shared fugashi tagger on unidic-lite (loading the dictionary takes ~0.1 s, once)."""
    global _tagger
    if _tagger is None:
        with _lock:
            if _tagger is None:
                import fugashi
                import unidic_lite

                _tagger = fugashi.Tagger(f'-d "{unidic_lite.DICDIR}"')
    return _tagger


def _lemma(word) -> str:
    feature = word.feature
    # orthBase is the dictionary form in its usual spelling (忘れちゃっ -> 忘れる, ログイン stays);
    # UniDic's lemma field adds English glosses to loanwords (ログイン-login), so it comes second.
    for candidate in (getattr(feature, "orthBase", None), getattr(feature, "lemma", None)):
        if candidate and candidate != "*":
            return candidate.split("-")[0] if "-" in candidate and not candidate.startswith("-") else candidate
    return word.surface


def _reading(word) -> str:
    """The word as it is pronounced, in katakana: 会員 -> カイイン, かいいん -> カイイン.

    UniDic's ``kana`` field is the reading as written (は -> ハ, 番号 -> バンゴウ), which is how
    members type a word in kana. Words UniDic does not know have no reading: their surface is
    used, with hiragana turned into katakana so both scripts meet.
    """
    kana = getattr(word.feature, "kana", None)
    if not kana or kana == "*":
        kana = word.surface
    return jaconv.hira2kata(kana).lower()


def segment_normalized(norm: Normalized) -> List[Word]:
    """Tokens of already-normalized text; spans point into ``norm.original``."""
    text = norm.text
    if not text.strip():
        return []
    words: List[Word] = []
    cursor = 0
    for node in tagger()(text):
        surface = node.surface
        if not surface:
            continue
        found = text.find(surface, cursor)
        if found < 0:  # MeCab never rewrites surfaces, but never trust an offset blindly
            continue
        cursor = found + len(surface)
        if not surface.strip():
            continue
        start, end = norm.span(found, cursor)
        pos = getattr(node.feature, "pos1", None) or "*"
        words.append(Word(surface, start, end, _lemma(node), pos, found, cursor, _reading(node)))
    return words


def segment(text: Optional[str]) -> List[Word]:
    """Normalize ``text`` and split it into words."""
    return segment_normalized(normalize(text or ""))
