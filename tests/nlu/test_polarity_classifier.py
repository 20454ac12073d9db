"""AnswerPolarityClassifier: affirm and deny trade places when the words compose the other answer."""
from __future__ import annotations

from typing import Dict, List

from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.polarity_classifier import AnswerPolarityClassifier


def classified(text: str, ranking: List[Dict[str, float]]) -> Message:
    """A message as the intent classifier leaves it: top intent and ranking."""
    entries = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    return Message(data={"text": text, "intent": dict(entries[0]), "intent_ranking": entries})


def resolve(message: Message) -> Message:
    component = AnswerPolarityClassifier(AnswerPolarityClassifier.get_default_config())
    return component.process([message])[0]


def test_a_double_negative_read_as_deny_becomes_affirm():
    message = resolve(classified("間違ってないです", [("deny", 0.9), ("affirm", 0.05), ("greet", 0.05)]))
    assert message.get("intent") == {"name": "affirm", "confidence": 0.9}
    assert message.get("intent_ranking")[:2] == [
        {"name": "affirm", "confidence": 0.9}, {"name": "deny", "confidence": 0.05}]


def test_a_negated_agreement_read_as_affirm_becomes_deny():
    message = resolve(classified("了承しかねます", [("affirm", 0.7), ("deny", 0.2), ("thank", 0.1)]))
    assert message.get("intent")["name"] == "deny"


def test_an_answer_the_classifier_got_right_is_left_alone():
    message = resolve(classified("異存ありません", [("affirm", 0.8), ("deny", 0.2)]))
    assert message.get("intent") == {"name": "affirm", "confidence": 0.8}


def test_another_intent_is_never_turned_into_an_answer():
    message = resolve(classified("パスワードが違うと言われます", [("login_failed", 0.9), ("deny", 0.1)]))
    assert message.get("intent")["name"] == "login_failed"


def test_words_that_settle_nothing_leave_the_classifier_s_pick():
    message = resolve(classified("結構です", [("deny", 0.6), ("affirm", 0.4)]))
    assert message.get("intent")["name"] == "deny"


def test_the_other_answer_is_added_when_the_ranking_lacks_it():
    message = resolve(classified("合ってます", [("deny", 0.9), ("greet", 0.1)]))
    assert message.get("intent")["name"] == "affirm"
    assert {"name": "deny", "confidence": 0.0} in message.get("intent_ranking")


def test_the_fallback_judges_the_swapped_confidence():
    message = resolve(classified("間違ってないです", [("deny", 0.35), ("affirm", 0.3), ("greet", 0.35)]))
    fallback = FallbackClassifier({"threshold": 0.4, "ambiguity_threshold": 0.1})
    assert fallback.process([message])[0].get("intent")["name"] == "nlu_fallback"


def test_a_message_without_intent_is_left_alone():
    message = Message(data={"text": ""})
    assert resolve(message).get("intent") is None
