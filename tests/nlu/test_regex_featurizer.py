"""NormalizedRegexFeaturizer: lookups match half-width and full-width spellings of their entries."""
from __future__ import annotations

from pathlib import Path
from typing import Type

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.featurizers.sparse_featurizer.regex_featurizer import RegexFeaturizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.regex_featurizer import NormalizedRegexFeaturizer
from bot.nlu.tokenizer import JapaneseTokenizer

LOOKUPS = [{"name": "login_terms", "elements": ["ログイン"]},
           {"name": "number_terms", "elements": ["会員No"]},
           {"name": "bot_terms", "elements": ["AI", "bot"]}]


def trained(cls: Type[RegexFeaturizer], storage_dir: Path) -> RegexFeaturizer:
    """A featurizer of class ``cls`` trained on the two lookups, as in config.yml."""
    config = {**cls.get_default_config(), "use_word_boundaries": False, "case_sensitive": False}
    featurizer = cls.create(config, LocalModelStorage(storage_dir), Resource("regex"),
                            ExecutionContext(GraphSchema({}), "test"))
    featurizer.train(TrainingData(lookup_tables=LOOKUPS))
    return featurizer


def featurized(featurizer: RegexFeaturizer, text: str) -> Message:
    """A tokenized message run through ``featurizer``."""
    message = Message(data={"text": text})
    JapaneseTokenizer(JapaneseTokenizer.get_default_config()).process([message])
    featurizer.process([message])
    return message


def matched(featurizer: RegexFeaturizer, text: str) -> list:
    """Names of the lookups whose sentence feature is set for ``text``."""
    _, sentence = featurized(featurizer, text).get_sparse_features("text")
    row = sentence.features.toarray()[0] if sentence is not None else []
    return [lookup["name"] for lookup, value in zip(LOOKUPS, row) if value]


def test_half_width_katakana_hits_the_lookup_entry(tmp_path: Path) -> None:
    assert matched(trained(NormalizedRegexFeaturizer, tmp_path), "ﾛｸﾞｲﾝできない") == ["login_terms"]


def test_full_width_letters_hit_the_lookup_entry(tmp_path: Path) -> None:
    assert matched(trained(NormalizedRegexFeaturizer, tmp_path), "会員Ｎｏがわからない") == ["number_terms"]


def test_raw_text_matching_of_stock_rasa_misses_the_half_width_spelling(tmp_path: Path) -> None:
    assert matched(trained(RegexFeaturizer, tmp_path), "ﾛｸﾞｲﾝできない") == []


def test_the_matching_token_is_flagged_in_the_original_message(tmp_path: Path) -> None:
    message = featurized(trained(NormalizedRegexFeaturizer, tmp_path), "今日はﾛｸﾞｲﾝできない")
    flagged = [t.text for t in message.get("text_tokens") if t.get("pattern", {}).get("login_terms")]
    assert flagged == ["ログ", "イン"]


def test_a_message_without_lookup_words_matches_nothing(tmp_path: Path) -> None:
    assert matched(trained(NormalizedRegexFeaturizer, tmp_path), "天気がいいですね") == []


def test_latin_lookup_term_matches_next_to_japanese(tmp_path: Path) -> None:
    assert matched(trained(NormalizedRegexFeaturizer, tmp_path), "あなたはAIですか") == ["bot_terms"]


def test_latin_lookup_term_matches_as_an_english_word(tmp_path: Path) -> None:
    assert matched(trained(NormalizedRegexFeaturizer, tmp_path), "are you a bot?") == ["bot_terms"]


def test_latin_lookup_term_does_not_match_inside_an_english_word(tmp_path: Path) -> None:
    assert matched(trained(NormalizedRegexFeaturizer, tmp_path), "both emails failed again") == []
