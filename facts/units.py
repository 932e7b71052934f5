"""Unit names: one canonical name per unit, whatever the spelling.

"Phòng Văn hóa - Xã hội", "Phòng Văn hoá-Xã hội" and "phòng văn hóa xã hội" are
one unit. ``unit_key`` folds the differences that do not change the meaning.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Old-style tone placement (hoá, thuý, ...) to the new style (hóa, thúy): the
# tone mark moves from the second vowel of oa/oe/uy to... the first; both are
# in use in government documents, so fold them to one form before comparing.
_OLD_TONES = {
    "oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oé": "óe", "oè": "òe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uý": "úy", "uỳ": "ùy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_OLD_TONE_RE = re.compile("|".join(_OLD_TONES))
_SUFFIX_RE = re.compile(r"\s+(xã|phường|thị trấn)$", re.IGNORECASE)

# Spelled-out and abbreviated names of the same bodies; plans mix them freely
# ("Văn phòng HĐND - UBND xã", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân").
_ABBREVIATIONS = (
    (re.compile(r"\bủy ban nhân dân\b"), "ubnd"),
    (re.compile(r"\bhội đồng nhân dân\b"), "hđnd"),
    (re.compile(r"\bủy ban mặt trận tổ quốc việt nam\b|\bmặt trận tổ quốc việt nam\b"), "mttq"),
    (re.compile(r"\bmặt trận tổ quốc\b|\bub mttqvn\b|\bmttqvn\b"), "mttq"),
    (re.compile(r"\bhđnd và ubnd\b"), "hđnd ubnd"),
)

# A name that stands for several units ("các phòng chuyên môn", "MTTQ và các
# tổ chức chính trị - xã hội"): a reminder cannot be addressed to it as one office.
_GROUP_RE = re.compile(r"^(các|tất cả|toàn bộ|những)\b|\bvà các\b")


@functools.lru_cache(maxsize=8192)  # a night names the same few hundred units again and again
def unit_key(name: str) -> str:
    """A comparison key: NFC, lower case, one tone style, no dashes, no 'xã'/'phường' suffix."""
    text = unicodedata.normalize("NFC", name).lower()
    text = _OLD_TONE_RE.sub(lambda m: _OLD_TONES[m.group(0)], text)
    text = re.sub(r"[\-–—_,;.:()]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    for pattern, short in _ABBREVIATIONS:
        text = pattern.sub(short, text)
    return _SUFFIX_RE.sub("", text)


def without_locality(name: str) -> str:
    """The unit's name without its trailing 'xã'/'phường'/'thị trấn' ("Phòng Kinh tế xã" ->
    "Phòng Kinh tế"), as written otherwise."""
    return _SUFFIX_RE.sub("", name)


def is_group(name: str) -> bool:
    """True for a name that stands for several units ('các phòng chuyên môn')."""
    return bool(_GROUP_RE.search(unit_key(name)))
