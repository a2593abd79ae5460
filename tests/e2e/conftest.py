"""The local stack as a user runs it: `python -m local` in a subprocess on a free port, driven over
real HTTP."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.api import Reply

ROOT = Path(__file__).resolve().parents[2]
OPERATOR_KEY = "crm_operator_e2e-operator-key-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalStackProcess:
    def __init__(self, data_dir: Path, port: int) -> None:
        self.data_dir = data_dir
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[str] | None = None
        self.output: list[str] = []

    def start(self) -> None:
        env = {
            **os.environ,
            "PORT": str(self.port),
            "CRM_DATA_DIR": str(self.data_dir),
            "CRM_OPERATOR_KEY": OPERATOR_KEY,
            "CRM_LOCAL_ACCESS_LOG": "0",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "local"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    "local stack exited:\n" + (self.process.stdout.read() if self.process.stdout else "")
                )
            try:
                if self.request("GET", "/v1/health").status == 200:
                    return
            except OSError:
                time.sleep(0.2)
            else:
                time.sleep(0.05)  # answering, still starting (503 problem+json with Retry-After)
        raise RuntimeError("local stack did not become healthy in 60 s")

    def stop(self) -> str:
        if self.process is None:
            return ""
        self.process.send_signal(signal.SIGTERM)
        try:
            output, _ = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        self.process = None
        return output

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        key: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if key:
            request.add_header("Authorization", f"Bearer {key}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, raw, response_headers = response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            status, raw, response_headers = error.code, error.read(), dict(error.headers)
        return Reply.parse(status, response_headers, raw)


@pytest.fixture
def local_stack(tmp_path: Path) -> Iterator[LocalStackProcess]:
    stack = LocalStackProcess(tmp_path / "data", free_port())
    stack.start()
    yield stack
    stack.stop()
