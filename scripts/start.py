"""Set up and run Baolei on SQLite with the demo city: python3 scripts/start.py [地址:端口]

Besides the web server it runs the background worker (`baolei db_worker`), which
executes queued jobs such as vetting runs, and stops it when the server stops."""

from __future__ import annotations

import subprocess
import sys

from _venv import PYTHON, ROOT, baolei, ensure_venv


def start_worker() -> subprocess.Popen[bytes]:
    command = [str(PYTHON), "-m", "baolei.cli", "db_worker", "--no-reload", "-v", "1"]
    print("→", " ".join(command[1:]), "（后台任务 / background worker）", flush=True)
    return subprocess.Popen(command, cwd=ROOT)


def stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


if __name__ == "__main__":
    address = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"
    ensure_venv()
    baolei("migrate", "--no-input", "-v", "0")
    baolei("demo")
    worker = start_worker()
    print(
        f"\n堡垒已启动：http://{address}/  （Ctrl+C 停止）/ serving at http://{address}/\n",
        flush=True,
    )
    try:
        baolei("runserver", address, "--noreload", check=False)
    except KeyboardInterrupt:
        pass
    finally:
        stop(worker)
