"""Japanese text normalization that remembers where every character came from.

NFKC folds full-width ASCII (１２３４, ｔａｒｏ＠…) and half-width katakana (ﾛｸﾞｲﾝ) but changes
lengths (ﾀﾞ -> ダ), so each normalized character keeps the span of original text it came from.
On top of NFKC: zero-width and control characters, emoji variation selectors and keycap frames
are dropped, dash and long-vowel variants
between digits become "-", runs of kanji digits (三五七二…, 二〇一〇) become ASCII digits, phone
notations (+81 90…, (06)…, 070の5566の7788) become hyphenated numbers, and a hyphen typed for ー
near the end of a katakana word (パスワ-ド) becomes ー.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import List, Tuple

__all__ = ["Normalized", "normalize", "normalize_text", "KANJI_DIGITS"]

KANJI_DIGITS = {"〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
                "六": "6", "七": "7", "八": "8", "九": "9"}

# Characters that only hide structure: zero-width spaces/joiners, BOM, soft hyphen, bidi marks,
# the variation selectors that pick text or emoji style (⭕️ is ⭕ + U+FE0F), and the keycap
# frame (1️⃣ is 1 + U+FE0F + U+20E3).
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                       "\ufe0e\ufe0f\u20e3")
# Half-width (semi-)voiced sound marks: NFKC turns them into combining marks for the previous kana.
_HALF_WIDTH_MARKS = frozenset("\uff9e\uff9f")
# Dashes members type between digit groups (after NFKC): hyphen, minus, long-vowel mark, bars.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\u2500\u2501\u301c\u007e\uff5e"
_DASH_BETWEEN_DIGITS = re.compile(rf"(?<=[0-9])[ ]?[{_DASHES}][ ]?(?=[0-9])")
# Katakana letters ァ…ヺ (the long-vowel mark ー, U+30FC, is not one), as a regex class body.
KATAKANA_LETTERS = "\u30a1-\u30fa"
# Hiragana letters ぁ…ゖ and the iteration marks, as a regex class body.
HIRAGANA_LETTERS = "\u3041-\u309f"
# A hyphen or minus typed for the long-vowel mark near the end of a katakana word: パスワ-ド,
# メ－ル, ユ-ザ-. Only one or two letters may follow, so two words joined by a hyphen
# (ログイン-エラー, シール-カード) stay apart.
_DASH_IN_KATAKANA = re.compile(f"(?<=[{KATAKANA_LETTERS}])[\u002d\u2010\u2011\u2212]"
                               f"(?=[{KATAKANA_LETTERS}]{{1,2}}(?![{KATAKANA_LETTERS}ー]))")
# Two or more kanji digits in a row read digit by digit (二〇一〇, 三五七二四六八一九〇); a lone 一
# is a word (一度, 一緒), so it stays.
_KANJI_DIGIT_RUN = re.compile("[〇零一二三四五六七八九]{2,}")
_COUNTRY_CODE = re.compile(r"\+\s?81[\s\-]?(?:\(0\))?(?=[1-9])")
_BRACKET_AREA_CODE = re.compile(r"(?<![0-9])\((0[0-9]{1,4})\)\s?(?=[0-9])")
_BRACKET_MIDDLE = re.compile(r"(?<=[0-9])\s?\(([0-9]{1,4})\)\s?(?=[0-9])")
# A phone number read aloud into the chat: ０７０の５５６６の７７８８ (の between the groups).
_NO_BETWEEN_PHONE_GROUPS = re.compile(r"(?<![0-9])0[0-9]{1,4}\s?の\s?[0-9]{1,4}\s?の\s?[0-9]{4}(?![0-9])")
_NO_SEPARATOR = re.compile(r"(?<=[0-9])\s?の\s?(?=[0-9])")
_SPACE_RUN = re.compile(r"\s{2,}")
_EDGE_SPACE = re.compile(r"^\s+|\s+$")


@dataclass(frozen=True)
class Normalized:
    """Normalized text plus, per character, the [start, end) span it came from in the original."""

    original: str
    text: str
    starts: Tuple[int, ...]
    ends: Tuple[int, ...]

    def span(self, start: int, end: int) -> Tuple[int, int]:
        """Original-text span of the normalized slice [start, end)."""
        if not self.text or end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def _chunks(text: str) -> List[Tuple[int, int]]:
    """Split into base character + following combining marks, the unit NFKC may merge."""
    bounds: List[Tuple[int, int]] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text):
            bounds.append((start, index))
            break
        ch = text[index]
        if ch in _HALF_WIDTH_MARKS or unicodedata.combining(ch):
            continue
        bounds.append((start, index))
        start = index
    return bounds if text else []


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") and ch not in "\n\t"


def normalize(text: str) -> Normalized:
    """NFKC plus the rules above, with an offset map back to ``text``."""
    chars: List[str] = []
    starts: List[int] = []
    ends: List[int] = []
    for start, end in _chunks(text):
        chunk = "".join(ch for ch in text[start:end] if ch not in _INVISIBLE)
        if not chunk or (len(chunk) == 1 and _is_control(chunk) and chunk not in "\n\t"):
            continue
        folded = unicodedata.normalize("NFKC", chunk)
        for ch in folded:
            if ch in "\n\t\r":
                ch = " "
            elif _is_control(ch):
                continue
            chars.append(ch)
            starts.append(start)
            ends.append(end)
    result = "".join(chars)
    result, starts, ends = _substitute(result, starts, ends, _KANJI_DIGIT_RUN,
                                       lambda m: "".join(KANJI_DIGITS[c] for c in m.group(0)))
    result, starts, ends = _substitute(result, starts, ends, _DASH_BETWEEN_DIGITS, lambda m: "-")
    result, starts, ends = _substitute(result, starts, ends, _DASH_IN_KATAKANA, lambda m: "ー")
    # International form of a Japanese number: +81 90-1234-5678 -> 090-1234-5678.
    result, starts, ends = _substitute(result, starts, ends, _COUNTRY_CODE, lambda m: "0")
    # Area codes in brackets: (06)6123-4567, 080(2222)3333 -> 06-6123-4567, 080-2222-3333.
    result, starts, ends = _substitute(result, starts, ends, _BRACKET_AREA_CODE,
                                       lambda m: m.group(1) + "-")
    result, starts, ends = _substitute(result, starts, ends, _BRACKET_MIDDLE,
                                       lambda m: "-" + m.group(1) + "-")
    phones = [m.span() for m in _NO_BETWEEN_PHONE_GROUPS.finditer(result) if _makes_a_phone_number(m)]
    if phones:
        result, starts, ends = _substitute(
            result, starts, ends, _NO_SEPARATOR,
            lambda m: "-" if any(a <= m.start() < b for a, b in phones) else m.group(0))
    # One space between words, none at the ends: token boundaries then rebuild the text exactly.
    result, starts, ends = _substitute(result, starts, ends, _SPACE_RUN, lambda m: " ")
    result, starts, ends = _substitute(result, starts, ends, _EDGE_SPACE, lambda m: "")
    return Normalized(text, result, tuple(starts), tuple(ends))


def _makes_a_phone_number(match: "re.Match[str]") -> bool:
    """Whether digit groups joined by の (090の1234の5678) add up to 10 or 11 digits."""
    return sum(len(g) for g in re.findall(r"[0-9]+", match.group(0))) in (10, 11)


def _substitute(text: str, starts: List[int], ends: List[int], pattern: "re.Pattern[str]", repl):
    """Regex substitution that keeps the offset map aligned (replacements share their span)."""
    if not pattern.search(text):
        return text, starts, ends
    out: List[str] = []
    new_starts: List[int] = []
    new_ends: List[int] = []
    cursor = 0
    for match in pattern.finditer(text):
        out.append(text[cursor:match.start()])
        new_starts.extend(starts[cursor:match.start()])
        new_ends.extend(ends[cursor:match.start()])
        replacement = repl(match)
        if len(replacement) == match.end() - match.start():
            new_starts.extend(starts[match.start():match.end()])
            new_ends.extend(ends[match.start():match.end()])
        else:
            new_starts.extend([starts[match.start()]] * len(replacement))
            new_ends.extend([ends[match.end() - 1]] * len(replacement))
        out.append(replacement)
        cursor = match.end()
    out.append(text[cursor:])
    new_starts.extend(starts[cursor:])
    new_ends.extend(ends[cursor:])
    return "".join(out), new_starts, new_ends


def normalize_text(text: str) -> str:
    """Normalized text only, for callers that need no offsets."""
    return normalize(text).text
