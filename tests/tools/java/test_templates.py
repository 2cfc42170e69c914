from __future__ import annotations

from pathlib import Path

import pytest

from anomalygen.records import Slot
from anomalygen.tools.java import Program, load_program
from anomalygen.tools.java.literals import decode_string
from anomalygen.tools.java.templates import TemplateBuilder

from .conftest import statement_at, write_java


def test_concatenation_becomes_placeholders_with_typed_slots(loggers: Program) -> None:
    statement = statement_at(loggers, "Worker.java", 41)
    assert statement.template == "Receiving block {} src: {}"
    assert statement.slots == (Slot(0, "b", "long"), Slot(1, "src", "String"))


def test_slf4j_placeholders_take_arguments_in_order(loggers: Program) -> None:
    statement = statement_at(loggers, "Worker.java", 23)
    assert [(s.expression, s.type_name) for s in statement.slots] == [("id", "int"), ("item", "String")]


def test_constants_fold_across_types_and_concatenations(loggers: Program) -> None:
    assert statement_at(loggers, "Worker.java", 42).template == "blk_{} stored"  # inherited PREFIX
    assert statement_at(loggers, "Worker.java", 43).template == "hello: world"  # Base.GREETING


def test_string_format_and_literals(loggers: Program) -> None:
    formatted = statement_at(loggers, "Worker.java", 44)
    assert formatted.template == "Took {} ms for {} ({}%)"
    assert [s.expression for s in formatted.slots] == ["b", "src", "1.5"]
    mixed = statement_at(loggers, "Worker.java", 46)
    assert mixed.template == "block {} at x42"  # char and int literals print as text
    assert mixed.slots == (Slot(0, "Long.toHexString(b)", "String"),)


def test_lone_variable_message_is_one_slot(loggers: Program) -> None:
    statement = statement_at(loggers, "Worker.java", 45)
    assert statement.template == "{}"
    assert statement.slots == (Slot(0, "src", "String"),)


def test_trailing_throwable_is_not_a_slot(loggers: Program) -> None:
    warn = statement_at(loggers, "Worker.java", 50)
    assert (warn.template, len(warn.slots), warn.exception) == ("Failed to write {}", 1, "e")
    error = statement_at(loggers, "Worker.java", 51)
    assert (error.template, error.slots, error.exception) == ("Unexpected error", (), "e")
    both_used = statement_at(loggers, "Worker.java", 52)
    assert both_used.exception == "" and len(both_used.slots) == 2
    log4j = statement_at(loggers, "Loggers.java", 18)
    assert (log4j.template, log4j.exception) == ("audit failure", "t")


def test_java_util_logging_message_format(loggers: Program) -> None:
    params = statement_at(loggers, "Loggers.java", 34)
    assert params.template == "Disk {} at {}%"
    assert [s.expression for s in params.slots] == ["disk", "pct"]
    thrown = statement_at(loggers, "Loggers.java", 35)
    assert (thrown.template, thrown.exception) == ("Cannot mount {}", "e")
    assert statement_at(loggers, "Loggers.java", 36).template == "Mounted {}"


def test_more_template_shapes(tmp_path: Path) -> None:
    write_java(tmp_path, "p/T.java", r"""package p;
import java.text.MessageFormat;
import org.slf4j.Logger;
class T {
  private static final Logger LOG = null;
  private static final int LIMIT = 5;
  static final String PROPERTY = "zookeeper." + "limit";
  private static final String DYNAMIC = System.getProperty("x");
  int i2() { return 2; }
  void m(String a, int n, Object o) {
    LOG.info("tab\there \"quoted\" {}", a);
    LOG.info(MessageFormat.format("{0} of {1}", n, LIMIT));
    LOG.info("limit " + LIMIT + ", sum " + (n + 1));
    LOG.info("dynamic " + DYNAMIC);
    LOG.info("{} and {}", a);
    LOG.info("ternary " + (n > 0 ? "pos" : "neg"));
    LOG.info(String.format("%1$s again %1$s, %n%%", a));
    LOG.info("{} = {}", PROPERTY, n);
    int tries = 0;
    String what = "disk";
    for (int i = 0; i < n; i++) { tries += 1; }
    LOG.info("{} {} after {} {}", what, tries, n, i2());
  }
}
""")
    program = load_program(tmp_path)
    templates = [s.template for s in sorted(program.log_statements.values(), key=lambda s: s.line)]
    assert templates == [
        'tab\there "quoted" {}',
        "{} of {}",  # MessageFormat would group digits: numeric constants stay values
        "limit 5, sum {}",  # the int constant folds, the parenthesized sum is one value
        "dynamic {}",  # a non-constant initializer is a runtime value
        "{} and {}",  # the second placeholder has no argument: SLF4J prints "{}"
        "ternary {}",
        "{} again {}, \n%",
        "zookeeper.limit = {}",  # a constant argument prints as text, not as a slot
        "disk {} after {} {}",  # an unchanged local is constant; a mutated one is not
    ]
    by_line = {s.line: s for s in program.log_statements.values()}
    assert len(by_line[15].slots) == 1  # only one argument exists


def test_decode_string_escapes_and_text_blocks() -> None:
    assert decode_string(r'"a\nb\u0041\101\\"') == "a\nbAA\\"
    assert decode_string('"""\n    one\n      two\n    """') == "one\n  two\n"


def test_a_template_failure_is_a_warning_not_a_crash(
    loggers_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: TemplateBuilder, ctx: object, call: object) -> object:
        raise ValueError("unsupported construct")

    monkeypatch.setattr(TemplateBuilder, "build", broken)
    program = load_program(loggers_repo)
    assert len(program.log_statements) == 37
    assert all(s.template == "{}" for s in program.log_statements.values())
    assert len(program.warnings) == 20 and "ValueError: unsupported construct" in program.warnings[0]


def test_a_message_local_is_read_in_the_block_that_declares_it(tmp_path: Path) -> None:
    write_java(tmp_path, "p/R.java", """package p;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
class R {
  private static final Logger LOG = LoggerFactory.getLogger(R.class);
  void reconfig(int followers, String client, boolean strict) {
    if (followers < 2) {
      String msg = "Reconfig failed - needs 2 followers";
      LOG.warn(msg);
    } else if (followers < 1) {
      String msg = "Refusing client " + client;
      LOG.warn(msg);
    }
    String error = "An error occurred";
    if (strict) {
      error += " in strict mode";
    }
    error += " for " + client + ".";
    LOG.error(error);
    String note;
    note = "assigned later";
    LOG.info(note);
    String reset = "first";
    reset = "second";
    LOG.info(reset);
  }
}
""")
    program = load_program(tmp_path)
    ordered = sorted(program.log_statements.values(), key=lambda s: s.line)
    found = [(s.template, len(s.slots)) for s in ordered]
    assert found == [
        ("Reconfig failed - needs 2 followers", 0),  # `msg` is declared in two sibling blocks
        ("Refusing client {}", 1),
        # appends fold in order; one under an `if` may not happen: a slot (that text or nothing)
        ("An error occurred{} for {}.", 2),
        ("{}", 1),  # no initializer at all
        ("{}", 1),  # reassigned with `=`: the initializer is not the value
    ]
    error = next(s for s in ordered if s.template.startswith("An error"))
    assert error.slots[0].expression == 'error += " in strict mode"'



def test_a_message_helper_of_the_repository_is_read_through(tmp_path: Path) -> None:
    write_java(tmp_path, "p/H.java", """package p;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
class H {
  private static final Logger LOG = LoggerFactory.getLogger(H.class);
  private static final String STORE = "fileStore";
  void run(Exception ex, String request, int index, String name) {
    LOG.warn(buildLogMessage(ex, request));
    LOG.error(resolutionError("Failed to resolve", index));
    LOG.info(describe(name));
    LOG.info(Keys.format(index, name));
    LOG.info(overridable(name));
    LOG.info(branching(index));
  }
  private String buildLogMessage(Exception ex, String request) {
    return "Resolved exception caused by handler execution: " + ex + " for " + request;
  }
  private String resolutionError(String text, int index) {
    String kind = kindOf(index);
    return text + " argument " + index + " of type '" + kind + "'";
  }
  private String kindOf(int index) { return index > 0 ? "int" : "long"; }
  protected String describe(String name) { return STORE + ":" + name; }
  protected String overridable(String name) { return "base " + name; }
  private String branching(int index) {
    if (index > 0) { return "positive"; }
    return "other";
  }
}
class Keys {
  static String format(int index, String name) { return String.format("#%d of %s", index, name); }
}
class Sub extends H {
  @Override protected String overridable(String name) { return "sub " + name; }
}
""")
    program = load_program(tmp_path)
    ordered = sorted(program.log_statements.values(), key=lambda s: s.line)
    found = [(s.template, [slot.expression for slot in s.slots]) for s in ordered]
    assert found == [
        # the helper's parameters print what the caller passes: ex and request, named so
        ("Resolved exception caused by handler execution: {} for {}", ["ex", "request"]),
        # a literal argument prints as text; the helper's own local stays one slot
        ("Failed to resolve argument {} of type '{}'", ["index", "kind"]),
        ("fileStore:{}", ["name"]),  # a constant inside the helper folds too
        ("#{} of {}", ["index", "name"]),  # a static helper of another class, String.format inside
        ("{}", ["overridable(name)"]),  # Sub overrides it: the base text is not what always prints
        ("{}", ["branching(index)"]),  # two returns: no one text
    ]
    assert ordered[0].slots[0].type_name == "Exception"


def test_a_string_builder_chain_folds_like_concatenation(tmp_path: Path) -> None:
    write_java(tmp_path, "p/L.java", """package p;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
class L {
  private static final Logger LOG = LoggerFactory.getLogger(L.class);
  void events(Object ctx, int id) {
    LOG.info(format(ctx, "REGISTERED"));
    LOG.info(new StringBuilder("id=").append(id).append(';').append(" done").toString());
    StringBuilder kept = new StringBuilder();
    kept.append("x");
    LOG.info(kept.toString());
  }
  protected String format(Object ctx, String eventName) {
    String chStr = ctx.toString();
    return new StringBuilder(chStr.length() + 1 + eventName.length())
        .append(chStr).append(' ').append(eventName).toString();
  }
}
""")
    program = load_program(tmp_path)
    ordered = sorted(program.log_statements.values(), key=lambda s: s.line)
    assert [(s.template, [slot.expression for slot in s.slots]) for s in ordered] == [
        ("{} REGISTERED", ["chStr"]),  # Netty's LoggingHandler: a capacity is not text
        ("id={}; done", ["id"]),  # a String given to the constructor starts the text, a char prints
        ("{}", ["kept.toString()"]),  # a builder kept in a variable is not read
    ]
