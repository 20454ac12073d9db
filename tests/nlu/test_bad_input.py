"""Odd, hostile and huge input: the NLU and redaction never raise and return sane results."""
from __future__ import annotations

import threading
from typing import Any, Callable, Dict, List

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.entities import ENTITY_TYPES, extract_entities
from bot.nlu.japanese import segment
from bot.nlu.normalize import normalize
from bot.nlu.tokenizer import JapaneseTokenizer
from bot.privacy.redact import redact

ODD_INPUTS = {
    "empty": "",
    "spaces": "   ",
    "ideographic-spaces-and-newlines": "\u3000\u3000\n\t\r\n",
    "emoji-only": "😀🙏😱",
    "emoji-zwj-family": "👨\u200d👩\u200d👧",
    "mixed-scripts": "ログインできないhelp me 로그인 登录 вход تسجيل",
    "control-characters-only": "\x00\x07\x1b",
    "control-characters-in-a-sentence": "会員\x00番号\x1bは1234567890\x07です",
    "rtl-and-ltr-marks": "\u200f\u200eパスワード\u202eを忘れました\u202c",
    "stacked-combining-marks": "e\u0301\u0301\u0301",
    "leading-combining-mark": "\u0301会員番号",
    "combining-dakuten": "か\u3099ーど",
    "variation-selector": "❤\ufe0fありがとう",
    "private-use-character": "\ue000会員番号",
    "line-separator": "ログイン\u2028できません\u2029",
    "no-break-spaces": "会員番号\u00a01234567890",
    "sql-injection": "'; DROP TABLE members; --",
    "sql-tautology": "1' OR '1'='1",
    "html-script": "<script>alert('x')</script>",
    "html-attribute": "<img src=x onerror=alert(1)>",
    "template-and-path": "{{7*7}} ${jndi:ldap://x} ../../etc/passwd",
    "only-punctuation": "？！。、…・「」（）",
    "lone-at-sign-and-hyphens": "@ - ー － @@ --",
}

LONG_INPUTS = {
    "japanese": ("会員番号を忘れてしまいました。ログインもできません。" * 400)[:10_000],
    "japanese-with-numbers": ("会員番号は1234567890です。" * 600)[:10_000],
    "ascii-words": ("lorem ipsum dolor sit amet " * 400)[:10_000],
    "ascii-without-spaces": "a" * 10_000,
    "ascii-digit-groups": ("1234567890 " * 910)[:10_000],
    "emoji": "😀" * 10_000,
    "one-run-of-digits": "1" * 10_000,
    "digits-and-hyphens": "1-" * 5_000,
    "dotted-letters": "a." * 5_000,
}


def rasa_tokenize(text: str) -> List[Any]:
    """Tokens the Rasa tokenizer component gives ``text``."""
    message = Message(data={"text": text})
    JapaneseTokenizer(JapaneseTokenizer.get_default_config()).process([message])
    return message.get("text_tokens")


def finished_within_30_seconds(function: Callable[[str], Any], text: str) -> Any:
    """Run ``function(text)`` in a thread, fail if it is still running after 30 s; its result."""
    outcome: Dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = function(text)
        except BaseException as error:  # re-raised in the test thread
            outcome["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), f"{function.__name__} still running after 30 s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def assert_spans_inside(text: str, spans: List[Any]) -> None:
    """Every (start, end) lies inside ``text``, is non-empty and they come in text order."""
    previous_start = 0
    for item in spans:
        assert 0 <= item.start < item.end <= len(text)
        assert item.start >= previous_start
        previous_start = item.start


# --- odd input ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", ODD_INPUTS.values(), ids=ODD_INPUTS.keys())
def test_normalize_gives_one_original_span_per_character(text: str) -> None:
    norm = normalize(text)
    assert len(norm.starts) == len(norm.ends) == len(norm.text)
    assert all(0 <= start < end <= len(text) for start, end in zip(norm.starts, norm.ends))
    assert list(norm.starts) == sorted(norm.starts)


@pytest.mark.parametrize("text", ODD_INPUTS.values(), ids=ODD_INPUTS.keys())
def test_normalize_drops_control_and_invisible_characters(text: str) -> None:
    assert not any(ch in normalize(text).text for ch in "\x00\x07\x1b\u200b\u200d\u200e\u200f\u202e\ue000")


@pytest.mark.parametrize("text", ODD_INPUTS.values(), ids=ODD_INPUTS.keys())
def test_segment_gives_words_inside_the_text(text: str) -> None:
    words = segment(text)
    assert_spans_inside(text, words)
    assert all(word.text.strip() for word in words)


@pytest.mark.parametrize("text", ODD_INPUTS.values(), ids=ODD_INPUTS.keys())
def test_extracted_entities_slice_the_original_text(text: str) -> None:
    for entity in extract_entities(text):
        assert entity.entity in ENTITY_TYPES
        assert text[entity.start:entity.end] == entity.text


@pytest.mark.parametrize("text", ODD_INPUTS.values(), ids=ODD_INPUTS.keys())
def test_rasa_tokens_lie_inside_the_text(text: str) -> None:
    assert_spans_inside(text, rasa_tokenize(text))


@pytest.mark.parametrize(
    "name",
    [name for name in ODD_INPUTS if name not in ("control-characters-in-a-sentence", "no-break-spaces")],
)
def test_redact_leaves_text_without_personal_data_unchanged(name: str) -> None:
    assert redact(ODD_INPUTS[name]) == ODD_INPUTS[name]


def test_empty_text_gives_empty_results_everywhere() -> None:
    assert normalize("").text == ""
    assert segment("") == []
    assert extract_entities("") == []
    assert redact("") == ""
    assert rasa_tokenize("") == []


def test_whitespace_only_text_gives_no_words() -> None:
    assert segment(" \u3000\t\n ") == []
    assert rasa_tokenize(" \u3000\t\n ") == []


def test_emoji_only_text_gives_no_entities() -> None:
    assert extract_entities("😀🙏😱") == []


def test_none_gives_no_entities() -> None:
    assert extract_entities(None) == []


def test_redact_of_none_gives_an_empty_string() -> None:
    assert redact(None) == ""


def test_member_number_between_control_characters_is_still_found() -> None:
    text = "会員\x00番号\x1bは1234567890\x07です"
    assert [(e.entity, e.value, e.text) for e in extract_entities(text)] == [
        ("member_number", "1234567890", "1234567890"),
    ]


def test_member_number_between_control_characters_is_masked_and_the_rest_kept() -> None:
    assert redact("会員\x00番号\x1bは1234567890\x07です") == "会員\x00番号\x1bは12******90\x07です"


def test_member_number_with_zero_width_spaces_inside_is_still_found() -> None:
    text = "会員番号は12\u200b3456\u200b7890です"
    assert [(e.entity, e.value, e.text) for e in extract_entities(text)] == [
        ("member_number", "1234567890", "12\u200b3456\u200b7890"),
    ]


def test_phone_number_with_zero_width_spaces_inside_is_still_found() -> None:
    assert [(e.entity, e.value) for e in extract_entities("090\u200b1234\u200b5678")] == [
        ("phone_number", "09012345678"),
    ]


def test_member_number_with_zero_width_spaces_inside_is_masked() -> None:
    assert redact("会員番号は12\u200b3456\u200b7890です") == "会員番号は12******90です"


def test_member_number_after_a_byte_order_mark_is_found() -> None:
    assert [(e.value, e.start, e.end) for e in extract_entities("\ufeff1234567890")] == [("1234567890", 1, 11)]


def test_member_number_after_a_no_break_space_is_found() -> None:
    assert [e.value for e in extract_entities("会員番号\u00a01234567890")] == ["1234567890"]


def test_member_number_inside_html_is_masked_and_the_markup_kept() -> None:
    assert redact("<b>会員番号1234567890</b>") == "<b>会員番号12******90</b>"


def test_sql_injection_gives_no_entities() -> None:
    assert extract_entities("'; DROP TABLE members; -- 1' OR '1'='1") == []


# --- 10,000 characters --------------------------------------------------------------------

@pytest.mark.parametrize("text", LONG_INPUTS.values(), ids=LONG_INPUTS.keys())
def test_normalize_of_10000_characters_finishes(text: str) -> None:
    norm = finished_within_30_seconds(normalize, text)
    assert len(norm.text) == len(norm.starts) > 0


@pytest.mark.parametrize("text", LONG_INPUTS.values(), ids=LONG_INPUTS.keys())
def test_segment_of_10000_characters_finishes(text: str) -> None:
    words = finished_within_30_seconds(segment, text)
    assert words
    assert words[-1].end <= len(text)


@pytest.mark.parametrize("text", LONG_INPUTS.values(), ids=LONG_INPUTS.keys())
def test_extract_entities_of_10000_characters_finishes(text: str) -> None:
    for entity in finished_within_30_seconds(extract_entities, text):
        assert text[entity.start:entity.end] == entity.text


@pytest.mark.parametrize("text", LONG_INPUTS.values(), ids=LONG_INPUTS.keys())
def test_redact_of_10000_characters_finishes(text: str) -> None:
    assert isinstance(finished_within_30_seconds(redact, text), str)


@pytest.mark.parametrize("text", LONG_INPUTS.values(), ids=LONG_INPUTS.keys())
def test_rasa_tokenizer_of_10000_characters_finishes(text: str) -> None:
    tokens = finished_within_30_seconds(rasa_tokenize, text)
    assert tokens
    assert tokens[-1].end <= len(text)


def test_member_numbers_throughout_a_10000_character_message_are_all_masked() -> None:
    text = LONG_INPUTS["japanese-with-numbers"]
    masked = finished_within_30_seconds(redact, text)
    assert "1234567890" not in masked
    assert "会員番号は" in masked


def test_long_japanese_message_without_personal_data_is_not_changed_by_redact() -> None:
    text = LONG_INPUTS["japanese"]
    assert finished_within_30_seconds(redact, text) == text
