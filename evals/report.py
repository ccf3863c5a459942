"""``netral eval --report DIR``: a self-contained index.html (charts embedded as base64 PNG data
URIs, so the file can be mailed or attached to a CI run) and a summary.md for PR comments."""

from __future__ import annotations

import base64
import io
import math
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from evals.metrics import Metrics, confusion_matrix, uncovered_behaviours
from evals.runner import CaseRecord, EvalResult
from rag.types import VERDICTS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# (attribute, label, kind): kind "rate" prints a percentage, "int" a count, "s" milliseconds.
SUMMARY_ROWS: tuple[tuple[str, str, str], ...] = (
    ("cases", "Cases", "int"),
    ("pass_rate", "Pass rate", "rate"),
    ("verdict_accuracy", "Verdict accuracy", "rate"),
    ("citation_recall", "Citation recall", "rate"),
    ("mention_rate", "Mentions satisfied", "rate"),
    ("fabricated", "Fabricated citations", "int"),
    ("errors", "Service errors", "int"),
    ("refusal_accuracy", "Out-of-scope refusal accuracy", "rate"),
    ("false_refusals", "False refusals (in scope)", "int"),
    ("abstain_cases", "Abstention cases", "int"),
    ("abstain_accuracy", "Honest abstention accuracy", "rate"),
    ("false_abstentions", "Abstentions on covered cases", "int"),
    ("hit_at_1", "Retrieval hit@1", "rate"),
    ("hit_at_3", "Retrieval hit@3", "rate"),
    ("hit_at_5", "Retrieval hit@5", "rate"),
    ("mrr", "Retrieval MRR", "float"),
    ("latency_p50_s", "Latency p50", "s"),
    ("latency_p95_s", "Latency p95", "s"),
    ("latency_max_s", "Latency max", "s"),
)


def fmt(value: object, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "rate" and isinstance(value, int | float):
        return f"{100 * value:.1f}%"
    if kind == "s" and isinstance(value, int | float):
        return f"{1000 * value:.0f} ms"
    if kind == "float" and isinstance(value, int | float):
        return f"{value:.3f}"
    return str(value)


# ---------------------------------------------------------------- charts


def _png(fig: Figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # only when a report is written

    FigureCanvasAgg(fig)  # attach an Agg canvas; no pyplot, so no global state or GUI backend
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    return buf.getvalue()


def tag_chart_png(by_tag: dict[str, Metrics]) -> bytes:
    """Grouped horizontal bars: pass rate and verdict accuracy per tag."""
    tags = list(by_tag)
    height = max(2.5, 0.38 * len(tags) + 1.2)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, height))
    ax = fig.add_subplot()
    ys = list(range(len(tags)))
    ax.barh([y - 0.2 for y in ys], [by_tag[t].pass_rate for t in tags], height=0.4, label="pass rate")
    ax.barh(
        [y + 0.2 for y in ys],
        [by_tag[t].verdict_accuracy for t in tags],
        height=0.4,
        label="verdict accuracy",
    )
    ax.set_yticks(ys, [f"{t} (n={by_tag[t].cases})" for t in tags])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of cases")
    ax.set_title("Pass rate and verdict accuracy by tag", pad=24)
    # Above the axes: inside, it would hide the bars of the last tags.
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)


def latency_chart_png(latencies_s: list[float]) -> bytes:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 3.2))
    ax = fig.add_subplot()
    ms = [1000 * x for x in latencies_s] or [0.0]
    lo, hi = min(ms), max(ms)
    # Identical latencies (fake services, cached answers) leave numpy no range to cut into bins.
    span = (lo - 0.5, hi + 0.5) if hi - lo < 1e-6 else (lo, hi)
    ax.hist(ms, bins=min(30, max(5, len(ms) // 4)), range=span)
    ax.set_xlabel("latency per answer (ms)")
    ax.set_ylabel("questions")
    ax.set_title("Answer latency")
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


# ---------------------------------------------------------------- HTML

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1b1f24;max-width:1200px}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid #d0d7de;padding:.35rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
.bad{color:#b3261e;font-weight:600}.ok{color:#1a7f37;font-weight:600}
ul{margin:0;padding-left:1.1rem}code{font-size:.85em}.muted{color:#57606a}
"""


def _li(items: list[str] | tuple[str, ...]) -> str:
    if not items:
        return '<span class="muted">–</span>'
    return "<ul>" + "".join(f"<li><code>{escape(x)}</code></li>" for x in items) + "</ul>"


def _summary_table(m: Metrics) -> str:
    rows = []
    for attr, label, kind in SUMMARY_ROWS:
        value = getattr(m, attr)
        css = ""
        if attr == "fabricated":
            css = " bad" if value else " ok"
        rows.append(f'<tr><th>{escape(label)}</th><td class="num{css}">{escape(fmt(value, kind))}</td></tr>')
    return "<table>" + "".join(rows) + "</table>"


def _tag_table(by_tag: dict[str, Metrics]) -> str:
    cols = (
        ("cases", "n", "int"),
        ("pass_rate", "pass", "rate"),
        ("verdict_accuracy", "verdict", "rate"),
        ("citation_recall", "recall", "rate"),
        ("fabricated", "fabricated", "int"),
        ("hit_at_5", "hit@5", "rate"),
        ("mrr", "MRR", "float"),
        ("latency_p50_s", "p50", "s"),
    )
    head = "<tr><th>tag</th>" + "".join(f"<th>{escape(h)}</th>" for _, h, _ in cols) + "</tr>"
    body = "".join(
        f"<tr><td>{escape(tag)}</td>"
        + "".join(f'<td class="num">{escape(fmt(getattr(m, a), k))}</td>' for a, _, k in cols)
        + "</tr>"
        for tag, m in by_tag.items()
    )
    return f"<table>{head}{body}</table>"


def _failing_table(records: list[CaseRecord]) -> str:
    if not records:
        return '<p class="ok">Every case passed.</p>'
    head = (
        "<tr><th>id</th><th>question</th><th>expected</th><th>got</th><th>why it failed</th>"
        "<th>citations returned</th><th>top retrieved units</th></tr>"
    )
    rows = []
    for r in records:
        expected = " / ".join(r.case.verdicts)
        got = r.got_verdict or "(error)"
        rows.append(
            "<tr>"
            f"<td><code>{escape(r.case.id)}</code></td>"
            f"<td>{escape(r.case.question)}</td>"
            f"<td>{escape(expected)}</td>"
            f'<td class="{"ok" if r.score.verdict_ok else "bad"}">{escape(got)}</td>'
            f"<td>{_li(list(r.score.failures))}</td>"
            f"<td>{_li(list(r.citations))}</td>"
            f"<td>{_li(list(r.retrieved))}</td>"
            "</tr>"
        )
    return f"<table>{head}{''.join(rows)}</table>"


def gold_vs_answered(result: EvalResult) -> list[tuple[str, str | None]]:
    """(gold verdict, answered verdict) per case; the gold's first label stands for the case."""
    return [(r.case.verdicts[0], r.got_verdict) for r in result.records]


def _confusion_table(result: EvalResult) -> str:
    matrix = confusion_matrix(gold_vs_answered(result))
    cols = [v for v in (*VERDICTS, "error") if any(v in row for row in matrix.values())]
    rows = [v for v in VERDICTS if v in matrix]
    head = "<tr><th>gold \\ answered</th>" + "".join(f"<th>{escape(c)}</th>" for c in cols) + "</tr>"
    body = []
    for gold in rows:
        cells = []
        for col in cols:
            n = matrix[gold].get(col, 0)
            css = (
                " ok"
                if col == gold and n
                else (" bad" if gold == "dilarang" and col == "boleh" and n else "")
            )
            cells.append(f'<td class="num{css}">{n or ""}</td>')
        body.append(f"<tr><th>{escape(gold)}</th>{''.join(cells)}</tr>")
    return "<table>" + head + "".join(body) + "</table>"


def _coverage_section(result: EvalResult) -> str:
    if result.catalogue is None:
        return '<p class="muted">The service offers no behaviour catalogue (no <code>behaviour_ids()</code>).</p>'
    missing = uncovered_behaviours(result.catalogue, [r.score for r in result.records])
    total = len(result.catalogue)
    summary = (
        f"<p>{total - len(missing)} of {total} catalogue behaviours matched by at least one case; "
        f"{len(missing)} matched by none:</p>"
    )
    rows = "".join(f"<tr><td><code>{escape(b)}</code></td></tr>" for b in missing)
    return summary + (f"<table><tr><th>behaviour id (no case)</th></tr>{rows}</table>" if missing else "")


def _perturb_section(result: EvalResult) -> str:
    if result.perturb is None:
        return ""
    p = result.perturb.overall
    rows = [
        ("Variants", str(p.variants)),
        ("Verdict accuracy", fmt(p.verdict_accuracy, "rate")),
        ("Stability (same verdict as clean)", fmt(p.stability, "rate")),
        ("False boleh", f"{p.false_boleh} ({p.false_boleh_cases} cases)"),
        ("In-scope variants refused", str(p.refused_in_scope)),
        ("Errors", str(p.errors)),
    ]
    table = (
        "<table>"
        + "".join(f'<tr><th>{escape(a)}</th><td class="num">{escape(b)}</td></tr>' for a, b in rows)
        + "</table>"
    )
    bad = [
        s
        for s in result.perturb.scores
        if s.false_boleh or s.refused_in_scope or s.verdict != s.clean_verdict
    ]
    lines = "".join(
        f"<tr><td>{escape(s.case_id)}</td><td>{escape(s.text)}</td><td>{escape(s.clean_verdict or '–')}</td>"
        f"<td>{escape(s.verdict or 'error')}</td></tr>"
        for s in bad[:200]
    )
    unstable = (
        f"<h3>Unstable variants ({len(bad)})</h3><table><tr><th>case</th><th>variant</th><th>clean</th>"
        f"<th>variant verdict</th></tr>{lines}</table>"
        if bad
        else ""
    )
    return (
        f"<h2>Noisy variants (--perturb {result.perturb.n}, seed {result.perturb.seed})</h2>"
        + table
        + unstable
    )


def render_html(result: EvalResult) -> str:
    latencies = [r.score.latency_s for r in result.records if not r.score.error]
    tag_img = _data_uri(tag_chart_png(result.by_tag)) if result.by_tag else ""
    lat_img = _data_uri(latency_chart_png(latencies))
    failing = result.failing
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        "<title>netral eval report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>netral eval report</h1>",
        f'<p class="muted">gold: <code>{escape(result.gold)}</code> · mode: <code>{escape(result.mode)}</code></p>',
        "<h2>Summary</h2>",
        _summary_table(result.overall),
        "<h2>By tag</h2>",
        f'<img alt="pass rate and verdict accuracy by tag" src="{tag_img}">' if tag_img else "",
        _tag_table(result.by_tag),
        "<h2>Latency</h2>",
        f'<img alt="latency histogram" src="{lat_img}">',
        "<h2>Verdict confusion matrix</h2>",
        '<p class="muted">rows: the gold verdict (first listed label); columns: the answered verdict</p>',
        _confusion_table(result),
        "<h2>Behaviour coverage</h2>",
        _coverage_section(result),
        _perturb_section(result),
        f"<h2>Failing cases ({len(failing)})</h2>",
        _failing_table(failing),
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p)


# ---------------------------------------------------------------- Markdown


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_summary_md(result: EvalResult) -> str:
    m = result.overall
    lines = [
        "# netral eval summary",
        "",
        f"gold: `{result.gold}` · mode: `{result.mode}`",
        "",
        "| metric | value |",
        "|---|---|",
    ]
    lines += [f"| {label} | {fmt(getattr(m, attr), kind)} |" for attr, label, kind in SUMMARY_ROWS]
    lines += [
        "",
        "## By tag",
        "",
        "| tag | n | pass | verdict | recall | hit@5 |",
        "|---|---|---|---|---|---|",
    ]
    for tag, t in result.by_tag.items():
        lines.append(
            f"| {_md_cell(tag)} | {t.cases} | {fmt(t.pass_rate, 'rate')} | {fmt(t.verdict_accuracy, 'rate')} "
            f"| {fmt(t.citation_recall, 'rate')} | {fmt(t.hit_at_5, 'rate')} |"
        )
    failing = result.failing
    lines += ["", f"## Failing cases ({len(failing)})", ""]
    if failing:
        lines += ["| id | expected | got | why |", "|---|---|---|---|"]
        for r in failing:
            lines.append(
                f"| `{_md_cell(r.case.id)}` | {'/'.join(r.case.verdicts)} | {r.got_verdict or '(error)'} "
                f"| {_md_cell('; '.join(r.score.failures))} |"
            )
    else:
        lines.append("Every case passed.")
    return "\n".join(lines) + "\n"


def write_report(result: EvalResult, out_dir: Path | str) -> tuple[Path, Path]:
    """Write index.html and summary.md into ``out_dir`` (created if needed); return both paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html_path = out / "index.html"
    md_path = out / "summary.md"
    html_path.write_text(render_html(result), encoding="utf-8")
    md_path.write_text(render_summary_md(result), encoding="utf-8")
    return html_path, md_path
