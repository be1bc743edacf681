"""Starts the real Tally service for the tests: a free port, a fresh embedded database."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

REPO_ROOT = Path(__file__).resolve().parents[3]


def _node() -> str:
    # The repository's Node 24 (the `node` devDependency), else whatever node is on PATH.
    local = REPO_ROOT / "node_modules" / ".bin" / "node"
    found = str(local) if local.exists() else shutil.which("node")
    if not found:
        raise RuntimeError("node is needed to start Tally: run `npm install` at the repository root")
    return found


@dataclass
class RunningTally:
    base_url: str
    api_key: str
    process: subprocess.Popen
    data_dir: str

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # SIGTERM: Tally finishes in-flight requests and closes the database
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.data_dir, ignore_errors=True)


def start_tally(timeout: float = 60.0) -> RunningTally:
    data_dir = tempfile.mkdtemp(prefix="tally-sdk-py-")
    api_key = f"sk_test_{secrets.token_hex(16)}"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(PORT="0", HOST="127.0.0.1", TALLY_DATA_DIR=data_dir, TALLY_API_KEY=api_key, LOG_LEVEL="info", TALLY_VALIDATE_RESPONSES="1", TALLY_WEBHOOK_ALLOW_PRIVATE="1")
    process = subprocess.Popen(
        [_node(), "src/main.ts"],
        cwd=REPO_ROOT / "services" / "api",
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    found = threading.Event()
    url: List[Optional[str]] = [None]
    lines: List[str] = []

    def read_log() -> None:
        # Keeps draining after "listening": a full pipe would block the server.
        assert process.stdout is not None
        for line in process.stdout:
            if not found.is_set():
                lines.append(line.rstrip())
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if "listening" in str(entry.get("msg", "")) and entry.get("url"):
                    url[0] = entry["url"]
                    found.set()
        found.set()  # exited

    threading.Thread(target=read_log, daemon=True).start()
    found.wait(timeout)
    running = RunningTally(base_url=f"{url[0]}/v1", api_key=api_key, process=process, data_dir=data_dir)
    if url[0] is None:
        running.stop()
        raise RuntimeError("Tally did not log 'listening':\n" + "\n".join(lines))
    return running
