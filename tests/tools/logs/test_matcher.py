"""Template compilation and matching: slots, metacharacters, ambiguity resolution."""

from __future__ import annotations

from anomalygen.records import Level, LogStatement, Slot
from anomalygen.tools.logs import build_matcher
from anomalygen.tools.logs.hints import ancestor_classes, method_score
from anomalygen.tools.logs.template import compile_template


def _stmt(sid: str, template: str, types: tuple[str | None, ...] = (), level: Level = Level.INFO,
          type_name: str = "org.x.Foo", line: int = 10) -> LogStatement:
    slots = tuple(Slot(i, f"arg{i}", t) for i, t in enumerate(types))
    return LogStatement(sid, "Foo.java", line, level, template, slots, type_name)


def test_slots_at_start_end_and_only() -> None:
    matcher = build_matcher([_stmt("a", "{} joined {}", ("String", "String")), _stmt("b", "{}", ("String",))])
    found = matcher.match("node-1 joined cluster-7")
    assert found is not None and found.statement.id == "a" and found.params == ("node-1", "cluster-7")
    assert found.ambiguous == ()  # "{}" matches anything: it is no rival to a template with text
    assert matcher.match("anything at all") is None  # "{}" alone is no evidence without the line's class
    only = matcher.match("anything at all", level="INFO", hint="org.x.Foo")
    assert only is not None and only.statement.id == "b" and only.params == ("anything at all",)
    assert matcher.match("anything at all", level="WARN", hint="org.x.Foo") is None


def test_templates_without_words_need_class_and_level_to_agree() -> None:
    matcher = build_matcher([_stmt("kv", "{}={}", ("String", "String"), type_name="org.x.Env")])
    assert matcher.match("user=zk") is None
    assert matcher.match("user=zk", level="INFO", hint="Foo") is None
    found = matcher.match("user=zk", level="INFO", hint="Env")
    assert found is not None and found.params == ("user", "zk")


def test_slot_only_template_needs_the_class_to_agree() -> None:
    matcher = build_matcher([_stmt("b", "{}", ("String",), type_name="org.x.Foo")])
    assert matcher.match("text", hint="Bar") is None
    found = matcher.match("text", hint="Foo")
    assert found is not None and found.statement.id == "b"


def test_regex_metacharacters_are_literal() -> None:
    matcher = build_matcher([_stmt("m", "[a+b]* (box) {} $^.|?", ("int",))])
    found = matcher.match("[a+b]* (box) 42 $^.|?")
    assert found is not None and found.params == ("42",)
    assert matcher.match("aab (box) 42 $^.|?") is None


def test_numeric_slot_matches_digits_and_falls_back_loosely() -> None:
    matcher = build_matcher([_stmt("n", "took {} ms", ("long",)), _stmt("s", "took {} s", ("String",))])
    assert matcher.match("took -12 ms").params == ("-12",)  # type: ignore[union-attr]
    loose = matcher.match("took 0x1f ms")  # a declared long printed in hex by the code: still this statement
    assert loose is not None and loose.statement.id == "n" and loose.loose
    typed = matcher.match("took 12 ms")
    assert typed is not None and not typed.loose


def test_boxed_numbers_may_print_null_and_floats_parse() -> None:
    matcher = build_matcher([_stmt("f", "ratio {} of {}", ("double", "Integer"))])
    found = matcher.match("ratio 0.75 of null")
    assert found is not None and found.params == ("0.75", "null") and not found.loose


def test_constant_only_templates_and_blank_runs() -> None:
    matcher = build_matcher([_stmt("c", "LOOKING"), _stmt("w", "alpha  beta {}", ("String",))])
    assert matcher.match("LOOKING").statement.id == "c"  # type: ignore[union-attr]
    assert matcher.match("alpha beta c").statement.id == "w"  # type: ignore[union-attr]
    assert matcher.match("LOOKING ") is not None


def test_ambiguity_resolved_by_class_then_level_then_line() -> None:
    same = "Closing {}"
    statements = [
        _stmt("foo", same, ("String",), type_name="org.x.Foo", line=10),
        _stmt("bar", same, ("String",), type_name="org.x.Bar", line=20),
        _stmt("bar-warn", same, ("String",), Level.WARN, type_name="org.x.Bar", line=30),
        _stmt("bar-late", same, ("String",), type_name="org.x.Bar", line=90),
    ]
    matcher = build_matcher(statements)
    by_class = matcher.match("Closing it", hint="Foo")
    assert by_class is not None and by_class.statement.id == "foo" and by_class.resolved_by == "class"
    assert set(by_class.rivals) == {"bar", "bar-warn", "bar-late"}
    assert by_class.ambiguous == ()  # the class decided: nothing left to guess
    by_level = matcher.match("Closing it", hint="Bar", level="WARN")
    assert by_level is not None and by_level.statement.id == "bar-warn" and by_level.resolved_by == "level"
    by_line = matcher.match("Closing it", hint="org.x.Bar", level="INFO", source_line=85)
    assert by_line is not None and by_line.statement.id == "bar-late" and by_line.resolved_by == "line"


def test_the_method_a_line_names_decides_where_its_class_cannot() -> None:
    same = "Creating new transaction with name [{}]: {}"
    statements = [  # a getClass() logger prints the runtime subclass, which declares neither
        LogStatement("uow", "W.java", 280, Level.DEBUG, same, (), "org.t.WebSphereUowTransactionManager",
                     "org.t.WebSphereUowTransactionManager.execute(TransactionDefinition,Callback)"),
        LogStatement("apt", "A.java", 371, Level.DEBUG, same, (), "org.t.AbstractPlatformTransactionManager",
                     "org.t.AbstractPlatformTransactionManager.getTransaction(TransactionDefinition)"),
    ]
    matcher = build_matcher(statements)
    line = "Creating new transaction with name [null]: PROPAGATION_REQUIRED"
    found = matcher.match(line, "FINE", "org.j.DataSourceTransactionManager", None, "getTransaction")
    assert found is not None and found.statement.id == "apt" and found.resolved_by == "method"
    # the class still comes first: a line of the declaring class keeps its own statement
    found = matcher.match(line, "FINE", "org.t.WebSphereUowTransactionManager", None, "getTransaction")
    assert found is not None and found.statement.id == "uow" and found.resolved_by == "class"


def test_a_subclass_line_prefers_the_statement_its_superclass_declares() -> None:
    same = "Creating new transaction with name [{}]: {}"
    statements = [
        LogStatement("uow", "W.java", 280, Level.DEBUG, same, (), "org.t.WebSphereUowTransactionManager"),
        LogStatement("apt", "A.java", 371, Level.DEBUG, same, (), "org.t.AbstractPlatformTransactionManager"),
    ]
    base = "org.t.AbstractPlatformTransactionManager"
    ancestors = ancestor_classes([("org.j.DataSourceTransactionManager", base), (base, None),
                                  ("org.t.WebSphereUowTransactionManager", "org.t.JtaTransactionManager"),
                                  ("org.t.JtaTransactionManager", base)])
    assert ancestors["DataSourceTransactionManager"] == {"AbstractPlatformTransactionManager"}
    line = "Creating new transaction with name [null]: PROPAGATION_REQUIRED"
    logger = "o.s.j.d.DataSourceTransactionManager"  # Spring Boot abbreviates the logger: no %M there
    found = build_matcher(statements, ancestors=ancestors).match(line, "DEBUG", logger)
    assert found is not None and found.statement.id == "apt" and found.resolved_by == "superclass"
    without = build_matcher(statements).match(line, "DEBUG", logger)
    assert without is not None and without.resolved_by == "order"  # nothing told them apart
    assert set(without.ambiguous) == {"apt", "uow"} - {without.statement.id}


def test_a_tie_goes_to_the_statement_nearest_to_the_threads_last_lines() -> None:
    same = "SQL update affected {} rows"
    statements = [  # one file: two nested classes of JdbcTemplate, printing through its logger
        _stmt("plain", same, ("int",), type_name="org.j.JdbcTemplate.UpdateStatementCallback", line=533),
        _stmt("prepared", same, ("int",), type_name="org.j.JdbcTemplate.PreparedCallback", line=884),
        _stmt("executing", "Executing prepared SQL update", type_name="org.j.JdbcTemplate", line=873),
    ]
    matcher = build_matcher(statements)
    # the thread's last lines: "Executing prepared SQL update", then a line of another file
    recent = [statements[2], LogStatement("u", "Utils.java", 880, Level.INFO, "Setting parameter")]
    found = matcher.match("SQL update affected 1 rows", "DEBUG", "org.j.JdbcTemplate", None, None, recent)
    assert found is not None and found.statement.id == "prepared" and found.resolved_by == "previous"
    assert found.ambiguous == ("plain",)  # the likelier, yet nothing in the line itself decided
    alone = matcher.match("SQL update affected 1 rows", "DEBUG", "org.j.JdbcTemplate")
    assert alone is not None and alone.resolved_by == "order"


def test_method_names_as_the_jvm_prints_them() -> None:
    assert method_score("getTransaction", "org.t.A.getTransaction(Def)") == 1
    assert method_score("<init>", "org.t.Outer.Inner.Inner(int)") == 1  # a constructor
    assert method_score("lambda$execute$0", "org.t.A.execute(Runnable)$lambda@12:30") == 1
    assert method_score("run", "org.t.A.execute(Runnable)$lambda@12:30") == 0
    assert method_score(None, "org.t.A.run()") == 0 and method_score("run", "") == 0


def test_nested_classes_match_the_zookeeper_location_field() -> None:
    statements = [_stmt("outer", "Leaving", type_name="org.q.QuorumCnxManager"),
                  _stmt("inner", "Leaving", type_name="org.q.QuorumCnxManager.SendWorker")]
    found = build_matcher(statements).match("Leaving", hint="QuorumCnxManager$SendWorker")
    assert found is not None and found.statement.id == "inner"


def test_anchor_index_only_tries_templates_sharing_a_word() -> None:
    words = [chr(97 + i // 26) + chr(97 + i % 26) for i in range(200)]  # aa, ab, ... (no digits)
    statements = [_stmt(f"s{i}", f"event {w} happened to {{}}", ("String",)) for i, w in enumerate(words)]
    statements.append(_stmt("wild", "{}: {}", ("String", "String")))
    matcher = build_matcher(statements)
    candidates = matcher.candidates("event ah happened to x")
    assert [c.statement.id for c in candidates] == ["s7"]  # "{}: {}" has no word: never a candidate
    assert matcher.match("event ah happened to x").statement.id == "s7"  # type: ignore[union-attr]


def test_compiled_template_specificity() -> None:
    template = "Expiring session 0x{}, timeout of {}ms exceeded"
    compiled = compile_template(_stmt("x", template, ("String", "int")))
    assert compiled.constant == "Expiring session 0x, timeout of ms exceeded"
    assert "Expiring" in compiled.anchors and "0x" not in compiled.anchors
    assert compiled.regex.fullmatch("Expiring session 0x14ed93111f20027, timeout of 10000ms exceeded")
