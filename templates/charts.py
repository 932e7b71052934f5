"""Charts for the Chairman's summary, drawn with matplotlib (no network, no display).

Each chart is drawn once and saved twice: SVG for the HTML and the PDF, PNG for
Word. SVG text stays text (DejaVu Sans, which covers Vietnamese and which
WeasyPrint embeds): the PDF is typeset in well under half the time it takes with
text as outlines, and its words can be searched. The SVG carries no date and a
fixed id salt, so the same data gives the same bytes.
"""

from __future__ import annotations

import io
import math
import textwrap
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # before pyplot: a nightly job has no display

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

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
SEVERITY_LABELS = {"info": "Thông tin", "nhắc nhở": "Nhắc nhở", "cảnh báo": "Cảnh báo", "nghiêm trọng": "Nghiêm trọng"}
REQUIRED_COLOUR = "#90a4ae"
VERDICT_COLOURS = {"vi-pham": "#c62828", "thieu-du-lieu": "#bdbdbd", "": "#2e7d32"}


@dataclass(frozen=True)
class Chart:
    name: str  # file stem: "don-vi", "chi-tieu"
    title: str
    svg: bytes
    png: bytes
    width_in: float
    height_in: float


def _save(fig: Figure, name: str, title: str) -> Chart:
    svg, png = io.BytesIO(), io.BytesIO()
    fig.savefig(svg, format="svg", metadata={"Date": None})
    fig.savefig(png, format="png", dpi=150, metadata={"Software": None})
    width, height = fig.get_size_inches()
    plt.close(fig)
    return Chart(name, title, svg.getvalue(), png.getvalue(), float(width), float(height))


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def units_chart(rows: list[tuple[str, dict[str, int]]], severities: list[str]) -> Chart:
    """One bar per unit: its findings, stacked by severity."""
    height = 0.9 + 0.42 * max(1, len(rows))
    fig, ax = plt.subplots(figsize=(6.3, height), layout="constrained")
    labels = [_wrap(unit, 34) for unit, _ in rows]
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
    ax.set_xlabel("Số phát hiện")
    top = max(left, default=0)
    ax.set_xlim(0, max(1, top) * 1.05)
    ax.xaxis.get_major_locator().set_params(integer=True)
    if rows:
        fig.legend(loc="outside upper center", fontsize=8, frameon=False, ncols=len(severities))
    return _save(fig, "don-vi", "Phát hiện của từng đơn vị, theo mức độ")


def targets_chart(rows: list[tuple[str, str, float, float | None, str, str]]) -> Chart:
    """One panel per target: required and actual value on the target's own scale.

    rows: (id, short text, required, actual or None, measure, verdict: "vi-pham", "thieu-du-lieu" or "").
    """
    cols = 3
    n = max(1, len(rows))
    lines = math.ceil(n / cols)
    height = 1.55 * lines + 0.2
    # Fixed margins, not constrained layout: a grid of panels lays out in a third of the time.
    fig, axes = plt.subplots(lines, cols, figsize=(6.3, height), squeeze=False)
    fig.subplots_adjust(left=0.1, right=0.98, top=1 - 0.42 / height, bottom=0.3 / height, wspace=0.55, hspace=0.3 + 0.9 / lines)
    for ax in axes.flat[len(rows):]:
        ax.set_visible(False)
    for ax, (tid, text, required, actual, measure, verdict) in zip(axes.flat, rows):
        ax.set_title(_wrap(f"{tid}: {text}", 27), fontsize=7, loc="left")
        ax.barh([1], [required], color=REQUIRED_COLOUR, height=0.6)
        top = max(required, actual or 0) or 1
        if actual is None:
            ax.text(top * 0.03, 0, "chưa có số liệu", va="center", fontsize=7, style="italic", color="#616161")
        else:
            ax.barh([0], [actual], color=VERDICT_COLOURS[verdict], height=0.6)
        ax.set_yticks([1, 0], ["Yêu cầu", "Kết quả"], fontsize=7)
        ax.set_ylim(-0.5, 1.5)
        ax.set_xlim(0, top * 1.15)
        ax.tick_params(axis="x", labelsize=6)
        if measure:
            ax.set_xlabel(measure, fontsize=6, labelpad=1)
    return _save(fig, "chi-tieu", "Chỉ tiêu: yêu cầu và kết quả")
