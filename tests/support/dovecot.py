"""A real Dovecot IMAP server for the mail tests, configured from scratch in a temporary folder.

It listens on loopback only: plain IMAP (plaintext login allowed, as on a test bench), and IMAPS with a
self-signed certificate made for ``127.0.0.1``, so STARTTLS and implicit TLS are tested too. Dovecot
refuses to give root's mail to root, so when the tests run as root the mailbox belongs to ``nobody``
and Dovecot's own system users run its login and auth processes; otherwise everything runs as the
current user.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.servers import free_port, wait_for_port

USER = "ap@clinic.example"


@dataclass
class Dovecot:
    root: Path
    port: int
    ssl_port: int
    password: str
    ca_file: Path
    user: str = USER
    proc: subprocess.Popen[bytes] | None = None
    _counter: list[int] = field(default_factory=lambda: [0])

    def unique_folder(self, stem: str = "t") -> str:
        """A folder name no other test uses, so tests share one server without seeing each other."""
        self._counter[0] += 1
        return f"{stem}{os.getpid()}x{self._counter[0]}"

    @property
    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def doveadm(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["doveadm", "-c", str(self.root / "dovecot.conf"), *args],
                              capture_output=True, text=True, check=True)

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(15)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


def _accounts() -> tuple[str, str, str, int, int]:
    """(internal user, internal group, login user, mail uid, mail gid) for the process's privileges."""
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        return "dovecot", "dovecot", "dovenull", nobody.pw_uid, nobody.pw_gid
    me = pwd.getpwuid(os.geteuid()).pw_name
    return me, grp.getgrgid(os.getegid()).gr_name, me, os.geteuid(), os.getegid()


def _certificate(root: Path) -> tuple[Path, Path]:
    cert, key = root / "cert.pem", root / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def _config(root: Path, port: int, ssl_port: int, cert: Path, key: Path) -> str:
    internal, group, login, uid, gid = _accounts()
    unprivileged = os.geteuid() != 0
    # Unprivileged Dovecot cannot chroot its login processes.
    no_chroot = "  chroot =\n" if unprivileged else ""
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
instance_name = payables-test-{port}
protocols = imap
listen = 127.0.0.1
default_internal_user = {internal}
default_internal_group = {group}
default_login_user = {login}
first_valid_uid = {min(uid, 100)}
first_valid_gid = {min(gid, 100)}
disable_plaintext_auth = no
auth_mechanisms = plain login
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
mail_location = maildir:{root}/mail/%u
mail_uid = {uid}
mail_gid = {gid}
mail_fsync = never
mail_max_userip_connections = 200
imap_max_line_length = 1M
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/users
  default_fields = uid={uid} gid={gid} home={root}/home/%u
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
service imap-login {{
{no_chroot}  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {ssl_port}
    ssl = yes
  }}
}}
# The tests log in with a wrong password on purpose; brute-force penalties would slow the rest.
auth_failure_delay = 0
service anvil {{
{no_chroot}  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
service lmtp {{
  unix_listener lmtp {{
    mode = 0600
  }}
}}
"""


@contextlib.contextmanager
def dovecot_server() -> Iterator[Dovecot]:
    if shutil.which("dovecot") is None:
        raise RuntimeError("dovecot is not installed (Debian package dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="payables-dovecot-"))
    root.chmod(0o755)  # Dovecot's unprivileged processes must reach the mail and the sockets
    _, _, _, uid, gid = _accounts()
    for sub in ("mail", "home"):
        (root / sub).mkdir()
        os.chown(root / sub, uid, gid)
    cert, key = _certificate(root)
    password = secrets.token_urlsafe(12)
    (root / "users").write_text(f"{USER}:{password}:{uid}:{gid}::{root}/home/{USER}\n")
    port, ssl_port = free_port(), free_port()
    conf = root / "dovecot.conf"
    conf.write_text(_config(root, port, ssl_port, cert, key))
    proc = subprocess.Popen(["dovecot", "-F", "-c", str(conf)], stdout=subprocess.DEVNULL,
                            stderr=open(root / "stderr.log", "ab"))  # noqa: SIM115
    server = Dovecot(root, port, ssl_port, password, cert, proc=proc)
    try:
        try:
            wait_for_port(port, 30, proc)
            wait_for_port(ssl_port, 30, proc)
        except (RuntimeError, TimeoutError) as exc:
            detail = (root / "stderr.log").read_text(errors="replace") + server.log
            raise RuntimeError(f"Dovecot did not start: {exc}\n{detail[-3000:]}") from exc
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """A real Dovecot for the whole test session (imported into ``tests/conftest.py``)."""
    with dovecot_server() as server:
        yield server
