"""RegexFeaturizer that matches lookups and regexes against the normalized text (ﾛｸﾞｲﾝ finds ログイン)."""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple, Text

import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.regex_featurizer import RegexFeaturizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.tokenizer import JapaneseTokenizer, normalized_key

NORM_START = "norm_start"
NORM_END = "norm_end"


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def lookup_pattern(elements: List[Text]) -> Text:
    """One alternation of a lookup table; a term that starts or ends with a Latin letter must
    not touch another Latin letter there (AI not inside email, ID not inside did).

    Rasa's ``\\b`` cannot be used: Python counts kana and kanji as word characters, so AIですか
    would no longer match.
    """
    parts = []
    for element in elements:
        part = re.escape(element)
        if element and _is_latin(element[0]):
            part = "(?<![A-Za-z])" + part
        if element and _is_latin(element[-1]):
            part += "(?![A-Za-z])"
        parts.append(part)
    return "(" + "|".join(parts) + ")"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True
)
class NormalizedRegexFeaturizer(RegexFeaturizer):
    """Rasa's RegexFeaturizer, run on the text our tokenizer saw instead of the raw message.

    Rasa matches patterns against the raw text, so half-width katakana or full-width letters
    (ﾛｸﾞｲﾝ, 会員Ｎｏ) miss lookup entries written in their usual form. Here the patterns see the
    normalized text that ``JapaneseTokenizer`` left on the message, and tokens are matched by
    their offsets in it (``data["norm_start"]``, ``data["norm_end"]``).
    """

    def train(self, training_data: TrainingData) -> Resource:
        """Rasa's training, with the lookup tables' patterns rebuilt by ``lookup_pattern``."""
        resource = super().train(training_data)
        tables: Dict[Text, Any] = {t["name"]: t["elements"] for t in training_data.lookup_tables}
        self.known_patterns = [
            {**p, "pattern": lookup_pattern(tables[p["name"]])}
            if isinstance(tables.get(p["name"]), list) else p
            for p in self.known_patterns
        ]
        self._persist()
        return resource

    @classmethod
    def required_components(cls) -> List[type]:
        """Our tokenizer records where each token sits in the normalized text."""
        return [JapaneseTokenizer]

    def _features_for_patterns(
        self, message: Message, attribute: Text
    ) -> Tuple[Optional[scipy.sparse.coo_matrix], Optional[scipy.sparse.coo_matrix]]:
        tokens: List[Token] = message.get(TOKENS_NAMES[attribute], [])
        normalized = message.get(normalized_key(attribute))
        if not normalized or not tokens or any(t.get(NORM_START) is None for t in tokens):
            return super()._features_for_patterns(message, attribute)
        # A stand-in message: normalized text, tokens placed by their normalized offsets. The
        # per-token match flags Rasa records are copied back to the real tokens afterwards.
        shadow_tokens = [Token(t.text, t.get(NORM_START), t.get(NORM_END), data=dict(t.data))
                         for t in tokens]
        shadow = Message(data={attribute: normalized,
                               TOKENS_NAMES[attribute]: shadow_tokens})
        features = super()._features_for_patterns(shadow, attribute)
        for token, shadow_token in zip(tokens, shadow_tokens):
            token.set("pattern", shadow_token.get("pattern"))
        return features
