"""Pure metric helpers of bot.nlu.evaluate (no training, no Rasa model)."""
from __future__ import annotations

from collections import Counter

import pytest
import yaml

from bot.nlu import evaluate as ev
from bot.nlu.evaluate import Prediction


def _p(gold: str, intent: str, confidence: float, second=None, fallback: bool = False) -> Prediction:
    return Prediction(text="", gold=gold, intent=intent, confidence=confidence, second=second,
                      fallback=fallback)


# --- intent metrics -------------------------------------------------------------------------

def test_intent_metrics_hand_computed():
    gold = ["a", "a", "b", "b", "c"]
    pred = ["a", "b", "b", "b", "a"]
    m = ev.intent_metrics(gold, pred)
    # a: P 1/2 R 1/2 F1 .5; b: P 2/3 R 1 F1 .8; c: F1 0
    assert m["accuracy"] == pytest.approx(0.6)
    assert m["per_label"]["a"]["f1"] == pytest.approx(0.5)
    assert m["per_label"]["b"]["precision"] == pytest.approx(2 / 3)
    assert m["per_label"]["b"]["f1"] == pytest.approx(0.8)
    assert m["per_label"]["c"]["f1"] == 0.0
    assert m["macro_f1"] == pytest.approx((0.5 + 0.8 + 0.0) / 3)
    assert m["weighted_f1"] == pytest.approx((2 * 0.5 + 2 * 0.8 + 1 * 0.0) / 5)
    assert [m["per_label"][k]["support"] for k in "abc"] == [2, 2, 1]


def test_intent_metrics_foreign_prediction_is_a_miss_not_a_label():
    m = ev.intent_metrics(["a", "b"], ["a", "nlu_fallback"], labels=["a", "b"])
    assert set(m["per_label"]) == {"a", "b"}
    assert m["accuracy"] == 0.5
    assert m["per_label"]["b"]["recall"] == 0.0
    assert m["macro_f1"] == pytest.approx(0.5)


def test_intent_metrics_perfect_and_errors():
    m = ev.intent_metrics(["x", "y"], ["x", "y"])
    assert m["accuracy"] == m["macro_f1"] == m["weighted_f1"] == 1.0
    with pytest.raises(ValueError):
        ev.intent_metrics(["x"], [])
    with pytest.raises(ValueError):
        ev.intent_metrics([], [])


# --- confusions -----------------------------------------------------------------------------

def test_confused_pairs_counts_orders_and_limits():
    gold = ["a", "a", "a", "b", "b", "c", "c", "c"]
    pred = ["b", "b", "a", "a", "c", "a", "a", "c"]
    assert ev.confused_pairs(gold, pred) == [("a", "b", 2), ("c", "a", 2), ("b", "a", 1), ("b", "c", 1)]
    assert ev.confused_pairs(gold, pred, top=1) == [("a", "b", 2)]
    assert ev.confused_pairs(["a"], ["a"]) == []


# --- parse results and the fallback rule ----------------------------------------------------

def test_prediction_from_parse_undoes_fallback():
    parsed = {
        "intent": {"name": "nlu_fallback", "confidence": 0.5},
        "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.5},
                           {"name": "forgot_number", "confidence": 0.42},
                           {"name": "where_is_number", "confidence": 0.30}],
    }
    p = ev.prediction_from_parse("t", "forgot_number", parsed)
    assert (p.intent, p.confidence, p.second, p.fallback, p.correct) == ("forgot_number", 0.42, 0.30, True, True)


def test_prediction_from_parse_plain_and_single():
    parsed = {"intent": {"name": "greet", "confidence": 0.9},
              "intent_ranking": [{"name": "greet", "confidence": 0.9}]}
    p = ev.prediction_from_parse("t", "thank", parsed)
    assert (p.intent, p.second, p.fallback, p.correct) == ("greet", None, False, False)
    p = ev.prediction_from_parse("t", "greet", {"intent": {"name": "greet", "confidence": 0.8}})
    assert (p.intent, p.confidence) == ("greet", 0.8)


def test_would_fall_back_matches_rasa_rule():
    assert ev.would_fall_back(_p("a", "a", 0.49, 0.1), 0.5, 0.1)          # below threshold
    assert not ev.would_fall_back(_p("a", "a", 0.50, 0.2), 0.5, 0.1)      # at threshold: kept
    assert ev.would_fall_back(_p("a", "a", 0.55, 0.46), 0.5, 0.1)         # ambiguous
    assert not ev.would_fall_back(_p("a", "a", 0.55, None), 0.5, 0.1)     # no runner-up


def test_fallback_summary():
    preds = [_p("a", "a", 0.9, 0.05), _p("a", "a", 0.4, 0.1, fallback=True),
             _p("b", "a", 0.6, 0.55, fallback=True), _p("b", "a", 0.8, 0.1)]
    s = ev.fallback_summary(preds, 0.5, 0.1)
    assert (s["fallback"], s["below_threshold"], s["ambiguous_only"], s["fallback_but_correct"]) == (2, 1, 1, 1)
    assert s["fallback_rate"] == 0.5
    assert s["accepted_accuracy"] == 0.5
    assert s["answered_correctly"] == 0.25


# --- threshold sweep ------------------------------------------------------------------------

def _sweep_predictions():
    return [
        _p("a", "a", 0.95, 0.01), _p("a", "a", 0.85, 0.05), _p("b", "b", 0.75, 0.1),
        _p("b", "a", 0.65, 0.2), _p("c", "c", 0.55, 0.3), _p("c", "a", 0.45, 0.3),
        _p("a", "a", 0.90, 0.85),  # ambiguous at any threshold
    ]


def test_threshold_sweep_counts():
    rows = {r["threshold"]: r for r in ev.threshold_sweep(_sweep_predictions(), [0.3, 0.5, 0.7, 0.99], 0.1)}
    assert rows[0.3]["accepted"] == 6 and rows[0.3]["wrong_accepted"] == 2
    assert rows[0.3]["accepted_accuracy"] == pytest.approx(4 / 6)
    assert rows[0.5]["accepted"] == 5 and rows[0.5]["accepted_accuracy"] == pytest.approx(4 / 5)
    assert rows[0.7]["accepted"] == 3 and rows[0.7]["accepted_accuracy"] == 1.0
    assert rows[0.7]["fallback_share"] == pytest.approx(4 / 7)
    assert rows[0.7]["correct_rejected"] == 2  # c@0.55 and the ambiguous a
    assert rows[0.99]["accepted"] == 0 and rows[0.99]["accepted_accuracy"] is None


def test_recommend_threshold_takes_highest_coverage_meeting_target():
    sweep = ev.threshold_sweep(_sweep_predictions(), [0.3, 0.5, 0.6, 0.7, 0.8], 0.1)
    rec = ev.recommend_threshold(sweep, target=0.97)
    assert rec["threshold"] == 0.7 and rec["target_met"]
    rec = ev.recommend_threshold(sweep, target=0.75)
    assert rec["threshold"] == 0.5 and rec["target_met"]


def test_recommend_threshold_does_not_buy_coverage_with_wrong_answers():
    preds = [_p("a", "a", 0.9, 0.0) for _ in range(10)] + [_p("a", "b", 0.35, 0.0)]
    sweep = ev.threshold_sweep(preds, [0.3, 0.4], 0.1)
    assert [ev.net_answers(r) for r in sweep] == [9, 10]
    # 0.30 has the higher coverage and still 10/11 = 91% accuracy, but the extra one is wrong.
    assert ev.recommend_threshold(sweep, target=0.9)["threshold"] == 0.4


def test_recommend_threshold_prefers_coverage_when_it_is_right():
    preds = [_p("a", "a", 0.9, 0.0), _p("a", "a", 0.35, 0.0), _p("a", "a", 0.32, 0.0)]
    sweep = ev.threshold_sweep(preds, [0.3, 0.4, 0.5], 0.1)
    assert ev.recommend_threshold(sweep)["threshold"] == 0.3


def test_compare_thresholds():
    sweep = ev.threshold_sweep(_sweep_predictions(), [0.5, 0.7], 0.1)
    change = ev.compare_thresholds(sweep, 0.7, 0.5)
    assert (change["right_answers"], change["wrong_answers"], change["fallbacks"]) == (-1, -1, 2)
    assert change["net"] == 0 and change["within_noise"]
    assert not ev.compare_thresholds(sweep, 0.7, 0.65)["comparable"]


def test_discordant_and_exact_mcnemar():
    right, wrong = _p("a", "a", 0.9), _p("a", "b", 0.9)
    first = [right] * 11 + [wrong] * 3 + [right] * 5 + [wrong] * 2
    second = [wrong] * 11 + [right] * 3 + [right] * 5 + [wrong] * 2
    d = ev.discordant(first, second)
    assert (d["only_first_right"], d["only_second_right"], d["both_right"], d["both_wrong"]) == (11, 3, 5, 2)
    # two-sided exact binomial: 2 * (C(14,0)+C(14,1)+C(14,2)+C(14,3)) / 2**14
    assert d["mcnemar_exact_p"] == pytest.approx(2 * 470 / 16384)
    assert ev.discordant([right], [right])["mcnemar_exact_p"] == 1.0


def test_recommend_threshold_when_target_unreachable():
    preds = [_p("a", "b", 0.9, 0.0), _p("a", "a", 0.6, 0.0), _p("a", "b", 0.4, 0.0)]
    sweep = ev.threshold_sweep(preds, [0.3, 0.5, 0.7], 0.1)
    rec = ev.recommend_threshold(sweep, target=0.97)
    assert not rec["target_met"]
    assert rec["threshold"] == 0.5  # 1/2 right beats 1/3 and 0/1
    nothing = ev.threshold_sweep([_p("a", "a", 0.2, 0.0)], [0.5], 0.1)
    assert ev.recommend_threshold(nothing)["threshold"] is None


def test_sweep_default_range():
    assert ev.SWEEP_THRESHOLDS[0] == 0.3 and ev.SWEEP_THRESHOLDS[-1] == 0.8
    assert len(ev.SWEEP_THRESHOLDS) == 11


# --- entities -------------------------------------------------------------------------------

def test_entity_scores():
    cases = [
        ([("member_number", "1234567890")], [("member_number", "1234567890")]),     # right
        ([("member_number", "987654321")], [("member_number", "98765432")]),        # wrong value
        ([("email", "a@example.jp")], []),                                          # missed
        ([], [("phone_number", "0312345678")]),                                     # false positive
        ([], []),                                                                   # clean negative
        ([("birthdate", "2010-04-01"), ("birthdate", "2012-05-03")],
         [("birthdate", "2012-05-03")]),                                            # one of two
    ]
    s = ev.entity_scores(cases)
    member = s["per_type"]["member_number"]
    assert (member["precision"], member["recall"], member["value_accuracy"]) == (1.0, 1.0, 0.5)
    assert member["strict_f1"] == pytest.approx(0.5)
    assert s["per_type"]["email"]["recall"] == 0.0 and s["per_type"]["email"]["f1"] == 0.0
    assert s["per_type"]["phone_number"]["precision"] == 0.0
    birth = s["per_type"]["birthdate"]
    assert (birth["precision"], birth["recall"], birth["value_accuracy"]) == (1.0, 0.5, 1.0)
    overall = s["overall"]
    assert (overall["gold"], overall["predicted"], overall["detected"], overall["value_correct"]) == (5, 4, 3, 2)
    assert (s["messages_exact"], s["negative_messages"], s["negative_messages_clean"]) == (2, 2, 1)


def test_entity_scores_value_must_match_type():
    s = ev.entity_scores([([("member_number", "0312345678")], [("phone_number", "0312345678")])])
    assert s["overall"]["detected"] == 0 and s["overall"]["value_correct"] == 0


# --- overlap with the training data ---------------------------------------------------------

def test_overlap_key_ignores_width_case_spaces_punctuation_and_emoji():
    assert ev.overlap_key("ﾛｸﾞｲﾝ できない！😢") == ev.overlap_key("ログインできない")
    assert ev.overlap_key("ＯＫ") == ev.overlap_key("ok")
    assert ev.overlap_key("会員番号どこ？") != ev.overlap_key("会員番号どこですか")


def test_verbatim_overlap():
    flags = ev.verbatim_overlap(["こんにちは😊", "会員番号どこ", "はじめて聞く文"], ["こんにちは", "会員番号 どこ?"])
    assert flags == [True, True, False]


def test_novel_figures_skip_verbatim_utterances():
    preds = [_p("a", "a", 0.9, 0.0), _p("b", "a", 0.9, 0.0), _p("b", "b", 0.2, 0.0, fallback=True)]
    result = ev.SystemResult("x", "", "", 0.0, 0.0, preds, {}, [], ev.fallback_summary(preds, 0.5, 0.1), [])
    figures = ev.novel_figures(result, [True, False, False])
    assert (figures["n"], figures["accuracy"], figures["fallback"], figures["answered_correctly"]) == (2, 0.5, 1, 0.0)
    assert ev.novel_figures(result, [True, True, True]) == {"n": 0}


# --- folds and configs ----------------------------------------------------------------------

def test_stratified_folds_partition_and_stratify():
    labels = ["a"] * 10 + ["b"] * 5
    folds = ev.stratified_folds(labels, 5)
    flat = sorted(i for fold in folds for i in fold)
    assert flat == list(range(15))
    assert all(Counter(labels[i] for i in fold) == Counter({"a": 2, "b": 1}) for fold in folds)
    with pytest.raises(ValueError):
        ev.stratified_folds(labels, 1)


def test_fallback_settings(tmp_path):
    cfg = tmp_path / "c.yml"
    cfg.write_text(yaml.safe_dump({"pipeline": [{"name": "FallbackClassifier", "threshold": 0.6}]}))
    assert ev.fallback_settings(cfg) == (0.6, 0.1)
    cfg.write_text(yaml.safe_dump({"pipeline": [{"name": "DIETClassifier"}]}))
    assert ev.fallback_settings(cfg) == (0.3, 0.1)


def test_baseline_is_stock_and_comparable():
    config = yaml.safe_load(ev.BASELINE_CONFIG.read_text(encoding="utf-8"))
    names = [c["name"] for c in config["pipeline"]]
    assert not [n for n in names if "." in n], "the baseline must use stock Rasa components only"
    assert config["language"] != "ja"  # WhitespaceTokenizer refuses ja; see the file's comment
    # Same classifier and fallback settings as config.yml, so only tokenization/features differ.
    assert ev._config_differences() == []


def test_classifier_settings_name_the_intent_classifier(tmp_path):
    cfg = tmp_path / "c.yml"
    cfg.write_text(yaml.safe_dump({"pipeline": [
        {"name": "WhitespaceTokenizer"},
        {"name": "LogisticRegressionClassifier", "max_iter": 1000},
        {"name": "FallbackClassifier"}]}))
    assert ev._classifier_settings(cfg) == {"name": "LogisticRegressionClassifier", "max_iter": 1000}


def test_classifier_settings_are_empty_without_an_intent_classifier(tmp_path):
    cfg = tmp_path / "c.yml"
    cfg.write_text(yaml.safe_dump({"pipeline": [{"name": "WhitespaceTokenizer"}]}))
    assert ev._classifier_settings(cfg) == {}


def test_our_classifier_counts_as_the_stock_one_it_extends(tmp_path):
    cfg = tmp_path / "c.yml"
    cfg.write_text(yaml.safe_dump({"pipeline": [
        {"name": "bot.nlu.intent_classifier.LogisticRegressionIntentClassifier", "max_iter": 1000}]}))
    assert ev._classifier_settings(cfg) == {"name": "LogisticRegressionClassifier", "max_iter": 1000}


# --- other writers' held-out sets -----------------------------------------------------------

def test_other_set_answered_correctly_excludes_right_answers_sent_to_fallback():
    preds = [_p("a", "a", 0.9), _p("a", "a", 0.3, fallback=True), _p("b", "a", 0.8), _p("b", "b", 0.7)]
    score = ev.score_other_set("set_x", preds)
    assert (score["n"], score["accuracy"], score["fallback"], score["answered_correctly"]) == (4, 0.75, 1, 0.5)


def test_other_set_lists_each_wrong_utterance():
    preds = [_p("greet", "greet", 0.9), Prediction("ﾁｶﾞｳ", "deny", "out_of_scope", 0.36, 0.2, True)]
    errors = ev.score_other_set("set_x", preds)["errors"]
    assert errors == [{"text": "ﾁｶﾞｳ", "gold": "deny", "predicted": "out_of_scope",
                       "confidence": 0.36, "fallback": True}]


def test_other_sets_are_rasa_nlu_files_with_every_label():
    labels = {intent for _, intent in ev.load_heldout()}
    files = sorted(ev.HELDOUT_OTHERS.glob("*.yml"))
    assert files
    for path in files:
        assert {intent for _, intent in ev.load_heldout(path)} == labels, path.name


def test_other_sets_skip_a_file_without_intent_examples(tmp_path):
    (tmp_path / "empty.yml").write_text('version: "3.1"\nnlu: []\n', encoding="utf-8")
    assert ev.evaluate_other_sets({}, [], folder=tmp_path) == []
