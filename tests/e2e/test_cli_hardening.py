"""Issue 10, minor CLI findings: each one as a user meets it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from rag.settings import Settings
from tests.conftest import ROOT


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {**os.environ, "NETRAL_DATA_DIR": str(settings.data_dir), **extra}
    env.pop("NETRAL_TELEGRAM_BOT_TOKEN", None)
    return env


def test_empty_token_starts_the_console_chat(full_settings: Settings) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "netral", "start", "--no-history"],
        cwd=ROOT,
        env=_env(full_settings, TELEGRAM_BOT_TOKEN=""),
        input="keluar\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "chat konsol" in proc.stderr and "Traceback" not in proc.stderr


def test_batch_survives_an_invalid_utf8_line(full_settings: Settings) -> None:
    data = b"Bolehkah PNS ikut kampanye?\n" + b"Bolehkah PNS \xff jadi caleg?\n" + b"Apa itu netralitas?\n"
    proc = subprocess.run(
        [sys.executable, "-m", "netral", "ask", "--json", "--batch", "-"],
        cwd=ROOT,
        env=_env(full_settings),
        input=data,
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    answers = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert len(answers) == 3 and "\ufffd" not in answers[1]["question"]


def test_ask_into_a_closed_pipe_prints_no_traceback(full_settings: Settings) -> None:
    # Like `netral ask … | head` when head has already exited: the reader is gone before the
    # answer is printed (closing our end first makes that deterministic).
    proc = subprocess.Popen(
        [sys.executable, "-m", "netral", "ask", "Bolehkah ASN memberi like pada postingan calon presiden?"],
        cwd=ROOT,
        env=_env(full_settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=120)
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "BrokenPipe" not in err, err
