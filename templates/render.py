"""One notice (công văn đôn đốc): what it says, and its HTML.

A ``Notice`` is one plan, one addressee and that unit's findings. Everything the
letter says comes from three places: the plan (who issued it, its number, date or
decision), the findings (sections, rows, counts, requests: see sections.py), and
the commune's settings (symbol, signer, reply period, copies: facts/settings.py).
The letter is dated, and the reply falls due, on working days (facts/calendar.py).

``context`` is the one dictionary every format renders: the HTML template here,
the Word template (docx.py), and through the HTML the PDF (pdf.py).

The package's templates are trusted. A commune's own templates run in jinja2's
sandbox, bounded in steps, time and size (engine/sandbox.py, limits.py), and may not
reach outside their folder (a symlink out is refused).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import traceback
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping

import jinja2

from dondoc.engine.findings import Finding
from dondoc.engine.sandbox import BoundedSandbox
from dondoc.errors import BoundError
from dondoc.facts.models import Plan, Signer, given_number
from dondoc.facts.settings import DEFAULTS, Settings
from dondoc.text import unit_key
from dondoc.templates import formats
from dondoc.templates.formats import mid_sentence, prose
from dondoc.templates.sections import NO_INDEX, PlanIndex, Section, build_sections, said_of

PACKAGE_DIR = Path(__file__).resolve().parent
NOTICE_TEMPLATE = "notice.html.j2"
DEFAULT_PREFIX = "dondoc"  # an override template can {% extends "dondoc/notice.html.j2" %}
BLANK = "……"  # a place the clerk fills in by hand (a draft's missing number or date)


class NoticeTemplateError(Exception):
    """A notice template is missing, does not parse, fails while rendering, or is refused."""

    def __init__(self, message: str, filename: str | None = None, lineno: int | None = None):
        self.message = message
        self.filename = filename
        self.lineno = lineno
        where = filename or "notice template"
        if lineno:
            where = f"{where}, line {lineno}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Citation:
    """The letter a follow-up cites ("Công văn số 412/UBND-KT ngày 24/11/2026"), and why the
    follow-up is written: its reply date passed unanswered, something new, something worse."""

    number: int
    symbol: str
    signed_on: dt.date
    reply_by: dt.date | None = None
    reasons: tuple[str, ...] = ()  # of LAPSED, NEW, ESCALATED

    @property
    def text(self) -> str:
        return f"Công văn số {self.number:02d}/{self.symbol} ngày {formats.dmy(self.signed_on)}"


LAPSED, NEW, ESCALATED = "lapsed", "new", "escalated"  # why a follow-up goes out (night/cadence.py)


@dataclass
class Notice:
    """One công văn đôn đốc: one plan, its addressees, the findings it tells them about.

    ``unit`` is the first addressee; ``co_addressees`` the others when several units receive
    the same letter word for word (night/letters.py decides): "Kính gửi: - A; - B."."""

    plan: Plan
    unit: str
    findings: list[Finding]
    as_of: dt.date
    settings: Settings = DEFAULTS
    number: int | None = None  # None: left blank for the clerk (numbering off)
    date: dt.date | None = None  # None: the first working day from as_of
    reply_by: dt.date | None = None  # None: settings.reply_days working days after the date
    signer: Signer | None = None  # None: the settings' signer, else the plan's
    oversees: tuple[str, ...] = ()  # groups whose items it receives as monitoring unit: it urges them
    shares: tuple[str, ...] = ()  # groups whose items it receives as one of their members
    index: PlanIndex = NO_INDEX  # the plan's items with no lead unit, the sources of supplied dates
    leads: bool = True  # a row of the letter is the addressee's by name (not only through a group, nor as monitor)
    co_addressees: tuple[str, ...] = ()  # the other units the same letter goes to
    follows: Citation | None = None  # the letter this one follows up ("Tiếp theo Công văn số ...")
    raised: Mapping[str, int] = field(default_factory=dict)  # item key -> letters that raised it before (night/cadence.py)
    resolved: tuple[str, ...] = ()  # what was put right since the letter it follows (the monitor's letter)
    answered: tuple[str, ...] = ()  # what the addressees put right since that letter (a partial answer)

    def __post_init__(self) -> None:
        if not self.unit.strip():
            raise ValueError("Notice.unit is empty: a notice must be addressed to a unit")
        calendar = self.settings.calendar()
        if self.date is None:
            self.date = calendar.on_or_after(self.as_of)
        if self.reply_by is None:
            self.reply_by = calendar.add_working_days(self.date, self.settings.reply_days)
        if self.reply_by < self.date:
            raise ValueError(f"reply_by {self.reply_by} is before the letter's date {self.date}")
        if self.number is not None and (isinstance(self.number, bool) or int(self.number) < 1):
            raise ValueError(f"Notice.number {self.number!r}: a register number starts at 1")

    @cached_property
    def sections(self) -> list[Section]:
        return build_sections(self.findings, self.unit, self.index, self.raised)

    @property
    def addressees(self) -> tuple[str, ...]:
        """Every unit the letter goes to, in the order "Kính gửi" lists them."""
        return (self.unit, *self.co_addressees)

    @property
    def symbol(self) -> str:
        return self.settings.symbol

    @property
    def number_line(self) -> str:
        """ "Số: 05/UBND-VP", or "Số:      /UBND-VP" with the number left for the clerk."""
        n = f"{self.number:02d}" if self.number else "\u00a0" * 6  # ND30: a leading zero under 10
        return f"Số: {n}/{self.symbol}"

    @property
    def is_draft(self) -> bool:
        return self.plan.is_draft


# --- the document's fixed parts ---------------------------------------------------------------

_UBND = re.compile(r"^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+(.+)$", re.IGNORECASE)
_LEVELS = ("thị trấn", "đặc khu", "phường", "xã", "huyện", "quận", "thị xã", "thành phố", "tỉnh")


def issuer_parts(issuer: str) -> tuple[list[str], str, str]:
    """From "UBND xã Gia Lộc": header lines ["ỦY BAN NHÂN DÂN", "XÃ GIA LỘC"], the full name
    for running text "Ủy ban nhân dân xã Gia Lộc", and its level "xã" ("Ủy ban nhân dân xã")."""
    header, full, level = _issuer_parts(issuer)
    return list(header), full, level


@functools.lru_cache(maxsize=4096)  # each letter of a plan names its issuer three times
def _issuer_parts(issuer: str) -> tuple[tuple[str, ...], str, str]:
    issuer = " ".join(unicodedata.normalize("NFC", issuer).split())
    m = _UBND.match(issuer)
    if not m:
        return (issuer.upper(),), issuer, ""
    rest = m[1]
    level = next((lv for lv in sorted(_LEVELS, key=len, reverse=True) if rest.lower().startswith(lv + " ")), "")
    return ("ỦY BAN NHÂN DÂN", rest.upper()), f"Ủy ban nhân dân {rest}", level


def citation(plan: Plan) -> tuple[str, str]:
    """How the letter names the plan: (short, for the V/v line; full, for the first paragraph).

    A plan issued with a decision is cited through it; a draft (no number or date) keeps
    blanks where they go, for the clerk to fill in (the letter is marked DỰ THẢO).
    """
    _, issuer_full, level = issuer_parts(plan.issuer)
    about = formats.lower_first(re.sub(r"^kế hoạch\s+", "", prose(plan.title), flags=re.IGNORECASE))
    decision = plan.decision
    if decision is not None:
        number, date = decision
        when = formats.dmy(date) if date else f"{BLANK}/{BLANK}/{plan.year}"
        by = prose(plan.decision_by) or f"Chủ tịch {issuer_full}"
        short = f"Kế hoạch ban hành kèm theo Quyết định số {number}"
        full = f"Kế hoạch {about} ban hành kèm theo Quyết định số {number} ngày {when} của {by}"
        return short, full
    number = plan.number.strip()
    if not given_number(number):
        number = BLANK + number
    when = formats.dmy(plan.issued) if plan.issued else f"{BLANK}/{BLANK}/{plan.year}"
    short = f"Kế hoạch số {number}"
    return short, f"Kế hoạch số {number} ngày {when} của {issuer_full} về {about}"


def _intro(notice: Notice, full: str, unit: str, shares: str) -> str:
    """The first paragraph: the plan, and why this unit is written to."""
    opening = f"Theo {full} (sau đây gọi tắt là Kế hoạch), "
    if notice.leads and shares:
        return (f"{opening}{unit} được giao chủ trì thực hiện một số nhiệm vụ, chỉ tiêu; Kế hoạch cũng giao"
                f" {shares} (trong đó có {unit}) chủ trì một số nội dung (ghi rõ tại từng nội dung).")
    if shares:
        return f"{opening}{shares} (trong đó có {unit}) được giao chủ trì thực hiện một số nhiệm vụ, chỉ tiêu (ghi rõ tại từng nội dung)."
    if notice.leads:
        return f"{opening}{unit} được giao chủ trì thực hiện một số nhiệm vụ, chỉ tiêu."
    # Named by no item: it receives the plan's common items, or a group's, as the monitoring unit.
    return f"{opening}{unit} là đơn vị theo dõi việc thực hiện Kế hoạch."


def _follow_up(notice: Notice, short: str, committee: str, unit_in_sentence: str) -> str:
    """A follow-up's opening: the letter it follows, and why it is written again."""
    follows = notice.follows
    if follows is None:
        return ""
    text = f"Tiếp theo {follows.text} của {committee} về việc đôn đốc thực hiện {short}"
    said = []
    if LAPSED in follows.reasons:
        by = f" (ngày {formats.dmy(follows.reply_by)})" if follows.reply_by else ""
        if notice.answered:
            # What the unit did put right is an answer in part: the letter must not say none came.
            rest = "nội dung còn lại" if len({f.subject for f in notice.findings}) == 1 else "các nội dung còn lại"
            done = formats.enumerate_vn([mid_sentence(item) for item in notice.answered])
            said.append(f"đến nay đã quá thời hạn báo cáo{by}; ngoài {done} đã được khắc phục, {committee} chưa nhận được"
                        f" báo cáo của {unit_in_sentence} về {rest}")
        else:
            said.append(f"đến nay đã quá thời hạn báo cáo{by} nhưng {committee} chưa nhận được báo cáo của {unit_in_sentence}")
    if NEW in follows.reasons:
        said.append("nay phát sinh thêm nội dung cần khắc phục")
    if ESCALATED in follows.reasons:
        said.append("một số nội dung đã kéo dài, mức độ cần đôn đốc cao hơn")
    if said:
        text += ", " + "; ".join(said)
    return text + "."


@dataclass(frozen=True)
class Distribution:
    """Who receives the letter ("Nơi nhận") and who keeps it ("Lưu"): the letter's closing and
    its line in the register of outgoing documents say the same."""

    copies: list[str]  # the lines between "Như trên" and the monitor: "Chủ tịch, các PCT UBND xã"
    monitor: str  # the monitoring unit, when it is not the addressee
    archive: list[str]  # "VT", then the drafting unit

    @property
    def count(self) -> int:
        """Số bản: one for the addressee, one per other recipient, one per archive holder."""
        return 1 + len(self.copies) + bool(self.monitor) + len(self.archive)


def distribution(notice: Notice) -> Distribution:
    plan, settings = notice.plan, notice.settings
    level = issuer_parts(plan.issuer)[2]
    copies = settings.copies if settings.copies is not None else [f"Chủ tịch, các PCT UBND {level}".strip()]
    monitor = prose(plan.monitor or settings.monitor)
    if unit_key(monitor) in {unit_key(prose(u)) for u in notice.addressees}:  # "Như trên" has it
        monitor = ""
    return Distribution([prose(c) for c in copies], monitor, ["VT"] + ([settings.drafter] if settings.drafter else []))


def context(notice: Notice) -> dict[str, Any]:
    """Everything a notice template may print, as plain text and rows."""
    plan, settings = notice.plan, notice.settings
    header, issuer_full, level = issuer_parts(plan.issuer)
    committee = f"Ủy ban nhân dân {level}" if level else issuer_full
    short, full = citation(plan)
    signer = notice.signer or settings.signer or plan.signer
    names = [prose(u) for u in notice.addressees]
    unit = formats.enumerate_vn(names)  # every addressee: "Phòng Kinh tế và Phòng Văn hóa - Xã hội"
    sections = notice.sections
    sent = distribution(notice)
    shares = formats.enumerate_vn(sorted({mid_sentence(g) for g in notice.shares}))
    in_sentence = mid_sentence(unit) if len(names) == 1 else "các đơn vị"
    return {
        "notice": notice,
        "plan": plan,
        "unit": unit,
        "addressees": names,
        # How the body names whom it asks: the unit, or "các đơn vị" once "Kính gửi" has listed them.
        "unit_in_sentence": in_sentence,
        "as_of": notice.as_of,
        "date": notice.date,
        "reply_by": notice.reply_by,
        "draft": notice.is_draft,
        "number_line": notice.number_line,
        "superior": prose(settings.superior or plan.superior).upper(),
        "issuer_lines": header,
        "issuer_full": issuer_full,
        "committee": committee,  # "Ủy ban nhân dân xã", as the body names the issuer
        "level": level,
        "place_date": formats.vn_date_words(notice.date, prose(plan.locality)),
        "subject": f"đôn đốc thực hiện {short}",
        "citation": full,
        "summary": [(s.spec.summary, s.count_text) for s in sections],
        "sections": sections,
        "oversees": formats.enumerate_vn(sorted({mid_sentence(g) for g in notice.oversees})),
        "shares": shares,
        "intro": _intro(notice, full, unit, shares),
        # The intro already names it the monitoring unit: the common items' paragraph says it once.
        "monitor_in_intro": not notice.leads and not shares,
        "follow_up": _follow_up(notice, short, committee, in_sentence),
        # The monitor's letter: what was put right since the letter it follows.
        "resolved": [prose(item) for item in notice.resolved],
        "resolved_lead": said_of(f"Kể từ {notice.follows.text}, các nội dung sau đã được khắc phục:", len(notice.resolved))
        if notice.follows else "",
        "follows": notice.follows.text if notice.follows else "",
        "common": any(s.common for s in sections),  # items the plan gives no lead: it has them as monitor
        "monitor": sent.monitor,  # its line under "Nơi nhận" (none when it is an addressee)
        # Whom the reply goes through: the monitoring unit, unless the letter is to it alone.
        "via": "" if len(names) == 1 and not sent.monitor else prose(plan.monitor or settings.monitor),
        "copies": sent.copies,
        "archive": f"Lưu: {', '.join(sent.archive)}.",
        "signer": signer,
        "signer_authority": [prose(line) for line in signer.authority.splitlines() if line.strip()],
    }


FILTERS = {
    "vn_number": formats.vn_number,
    "vn_count": formats.vn_count,
    "vn_measure": formats.vn_measure,
    "dmy": formats.dmy,
    "vn_date_words": formats.vn_date_words,
    "keep_numbers": formats.keep_numbers,
}


# --- environment, rendering -----------------------------------------------------------------


class _FolderLoader(jinja2.FileSystemLoader):
    """A commune's template folder: a template that resolves outside it (a symlink out) is refused."""

    def __init__(self, folder: str) -> None:
        super().__init__(folder, followlinks=False)
        self.root = os.path.realpath(folder)

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        real = os.path.realpath(filename)
        if os.path.commonpath([real, self.root]) != self.root:
            raise NoticeTemplateError(
                f"mẫu '{template}' trỏ ra ngoài thư mục mẫu ({real}): dondoc không đọc tệp ngoài thư mục này",
                filename,
            )
        return source, filename, uptodate


class _CompiledTemplates(jinja2.BytecodeCache):
    """The package's templates compiled once, kept in the user's cache (cache.py): jinja2
    compiling the notice took 25 ms of every run. jinja2 checks the source's checksum and
    Python's version itself; a commune's templates (sandboxed) are compiled each run."""

    def load_bytecode(self, bucket) -> None:
        from dondoc import cache

        data = cache.get("templates", bucket.key)
        if isinstance(data, bytes):
            bucket.bytecode_from_string(data)  # a stale or foreign entry leaves the bucket empty

    def dump_bytecode(self, bucket) -> None:
        from dondoc import cache

        cache.put("templates", bucket.key, bucket.bytecode_to_string())


def _configure(env: jinja2.Environment) -> jinja2.Environment:
    env.filters.update(FILTERS)
    return env


@functools.lru_cache(maxsize=64)
def _environment(template_dir: str | None) -> jinja2.Environment:
    # One environment per folder, so each template is compiled once per run, not per notice.
    package = jinja2.FileSystemLoader(str(PACKAGE_DIR))
    options: dict[str, Any] = dict(
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "htm", "xml", "html.j2"), default_for_string=True, default=True
        ),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    if template_dir is None:
        # The package's templates do not change under a run: no stat of their files at every letter.
        return _configure(jinja2.Environment(loader=package, bytecode_cache=_CompiledTemplates(), auto_reload=False, **options))
    # A commune's template is not ours: it runs in the sandbox (no attribute tricks, no imports),
    # bounded in steps, time and size (engine/sandbox.py).
    loader = jinja2.ChoiceLoader([_FolderLoader(template_dir), jinja2.PrefixLoader({DEFAULT_PREFIX: package}), package])
    return _configure(BoundedSandbox(loader=loader, **options))


def template_folder(template_dir: Path | str | None) -> str | None:
    """A commune's template folder, resolved; one that does not exist is an error."""
    if template_dir is None:
        return None
    folder = Path(template_dir).resolve()
    if not folder.is_dir():
        raise NoticeTemplateError("thư mục mẫu không tồn tại", str(folder))
    return str(folder)


def make_environment(template_dir: Path | str | None = None) -> jinja2.Environment:
    """The jinja2 environment: a commune's folder first (sandboxed), then the package's templates."""
    folder = template_folder(template_dir)
    if folder is not None and not (Path(folder) / NOTICE_TEMPLATE).is_file():
        raise NoticeTemplateError(
            f"không có mẫu {NOTICE_TEMPLATE} trong thư mục mẫu", str(Path(folder) / NOTICE_TEMPLATE)
        )
    return _environment(folder)


def _template_frame(exc: BaseException) -> tuple[str, int] | None:
    """The innermost template line in a traceback: jinja2 rewrites its frames to point there."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        name = frame.filename
        if not name.endswith(".py") and not name.startswith("<frozen"):
            return name, frame.lineno or 0
    return None


def who(notice: Notice) -> str:
    return f" (công văn gửi {notice.unit}, kế hoạch {notice.plan.number or notice.plan.title})"


def render_template(template: jinja2.Template, values: dict[str, Any], notice: Notice) -> str:
    """Render, turning every template failure into a NoticeTemplateError that names the line."""
    try:
        return template.render(values)
    except NoticeTemplateError:
        raise
    except jinja2.TemplateSyntaxError as e:
        raise NoticeTemplateError((e.message or str(e)) + who(notice), e.filename or e.name, e.lineno) from e
    except BoundError as e:  # past a bound on commune templates (engine/sandbox.py): which, and its setting
        where = _template_frame(e) or (None, None)
        raise NoticeTemplateError(f"{e.message}{who(notice)} -- {e.hint}", *where) from e
    except jinja2.exceptions.SecurityError as e:
        where = _template_frame(e) or (None, None)
        raise NoticeTemplateError(f"mẫu bị chặn (hộp cát): {e}" + who(notice), *where) from e
    except Exception as e:  # undefined variables and errors inside filters: say where
        where = _template_frame(e)
        if where is None:
            raise
        message = f"template {e.name!r} not found" if isinstance(e, jinja2.TemplateNotFound) else str(e)
        raise NoticeTemplateError(message + who(notice), *where) from e


def render_html(notice: Notice, template_dir: Path | str | None = None, *, embed_css: bool = True) -> str:
    """The notice as a complete HTML document. Template problems raise NoticeTemplateError.

    ``embed_css=False`` leaves the style sheet out, for the PDF writer, which parses it once.
    """
    env = make_environment(template_dir)
    try:
        template = env.get_template(NOTICE_TEMPLATE)
    except jinja2.TemplateSyntaxError as e:
        raise NoticeTemplateError((e.message or str(e)) + who(notice), e.filename or e.name, e.lineno) from e
    html = render_template(template, {**context(notice), "embed_css": embed_css}, notice)
    # Text may arrive in NFD; print one form so fonts place the marks and search finds words.
    return unicodedata.normalize("NFC", html)


render_notice = render_html  # the name the first version used


# --- a letter kept, to be rendered again at signing ---------------------------------------------

PAYLOAD_VERSION = 1


def notice_payload(notice: Notice) -> dict[str, Any]:
    """Everything the letter says, as JSON: the store keeps it with the draft, and signing
    renders the numbered letter from it (``notice_from_payload``), word for word as drafted
    but for its number, date and reply date."""
    settings = notice.settings.model_dump(mode="json", by_alias=True)
    return {
        "version": PAYLOAD_VERSION,
        "plan": notice.plan.model_dump(mode="json"),
        "unit": notice.unit,
        "co_addressees": list(notice.co_addressees),
        "findings": [f.model_dump(mode="json") for f in notice.findings],
        "as_of": notice.as_of.isoformat(),
        "settings": settings,
        "settings_path": notice.settings.path,
        "signer": notice.signer.model_dump(mode="json") if notice.signer else None,
        "oversees": list(notice.oversees),
        "shares": list(notice.shares),
        "index": {
            "common": sorted(notice.index.common),
            "sources": dict(notice.index.sources),
            "leads": {k: list(v) for k, v in notice.index.leads.items()},
        },
        "leads": notice.leads,
        "follows": None if notice.follows is None else {
            "number": notice.follows.number, "symbol": notice.follows.symbol, "signed_on": notice.follows.signed_on.isoformat(),
            "reply_by": notice.follows.reply_by.isoformat() if notice.follows.reply_by else None,
            "reasons": list(notice.follows.reasons),
        },
        "raised": dict(notice.raised),
        "resolved": list(notice.resolved),
        "answered": list(notice.answered),
    }


def notice_from_payload(data: Mapping[str, Any], *, number: int | None = None, date: dt.date | None = None,
                        reply_by: dt.date | None = None, signer: Signer | None = None) -> Notice:
    """The letter a payload holds, with its number, date and reply date as signing gives them."""
    if data.get("version") != PAYLOAD_VERSION:
        raise ValueError(f"a letter kept by another version of dondoc (payload {data.get('version')!r})")
    settings = Settings.model_validate({**data["settings"], "path": data.get("settings_path", "")})
    index = data["index"]
    follows = data.get("follows")
    return Notice(
        plan=Plan.model_validate(data["plan"]),
        unit=data["unit"],
        findings=[Finding.model_validate(f) for f in data["findings"]],
        as_of=dt.date.fromisoformat(data["as_of"]),
        settings=settings,
        number=number,
        date=date,
        reply_by=reply_by,
        signer=signer or (Signer.model_validate(data["signer"]) if data.get("signer") else None),
        oversees=tuple(data["oversees"]),
        shares=tuple(data["shares"]),
        index=PlanIndex(frozenset(index["common"]), dict(index["sources"]), {k: tuple(v) for k, v in index["leads"].items()}),
        leads=data["leads"],
        co_addressees=tuple(data["co_addressees"]),
        follows=None if follows is None else Citation(
            follows["number"], follows["symbol"], dt.date.fromisoformat(follows["signed_on"]),
            dt.date.fromisoformat(follows["reply_by"]) if follows.get("reply_by") else None, tuple(follows.get("reasons", ())),
        ),
        raised=dict(data.get("raised", {})),
        resolved=tuple(data.get("resolved", ())),
        answered=tuple(data.get("answered", ())),
    )
