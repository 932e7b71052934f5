"""Opening the files people give us: what kind of file it is, whether it can be read, its encoding.

Every reader of plan folders and rule files opens its files here, so that a folder, a FIFO or a
broken link where a file should be, a permission or disk failure, and a file saved in a legacy
Vietnamese encoding are each named as what they are, with the fix, never guessed past.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from pathlib import Path

from dondoc.errors import InputError
from dondoc.text import nfc

# Tell the staff how to save the file again, in the words of the programs they use.
_LEGACY_FIX = "văn bản gõ bằng phông TCVN3 (ABC) hoặc VNI chuyển sang Unicode bằng Unikey (Công cụ chuyển mã)"
SAVE_CSV_AS_UTF8 = "lưu lại tệp với mã UTF-8: trong Excel chọn Lưu thành (Save As) > 'CSV UTF-8'; " + _LEGACY_FIX
SAVE_TEXT_AS_UTF8 = "lưu lại tệp với mã UTF-8 (trình soạn thảo: Save with Encoding > UTF-8); " + _LEGACY_FIX


def _save_as(path: str | Path) -> str:
    return SAVE_CSV_AS_UTF8 if str(path).lower().endswith(".csv") else SAVE_TEXT_AS_UTF8


def read_bytes(path: str | Path, *, optional: bool = False) -> bytes | None:
    """The content of a regular file; None when ``optional`` and nothing is there at all.

    A FIFO is opened without blocking and refused, so a hostile folder cannot hang a run.
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError(
                path,
                f"liên kết hỏng: trỏ tới '{os.readlink(path)}', nơi không có tệp nào",
                hint="sửa liên kết cho đúng tệp, hoặc xoá liên kết nếu không dùng tệp này",
            ) from None
        if optional:
            return None
        raise InputError(path, "không có tệp này") from None
    except OSError as exc:
        raise unreadable(path, exc) from None
    try:
        status = os.fstat(fd)
        mode = status.st_mode
        if stat.S_ISDIR(mode):
            raise InputError(path, "đây là một thư mục, không phải tệp", hint="đổi tên hoặc chuyển thư mục này đi")
        if not stat.S_ISREG(mode):
            kind = "FIFO (ống dẫn)" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode) else "tệp thiết bị"
            raise InputError(path, f"không phải tệp thường: đây là {kind}", hint="đặt ở đây một tệp văn bản thường")
        # Read to the end from the descriptor itself (a file object around a copy of it cost more
        # than the reading, five files a plan); a file that grew since fstat is still read whole.
        chunks = []
        while chunk := os.read(fd, max(status.st_size + 1, 1 << 16)):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise unreadable(path, exc) from None
    finally:
        os.close(fd)


def unreadable(path: str | Path, exc: OSError) -> InputError:
    """A permission or disk failure while reading, said as such."""
    name = errno.errorcode.get(exc.errno or 0, "")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InputError(
            path,
            f"không có quyền đọc tệp ({name})",
            hint="cấp quyền đọc tệp (và thư mục chứa nó) cho tài khoản chạy dondoc",
        )
    if exc.errno == errno.EIO:
        return InputError(path, "lỗi đọc đĩa (EIO)", hint="kiểm tra ổ đĩa; chép lại tệp từ bản sao lưu")
    if exc.errno == errno.ELOOP:
        return InputError(path, "liên kết vòng (ELOOP): liên kết trỏ về chính nó", hint="sửa liên kết")
    return InputError(path, f"không đọc được tệp ({name}: {exc.strerror})")


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def decode(path: str | Path, data: bytes) -> str:
    """UTF-8 text (a BOM is dropped), as NFC; any other encoding is named, with the fix."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(
            path,
            "tệp mã UTF-16 (Excel 'Unicode Text'), không phải UTF-8",
            line=1,
            hint=_save_as(path),
        )
    if data.startswith(b"PK\x03\x04") or data.startswith(_OLE):
        raise InputError(
            path,
            "đây là tệp Excel hoặc Word (.xlsx, .xls, .docx), không phải tệp văn bản",
            line=1,
            hint="mở tệp trong Excel và Lưu thành (Save As) > 'CSV UTF-8'",
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        legacy = guess_legacy(data)
        raise InputError(
            path,
            "không phải UTF-8" + (f", có thể là {legacy}" if legacy else "") + f" (byte {exc.start})",
            line=data.count(b"\n", 0, exc.start) + 1,
            column=column,
            hint=_save_as(path),
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(
            path,
            "có ký tự NUL: đây không phải tệp văn bản",
            line=text.count("\n", 0, nul) + 1,
            column=nul - text.rfind("\n", 0, nul),
        )
    return nfc(text)


def read_text(path: str | Path) -> str:
    data = read_bytes(path)
    assert data is not None
    return decode(path, data)


# -- legacy Vietnamese encodings ----------------------------------------------------------------
# Before Unicode, Vietnamese was typed in Windows-1258 (what Excel's plain 'CSV' saves on a
# Vietnamese Windows), TCVN3 (the ABC fonts) or VNI. None is UTF-8; each leaves its own byte
# pattern around the vowels, which is enough to name the likely one in the error.

_ASCII_VOWELS = frozenset(b"aeiouyAEIOUY")
_ASCII_CONSONANTS = frozenset(b"bcdghklmnpqrstvxBCDGHKLMNPQRSTVX")
# Windows-1258: Vietnamese vowels that exist precomposed (à á â ă ê è é í ó ô ơ ù ú ư ...) are one
# byte; the other tones are combining bytes after the vowel.
_CP1258_LETTERS = frozenset(b"\xe0\xe1\xe2\xe3\xe8\xe9\xea\xed\xf3\xf4\xf5\xf9\xfa\xfd")
_CP1258_VOWELS = _ASCII_VOWELS | _CP1258_LETTERS | frozenset(b"\xc2\xc3\xca\xd4\xd5\xdd")
_CP1258_TONES = frozenset(b"\xcc\xec\xd2\xde\xf2")
# VNI: an ASCII vowel followed by a mark byte (tone, circumflex or breve, or both).
_VNI_MARKS = frozenset(b"\xf9\xf8\xfb\xf5\xef\xe2\xea\xe1\xe0\xe5\xe3\xe4\xe9\xe8\xfa\xfc\xeb")
# TCVN3: each accented vowel is one byte (these), standing between ASCII consonants.
_TCVN3_LETTERS = frozenset(
    [*range(0xA1, 0xAF), *range(0xB5, 0xBA), *range(0xBB, 0xBF), *range(0xC6, 0xCD), *range(0xCE, 0xD9),
     *range(0xDC, 0xE0), *range(0xE1, 0xF0), *range(0xF1, 0xFF)]
)


def guess_legacy(data: bytes) -> str | None:
    """The likely legacy encoding of Vietnamese text that is not UTF-8 (or two, if the text does
    not tell them apart), or None if nothing in it looks like Vietnamese."""
    scores = {"Windows-1258": 0, "VNI": 0, "TCVN3 (ABC)": 0}
    for prev, byte, nxt in zip(b" " + data, data, data[1:] + b" "):
        if byte < 0x80:
            continue
        if byte in _CP1258_TONES and prev in _CP1258_VOWELS:
            scores["Windows-1258"] += 2  # a combining tone after a vowel: only Windows-1258 does this
        elif byte in _CP1258_LETTERS and prev in _ASCII_CONSONANTS:
            scores["Windows-1258"] += 1
        if byte in _VNI_MARKS and prev in _ASCII_VOWELS:
            scores["VNI"] += 2  # a mark after a plain vowel: only VNI does this
        elif byte in (0xF6, 0xF4) and prev in _ASCII_CONSONANTS:  # ư, ơ after a consonant
            scores["VNI"] += 1
        elif byte == 0xF1 and prev < 0x80 and not chr(prev).isalpha() and nxt in _ASCII_VOWELS:  # đ
            scores["VNI"] += 1
        if byte in _TCVN3_LETTERS and prev in _ASCII_CONSONANTS and (nxt < 0x80 or nxt in _TCVN3_LETTERS):
            scores["TCVN3 (ABC)"] += 1
        if byte in (0xF0, 0xD0) and nxt in _ASCII_VOWELS:  # đ, Đ in Windows-1258
            scores["Windows-1258"] += 1
        if byte in (0xAE, 0xA7) and nxt in _ASCII_VOWELS:  # đ, Đ in TCVN3
            scores["TCVN3 (ABC)"] += 1
    best = max(scores.values())
    if best == 0:
        return None
    return " hoặc ".join(name for name, score in scores.items() if score == best)
