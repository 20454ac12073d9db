"""Start the action server, the Rasa server and the chat page; stop them all on Ctrl-C."""
from __future__ import annotations

import functools
import http.server
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import List, Optional

from bot.cli.train import latest_model, model_path
from bot.paths import REPO_ROOT, var_dir

RASA_PORT = int(os.environ.get("BOT_RASA_PORT", "5005"))
ACTIONS_PORT = int(os.environ.get("BOT_ACTIONS_PORT", "5055"))
WEB_PORT = int(os.environ.get("BOT_WEB_PORT", "8080"))
STATIC_DIR = REPO_ROOT / "bot" / "web" / "static"
STARTUP_TIMEOUT_S = 300


def api_token() -> str:
    """Token for Rasa's HTTP API: BOT_API_TOKEN, else one generated once and kept in var/."""
    if os.environ.get("BOT_API_TOKEN"):
        return os.environ["BOT_API_TOKEN"]
    path = var_dir() / "api-token"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(24))
        path.chmod(0o600)
    return path.read_text().strip()


def child_environment() -> dict:
    """Environment for the servers: telemetry and outside error reporting off."""
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        TF_CPP_MIN_LOG_LEVEL="2",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
    )
    return env


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _start(command: List[str]) -> subprocess.Popen:
    # Own process group: Ctrl-C reaches the supervisor, which stops each group in order.
    return subprocess.Popen(command, cwd=REPO_ROOT, env=child_environment(), start_new_session=True)


def _stop(processes: List[subprocess.Popen]) -> None:
    for proc in processes:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + 15
    for proc in processes:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _wait_until_up(url: str, processes: List[subprocess.Popen]) -> bool:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except OSError:
            time.sleep(1)
    return False


def _serve_pages() -> http.server.ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=str(STATIC_DIR))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", WEB_PORT), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static file handler that does not log request lines."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        return


def current_model() -> Optional[Path]:
    """The model trained from the current inputs, else the newest model on disk."""
    path = model_path()
    return path if path.exists() else latest_model()


def main() -> int:
    """Run everything until Ctrl-C or until one server exits."""
    model = current_model()
    if model is None:
        print("学習済みモデルがありません。先に make train（または make run）を実行してください。", file=sys.stderr)
        return 1
    token = api_token()
    actions = _start([_bin("python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(ACTIONS_PORT)])
    rasa = _start([
        _bin("rasa"), "run", "--model", str(model), "--port", str(RASA_PORT),
        "--enable-api", "--auth-token", token,
        "--credentials", "credentials.yml", "--endpoints", "endpoints.yml",
        "--cors", f"http://localhost:{WEB_PORT}", f"http://127.0.0.1:{WEB_PORT}",
    ])
    processes = [rasa, actions]
    stopping = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    pages = None
    try:
        if not _wait_until_up(f"http://127.0.0.1:{RASA_PORT}/", processes) or not _wait_until_up(
            f"http://127.0.0.1:{ACTIONS_PORT}/health", processes
        ):
            if not stopping.is_set():
                print("サーバーの起動に失敗しました。上のログを確認してください。", file=sys.stderr)
                return 1
            return 0
        pages = _serve_pages()
        print(
            "\n==== サポートボットが起動しました ====\n"
            f"  チャット画面   : http://localhost:{WEB_PORT}/\n"
            f"  REST API      : http://localhost:{RASA_PORT}/webhooks/rest/webhook\n"
            f"  アクションサーバー: http://localhost:{ACTIONS_PORT}/health\n"
            f"  HTTP API トークン: var/api-token（BOT_API_TOKEN で指定可）\n"
            "  止めるには Ctrl-C を押してください。\n",
            flush=True,
        )
        while not stopping.is_set():
            if any(p.poll() is not None for p in processes):
                print("サーバーの一つが終了しました。すべて停止します。", file=sys.stderr)
                return 1
            stopping.wait(1)
        return 0
    finally:
        print("停止しています…", flush=True)
        if pages is not None:
            pages.shutdown()
        _stop(processes)
        print("停止しました。", flush=True)


if __name__ == "__main__":
    sys.exit(main())
