from __future__ import annotations

from pathlib import Path

from anomalygen.records import Level
from anomalygen.tools.java import Program, load_program

from .conftest import statement_at, write_java


def test_every_logging_family_with_any_field_name(loggers: Program) -> None:
    expected = {
        17: (Level.INFO, "user={} logged in"),  # log4j 1 field "audit"
        22: (Level.FATAL, "dead with code {}"),  # commons-logging "clog"
        23: (Level.TRACE, "trace {}"),
        27: (Level.WARN, "Retry {} of {}"),  # log4j 2 "log2"
        31: (Level.ERROR, "disk failure on {}"),  # JUL severe
        32: (Level.WARN, "low space"),  # JUL warning
        33: (Level.DEBUG, "fine detail"),  # JUL fine
        34: (Level.WARN, "Disk {} at {}%"),  # JUL log(Level.WARNING, ...)
        40: (Level.INFO, "direct {}"),  # LoggerFactory.getLogger(X.class).info(...)
        45: (Level.WARN, "local {}"),  # a local variable of type org.slf4j.Logger
    }
    for line, (level, template) in expected.items():
        statement = statement_at(loggers, "Loggers.java", line)
        assert (statement.level, statement.template) == (level, template), line


def test_logger_inherited_from_superclass_field(loggers: Program) -> None:
    statement = statement_at(loggers, "Worker.java", 23)
    assert statement.template == "Worker {} got {}"
    assert statement.type_name == "com.acme.core.Worker"
    assert statement.method == "com.acme.core.Worker.process(String)"


def test_a_field_named_log_that_is_not_a_logger_is_ignored(loggers: Program) -> None:
    assert not any(s.file.endswith("Accounts.java") for s in loggers.log_statements.values())
    calls = [c for c in loggers.calls.values() if c.caller.startswith("com.acme.core.Accounts.book")]
    assert {c.targets for c in calls} == {
        ("com.acme.core.Ledger.info(String)",), ("com.acme.core.Ledger.warn(String)",)
    }


def test_guards_mark_only_the_then_branch(loggers: Program) -> None:
    assert statement_at(loggers, "Worker.java", 34).guarded
    assert not statement_at(loggers, "Worker.java", 36).guarded  # else branch
    assert not statement_at(loggers, "Worker.java", 29).guarded


def test_logger_fields_are_listed_per_type(loggers: Program) -> None:
    assert loggers.types["com.acme.core.Loggers"].logger_fields == ("audit", "clog", "log2", "jul")
    assert loggers.types["com.acme.core.Accounts"].logger_fields == ()


def test_log_statements_in_lambdas_nested_and_anonymous_classes(loggers: Program) -> None:
    in_lambda = statement_at(loggers, "Worker.java", 61)
    assert in_lambda.method == "com.acme.core.Worker.lambdas(List)$lambda@61:23"
    assert loggers.methods[in_lambda.method].is_lambda
    assert statement_at(loggers, "Worker.java", 65).method == "com.acme.core.Worker$1.run()"
    assert statement_at(loggers, "Worker.java", 73).type_name == "com.acme.core.Worker.Inner"
    assert statement_at(loggers, "Worker.java", 78).type_name == "com.acme.core.Worker.Inner.Deeper"


def test_log_at_points_at_the_invocation_node(loggers: Program) -> None:
    for key, statement_id in loggers.log_at.items():
        statement = loggers.log_statements[statement_id]
        assert key[0] == statement.file
    assert len(loggers.log_at) == len(loggers.log_statements)


def test_level_guard_variants_and_static_logger_of_outer_class(tmp_path: Path) -> None:
    write_java(tmp_path, "p/A.java", """package p;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
class A {
  static final Logger L = LoggerFactory.getLogger(A.class);
  void m(boolean b) {
    if (b && L.isTraceEnabled()) { L.trace("t"); }
    if (!L.isDebugEnabled()) { L.info("not debug"); }
    Runnable r = () -> L.error("in lambda");
  }
  class In { void n() { L.warn("outer logger"); } }
}
""")
    program = load_program(tmp_path)
    by_template = {s.template: s for s in program.log_statements.values()}
    assert by_template["t"].guarded and by_template["t"].level is Level.TRACE
    assert not by_template["not debug"].guarded
    assert by_template["in lambda"].method.endswith("$lambda@9:18")
    assert by_template["outer logger"].type_name == "p.A.In"


def test_logger_of_a_library_superclass_is_recognised_by_name_only_there(tmp_path: Path) -> None:
    write_java(tmp_path, "p/A.java", """package p;
import org.example.lib.LibraryBase;
class A extends LibraryBase {
  void m() { LOG.info("inherited from the library"); }
}
class B {
  void m() { LOG.info("no such field"); }
}
""")
    program = load_program(tmp_path)
    assert [s.template for s in program.log_statements.values()] == ["inherited from the library"]


def test_statically_imported_and_interface_constant_loggers(tmp_path: Path) -> None:
    write_java(tmp_path, "p/Logs.java", """package p;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
public interface Logs {
  Logger AUDIT = LoggerFactory.getLogger("audit");
}
""")
    write_java(tmp_path, "q/User.java", """package q;
import static p.Logs.AUDIT;
class User { void m() { AUDIT.info("static import"); } }
class Impl implements p.Logs { void n() { AUDIT.warn("interface constant"); } }
""")
    program = load_program(tmp_path)
    levels = {s.template: s.level for s in program.log_statements.values()}
    assert levels == {"static import": Level.INFO, "interface constant": Level.WARN}


def test_system_logger_uses_message_format(tmp_path: Path) -> None:
    write_java(tmp_path, "p/S.java", """package p;
class S {
  private static final System.Logger LOGGER = System.getLogger("s");
  void m(String host, Exception e) {
    LOGGER.log(System.Logger.Level.WARNING, "Cannot reach {0}", host);
    LOGGER.log(System.Logger.Level.ERROR, "Failed", e);
  }
}
""")
    program = load_program(tmp_path)
    found = {(s.level, s.template, s.exception) for s in program.log_statements.values()}
    assert found == {(Level.WARN, "Cannot reach {}", ""), (Level.ERROR, "Failed", "e")}


def test_fluent_logging_chains(tmp_path: Path) -> None:
    write_java(tmp_path, "p/F.java", """package p;
import org.slf4j.Logger;
class F {
  static Logger LOG;
  void m(String host, int port, Exception e) {
    LOG.atWarn().setCause(e).log("Lost {}:{}", host, port);
    LOG.atInfo().setMessage("Connected to {} on {}").addArgument(host).addArgument(port).log();
    LOG.atDebug().log();
  }
}
""")
    program = load_program(tmp_path)
    found = {s.template: s for s in program.log_statements.values()}
    assert set(found) == {"Lost {}:{}", "Connected to {} on {}"}
    lost = found["Lost {}:{}"]
    assert lost.level is Level.WARN and lost.exception == "e"
    assert [s.expression for s in lost.slots] == ["host", "port"]
    connected = found["Connected to {} on {}"]
    assert connected.level is Level.INFO and [s.expression for s in connected.slots] == ["host", "port"]


def _facade_repo(root: Path) -> Program:
    """A project with its own logging API (as Jetty 9 and Tomcat have), its bridges, and look-alikes."""
    write_java(root, "org/acme/log/Logger.java", """package org.acme.log;
public interface Logger {
  void warn(String msg, Object... args);
  void warn(Throwable thrown);
  void info(String msg, Object... args);
  void debug(String msg, Object... args);
  boolean isDebugEnabled();
}
""")
    write_java(root, "org/acme/log/Log.java", """package org.acme.log;
public class Log {
  public static Logger getLogger(Class<?> type) { return new Slf4jLog(type.getName()); }
}
""")
    write_java(root, "org/acme/log/Slf4jLog.java", """package org.acme.log;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LocationAwareLogger;
class Slf4jLog implements Logger {
  private final org.slf4j.Logger _logger;
  private LocationAwareLogger _located;
  Slf4jLog(String name) {
    _logger = LoggerFactory.getLogger(name);
    if (_logger == null) { _logger.warn("no slf4j binding for {}", name); }
  }
  public void warn(String msg, Object... args) { _logger.warn(msg, args); }
  public void warn(Throwable thrown) { _logger.warn("", thrown); }
  public void info(String msg, Object... args) {
    String text = String.format(msg, args);
    _located.log(null, "FQCN", LocationAwareLogger.INFO_INT, text, null, null);
  }
  public void debug(String msg, Object... args) { _logger.debug(msg, args); }
  public boolean isDebugEnabled() { return _logger.isDebugEnabled(); }
}
""")
    write_java(root, "org/acme/log/Bridge.java", """package org.acme.log;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
class Bridge extends Handler {
  private static final Logger TARGET = Log.getLogger(Bridge.class);
  public void publish(LogRecord record) { TARGET.info(record.getMessage()); }
  public void flush() {}
  public void close() {}
}
""")
    write_java(root, "org/acme/log/StartLog.java", """package org.acme.log;
public class StartLog {
  public static void debug(String format, Object... args) { System.out.printf(format + "%n", args); }
  public static void info(String format, Object... args) { log("INFO", String.format(format, args)); }
  public static void warn(String format, Object... args) { log("WARN", String.format(format, args)); }
  private static void log(String level, String msg) { System.err.println(level + ": " + msg); }
}
""")
    write_java(root, "org/acme/server/Server.java", """package org.acme.server;
import org.acme.log.Log;
import org.acme.log.Logger;
public class Server {
  private static final Logger LOG = Log.getLogger(Server.class);
  private final TxnLog txns = new TxnLog();
  void start(int port, String reason) {
    LOG.info("Started on port {}", port);
    if (LOG.isDebugEnabled()) LOG.debug("config {}", this);
    txns.info("not a log statement");
    LOG.warn("Stopping: {}", reason);
  }
  void fail(java.io.IOException e) { LOG.warn(e); }
  void launch(String module, int port) { org.acme.log.StartLog.info("%-15s ready on %d", module, port); }
}
class TxnLog {
  void append(String entry) {}
  void info(String entry) {}
  void warn(String entry) {}
}
""")
    return load_program(root)


def test_a_repositorys_own_logging_facade_is_a_logger(tmp_path: Path) -> None:
    program = _facade_repo(tmp_path)
    server = {(s.level, s.template, s.guarded, s.exception) for s in program.log_statements.values()
              if s.file.endswith("Server.java")}
    assert server == {(Level.INFO, "Started on port {}", False, ""), (Level.DEBUG, "config {}", True, ""),
                      (Level.WARN, "Stopping: {}", False, ""),
                      # the facade's warn(Throwable) overload: no message, the stack trace
                      (Level.WARN, "", False, "e"),
                      # a static facade that formats with String.format
                      (Level.INFO, "{} ready on {}", False, "")}
    assert program.types["org.acme.server.Server"].logger_fields == ("LOG",)
    # the facade is named (its implementation Slf4jLog is a logger through it, not on its own)
    assert program.logger_types == ["org.acme.log.Logger", "org.acme.log.StartLog"]
    # a *Log type with info/warn but not three levels is no facade: an ordinary call
    assert any(c.name == "info" and c.targets == ("org.acme.server.TxnLog.info(String)",)
               for c in program.calls.values())


def test_facade_plumbing_is_not_a_log_statement(tmp_path: Path) -> None:
    program = _facade_repo(tmp_path)
    in_log_package = sorted((s.file.rsplit("/", 1)[-1], s.template)
                            for s in program.log_statements.values() if "/log/" in s.file)
    # forwarding the caller's message (directly, through a local, or from a JUL record) is
    # plumbing; the facade's own message about itself stays a statement
    assert in_log_package == [("Slf4jLog.java", "no slf4j binding for {}")]
    forwarded = [c for c in program.calls.values()
                 if c.caller.startswith("org.acme.log.Slf4jLog.warn(String")]
    assert [c.name for c in forwarded] == ["warn"]


def test_location_aware_log_takes_its_message_fourth(tmp_path: Path) -> None:
    write_java(tmp_path, "p/A.java", """package p;
import org.slf4j.spi.LocationAwareLogger;
class A {
  private LocationAwareLogger located;
  void m(Throwable t) {
    located.log(null, "p.A", LocationAwareLogger.WARN_INT, "disk {} full", new Object[] {"sda"}, t);
  }
}
""")
    write_java(tmp_path, "p/B.java", """package p;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.Marker;
class B {
  private Logger log;
  void m(Marker marker, int a, int b, int c) { log.log(Level.ERROR, marker, "{} {} {} down", a, b, c); }
}
""")
    program = load_program(tmp_path)
    found = sorted((s.file, s.level, s.template) for s in program.log_statements.values())
    # six arguments of a log4j 2 logger are level, marker, message and values, not the SLF4J form
    assert found == [("p/A.java", Level.WARN, "disk {} full"), ("p/B.java", Level.ERROR, "{} {} {} down")]


def test_log4j1_log_with_a_caller_fqcn_takes_its_message_third(tmp_path: Path) -> None:
    # Netty's Log4JLogger wraps log4j 1 as log(FQCN, level, msg, thrown): the level is not the message
    write_java(tmp_path, "p/Log4JLogger.java", """package p;
import org.apache.log4j.Level;
import org.apache.log4j.Logger;
interface InternalLogger { void trace(String m); void debug(String m); void info(String m); }
class Log4JLogger implements InternalLogger {
  static final String FQCN = Log4JLogger.class.getName();
  final transient Logger logger;
  final boolean traceCapable;
  Log4JLogger(Logger logger) { this.logger = logger; this.traceCapable = true; }
  public void trace(String msg) { logger.log(FQCN, traceCapable ? Level.TRACE : Level.DEBUG, msg, null); }
  public void debug(String msg) { logger.log(FQCN, Level.DEBUG, msg, null); }
  public void info(String msg) { logger.log(FQCN, Level.INFO, msg, null); }
}
class Disk {
  static final String FQCN = Disk.class.getName();
  private static final Logger LOG = Logger.getLogger(Disk.class);
  void full(String device, Throwable t) { LOG.log(FQCN, Level.WARN, "disk " + device + " full", t); }
}
""")
    program = load_program(tmp_path)
    found = sorted((s.file, s.level, s.template) for s in program.log_statements.values())
    # the wrapper only forwards its caller's message (plumbing); the disk warning is a statement
    assert found == [("p/Log4JLogger.java", Level.WARN, "disk {} full")]
