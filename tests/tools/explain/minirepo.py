"""A small Java service written for the explain tests, and a log in the loghub ZooKeeper layout."""

from __future__ import annotations

from pathlib import Path

WORKER = """\
package demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class Worker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private boolean stop;
    private int retries;

    public void run() {
        LOG.info("Worker starting with {} retries", retries);
        while (!stop) {
            Job job = next();
            if (job == null) {
                LOG.warn("Queue empty, waiting");
                continue;
            }
            if (job.size > 100) {
                LOG.error("Job {} too large: {}", job.id, job.size);
            } else {
                handle(job);
            }
        }
        LOG.info("Worker stopped");
    }

    private void handle(Job job) {
        LOG.info("Handling job {}", job.id);
        LOG.debug("Job {} payload checked", job.id);
        LOG.info("Job {} done", job.id);
    }

    private Job next() {
        return null;
    }

    static class Job {
        int id;
        int size;
    }
}
"""


def write_repo(root: Path) -> Path:
    source = root / "src" / "main" / "java" / "demo"
    source.mkdir(parents=True)
    (source / "Worker.java").write_text(WORKER, encoding="utf-8")
    return root


def log_line(second: int, level: str, line: int, message: str, thread: str = "worker-1") -> str:
    return f"2015-07-29 17:41:{second:02d},000 - {level:<5} [{thread}:Worker@{line}] - {message}"


NORMAL = [  # a job handled, the queue runs dry, the worker stops
    (1, "INFO", 12, "Worker starting with 3 retries"),
    (2, "INFO", 31, "Handling job 7"),
    (3, "INFO", 33, "Job 7 done"),
    (4, "WARN", 16, "Queue empty, waiting"),
    (5, "INFO", 25, "Worker stopped"),
]
BROKEN = [  # "done" without "Handling": no path prints it there
    (1, "INFO", 12, "Worker starting with 3 retries"),
    (2, "INFO", 33, "Job 8 done"),
    (5, "INFO", 25, "Worker stopped"),
]


def write_log(path: Path, rows: list[tuple[int, str, int, str]], thread: str = "worker-1") -> Path:
    path.write_text("\n".join(log_line(*row, thread=thread) for row in rows) + "\n", encoding="utf-8")
    return path
