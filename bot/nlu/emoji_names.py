"""Emoji read as their Japanese CLDR names (🙆 -> OKのポーズをする, ❌ -> バツ), via the ``emoji`` package.

A member who answers 🙅 or 👌 means ダメ or OK. As bare symbols, each emoji is a feature of its
own that only matches the same emoji in the training data; read as words, 🙅 meets ダメです and
🆗 meets OKです.
"""
from __future__ import annotations

import functools
import re
from typing import Optional, Tuple

import emoji

from bot.nlu.normalize import HIRAGANA_LETTERS

__all__ = ["emoji_names"]

# Left over from a joined sequence once normalization drops the zero-width joiner (🙇‍♀️ -> 🙇♀):
# the person's gender says nothing about what the member means, so the sign gets no name.
_GENDER_SIGNS = frozenset("\u2640\u2642\u26a7")
# Names of person emoji end in 人 after what the person does or wears (おじぎする人, 不機嫌な人,
# 金髪の人). The person is the member; 人 alone would pull 🙇 towards 人と話したい (human_handoff).
_DESCRIBED_PERSON = re.compile(f"(?:の|(?<=[{HIRAGANA_LETTERS}]))人$")


@functools.lru_cache(maxsize=2048)
def emoji_names(surface: str) -> Tuple[str, ...]:
    """The Japanese names of the emoji in ``surface``, in order (none for text without emoji)."""
    names = (_japanese_name(found["emoji"]) for found in emoji.emoji_list(surface)
             if found["emoji"] not in _GENDER_SIGNS)
    return tuple(name for name in names if name)


def _japanese_name(single: str) -> Optional[str]:
    name = emoji.demojize(single, language="ja", delimiters=("", ""))
    if name == single:
        return None
    # After "_" come qualifiers: skin tone (サムズアップ_薄い肌色), flag country, keycap digit.
    return _DESCRIBED_PERSON.sub("", name.split("_")[0])
