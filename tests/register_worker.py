"""A numbering run in its own process, for the crash tests (tests/test_register.py).

    python tests/register_worker.py REGISTER OUT DATE UNITS [STOP_AT]

Draws one number per unit for the check date DATE, writes OUT (one file per
notice, through files.py), confirms. It prints a line at every step
("drawn 3", "landing", "swapped", "confirmed"); with STOP_AT it waits at that
step until it is killed, so a test can SIGKILL it at an exact point.
"""

from __future__ import annotations

import datetime as dt
import sys
import time

from dondoc.store.register import Register, notice_key
from dondoc.files import replace_folder

ISSUER = "UBND xã Gia Lộc"


def step(name: str, stop_at: str) -> None:
    print(name, flush=True)
    if name == stop_at:
        time.sleep(600)


def main() -> None:
    register, out, date, units = sys.argv[1:5]
    stop_at = sys.argv[5] if len(sys.argv) > 5 else ""
    as_of = dt.date.fromisoformat(date)
    with Register.open(register) as reg, reg.run(out) as run:
        step("started", stop_at)
        drawn = {}
        for i, unit in enumerate(units.split(","), 1):
            drawn[unit] = run.number_for(ISSUER, as_of.year, notice_key("97/KH-UBND", unit, as_of), date=as_of, recipient=unit)
            step(f"drawn {i}", stop_at)
        with replace_folder(out) as staging:
            for unit, number in drawn.items():
                staging.write_text(f"{number:02d}-{unit}.txt", f"Số: {number:02d}/UBND-VP\nKính gửi: {unit}\n")
            run.landing(staging)
            step("landing", stop_at)
        step("swapped", stop_at)
        run.confirm()
        step("confirmed", stop_at)


if __name__ == "__main__":
    main()
