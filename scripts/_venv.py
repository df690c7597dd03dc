"""Shared by start.py and test.py: the project's own virtual environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*args: object, env: dict[str, str] | None = None, check: bool = True) -> int:
    command = [str(a) for a in args]
    print("→", " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT, env=env, check=check).returncode


def ensure_venv(extras: str = "") -> None:
    """Create .venv and install the project into it (fast when nothing changed)."""
    if sys.version_info < (3, 11):  # noqa: UP036 - the check is for whoever runs this script
        sys.exit("堡垒需要 Python 3.11 或更高版本 / Baolei needs Python 3.11 or newer")
    if not PYTHON.exists():
        print("创建虚拟环境 .venv / creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".[{extras}]" if extras else "."
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target)
    ensure_assets()


def ensure_assets() -> None:
    """Front-end files from npm (package.json): ECharts for the dashboard's charts, Tom
    Select for the type-ahead pickers. Without npm the platform still runs and shows the
    charts as tables."""
    packages = ("echarts", "tom-select")
    if all((ROOT / "node_modules" / p / "package.json").exists() for p in packages):
        return
    npm = shutil.which("npm")
    if npm is None:
        print(
            "未找到 npm，驾驶舱图表将以表格显示（apt-get install npm 后重跑）"
            " / npm not found: dashboard charts fall back to tables",
            flush=True,
        )
        return
    run(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")


def baolei(*args: object, env: dict[str, str] | None = None, check: bool = True) -> int:
    return run(PYTHON, "-m", "baolei.cli", *args, env=env, check=check)
