"""KanaReadingFeaturizer: one set of features for a word in kanji, hiragana or half-width katakana."""
from __future__ import annotations

from pathlib import Path
from typing import List

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.reading_featurizer import KanaReadingFeaturizer
from bot.nlu.tokenizer import JapaneseTokenizer

TRAINING = ["会員番号を忘れました", "パスワードを変えたい", "メールが届きません"]


def tokenized(texts: List[str]) -> List[Message]:
    """Messages with our tokenizer's tokens on them."""
    messages = [Message(data={"text": text}) for text in texts]
    JapaneseTokenizer(JapaneseTokenizer.get_default_config()).process(messages)
    return messages


def trained(storage_dir: Path) -> KanaReadingFeaturizer:
    """A featurizer fitted on ``TRAINING`` and persisted under ``storage_dir``."""
    featurizer = KanaReadingFeaturizer.create(
        KanaReadingFeaturizer.get_default_config(), LocalModelStorage(storage_dir),
        Resource("reading"), ExecutionContext(GraphSchema({}), "test"))
    featurizer.train(TrainingData(tokenized(TRAINING)))
    return featurizer


def sentence_vector(featurizer: KanaReadingFeaturizer, text: str) -> np.ndarray:
    """The sparse sentence features the featurizer gives ``text``, as a dense row."""
    message = tokenized([text])[0]
    featurizer.process([message])
    _, sentence = message.get_sparse_features("text")
    return sentence.features.toarray()[0]


def test_hiragana_and_kanji_spellings_get_the_same_sentence_features(tmp_path: Path) -> None:
    featurizer = trained(tmp_path)
    assert np.array_equal(sentence_vector(featurizer, "かいいんばんごう"),
                          sentence_vector(featurizer, "会員番号"))


def test_half_width_katakana_gets_the_features_of_the_kanji_spelling(tmp_path: Path) -> None:
    featurizer = trained(tmp_path)
    assert np.array_equal(sentence_vector(featurizer, "ﾊﾟｽﾜｰﾄﾞ"), sentence_vector(featurizer, "パスワード"))


def test_kana_input_shares_features_with_the_kanji_training_sentence(tmp_path: Path) -> None:
    featurizer = trained(tmp_path)
    assert sentence_vector(featurizer, "かいいんばんごう わすれた").sum() > 0


def test_each_token_gets_one_row_of_sequence_features(tmp_path: Path) -> None:
    featurizer = trained(tmp_path)
    message = tokenized(["メールが届かない"])[0]
    featurizer.process([message])
    sequence, _ = message.get_sparse_features("text")
    assert sequence.features.shape[0] == len(message.get("text_tokens"))


def test_a_loaded_featurizer_gives_the_features_of_the_trained_one(tmp_path: Path) -> None:
    featurizer = trained(tmp_path)
    featurizer.persist()
    loaded = KanaReadingFeaturizer.load(
        KanaReadingFeaturizer.get_default_config(), LocalModelStorage(tmp_path),
        Resource("reading"), ExecutionContext(GraphSchema({}), "test"))
    assert np.array_equal(sentence_vector(loaded, "かいいんばんごう"),
                          sentence_vector(featurizer, "会員番号"))
