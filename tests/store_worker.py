"""The store in another process, for the tests that need real processes (tests/test_store_processes.py).

    python tests/store_worker.py URL sign SIGNED_ON ID...   waits for a line on stdin ("go"), then signs
                                                            each letter; prints "ID NUMBER" or "ID refused"
    python tests/store_worker.py URL hold AS_OF             takes the night's lock, prints "held PID";
                                                            each line on stdin: "again" releases and takes
                                                            it again (prints "held PID"), "quit" ends

A DondocError ends the process with its exit status, as the command line does (cli.Dondoc).
"""

from __future__ import annotations

import datetime as dt
import os
import sys

from dondoc.errors import DondocError, InputError
from dondoc.store.store import Store


def sign(store: Store, signed_on: str, ids: list[str]) -> None:
    sys.stdin.readline()
    for letter_id in ids:
        try:
            letter = store.sign(int(letter_id), "Nguyễn Văn A", dt.date.fromisoformat(signed_on))
            print(letter_id, letter.number, flush=True)
        except InputError:  # signed by the other process first
            print(letter_id, "refused", flush=True)


def hold(store: Store, as_of: str) -> None:
    while True:
        with store.night(dt.date.fromisoformat(as_of), version="test", rulebook_hash="-"):
            print("held", os.getpid(), flush=True)
            line = sys.stdin.readline().strip()
        if line != "again":
            return


def main() -> int:
    url, command, *args = sys.argv[1:]
    try:
        with Store.open(url) as store:
            {"sign": lambda: sign(store, args[0], args[1:]), "hold": lambda: hold(store, args[0])}[command]()
    except DondocError as exc:
        print(f"{exc.label}: {exc}", file=sys.stderr, flush=True)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
