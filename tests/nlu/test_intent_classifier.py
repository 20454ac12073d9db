"""LogisticRegressionIntentClassifier: Rasa's classifier, plus "no intent" for an empty message."""
from __future__ import annotations

import copy

from pathlib import Path
from typing import List

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_classifier import LogisticRegressionIntentClassifier
from bot.nlu.reading_featurizer import KanaReadingFeaturizer
from bot.nlu.tokenizer import JapaneseTokenizer

EXAMPLES = [("会員番号を忘れました", "forgot_number"), ("会員番号がわからない", "forgot_number"),
            ("パスワードを忘れた", "forgot_password"), ("パスワードを再設定したい", "forgot_password"),
            ("メールが届かない", "mail_not_arriving"), ("確認メールが来ません", "mail_not_arriving")]


def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


class Pipeline:
    """Tokenizer, one featurizer and the classifier, trained on ``EXAMPLES``."""

    def __init__(self, storage_dir: Path, **classifier_config: object) -> None:
        storage = LocalModelStorage(storage_dir)
        self.tokenizer = JapaneseTokenizer(JapaneseTokenizer.get_default_config())
        self.featurizer = KanaReadingFeaturizer.create(
            KanaReadingFeaturizer.get_default_config(), storage, Resource("reading"), context())
        self.classifier = LogisticRegressionIntentClassifier.create(
            {**LogisticRegressionIntentClassifier.get_default_config(), **classifier_config},
            storage, Resource("lr"), context())
        data = TrainingData([Message(data={"text": t, "intent": i}) for t, i in EXAMPLES])
        self.tokenizer.process_training_data(data)
        self.featurizer.train(data)
        self.featurizer.process_training_data(data)
        self.classifier.train(data)

    def parse(self, texts: List[str]) -> List[Message]:
        messages = [Message(data={"text": text}) for text in texts]
        self.tokenizer.process(messages)
        self.featurizer.process(messages)
        return self.classifier.process(messages)


def test_an_empty_message_gets_no_intent_instead_of_an_error(tmp_path: Path) -> None:
    [message] = Pipeline(tmp_path).parse([""])
    assert message.get("intent") == {"name": None, "confidence": 0.0}
    assert message.get("intent_ranking") == []


def test_a_blank_message_among_others_leaves_the_others_classified(tmp_path: Path) -> None:
    blank, text = Pipeline(tmp_path).parse(["   ", "パスワードを忘れちゃった"])
    assert blank.get("intent")["name"] is None
    assert text.get("intent")["name"] == "forgot_password"


def test_the_fallback_classifier_turns_no_intent_into_nlu_fallback(tmp_path: Path) -> None:
    [message] = Pipeline(tmp_path).parse([""])
    fallback = FallbackClassifier.create(FallbackClassifier.get_default_config(),
                                         LocalModelStorage(tmp_path), Resource("fb"), context())
    fallback.process([message])
    assert message.get("intent")["name"] == "nlu_fallback"


def test_the_feature_matrix_is_the_one_rasas_classifier_builds(tmp_path: Path) -> None:
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier

    pipeline = Pipeline(tmp_path)
    messages = [Message(data={"text": t}) for t in ("会員番号を忘れた", "ﾊﾟｽﾜｰﾄﾞ")]
    pipeline.tokenizer.process(messages)
    pipeline.featurizer.process(messages)
    ours = pipeline.classifier._create_X(messages)
    stock = LogisticRegressionClassifier._create_X(pipeline.classifier, messages)
    assert (ours != stock).nnz == 0 and ours.shape == stock.shape


def test_weights_are_kept_column_major_with_unchanged_probabilities(tmp_path: Path) -> None:
    pipeline = Pipeline(tmp_path)
    as_trained = copy.deepcopy(pipeline.classifier.clf)
    assert not as_trained.coef_.flags.f_contiguous
    [message] = pipeline.parse(["パスワードを忘れちゃった"])
    assert pipeline.classifier.clf.coef_.flags.f_contiguous
    expected = as_trained.predict_proba(pipeline.classifier._create_X([message]))[0]
    ranking = {r["name"]: r["confidence"] for r in message.get("intent_ranking")}
    assert ranking == dict(zip(as_trained.classes_, expected))


def test_a_word_repeated_many_times_weighs_what_it_weighs_three_times(tmp_path: Path) -> None:
    # three times, so that the n-grams across the joins also count twice (capped) in both
    thrice, many = Pipeline(tmp_path, max_count=2).parse(["パスワード" * 3, "パスワード" * 2000])
    assert many.get("intent_ranking") == thrice.get("intent_ranking")


@pytest.mark.parametrize("bad", [-1, "2", 1.5, True])
def test_max_count_must_be_a_whole_number_not_below_0(tmp_path: Path, bad: object) -> None:
    with pytest.raises(ValueError):
        Pipeline(tmp_path, max_count=bad)


def test_max_count_0_keeps_the_counts_as_rasa_builds_them(tmp_path: Path) -> None:
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier

    pipeline = Pipeline(tmp_path, max_count=2)
    messages = [Message(data={"text": "会員番号会員番号会員番号を忘れた"})]
    pipeline.tokenizer.process(messages)
    pipeline.featurizer.process(messages)
    stock = LogisticRegressionClassifier._create_X(pipeline.classifier, messages)
    assert pipeline.classifier._create_X(messages).max() == 2 < stock.max()
    pipeline.classifier.config["max_count"] = 0
    assert (pipeline.classifier._create_X(messages) != stock).nnz == 0
