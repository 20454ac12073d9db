"""Structured entities in Japanese text: member number, e-mail, birth date, phone number.

Built on spaCy as a rule engine: the fugashi words of the normalized text become a spaCy ``Doc``;
a ``Matcher`` finds e-mail and digit-group candidates on those tokens, date expressions are
aligned to the same tokens, and strict parsers turn each candidate into a normalized value
(ASCII digits, lower-case e-mail, ISO date) or drop it. Importable without Rasa: the agent
console, the actions and PII masking use ``extract_entities`` directly.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence, Tuple

from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from bot.nlu.dates import DATE_PATTERN, looks_like_date, parse_date
from bot.nlu.japanese import Word, segment_normalized
from bot.nlu.normalize import Normalized, normalize

__all__ = ["Entity", "ENTITY_TYPES", "extract_entities", "extract_first", "classify_digits"]

ENTITY_TYPES = ("member_number", "email", "birthdate", "phone_number")

# Member numbers of the three services have 9, 10 or 12 digits and never start with 0; 8 and 11
# are accepted too so a member who drops or adds a digit is told the exact format, not ignored.
MEMBER_NUMBER_LENGTHS = range(8, 13)
_EMAIL_VALUE = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.[a-z]{2,}"
)
_POSTAL_CONTEXT = re.compile(r"(〒|郵便番号|ゆうびん)\s*$")
_MAX_CHARS = 2000  # structured values sit in short messages; a 10,000-character paste is cut


@dataclass(frozen=True)
class Entity:
    """An entity with its normalized value and its [start, end) span in the original text."""

    entity: str
    value: str
    start: int
    end: int
    text: str

    def as_rasa(self, extractor: str) -> dict:
        """The entity as a Rasa message entity dict."""
        return {"entity": self.entity, "value": self.value, "start": self.start,
                "end": self.end, "extractor": extractor, "confidence_entity": 1.0}


_vocab_lock = threading.Lock()
_vocab: Optional[Vocab] = None
_matcher: Optional[Matcher] = None

_LOCAL = r"^[A-Za-z0-9._%+\-]+$"
_DOMAIN = r"^[A-Za-z0-9.\-]+$"


def _rules() -> Tuple[Vocab, Matcher]:
    """The shared vocab and Matcher (built once; Matcher is read-only after that)."""
    global _vocab, _matcher
    if _matcher is None:
        with _vocab_lock:
            if _matcher is None:
                vocab = Vocab()
                matcher = Matcher(vocab)
                # Single-token anchors; the spans are grown in linear time below. Patterns with
                # "+"/"*" operators make the Matcher quadratic on long runs of digits or letters.
                matcher.add("EMAIL", [[{"ORTH": "@"}]])
                matcher.add("DIGITS", [[{"TEXT": {"REGEX": r"^[0-9]+$"}}]])
                _vocab, _matcher = vocab, matcher
    return _vocab, _matcher  # type: ignore[return-value]


def _doc(vocab: Vocab, norm: Normalized, words: Sequence[Word]) -> Doc:
    spaces = [
        (i + 1 < len(words) and words[i + 1].norm_start > word.norm_end)
        or (i + 1 == len(words) and word.norm_end < len(norm.text))
        for i, word in enumerate(words)
    ]
    return Doc(vocab, words=[w.text for w in words], spaces=spaces)


def classify_digits(digits: str, before: str = "") -> Optional[str]:
    """Which entity a bare digit string is: phone numbers start with 0, member numbers never do."""
    if digits.startswith("0"):
        if len(digits) in (10, 11) and not _POSTAL_CONTEXT.search(before):
            return "phone_number"
        return None
    return "member_number" if len(digits) in MEMBER_NUMBER_LENGTHS else None


_LOCAL_TOKEN = re.compile(_LOCAL)
_DOMAIN_TOKEN = re.compile(_DOMAIN)
_RUN_TOKEN = re.compile(r"^(?:[0-9]+|-)$")


def _email_span(words: Sequence[Word], at: int) -> Tuple[int, int]:
    """Grow an "@" into the tokens typed without spaces on either side that an address allows."""
    left = at
    while (left > 0 and words[left - 1].norm_end == words[left].norm_start
           and _LOCAL_TOKEN.match(words[left - 1].text)):
        left -= 1
    right = at + 1
    while (right < len(words) and words[right].norm_start == words[right - 1].norm_end
           and _DOMAIN_TOKEN.match(words[right].text)):
        right += 1
    return left, right


def _digit_run(words: Sequence[Word], start: int) -> int:
    """End of the run of digit and "-" tokens that starts at ``start``."""
    end = start + 1
    while end < len(words) and _RUN_TOKEN.match(words[end].text):
        end += 1
    return end


def _digit_groups(words: Sequence[Word], start: int, end: int) -> List[Tuple[int, int]]:
    """Split a digit-token run into the groups typed without spaces between them."""
    groups: List[Tuple[int, int]] = []
    group_start = start
    for i in range(start + 1, end):
        if words[i].norm_start > words[i - 1].norm_end:
            groups.append((group_start, i))
            group_start = i
    groups.append((group_start, end))
    return groups


def _strip_dashes(words: Sequence[Word], start: int, end: int) -> Tuple[int, int]:
    while start < end and words[start].text == "-":
        start += 1
    while end > start and words[end - 1].text == "-":
        end -= 1
    return start, end


def _digits_of(words: Sequence[Word], start: int, end: int) -> str:
    return "".join(w.text for w in words[start:end] if w.text != "-")


def _number_candidates(norm: Normalized, words: Sequence[Word], start: int, end: int
                       ) -> Iterable[Tuple[str, str, int, int]]:
    """Numbers in one digit run: whole run first (5678 1234 90), else each unspaced group."""
    start, end = _strip_dashes(words, start, end)
    if start >= end:
        return
    before = norm.text[max(0, words[start].norm_start - 12):words[start].norm_start]
    whole = _digits_of(words, start, end)
    groups = _digit_groups(words, start, end)
    label = classify_digits(whole, before)
    if label and (len(groups) == 1 or all(len(_digits_of(words, s, e)) <= 5 for s, e in groups)):
        yield label, whole, start, end
        return
    for group_start, group_end in groups:
        group_start, group_end = _strip_dashes(words, group_start, group_end)
        digits = _digits_of(words, group_start, group_end)
        inner_before = norm.text[max(0, words[group_start].norm_start - 12):words[group_start].norm_start]
        label = classify_digits(digits, inner_before)
        if label:
            yield label, digits, group_start, group_end


def _token_span(words: Sequence[Word], norm_start: int, norm_end: int) -> Optional[Tuple[int, int]]:
    first = next((i for i, w in enumerate(words) if w.norm_end > norm_start), None)
    last = next((i for i in range(len(words) - 1, -1, -1) if words[i].norm_start < norm_end), None)
    if first is None or last is None or last < first:
        return None
    return first, last + 1


def extract_entities(text: Optional[str]) -> List[Entity]:
    """All member numbers, e-mails, birth dates and phone numbers in ``text``, in text order."""
    if not text or not text.strip():
        return []
    norm = normalize(text[:_MAX_CHARS])
    words = segment_normalized(norm)
    if not words:
        return []
    vocab, matcher = _rules()
    doc = _doc(vocab, norm, words)
    taken = [False] * len(words)
    found: List[Tuple[int, Entity]] = []

    def claim(label: str, value: str, start: int, end: int) -> None:
        if any(taken[start:end]):
            return
        for i in range(start, end):
            taken[i] = True
        orig_start, orig_end = norm.span(words[start].norm_start, words[end - 1].norm_end)
        found.append((start, Entity(label, value, orig_start, orig_end, text[orig_start:orig_end])))

    # Dates first: 2010-04-01 and 20100401 must not be read as numbers.
    for match in DATE_PATTERN.finditer(norm.text):
        if not looks_like_date(match):
            continue
        parsed = parse_date(match)
        span = _token_span(words, match.start(), match.end())
        if span is None:
            continue
        if parsed is None:
            # An impossible date (2月30日) is no entity, and its digits are no number either.
            for i in range(*span):
                taken[i] = True
            continue
        claim("birthdate", parsed.isoformat(), *span)

    anchors = [(vocab.strings[match_id], start) for match_id, start, _ in matcher(doc)]
    for rule, at in anchors:
        if rule != "EMAIL":
            continue
        start, end = _email_span(words, at)
        value = "".join(w.text for w in words[start:end]).lower().strip(".")
        if start < at and _EMAIL_VALUE.fullmatch(value):
            claim("email", value, start, end)
    run_end = -1
    for rule, start in anchors:
        if rule != "DIGITS" or start < run_end or taken[start]:
            continue
        run_end = _digit_run(words, start)
        for label, value, s, e in _number_candidates(norm, words, start, run_end):
            claim(label, value, s, e)
    return [entity for _, entity in sorted(found, key=lambda item: item[0])]


def extract_first(text: Optional[str], entity: str) -> Optional[str]:
    """The first normalized value of one entity type in ``text``, if any."""
    return next((e.value for e in extract_entities(text) if e.entity == entity), None)
