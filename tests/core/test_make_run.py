"""A fresh clone's `make run` sets itself up and serves /healthz; a second run starts in seconds."""

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(clone: Path, port: int, log: Path) -> subprocess.Popen:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "VIRTUAL_ENV"}
    }
    return subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=clone,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"make run exited:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                return json.loads(response.read())
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"/healthz not up after {timeout} s:\n{log.read_text()[-4000:]}")


def _get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode(), response.headers["Content-Type"]
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers["Content-Type"]


def _stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def test_fresh_clone_make_run_serves_healthz_and_restarts_fast(tmp_path):
    clone = tmp_path / "treem"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    # Include the work tree as it is now (a CI clone has no uncommitted changes; a developer may).
    tracked = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in tracked:
        source = ROOT / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)

    port = _free_port()
    log = tmp_path / "first.log"
    process = _start(clone, port, log)
    try:
        health = _wait_healthy(f"http://127.0.0.1:{port}/healthz", process, log, timeout=900)
        base = f"http://127.0.0.1:{port}"
        # DEBUG is off: Treem's own 404, never Django's list of every URL pattern ...
        status, body, _type = _get(f"{base}/khong-co-trang-nay/")
        assert status == 404 and "Không tìm thấy trang" in body and "URLconf" not in body
        # ... the API answers its JSON error shape even for a URL it does not have ...
        status, body, content_type = _get(f"{base}/api/khong-co/")
        assert status == 404 and content_type.startswith("application/json")
        assert json.loads(body)["error"]["code"] == "not_found"
        # ... and static files are still served.
        status, _body, _type = _get(f"{base}/static/vendor/htmx/htmx.min.js")
        assert status == 200
    finally:
        _stop(process)
    assert health["status"] == "ok"
    output = log.read_text()
    assert "Demo accounts (password for all:" in output
    assert "canbo.a" in output

    started = time.monotonic()
    log2 = tmp_path / "second.log"
    process = _start(clone, port, log2)
    try:
        _wait_healthy(f"http://127.0.0.1:{port}/healthz", process, log2, timeout=120)
    finally:
        _stop(process)
    assert time.monotonic() - started < 60, log2.read_text()[-2000:]
