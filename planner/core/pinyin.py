"""Pinyin search keys: how a rep with a Latin keyboard types a Chinese name.

`search_key("江南科技大学")` is `"jiangnankejidaxue jnkjdx"`: the full pinyin, then the
initials, lower case, without tones (ü as v, as pinyin keyboards type it). Latin words
in a mixed name stay as they are in the full form and give their first letter to the
initials; a name with no Chinese character has no key (its letters already match).

The key is worked out when a row is written and kept with it, so a search compares
plain text. pypinyin costs 0.25 s and 55 MiB to load, so it is imported on the first
Chinese name, never on the way to the first screen; its reading of a word (the phrase
dictionary picks 重庆 → chongqing) is cached, because names share their words.
"""

from __future__ import annotations

import re
from functools import lru_cache

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
WORD = re.compile(r"[^\W_]+")


def has_han(text: str) -> bool:
    return HAN.search(text) is not None


@lru_cache(maxsize=16384)
def _syllables(word: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin  # loaded on the first Chinese name, see the module docstring

    return tuple(syllable.lower() for syllable in lazy_pinyin(word, errors="ignore"))


def _words(run: str) -> list[str]:
    from pypinyin.seg.mmseg import seg  # the segmentation lazy_pinyin itself uses

    return list(seg.cut(run))


def _latin(text: str, full: list[str], initials: list[str]) -> None:
    for word in WORD.findall(text.casefold()):
        full.append(word)
        initials.append(word[0])


@lru_cache(maxsize=65536)
def search_key(text: str) -> str:
    """The full pinyin and the initials of `text`, or "" when it has no Chinese."""
    full: list[str] = []
    initials: list[str] = []
    end = 0
    for run in HAN.finditer(text):
        _latin(text[end : run.start()], full, initials)
        for word in _words(run.group()):
            syllables = _syllables(word)
            full.extend(syllables)
            initials.extend(syllable[0] for syllable in syllables if syllable)
        end = run.end()
    if not end:
        return ""
    _latin(text[end:], full, initials)
    return f"{''.join(full)} {''.join(initials)}"


def typed_key(text: str) -> str | None:
    """What typed text is compared with search keys: lower case with the spaces taken
    out (`zhang wei` finds zhangwei), or None when it holds anything a key never does."""
    squeezed = "".join(text.split()).casefold()
    return squeezed if squeezed.isascii() and squeezed.isalnum() else None
