"""NLU evaluation: our pipeline against a stock-Rasa baseline on the held-out sets.

``python -m bot.nlu.evaluate`` (``make eval-nlu``) does, in one run:

1. trains an NLU-only model with ``config.yml`` (our pipeline) on ``data/nlu`` and parses every
   utterance of ``tests/nlu/heldout.yml`` in-process;
2. trains the stock-Rasa baseline ``bot/nlu/baseline_config.yml`` on the same data and parses
   the same utterances;
3. prints, for both: intent accuracy, macro-F1, weighted-F1, per-label F1, the most confused
   (true -> predicted) pairs and the fallback rate;
4. scores our entity extractor on ``tests/nlu/heldout_entities.yml`` (per-type P/R/F1 and
   exact-value accuracy);
5. sweeps the FallbackClassifier threshold on our held-out predictions and recommends one.
6. parses the other writers' held-out sets in ``tests/nlu/heldout_others/`` with both models and
   prints accuracy, macro-F1 and answered-correctly per set, and every utterance ours gets wrong.

``--folds N`` adds stratified N-fold cross-validation of both pipelines on ``data/nlu`` (slow: 2N
more trainings). ``--json PATH`` writes every figure as JSON. Models go to ``var/eval``.

The held-out files are never used for training. Rasa's training cache is switched off for the
run so every figure comes from a fresh training of the current code and data.

The metric helpers at the top are pure (no Rasa import) and are unit-tested in
``tests/nlu/test_evaluate.py``.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as _dt
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
OUR_CONFIG = REPO_ROOT / "config.yml"
BASELINE_CONFIG = REPO_ROOT / "bot" / "nlu" / "baseline_config.yml"
NLU_DATA = REPO_ROOT / "data" / "nlu"
HELDOUT = REPO_ROOT / "tests" / "nlu" / "heldout.yml"
HELDOUT_ENTITIES = REPO_ROOT / "tests" / "nlu" / "heldout_entities.yml"
# More held-out intent sets, each written by a different writer who never saw data/nlu.
HELDOUT_OTHERS = REPO_ROOT / "tests" / "nlu" / "heldout_others"
OUT_DIR = REPO_ROOT / "var" / "eval"

FALLBACK_INTENT = "nlu_fallback"
ENTITY_TYPES = ("member_number", "email", "birthdate", "phone_number")
SWEEP_THRESHOLDS = tuple(round(0.30 + 0.05 * i, 2) for i in range(11))  # 0.30 .. 0.80
TARGET_ACCEPTED_ACCURACY = 0.97
TOP_CONFUSIONS = 10
BASELINE_ENTITIES_NOTE = "n/a (stock pipeline has no Japanese entity extraction)"
RECOMMENDATION_RULE = (
    f"among thresholds whose accuracy on accepted utterances is >= {TARGET_ACCEPTED_ACCURACY:.2f}, "
    f"the one with the most (right - wrong) accepted answers (a fallback counts 0), ties to the "
    f"highest coverage; ambiguity_threshold kept as configured; if none reaches "
    f"{TARGET_ACCEPTED_ACCURACY:.2f}, the threshold with the best accepted accuracy"
)
NOISE_UTTERANCES = 2  # a net difference this small on the held-out set is no reason to change


# --------------------------------------------------------------------------------------------
# Pure helpers (no Rasa, no TensorFlow)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prediction:
    """One parsed held-out utterance.

    ``intent``/``confidence`` are the classifier's top intent with the FallbackClassifier undone,
    ``second`` the runner-up's confidence (None if there is none) and ``fallback`` whether the
    real pipeline answered ``nlu_fallback``.
    """

    text: str
    gold: str
    intent: str
    confidence: float
    second: Optional[float]
    fallback: bool

    @property
    def correct(self) -> bool:
        """Whether the top intent is the gold intent."""
        return self.intent == self.gold


def prediction_from_parse(text: str, gold: str, parsed: Dict[str, Any]) -> Prediction:
    """A ``Prediction`` from a Rasa parse result (``Agent.parse_message`` output)."""
    intent = parsed.get("intent") or {}
    ranking = [r for r in parsed.get("intent_ranking") or [] if r.get("name") != FALLBACK_INTENT]
    if ranking:
        top = ranking[0]
    else:  # no ranking at all: only the intent field, possibly the fallback itself
        top = intent
    second = ranking[1].get("confidence") if len(ranking) > 1 else None
    return Prediction(
        text=text,
        gold=gold,
        intent=str(top.get("name")),
        confidence=float(top.get("confidence") or 0.0),
        second=None if second is None else float(second),
        fallback=intent.get("name") == FALLBACK_INTENT,
    )


def would_fall_back(prediction: Prediction, threshold: float, ambiguity_threshold: float) -> bool:
    """Rasa's FallbackClassifier rule: low confidence, or top two closer than the ambiguity gap."""
    if prediction.confidence < threshold:
        return True
    if prediction.second is not None and prediction.confidence - prediction.second < ambiguity_threshold:
        return True
    return False


def _safe_div(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(precision: float, recall: float) -> float:
    return _safe_div(2 * precision * recall, precision + recall)


def intent_metrics(gold: Sequence[str], predicted: Sequence[str],
                   labels: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    """Accuracy, macro-F1, weighted-F1 and per-label P/R/F1/support (sklearn definitions).

    ``labels`` defaults to the sorted gold labels; predicted labels outside it (e.g.
    ``nlu_fallback``) count as misses for the gold label and are not averaged in.
    """
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    if not gold:
        raise ValueError("nothing to score")
    labels = list(labels) if labels is not None else sorted(set(gold))
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=labels, zero_division=0)
    return {
        "n": len(gold),
        "accuracy": float(accuracy_score(gold, predicted)),
        "macro_f1": float(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)),
        "weighted_f1": float(f1_score(gold, predicted, labels=labels, average="weighted", zero_division=0)),
        "per_label": {
            label: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
            for label, p, r, f, s in zip(labels, precision, recall, f1, support)
        },
    }


def confused_pairs(gold: Sequence[str], predicted: Sequence[str],
                   top: Optional[int] = TOP_CONFUSIONS) -> List[Tuple[str, str, int]]:
    """(true, predicted, count) for every error, most frequent first, ties by name."""
    counts = Counter((g, p) for g, p in zip(gold, predicted) if g != p)
    pairs = sorted(counts.items(), key=lambda item: (-item[1], item[0][0], item[0][1]))
    return [(g, p, n) for (g, p), n in pairs[:top]]


def fallback_summary(predictions: Sequence[Prediction], threshold: float,
                     ambiguity_threshold: float) -> Dict[str, Any]:
    """How many utterances the pipeline sends to fallback, and accuracy on the rest."""
    n = len(predictions)
    fell = [p for p in predictions if p.fallback]
    below = [p for p in predictions if p.confidence < threshold]
    accepted = [p for p in predictions if not p.fallback]
    correct_accepted = sum(p.correct for p in accepted)
    return {
        "threshold": threshold,
        "ambiguity_threshold": ambiguity_threshold,
        "fallback": len(fell),
        "fallback_rate": _safe_div(len(fell), n),
        "below_threshold": len(below),
        "below_threshold_rate": _safe_div(len(below), n),
        "ambiguous_only": len(fell) - len([p for p in fell if p.confidence < threshold]),
        "accepted_accuracy": _safe_div(correct_accepted, len(accepted)),
        # Right answer AND no fallback: what members actually get answered correctly.
        "answered_correctly": _safe_div(correct_accepted, n),
        "fallback_but_correct": sum(p.correct for p in fell),
    }


def threshold_sweep(predictions: Sequence[Prediction], thresholds: Iterable[float],
                    ambiguity_threshold: float) -> List[Dict[str, Any]]:
    """For each threshold: accepted count, share sent to fallback, accuracy on accepted."""
    rows = []
    n = len(predictions)
    for threshold in thresholds:
        accepted = [p for p in predictions if not would_fall_back(p, threshold, ambiguity_threshold)]
        correct = sum(p.correct for p in accepted)
        rows.append({
            "threshold": threshold,
            "accepted": len(accepted),
            "coverage": _safe_div(len(accepted), n),
            "fallback_share": _safe_div(n - len(accepted), n),
            "accepted_accuracy": _safe_div(correct, len(accepted)) if accepted else None,
            "wrong_accepted": len(accepted) - correct,
            "correct_rejected": sum(p.correct for p in predictions) - correct,
        })
    return rows


def net_answers(row: Dict[str, Any]) -> int:
    """Right minus wrong accepted answers of a sweep row (an utterance sent to fallback counts 0)."""
    return row["accepted"] - 2 * row["wrong_accepted"]


def recommend_threshold(sweep: Sequence[Dict[str, Any]],
                        target: float = TARGET_ACCEPTED_ACCURACY) -> Dict[str, Any]:
    """The threshold ``RECOMMENDATION_RULE`` picks from a sweep.

    Plain "highest coverage above the target" would lower the threshold even when every extra
    accepted utterance is a wrong answer; weighing right against wrong answers stops that.
    """
    if not sweep:
        raise ValueError("empty sweep")
    rows = sorted(sweep, key=lambda r: r["threshold"])
    meeting = [r for r in rows if r["accepted_accuracy"] is not None and r["accepted_accuracy"] >= target]
    if meeting:
        best = max(meeting, key=lambda r: (net_answers(r), r["coverage"], -r["threshold"]))
        return {"threshold": best["threshold"], "target_met": True, "row": best, "rule": RECOMMENDATION_RULE}
    scored = [r for r in rows if r["accepted_accuracy"] is not None]
    if not scored:
        return {"threshold": None, "target_met": False, "row": None, "rule": RECOMMENDATION_RULE}
    best = max(scored, key=lambda r: (r["accepted_accuracy"], r["coverage"], -r["threshold"]))
    return {"threshold": best["threshold"], "target_met": False, "row": best, "rule": RECOMMENDATION_RULE}


def compare_thresholds(sweep: Sequence[Dict[str, Any]], recommended: float, current: float) -> Dict[str, Any]:
    """What moving from ``current`` to ``recommended`` changes on the held-out set."""
    by_threshold = {round(r["threshold"], 4): r for r in sweep}
    new, old = by_threshold.get(round(recommended, 4)), by_threshold.get(round(current, 4))
    if new is None or old is None:
        return {"comparable": False}
    delta_net = net_answers(new) - net_answers(old)
    return {
        "comparable": True,
        "current": current,
        "recommended": recommended,
        "right_answers": (new["accepted"] - new["wrong_accepted"]) - (old["accepted"] - old["wrong_accepted"]),
        "wrong_answers": new["wrong_accepted"] - old["wrong_accepted"],
        "fallbacks": old["accepted"] - new["accepted"],
        "net": delta_net,
        "within_noise": abs(delta_net) <= NOISE_UTTERANCES,
    }


def discordant(first: Sequence[Prediction], second: Sequence[Prediction]) -> Dict[str, Any]:
    """Paired comparison of two systems on the same utterances, with an exact McNemar test.

    ``p_value`` is the two-sided exact binomial p of the discordant pairs (how likely a split at
    least this uneven is if both systems were equally good).
    """
    if len(first) != len(second):
        raise ValueError("predictions differ in length")
    only_first = sum(a.correct and not b.correct for a, b in zip(first, second))
    only_second = sum(b.correct and not a.correct for a, b in zip(first, second))
    n = only_first + only_second
    k = min(only_first, only_second)
    p_value = min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n) if n else 1.0
    return {
        "only_first_right": only_first,
        "only_second_right": only_second,
        "both_right": sum(a.correct and b.correct for a, b in zip(first, second)),
        "both_wrong": sum(not a.correct and not b.correct for a, b in zip(first, second)),
        "mcnemar_exact_p": p_value,
    }


EntityPairs = Sequence[Tuple[str, str]]


def entity_scores(cases: Sequence[Tuple[EntityPairs, EntityPairs]],
                  types: Sequence[str] = ENTITY_TYPES) -> Dict[str, Any]:
    """Per-type detection P/R/F1, exact-value accuracy and strict (type + value) P/R/F1.

    ``cases`` holds, per message, (gold, predicted) lists of (entity, normalized value). The
    held-out file has no spans, so detection is matched by type within a message
    (min(gold count, predicted count)); a detected entity's value counts as right when the
    same (type, value) is on both sides.
    """
    gold_n: Counter = Counter()
    pred_n: Counter = Counter()
    type_tp: Counter = Counter()
    value_tp: Counter = Counter()
    exact_messages = 0
    negatives = 0
    negatives_clean = 0
    for gold, predicted in cases:
        gold_c, pred_c = Counter(gold), Counter(predicted)
        gold_types, pred_types = Counter(e for e, _ in gold), Counter(e for e, _ in predicted)
        gold_n.update(gold_types)
        pred_n.update(pred_types)
        for entity in set(gold_types) | set(pred_types):
            type_tp[entity] += min(gold_types[entity], pred_types[entity])
        for (entity, _value), count in (gold_c & pred_c).items():
            value_tp[entity] += count
        exact_messages += gold_c == pred_c
        if not gold:
            negatives += 1
            negatives_clean += not predicted

    def block(g: int, p: int, t: int, v: int) -> Dict[str, Any]:
        precision, recall = _safe_div(t, p), _safe_div(t, g)
        strict_p, strict_r = _safe_div(v, p), _safe_div(v, g)
        return {
            "gold": g, "predicted": p, "detected": t, "value_correct": v,
            "precision": precision, "recall": recall, "f1": _f1(precision, recall),
            "value_accuracy": _safe_div(v, t),
            "strict_precision": strict_p, "strict_recall": strict_r,
            "strict_f1": _f1(strict_p, strict_r),
        }

    all_types = list(types) + sorted(set(gold_n) | set(pred_n) - set(types))
    per_type = {e: block(gold_n[e], pred_n[e], type_tp[e], value_tp[e]) for e in all_types}
    overall = block(sum(gold_n.values()), sum(pred_n.values()),
                    sum(type_tp.values()), sum(value_tp.values()))
    return {
        "messages": len(cases),
        "messages_exact": exact_messages,
        "message_accuracy": _safe_div(exact_messages, len(cases)),
        "negative_messages": negatives,
        "negative_messages_clean": negatives_clean,
        "per_type": per_type,
        "overall": overall,
    }


def overlap_key(text: str) -> str:
    """Text reduced for the verbatim-overlap check: NFKC, lower case, letters and digits only."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text or "").lower() if ch.isalnum())


def verbatim_overlap(texts: Sequence[str], training_texts: Iterable[str]) -> List[bool]:
    """Per text: does a training example read the same (spaces, punctuation, emoji, width aside)?"""
    seen = {overlap_key(t) for t in training_texts}
    return [overlap_key(t) in seen for t in texts]


def stratified_folds(labels: Sequence[str], n_folds: int, seed: int = 42) -> List[List[int]]:
    """Indices of each test fold, stratified by label (sklearn StratifiedKFold, shuffled)."""
    from sklearn.model_selection import StratifiedKFold

    if n_folds < 2:
        raise ValueError("--folds needs at least 2")
    splitter = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    return [sorted(test.tolist()) for _, test in splitter.split(list(range(len(labels))), list(labels))]


# --------------------------------------------------------------------------------------------
# Loading data and configs
# --------------------------------------------------------------------------------------------


def load_heldout(path: Path = HELDOUT) -> List[Tuple[str, str]]:
    """(text, intent) pairs of a Rasa NLU YAML file, in file order."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def load_training_texts(path: Path = NLU_DATA) -> List[str]:
    """Texts of every intent example in the training data."""
    from rasa.shared.nlu.training_data.loading import load_data

    return [m.get("text") for m in load_data(str(path)).intent_examples]


def load_heldout_entities(path: Path = HELDOUT_ENTITIES) -> List[Dict[str, Any]]:
    """The entity cases: [{text, entities: [{entity, value}]}]."""
    cases = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    for case in cases:
        case["entities"] = [{"entity": e["entity"], "value": str(e["value"])} for e in case.get("entities") or []]
    return cases


def fallback_settings(config_path: Path) -> Tuple[float, float]:
    """(threshold, ambiguity_threshold) of the config's FallbackClassifier (Rasa defaults otherwise)."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    for component in config.get("pipeline") or []:
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3)), float(component.get("ambiguity_threshold", 0.1))
    return 0.3, 0.1


# Intent classifiers the evaluation knows, by the Rasa classifier they amount to: ours changes
# what an empty message gets and can cap the counts (max_count, one of our features, like the
# tokenizer); the settings both share must equal the baseline's.
INTENT_CLASSIFIERS = {
    "DIETClassifier": "DIETClassifier",
    "LogisticRegressionClassifier": "LogisticRegressionClassifier",
    "bot.nlu.intent_classifier.LogisticRegressionIntentClassifier": "LogisticRegressionClassifier",
}
# Settings of ours that Rasa's LogisticRegressionClassifier does not have.
OUR_CLASSIFIER_ONLY = {"max_count"}


def _classifier_settings(config_path: Path) -> Dict[str, Any]:
    """Kind and settings of the config's intent classifier (empty if it has none we know)."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    for component in config.get("pipeline") or []:
        if component.get("name") in INTENT_CLASSIFIERS:
            return {**component, "name": INTENT_CLASSIFIERS[component["name"]]}
    return {}


# --------------------------------------------------------------------------------------------
# Training and parsing (Rasa)
# --------------------------------------------------------------------------------------------


def _prepare_environment() -> None:
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # Rasa's training cache keys components by class + config, not by our source code: a cached
    # tokenizer/featurizer would survive an edit of bot/nlu. Every evaluation trains fresh.
    os.environ["RASA_MAX_CACHE_SIZE"] = "0"


def train_model(config: Path, nlu_data: Path, out_dir: Path, name: str) -> Path:
    """Train an NLU-only model; return the archive path."""
    from rasa.model_training import train_nlu

    out_dir.mkdir(parents=True, exist_ok=True)
    stale = out_dir / f"{name}.tar.gz"
    if stale.exists():
        stale.unlink()
    result = train_nlu(str(config), str(nlu_data), str(out_dir), fixed_model_name=name)
    if not result:
        raise RuntimeError(f"training {name} with {config} produced no model")
    return Path(result)


def parse_texts(model: Path, texts: Sequence[str]) -> List[Dict[str, Any]]:
    """Parse every text in-process with the model (one event loop for all)."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def run() -> List[Dict[str, Any]]:
        return [await agent.parse_message(text) for text in texts]

    return asyncio.run(run())


@dataclass
class SystemResult:
    """Everything measured for one system on the held-out intents."""

    name: str
    config: str
    model: str
    train_seconds: float
    parse_seconds: float
    predictions: List[Prediction]
    metrics: Dict[str, Any]
    confusions: List[Tuple[str, str, int]]
    fallback: Dict[str, Any]
    sweep: List[Dict[str, Any]]

    def as_json(self, include_predictions: bool = True) -> Dict[str, Any]:
        """JSON-ready dict."""
        data = {
            "name": self.name, "config": self.config, "model": self.model,
            "train_seconds": round(self.train_seconds, 1), "parse_seconds": round(self.parse_seconds, 2),
            "metrics": self.metrics,
            "confusions": [{"true": g, "predicted": p, "count": n} for g, p, n in self.confusions],
            "fallback": self.fallback, "threshold_sweep": self.sweep,
        }
        if include_predictions:
            data["predictions"] = [asdict(p) for p in self.predictions]
        return data


def evaluate_system(name: str, config_path: Path, heldout: Sequence[Tuple[str, str]],
                    out_dir: Path) -> Tuple[SystemResult, Path]:
    """Train one system on data/nlu and score it on the held-out intents."""
    print(f"\n== training {name} ({_rel(config_path)}) ...", flush=True)
    started = time.perf_counter()
    model = train_model(config_path, NLU_DATA, out_dir, name)
    train_seconds = time.perf_counter() - started
    print(f"== {name}: trained in {train_seconds:.0f} s -> {_rel(model)}", flush=True)

    texts = [t for t, _ in heldout]
    started = time.perf_counter()
    parsed = parse_texts(model, texts)
    parse_seconds = time.perf_counter() - started
    predictions = [prediction_from_parse(t, g, p) for (t, g), p in zip(heldout, parsed)]
    labels = sorted({g for _, g in heldout})
    gold = [p.gold for p in predictions]
    predicted = [p.intent for p in predictions]
    threshold, ambiguity = fallback_settings(config_path)
    result = SystemResult(
        name=name, config=_rel(config_path), model=_rel(model),
        train_seconds=train_seconds, parse_seconds=parse_seconds, predictions=predictions,
        metrics=intent_metrics(gold, predicted, labels),
        confusions=confused_pairs(gold, predicted, TOP_CONFUSIONS),
        fallback=fallback_summary(predictions, threshold, ambiguity),
        sweep=threshold_sweep(predictions, SWEEP_THRESHOLDS, ambiguity),
    )
    return result, model


def score_other_set(name: str, predictions: Sequence[Prediction]) -> Dict[str, Any]:
    """Accuracy, macro-F1, fallback and answered-correctly of one system on one extra set."""
    metrics = intent_metrics([p.gold for p in predictions], [p.intent for p in predictions])
    return {
        "set": name,
        "n": len(predictions),
        "accuracy": metrics["accuracy"],
        "macro_f1": metrics["macro_f1"],
        "fallback": sum(p.fallback for p in predictions),
        "answered_correctly": _safe_div(sum(p.correct and not p.fallback for p in predictions),
                                        len(predictions)),
        "errors": [{"text": p.text, "gold": p.gold, "predicted": p.intent,
                    "confidence": round(p.confidence, 3), "fallback": p.fallback}
                   for p in predictions if not p.correct],
    }


def evaluate_other_sets(models: Dict[str, Path], training_texts: Sequence[str],
                        folder: Path = HELDOUT_OTHERS) -> List[Dict[str, Any]]:
    """Every system on every extra held-out set in ``folder`` (one Rasa NLU file per set).

    Each model is loaded once and parses all sets; a file without intent examples is skipped.
    """
    sets = [(path, load_heldout(path)) for path in sorted(folder.glob("*.yml"))]
    sets = [(path, pairs) for path, pairs in sets if pairs]
    if not sets:
        return []
    texts = [t for _, pairs in sets for t, _ in pairs]
    parsed = {system: parse_texts(model, texts) for system, model in models.items()}
    results, offset = [], 0
    for path, pairs in sets:
        row: Dict[str, Any] = {"file": _rel(path), "n": len(pairs),
                               "verbatim_in_training": sum(verbatim_overlap([t for t, _ in pairs],
                                                                            training_texts))}
        for system in models:
            chunk = parsed[system][offset:offset + len(pairs)]
            row[system] = score_other_set(path.stem, [prediction_from_parse(t, g, r)
                                                      for (t, g), r in zip(pairs, chunk)])
        offset += len(pairs)
        results.append(row)
    return results


def evaluate_entities(model: Path, cases: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    """Our extractor, run inside the trained pipeline, on the held-out entity cases."""
    parsed = parse_texts(model, [c["text"] for c in cases])
    scored = []
    details = []
    for case, result in zip(cases, parsed):
        gold = [(e["entity"], e["value"]) for e in case["entities"]]
        predicted = [(e["entity"], str(e["value"])) for e in result.get("entities") or []
                     if e.get("extractor") == "JapaneseEntityExtractor"]
        scored.append((gold, predicted))
        if Counter(gold) != Counter(predicted):
            details.append({"text": case["text"], "gold": gold, "predicted": predicted})
    scores = entity_scores(scored)
    scores["errors"] = details
    return scores


def cross_validate(config_path: Path, name: str, n_folds: int, out_dir: Path) -> Dict[str, Any]:
    """Stratified N-fold cross-validation of one pipeline on data/nlu (lookups kept in every fold)."""
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData

    data = load_data(str(NLU_DATA))
    examples = list(data.intent_examples)
    labels = [m.get("intent") for m in examples]
    folds = stratified_folds(labels, n_folds)
    gold_all: List[str] = []
    pred_all: List[str] = []
    per_fold = []
    for number, test_idx in enumerate(folds, 1):
        test_set = set(test_idx)
        train = [m for i, m in enumerate(examples) if i not in test_set]
        fold_data = TrainingData(training_examples=train, entity_synonyms=data.entity_synonyms,
                                 regex_features=data.regex_features, lookup_tables=data.lookup_tables)
        with tempfile.TemporaryDirectory(prefix="nlu-cv-") as tmp:
            train_file = Path(tmp) / "train.yml"
            RasaYAMLWriter().dump(str(train_file), fold_data)
            print(f"\n== cross-validation, {name}, fold {number}/{n_folds}: training on {len(train)}, "
                  f"testing on {len(test_idx)} ...", flush=True)
            started = time.perf_counter()
            model = train_model(config_path, train_file, out_dir, f"cv-{name}-fold{number}")
            seconds = time.perf_counter() - started
        parsed = parse_texts(model, [examples[i].get("text") for i in test_idx])
        gold = [labels[i] for i in test_idx]
        predicted = [prediction_from_parse("", g, p).intent for g, p in zip(gold, parsed)]
        fold_metrics = intent_metrics(gold, predicted, sorted(set(labels)))
        per_fold.append({"fold": number, "n": len(gold), "accuracy": fold_metrics["accuracy"],
                         "macro_f1": fold_metrics["macro_f1"], "train_seconds": round(seconds, 1)})
        gold_all += gold
        pred_all += predicted
        model.unlink(missing_ok=True)
    pooled = intent_metrics(gold_all, pred_all, sorted(set(labels)))
    accuracies = [f["accuracy"] for f in per_fold]
    mean = sum(accuracies) / len(accuracies)
    std = (sum((a - mean) ** 2 for a in accuracies) / len(accuracies)) ** 0.5
    return {"system": name, "folds": n_folds, "per_fold": per_fold, "pooled": pooled,
            "accuracy_mean": mean, "accuracy_std": std,
            "confusions": [{"true": g, "predicted": p, "count": n}
                           for g, p, n in confused_pairs(gold_all, pred_all, TOP_CONFUSIONS)]}


# --------------------------------------------------------------------------------------------
# Printing
# --------------------------------------------------------------------------------------------


def _rel(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def _pct(value: Optional[float]) -> str:
    return "   -  " if value is None else f"{100 * value:5.1f}%"


def _num(value: float) -> str:
    return f"{value:.3f}"


def novel_figures(result: SystemResult, verbatim: Sequence[bool]) -> Dict[str, Any]:
    """Intent figures on the held-out utterances that do not occur verbatim in the training data."""
    novel = [p for p, seen in zip(result.predictions, verbatim) if not seen]
    if not novel:
        return {"n": 0}
    metrics = intent_metrics([p.gold for p in novel], [p.intent for p in novel])
    summary = fallback_summary(novel, result.fallback["threshold"], result.fallback["ambiguity_threshold"])
    return {"n": len(novel), "accuracy": metrics["accuracy"], "macro_f1": metrics["macro_f1"],
            "weighted_f1": metrics["weighted_f1"], "fallback": summary["fallback"],
            "answered_correctly": summary["answered_correctly"]}


def format_overlap(heldout: Sequence[Tuple[str, str]], verbatim: Sequence[bool]) -> str:
    """Which held-out utterances also occur verbatim in data/nlu, per intent."""
    per_intent = Counter(intent for (_, intent), seen in zip(heldout, verbatim) if seen)
    listed = ", ".join(f"{intent} {n}" for intent, n in sorted(per_intent.items(), key=lambda i: (-i[1], i[0])))
    return (f"held-out utterances that also occur verbatim in {_rel(NLU_DATA)} (after NFKC, lower case, "
            f"letters/digits only): {sum(verbatim)}/{len(verbatim)}" + (f" -- {listed}" if listed else ""))


def format_intent_report(ours: SystemResult, base: SystemResult, paired: Dict[str, Any],
                         novel: Optional[Dict[str, Dict[str, Any]]] = None,
                         overlap_line: Optional[str] = None) -> str:
    """Side-by-side intent figures."""
    lines: List[str] = []
    om, bm = ours.metrics, base.metrics
    of, bf = ours.fallback, base.fallback
    lines.append(f"\n=== Intents: held-out {_rel(HELDOUT)} ({om['n']} utterances, "
                 f"{len(om['per_label'])} intents) ===")
    lines.append(f"{'':37}{'ours':>10}{'baseline':>10}")
    rows = [
        ("intent accuracy (top intent)", _num(om["accuracy"]), _num(bm["accuracy"])),
        ("macro-F1", _num(om["macro_f1"]), _num(bm["macro_f1"])),
        ("weighted-F1", _num(om["weighted_f1"]), _num(bm["weighted_f1"])),
        (f"fallback rate (thr {of['threshold']}, amb {of['ambiguity_threshold']})",
         f"{of['fallback']}/{om['n']}", f"{bf['fallback']}/{bm['n']}"),
        ("  = share", _pct(of["fallback_rate"]), _pct(bf["fallback_rate"])),
        ("  of which below threshold", str(of["below_threshold"]), str(bf["below_threshold"])),
        ("  of which only ambiguous", str(of["ambiguous_only"]), str(bf["ambiguous_only"])),
        ("  fallback though top was right", str(of["fallback_but_correct"]), str(bf["fallback_but_correct"])),
        ("accuracy on accepted (non-fallback)", _num(of["accepted_accuracy"]), _num(bf["accepted_accuracy"])),
        ("answered correctly (no fallback)", _num(of["answered_correctly"]), _num(bf["answered_correctly"])),
        ("training time (s)", f"{ours.train_seconds:.0f}", f"{base.train_seconds:.0f}"),
    ]
    if novel and novel["ours"]["n"]:
        no, nb = novel["ours"], novel["baseline"]
        rows[3:3] = [
            (f"accuracy, {no['n']} not-in-training utt.", _num(no["accuracy"]), _num(nb["accuracy"])),
            ("macro-F1, not-in-training", _num(no["macro_f1"]), _num(nb["macro_f1"])),
            ("answered correctly, not-in-training", _num(no["answered_correctly"]), _num(nb["answered_correctly"])),
        ]
    for label, a, b in rows:
        lines.append(f"{label:37}{a:>10}{b:>10}")
    lines.append(f"paired: ours right & baseline wrong {paired['only_first_right']}, baseline right & "
                 f"ours wrong {paired['only_second_right']}, both wrong {paired['both_wrong']} "
                 f"(exact McNemar p = {paired['mcnemar_exact_p']:.3f})")
    if overlap_line:
        lines.append(overlap_line)

    lines.append("\n--- per-label F1 (precision/recall for ours) ---")
    lines.append(f"{'intent':26}{'n':>4}{'ours P':>8}{'ours R':>8}{'ours F1':>9}{'base F1':>9}{'diff':>8}")
    for label, o in om["per_label"].items():
        b = bm["per_label"][label]
        lines.append(f"{label:26}{o['support']:>4}{o['precision']:>8.2f}{o['recall']:>8.2f}"
                     f"{o['f1']:>9.2f}{b['f1']:>9.2f}{o['f1'] - b['f1']:>+8.2f}")

    for system in (ours, base):
        lines.append(f"\n--- {system.name}: {TOP_CONFUSIONS} most confused pairs (true -> predicted) ---")
        if not system.confusions:
            lines.append("(no errors)")
        for gold, predicted, count in system.confusions:
            lines.append(f"{count:4}  {gold} -> {predicted}")
    return "\n".join(lines)


def format_sweep(result: SystemResult, recommendation: Dict[str, Any], change: Dict[str, Any]) -> str:
    """Threshold sweep table and recommendation."""
    ambiguity = result.fallback["ambiguity_threshold"]
    lines = [f"\n=== Fallback threshold sweep ({result.name}, held-out, ambiguity_threshold "
             f"{ambiguity} kept) ===",
             f"{'threshold':>9}{'accepted':>10}{'fallback':>10}{'acc. on accepted':>18}"
             f"{'wrong accepted':>16}{'right rejected':>16}{'right-wrong':>13}"]
    for row in result.sweep:
        marker = "  <- recommended" if row["threshold"] == recommendation["threshold"] else ""
        current = "  (config.yml)" if abs(row["threshold"] - result.fallback["threshold"]) < 1e-9 else ""
        lines.append(f"{row['threshold']:>9.2f}{row['accepted']:>10}{_pct(row['fallback_share']):>10}"
                     f"{_pct(row['accepted_accuracy']):>18}{row['wrong_accepted']:>16}"
                     f"{row['correct_rejected']:>16}{net_answers(row):>13}{current}{marker}")
    lines.append(f"rule: {recommendation['rule']}")
    if recommendation["threshold"] is None:
        lines.append("recommended threshold: none (no utterance accepted at any threshold)")
    else:
        row = recommendation["row"]
        status = "target met" if recommendation["target_met"] else "TARGET NOT MET"
        lines.append(f"recommended threshold: {recommendation['threshold']:.2f} ({status}: "
                     f"{_pct(row['accepted_accuracy']).strip()} accurate on accepted, "
                     f"{_pct(row['fallback_share']).strip()} to fallback; config.yml has "
                     f"{result.fallback['threshold']}) -- config.yml is not changed by this script")
    if change.get("comparable") and change["recommended"] != change["current"]:
        verdict = ("within noise of the held-out set: no real reason to change config.yml"
                   if change["within_noise"] else "worth changing config.yml")
        lines.append(f"moving {change['current']:.2f} -> {change['recommended']:.2f} on the held-out set: "
                     f"{change['right_answers']:+d} right answers, {change['wrong_answers']:+d} wrong answers, "
                     f"{change['fallbacks']:+d} fallbacks (net {change['net']:+d}; {verdict})")
    return "\n".join(lines)


def format_entities(scores: Dict[str, Any]) -> str:
    """Entity table for our extractor, n/a line for the baseline."""
    lines = [f"\n=== Entities: held-out {_rel(HELDOUT_ENTITIES)} ({scores['messages']} messages, "
             f"{scores['overall']['gold']} gold entities) ===",
             "ours (bot.nlu.extractor.JapaneseEntityExtractor inside the trained pipeline):",
             f"{'entity':15}{'gold':>6}{'pred':>6}{'P':>7}{'R':>7}{'F1':>7}{'value acc':>11}{'strict F1':>11}"]
    for name, row in list(scores["per_type"].items()) + [("ALL (micro)", scores["overall"])]:
        lines.append(f"{name:15}{row['gold']:>6}{row['predicted']:>6}{row['precision']:>7.3f}"
                     f"{row['recall']:>7.3f}{row['f1']:>7.3f}{row['value_accuracy']:>11.3f}{row['strict_f1']:>11.3f}")
    lines.append(f"messages with exactly the gold entities: {scores['messages_exact']}/{scores['messages']}; "
                 f"negative messages with no entity: {scores['negative_messages_clean']}/{scores['negative_messages']}")
    lines.append("(P/R/F1: entity type found in the message; value acc: exact normalized value among "
                 "those found; strict: type and value)")
    for error in scores.get("errors", []):
        lines.append(f"  MISMATCH {error['text']!r}: gold {error['gold']} predicted {error['predicted']}")
    lines.append(f"baseline: {BASELINE_ENTITIES_NOTE}")
    return "\n".join(lines)


def format_other_sets(rows: Sequence[Dict[str, Any]]) -> str:
    """One line per extra held-out set: accuracy / macro-F1 / answered correctly, both systems."""
    if not rows:
        return ""
    lines = ["\n=== Intents: other writers' held-out sets (never trained on) ===",
             f"{'set':36} {'n':>4} {'verb.':>5}   ours acc / macro-F1 / answered   "
             f"baseline acc / macro-F1 / answered"]
    total: Counter = Counter()
    for row in rows:
        ours, base = row["ours"], row["baseline"]
        lines.append(f"{row['file']:36} {row['n']:4} {row['verbatim_in_training']:5}   "
                     f"{ours['accuracy']:.3f} / {ours['macro_f1']:.3f} / {ours['answered_correctly']:.3f}"
                     f"          {base['accuracy']:.3f} / {base['macro_f1']:.3f} / "
                     f"{base['answered_correctly']:.3f}")
        for system in ("ours", "baseline"):
            total[system] += row["n"] - len(row[system]["errors"])
        total["n"] += row["n"]
    lines.append(f"{'all':36} {total['n']:4}         accuracy {total['ours'] / total['n']:.3f}"
                 f"                     accuracy {total['baseline'] / total['n']:.3f}")
    lines.append("(verb. = utterances that also occur verbatim in data/nlu; answered = right and no fallback)")
    for row in rows:
        for error in row["ours"]["errors"]:
            lines.append(f"  ours wrong ({row['ours']['set']}): {error['gold']} -> {error['predicted']} "
                         f"({error['confidence']:.2f}) {error['text']}")
    return "\n".join(lines)


def format_cv(cv: Dict[str, Any]) -> str:
    """Cross-validation summary."""
    pooled = cv["pooled"]
    lines = [f"\n=== Cross-validation: {cv['system']}, stratified {cv['folds']}-fold on {_rel(NLU_DATA)} "
             f"({pooled['n']} examples) ==="]
    for fold in cv["per_fold"]:
        lines.append(f"fold {fold['fold']}: n={fold['n']} accuracy {fold['accuracy']:.3f} "
                     f"macro-F1 {fold['macro_f1']:.3f} ({fold['train_seconds']:.0f} s)")
    lines.append(f"accuracy {cv['accuracy_mean']:.3f} +- {cv['accuracy_std']:.3f} (per fold); pooled: "
                 f"accuracy {pooled['accuracy']:.3f}, macro-F1 {pooled['macro_f1']:.3f}, "
                 f"weighted-F1 {pooled['weighted_f1']:.3f}")
    lines.append("weakest labels (pooled F1): " + ", ".join(
        f"{label} {row['f1']:.2f}" for label, row in
        sorted(pooled["per_label"].items(), key=lambda item: item[1]["f1"])[:5]))
    for item in cv["confusions"]:
        lines.append(f"{item['count']:4}  {item['true']} -> {item['predicted']}")
    return "\n".join(lines)


def _git_revision() -> str:
    """Short HEAD commit, flagged when the model inputs or this evaluation differ from it."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True,
                                  timeout=20).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    revision = git("rev-parse", "--short", "HEAD") or "unknown"
    inputs = ["config.yml", "data/nlu", "bot/nlu", "tests/nlu/heldout.yml", "tests/nlu/heldout_entities.yml",
              "tests/nlu/heldout_others",
              ":(exclude)bot/nlu/evaluate.py", ":(exclude)bot/nlu/bench.py"]
    dirty = git("status", "--porcelain", "--", *inputs)
    return revision + (" + uncommitted changes to NLU inputs" if dirty else "")


def _describe_pipeline(config_path: Path) -> str:
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    names = [str(c.get("name")).rsplit(".", 1)[-1] for c in config.get("pipeline") or []]
    settings = {k: v for k, v in _classifier_settings(config_path).items() if k != "name"}
    return f"language {config.get('language')}: {' > '.join(names)}; classifier settings {settings}"


def _config_differences() -> List[str]:
    """Classifier/fallback settings that differ between our config and the baseline."""
    notes = []
    ours, base = _classifier_settings(OUR_CONFIG), _classifier_settings(BASELINE_CONFIG)
    # max_count is a setting stock Rasa lacks: it is part of our side of the comparison, so it
    # is left out here rather than reported as a mismatch.
    ours = {key: value for key, value in ours.items() if key not in OUR_CLASSIFIER_ONLY}
    if ours != base:
        notes.append(f"intent classifier differs: ours {ours}, baseline {base}")
    if fallback_settings(OUR_CONFIG) != fallback_settings(BASELINE_CONFIG):
        notes.append(f"FallbackClassifier settings differ: ours {fallback_settings(OUR_CONFIG)}, "
                     f"baseline {fallback_settings(BASELINE_CONFIG)}")
    return notes


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def main(argv: Optional[List[str]] = None) -> int:
    """`python -m bot.nlu.evaluate [--folds N] [--json PATH] [--out DIR]`."""
    parser = argparse.ArgumentParser(description="NLU evaluation: our pipeline vs stock Rasa.")
    parser.add_argument("--folds", type=int, default=0,
                        help="also run stratified N-fold cross-validation of both pipelines (slow)")
    parser.add_argument("--json", type=Path, default=None, help="write all figures to this JSON file")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="where trained models go (default var/eval)")
    args = parser.parse_args(argv)
    if args.folds and args.folds < 2:
        parser.error("--folds needs at least 2")

    _prepare_environment()
    import logging

    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)  # else every parse is logged at debug, user text included

    started_at = _dt.datetime.now().astimezone()
    wall = time.perf_counter()
    out_dir = args.out.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    command = " ".join(["python -m bot.nlu.evaluate", *(sys.argv[1:] if argv is None else argv)])
    notes = _config_differences()
    revision = _git_revision()
    pipelines = {"ours": _describe_pipeline(OUR_CONFIG), "baseline": _describe_pipeline(BASELINE_CONFIG)}

    heldout = load_heldout()
    entity_cases = load_heldout_entities()
    training_texts = load_training_texts()
    verbatim = verbatim_overlap([t for t, _ in heldout], training_texts)

    ours, our_model = evaluate_system("ours", OUR_CONFIG, heldout, out_dir)
    base, base_model = evaluate_system("baseline", BASELINE_CONFIG, heldout, out_dir)
    entities = evaluate_entities(our_model, entity_cases)
    others = evaluate_other_sets({"ours": our_model, "baseline": base_model}, training_texts)
    recommendation = recommend_threshold(ours.sweep)
    change = (compare_thresholds(ours.sweep, recommendation["threshold"], ours.fallback["threshold"])
              if recommendation["threshold"] is not None else {"comparable": False})
    paired = discordant(ours.predictions, base.predictions)
    novel = {"ours": novel_figures(ours, verbatim), "baseline": novel_figures(base, verbatim)}
    cv = ({name: cross_validate(path, name, args.folds, out_dir)
           for name, path in (("ours", OUR_CONFIG), ("baseline", BASELINE_CONFIG))}
          if args.folds else None)
    total_seconds = time.perf_counter() - wall

    print(f"\n##### NLU evaluation {started_at:%Y-%m-%d %H:%M %Z} -- `{command}` #####")
    print(f"ours: {_rel(OUR_CONFIG)}    baseline: {_rel(BASELINE_CONFIG)} (stock Rasa, no component of ours)")
    print(f"trained on {_rel(NLU_DATA)}; held-out files are never trained on; git {revision}")
    for name, description in pipelines.items():
        print(f"  {name:9} {description}")
    for note in notes:
        print(f"NOTE: {note}")
    print(format_intent_report(ours, base, paired, novel, format_overlap(heldout, verbatim)))
    print(format_other_sets(others))
    print(format_entities(entities))
    print(format_sweep(ours, recommendation, change))
    if cv:
        for system in cv.values():
            print(format_cv(system))
    print(f"\ntotal time: {total_seconds:.0f} s ({total_seconds / 60:.1f} min)")

    if args.json:
        report = {
            "date": started_at.isoformat(timespec="seconds"),
            "command": command,
            "python": platform.python_version(),
            "git": revision,
            "pipelines": pipelines,
            "total_seconds": round(total_seconds, 1),
            "notes": notes,
            "heldout": _rel(HELDOUT),
            "heldout_entities": _rel(HELDOUT_ENTITIES),
            "systems": {"ours": ours.as_json(), "baseline": base.as_json()},
            "paired_comparison": paired,
            "other_heldout_sets": others,
            "not_in_training": {**novel, "verbatim_in_training": [t for (t, _), seen in zip(heldout, verbatim) if seen]},
            "entities": {"ours": entities, "baseline": BASELINE_ENTITIES_NOTE},
            "threshold_recommendation": {**recommendation, "change_from_config": change},
            "cross_validation": cv,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
