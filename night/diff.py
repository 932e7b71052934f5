"""A preview before a rule change ships: `dondoc rules diff --rules NEW_PACK PLAN_DIR...`.

Every plan is checked by the night's own driver (night.check's passes over the workers, without
--out) with the rule book it runs tonight (the shipped rules and each plan's own folders) and
with NEW_PACK layered over it, as `check --rules NEW_PACK` would run it, in one pass: the rules
both books run alike are evaluated once, the others once in each guise (``_union``), so a
national set costs about one night. The two sets of
findings are compared per plan, unit and item: findings added, removed, re-graded (another
severity), moved to a rule that replaces or refines the one that found it before, and the
letters that would change (a unit whose findings differ in anything its letter prints).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from dondoc.engine.rulebook import in_force, load_book
from dondoc.night.night import QUIET, Options, _checked
from dondoc.night.plans import Plans, RuleSet
from dondoc.night.workers import Workers

# What a letter prints of a finding: a change in any of these changes the unit's letter.
LETTER_FIELDS = ("rule", "subject", "kind", "severity", "section", "message", "request", "requirement")


@dataclass
class Change:
    plan: str
    unit: str
    subject: str
    kind: str  # vi-pham, thieu-du-lieu
    change: str  # "thêm", "bớt", "đổi mức", "đổi quy tắc"
    before: dict[str, Any] | None  # {"rule", "severity", "message"} or None
    after: dict[str, Any] | None

    def as_json(self) -> dict[str, Any]:
        return {"plan": self.plan, "unit": self.unit, "subject": self.subject, "kind": self.kind, "change": self.change,
                "before": self.before, "after": self.after}


@dataclass
class Diff:
    plans: int
    before: int  # findings tonight
    after: int  # findings with the new pack
    changes: list[Change] = field(default_factory=list)
    letters: list[tuple[str, str]] = field(default_factory=list)  # (plan, unit) whose letter would change
    seconds: dict[str, float] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for c in self.changes:
            out[c.change] += 1
        return dict(out)

    def as_json(self) -> dict[str, Any]:
        return {
            "plans": self.plans,
            "findings_before": self.before,
            "findings_after": self.after,
            "counts": self.counts(),
            "letters_changed": [{"plan": p, "unit": u} for p, u in self.letters],
            "changes": [c.as_json() for c in self.changes],
            "seconds": self.seconds,
        }


BEFORE, AFTER = "~hom-nay", "~moi"  # a rule that differs between the books runs once in each guise


def _union(old: RuleSet, new: RuleSet, as_of: dt.date, calendar) -> RuleSet:
    """Both books as one, for one pass over the plans: the rules in force in both alike run once;
    a rule only tonight's book runs (replaced, or refined otherwise) is renamed ``~hom-nay``, one
    only the new book runs ``~moi``. Each is already resolved (``in_force``): its replacing and
    refining are said by what it is, so the union resolves nothing more."""
    before, after = in_force(list(old.rules), as_of), in_force(list(new.rules), as_of)
    shared = [r for r in before if r in after]
    plain = lambda r, suffix: dataclasses.replace(r, id=r.id + suffix, replaces=None, refines=None)  # noqa: E731
    rules = ([dataclasses.replace(r, replaces=None, refines=None) for r in shared]
             + [plain(r, BEFORE) for r in before if r not in shared]
             + [plain(r, AFTER) for r in after if r not in shared])
    uses = old.calendar is not None or new.calendar is not None
    return RuleSet(tuple(rules), (old.calendar or new.calendar or calendar) if uses else None, new.folders,
                   tuple(dict.fromkeys((*old.set_aside, *new.set_aside))))


def _one_pass(plan_dirs: list[str], new_pack: Path, as_of: dt.date, rules_dirs: tuple[Path, ...],
              settings_file: Path | None, workers: int | None) -> tuple[list[dict], list[dict]]:
    """Tonight's findings and the new book's, from one pass of the night over the plans."""
    old = Plans.of(plan_dirs, rules_dirs, settings_file)
    plans = Plans.of(plan_dirs, (*rules_dirs, new_pack), settings_file)
    unions: dict[tuple[int, int], int] = {}
    books: list[RuleSet] = []
    jobs = []
    for was, job in zip(old.jobs, plans.jobs):
        key = (was.book, job.book)
        if key not in unions:
            unions[key] = len(books)
            books.append(_union(old.books[was.book], plans.books[job.book], as_of, plans.settings[job.settings].calendar()))
        jobs.append(dataclasses.replace(job, book=unions[key]))
    plans.books, plans.jobs = books, jobs
    spool = io.BytesIO()
    with Workers(plans, as_of, workers) as pool:
        _checked(plans, Options(as_of, workers=workers), spool, QUIET, time.time(), pool, None)
    data = spool.getvalue()
    spool.close()
    kept = ("plan", "unit", "subject", "kind", *LETTER_FIELDS)  # what the comparison reads: not the whole fact
    both = [{k: f.get(k) for k in kept} for f in json.loads(data or b"[]")]
    del data
    before, after = [], []
    for f in both:
        rule = f["rule"]
        if rule.endswith(BEFORE):
            before.append({**f, "rule": rule.removesuffix(BEFORE)})
        elif rule.endswith(AFTER):
            after.append({**f, "rule": rule.removesuffix(AFTER)})
        else:
            before.append(f)
            after.append(f)
    return before, after


def _brief(f: dict[str, Any]) -> dict[str, Any]:
    return {"rule": f["rule"], "severity": f["severity"], "message": f["message"]}


def rules_diff(plan_dirs: Iterable[str | Path], new_pack: Path, as_of: dt.date, *, rules_dirs: tuple[Path, ...] = (),
               settings_file: Path | None = None, workers: int | None = None) -> Diff:
    """The findings of every plan tonight and with ``new_pack`` over its book, compared."""
    new_book = load_book([*rules_dirs, new_pack], strict=True)  # a pack with an error is named, not set aside
    takes = {r.id: {r.replaces or r.refines} for r in new_book.rules if r.replaces or r.refines}
    started = time.monotonic()
    before, after = _one_pass([str(p) for p in plan_dirs], new_pack, as_of, rules_dirs, settings_file, workers)
    return compare(before, after, takes, {"một lượt": round(time.monotonic() - started, 3)},
                   len({f["plan"] for f in before + after}))


def compare(before: list[dict], after: list[dict], takes: dict[str, set], seconds: dict[str, float], plans: int) -> Diff:
    """Findings keyed by (plan, unit, subject, kind, rule): what is only before, only after, or
    in both with another severity; a finding that left a rule for the rule that replaces or
    refines it, on the same item, is one change (đổi quy tắc), not a removal and an addition."""
    def keyed(findings: list[dict]) -> dict[tuple, dict]:
        return {(f["plan"], f["unit"], f["subject"], f["kind"], f["rule"]): f for f in findings}

    old, new = keyed(before), keyed(after)
    diff = Diff(plans, len(before), len(after), seconds=seconds)
    gone = {k: f for k, f in old.items() if k not in new}
    came = {k: f for k, f in new.items() if k not in old}
    for key, f in sorted(came.items()):
        plan, unit, subject, kind, rule = key
        was = next((k for k in gone if k[:4] == key[:4] and k[4] in takes.get(rule, ())), None)
        if was is not None:
            g = gone.pop(was)
            # Re-graded when its severity moved; else the same grade under the new rule's words.
            change = "đổi mức" if g["severity"] != f["severity"] else "đổi quy tắc"
            diff.changes.append(Change(plan, unit, subject, kind, change, _brief(g), _brief(f)))
        else:
            diff.changes.append(Change(plan, unit, subject, kind, "thêm", None, _brief(f)))
    for key, g in sorted(gone.items()):
        diff.changes.append(Change(*key[:4], "bớt", _brief(g), None))
    for key in sorted(old.keys() & new.keys()):
        if old[key]["severity"] != new[key]["severity"]:
            diff.changes.append(Change(*key[:4], "đổi mức", _brief(old[key]), _brief(new[key])))
    diff.changes.sort(key=lambda c: (c.plan, c.unit, c.subject, c.kind, c.change))
    letters_before, letters_after = _letters(before), _letters(after)
    diff.letters = sorted(k for k in letters_before.keys() | letters_after.keys() if letters_before.get(k) != letters_after.get(k))
    return diff


def _letters(findings: list[dict]) -> dict[tuple[str, str], frozenset]:
    """What each unit's letter prints, per plan: the findings' printed fields."""
    out: dict[tuple[str, str], set] = defaultdict(set)
    for f in findings:
        out[f["plan"], f["unit"]].add(json.dumps([f.get(name) for name in LETTER_FIELDS], ensure_ascii=False, sort_keys=True))
    return {k: frozenset(v) for k, v in out.items()}


def diff_table(diff: Diff) -> list[str]:
    """The preview for staff: one line per change, by plan and unit, then the counts."""
    lines = []
    plan = unit = None
    for c in diff.changes:
        if c.plan != plan:
            plan, unit = c.plan, None
            lines.append(f"Kế hoạch {c.plan}")
        if c.unit != unit:
            unit = c.unit
            lines.append(f"  {c.unit or '(không có đơn vị)'}")
        b, a = c.before, c.after
        if c.change == "thêm":
            what = f"{a['rule']} ({a['severity']})"
        elif c.change == "bớt":
            what = f"{b['rule']} ({b['severity']})"
        elif c.change == "đổi mức" and a["rule"] == b["rule"]:
            what = f"{a['rule']}: {b['severity']} → {a['severity']}"
        else:
            what = f"{b['rule']} ({b['severity']}) → {a['rule']} ({a['severity']})"
        missing = " [thiếu dữ liệu]" if c.kind == "thieu-du-lieu" else ""
        lines.append(f"    {c.change:12} {c.subject:24} {what}{missing}")
    counts = diff.counts()
    said = ", ".join(f"{name} {counts.get(name, 0)}" for name in ("thêm", "bớt", "đổi mức", "đổi quy tắc"))
    lines.append(
        f"{diff.plans} kế hoạch: {diff.before} phát hiện hôm nay, {diff.after} với gói mới; {said};"
        f" {len(diff.letters)} công văn sẽ khác."
    )
    for plan, unit in diff.letters:
        lines.append(f"  công văn sẽ khác: {plan} — {unit or '(không có đơn vị)'}")
    return lines


