"""Unit names: one canonical name per unit, whatever the spelling.

"Phòng Văn hóa - Xã hội", "Phòng Văn hoá-Xã hội" and "phòng văn hóa xã hội" are
one unit. ``unit_key`` folds the differences that do not change the meaning.
"""

from __future__ import annotations

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
_SUFFIX_RE = re.compile(r"\s+(xã|phường)$")


def unit_key(name: str) -> str:
    """A comparison key: NFC, lower case, one tone style, no dashes, no 'xã'/'phường' suffix."""
    text = unicodedata.normalize("NFC", name).lower()
    text = _OLD_TONE_RE.sub(lambda m: _OLD_TONES[m.group(0)], text)
    text = re.sub(r"[\-–—_,;.:()]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return _SUFFIX_RE.sub("", text)
