"""Rasa's LogisticRegressionClassifier, made safe for messages that have no features at all."""
from __future__ import annotations

from typing import Any, Dict, List, Text

import numpy as np
import scipy.sparse

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

NO_INTENT = {"name": None, "confidence": 0.0}


def _sentence_features(message: Message) -> List:
    """The message's sentence-level feature matrices, in pipeline order."""
    return [f for f in message.features if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE]


def _has_features(message: Message) -> bool:
    return bool(_sentence_features(message))


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class LogisticRegressionIntentClassifier(LogisticRegressionClassifier):
    """Stock classifier, except that an empty or blank message gets "no intent" (confidence 0),
    and a sparse count never goes above ``max_count``.

    Rasa's version hands scikit-learn a row with no columns for such a message and the whole
    parse fails, so the member gets no reply at all. With confidence 0 the FallbackClassifier
    turns it into ``nlu_fallback`` and the bot asks for the request politely.

    The cap is there because a linear model's scores grow with the counts: 😀 alone is a
    low-confidence guess, but 😀 ten thousand times scored 1.0 for one intent and started its
    flow. With counts capped, a word repeated any number of times weighs what it weighs twice.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Rasa's defaults plus ``max_count`` (0, the default, keeps counts as they are)."""
        return {**LogisticRegressionClassifier.get_default_config(), "max_count": 0}

    def __init__(self, config: Dict[Text, Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(config, *args, **kwargs)
        cap = self.config.get("max_count")
        if isinstance(cap, bool) or not isinstance(cap, int) or cap < 0:
            raise ValueError(f"max_count must be a whole number >= 0, not {cap!r}")

    def _create_X(self, messages: List[Message]) -> scipy.sparse.csr_matrix:
        # Same matrix as Rasa's (sparse sentence features, then dense ones, in pipeline order),
        # without get_sparse_features(), which also stacks the per-token matrices this
        # classifier never reads: about 3 ms of a 12 ms parse.
        rows = []
        for message in messages:
            features = _sentence_features(message)
            parts = [self._capped(f.features) for f in features if f.is_sparse()]
            parts += [scipy.sparse.csr_matrix(f.features) for f in features if f.is_dense()]
            rows.append(scipy.sparse.hstack(parts) if parts else scipy.sparse.csr_matrix((1, 0)))
        return scipy.sparse.vstack(rows).tocsr()

    def _capped(self, counts: scipy.sparse.spmatrix) -> scipy.sparse.spmatrix:
        """The counts with every value above ``max_count`` lowered to it."""
        cap = self.config["max_count"]
        if cap == 0 or counts.nnz == 0 or counts.max() <= cap:
            return counts
        capped = counts.tocsr(copy=True)
        capped.data = np.minimum(capped.data, cap)
        return capped

    def _keep_coefficients_column_major(self) -> None:
        """Store the weights so that scikit-learn's ``X @ coef_.T`` needs no copy.

        ``predict_proba`` multiplies the message's sparse row by ``coef_.T``; for a C-ordered
        ``coef_`` that transpose is not C-contiguous and scipy copies all of it (every feature ×
        every intent, ~14 MB) on each call: 2-7 ms of a parse. Same values, other memory order.
        """
        coef = getattr(self.clf, "coef_", None)
        if coef is not None and not coef.flags.f_contiguous:
            self.clf.coef_ = np.asfortranarray(coef)

    def process(self, messages: List[Message]) -> List[Message]:
        """Classify messages that have features; the others get no intent."""
        self._keep_coefficients_column_major()
        featurized, empty = [], []
        for message in messages:
            (featurized if _has_features(message) else empty).append(message)
        if featurized:
            super().process(featurized)
        for message in empty:
            message.set(INTENT, dict(NO_INTENT), add_to_output=True)
            message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        return messages
