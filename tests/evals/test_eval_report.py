from __future__ import annotations

import base64
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from eval_fakes import FakeService, make_answer

from evals.gold import GoldCase
from evals.report import write_report
from evals.runner import EvalResult, run_eval

KE4 = "SKB 2/2022 Lampiran Kode Etik angka 4"
N4 = "PP 94/2021 Pasal 5 huruf n angka 4"
EVIL = 'Bolehkah <script>alert("x")</script> & like?'

CASES = [
    GoldCase(id="like", question="Bolehkah ASN like postingan capres?", verdicts=("dilarang",),
             must_cite=((KE4,),), tags=("medsos",)),
    GoldCase(id="evil", question=EVIL, verdicts=("dilarang",), must_cite=((KE4,),), tags=("medsos", "kolokial")),
    GoldCase(id="car", question="Mobil dinas untuk kampanye?", verdicts=("dilarang",), must_cite=((N4,),),
             tags=("kampanye",)),
    GoldCase(id="poem", question="Buatkan puisi", verdicts=("di_luar_cakupan",), tags=("di-luar-cakupan",)),
    GoldCase(id="crash", question="crash me", verdicts=("boleh",), tags=("kampanye",)),
]  # fmt: skip


def _service() -> FakeService:
    return FakeService(
        {
            CASES[0].question: make_answer(CASES[0].question, "dilarang", cites=(KE4,), retrieved=(KE4, N4)),
            EVIL: make_answer(EVIL, "boleh", "<b>boleh</b>", cites=(N4,), retrieved=(N4,)),
            CASES[2].question: make_answer(CASES[2].question, "dilarang", cites=(N4,), retrieved=(KE4, N4)),
        },
        raise_on=("crash me",),
    )


def _result() -> EvalResult:
    ticks = iter(float(i) / 10 for i in range(100))
    return run_eval(_service(), CASES, gold="gold/", mode="extractive", clock=lambda: next(ticks))


def test_runner_records_cases_and_latencies() -> None:
    result = _result()
    assert [r.case.id for r in result.records] == ["like", "evil", "car", "poem", "crash"]
    assert [r.passed for r in result.records] == [True, False, True, True, False]
    assert all(r.score.latency_s == pytest.approx(0.1) for r in result.records)
    evil = result.records[1]
    assert (evil.got_verdict, evil.citations, evil.retrieved) == ("boleh", (N4,), (N4,))
    assert result.records[4].got_verdict is None and result.overall.errors == 1
    data = result.to_json_dict()
    assert data["overall"]["cases"] == 5 and set(data["by_tag"]) == {
        "medsos",
        "kolokial",
        "kampanye",
        "di-luar-cakupan",
    }


def test_report_is_self_contained_and_escaped(tmp_path: Path) -> None:
    html_path, md_path = write_report(_result(), tmp_path / "out")
    html = html_path.read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; like?" in html
    assert "&lt;b&gt;" not in html  # answer text is not in the failing table, but nothing raw leaks
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) == 2
    for img in images:
        assert base64.b64decode(img).startswith(b"\x89PNG") and len(img) > 1000
    assert not re.search(r'(src|href)="(?!data:)', html)  # no external resources
    assert "Failing cases (2)" in html and "crash me" in html and "RuntimeError: boom" in html
    md = md_path.read_text(encoding="utf-8")
    assert "| Pass rate | 60.0% |" in md and "`evil`" in md


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs /usr/bin/chromium")
def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    html_path, _ = write_report(_result(), tmp_path / "out")
    shot = tmp_path / "shot.png"
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            f"--user-data-dir={profile}", "--window-size=1200,1600", f"--screenshot={shot}",
            html_path.as_uri(),
        ],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    shutil.rmtree(profile, ignore_errors=True)
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000
    from matplotlib.image import imread

    pixels = imread(str(shot))
    assert pixels.std() > 0.05  # not a blank page
