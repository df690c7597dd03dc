"""Set up and run Baolei on SQLite with the demo city: python3 scripts/start.py [地址:端口]"""

from __future__ import annotations

import sys

from _venv import baolei, ensure_venv

if __name__ == "__main__":
    address = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"
    ensure_venv()
    baolei("migrate", "--no-input", "-v", "0")
    baolei("demo")
    print(
        f"\n堡垒已启动：http://{address}/  （Ctrl+C 停止）/ serving at http://{address}/\n",
        flush=True,
    )
    baolei("runserver", address, "--noreload")
