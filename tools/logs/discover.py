"""Find the log layouts a repository configures (log4j 1/2, logback), to read its logs with ``auto``.

Only configuration files are read (``log4j*.properties``, ``log4j2*.xml``, ``logback*.xml`` and the
like, each at most 1 MB, at most 200 of them); nothing in them is executed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from anomalygen.regular import read_regular

_CONFIG_NAME = re.compile(r"^[\w.-]*(log4j|logback|logging)[\w.-]*\.(properties|xml|yaml|yml|json)$",
                          re.IGNORECASE)
"""log4j.properties, log4j2-test.xml, logback-spring.xml, but also apacheds-log4j.properties."""
_PATTERNS = (
    # log4j 1 XML: <param name="ConversionPattern" value="..."/>
    re.compile(r"""name\s*=\s*"ConversionPattern"\s+value\s*=\s*"([^"]*%[^"]*)\"""", re.IGNORECASE),
    # log4j 2 <Property name="LOG_PATTERN">...</Property>, YAML/JSON "pattern": "...", any value
    # holding a message conversion: a layout read through a variable is still a layout
    re.compile(r""">\s*([^<>]*%(?:m|msg|message)\b[^<>]*?)\s*<"""),
    re.compile(r"""pattern"?\s*:\s*"([^"]*%[^"]*)\"""", re.IGNORECASE),
    re.compile(r"""pattern\s*=\s*"([^"]*%[^"]*)\"""", re.IGNORECASE),  # log4j2.xml PatternLayout
    re.compile(r"<pattern>\s*([^<]*%[^<]*?)\s*</pattern>", re.IGNORECASE),  # logback.xml
    re.compile(r"ConversionPattern\s*[=:]\s*(.*%.*)"),  # log4j 1.x properties
    re.compile(r"layout\.pattern\s*[=:]\s*(.*%.*)"),  # log4j2.properties
)
_SKIP_DIRS = {".git", "node_modules", "target", "build", ".cache", ".venv", "out"}
MAX_FILES = 200
MAX_BYTES = 1_000_000

COMMON_LAYOUTS = (
    "%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%t] %c{1}: %m%n",
    "%d{ISO8601} %-5p [%t] %c: %m%n",
    # log4j 1's most common ConversionPattern, and its BasicConfigurator / TTCCLayout default
    "%d{ISO8601} %-5p [%t] %c - %m%n",
    "%r [%t] %p %c %x - %m%n",
    # log4j 2's documented file-appender pattern
    "%d %p %c{1.} [%t] %m%n",
    "%d{ISO8601} [%t] %-5p %c - %m%n",
    "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n",
    "%d{yyyy-MM-dd HH:mm:ss.SSS} [%thread] %-5level %logger{36} - %msg%n",
    "%d{yyyy-MM-dd HH:mm:ss,SSS} %p %c: %m%n",
    # Tomcat's JULI OneLineFormatter (catalina.out): java.util.logging levels, class.method
    "%d{dd-MMM-yyyy HH:mm:ss.SSS} %p [%t] %C.%M %m%n",
    # Jetty 9's StdErrLog (abbreviated logger, empty for the root: "INFO::main: ...")
    "%d{yyyy-MM-dd HH:mm:ss.SSS}:%p:%c:%t: %m%n",
    # log4j 2's and logback's built-in defaults (no configuration file)
    "%d{HH:mm:ss.SSS} [%t] %-5level %logger{36} - %msg%n",
    # Spring Boot's console default: 3.x (ISO time with offset), then 2.x
    "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %5p %pid --- [%15.15t] %-40.40logger{39} : %m%n",
    "%d{yyyy-MM-dd HH:mm:ss.SSS} %5p %pid --- [%15.15t] %-40.40logger{39} : %m%n",
)
"""Layouts common enough to try when nothing else is known."""


def discover_layouts(repo: str | Path) -> list[str]:
    """Pattern layouts found in the logging configuration files under ``repo`` (first seen first)."""
    root = Path(repo)
    found: dict[str, None] = {}
    seen_files = 0
    for directory, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        for name in sorted(files):
            if not _CONFIG_NAME.match(name):
                continue
            path = Path(directory) / name
            seen_files += 1
            if seen_files > MAX_FILES:
                return list(found)
            try:  # a FIFO or device named log4j2.xml would block for ever: regular files only
                data = read_regular(path, MAX_BYTES, follow_symlinks=False)
            except OSError:
                continue
            if data is None:
                continue
            text = data.decode("utf-8", errors="replace")
            for regex in _PATTERNS:
                for match in regex.finditer(text):
                    found.setdefault(_unescape(match.group(1).strip()), None)
    return list(found)


def _unescape(layout: str) -> str:
    return layout.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
