"""Rasa's LogisticRegressionClassifier, made safe for messages that have no features at all."""
from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

NO_INTENT = {"name": None, "confidence": 0.0}


def _has_features(message: Message) -> bool:
    sparse = message.get_sparse_features(TEXT)[1]
    dense = message.get_dense_features(TEXT)[1]
    return sparse is not None or dense is not None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class LogisticRegressionIntentClassifier(LogisticRegressionClassifier):
    """Stock classifier, except that an empty or blank message gets "no intent" (confidence 0).

    Rasa's version hands scikit-learn a row with no columns for such a message and the whole
    parse fails, so the member gets no reply at all. With confidence 0 the FallbackClassifier
    turns it into ``nlu_fallback`` and the bot asks for the request politely.
    """

    def process(self, messages: List[Message]) -> List[Message]:
        """Classify messages that have features; the others get no intent."""
        featurized = [m for m in messages if _has_features(m)]
        if featurized:
            super().process(featurized)
        for message in messages:
            if not _has_features(message):
                message.set(INTENT, dict(NO_INTENT), add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        return messages
