"""A killed ingest leaves the previous index usable; the index also works on a real `chroma run`
server started on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.pipeline import run_ingest
from netral.app import NetralService
from rag.index import IndexReader, current_generation
from tests.conftest import KNOWLEDGE, ROOT, make_settings


def test_killed_ingest_leaves_previous_index_usable(tmp_path: Path) -> None:
    data = tmp_path / "data"
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(KNOWLEDGE / "pp-42-2004.md", src)
    settings = make_settings(data)
    run_ingest(settings, [src], progress=False)
    live = current_generation(settings.index_dir)
    assert live is not None

    # A full rebuild of the whole corpus takes seconds; kill it as soon as its generation appears.
    env = {**os.environ, "NETRAL_DATA_DIR": str(data), "NETRAL_KNOWLEDGE_DIR": str(KNOWLEDGE)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "netral", "ingest", "-q", "--rebuild", str(KNOWLEDGE)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if any(p != live for p in settings.index_dir.glob("gen-*")):
                break
            assert proc.poll() is None, "ingest finished before it could be killed"
            time.sleep(0.02)
        else:
            pytest.fail("the rebuild never started a generation")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)

    assert current_generation(settings.index_dir) == live
    service = NetralService(settings)
    answer = service.answer("Apa sanksi moral bagi PNS yang melanggar kode etik?")
    assert answer.citations and all(c.document == "PP 42/2004" for c in answer.citations)

    # The next ingest cleans up the partial generation and succeeds.
    report = run_ingest(settings, [src, KNOWLEDGE / "pp-37-2004.md"], progress=False)
    assert report.changed
    gens = [p for p in settings.index_dir.glob("gen-*") if p.is_dir()]
    assert all((g / "manifest.json").exists() for g in gens)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    if not Path(exe).exists():
        pytest.skip("the chroma CLI is not installed")
    port = _free_port()
    proc = subprocess.Popen(
        [exe, "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                break
        except OSError:
            assert proc.poll() is None, "chroma run exited"
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma run did not come up")
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_index_on_a_chroma_server(tmp_path: Path, chroma_server: str) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(KNOWLEDGE / "pp-37-2004.md", src)
    settings = make_settings(tmp_path / "data", chroma_url=chroma_server)
    report = run_ingest(settings, [src], progress=False)
    assert report.changed
    reader = IndexReader.open(settings)
    assert reader.manifest.chroma_url == chroma_server
    assert not (reader.gen / "chroma").exists()
    assert reader.store.count() == len(reader.units)
    answer = NetralService(settings).answer("Bolehkah PNS menjadi anggota partai politik?")
    assert any(c.document == "PP 37/2004" for c in answer.citations)
    # A second, changed ingest switches collections and drops the old generation's beyond the kept two.
    shutil.copy(KNOWLEDGE / "pp-42-2004.md", src)
    assert run_ingest(settings, [src], progress=False).changed
    assert IndexReader.open(settings).store.count() == len(IndexReader.open(settings).units)
