"""Vietnamese text in the legacy encodings offices still meet (for the corpus and its tests).

Windows-1258 is what Excel's plain 'CSV' saves on a Vietnamese Windows; TCVN3 (the ABC fonts)
and VNI are what text typed with the old fonts is. Known anchors: "Cộng hoà xã hội chủ nghĩa
Việt Nam" is "Céng hoµ x· héi chñ nghÜa ViÖt Nam" in TCVN3 and "Coäng hoøa xaõ hoäi chuû nghóa
Vieät Nam" in VNI (tests/hostile/test_legacy.py checks both).
"""

from __future__ import annotations

import unicodedata

# TCVN3 (ABC): one byte per accented letter; its capitals with tones share the lower-case codes.
_TCVN3 = dict(
    zip(
        "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵĂÂĐÊÔƠƯ",
        [
            0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6, 0xA9, 0xC7, 0xC8, 0xC9,
            0xCA, 0xCB, 0xAE, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1, 0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7,
            0xD8, 0xDC, 0xDD, 0xDE, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4, 0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9,
            0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4, 0xAD, 0xF5, 0xF6, 0xF7,
            0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xA1, 0xA2, 0xA7, 0xA3, 0xA4, 0xA5, 0xA6,
        ],
    )
)

_TONES = {"\u0301": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0323": 4}  # sắc huyền hỏi ngã nặng
# VNI: a base letter, then one byte for the tone, or for circumflex/breve with or without a tone.
_VNI_TONE = [0xF9, 0xF8, 0xFB, 0xF5, 0xEF]
_VNI_CIRCUMFLEX = [0xE1, 0xE0, 0xE5, 0xE3, 0xE4]  # plain: 0xE2
_VNI_BREVE = [0xE9, 0xE8, 0xFA, 0xFC, 0xEB]  # plain: 0xEA
_VNI_I = [0xED, 0xEC, 0xE6, 0xF3, 0xF2]  # i with a tone is one byte


def encode_tcvn3(text: str) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        code = _TCVN3.get(ch) or _TCVN3.get(ch.lower()) if ord(ch) > 127 else ord(ch)
        if code is None:
            raise ValueError(f"no TCVN3 code for {ch!r}")
        out.append(code)
    return bytes(out)


def encode_vni(text: str) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 128:
            out.append(ord(ch))
            continue
        upper = ch.isupper()
        parts = unicodedata.normalize("NFD", ch.lower())
        base, marks = parts[0], parts[1:]
        tone = next((_TONES[m] for m in marks if m in _TONES), None)
        shape = next((m for m in marks if m in "\u0302\u0306\u031b"), None)
        if ch.lower() == "đ":
            codes = [0xF1]
        elif shape == "\u031b":  # horn: ơ ư are one byte each
            codes = [0xF4 if base == "o" else 0xF6] + ([_VNI_TONE[tone]] if tone is not None else [])
        elif shape == "\u0302":
            codes = [ord(base), _VNI_CIRCUMFLEX[tone] if tone is not None else 0xE2]
        elif shape == "\u0306":
            codes = [ord(base), _VNI_BREVE[tone] if tone is not None else 0xEA]
        elif base == "i" and tone is not None:
            codes = [_VNI_I[tone]]
        elif tone is not None:
            codes = [ord(base), _VNI_TONE[tone]]
        else:
            raise ValueError(f"no VNI code for {ch!r}")
        if upper:  # the capital of each byte is 0x20 lower in the Latin-1 range
            codes = [c - 0x20 if c >= 0xE0 else ord(chr(c).upper()) for c in codes]
        out.extend(codes)
    return bytes(out)


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 has â ê ô ơ ư ă đ as letters and the five tones as combining marks."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.extend(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tone = next((m for m in parts if m in _TONES), "")
        letter = unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONES))
        out.extend((letter + tone).encode("cp1258"))
    return bytes(out)
