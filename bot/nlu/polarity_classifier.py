"""Rasa component that sets affirm / deny by the polarity the answer's words compose."""
from __future__ import annotations

from typing import Any, Dict, List, Text, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.polarity import answer_polarity


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class AnswerPolarityClassifier(GraphComponent, IntentClassifier):
    """Swaps affirm and deny when the classifier's pick contradicts the words' polarity.

    The classifier sees n-grams, so 間違ってないです (yes) looks like 間違ってます (no). Only a
    message the classifier already reads as affirm or deny is touched, and only when
    ``bot.nlu.polarity`` settles its polarity; the two intents then trade confidences, so the
    FallbackClassifier after this component judges the swapped ranking as it would any other.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """The intent names for yes and no."""
        return {"affirm_intent": "affirm", "deny_intent": "deny"}

    @classmethod
    def required_components(cls) -> List[Type]:
        """An intent classifier must have ranked the intents first."""
        return [IntentClassifier]

    def __init__(self, config: Dict[Text, Any]) -> None:
        """Keeps the intent names."""
        self._yes = config["affirm_intent"]
        self._no = config["deny_intent"]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "AnswerPolarityClassifier":
        """Creates the component (rules only, nothing to train)."""
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        """Swaps affirm and deny in each message whose words say the opposite."""
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if intent not in (self._yes, self._no):
                continue
            polarity = answer_polarity(message.get(TEXT) or "")
            wanted = {True: self._yes, False: self._no}.get(polarity)
            if wanted is not None and wanted != intent:
                self._swap(message, intent, wanted)
        return messages

    def _swap(self, message: Message, top: Text, other: Text) -> None:
        ranking = [dict(entry) for entry in message.get(INTENT_RANKING_KEY) or []]
        confidences = {e[INTENT_NAME_KEY]: e[PREDICTED_CONFIDENCE_KEY] for e in ranking}
        top_confidence = message.get(INTENT)[PREDICTED_CONFIDENCE_KEY]
        other_confidence = confidences.get(other, 0.0)
        for entry in ranking:
            if entry[INTENT_NAME_KEY] == top:
                entry[PREDICTED_CONFIDENCE_KEY] = other_confidence
            elif entry[INTENT_NAME_KEY] == other:
                entry[PREDICTED_CONFIDENCE_KEY] = top_confidence
        if other not in confidences:
            ranking.append({INTENT_NAME_KEY: other, PREDICTED_CONFIDENCE_KEY: top_confidence})
        ranking.sort(key=lambda e: e[PREDICTED_CONFIDENCE_KEY], reverse=True)
        message.set(INTENT, {INTENT_NAME_KEY: other, PREDICTED_CONFIDENCE_KEY: top_confidence},
                    add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
