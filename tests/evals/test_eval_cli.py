from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from eval_fakes import FakeService, make_answer

from evals import cli
from rag.errors import ConfigError

KE4 = "SKB 2/2022 Lampiran Kode Etik angka 4"
GOLD = [
    {"id": "like", "question": "Bolehkah ASN like postingan capres?", "verdict": "dilarang",
     "must_cite": [[KE4]], "tags": ["medsos"]},
    {"id": "poem", "question": "Buatkan puisi", "verdict": "di_luar_cakupan", "must_cite": [],
     "tags": ["di-luar-cakupan"]},
]  # fmt: skip


def _gold(tmp_path: Path) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in GOLD) + "\n", encoding="utf-8")
    return path


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli.configure(parser)
    return parser.parse_args(list(argv))


def _service(like_verdict: str = "dilarang") -> FakeService:
    q = GOLD[0]["question"]
    assert isinstance(q, str)
    return FakeService({q: make_answer(q, like_verdict, cites=(KE4,), retrieved=(KE4,))})  # type: ignore[arg-type]


def _json_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], *argv: str, verdict: str = "dilarang"
) -> tuple[int, dict]:
    code = cli.run_with_service(_args("--gold", str(_gold(tmp_path)), "--json", *argv), _service(verdict))
    return code, json.loads(capsys.readouterr().out)


def test_json_output_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _json_run(tmp_path, capsys)
    assert code == 0
    assert data["overall"]["pass_rate"] == 1.0 and data["overall"]["cases"] == 2
    assert [c["id"] for c in data["cases"]] == ["like", "poem"]
    assert set(data["by_tag"]) == {"medsos", "di-luar-cakupan"}


def test_compare_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, perfect = _json_run(tmp_path, capsys)
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(perfect), encoding="utf-8")

    # Same result: no drop.
    code, data = _json_run(tmp_path, capsys, "--compare", str(baseline))
    assert code == 0 and data["compare"]["ok"] and data["compare"]["pass_rate_drop"] == 0.0

    # One of two cases now fails: pass rate drops by 0.5 > 0.02.
    code, data = _json_run(tmp_path, capsys, "--compare", str(baseline), verdict="boleh")
    assert code == 1 and not data["compare"]["ok"]
    assert data["compare"]["deltas"]["verdict_accuracy"]["delta"] == -0.5

    # ... unless the allowed drop is larger.
    code, _ = _json_run(tmp_path, capsys, "--compare", str(baseline), "--max-drop", "0.5", verdict="boleh")
    assert code == 0

    # An improvement never fails; the readable output names the metrics.
    worse = tmp_path / "worse.json"
    worse.write_text(
        json.dumps({**perfect, "overall": {**perfect["overall"], "pass_rate": 0.5}}), encoding="utf-8"
    )
    code = cli.run_with_service(_args("--gold", str(_gold(tmp_path)), "--compare", str(worse)), _service())
    out = capsys.readouterr().out
    assert code == 0 and "pass_rate" in out and "OK: pass rate drop -0.500" in out


def test_compare_rejects_a_bad_baseline(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"cases": []}', encoding="utf-8")
    with pytest.raises(ConfigError, match="no 'overall'"):
        cli.run_with_service(_args("--gold", str(_gold(tmp_path)), "--compare", str(bad)), _service())
    bad.write_text("not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read baseline"):
        cli.run_with_service(_args("--gold", str(_gold(tmp_path)), "--compare", str(bad)), _service())


def test_enforce_thresholds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = str(_gold(tmp_path))
    assert cli.run_with_service(_args("--gold", gold, "--enforce"), _service()) == 0
    # Without --enforce a bad run still exits 0: the thresholds only apply when asked for.
    assert cli.run_with_service(_args("--gold", gold), _service("boleh")) == 0
    assert cli.run_with_service(_args("--gold", gold, "--enforce"), _service("boleh")) == 1
    out = capsys.readouterr().out
    assert "FAIL: pass rate 0.500 < 0.900" in out and "FAIL: verdict accuracy" in out
    assert cli.run_with_service(_args("--gold", gold, "--enforce", "--min-pass", "0.5", "--min-verdict", "0.5"),
                                _service("boleh")) == 0  # fmt: skip


def test_tag_filter_and_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    service = _service()
    code = cli.run_with_service(
        _args("--gold", str(_gold(tmp_path)), "--tag", "medsos", "--report", str(tmp_path / "rep")), service
    )
    assert code == 0 and service.asked == [GOLD[0]["question"]]
    assert (tmp_path / "rep" / "index.html").is_file() and (tmp_path / "rep" / "summary.md").is_file()
    with pytest.raises(ConfigError, match="no gold case has tag"):
        cli.run_with_service(_args("--gold", str(_gold(tmp_path)), "--tag", "nope"), service)
