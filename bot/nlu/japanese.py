"""Japanese word segmentation with fugashi + UniDic, with offsets into the original text."""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import List, Optional

import jaconv

from bot.nlu.normalize import Normalized, normalize

__all__ = ["Word", "segment", "segment_normalized", "tagger"]

# A run of katakana (with long-vowel marks): ﾁｶﾞｳ, ﾔｯﾊﾟﾔﾒﾙ after NFKC, or ログイン.
_KATAKANA_RUN = re.compile("[\u30a1-\u30fa][\u30a1-\u30fa\u30fc]+")
# Parts of speech a one-letter hiragana token may well be (を, は, た, ん); elsewhere it is a misread.
_ONE_LETTER_POS = ("助詞", "助動詞")

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


def _misread_cost(text: str) -> int:
    """How badly UniDic reads ``text``: one per word, more for unknown words and stray letters."""
    cost = 0
    for node in tagger()(text):
        cost += 1
        pos = getattr(node.feature, "pos1", None) or ""
        if node.is_unk or pos == "記号":
            cost += 2
        elif len(node.surface) == 1 and (node.char_type == 7 or pos not in _ONE_LETTER_POS):
            cost += 2  # a single katakana letter, or a single hiragana that is no particle
    return cost


def _analysis_text(text: str) -> str:
    """``text`` with katakana-typed native words in hiragana, which is what UniDic can read.

    Members who type in (half-width) katakana write native words that way too: ﾁｶﾞｳ, ﾔﾒﾙ,
    ﾜｽﾚﾀ. UniDic knows チガウ only as three letters, ちがう as a verb. A katakana run is read in
    hiragana when that reading is clearly better; loanwords (ログイン, スマホ) stay as they are.
    Same length, so offsets are unchanged.
    """

    def better_reading(match: "re.Match[str]") -> str:
        run = match.group(0)
        hiragana = jaconv.kata2hira(run)
        if len(hiragana) == len(run) and _misread_cost(hiragana) < _misread_cost(run):
            return hiragana
        return run

    return _KATAKANA_RUN.sub(better_reading, text)


def segment_normalized(norm: Normalized) -> List[Word]:
    """Tokens of already-normalized text; spans point into ``norm.original``."""
    text = norm.text
    if not text.strip():
        return []
    analysed = _analysis_text(text)
    words: List[Word] = []
    cursor = 0
    for node in tagger()(analysed):
        if not node.surface:
            continue
        found = analysed.find(node.surface, cursor)
        if found < 0:  # MeCab never rewrites surfaces, but never trust an offset blindly
            continue
        cursor = found + len(node.surface)
        surface = text[found:cursor]
        if not surface.strip():
            continue
        start, end = norm.span(found, cursor)
        pos = getattr(node.feature, "pos1", None) or "*"
        words.append(Word(surface, start, end, _lemma(node), pos, found, cursor, _reading(node)))
    return words


def segment(text: Optional[str]) -> List[Word]:
    """Normalize ``text`` and split it into words."""
    return segment_normalized(normalize(text or ""))
