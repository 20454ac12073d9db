"""Whether a short answer means yes or no, composed from its words: 間違ってないです is yes.

A bag of n-grams cannot tell 間違ってないです (yes) from 間違ってます (no): both carry 間違う,
and ない occurs in many no's. Here a word that says "no" by itself (違う, 間違い, 異論, 嫌) or
"yes" by itself (合う, 正しい, 同意) is read together with the negations that follow it in its
clause: each one turns the answer round. 異存ありません, 違わないです, 嫌なわけないです are yes;
合ってないよ, 了解できません are no.
"""
from __future__ import annotations

import unicodedata
from typing import List, Optional, Sequence, Tuple

import jaconv

from bot.nlu.japanese import Word, segment

# Dictionary forms (UniDic lemmas, lower case) that answer "no" when nothing negates them.
# UniDic gives the dictionary form in the spelling typed, so kana spellings are listed too.
_NO_WORDS = frozenset({
    "違う", "ちがう", "間違う", "まちがう", "間違い", "まちがい", "間違える", "まちがえる",
    "誤る", "誤り", "あやまり", "異なる", "ことなる", "食い違う", "食い違い", "相違", "違い",
    "ちがい", "嫌", "いや", "駄目", "だめ", "無理", "むり", "反対",
    "異存", "異論", "異議", "問題", "もんだい", "構う", "かまう",
    "差し支える", "差し支え", "文句", "不満", "拒否", "断る", "ng",
})
# ... and "yes" when nothing negates them.
_YES_WORDS = frozenset({
    "合う", "正しい", "ただしい", "同意", "どうい", "賛成", "了解", "りょうかい", "承知", "承諾",
    "了承", "合意", "納得", "正解",
})
# Words whose yes or no depends on the question (修正は不要です is a yes, 再送は不要です a no;
# 大丈夫です, 結構です, いいです either), a restriction (名前以外は合ってます, 問題しかない) or a
# contrast (嫌じゃないけど今はいいです): with any of them the message is left to the classifier.
_UNSETTLING = frozenset({
    "不要", "結構", "けっこう", "大丈夫", "だいじょうぶ", "いい", "良い", "よい", "遠慮",
    "以外", "だけ", "のみ", "しか",
})
_CONTRASTS = frozenset({"けど", "けれど", "けれども", "だけど", "だが", "しかし", "ただ", "でも", "but"})
# What may stand between a polar word and the next predicate when the polar word's clause is
# complete (間違ってないので送ってください): a conjunctive particle. Anything else (か, とは, が)
# embeds the polar word in the next predicate (正しいかわかりません, 合ってるとは限りません).
_CLAUSE_LINKS = ("ので", "から", "て", "で", "し", "ば", "のに", "たら")
# An interjection answers on its own; it is not turned round by a negation later on.
_YES_INTERJECTIONS = frozenset({"はい", "うん", "ええ", "おう", "yes"})
_NO_INTERJECTIONS = frozenset({"いいえ", "いや", "ううん", "いえ", "no"})
_INTERJECTIONS = _YES_INTERJECTIONS | _NO_INTERJECTIONS
# ない (adjective and auxiliary), ぬ (ません, とらん), ず, なし; へん / ひん are Kansai (合うてへん).
# かねる: 了承しかねます (cannot agree); なか is Kyushu (問題なかよ).
_NEGATIONS = frozenset({"ない", "無い", "ぬ", "ず", "なし", "無し", "へん", "ひん", "かねる", "なか"})
# Words a negation reaches the polar word through (and a noun that its clause describes,
# 正しいアドレスじゃない, 反対する理由はない): 異存[あり]ません, 反対は[し]ません, 嫌な[わけ]ない,
# 異なる[点]はございません. Any other verb, noun or adjective starts a predicate of its own.
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
    lemmas = [word.lemma.lower() for word in words]
    if _is_question(words) or _is_unsettled(words, lemmas):
        return None
    votes: List[Tuple[bool, int]] = []  # (polarity, position of the word that cast it)
    current: Optional[bool] = None
    cast_at = 0
    link = ""  # the particles and auxiliaries since the polar word or its last negation
    contrast_at: Optional[int] = None
    for i, (word, lemma) in enumerate(zip(words, lemmas)):
        previous = words[i - 1] if i else None
        if contrast_at is None and _is_contrast(words, i):
            contrast_at = i
        # A space the normalizer kept between words (まちがってます そのあどれす…) ends a clause too.
        if previous is not None and word.norm_start > previous.norm_end:
            _vote(votes, current, cast_at)
            current = None
        if word.pos in _CLAUSE_BREAK_POS:
            _vote(votes, current, cast_at)
            current = None
        elif word.pos == "感動詞" and lemma in _INTERJECTIONS:
            _vote(votes, current, cast_at)
            votes.append((lemma in _YES_INTERJECTIONS, i))
            current = None
        elif _is_polar(lemma):
            _vote(votes, current, cast_at)
            current, cast_at, link = lemma in _YES_WORDS, i, ""
        elif current is None:
            continue
        elif lemma in _NEGATIONS:
            current, link = not current, ""
        elif word.pos not in _CONTENT_POS or lemma in _TRANSPARENT:
            link += word.text
        elif word.pos == "名詞" and previous is not None and previous.pos != "助詞":
            link = ""  # a noun the clause describes: 正しいアドレスじゃない
        elif link.endswith(_CLAUSE_LINKS):
            _vote(votes, current, cast_at)
            current = None
        else:
            return None  # embedded in another predicate: 正しいかわかりません
    _vote(votes, current, cast_at)
    if contrast_at is not None and not any(at > contrast_at for _, at in votes):
        return None  # the clause after けど / でも says something the words do not settle
    polarities = {polarity for polarity, _ in votes}
    return polarities.pop() if len(polarities) == 1 else None


def _is_polar(lemma: str) -> bool:
    return lemma in _YES_WORDS or lemma in _NO_WORDS


def _vote(votes: List[Tuple[bool, int]], polarity: Optional[bool], at: int) -> None:
    if polarity is not None:
        votes.append((polarity, at))


def _is_unsettled(words: Sequence[Word], lemmas: Sequence[str]) -> bool:
    # いる is also 居る; only いら- / いり- is 要る, whose sense depends on the question like 不要.
    return any(lemma in _UNSETTLING or (lemma == "いる" and word.text.startswith(("いら", "いり")))
               for word, lemma in zip(words, lemmas))


def _is_contrast(words: Sequence[Word], i: int) -> bool:
    word = words[i]
    if word.text.lower() in _CONTRASTS and word.pos != "名詞":
        return True
    # でも at the start of a clause is split into で + も
    follows_break = i == 0 or words[i - 1].pos in _CLAUSE_BREAK_POS
    return follows_break and word.text == "で" and i + 1 < len(words) and words[i + 1].text == "も"


def _is_question(words: Sequence[Word]) -> bool:
    # 違いますか？ asks; it does not answer.
    tail = [w for w in words if w.pos not in _CLAUSE_BREAK_POS or w.text == "?"]
    return bool(tail) and (tail[-1].text == "?" or tail[-1].lemma == "か")


def _words(text: str) -> List[Word]:
    # Katakana is read as hiragana: ﾁｶﾞｲﾏｾﾝ / ﾓﾝﾀﾞｲﾅｲﾃﾞｽ are native words typed in katakana, which
    # UniDic splits into unknown nouns; the loanwords that answer (ダメ, イヤ, ムリ) are
    # listed in hiragana, and other loanwords carry no polarity either way.
    return segment(jaconv.kata2hira(unicodedata.normalize("NFKC", text)))
