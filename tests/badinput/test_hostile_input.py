"""Hostile repositories and logs: no hang, no terminal control, one line for every user error."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from anomalygen.tools.logs.discover import discover_layouts
from anomalygen.tools.logs.layout import compile_layout
from tests.badinput.conftest import run_cli

ESC, BEL = "\x1b", "\x07"


def test_an_error_on_a_pipe_stays_one_line_at_a_long_path(tmp_path: Path) -> None:
    deep = tmp_path / ("a-rather-long-folder-name-" * 6) / "missing-repository"
    done = run_cli("scan", str(deep))
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert str(deep) in lines[0]


@pytest.mark.parametrize("layout", [
    "%t%t%t%t%t%t%t%t%t%t%t%t%m ZZZ%n",
    "%t %t %t %t %t %t %t %t %t %t %t %t %m ZZZ%n",
    "[%t] [%t] [%t] [%t] [%t] [%t] [%t] [%t] %m ZZZ%n",
    "%c%c%c%c%c%c%c%c%c%c%c%c%c %m ZZZ%n",
])
def test_layout_regexes_fail_fast_on_lines_that_do_not_match(layout: str) -> None:
    fmt = compile_layout(layout)
    started = time.perf_counter()
    for line in ("a" * 3000, "a b " * 800, "[x] " * 800):
        assert fmt.regex.fullmatch(line) is None
    assert time.perf_counter() - started < 1.0


def test_layouts_still_split_the_usual_lines() -> None:
    fmt = compile_layout("%d{ISO8601} %-5p [%t] %c: %m%n")
    line = "2024-01-02 03:04:05,678 INFO  [IPC Server handler 1 on 9000] a.B: hello [x] y"
    found = fmt.regex.fullmatch(line)
    assert found is not None
    assert found.group("thread") == "IPC Server handler 1 on 9000"
    assert found.group("message") == "hello [x] y"
    lazy = compile_layout("%t%t%m ZZZ").regex.fullmatch("abc ZZZ")
    assert lazy is not None and lazy.group("message") == "abc"


def test_a_fifo_named_log4j2_xml_is_skipped_not_waited_on(hostile_repo: Path) -> None:
    os.mkfifo(hostile_repo / "log4j2.xml")
    (hostile_repo / "logback.xml").write_text("<pattern>%d %p %m%n</pattern>", encoding="utf-8")
    started = time.perf_counter()
    assert discover_layouts(hostile_repo) == ["%d %p %m%n"]
    assert time.perf_counter() - started < 5


def test_match_refuses_a_device_and_a_fifo(hostile_repo: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "app.log"
    os.mkfifo(fifo)
    for log in ("/dev/zero", str(fifo)):
        done = run_cli("match", str(hostile_repo), log, timeout=60)
        assert done.returncode == 2, done.stderr
        last = done.stderr.strip().splitlines()[-1]
        assert last.startswith("error: cannot read") and "not a regular file" in last, done.stderr


def _assert_inert(text: str) -> None:
    assert ESC not in text and BEL not in text
    assert "\N{SKULL}" not in text


def test_scan_list_prints_templates_inertly(hostile_repo: Path) -> None:
    done = run_cli("scan", str(hostile_repo), "--list")
    assert done.returncode == 0, done.stderr
    _assert_inert(done.stdout + done.stderr)
    assert ":skull: emoji" in done.stdout
    assert "[bold]x[/bold] markup" in done.stdout
    assert "split\\nline" in done.stdout
    assert "\\x1b]0;pwned\\x07" in done.stdout


def test_paths_and_lcfg_print_templates_inertly(hostile_repo: Path) -> None:
    for args in (("paths", str(hostile_repo)), ("lcfg", str(hostile_repo), "--method", "Evil.run")):
        done = run_cli(*args)
        assert done.returncode == 0, done.stderr
        _assert_inert(done.stdout + done.stderr)
        if args[0] == "paths":  # one path step per line: a template's newline is shown, not obeyed
            assert not any(line.startswith("line {}") for line in done.stdout.splitlines()), done.stdout


def test_match_and_coverage_print_log_text_inertly(hostile_repo: Path, tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text("2024-01-02 03:04:05,678 INFO [main] evil.Evil: [bold]x[/bold] markup \x1b[31mred\x07\n"
                   "2024-01-02 03:04:05,679 INFO [main] evil.Evil: nothing \x1b]0;title\x07 like it\n"
                   "2024-01-02 03:04:05,680 INFO [main] evil.Evil: [bold]unknown[/bold] :skull: line\n",
                   encoding="utf-8")
    for command in ("match", "coverage"):
        done = run_cli(command, str(hostile_repo), str(log), "--format", "%d{ISO8601} %p [%t] %c: %m%n")
        assert done.returncode == 0, done.stderr
        _assert_inert(done.stdout + done.stderr)
    assert "[bold]unknown[/bold] :skull:" in done.stdout + done.stderr


def test_json_output_stays_exact(hostile_repo: Path) -> None:
    import json

    done = run_cli("scan", str(hostile_repo), "--list", "--json")
    assert done.returncode == 0, done.stderr
    templates = {row["template"] for row in json.loads(done.stdout)["statements"]}
    assert "\x1b]0;pwned\x07 title {}" in templates


@pytest.mark.parametrize("spec", ["pca[n_components=nan]", "pca[n_components=inf]"])
def test_non_finite_detector_parameters_are_usage_errors(tmp_path: Path, spec: str) -> None:
    done = run_cli("evaluate", "--dataset", "deeplog-hdfs", "--models", spec, "--out", str(tmp_path / "e"))
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().startswith("error:") and len(done.stderr.strip().splitlines()) == 1


def test_evaluate_out_naming_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    done = run_cli("evaluate", "--dataset", "deeplog-hdfs", "--models", "pca",
                   "--out", str(tmp_path / "file"),
                   "--test-limit", "50", timeout=300)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and done.stderr.strip().splitlines()[-1].startswith("error:")
