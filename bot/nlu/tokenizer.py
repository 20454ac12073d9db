"""Rasa tokenizer for Japanese on fugashi + UniDic (Rasa ships none for ``language: ja``)."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.japanese import segment_normalized
from bot.nlu.normalize import normalize


def normalized_key(attribute: Text) -> Text:
    """Message key under which the tokenizer leaves the normalized text of ``attribute``."""
    return f"{attribute}_normalized"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class JapaneseTokenizer(Tokenizer):
    """Splits Japanese text into UniDic words; token text is NFKC-normalized, offsets are original.

    Each token carries its dictionary form as ``lemma`` (忘れちゃった -> 忘れる, used by
    CountVectorsFeaturizer), its coarse part of speech in ``data["pos"]`` and its katakana reading
    in ``data["reading"]`` (for ``KanaReadingFeaturizer``: かいいん and 会員 read the same), and where
    it sits in the normalized text (``data["norm_start"]``/``["norm_end"]``, for
    ``NormalizedRegexFeaturizer``).
    """

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        """Only Japanese."""
        return ["ja"]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Same defaults as Rasa's own tokenizers."""
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        """Python packages this component needs."""
        return ["fugashi", "unidic_lite", "jaconv", "emoji", "snowballstemmer"]

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "JapaneseTokenizer":
        """Creates the component (it has nothing to train or persist)."""
        return cls(config)

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        """Tokenizes the text of the provided attribute of the incoming message."""
        norm = normalize(message.get(attribute) or "")
        # Kept for NormalizedRegexFeaturizer, so the text is normalized once per message.
        message.set(normalized_key(attribute), norm.text)
        tokens = [
            Token(word.text.lower(), word.start, word.end, lemma=word.lemma.lower(),
                  data={"pos": word.pos, "reading": word.reading,
                        "norm_start": word.norm_start, "norm_end": word.norm_end})
            for word in segment_normalized(norm)
        ]
        return self._apply_token_pattern(tokens)
