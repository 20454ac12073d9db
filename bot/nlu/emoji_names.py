"""Emoji read as their Japanese CLDR names (🙆 -> OKのポーズをする人, ❌ -> バツ), via the ``emoji`` package.

A member who answers 🙅 or 👌 means ダメ or OK. As bare symbols, each emoji is a feature of its
own that only matches the same emoji in the training data; read as words, 🙅 meets ダメです and
🆗 meets OKです.
"""
from __future__ import annotations

import functools
from typing import Optional, Tuple

import emoji

__all__ = ["emoji_names"]


@functools.lru_cache(maxsize=2048)
def emoji_names(surface: str) -> Tuple[str, ...]:
    """The Japanese names of the emoji in ``surface``, in order (none for text without emoji)."""
    names = (_japanese_name(found["emoji"]) for found in emoji.emoji_list(surface))
    return tuple(name for name in names if name)


def _japanese_name(single: str) -> Optional[str]:
    name = emoji.demojize(single, language="ja", delimiters=("", ""))
    return None if name == single else name.replace("_", " ")
