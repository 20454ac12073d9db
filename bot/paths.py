"""Where the repository's data, models and runtime files live."""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Directory with NLU data, service profiles and knowledge (env BOT_DATA_DIR overrides)."""
    return Path(os.environ.get("BOT_DATA_DIR", REPO_ROOT / "data"))


def var_dir() -> Path:
    """Directory for runtime files such as SQLite databases (env BOT_VAR_DIR overrides)."""
    path = Path(os.environ.get("BOT_VAR_DIR", REPO_ROOT / "var"))
    path.mkdir(parents=True, exist_ok=True)
    return path
