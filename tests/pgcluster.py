"""A throwaway PostgreSQL cluster for the tests marked ``postgres`` (``make test-postgres``).

Made with Debian's own initdb and pg_ctl (package postgresql) in a temporary folder, as
pytest-postgresql does, and removed afterwards: never the machine's own cluster. It listens
on a Unix socket inside that folder only (no TCP port), its one role has no password and
trust authentication, and the folder is readable by its owner alone: nothing is left
behind, and nothing reaches it from outside while it runs.

initdb refuses root: run as root, the cluster runs as the ``postgres`` system user (Debian's
package makes it), else as ``nobody``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

ROLE = "dondoc_test"
PORT = 5432  # names the socket file inside the private folder; nothing listens on TCP


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} not found: install Debian's package postgresql (make test-postgres does)")
    return path


class Cluster:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="dondoc-pg-"))
        self.data, self.socket, self.log = self.root / "data", self.root / "sock", self.root / "server.log"
        self.user: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            for name in ("postgres", "nobody"):
                try:
                    self.user = pwd.getpwnam(name)
                    break
                except KeyError:
                    continue
        self.socket.mkdir()
        if self.user is not None:
            for path in (self.root, self.socket):
                os.chown(path, self.user.pw_uid, self.user.pw_gid)
        os.chmod(self.root, 0o700)

    def _run(self, *args: str) -> None:
        kwargs = {}
        if self.user is not None:
            kwargs = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
        result = subprocess.run(list(args), capture_output=True, text=True, cwd=self.root, env={**os.environ, "LC_ALL": "C"}, **kwargs)
        if result.returncode:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(args)}: {result.stderr or result.stdout}\n{log}")

    def start(self) -> "Cluster":
        self._run(_bin("initdb"), "-D", str(self.data), "-U", ROLE, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync")
        options = f"-k {self.socket} -p {PORT} -c listen_addresses='' -c fsync=off -c full_page_writes=off -c max_connections=60"
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "-t", "60", "start")
        return self

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{ROLE}@/{database}?host={self.socket}&port={PORT}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(host=str(self.socket), port=PORT, user=ROLE, dbname="postgres", autocommit=True) as conn:
            conn.execute(sql)
