"""A Tomcat-style project end to end: its own logging facade, messages from a .properties bundle,
and a catalina.out in JULI's one-line format matched back to the statements."""

from __future__ import annotations

from pathlib import Path

from anomalygen.tools.java import load_program
from anomalygen.tools.logs import read_entries
from anomalygen.tools.logs.match import match_file

from ..java.conftest import write_java

_PREFIX = "23-Nov-2026 16:50:3{} {} [{}] org.apache.catalina.core.StandardService."
_CATALINA_OUT = "\n".join([
    _PREFIX.format("0.975", "INFO", "main") + "startInternal Starting service [Catalina]",
    _PREFIX.format("1.002", "WARNING", "main")
    + "startInternal Connector [http-nio-8080] failed to start, it's skipped",
    _PREFIX.format("2.393", "SEVERE", "http-nio-8080-exec-1")
    + "stopInternal Failed to stop service [Catalina]",
    "java.lang.IllegalStateException: boom",
    "\tat org.apache.catalina.core.StandardService.stopInternal(StandardService.java:12)",
    "",
])


def _tomcat_like(root: Path) -> None:
    write_java(root, "java/org/apache/juli/logging/Log.java", """package org.apache.juli.logging;
public interface Log {
  boolean isDebugEnabled();
  void debug(Object message);
  void info(Object message);
  void warn(Object message);
  void error(Object message, Throwable t);
}
""")
    write_java(root, "java/org/apache/juli/logging/LogFactory.java", """package org.apache.juli.logging;
public class LogFactory { public static Log getLog(Class<?> c) { return null; } }
""")
    write_java(root, "java/org/apache/tomcat/util/res/StringManager.java",
               """package org.apache.tomcat.util.res;
public class StringManager {
  public static StringManager getManager(Class<?> c) { return new StringManager(); }
  public String getString(String key, Object... args) { return key; }
}
""")
    write_java(root, "java/org/apache/catalina/core/StandardService.java",
               """package org.apache.catalina.core;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;
public class StandardService {
  private static final Log log = LogFactory.getLog(StandardService.class);
  private static final StringManager sm = StringManager.getManager(StandardService.class);
  private String name = "Catalina";
  protected void startInternal(String connector) {
    log.info(sm.getString("standardService.start.name", name));
    log.warn(sm.getString("standardService.connector.startFailed", connector));
  }
  protected void stopInternal(Exception e) {
    log.error(sm.getString("standardService.stop.failed", name), e);
  }
}
""")
    (root / "java/org/apache/catalina/core/LocalStrings.properties").write_text(
        "standardService.start.name=Starting service [{0}]\n"
        "standardService.connector.startFailed=Connector [{0}] failed to start, it''s skipped\n"
        "standardService.stop.failed=Failed to stop service [{0}]\n", encoding="utf-8")


def test_catalina_out_lines_map_to_bundle_messages_of_facade_calls(tmp_path: Path) -> None:
    _tomcat_like(tmp_path / "repo")
    program = load_program(tmp_path / "repo")
    log = tmp_path / "catalina.out"
    log.write_text(_CATALINA_OUT, encoding="utf-8")

    entries = list(read_entries(log))  # the JULI one-line layout is found without --format
    assert [(e.level, e.source_class, e.source_method) for e in entries] == [  # %C.%M split at the last dot
        ("INFO", "org.apache.catalina.core.StandardService", "startInternal"),
        ("WARNING", "org.apache.catalina.core.StandardService", "startInternal"),
        ("SEVERE", "org.apache.catalina.core.StandardService", "stopInternal"),
    ]
    assert len(entries[2].extra) == 2  # the stack trace stays with its entry

    matched = list(match_file(program, log))
    assert [(m.statement.template if m.statement else None, m.params, m.approximate) for m in matched] == [
        ("Starting service [{}]", ("Catalina",), False),
        ("Connector [{}] failed to start, it's skipped", ("http-nio-8080",), False),
        ("Failed to stop service [{}]", ("Catalina",), False),
    ]
