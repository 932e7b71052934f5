"""The font of Nghị định 30/2020 letters on this machine, found as WeasyPrint finds it.

ND30 letters are set in Times New Roman; Liberation Serif (Debian's fonts-liberation2) is its
metric twin: the same widths, so the same lines and pages. WeasyPrint asks Pango, which asks
fontconfig, for the family notice.css names ("Times New Roman", "Liberation Serif", serif);
without either, fontconfig gives another serif (DejaVu Serif) and every PDF would silently
come out in it. ``nd30_fonts`` asks fontconfig the same question, for the regular, bold and
italic faces a letter uses, and checks that the face it gets has every Vietnamese letter.

fontconfig is read through its C library (ctypes): it is there wherever WeasyPrint can run
(Pango's font map is built on it), and unlike WeasyPrint it does not crash on a machine with
no font at all.
"""

from __future__ import annotations

import ctypes
import functools
from dataclasses import dataclass

from dondoc.errors import NotInstalled

ND30_FAMILIES = ("Times New Roman", "Liberation Serif")
FONT_PACKAGES = ("fonts-liberation2",)  # the Makefile's SYSTEM_PACKAGES has it too
# What notice.css asks for, in its order (the serif that would stand in comes last).
ASKED = b"Times New Roman,Liberation Serif,serif"
# The faces a letter uses: fontconfig's weight 200 is bold, slant 100 italic.
FACES = {"thường": b"", "đậm": b":weight=200", "nghiêng": b":slant=100"}
# Every letter of Vietnamese: the precomposed ones (U+1EA0-U+1EF9) and those of Latin-1 and
# Latin Extended-A that Vietnamese uses.
VIETNAMESE = (
    "".join(chr(c) for c in range(0x1EA0, 0x1EFA))
    + "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư"
)


@dataclass(frozen=True)
class Face:
    """One face of the letters' font as fontconfig resolves it on this machine."""

    style: str  # "thường", "đậm", "nghiêng"
    family: str  # the family fontconfig gives ("" when there is no font at all)
    file: str
    lacking: str  # Vietnamese letters the face has no glyph for

    @property
    def nd30(self) -> bool:
        return self.family in ND30_FAMILIES and not self.lacking

    def describe(self) -> str:
        if not self.family:
            return f"{self.style}: không có phông chữ nào"
        text = f"{self.style}: {self.family} ({self.file})"
        if self.lacking:
            text += f", thiếu {len(self.lacking)} chữ tiếng Việt ({self.lacking[:8]}…)"
        return text


def _fontconfig() -> ctypes.CDLL:
    import ctypes.util

    try:
        lib = ctypes.CDLL("libfontconfig.so.1")
    except OSError:
        # Elsewhere than Linux: find_library runs a program (ldconfig, gcc), so only then.
        name = ctypes.util.find_library("fontconfig")
        try:
            lib = ctypes.CDLL(name or "libfontconfig.so.1")
        except OSError:
            raise NotInstalled("fontconfig (thư viện tìm phông chữ)", "công văn và báo cáo PDF", apt=("libfontconfig1",)) from None
    p, c_int = ctypes.c_void_p, ctypes.c_int
    for name, args, result in (
        ("FcInitLoadConfigAndFonts", [], p),
        ("FcConfigDestroy", [p], None),
        ("FcNameParse", [ctypes.c_char_p], p),
        ("FcConfigSubstitute", [p, p, c_int], c_int),
        ("FcDefaultSubstitute", [p], None),
        ("FcFontMatch", [p, p, ctypes.POINTER(c_int)], p),
        ("FcPatternGetString", [p, ctypes.c_char_p, c_int, ctypes.POINTER(ctypes.c_char_p)], c_int),
        ("FcPatternGetCharSet", [p, ctypes.c_char_p, c_int, ctypes.POINTER(p)], c_int),
        ("FcCharSetHasChar", [p, ctypes.c_uint32], c_int),
        ("FcPatternDestroy", [p], None),
    ):
        fn = getattr(lib, name)
        fn.argtypes, fn.restype = args, result
    return lib


@functools.lru_cache(maxsize=1)
def nd30_fonts() -> tuple[Face, ...]:
    """The regular, bold and italic faces PDFs would be set in here (fontconfig's answer to
    notice.css's font-family; FONTCONFIG_FILE and the user's fonts count, as for WeasyPrint).
    Read once per process: the night's workers inherit it."""
    lib = _fontconfig()
    config = lib.FcInitLoadConfigAndFonts()
    faces = []
    try:
        for style, extra in FACES.items():
            faces.append(_match(lib, config, style, ASKED + extra))
    finally:
        if config:
            lib.FcConfigDestroy(config)
    return tuple(faces)


def _match(lib: ctypes.CDLL, config: int | None, style: str, pattern: bytes) -> Face:
    asked = lib.FcNameParse(pattern)
    lib.FcConfigSubstitute(config, asked, 0)  # FcMatchPattern
    lib.FcDefaultSubstitute(asked)
    result = ctypes.c_int()
    found = lib.FcFontMatch(config, asked, ctypes.byref(result))
    lib.FcPatternDestroy(asked)
    if not found:
        return Face(style, "", "", "")
    try:
        family, file = ctypes.c_char_p(), ctypes.c_char_p()
        if lib.FcPatternGetString(found, b"family", 0, ctypes.byref(family)) != 0 or not family.value:
            return Face(style, "", "", "")
        lib.FcPatternGetString(found, b"file", 0, ctypes.byref(file))
        charset = ctypes.c_void_p()
        lacking = VIETNAMESE
        if lib.FcPatternGetCharSet(found, b"charset", 0, ctypes.byref(charset)) == 0:
            lacking = "".join(ch for ch in VIETNAMESE if not lib.FcCharSetHasChar(charset, ord(ch)))
        return Face(style, family.value.decode("utf-8", "replace"), (file.value or b"").decode("utf-8", "replace"), lacking)
    finally:
        lib.FcPatternDestroy(found)


def require_nd30_fonts(allow_fallback: bool = False) -> tuple[Face, ...]:
    """The faces PDFs will be set in; ``NotInstalled`` (exit 4) when they are not the ND30
    font, unless ``allow_fallback`` (--allow-font-fallback); and always when there is no font
    at all (WeasyPrint would crash, not fall back)."""
    faces = nd30_fonts()
    if all(face.nd30 for face in faces) or (allow_fallback and all(face.family for face in faces)):
        return faces
    stand_in = sorted({face.family for face in faces if face.family and not face.nd30})
    if not any(face.family for face in faces):
        hint = "máy không có phông chữ nào: PDF không in được"
    else:
        hint = f"PDF sẽ in bằng {', '.join(stand_in) or 'phông thiếu chữ tiếng Việt'}; muốn chấp nhận phông khác: --allow-font-fallback"
    raise NotInstalled(
        "phông chữ Times New Roman (hoặc Liberation Serif, cùng cỡ chữ) của Nghị định 30/2020",
        "công văn và báo cáo PDF",
        apt=FONT_PACKAGES,
        hint=hint,
    )


def fallback_family() -> str:
    """The family PDFs are set in when it is not the ND30 font ('' when it is)."""
    faces = nd30_fonts()
    return "" if all(face.nd30 for face in faces) else faces[0].family
