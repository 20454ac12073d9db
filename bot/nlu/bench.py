"""NLU speed figures: tokenizer throughput, entity-extractor latency, in-process Rasa parse latency.

``python -m bot.nlu.bench [--model PATH] [--repeat N]`` (``make bench-nlu``). Utterances come from
the held-out sets under tests/nlu; the parse figures need a trained model (``make train``).
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import sys
import time
from pathlib import Path
from typing import Callable, List, Optional, Sequence

import yaml

from bot.paths import REPO_ROOT

# Set before Rasa and TensorFlow are imported (they are imported lazily, below).
os.environ["RASA_TELEMETRY_ENABLED"] = "false"  # member data never leaves the machine
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

HELDOUT = REPO_ROOT / "tests" / "nlu" / "heldout.yml"
HELDOUT_ENTITIES = REPO_ROOT / "tests" / "nlu" / "heldout_entities.yml"
SAMPLE_SIZE = 200
WARM_UP = 5


def heldout_utterances(path: Path = HELDOUT) -> List[str]:
    """Every example of the held-out NLU file, in file order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        line.strip()[2:].strip()
        for block in data.get("nlu", [])
        for line in str(block.get("examples", "")).splitlines()
        if line.strip().startswith("- ")
    ]


def heldout_entity_texts(path: Path = HELDOUT_ENTITIES) -> List[str]:
    """The texts of the held-out entity cases."""
    return [case["text"] for case in yaml.safe_load(path.read_text(encoding="utf-8"))]


def sample(utterances: Sequence[str], size: int = SAMPLE_SIZE) -> List[str]:
    """A fixed pseudo-random sample (same every run) of at most ``size`` utterances."""
    return random.Random(0).sample(list(utterances), min(size, len(utterances)))


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of ``values``."""
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def latencies_ms(function: Callable[[str], object], texts: Sequence[str]) -> List[float]:
    """Wall-clock milliseconds of ``function(text)`` for each text."""
    result: List[float] = []
    for text in texts:
        started = time.perf_counter()
        function(text)
        result.append((time.perf_counter() - started) * 1000)
    return result


def latency_line(name: str, values_ms: Sequence[float]) -> str:
    """One printed line: count, p50, p95 and max in milliseconds."""
    return (f"{name}: n={len(values_ms)}  p50={percentile(values_ms, 50):.2f} ms  "
            f"p95={percentile(values_ms, 95):.2f} ms  max={max(values_ms):.2f} ms")


def bench_tokenizer(sentences: Sequence[str], repeat: int) -> str:
    """Throughput of the Rasa JapaneseTokenizer component over ``sentences`` x ``repeat``."""
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.tokenizer import JapaneseTokenizer

    tokenizer = JapaneseTokenizer(JapaneseTokenizer.get_default_config())
    tokenizer.process([Message(data={"text": text}) for text in sentences[:WARM_UP]])
    messages = [Message(data={"text": text}) for _ in range(repeat) for text in sentences]
    started = time.perf_counter()
    tokenizer.process(messages)
    elapsed = time.perf_counter() - started
    chars = repeat * sum(len(text) for text in sentences)
    return (f"tokenizer: {len(messages)} sentences ({chars} chars) in {elapsed:.2f} s  "
            f"{len(messages) / elapsed:,.0f} sentences/s  {chars / elapsed:,.0f} chars/s")


def bench_extractor(texts: Sequence[str]) -> str:
    """Per-message latency of ``extract_entities``."""
    from bot.nlu.entities import extract_entities

    for text in texts[:WARM_UP]:
        extract_entities(text)
    return latency_line("entity extractor", latencies_ms(extract_entities, texts))


def find_model(explicit: Optional[str]) -> Optional[Path]:
    """The model to parse with: ``--model`` if given, else the latest one under models/."""
    if explicit:
        return Path(explicit)
    from bot.cli.train import latest_model

    return latest_model()


def bench_parse(model: Path, utterances: Sequence[str]) -> str:
    """In-process ``Agent.parse_message`` latency of the trained model."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # no per-message debug lines (they carry the text)
    agent = Agent.load(str(model))
    for text in utterances[:WARM_UP]:
        asyncio.run(agent.parse_message(text))
    values = latencies_ms(lambda text: asyncio.run(agent.parse_message(text)), utterances)
    return latency_line(f"rasa parse ({model.name})", values)


def main(argv: Optional[List[str]] = None) -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model .tar.gz to parse with (default: latest under models/)")
    parser.add_argument("--repeat", type=int, default=10, help="passes over the sentences for the tokenizer")
    args = parser.parse_args(argv)
    logging.captureWarnings(True)  # third-party deprecation noise would bury the figures
    logging.getLogger("py.warnings").setLevel(logging.ERROR)

    utterances = heldout_utterances()
    sentences = sample(utterances)
    print(f"held-out utterances: {len(utterances)}, tokenizer/extractor sample: {len(sentences)}")
    print(bench_tokenizer(sentences, args.repeat))
    print(bench_extractor(sentences + heldout_entity_texts()))
    model = find_model(args.model)
    if model is None:
        print("rasa parse: no trained model under models/ (run `make train`), skipped")
        return 0
    if not model.exists():
        print(f"rasa parse: {model} does not exist, skipped")
        return 1
    print(bench_parse(model, utterances))
    return 0


if __name__ == "__main__":
    sys.exit(main())
