"""The province's table as a file (CSV and XLSX): one row per commune, per indicator its value,
the level required, its rank, its trend and whether it is an outlier; the same figures as the
province's page.

Every text cell that opens like a formula (=, +, -, @) is written as text: in the workbook
through ``text.spreadsheet_cell``, in the CSV with the quote a person would type before it
(``text.csv_text``). Numbers are numbers (the CSV with a decimal point, UTF-8 with a BOM so a
spreadsheet reads the Vietnamese letters).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dondoc.dashboard import model as V
from dondoc.text import csv_text, spreadsheet_cell

if TYPE_CHECKING:
    from dondoc.dashboard.build import Site

OUTLIER_WORDS = {"thấp": "thấp bất thường", "cao": "cao bất thường", "": ""}


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


def table(site: "Site", province: V.Province) -> Table:
    headers = ["Tỉnh, thành phố", "Xã, phường", "Kế hoạch", "Đêm kiểm tra mới nhất"]
    for ind in V.INDICATORS:
        headers += [f"{ind.label}: giá trị ({ind.measure})"]
        if ind.kind == "target":
            headers += [f"{ind.label}: yêu cầu"]
        headers += [f"{ind.label}: hạng", f"{ind.label}: thay đổi {site.window_days} ngày", f"{ind.label}: bất thường"]
    ranked = {ranking.indicator.key: {r.plan.key: r for r in ranking.rows} for ranking in province.rankings()}
    rows = []
    for commune in province.communes:
        plan = commune.current
        row: list[Any] = [province.name, commune.name, site._plan_label(plan), plan.latest]
        for ind in V.INDICATORS:
            r = ranked[ind.key].get(plan.key)
            row.append(r.value if r else None)
            if ind.kind == "target":
                row.append(r.required if r else None)
            row += [r.rank if r else None, r.trend if r else None, OUTLIER_WORDS[r.outlier] if r else ""]
        rows.append(tuple(row))
    return Table(tuple(headers), tuple(rows))


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_text(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def csv_file(t: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_text(h) for h in t.headers])
    for row in t.rows:
        writer.writerow([_plain(v) for v in row])
    return "\ufeff" + out.getvalue()


def xlsx_bytes(t: Table, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Xếp hạng"[:31]
    for col, header in enumerate(t.headers, start=1):
        cell = spreadsheet_cell(sheet.cell(row=1, column=col), header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(t.rows, start=2):
        for col, value in enumerate(row, start=1):
            cell = spreadsheet_cell(sheet.cell(row=r, column=col), value)
            if hasattr(value, "isoformat"):
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["B"].width = 24
    sheet.column_dimensions["C"].width = 26
    book.properties.title = title
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
