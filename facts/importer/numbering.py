"""Word's automatic list numbers ("1.", "a)", "II.") as the reader sees them.

python-docx gives a paragraph's text without the number Word draws in front of it, yet most
plans number their items that way. The numbers are resolved here from numbering.xml: the
paragraph's (or its style's) numId and level, the level's format (decimal, lowerLetter,
upperRoman, bullet ...), its text ("%1.", "%1)", "%1.%2.") and start, counted in document
order, deeper levels starting again when a level above moves on. The label is put in front of
the text, so a Word-numbered plan reads like one with typed numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml.ns import qn

_MAX_LEVELS = 9


@dataclass(frozen=True)
class _Level:
    fmt: str  # decimal, lowerLetter, upperLetter, lowerRoman, upperRoman, bullet, none, ...
    text: str  # "%1.", "%1)", "%1.%2.", a bullet character
    start: int


def _val(element, tag: str) -> str | None:
    child = element.find(qn(tag)) if element is not None else None
    return child.get(qn("w:val")) if child is not None else None


def _roman(n: int) -> str:
    out = ""
    for value, numeral in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):
        while n >= value:
            out, n = out + numeral, n - value
    return out


def _letters(n: int) -> str:
    # Word's lowerLetter: a..z, then aa, bb, ... (the letter repeated)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)  # decimal and the formats no plan uses


class Numbering:
    """The numbering definitions of one document and the counters, in reading order."""

    def __init__(self, document) -> None:
        self._levels: dict[str, dict[int, _Level]] = {}  # numId -> level -> definition
        self._counters: dict[str, list[int]] = {}
        self._styles: dict[str, tuple[str | None, int | None, str | None]] = {}
        for style in document.styles:
            ppr = style.element.find(qn("w:pPr"))
            numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
            based = style.element.find(qn("w:basedOn"))
            self._styles[style.style_id] = (
                _val(numpr, "w:numId"),
                int(_val(numpr, "w:ilvl") or 0) if numpr is not None else None,
                based.get(qn("w:val")) if based is not None else None,
            )
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            root = None
        if root is not None:
            abstract = {a.get(qn("w:abstractNumId")): a for a in root.findall(qn("w:abstractNum"))}
            for num in root.findall(qn("w:num")):
                num_id = num.get(qn("w:numId"))
                levels = self._abstract_levels(abstract.get(_val(num, "w:abstractNumId")), abstract)
                for override in num.findall(qn("w:lvlOverride")):
                    ilvl = int(override.get(qn("w:ilvl")) or 0)
                    start = _val(override, "w:startOverride")
                    replaced = override.find(qn("w:lvl"))
                    if replaced is not None:
                        levels[ilvl] = self._level(replaced)
                    if start is not None and ilvl in levels:
                        old = levels[ilvl]
                        levels[ilvl] = _Level(old.fmt, old.text, int(start))
                self._levels[num_id] = levels

    def _abstract_levels(self, element, abstract: dict, depth: int = 0) -> dict[int, _Level]:
        if element is None:
            return {}
        link = _val(element, "w:numStyleLink")
        if link and depth < 3:  # a list style pointing at another definition
            num_id, _, _ = self._styles.get(link, (None, None, None))
            if num_id in self._levels:
                return dict(self._levels[num_id])
        return {int(lvl.get(qn("w:ilvl")) or 0): self._level(lvl) for lvl in element.findall(qn("w:lvl"))}

    @staticmethod
    def _level(lvl) -> _Level:
        return _Level(
            fmt=_val(lvl, "w:numFmt") or "decimal",
            text=_val(lvl, "w:lvlText") or "",
            start=int(_val(lvl, "w:start") or 1),
        )

    def _paragraph_numpr(self, paragraph) -> tuple[str | None, int]:
        ppr = paragraph._p.pPr
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        num_id = _val(numpr, "w:numId")
        ilvl = _val(numpr, "w:ilvl")
        style_id = ppr.find(qn("w:pStyle")).get(qn("w:val")) if ppr is not None and ppr.find(qn("w:pStyle")) is not None else None
        seen = 0
        while (num_id is None or ilvl is None) and style_id and seen < 10:
            s_num, s_lvl, based = self._styles.get(style_id, (None, None, None))
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else (str(s_lvl) if s_lvl is not None and s_num else None)
            style_id, seen = based, seen + 1
        return num_id, int(ilvl or 0)

    def label(self, paragraph) -> str:
        """The number Word shows before this paragraph ('1.', 'a)', 'II.', '-'), or ''.

        Call once per paragraph, in document order: it moves the counters on.
        """
        num_id, ilvl = self._paragraph_numpr(paragraph)
        if not num_id or num_id == "0" or num_id not in self._levels:
            return ""
        levels = self._levels[num_id]
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self._counters.setdefault(num_id, [0] * _MAX_LEVELS)
        ilvl = min(ilvl, _MAX_LEVELS - 1)
        counters[ilvl] = (counters[ilvl] + 1) if counters[ilvl] else level.start
        for deeper in range(ilvl + 1, _MAX_LEVELS):
            counters[deeper] = 0
        if level.fmt == "bullet":
            return "-"
        text = level.text
        for k in range(ilvl + 1, 0, -1):
            shown = levels.get(k - 1)
            value = counters[k - 1] or (shown.start if shown else 1)
            text = text.replace(f"%{k}", format_number(value, shown.fmt if shown else "decimal"))
        return text.strip()
