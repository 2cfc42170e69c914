from __future__ import annotations

from pathlib import Path

from anomalygen.tools.java import Program, load_program

from .conftest import write_java


def _calls(program: Program, caller_prefix: str) -> dict[str, tuple[str, ...]]:
    return {
        f"{c.receiver + '.' if c.receiver else ''}{c.name}/{c.arity}": c.targets
        for c in program.calls.values() if c.caller.startswith(caller_prefix)
    }


def test_overloads_resolve_by_arity(loggers: Program) -> None:
    calls = _calls(loggers, "com.acme.core.Worker.process(")
    assert calls["send/1"] == ("com.acme.core.Worker.send(int)",)
    assert calls["send/2"] == ("com.acme.core.Worker.send(int,String)",)


def test_interface_call_reaches_every_in_repo_implementation(loggers: Program) -> None:
    calls = _calls(loggers, "com.acme.svc.Dispatcher.dispatch(")
    assert set(calls["service.handle/1"]) == {
        "com.acme.svc.Service.handle(String)",
        "com.acme.svc.EchoService.handle(String)",
        "com.acme.svc.DropService.handle(String)",
    }


def test_abstract_method_call_reaches_overrides(loggers: Program) -> None:
    calls = _calls(loggers, "com.acme.core.Base.runAll(")
    assert set(calls["process/1"]) == {
        "com.acme.core.Base.process(String)", "com.acme.core.Worker.process(String)"
    }


def test_inherited_method_constructors_and_this_calls(loggers: Program) -> None:
    calls = _calls(loggers, "com.acme.svc.Dispatcher.dispatch(")
    assert calls["new Worker(3).runAll/1"] == ("com.acme.core.Base.runAll(String[])",)
    assert calls["Worker/1"] == ("com.acme.core.Worker.Worker(int)",)
    assert calls["helper.assist/0"] == ("com.acme.svc.Dispatcher.Helper.assist()",)
    ctor = _calls(loggers, "com.acme.core.Worker.Worker(int)")
    assert ctor["this/2"] == ("com.acme.core.Worker.Worker(int,Map)",)


def test_unresolved_and_external_calls_are_kept_and_counted_apart(loggers: Program) -> None:
    dispatch = [c for c in loggers.calls.values() if c.caller.startswith("com.acme.svc.Dispatcher.dispatch(")]
    unresolved = {c.name for c in dispatch if c.status == "unresolved"}
    external = {c.name for c in dispatch if c.status == "external"}
    # helper.vanished(): in-repo receiver, no such method; unknownThing: undeclared.
    # names.forEach(n -> n.trim()) and names.stream().map(n -> n.length()): n is a String.
    assert unresolved == {"vanished", "poke"}
    assert {"println", "forEach", "stream", "map", "trim", "length"} <= external
    assert all(not c.targets for c in loggers.unresolved_calls)
    assert {c.name for c in loggers.unresolved_calls} >= {"vanished", "poke"}
    assert not set(loggers.unresolved_calls) & set(loggers.external_calls)


def test_chained_calls_each_get_their_own_site(tmp_path: Path) -> None:
    write_java(tmp_path, "p/A.java", """package p;
class A {
  B b() { return new B(); }
  void m() { b().c().d(); }
}
class B { B c() { return this; } void d() { } }
""")
    program = load_program(tmp_path)
    sites = {c.name: c for c in program.calls.values() if c.caller == "p.A.m()"}
    assert sites["b"].targets == ("p.A.b()",)
    assert sites["c"].targets == ("p.B.c()",)
    assert sites["d"].targets == ("p.B.d()",)
    assert len({c.key for c in sites.values()}) == 3
    method = program.methods["p.A.m()"]
    assert method.body is not None
    outer = method.body.named_children[0].named_children[0]  # the d() invocation
    assert program.call_at("p/A.java", outer) is sites["d"]
    middle = outer.child_by_field_name("object")
    assert middle is not None and program.call_at("p/A.java", middle) is sites["c"]
    inner = middle.child_by_field_name("object")
    assert inner is not None and program.call_at("p/A.java", inner) is sites["b"]


def test_static_imports_super_and_static_calls(tmp_path: Path) -> None:
    write_java(tmp_path, "p/Util.java",
               "package p;\npublic class Util { public static int twice(int x) { return x; } }\n")
    write_java(tmp_path, "q/Base.java", "package q;\npublic class Base { public void start() { } }\n")
    write_java(tmp_path, "q/Child.java", """package q;
import static p.Util.twice;
import p.Util;
public class Child extends Base {
  @Override public void start() { super.start(); twice(2); Util.twice(3); this.start(); }
}
""")
    program = load_program(tmp_path)
    calls = [(c.receiver, c.name, c.targets) for c in program.calls.values() if c.caller == "q.Child.start()"]
    assert calls == [
        ("super", "start", ("q.Base.start()",)),
        (None, "twice", ("p.Util.twice(int)",)),
        ("Util", "twice", ("p.Util.twice(int)",)),
        ("this", "start", ("q.Child.start()",)),
    ]


def test_collection_elements_and_lambda_parameters_are_typed(tmp_path: Path) -> None:
    write_java(tmp_path, "p/Registry.java", """package p;
import java.util.List;
import java.util.Map;
class Session { void touch() { } }
class Registry {
  private final Map<Long, Session> sessions = null;
  void all(List<? extends Session> list, Map<String, Session> byName) {
    sessions.get(1L).touch();
    list.forEach(s -> s.touch());
    byName.forEach((name, s) -> s.touch());
    for (Map.Entry<String, Session> e : byName.entrySet()) { e.getValue().touch(); }
  }
}
""")
    program = load_program(tmp_path)
    touches = [c for c in program.calls.values() if c.name == "touch"]
    assert len(touches) == 4
    assert all(c.targets == ("p.Session.touch()",) for c in touches), touches


def test_locals_are_typed_by_the_declaration_in_scope(tmp_path: Path) -> None:
    write_java(tmp_path, "p/Cb.java", """package p;
interface StatCb { void done(int rc, String path, Object stat); }
interface DataCb { void done(int rc, String path, byte[] data, Object stat); }
class Events {
  Events() { super(); }
  void fire(Object raw, boolean stat) {
    if (stat) {
      StatCb cb = (StatCb) raw;
      cb.done(0, "/a", null);
    } else {
      DataCb cb = (DataCb) raw;
      cb.done(0, "/a", null, null);
    }
  }
}
""")
    program = load_program(tmp_path)
    done = sorted((c.arity, c.targets) for c in program.calls.values() if c.name == "done")
    assert done == [
        (3, ("p.StatCb.done(int,String,Object)",)),
        (4, ("p.DataCb.done(int,String,byte[],Object)",)),
    ]
    (super_call,) = [c for c in program.calls.values() if c.name == "super"]
    assert super_call.status == "external"  # Object's constructor


def test_stream_lambdas_see_the_collection_elements(tmp_path: Path) -> None:
    write_java(tmp_path, "p/S.java", """package p;
import java.util.List;
import java.util.Map;
class Peer { boolean up() { return true; } long id() { return 1; } }
class S {
  void m(List<Peer> peers, Map<Long, Peer> byId) {
    peers.stream().filter(p -> p.up()).map(p -> p.id());
    byId.values().forEach(p -> p.up());
    byId.keySet().forEach(k -> k.intValue());
  }
}
""")
    program = load_program(tmp_path)
    calls = sorted(
        (c.name, c.status, c.targets) for c in program.calls.values() if c.caller.startswith("p.S.m(")
    )
    assert ("id", "resolved", ("p.Peer.id()",)) in calls
    assert [c for c in calls if c[0] == "up"] == [("up", "resolved", ("p.Peer.up()",))] * 2
    assert ("intValue", "external", ()) in calls  # a Long
