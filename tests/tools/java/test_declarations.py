from __future__ import annotations

from pathlib import Path

from anomalygen.tools.java import Program, load_program
from anomalygen.tools.java.typenames import erase

from .conftest import write_java


def test_types_are_qualified_with_package_and_outer_types(loggers: Program) -> None:
    names = set(loggers.types)
    assert {
        "com.acme.core.Worker", "com.acme.core.Worker.Inner", "com.acme.core.Worker.Inner.Deeper",
        "com.acme.core.Worker$1", "com.acme.svc.Service", "com.acme.svc.Dispatcher.Helper",
    } <= names
    assert loggers.types["com.acme.svc.Service"].kind == "interface"


def test_supertypes_resolve_through_imports_and_packages(loggers: Program) -> None:
    assert loggers.types["com.acme.core.Worker"].superclass == "com.acme.core.Base"
    assert loggers.types["com.acme.svc.EchoService"].interfaces == ("com.acme.svc.Service",)
    anonymous = loggers.types["com.acme.core.Worker$1"]
    assert anonymous.interfaces == ("java.lang.Runnable",) and anonymous.superclass is None


def test_method_ids_erase_generics_and_packages(loggers: Program) -> None:
    worker = loggers.types["com.acme.core.Worker"]
    assert "com.acme.core.Worker.Worker(int,Map)" in worker.methods
    assert "com.acme.core.Worker.send(int)" in worker.methods
    assert "com.acme.core.Worker.send(int,String)" in worker.methods
    method = loggers.methods["com.acme.core.Worker.fail(String,IOException)"]
    assert (method.start_line, method.end_line, method.arity) == (49, 53, 2)
    assert method.body is not None and method.body.type == "block"
    assert erase("final @Nullable java.util.Map<String, List<X>>[]") == "Map[]"
    assert erase("java.util.Map.Entry<K, V>", qualified=True) == "java.util.Map.Entry"
    assert erase("String...") == "String..."


def test_fields_and_locals_keep_declared_types(loggers: Program) -> None:
    worker = loggers.types["com.acme.core.Worker"]
    assert worker.fields["blockId"] == "long" and worker.fields["seen"] == "Map"
    lambdas = loggers.methods["com.acme.core.Worker.lambdas(List)"]
    assert lambdas.locals["names"] == "List" and lambdas.locals["r"] == "Runnable"
    lam = loggers.methods["com.acme.core.Worker.lambdas(List)$lambda@61:23"]
    assert lam.enclosing == lambdas.id and lam.locals["names"] == "List"  # sees enclosing locals


def test_every_kind_of_body_is_a_method(tmp_path: Path) -> None:
    write_java(tmp_path, "p/K.java", """package p;
enum K {
  A { void f() { } }, B;
  static { init(); }
  { init(); }
  static void init() { }
}
record R(int a, String b) { R { } }
@interface Ann { int v() default 1; }
""")
    program = load_program(tmp_path)
    assert {"p.K.<clinit>()", "p.K.<init>()", "p.K.init()", "p.K$1.f()", "p.R.R(int,String)"} <= set(
        program.methods
    )
    assert program.types["p.K"].kind == "enum" and program.types["p.R"].kind == "record"
    assert program.types["p.Ann"].kind == "annotation"
    assert program.types["p.K$1"].superclass == "p.K"
    assert program.types["p.R"].fields == {"a": "int", "b": "String"}


def test_the_same_class_in_two_files_keeps_both(tmp_path: Path) -> None:
    write_java(tmp_path, "a/p/Dup.java", "package p;\nclass Dup { void one() { } }\n")
    write_java(tmp_path, "b/p/Dup.java", "package p;\nclass Dup { void two() { } class In { } }\n")
    program = load_program(tmp_path)
    assert program.types["p.Dup"].methods == ["p.Dup.one()"]
    assert program.types["p.Dup#2"].methods == ["p.Dup#2.two()"]
    assert "p.Dup#2.In" in program.types
    assert any("p.Dup is declared in a/p/Dup.java and b/p/Dup.java" in w for w in program.warnings)
