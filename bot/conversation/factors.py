"""Reading identity factors out of what a member typed, with a specific re-ask when it fails."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import List, Optional, Tuple

import jaconv

from bot.conversation import messages
from bot.nlu.dates import DATE_PATTERN, looks_like_date
from bot.nlu.entities import extract_first
from bot.nlu.japanese import segment
from bot.nlu.normalize import normalize_text
from bot.privacy.masking import mask_birthdate, mask_email, mask_phone


@dataclass(frozen=True)
class Factor:
    """A parsed factor: the normalized value for the backend, its mask for the chat, or a problem."""

    value: Optional[str] = None
    masked: Optional[str] = None
    problem: Optional[str] = None

    @property
    def ok(self) -> bool:
        """True when a value was read."""
        return self.value is not None


# Intents that mean the member answered the question with "no" rather than with the value.
_DECLINING = {"deny"}


def reask(factor: Factor, intent: Optional[str]) -> List[str]:
    """Replies for a factor that was not read: the format hint, and after a no (いいえ,
    わかりません) how to stop or reach a person, since the form would otherwise just ask again."""
    replies = [factor.problem] if factor.problem else []
    if intent in _DECLINING:
        replies.append(messages.HOW_TO_STOP)
    return replies


# "I don't know it": a verb of knowing or remembering with a negation right after it
# (分からない, 覚えてません, 思い出せない, 記憶にない), or a word that says it alone (忘れた, 不明).
# Lemmas, so every conjugation, kana spelling and romaji reading (wakarimasen) counts.
_KNOWING = frozenset({"分かる", "わかる", "判る", "解る", "知る", "しる", "覚える", "おぼえる", "思い出す",
                      "思い出せる", "おもいだす", "おもいだせる", "存ずる", "存じ上げる", "把握", "記憶",
                      "心当たり", "見当"})
_NEGATIONS = frozenset({"ない", "無い", "ぬ", "ず", "ん", "かねる"})
_NEGATION_REACH = 4  # 覚え・て・い・ない: the negation may follow a few auxiliaries later
_NOT_KNOWN = frozenset({"忘れる", "わすれる", "失念", "不明", "うろ覚え"})
_ENGLISH_NOT_KNOWN = re.compile(
    r"\b(?:(?:do|did|can|could)(?:n'?t| not)|cannot) (?:know|remember|recall)\b|\bforg[eo]t|\bno idea\b"
    r"|\bdunno\b|\bidk\b",
    re.IGNORECASE)
# Text typed in katakana alone (ﾜｶﾘﾏｾﾝ) is read as hiragana, which UniDic conjugates.
_HIRAGANA_OR_KANJI = re.compile(r"[\u3041-\u309f\u3400-\u9fff]")
# What the member calls each factor. Latin words must stand alone (iPhone is no phone, gmail no mail).
_FACTOR_WORDS = {
    "email": ("メール", "メアド", "アドレス", "mail", "email", "address"),
    "birthdate": ("生年月日", "誕生日", "生まれ", "birth", "birthday"),
    "phone_number": ("電話", "携帯", "ケータイ", "スマホ", "phone"),
}
# Things a member may not know that are not a factor (パスワードが分からない at the e-mail question).
_OTHER_THINGS = ("パスワード", "暗証", "会員番号", "お客様番号", "会員no", "web-id", "ウェブid", "エラー")
# Not knowing what the question means, rather than the answer: 意味がわかりません,
# 何を入力すればいいのかわかりません, 和暦か西暦か分からない, 子どものか分かりません.
_ABOUT_THE_QUESTION = ("意味", "どういう", "何を", "なにを", "書き方", "形式", "入力の仕方", "入力方法",
                       "和暦", "西暦", "誰の", "だれの", "子ども", "子供", "こども", "親の", "保護者", "どっち",
                       "どちら")
_QUESTION_END = re.compile(r"(?:[?？]|か|かな|の)[\s。.!！…]*$")


def says_not_known(text: Optional[str]) -> bool:
    """True when the member says they do not know or remember something (分かりません, 忘れた)."""
    if not text or not text.strip():
        return False
    if _ENGLISH_NOT_KNOWN.search(text):
        return True
    normalized = normalize_text(text)
    if not _HIRAGANA_OR_KANJI.search(normalized):
        normalized = jaconv.kata2hira(normalized)
    lemmas = [part for word in segment(normalized) for part in word.lemma.split()]
    for i, lemma in enumerate(lemmas):
        negated = _NEGATIONS.intersection(lemmas[i + 1:i + 1 + _NEGATION_REACH])
        following = lemmas[i + 1:i + 2]
        if lemma in _NOT_KNOWN and not _NEGATIONS.intersection(following) and following != ["だ"]:
            return True  # 忘れた and 不明です, but not 忘れずに or 不明なエラー
        if lemma in _KNOWING and negated:
            return True
    return False


def names_factor(text: Optional[str], slot: str) -> bool:
    """True when the text mentions the factor of ``slot`` (メアド for email, 誕生日 for birthdate)."""
    return _names(normalize_text(text or "").lower(), slot)


def classify_non_answer(text: Optional[str], slot: str) -> Optional[Tuple[str, str]]:
    """What a message that gave no value for ``slot`` says, reading it once: ("asks", slot) for a
    question about the factor or the question, ("not_known", factor) for a factor the member
    does not know, None for anything else."""
    normalized, not_known = _read(text)
    if _asks(normalized, not_known, slot):
        return ("asks", slot)
    factor = _not_known(normalized, not_known, slot)
    return ("not_known", factor) if factor else None


def not_known_factor(text: Optional[str], slot: str) -> Optional[str]:
    """The factor the member says they do not know: the one they name, else the one asked for;
    None when they know it, ask what the question means, or do not know something else."""
    kind = classify_non_answer(text, slot)
    return kind[1] if kind and kind[0] == "not_known" else None


def asks_about(text: Optional[str], slot: str) -> bool:
    """True when the member asks about the factor asked for (生年月日って子どもの？) or says they
    do not understand the question (意味がわかりません)."""
    return _asks(*_read(text), slot)


def _read(text: Optional[str]) -> Tuple[str, bool]:
    """The normalized lower-case text and whether it says "I don't know" (one tokenization)."""
    return normalize_text(text or "").strip().lower(), says_not_known(text)


def _asks(normalized: str, not_known: bool, slot: str) -> bool:
    question = _QUESTION_END.search(normalized) is not None
    if any(word in normalized for word in _ABOUT_THE_QUESTION) and (not_known or question):
        return True
    return question and _names(normalized, slot)


def _not_known(normalized: str, not_known: bool, slot: str) -> Optional[str]:
    if not not_known:
        return None
    named = [factor for factor in _FACTOR_WORDS if _names(normalized, factor)]
    if slot in named:
        return slot
    if named:
        return named[0]
    return None if any(word in normalized for word in _OTHER_THINGS) else slot


def _names(normalized: str, slot: str) -> bool:
    return any(_mentions(normalized, word) for word in _FACTOR_WORDS.get(slot, ()))


def _mentions(normalized: str, word: str) -> bool:
    if word.isascii():
        return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", normalized) is not None
    return word in normalized


def read_email(text: Optional[str]) -> Factor:
    """An e-mail address from the member's text (full-width and upper case allowed)."""
    value = extract_first(text, "email")
    if value is None:
        return Factor(problem=messages.EMAIL_FORMAT)
    return Factor(value, mask_email(value))


def read_birthdate(text: Optional[str], today: date) -> Factor:
    """A birth date (西暦 or 和暦) that exists and is not in the future."""
    value = extract_first(text, "birthdate")
    if value is None:
        normalized = normalize_text(text or "")
        match = DATE_PATTERN.search(normalized)
        if match is not None and looks_like_date(match):
            return Factor(problem=messages.BIRTHDATE_IMPOSSIBLE)
        return Factor(problem=messages.BIRTHDATE_FORMAT)
    if date.fromisoformat(value) > today:
        return Factor(problem=messages.BIRTHDATE_FUTURE)
    return Factor(value, mask_birthdate(value))


def read_phone(text: Optional[str]) -> Factor:
    """A Japanese phone number (10 or 11 digits starting with 0)."""
    value = extract_first(text, "phone_number")
    if value is None:
        return Factor(problem=messages.PHONE_FORMAT)
    return Factor(value, mask_phone(value))
