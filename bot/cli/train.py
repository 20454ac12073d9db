"""Train the Rasa model only when its inputs changed since the last trained model."""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterable, List, Optional

from bot.paths import REPO_ROOT

MODELS_DIR = REPO_ROOT / "models"
TRAINING_DATA = ["data/nlu", "data/stories", "data/rules"]
# Everything that changes what the model learns, including our own NLU code.
MODEL_INPUTS = ["config.yml", "domain.yml", "constraints.txt", "bot/nlu", *TRAINING_DATA]
# Tools next to the components that do not change what the model learns.
NOT_MODEL_INPUTS = {"bot/nlu/evaluate.py", "bot/nlu/bench.py", "bot/nlu/baseline_config.yml"}
KEEP_MODELS = 3


def _input_files(root: Path) -> Iterable[Path]:
    for entry in MODEL_INPUTS:
        path = root / entry
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix in {".yml", ".yaml", ".py", ".txt"}
                and p.relative_to(root).as_posix() not in NOT_MODEL_INPUTS
            )


def fingerprint(root: Path = REPO_ROOT) -> str:
    """Hash of every model input's path and content."""
    digest = hashlib.sha256()
    for path in _input_files(root):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def model_path(root: Path = REPO_ROOT) -> Path:
    """Path the model for the current inputs has (or will have) under models/."""
    return root / "models" / f"model-{fingerprint(root)}.tar.gz"


def latest_model(models_dir: Path = MODELS_DIR) -> Optional[Path]:
    """Most recently written model, if any."""
    models = sorted(models_dir.glob("model-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def rasa_executable() -> str:
    """The `rasa` command of the running virtual environment."""
    return str(Path(sys.executable).with_name("rasa"))


def code_fingerprint(root: Path = REPO_ROOT) -> str:
    """Hash of our NLU component code only."""
    digest = hashlib.sha256()
    for path in sorted((root / "bot" / "nlu").glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def training_environment() -> dict:
    """Environment for `rasa train`: a training cache per version of our component code.

    Rasa's cache keys do not include the source of custom components, so after an edit to
    bot/nlu it could reuse featurizers fitted on the old tokens; a fresh cache directory per
    code version prevents that (old ones are deleted).
    """
    cache_root = REPO_ROOT / "var" / "rasa-cache"
    current = cache_root / code_fingerprint()
    if cache_root.exists():
        for old in cache_root.iterdir():
            if old != current and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
    current.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["RASA_CACHE_DIRECTORY"] = str(current)
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    return env


def train(force: bool = False) -> Path:
    """Train unless a model for the current inputs exists; return the model's path."""
    target = model_path()
    if target.exists() and not force:
        print(f"モデルは最新です（再学習なし）: {target.relative_to(REPO_ROOT)}")
        return target
    print(f"モデルを学習します: {target.relative_to(REPO_ROOT)} （数分かかります）")
    command: List[str] = [
        rasa_executable(), "train",
        "--config", "config.yml", "--domain", "domain.yml",
        "--data", *TRAINING_DATA,
        "--out", "models", "--fixed-model-name", target.name[: -len(".tar.gz")],
    ]
    subprocess.run(command, cwd=REPO_ROOT, check=True, env=training_environment())
    _prune_old_models(keep=target)
    return target


def _prune_old_models(keep: Path) -> None:
    models = sorted(MODELS_DIR.glob("model-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    for old in models[:-KEEP_MODELS]:
        if old != keep:
            old.unlink()


def main(argv: Optional[List[str]] = None) -> int:
    """`python -m bot.cli.train [--force] [--print-path]`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--force", action="store_true", help="train even if nothing changed")
    parser.add_argument("--print-path", action="store_true", help="print the current model path and exit")
    args = parser.parse_args(argv)
    if args.print_path:
        print(model_path())
        return 0
    if os.environ.get("BOT_TRAIN_ON_START", "1") == "0" and not args.force:
        existing = model_path() if model_path().exists() else latest_model()
        if existing is None:
            print("BOT_TRAIN_ON_START=0 ですが学習済みモデルがありません。学習します。")
        else:
            print(f"BOT_TRAIN_ON_START=0: 学習を省略し {existing.relative_to(REPO_ROOT)} を使います。")
            return 0
    train(force=args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
