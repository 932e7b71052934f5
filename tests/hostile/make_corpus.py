"""Writes the hostile-input corpus: each file is base/<name> broken in one way.

    .venv/bin/python -m tests.hostile.make_corpus

The files are checked in (corpus/CASE.FILE); this script says how each was made, and
test_hostile.py says what dondoc must answer to each. Cases that cannot be files in git
(a FIFO, a folder, a broken link, a 1 MB cell, a non-UTF-8 folder name) are built by the tests.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from tests.hostile.legacy import encode_cp1258, encode_tcvn3, encode_vni

HERE = Path(__file__).resolve().parent
BASE = HERE / "base"
CORPUS = HERE / "corpus"


def base(name: str) -> str:
    return (BASE / name).read_text(encoding="utf-8")


def plan(old: str, new: str) -> str:
    text = base("plan.yaml")
    assert old in text, old
    return text.replace(old, new, 1)


BOMB = "".join(
    ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n']
    + [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)]
)

PROGRESS_HEADER = "task,status,done_on,reported_on,evidence\n"
MEASURE_HEADER = "target,period,value,numerator,denominator,measured_on,source\n"
LEGACY_PROGRESS = PROGRESS_HEADER + "1,đang thực hiện,,2026-06-30,Báo cáo của Phòng Kinh tế về đối thoại\n"


def cases() -> dict[str, str | bytes]:
    return {
        # plan.yaml: what YAML can do that a plan must not
        "billion-laughs.plan.yaml": BOMB,
        "python-tag.plan.yaml": plan("  title: Kế hoạch", '  title: !!python/object/apply:os.system ["id"]\n  x: Kế hoạch'),
        "custom-tag.plan.yaml": plan("issued: 2026-01-15", "issued: !ngay 2026-01-15"),
        "merge-key.plan.yaml": plan(
            '  - id: "1"\n', '  - &chung\n    id: "1"\n'
        ).replace('  - id: "2"\n    number: "2"\n', '  - <<: *chung\n    id: "2"\n    number: "2"\n'),
        "alias.plan.yaml": plan("    lead: [Phòng Kinh tế]\n    deadline: Tháng", "    lead: &pkt [Phòng Kinh tế]\n    deadline: Tháng")
        .replace("    lead: [Phòng Kinh tế]\n    deadline: Thường", "    lead: *pkt\n    deadline: Thường"),
        "nan-target.plan.yaml": plan("value: 95", "value: .nan"),
        "inf-target.plan.yaml": plan("value: 95", "value: -.inf"),
        "nan-text-target.plan.yaml": plan("value: 95", "value: nan"),
        "percent-over-100.plan.yaml": plan("value: 95", "value: 150"),
        "negative-count.plan.yaml": plan("value: 4", "value: -4"),
        "excel-date.plan.yaml": plan("issued: 2026-01-15", "issued: 46037"),
        "deep-nesting.plan.yaml": plan("  title: Kế hoạch", "  x: " + "[" * 100 + "]" * 100 + "\n  title: Kế hoạch"),
        "huge-int.plan.yaml": plan("value: 4", "value: 1" + "0" * 5000),
        "control-char.plan.yaml": plan("Tuyên truyền", "Tuyên\x07truyền"),
        "duplicate-key.plan.yaml": plan("  year: 2026\n", "  year: 2026\n  year: 2025\n"),
        "cp1258.plan.yaml": encode_cp1258(base("plan.yaml")),
        # CSV saved by Excel in a Vietnamese locale: accepted
        "excel-vn.measurements.csv": codecs.BOM_UTF8
        + (
            "target;period;value;numerator;denominator;measured_on;source\n"
            "CT01;2026-10;91,2;;;05/11/2026;Hệ thống thông tin giải quyết TTHC\n"
            "CT02;2026-10;3;;;05/11/2026;Cổng thông tin, trang tin điện tử\n"
            "CT01;2026-Q3;;1.234;1.500;10/10/2026;Sổ theo dõi\n"
            ";;;;;;\n"
        ).encode("utf-8"),
        "excel-vn.progress.csv": codecs.BOM_UTF8
        + (
            "task;status;done_on;reported_on;evidence;;\n"
            "1;Hoàn thành;30/09/2026;01/10/2026;Báo cáo số 12/BC-PKT, ngày 01/10/2026;;\n"
            "2;đang thực hiện;;30/06/2026;;;\n"
        ).encode("utf-8"),
        "quoted-comma.measurements.csv": MEASURE_HEADER + 'CT01,2026-10,"91,2",,,2026-11-05,\n',
        "sep-line.progress.csv": "sep=;\n" + PROGRESS_HEADER.replace(",", ";") + "1;đang thực hiện;;2026-06-30;\n",
        # CSV: refused, with the cause named
        "wrong-separator.progress.csv": PROGRESS_HEADER + "1,đang thực hiện,,2026-06-30,\n2;đang thực hiện;;2026-06-30;\n",
        "tab.progress.csv": PROGRESS_HEADER.replace(",", "\t") + "1\tđang thực hiện\t\t2026-06-30\t\n",
        "cp1258.progress.csv": encode_cp1258(LEGACY_PROGRESS),
        "tcvn3.progress.csv": encode_tcvn3(LEGACY_PROGRESS),
        "vni.progress.csv": encode_vni(LEGACY_PROGRESS),
        "utf16.progress.csv": LEGACY_PROGRESS.encode("utf-16"),
        "xlsx.progress.csv": b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml",
        "nul.progress.csv": PROGRESS_HEADER + "1,đang thực hiện,,2026-06-30,a\x00b\n",
        "excel-serial.progress.csv": PROGRESS_HEADER + "1,đang thực hiện,,46203,\n",
        "zero-date.progress.csv": PROGRESS_HEADER + "1,hoàn thành,0,2026-06-30,\n",
        "decimal-comma-unquoted.measurements.csv": MEASURE_HEADER + "CT01,2026-10,91,2,,,2026-11-05,\n",
        "dot-in-semicolon.measurements.csv": MEASURE_HEADER.replace(",", ";") + "CT01;2026-10;91.2;;;05/11/2026;\n",
        "nan.measurements.csv": MEASURE_HEADER + "CT01,2026-10,nan,,,2026-11-05,\n",
        "inf.measurements.csv": MEASURE_HEADER + "CT01,2026-10,,inf,1000,2026-11-05,\n",
        "percent-over.measurements.csv": MEASURE_HEADER + "CT01,2026-10,150,,,2026-11-05,\n",
        "percent-negative.measurements.csv": MEASURE_HEADER + "CT01,2026-10,-5,,,2026-11-05,\n",
        "numerator-over.measurements.csv": MEASURE_HEADER + "CT01,2026-10,,1200,1000,2026-11-05,\n",
        "negative-count.measurements.csv": MEASURE_HEADER + "CT02,2026-10,-3,,,2026-11-05,\n",
    }


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    for name, content in cases().items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (CORPUS / name).write_bytes(data)
    print(f"{len(cases())} files in {CORPUS}")


if __name__ == "__main__":
    main()
