"""Character n-grams of the katakana reading, so かいいんばんごう, ｶｲｲﾝﾊﾞﾝｺﾞｳ and 会員番号 share features."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from sklearn.feature_extraction.text import CountVectorizer

from bot.nlu.tokenizer import JapaneseTokenizer

READING = "reading"


def _without_spaces(text: str) -> str:
    # The sentence vector is built from the tokens joined by spaces; a reading of kana-only input
    # is split differently (カイインバンゴウ is one unknown word, 会員番号 two), so n-grams must run
    # across token borders to meet.
    return "".join(text.split()).lower()


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True
)
class KanaReadingFeaturizer(CountVectorsFeaturizer):
    """CountVectorsFeaturizer over each token's katakana reading (``data["reading"]``).

    Needs ``bot.nlu.tokenizer.JapaneseTokenizer`` before it; tokens without a reading fall back to
    their text. Everything else (vocabulary, persistence, OOV handling) is Rasa's.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Character 2- to 4-grams over the reading; other options as CountVectorsFeaturizer."""
        return {
            **CountVectorsFeaturizer.get_default_config(),
            "analyzer": "char",
            "min_ngram": 2,
            "max_ngram": 4,
        }

    @classmethod
    def required_components(cls) -> List[type]:
        """The Japanese tokenizer puts the readings on the tokens."""
        return [JapaneseTokenizer]

    def _get_message_tokens_by_attribute(self, message: Message, attribute: Text) -> List[Text]:
        tokens: Optional[List[Token]] = message.get(TOKENS_NAMES[attribute])
        if attribute != TEXT or not tokens:
            return super()._get_message_tokens_by_attribute(message, attribute)
        return [token.get(READING) or token.text for token in tokens]

    @classmethod
    def _create_shared_vocab_vectorizers(cls, parameters: Dict[Text, Any],
                                         vocabulary: Optional[Any] = None) -> Dict[Text, CountVectorizer]:
        return cls._join_readings(super()._create_shared_vocab_vectorizers(parameters, vocabulary))

    @classmethod
    def _create_independent_vocab_vectorizers(cls, parameters: Dict[Text, Any],
                                              vocabulary: Optional[Any] = None) -> Dict[Text, CountVectorizer]:
        return cls._join_readings(super()._create_independent_vocab_vectorizers(parameters, vocabulary))

    @staticmethod
    def _join_readings(vectorizers: Dict[Text, CountVectorizer]) -> Dict[Text, CountVectorizer]:
        for vectorizer in vectorizers.values():
            vectorizer.preprocessor = _without_spaces
        return vectorizers
