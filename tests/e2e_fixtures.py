"""End-to-end fixtures: a real server process on its own database, and headless Chromium. Loaded
for every test package by tests/conftest.py, so every app's browser tests share one server.

The server is started the way `make run` starts it (migrate, load_geography, seed_demo, runserver)
on a fresh SQLite file, so browser tests see the full demo and never share the test database.
Browser tests are skipped when Chromium is missing, unless TREEM_REQUIRE_BROWSER=1 (CI sets it), in
which case a missing browser fails the run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("TREEM_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(tmp: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "SQLITE_PATH": str(tmp / "e2e.sqlite3"),
            "MEDIA_ROOT": str(tmp / "media"),
            "TASKS_BACKEND": "immediate",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(tmp / "mail"),
            "TREEM_ENV": "development",
            "LOG_LEVEL": "warning",
        }
    )
    return env


class E2EServer:
    def __init__(self, url: str, tmp: Path, process: subprocess.Popen):
        self.url = url
        self.tmp = tmp
        self.process = process
        self.mail_dir = tmp / "mail"

    def manage(self, *args: str) -> str:
        """Run a management command against the server's database (e.g. to read a TOTP code)."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=server_env(self.tmp),
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return result.stdout


@pytest.fixture(scope="session")
def e2e_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    env = server_env(tmp)
    for args in (
        ["migrate", "--noinput", "-v0"],
        ["load_geography"],
        ["seed_demo", "--quiet-accounts"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=600
        )
    port = _free_port()
    log = open(tmp / "server.log", "w")  # noqa: SIM115 - closed at teardown
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError((tmp / "server.log").read_text()) from None
            time.sleep(0.3)
    yield E2EServer(url, tmp, process)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def _browser_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


@pytest.fixture(scope="session")
def browser():
    if not _browser_available():
        if os.environ.get("TREEM_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI must install Debian's chromium")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the tests themselves never touch
    # the ORM (the server is another process), so Django's async guard can be relaxed here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def artifacts():
    """Directory for screenshots: test-artifacts/<name>/ (kept by CI as test artefacts)."""

    def folder(name: str) -> Path:
        path = ARTIFACTS / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    return folder
