"""Whether a short answer means yes or no, composed from its words: 間違ってないです is yes.

A bag of n-grams cannot tell 間違ってないです (yes) from 間違ってます (no): both carry 間違う,
and ない occurs in many no's. Here a word that says "no" by itself (違う, 間違い, 異論, 嫌) or
"yes" by itself (合う, 正しい, 同意) is read together with the negations that follow it in its
clause: each one turns the answer round. 異存ありません, 違わないです, 嫌なわけないです are yes;
合ってないよ, 了解できません are no.
"""
from __future__ import annotations

import unicodedata
from typing import List, Optional, Sequence

import jaconv

from bot.nlu.japanese import Word, segment

# Dictionary forms (UniDic lemmas, lower case) that answer "no" when nothing negates them.
# UniDic gives the dictionary form in the spelling typed, so kana spellings are listed too.
_NO_WORDS = frozenset({
    "違う", "ちがう", "間違う", "まちがう", "間違い", "まちがい", "間違える", "まちがえる",
    "誤る", "誤り", "あやまり", "異なる", "ことなる", "食い違う", "食い違い", "相違", "違い",
    "ちがい", "嫌", "いや", "駄目", "だめ", "無理", "むり", "反対",
    "異存", "異論", "異議", "困る", "こまる", "問題", "もんだい", "構う", "かまう",
    "差し支える", "差し支え", "文句", "不満", "拒否", "断る", "ng",
})
# ... and "yes" when nothing negates them.
_YES_WORDS = frozenset({
    "合う", "正しい", "同意", "賛成", "了解", "承知", "承諾", "了承", "合意", "納得", "正解",
    "ok",
})
# An interjection answers on its own; it is not turned round by a negation later on.
_YES_INTERJECTIONS = frozenset({"はい", "うん", "ええ", "おう", "yes"})
_NO_INTERJECTIONS = frozenset({"いいえ", "いや", "ううん", "いえ", "no"})
# ない (adjective and auxiliary), ぬ (ません, とらん), ず, なし; へん / ひん are Kansai (合うてへん).
# かねる: 了承しかねます (cannot agree); なか is Kyushu (問題なかよ).
_NEGATIONS = frozenset({"ない", "無い", "ぬ", "ず", "なし", "無し", "へん", "ひん", "かねる", "なか"})
# Words a negation reaches the polar word through (and a noun that its clause describes,
# 正しいアドレスじゃない, 反対する理由はない): 異存[あり]ません, 反対は[し]ません, 嫌な[わけ]ない,
# 異なる[点]はございません. Any other verb, noun or adjective starts a predicate of its own:
# the ません of 違いがわかりません negates わかる, not 違い.
_TRANSPARENT = frozenset({
    "ある", "有る", "する", "為る", "いたす", "致す", "できる", "出来る", "ござる", "いる", "居る", "おる",
    "わけ", "訳", "点", "ところ", "所", "とこ", "こと", "事", "もの", "物", "はず", "筈",
    "くる",  # 違うとこない: UniDic reads とこ as と + 来る
    # a negated verb of saying or thinking negates what is said: OKとは言えない, 違うとは思わない
    "言う", "いう", "言える", "いえる", "思う", "おもう", "思える",
})
_CONTENT_POS = frozenset({"動詞", "名詞", "形容詞", "形状詞"})
_CLAUSE_BREAK_POS = frozenset({"補助記号", "空白"})


def answer_polarity(text: str) -> Optional[bool]:
    """True if ``text`` answers yes, False if no, None when its words do not settle it."""
    return _polarity(_words(text))


def _polarity(words: Sequence[Word]) -> Optional[bool]:
    if _is_question(words):
        return None
    votes = set()
    current: Optional[bool] = None
    previous: Optional[Word] = None
    for word in words:
        lemma = _lemma(word)
        # A space the normalizer kept between words (まちがってます そのあどれす…) ends a clause too.
        if previous is not None and word.norm_start > previous.norm_end:
            _vote(votes, current)
            current = None
        previous_pos = previous.pos if previous is not None else ""
        previous = word
        if word.pos in _CLAUSE_BREAK_POS:
            _vote(votes, current)
            current = None
        elif word.pos == "感動詞" and lemma in _YES_INTERJECTIONS | _NO_INTERJECTIONS:
            _vote(votes, current)
            votes.add(lemma in _YES_INTERJECTIONS)
            current = None
        elif _is_polar(lemma):
            _vote(votes, current)
            current = lemma in _YES_WORDS
        elif current is not None and lemma in _NEGATIONS:
            current = not current
        elif (current is not None and word.pos in _CONTENT_POS and lemma not in _TRANSPARENT
              and not (word.pos == "名詞" and previous_pos != "助詞")):
            _vote(votes, current)
            current = None
    _vote(votes, current)
    return votes.pop() if len(votes) == 1 else None


def _lemma(word: Word) -> str:
    return word.lemma.lower()


def _is_polar(lemma: str) -> bool:
    return lemma in _YES_WORDS or lemma in _NO_WORDS


def _vote(votes: set, polarity: Optional[bool]) -> None:
    if polarity is not None:
        votes.add(polarity)


def _is_question(words: Sequence[Word]) -> bool:
    # 違いますか？ asks; it does not answer.
    tail = [w for w in words if w.pos not in _CLAUSE_BREAK_POS or w.text == "?"]
    return bool(tail) and (tail[-1].text == "?" or tail[-1].lemma == "か")


def _words(text: str) -> List[Word]:
    # Katakana is read as hiragana: ﾁｶﾞｲﾏｾﾝ / ﾓﾝﾀﾞｲﾅｲﾃﾞｽ are native words typed in katakana, which
    # UniDic splits into unknown nouns; the loanwords that answer (ダメ, イヤ, ムリ) are
    # listed in hiragana, and other loanwords carry no polarity either way.
    return segment(jaconv.kata2hira(unicodedata.normalize("NFKC", text)))
