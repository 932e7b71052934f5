"""A national load: N plan folders shaped like examples/, seeded, written to disk.

    .venv/bin/python -m bench.generate --plans 3321 --seed 2026    # prints the folder

Each plan is a commune's KẾ HOẠCH for 2026, checked as of 22/11/2026 (``AS_OF``). Its
parts are drawn from the example plans (task titles and sections, deadline phrases as
the documents write them, target sentences, units, procedures of the "03 giảm"), so the
reader, the deadline parser, the rules and the notices see what real plans give them:

- 20-55 tasks per plan, one or two lead units each; about one in twelve is recurring
  ("Hàng quý", "Hằng tháng", "Trước ngày 20 của tháng cuối quý"), a few are set elsewhere
  ("Theo lộ trình của Nghị quyết") with a date supplied in deadlines.csv half of the time;
- progress.csv: per task, done (on time or late), in progress, not started, or no report;
  per occurrence of a recurring task, filed or not;
- 4-14 targets, with measurements.csv (a value, or numerator and denominator) around the
  target, a fifth never measured, a few measured after the check date (not yet known);
- 0-8 procedures with baseline and current days, cost and components (procedures.csv),
  with the plan's "03 giảm" targets;
- about 40% of facts end with a finding, as on the night the issue measured;
- plan numbers repeat (about two plans in every 289 share one, "97/KH-UBND"), as real
  communes' do; commune names repeat across provinces too (every 289 plans), never with the
  same number.

A province's night (``--province``, ``province_files``): about a third of the communes carry their own
dondoc.yaml, as provinces roll dondoc out: each such commune takes its province's rule pack
(``<province>/quy-tac-tinh/``: a reminder counted in working days that replaces the shipped
one, and a rule on progress not updated for N working days; N and the days differ by
province), and its days off (ngay-nghi.csv: the province's own days, copied into the
commune's folder as an office keeps them; one commune in five adds a day of its own); one in
eight also writes a rule of its own (``quy-tac-xa/``). Both province rules count working days,
so the days off are part of the rule book: a province's communes with the same days share
one book, a commune with a day or a rule of its own has its own. The plans themselves are
the same with or without these files: the tree without them is the national night without
local settings (bench/national.py, ``province``).

Plan i depends only on (seed, i): the first 100 plans of a 3,321-plan tree are the
100-plan tree. Folders: ``<root>/<province>/<nnnn>-<commune>/``; the root is named by
the seed, the number of plans and a hash of this file and the examples, so a cached tree
is reused only if it would be generated the same. It is written through
files.py in one swap: complete or absent.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import random
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from dondoc.facts.deadline import DeadlineKind, parse_deadline
from dondoc.facts.planfolder import dump_yaml
from dondoc.text import ascii_slug, unit_key
from dondoc.files import foreign_files, replace_folder

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
YEAR = 2026
AS_OF = dt.date(2026, 11, 22)
DEFAULT_SEED = 2026
NATIONAL = 3321  # communes and wards of Viet Nam after the 2025 reform

PROVINCES = [
    "Hà Nội", "Hải Phòng", "Huế", "Đà Nẵng", "Cần Thơ", "Thành phố Hồ Chí Minh", "Cao Bằng",
    "Điện Biên", "Hà Tĩnh", "Lai Châu", "Lạng Sơn", "Nghệ An", "Quảng Ninh", "Thanh Hóa",
    "Sơn La", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên",
    "Ninh Bình", "Quảng Trị", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk",
    "Đồng Nai", "Tây Ninh", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
]
SYLLABLES = [
    "An", "Bình", "Hòa", "Tân", "Phú", "Long", "Thạnh", "Mỹ", "Vĩnh", "Đông", "Tây", "Nam",
    "Bắc", "Gia", "Quyết", "Thắng", "Hưng", "Thái", "Phúc", "Thuận", "Lộc", "Xuân", "Hải",
    "Sơn", "Lâm", "Trung", "Phong", "Lập", "Thịnh", "Hiệp", "Đức", "Minh", "Quang", "Thành",
]
# Deadline phrases as plans write them, beside the examples' own (re-dated to 2026).
EXTRA_PHRASES = [
    "Tháng 6/2026", "Tháng 9/2026", "Tháng 11/2026", "Tháng 12/2026", "Quý II/2026",
    "Quý IV/2026", "Chậm nhất ngày 30/6/2026", "Chậm nhất ngày 15/11/2026",
    "Trước ngày 30/11/2026", "6 tháng đầu năm 2026", "Năm 2026", "Hằng tháng", "Hàng quý",
    "Trước ngày 20 của tháng cuối quý", "Theo lộ trình của Nghị quyết", "Thường xuyên",
]
PROCEDURES = [
    ("1.001612", "Cấp giấy phép xây dựng có thời hạn đối với nhà ở riêng lẻ"),
    ("1.004227", "Đăng ký khai sinh"),
    ("2.000908", "Chứng thực bản sao từ bản chính giấy tờ, văn bản"),
    ("1.000894", "Đăng ký kết hôn"),
    ("1.001193", "Đăng ký khai tử"),
    ("1.004884", "Đăng ký thường trú"),
    ("2.000635", "Cấp bản sao trích lục hộ tịch"),
    ("1.003583", "Đăng ký hộ kinh doanh"),
    ("1.010730", "Xác nhận tình trạng hôn nhân"),
    ("2.001263", "Hỗ trợ hộ gia đình thuộc diện hộ nghèo"),
]
EXTRA_UNITS = ["Ban Chỉ huy Quân sự", "Phòng Kinh tế, Hạ tầng và Đô thị", "Trung tâm Dịch vụ tổng hợp"]
SOURCES = ["Cổng Dịch vụ công quốc gia", "Hệ thống thông tin giải quyết TTHC tỉnh", "Sổ theo dõi của đơn vị", "Phiếu khảo sát quý III"]


def _redate(text: str) -> str:
    return text.replace("2025", str(YEAR))


@lru_cache(maxsize=None)
def _pools() -> dict[str, Any]:
    """What the example plans offer: tasks, targets, units (the generator draws from these)."""
    tasks, targets, units = [], [], []
    for path in sorted(EXAMPLES.glob("*/plan.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for t in doc.get("tasks") or []:
            tasks.append({"section": t.get("section", ""), "title": _redate(t["title"]), "product": t.get("product", ""),
                          "deadline": _redate(t["deadline"])})
        for t in doc.get("targets") or []:
            keep = {k: t[k] for k in ("text", "metric", "comparison", "value", "unit", "baseline_year", "reduction", "category") if k in t}
            keep["text"] = _redate(keep["text"])
            targets.append(keep)
        units += [u["name"] for u in doc.get("units") or [] if not u.get("group")]
    phrases = sorted({t["deadline"] for t in tasks} | set(EXTRA_PHRASES))
    return {
        "tasks": tasks,
        "phrases": phrases,
        "plain_targets": [t for t in targets if not t.get("reduction")],
        "reduction_targets": {t["reduction"]: t for t in targets if t.get("reduction")},
        "units": _distinct(sorted({_base_unit(u) for u in units} | set(EXTRA_UNITS))),
    }


def _distinct(names: list[str]) -> list[str]:
    """One spelling per unit ('Văn hoá' and 'Văn hóa' are one unit to the reader)."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(unit_key(name), name)
    return sorted(seen.values())


def _base_unit(name: str) -> str:
    """A unit name without its commune-level suffix ('Phòng Kinh tế xã' -> 'Phòng Kinh tế')."""
    for suffix in (" xã", " phường"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


@lru_cache(maxsize=None)
def _deadline(phrase: str):
    return parse_deadline(phrase, YEAR)


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _number(value: float) -> str:
    return f"{value:g}"


def generate_plan(seed: int, index: int) -> tuple[str, dict[str, str]]:
    """Plan ``index`` of the tree seeded ``seed``: (relative folder, {file name: text})."""
    rng = random.Random(f"dondoc-bench:{seed}:{index}")
    pools = _pools()
    province = rng.choice(PROVINCES)
    # Names repeat every 289 plans (as communes' names repeat across provinces); numbers repeat
    # within those 289 (plans share numbers), never for one name: two plans of one commune,
    # year and number would be one plan given twice (templates/notices.py names letters so).
    first, second = SYLLABLES[:17], SYLLABLES[17:]
    commune = f"{first[index % 17]} {second[index // 17 % 17]}"
    ward = rng.random() < 0.25
    level = "phường" if ward else "xã"
    issuer = f"UBND {level} {commune}"
    units = [f"{u} {level}" if u.startswith(("Phòng", "Trung tâm")) else u for u in rng.sample(pools["units"], min(len(pools["units"]), rng.randint(6, 12)))]
    monitor = units[0]
    number = f"{1 + index % 160 + 160 * (index // 289)}/KH-UBND"
    issued = dt.date(YEAR, rng.randint(1, 4), rng.randint(1, 28))

    tasks, progress, supplied = [], [], []
    n_tasks = rng.randint(25, 60)
    recurring_phrases = [p for p in pools["phrases"] if _deadline(p).kind == DeadlineKind.RECURRING]
    for i in range(1, n_tasks + 1):
        base = rng.choice(pools["tasks"])
        phrase = base["deadline"]
        roll = rng.random()
        if roll < 0.05:
            phrase = rng.choice(recurring_phrases)
        elif roll < 0.35:
            phrase = rng.choice(pools["phrases"])
        deadline = _deadline(phrase)
        leads = rng.sample(units, 2 if rng.random() < 0.3 else 1)
        task = {"id": str(i), "number": str(i), "section": base["section"], "title": base["title"], "lead": leads}
        others = [u for u in units if u not in leads]
        if others and rng.random() < 0.5:
            task["coordinating"] = rng.sample(others, 1)
        if base["product"]:
            task["product"] = base["product"]
        task["deadline"] = phrase
        tasks.append(task)
        if deadline.kind == DeadlineKind.RECURRING:
            for due in deadline.occurrences:
                if due <= AS_OF and rng.random() < 0.6:
                    done = min(AS_OF, due + dt.timedelta(days=rng.randint(-10, 12)))
                    period = _period(deadline, due)
                    progress.append([str(i), period, "hoàn thành", _iso(done), _iso(done), ""])
            continue
        due = deadline.due
        if deadline.kind in (DeadlineKind.EXTERNAL, DeadlineKind.UNPARSED) and rng.random() < 0.5:
            due = _day(rng, dt.date(YEAR, 9, 1), dt.date(YEAR, 12, 31))
            supplied.append([str(i), _iso(due), "Công văn số %d/UBND-VP" % rng.randint(100, 3000)])
        roll = rng.random()
        if roll < 0.32:
            anchor = due or dt.date(YEAR, 6, 30)
            done = min(AS_OF, anchor + dt.timedelta(days=rng.randint(-60, 15)))
            done = max(done, dt.date(YEAR, 1, 15))
            progress.append([str(i), "", "hoàn thành", _iso(done), _iso(done), "Báo cáo số %d/BC-UBND" % rng.randint(1, 300)])
        elif roll < 0.70:
            status = "đang thực hiện" if roll < 0.62 else "chưa thực hiện"
            reported = _day(rng, dt.date(YEAR, 9, 20), dt.date(YEAR, 11, 20))
            progress.append([str(i), "", status, "", _iso(reported), ""])
        # else: no report at all

    targets, measurements = [], []
    chosen = rng.sample(pools["plain_targets"], min(len(pools["plain_targets"]), rng.randint(4, 12)))
    procedures = []
    if rng.random() < 0.5:
        for kind in ("time", "cost"):
            chosen.append(pools["reduction_targets"][kind])
        for code, name in rng.sample(PROCEDURES, rng.randint(2, 8)):
            days, cost, comps = rng.randint(3, 20), rng.choice([0, 8000, 50000, 500000]), rng.randint(2, 8)
            cut = lambda v: round(v * rng.choice([0.4, 0.5, 0.6, 0.8, 1.0]))  # noqa: E731
            missing = rng.random() < 0.15
            procedures.append([
                code, name, monitor, 2024, days, "" if missing else cut(days), cost,
                "" if missing else cut(cost), comps, "" if missing else max(1, comps - rng.randint(0, 2)),
                _iso(dt.date(YEAR, 10, 31)),
            ])
    for j, base in enumerate(chosen, start=1):
        tid = f"CT{j:02d}"
        target = {"id": tid, **base}
        if rng.random() < 0.3:
            target["lead"] = rng.sample(units, 1)
        targets.append(target)
        if base.get("reduction"):
            continue
        roll = rng.random()
        if roll < 0.2:
            continue  # never measured: missing data
        value = float(base["value"])
        if base["comparison"] in ("<=", "<"):
            actual = round(max(0.0, value + rng.uniform(-1.5, 1.2)), 2)
        else:
            actual = round(min(100.0, value - rng.uniform(-4.0, 6.0)), 1)
        measured = dt.date(YEAR, 11, 5) if roll < 0.95 else dt.date(YEAR, 11, 30)  # some not yet known
        if rng.random() < 0.2 and actual > 0:
            denominator = rng.randint(200, 2000)
            numerator = min(denominator, round(denominator * actual / 100))
            measurements.append([tid, "2026-10", "", numerator, denominator, _iso(measured), rng.choice(SOURCES)])
        else:
            measurements.append([tid, "2026-10", _number(actual), "", "", _iso(measured), rng.choice(SOURCES)])

    doc = {
        "plan": {
            "issuer": issuer,
            "superior": f"UBND TỈNH {province.upper()}" if not province.startswith(("Thành phố", "Hà Nội", "Hải Phòng", "Huế", "Đà Nẵng", "Cần Thơ")) else f"UBND THÀNH PHỐ {province.removeprefix('Thành phố ').upper()}",
            "locality": commune,
            "number": number,
            "issued": issued.isoformat(),
            "title": f"Thực hiện nhiệm vụ cải cách hành chính năm {YEAR} trên địa bàn {level} {commune}",
            "year": YEAR,
            "monitor": monitor,
        },
        "units": [{"name": u} for u in units],
        "tasks": tasks,
        "targets": targets,
    }
    files = {"plan.yaml": dump_yaml(doc)}
    if progress:
        files["progress.csv"] = _csv(["task", "period", "status", "done_on", "reported_on", "evidence"], progress)
    if measurements:
        files["measurements.csv"] = _csv(["target", "period", "value", "numerator", "denominator", "measured_on", "source"], measurements)
    if procedures:
        files["procedures.csv"] = _csv(
            ["code", "name", "lead", "baseline_year", "baseline_days", "current_days", "baseline_cost", "current_cost",
             "baseline_components", "current_components", "measured_on"],
            procedures,
        )
    if supplied:
        files["deadlines.csv"] = _csv(["task", "due", "source"], supplied)
    folder = f"{ascii_slug(province)}/{index:04d}-{ascii_slug(commune)}"
    return folder, files


LOCAL_SHARE = 1 / 3  # communes with a dondoc.yaml of their own
OWN_DAY_SHARE = 1 / 5  # of those: a day off of the commune's own beside the province's
OWN_RULE_SHARE = 1 / 8  # of those: a rule of the commune's own beside the province's pack
PROVINCE_PACK = "quy-tac-tinh"  # <province>/quy-tac-tinh/: the province's rules
COMMUNE_PACK = "quy-tac-xa"  # <plan folder>/quy-tac-xa/: a commune's own rule


def province_pack(seed: int, province: str) -> dict[str, str]:
    """The province's rules (file name -> YAML), its thresholds drawn from (seed, province)."""
    rng = random.Random(f"dondoc-bench-province:{seed}:{province}")
    ahead, stale = rng.choice([3, 5, 7]), rng.choice([15, 20, 30])
    return {"tinh.yaml": f"""# Quy tắc riêng của tỉnh {province}: các xã dùng chung (dondoc.yaml: rules).
# Tiến độ chưa cập nhật: một mục riêng của công văn (mục 'cham-tien-do' in mốc kiểm tra, các nhiệm vụ này không có).
sections:
  - id: chua-cap-nhat-tien-do
    heading: Nhiệm vụ đang thực hiện chưa cập nhật tiến độ
    summary: Chưa cập nhật tiến độ
    like: thuong-xuyen
    after: cham-tien-do
rules:
  - id: tinh-nhiem-vu-sap-den-han
    title: Nhiệm vụ sắp đến hạn ({ahead} ngày làm việc)
    fact: task
    replaces: nhiem-vu-sap-den-han
    scope: due is present
    condition: status != "hoàn thành" and as_of >= due - {ahead} working days and as_of <= due
    severity: nhắc nhở
    message: >-
      Nhiệm vụ {{{{ task }}}} "{{{{ title }}}}" đến hạn ngày {{{{ due }}}}, còn chưa tới {ahead} ngày
      làm việc; tình trạng: {{{{ status }}}}.
    notice:
      section: sap-den-han
      request: chủ động triển khai, bảo đảm hoàn thành các nhiệm vụ nêu trên đúng thời hạn

  - id: tinh-tien-do-chua-cap-nhat
    title: Nhiệm vụ đang thực hiện quá {stale} ngày làm việc chưa cập nhật tiến độ
    fact: task
    scope: reported_on is present
    condition: status == "đang thực hiện" and working_days(reported_on, as_of) > {stale}
    severity: nhắc nhở
    message: >-
      Nhiệm vụ {{{{ task }}}} "{{{{ title }}}}" báo cáo tiến độ lần cuối ngày {{{{ reported_on }}}},
      quá {stale} ngày làm việc chưa cập nhật.
    notice:
      section: chua-cap-nhat-tien-do
      request: cập nhật tiến độ thực hiện các nhiệm vụ nêu trên
"""}


def _province_days(seed: int, province: str) -> list[list[str]]:
    """The province's own days off in the plans' year (a local anniversary, a festival) and a
    Saturday worked in return."""
    rng = random.Random(f"dondoc-bench-days:{seed}:{province}")
    off = dt.date(YEAR, rng.randint(3, 10), rng.randint(1, 28))
    while off.weekday() >= 5:
        off += dt.timedelta(days=1)
    back = off + dt.timedelta(days=5 - off.weekday() + 7)  # the Saturday of the week after
    return [[_iso(off), "nghỉ", f"Ngày nghỉ riêng của tỉnh {province}"], [_iso(back), "làm việc", "Làm bù"]]


def province_files(seed: int, index: int) -> tuple[str, dict[str, str]]:
    """Plan ``index``'s commune's own settings, if it has them: (its province, {path under the
    plan folder: text}); ``{}`` for a commune with none. Drawn apart from the plan's own (the
    plans are the same with or without these files)."""
    rng = random.Random(f"dondoc-bench-local:{seed}:{index}")
    province = random.Random(f"dondoc-bench:{seed}:{index}").choice(PROVINCES)  # generate_plan's first draw
    if rng.random() >= LOCAL_SHARE:
        return province, {}
    days = _province_days(seed, province)
    if rng.random() < OWN_DAY_SHARE:
        day = dt.date(YEAR, rng.randint(2, 11), rng.randint(1, 28))
        while day.weekday() >= 5 or day.isoformat() in {d for d, *_ in days}:
            day += dt.timedelta(days=1)
        days.append([_iso(day), "nghỉ", "Lễ hội truyền thống của xã"])
    rules = [f"../{PROVINCE_PACK}"]
    files = {"ngay-nghi.csv": _csv(["date", "kind", "note"], sorted(days))}
    if rng.random() < OWN_RULE_SHARE:
        rules.append(COMMUNE_PACK)
        files[f"{COMMUNE_PACK}/rieng.yaml"] = f"""# Quy tắc riêng của xã (plan {index}).
rules:
  - id: xa-nhiem-vu-chua-trien-khai
    title: Nhiệm vụ chưa triển khai khi còn dưới {rng.choice([20, 30, 45])} ngày
    fact: task
    scope: due is present
    condition: status == "chưa thực hiện" and days_left >= 0 and days_left <= 30
    severity: cảnh báo
    message: >-
      Nhiệm vụ {{{{ task }}}} "{{{{ title }}}}" còn {{{{ days_left }}}} ngày đến hạn mà chưa triển khai.
    notice:
      section: sap-den-han
      request: triển khai ngay các nhiệm vụ nêu trên
"""
    files["dondoc.yaml"] = dump_yaml({"symbol": "UBND-VP", "reply_days": 5, "rules": rules, "days_off": "ngay-nghi.csv"})
    return province, files


def _period(deadline, due: dt.date) -> str:
    n = len(deadline.occurrences)
    if n == 4:
        return f"{due.year}-Q{(due.month - 1) // 3 + 1}"
    if n == 12:
        return f"{due.year}-{due.month:02d}"
    return due.isoformat()


def _version() -> str:
    """A change to this generator or to the examples it draws from makes a new tree."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(EXAMPLES.glob("*/plan.yaml")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def tree_path(base: Path, seed: int, plans: int, province: bool = False) -> Path:
    return base / f"plans-seed{seed}-n{plans}-{'province-' if province else ''}{_version()}"


def plan_folders(root: Path) -> list[Path]:
    """The plan folders of a generated tree, in plan order."""
    return sorted((p.parent for p in root.glob("*/*/plan.yaml")), key=lambda p: p.name)


def generate(base: Path, plans: int, seed: int = DEFAULT_SEED, *, province: bool = False) -> Path:
    """Write the tree (or reuse the cached one of the same seed and size); return its root.
    ``province``: the same plans, a third of the communes with their own settings (the module)."""
    root = tree_path(base, seed, plans, province)
    if (root / ".dondoc-output").is_file() and len(plan_folders(root)) == plans:
        return root
    # an older generator's tree ("????????": its hash, so the other kind of tree is not stale)
    for stale in base.glob(tree_path(base, seed, plans, province).name[:-8] + "????????"):
        if stale != root and (stale / ".dondoc-output").is_file() and not foreign_files(stale):
            shutil.rmtree(stale)
    with replace_folder(root) as staging:
        packs: set[str] = set()
        for index in range(plans):
            folder, files = generate_plan(seed, index)
            province_name, local = province_files(seed, index) if province else ("", {})
            for name, text in {**files, **local}.items():
                staging.write_text(f"{folder}/{name}", text)
            if local and province_name not in packs:
                packs.add(province_name)
                for name, text in province_pack(seed, province_name).items():
                    staging.write_text(f"{ascii_slug(province_name)}/{PROVINCE_PACK}/{name}", text)
    return root


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=NATIONAL)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench")
    parser.add_argument("--province", action="store_true", help="a third of the communes with their own dondoc.yaml, rules and days off")
    args = parser.parse_args(argv)
    print(generate(args.out, args.plans, args.seed, province=args.province))


if __name__ == "__main__":
    main()
