"""Charts for the Chairman's summary, drawn with matplotlib (no network, no display).

Each chart is drawn once and saved twice: SVG for the HTML and the PDF, PNG for
Word. SVG text stays text (DejaVu Sans, which covers Vietnamese and which
WeasyPrint embeds): the PDF is typeset in well under half the time it takes with
text as outlines, and its words can be searched. The SVG carries no date and a
fixed id salt, so the same data gives the same bytes.
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # before pyplot: a nightly job has no display

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from dondoc.facts.kinds import SEVERITY_LABELS  # noqa: E402

matplotlib.rcParams.update(
    {
        "font.family": "DejaVu Sans",  # ships with matplotlib and covers Vietnamese
        "font.size": 9,
        "svg.hashsalt": "dondoc",
        "svg.fonttype": "none",
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)

SEVERITY_COLOURS = {"info": "#9e9e9e", "nhắc nhở": "#f2c94c", "cảnh báo": "#f2994a", "nghiêm trọng": "#c62828"}
REQUIRED_COLOUR = "#90a4ae"
# Not checked ("khong-kiem-tra"): neither red nor green; at risk ("nguy-co"): the warning orange.
VERDICT_COLOURS = {"vi-pham": "#c62828", "nguy-co": "#f2994a", "thieu-du-lieu": "#bdbdbd", "khong-kiem-tra": "#78909c", "": "#2e7d32"}


@dataclass(frozen=True)
class Chart:
    name: str  # file stem: "don-vi", "chi-tieu"
    title: str
    svg: bytes
    png: bytes
    width_in: float
    height_in: float


# matplotlib names a clip path by a hash of what it holds, which for a path clip includes the
# object's address: the same chart got other names under Python 3.12 (make same-output).
_CLIP_ID = re.compile(rb"\bp[0-9a-f]{10}\b")


def _stable_ids(svg: bytes) -> bytes:
    """The clip paths named in the order they first appear: the same chart, the same bytes."""
    names: dict[bytes, bytes] = {}
    return _CLIP_ID.sub(lambda m: names.setdefault(m.group(0), b"clip%d" % (len(names) + 1)), svg)


def _save(fig: Figure, name: str, title: str) -> Chart:
    svg, png = io.BytesIO(), io.BytesIO()
    fig.savefig(svg, format="svg", metadata={"Date": None})
    fig.savefig(png, format="png", dpi=150, metadata={"Software": None})
    width, height = fig.get_size_inches()
    plt.close(fig)
    return Chart(name, title, _stable_ids(svg.getvalue()), png.getvalue(), float(width), float(height))


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def units_chart(rows: list[tuple[str, dict[str, int]]], severities: list[str], of: int | None = None) -> Chart:
    """One bar per unit: its findings, stacked by severity; ``of``: how many units the plan has,
    when ``rows`` are only the first of them (the title says so)."""
    height = 0.9 + 0.42 * max(1, len(rows))
    fig, ax = plt.subplots(figsize=(6.3, height), layout="constrained")
    labels = [_wrap(unit, 40) for unit, _ in rows]
    y = list(range(len(rows)))[::-1]
    left = [0] * len(rows)
    for severity in severities:
        values = [counts.get(severity, 0) for _, counts in rows]
        bars = ax.barh(y, values, left=left, color=SEVERITY_COLOURS[severity], label=SEVERITY_LABELS[severity], height=0.62)
        for bar, value in zip(bars, values):
            if value:
                ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, str(value), ha="center", va="center", fontsize=8)
        left = [a + b for a, b in zip(left, values)]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel("Số nội dung")
    top = max(left, default=0)
    ax.set_xlim(0, max(1, top) * 1.05)
    ax.xaxis.get_major_locator().set_params(integer=True)
    if rows:
        fig.legend(loc="outside upper center", fontsize=8, frameon=False, ncols=len(severities))
    title = "Nội dung cần đôn đốc của từng đơn vị, theo mức độ"
    if of is not None and of > len(rows):
        title = (f"Nội dung cần đôn đốc của {len(rows)} đơn vị có nhiều nội dung nhất (trong {of} đơn vị,"
                 " đủ ở Bảng 1), theo mức độ")
    return _save(fig, "don-vi", title)


def _tick(measure: str):
    def label(value: float, _pos=None) -> str:
        text = f"{value:g}".replace(".", ",")
        return f"{text}{measure}" if measure == "%" else text

    return label


def targets_chart(rows: list[tuple[int, str, float, float | None, str, str, str]]) -> Chart:
    """One line per target, numbered as in the targets' table: its words on the left, on the
    right its result as a bar (coloured by the assessment, its value written at its end) and its
    requirement as a mark across it ("Yêu cầu 95%"). Every percentage target is drawn on one
    axis, 0-100%, so bars compare from line to line (each on its own scale, every requirement
    bar had looked the same length); a target in another measure keeps a scale of its own.

    rows: (number, words, required, actual or None, measure, colour: "vi-pham", "nguy-co"
    (met, at risk), "thieu-du-lieu", "khong-kiem-tra" (not checked) or "", assessment shown
    when there is no value to draw).
    """
    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

    from dondoc.templates.formats import vn_measure

    width, bar_left, right_pad = 6.3, 3.95, 0.3
    lines = [textwrap.wrap(f"{n}. {text}", 54) or [str(n)] for n, text, *_ in rows] or [["—"]]
    heights = [max(0.46, 0.145 * len(label) + 0.08) for label in lines]
    gap, bottom_pad, top_pad = 0.08, 0.1, 0.05
    total = sum(heights) + gap * len(heights) + bottom_pad + top_pad
    fig = plt.figure(figsize=(width, total))
    y = total - top_pad
    for label, row_h, row in zip(lines, heights, rows or [(0, "", 1.0, None, "", "", "")]):
        _, _, required, actual, measure, kind, verdict = row
        y -= row_h
        fig.text(0.04 / width, (y + row_h) / total, "\n".join(label), ha="left", va="top", fontsize=7.5, linespacing=1.2)
        axis_h = 0.34
        ax = fig.add_axes((bar_left / width, (y + row_h - axis_h - 0.02) / total, (width - bar_left - right_pad) / width, axis_h / total))
        shared = measure == "%" and max(required, actual or 0) <= 100
        top = 100.0 if shared else (max(required, actual or 0) or 1) * 1.1
        clear = {"facecolor": "white", "edgecolor": "none", "pad": 0.6}  # words over the mark stay readable
        if actual is None:
            at = required + top * 0.02 if required <= top * 0.5 else top * 0.02  # on the side of the mark with room
            ax.text(at, 0, verdict or "chưa có số liệu", va="center", fontsize=6, style="italic", color="#424242", bbox=clear, zorder=4)
        else:
            ax.barh([0], [actual], color=VERDICT_COLOURS[kind], height=0.62)
            inside = actual >= top * 0.5  # a long bar carries its value inside its end
            ax.text(actual - top * 0.01 if inside else actual + top * 0.01, 0, vn_measure(actual, measure), va="center",
                    ha="right" if inside else "left", fontsize=6, color="white" if inside else "#212121", fontweight="bold",
                    bbox=None if inside else clear, zorder=4)
        # The requirement: a mark across the bar, named above it.
        ax.plot([required, required], [-0.45, 0.45], color="#212121", linewidth=1.1, solid_capstyle="butt")
        side = "right" if required > top * 0.75 else "left" if required < top * 0.25 else "center"
        ax.text(required, 0.5, f"Yêu cầu {vn_measure(required, measure)}", ha=side, va="bottom", fontsize=5.5, color="#212121")
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.set_ylim(-0.5, 1.05)
        ax.set_xlim(0, top)
        if shared:
            ax.xaxis.set_major_locator(FixedLocator([0, 25, 50, 75, 100]))
        else:
            ax.xaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
        ax.xaxis.set_major_formatter(FuncFormatter(_tick(measure)))
        ax.tick_params(axis="both", length=2, pad=1, labelsize=5.5)
        y -= gap
    return _save(fig, "chi-tieu", "Chỉ tiêu: yêu cầu và kết quả")
