"""Strict parsing of Japanese dates (西暦 and 和暦, also typed in kana or romaji, and English
dates such as March 14, 1985) into ``datetime.date``.

Era boundaries come from japanera: 昭和64年1月7日 exists, 昭和64年1月8日 is 平成元年 and is
refused as 昭和; impossible calendar dates (2月30日) give no value.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Dict, Optional

import jaconv
from japanera import ERA_DATA_COMMON, ERA_DATA_GENERAL, Era

__all__ = ["ERA_NAMES", "parse_date", "looks_like_date", "kanji_number", "DATE_PATTERN"]

_MODERN = ("明治", "大正", "昭和", "平成", "令和")
_ERAS: Dict[str, Era] = {era.kanji: era for era in ERA_DATA_COMMON + ERA_DATA_GENERAL
                         if era.kanji in _MODERN and era.since.year >= 1868}
# Members who type in kana spell the era out: へいせい / ﾍｲｾｲ (NFKC: ヘイセイ).
_KANA_ERAS = {"めいじ": "明治", "たいしょう": "大正", "しょうわ": "昭和", "へいせい": "平成", "れいわ": "令和"}
# ... or in romaji: heisei 23 nen 12 gatsu 24 nichi.
_ROMAJI_ERAS = {"meiji": "明治", "taisho": "大正", "taishou": "大正", "showa": "昭和",
                "shouwa": "昭和", "heisei": "平成", "reiwa": "令和"}
ERA_NAMES = {name: name for name in _MODERN}
ERA_NAMES.update(_KANA_ERAS)
ERA_NAMES.update({jaconv.hira2kata(kana): name for kana, name in _KANA_ERAS.items()})
ERA_NAMES.update({spelling: name for romaji, name in _ROMAJI_ERAS.items()
                  for spelling in (romaji, romaji.capitalize(), romaji.upper())})
ERA_NAMES.update({letter: name for letters, name in zip(("Mm", "Tt", "Ss", "Hh", "Rr"), _MODERN)
                  for letter in letters})

_KANJI_VALUES = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                 "八": 8, "九": 9}
_NUM = r"(?:[0-9]{1,2}|[〇零一二三四五六七八九十]{1,3})"
_SEP = r"\s*[/.\-]\s*"
# 年 / 月 / 日 and 元(年) as members write them in hiragana, katakana or romaji: ２８ねん５がつ３にち,
# reiwa gannen 5 gatsu 1 nichi.
_YEAR_MARK = "(?:年|ねん|ネン|(?i:nen)(?![A-Za-z]))"
_MONTH_MARK = "(?:月|がつ|ガツ|(?i:gatsu|gatu)(?![A-Za-z]))"
_DAY_MARK = "(?:日|にち|ニチ|(?i:nichi|niti)(?![A-Za-z]))"
_FIRST_YEARS = ("元", "がん", "ガン", "gan")  # compared in lower case, as the pattern matches
_FIRST_YEAR = f"(?:元|(?:がん|ガン|(?i:gan))(?=\\s*{_YEAR_MARK}))"
# English: March 14, 1985 / Mar. 14th 1985 / 14 March 1985 / the 14th of March, 1985.
_MONTH_NAMES = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
                "sep": 9, "oct": 10, "nov": 11, "dec": 12}
_MONTH_NAME = (r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
               r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![A-Za-z])\.?")
_ORDINAL = r"(?i:st|nd|rd|th)?"
# "I may 12 2000" is the verb; an amount (2000 yen, 1500 points) is no year.
_NOT_THE_VERB = r"(?!may(?![A-Za-z]))"
_NOT_AN_AMOUNT = r"(?!\s*(?i:yen|円|points?|pts?|ポイント|dollars?|ドル))"
# A 西暦 year written out (not 和暦) is read as a birth year only from the first modern era on.
_WESTERN_YEARS = range(1868, 2101)
_ERA = "|".join(sorted((name for name in ERA_NAMES if len(name) > 1), key=len, reverse=True))

# Applied to NFKC-normalized text (bot.nlu.normalize): ASCII digits, half-width punctuation.
DATE_PATTERN = re.compile(
    rf"""
    (?:
      (?P<era>{_ERA}|(?<![A-Za-z])[MTSHRmtshr](?=\s*[0-9元]))\s*
      (?P<eyear>{_NUM}|{_FIRST_YEAR})\s*(?:{_YEAR_MARK}\s*(?:の\s*)?|{_SEP})
      (?P<emonth>{_NUM})\s*(?:{_MONTH_MARK}\s*|{_SEP})
      (?P<eday>{_NUM})(?:\s*{_DAY_MARK})?
    |
      (?<![0-9])(?P<year>[0-9]{{4}}|[〇零一二三四五六七八九]{{4}})\s*(?:{_YEAR_MARK}\s*(?:の\s*)?|(?P<sep>[/.\-])\s*)
      (?P<month>{_NUM})\s*(?:{_MONTH_MARK}\s*|(?P=sep)\s*)
      (?P<day>{_NUM})(?:\s*{_DAY_MARK})?
    |
      (?<![A-Za-z]){_NOT_THE_VERB}(?P<mname>{_MONTH_NAME})\s*(?P<mday>[0-9]{{1,2}}){_ORDINAL}\s*,?\s*
      (?P<myear>[0-9]{{4}}){_NOT_AN_AMOUNT}
    |
      (?<![0-9])(?P<dday>[0-9]{{1,2}}){_ORDINAL}\s*(?i:of\s+)?(?P<dname>{_MONTH_NAME})\s*,?\s*
      (?P<dyear>[0-9]{{4}}){_NOT_AN_AMOUNT}
    |
      (?<![0-9])(?P<compact>(?:19|20)[0-9]{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]))(?![0-9])
    )
    (?![0-9])
    """,
    re.VERBOSE,
)


def kanji_number(text: str) -> Optional[int]:
    """ASCII or kanji numeral (一, 十二, 二十二, 三十一, 二〇一〇) as int; None when not a number."""
    if text.isascii() and text.isdigit():
        return int(text)
    if "十" not in text:
        if all(ch in _KANJI_VALUES for ch in text):
            return int("".join(str(_KANJI_VALUES[ch]) for ch in text))
        return None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    tens_value = _KANJI_VALUES.get(tens, None) if tens else 1
    ones_value = _KANJI_VALUES.get(ones, None) if ones else 0
    if tens_value is None or ones_value is None:
        return None
    return tens_value * 10 + ones_value


def _safe_date(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def looks_like_date(match: "re.Match[str]") -> bool:
    """Whether a match is meant as a date even if no such day exists (2010年2月30日: yes)."""
    if match.group("era") or match.group("compact"):
        return True
    year = kanji_number(match.group("year") or match.group("myear") or match.group("dyear") or "")
    return year in _WESTERN_YEARS


def parse_date(match: "re.Match[str]") -> Optional[date]:
    """The date a ``DATE_PATTERN`` match stands for, or None when no such day exists."""
    if match.group("compact"):
        raw = match.group("compact")
        return _safe_date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    for name, day, year in (("mname", "mday", "myear"), ("dname", "dday", "dyear")):
        if match.group(name):
            month = _MONTH_NAMES[match.group(name)[:3].lower()]
            if int(match.group(year)) not in _WESTERN_YEARS:
                return None
            return _safe_date(int(match.group(year)), month, int(match.group(day)))
    if match.group("era"):
        era = _ERAS[ERA_NAMES[match.group("era")]]
        raw_year = match.group("eyear")
        relative = 1 if raw_year.lower() in _FIRST_YEARS else kanji_number(raw_year)
        month, day = kanji_number(match.group("emonth")), kanji_number(match.group("eday"))
        if relative is None or month is None or day is None or relative < 1:
            return None
        result = _safe_date(era.relative_year_to_absolute_year(relative), month, day)
        # japanera's ranges are [since, until): 昭和64年1月8日 is already 平成.
        return result if result is not None and result in era else None
    year, month, day = (kanji_number(match.group(k)) for k in ("year", "month", "day"))
    if year is None or month is None or day is None or year < 1868:
        return None
    return _safe_date(year, month, day)
