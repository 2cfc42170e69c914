"""A hostile repository built by the tests themselves: log templates with escape sequences,
Rich markup, emoji codes and newlines, and a logging configuration that is a FIFO."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HOSTILE_TEMPLATES = {
    "title": "\\u001b]0;pwned\\u0007 title {}",
    "clear": "\\u001b[2J cleared {}",
    "markup": "[bold]x[/bold] markup {}",
    "emoji": ":skull: emoji {}",
    "newline": "split\\nline {}",
}

JAVA = """package evil;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class Evil {
    private static final Logger LOG = LoggerFactory.getLogger(Evil.class);

    public void run(String id) {
%s
    }
}
"""


@pytest.fixture()
def hostile_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "src" / "evil").mkdir(parents=True)
    calls = "\n".join(f'        LOG.info("{template}", id);' for template in HOSTILE_TEMPLATES.values())
    (repo / "src" / "evil" / "Evil.java").write_text(JAVA % calls, encoding="utf-8")
    return repo


def run_cli(*args: str, timeout: float = 60, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The installed CLI in a subprocess, stdout and stderr piped (not a terminal), narrow COLUMNS."""
    env = {**os.environ, "COLUMNS": "80", "TERM": "xterm-256color"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "anomalygen.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=cwd)
