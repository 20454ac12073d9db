"""Japanese word segmentation with fugashi + UniDic, with offsets into the original text."""
from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass, replace
from typing import List, Optional, Tuple

import jaconv
import snowballstemmer

from bot.nlu.emoji_names import emoji_names
from bot.nlu.normalize import KATAKANA_LETTERS, Normalized, normalize
from bot.nlu.romaji import reads_as_romaji, romaji_to_kana

__all__ = ["Word", "segment", "segment_normalized", "tagger"]

# A run of katakana (with long-vowel marks): ﾁｶﾞｳ, ﾔｯﾊﾟﾔﾒﾙ after NFKC, or ログイン.
_KATAKANA_RUN = re.compile(f"[{KATAKANA_LETTERS}][{KATAKANA_LETTERS}ー]+")
# Parts of speech a one-letter hiragana token may well be (を, は, た, ん, こ of 来ない); elsewhere
# it is a misread.
_ONE_LETTER_POS = ("助詞", "助動詞", "動詞")
# A katakana run read in hiragana must contain one of these to count as native words.
_NATIVE_POS = ("動詞", "形容詞", "助動詞", "助詞", "感動詞")
_MAX_RUN = 24
# A word in ASCII letters only: English (its stem is its dictionary form) or romaji.
_LATIN_WORD = re.compile("[A-Za-z]+")

_lock = threading.Lock()
_tagger = None
_stemmer = snowballstemmer.stemmer("english")
_stemmer_lock = threading.Lock()


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


@functools.lru_cache(maxsize=4096)
def _english_stem(word: str) -> str:
    with _stemmer_lock:  # a Snowball stemmer keeps state while it stems
        return _stemmer.stemWord(word)


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
    return _katakana(kana)


def _katakana(kana: str) -> str:
    """Readings are compared in lower-case katakana (Latin letters left in them included)."""
    return jaconv.hira2kata(kana).lower()


@functools.lru_cache(maxsize=4096)
def _name_words(name: str) -> Tuple[str, str]:
    """Dictionary forms (space-separated) and katakana reading of Japanese text that stands for
    a token: an emoji's name, a romaji word's kana."""
    words = _tagged_words(normalize(name))  # not segment(): never read as emoji or romaji again
    return " ".join(word.lemma.lower() for word in words), "".join(word.reading for word in words)


@dataclass(frozen=True)
class _Reading:
    """What UniDic made of one word (copied: fugashi nodes go stale on the tagger's next call)."""

    start: int
    surface: str
    pos: str
    unknown: bool
    katakana: bool


def _readings(text: str) -> List[_Reading]:
    out, cursor = [], 0
    for node in tagger()(text):
        pos = getattr(node.feature, "pos1", None) or ""
        out.append(_Reading(cursor, node.surface, pos, bool(node.is_unk), node.char_type == 7))
        cursor += len(node.surface)
    return out


def _misread_cost(readings: List[_Reading]) -> int:
    """How badly UniDic read a text: one per word, more for unknown words and stray letters."""
    cost = 0
    for reading in readings:
        cost += 1
        if reading.unknown or reading.pos == "記号":
            cost += 2
        elif len(reading.surface) == 1 and (reading.katakana or reading.pos not in _ONE_LETTER_POS):
            cost += 2  # a single katakana letter, or a single hiragana that is no particle
        elif "ー" in reading.surface and not reading.katakana:
            cost += 1  # めーる: a long-vowel mark in hiragana is a loanword spelled the wrong way
    return cost


@functools.lru_cache(maxsize=4096)
def _best_spelling(run: str) -> str:
    """``run`` as typed, or with its tail from some letter on in hiragana, whichever reads best.

    The hiragana tail must read as known native words with at least one verb, adjective,
    auxiliary, particle or interjection (ﾁｶﾞｳ -> ちがう, ﾒｰﾙｶﾞ -> メールが); a tail that only
    splits into nouns is more likely an unknown loanword (ガラケー, スマホ) and stays. Among
    equally good readings the one with more hiragana wins (やめる, not ヤメる).
    """
    best, best_cost = run, _misread_cost(_readings(run))
    for keep in range(len(run)):
        tail = jaconv.kata2hira(run[keep:])
        if tail == run[keep:] or len(tail) != len(run) - keep:
            continue
        readings = _readings(run[:keep] + tail)
        in_tail = [r for r in readings if r.start + len(r.surface) > keep]
        if any(r.unknown or r.pos == "記号" for r in in_tail):
            continue
        if not any(r.pos in _NATIVE_POS for r in in_tail):
            continue
        cost = _misread_cost(readings)
        if cost < best_cost:
            best, best_cost = run[:keep] + tail, cost
    return best


def _analysis_text(text: str) -> str:
    """``text`` with katakana-typed native words in hiragana, which is what UniDic can read.

    Members who type in (half-width) katakana write native words that way too: ﾁｶﾞｳ, ﾔﾒﾙ,
    ﾒｰﾙｶﾞｺﾅｲ. UniDic knows チガウ only as three letters, ちがう as a verb. Same length, so
    offsets are unchanged. Runs longer than ``_MAX_RUN`` letters (a pasted wall of katakana)
    are left alone: every split point costs one more analysis.
    """
    return _KATAKANA_RUN.sub(
        lambda m: _best_spelling(m.group(0)) if len(m.group(0)) <= _MAX_RUN else m.group(0), text)


def segment_normalized(norm: Normalized) -> List[Word]:
    """Tokens of already-normalized text; spans point into ``norm.original``."""
    # After tagging: reading a name runs the tagger again, which would spoil its nodes.
    return [_read_emoji(word) for word in _read_latin(_tagged_words(norm))]


def _tagged_words(norm: Normalized) -> List[Word]:
    """UniDic's words of normalized text, with lemma, part of speech and reading."""
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


def _read_latin(words: List[Word]) -> List[Word]:
    """Words in Latin letters read as romaji (kaiin -> カイイン) or stemmed as English (thanks -> thank).

    UniDic knows neither. Whether a message is romaji is decided for the whole message (see
    ``reads_as_romaji``): to, no and made are English in one message and と, の, まで in another.
    """
    is_latin = [_LATIN_WORD.fullmatch(word.text) is not None for word in words]
    if not any(is_latin):
        return words
    romaji = reads_as_romaji(word.text for word, latin in zip(words, is_latin) if latin)
    read = _read_romaji if romaji else _read_english
    return [read(word) if latin else word for word, latin in zip(words, is_latin)]


def _read_romaji(word: Word) -> Word:
    """``word`` read through its kana: lemma the word plus the kana's dictionary forms
    (todokanai -> todokanai とどく ない), reading UniDic's for that kana (トドカナイ; meeru ->
    メール, as UniDic hears めえる).

    The letters stay so that romaji still meets romaji (they matched alone before); the
    dictionary forms meet the same words typed in hiragana. They are left out where hiragana
    reads worse than katakana, i.e. loanwords and kanji compounds (pasuwaado, kaiin).
    """
    kana = romaji_to_kana(word.text)
    if not kana:
        return replace(word, reading=_katakana(word.text))
    lemmas, reading = _name_words(kana)
    letters = word.text.lower()
    # a loanword or kanji compound reads as nonsense in hiragana: ぱ すわ あ ど, か いい ん
    lemma = f"{letters} {lemmas}" if _reads_well_in_hiragana(kana) else letters
    return replace(word, lemma=lemma, reading=reading)


@functools.lru_cache(maxsize=4096)
def _reads_well_in_hiragana(kana: str) -> bool:
    """Whether UniDic reads ``kana`` in hiragana at least as well as in katakana."""
    return _misread_cost(_readings(kana)) <= _misread_cost(_readings(jaconv.hira2kata(kana)))


def _read_english(word: Word) -> Word:
    return replace(word, lemma=_english_stem(word.lemma.lower()))


def _read_emoji(word: Word) -> Word:
    """``word`` with the words of its emoji names as lemma and reading (👌 -> ok の 手), if any."""
    names = emoji_names(word.text) if not word.text.isalnum() else ()
    if not names:
        return word
    read = [_name_words(name) for name in names]
    return replace(word, lemma=" ".join(lemma for lemma, _ in read),
                   reading="".join(reading for _, reading in read))


def segment(text: Optional[str]) -> List[Word]:
    """Normalize ``text`` and split it into words."""
    return segment_normalized(normalize(text or ""))
