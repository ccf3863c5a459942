"""The package as an operator installs it: build the wheel, install it (not editable) into a fresh
venv, and ask a question from an unrelated folder. The corpus must come from the wheel, the index
must be built in the user's data dir, and nothing may be written under site-packages.

Fast and offline: the wheel is built without build isolation and installed with ``--no-deps``;
the new venv sees this venv's dependencies through a ``.pth`` line (a plain path line, so the
editable install's finder in this venv is *not* activated there).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow

IGNORED = shutil.ignore_patterns(
    ".git", ".venv", ".data", "build", "dist", "out", "__pycache__", "*.egg-info"
)


def _run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False, **kwargs)  # type: ignore[call-overload]
    assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    return proc  # type: ignore[no-any-return]


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file()
    }


def test_installed_wheel_answers_from_another_folder(tmp_path: Path) -> None:
    # Build from a copy, so the build leaves nothing in the checkout.
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=IGNORED)
    dist = tmp_path / "dist"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(src),
        ]
    )
    (wheel,) = dist.glob("netral-*.whl")

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    py = venv / "bin" / "python"
    site = Path(
        _run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    )
    (site / "zz_netral_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ]
    )

    elsewhere = tmp_path / "elsewhere"
    home = tmp_path / "home"
    elsewhere.mkdir()
    home.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("NETRAL_", "TELEGRAM_", "XDG_", "PYTHON", "VIRTUAL_ENV"))
    }
    env["HOME"] = str(home)

    where = _run(
        [
            str(py),
            "-c",
            "import rag, netral_knowledge; print(rag.__file__); print(netral_knowledge.__file__)",
        ],
        cwd=elsewhere,
        env=env,
    ).stdout.split()
    assert all(Path(p).is_relative_to(site) for p in where), where
    assert (site / "netral_knowledge" / "lexicon.yaml").is_file()
    assert list((site / "netral_knowledge").glob("*.md")), "the corpus is not in the wheel"

    before = _snapshot(site)
    proc = _run(
        [
            str(venv / "bin" / "netral"),
            "ask",
            "--json",
            "Bolehkah ASN memberi like pada postingan calon presiden?",
        ],
        cwd=elsewhere,
        env=env,
    )
    answer = json.loads(proc.stdout)
    assert answer["verdict"] == "dilarang"
    assert answer["citations"], answer

    data_dir = home / ".local" / "share" / "netral"
    assert (data_dir / "index" / "CURRENT").is_file(), "the index was not built in the user data dir"
    gen = data_dir / "index" / (data_dir / "index" / "CURRENT").read_text().strip()
    assert json.loads((gen / "lexicon.json").read_text())["groups"], "the lexicon is not in the generation"
    assert _snapshot(site) == before, "netral wrote under site-packages"
    assert not list(elsewhere.iterdir()), "netral wrote into the working folder"
