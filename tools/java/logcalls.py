"""Which invocations are log statements: the receiver's declared type is a logger.

Detection goes by type, not by name: a field ``private static final Logger audit`` counts,
a ``LOG`` of some unrelated type does not. Logger types are the logging libraries', in-repo
wrappers of them, and a repository's own logging facade (see ``_is_logger_decl``). Receivers
are fields (own, inherited, of enclosing classes, statically imported), locals, parameters, and
calls such as ``LoggerFactory.getLogger(X.class)`` or an in-repo ``getLogger()`` returning a
logger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from tree_sitter import Node

from anomalygen.records import Level
from anomalygen.tools.java.context import Context
from anomalygen.tools.java.dispatch import arguments
from anomalygen.tools.java.resolve import Resolver
from anomalygen.tools.java.typenames import simple_name
from anomalygen.tools.java.typeres import TypeIndex

LOGGER_TYPES: frozenset[str] = frozenset(
    {
        "org.slf4j.Logger", "org.slf4j.ext.XLogger", "org.slf4j.spi.LocationAwareLogger",
        "org.apache.log4j.Logger", "org.apache.log4j.Category",
        "org.apache.logging.log4j.Logger", "org.apache.logging.log4j.spi.ExtendedLogger",
        "org.apache.commons.logging.Log", "java.util.logging.Logger", "java.lang.System.Logger",
        "System.Logger", "ch.qos.logback.classic.Logger", "org.jboss.logging.Logger",
    }
)
LOGGER_SIMPLE_NAMES: frozenset[str] = frozenset(
    {"Logger", "Log", "ExtendedLogger", "XLogger", "LocationAwareLogger"}
)
_LEVEL_METHODS: dict[str, Level] = {
    "trace": Level.TRACE, "debug": Level.DEBUG, "info": Level.INFO, "warn": Level.WARN,
    "error": Level.ERROR, "fatal": Level.FATAL,
    # java.util.logging convenience methods
    "severe": Level.parse("SEVERE"), "warning": Level.WARN, "config": Level.parse("CONFIG"),
    "fine": Level.parse("FINE"), "finer": Level.parse("FINER"), "finest": Level.parse("FINEST"),
}
_JUL_ONLY = frozenset({"severe", "warning", "config", "fine", "finer", "finest", "logp"})
_LEVEL_ARG_METHODS = {"log": 1, "logp": 3}
"""Methods whose first argument is the level: index of the message argument."""
_LOG4J1_FQCN_ARITY = 4
"""log4j 1's ``log(callerFQCN, level, message, thrown)``, the form logging wrappers call."""
_LOCATION_AWARE_ARITY = 6
_GUARD = re.compile(r"\b(is(Trace|Debug|Info|Warn|Error|Fatal)?Enabled(For)?|isLoggable)\s*\(")


MessageStyle = Literal["placeholders", "message_format", "printf"]
"""SLF4J / log4j 2 ``{}``; java.util.logging and ``System.Logger`` ``{0}``; an in-repo facade
that formats with ``String.format``/``printf`` (``%s``)."""


@dataclass(frozen=True, slots=True)
class LogCall:
    node: Node
    level: Level
    message_index: int
    """Index of the message argument (after a Marker or a Level)."""
    style: MessageStyle
    """How the logger formats the message with its arguments."""
    guarded: bool
    arguments: tuple[Node, ...] | None = None
    """Message and arguments gathered from a fluent chain (``atInfo().setMessage(..)
    .addArgument(..).log()``); None: the call's own arguments."""
    thrown: Node | None = None
    """The exception given to a fluent chain (``setCause(e)`` / ``withThrowable(e)``)."""


_FACADE_MIN_LEVELS = 3
"""Level-named methods an in-repo ``*Log``/``*Logger`` type must declare to count as a facade."""


def is_logger_type(resolver: Resolver, resolved: str) -> bool:
    index = resolver.index
    if resolved not in index.types:
        return _is_library_logger(resolved)
    known = index.logger_memo.get(resolved)
    if known is None:
        known = any(_is_logger_decl(index, ancestor) for ancestor in index.ancestors(resolved))
        index.logger_memo[resolved] = known
    return known


def root_logger_types(resolver: Resolver) -> list[str]:
    """In-repo logger types none of whose in-repo supertypes is one: the facades and wrappers
    that made calls on their subtypes count (what ``scan`` shows to explain its statements)."""
    index = resolver.index
    roots = []
    for name in sorted(index.types):
        if is_logger_type(resolver, name) and not any(
                is_logger_type(resolver, sup) for sup in index.ancestors(name)[1:]):
            roots.append(name)
    return roots


def _is_logger_decl(index: TypeIndex, name: str) -> bool:
    """An in-repo type that wraps a library logger, or is the repository's own logging facade.

    A wrapper extends or implements a library logger type. A facade is a project's own logging
    API (Jetty's ``org.eclipse.jetty.util.log.Logger``, Tomcat's ``org.apache.juli.logging.Log``):
    no library supertype, so it is recognised by its shape -- a ``*Log``/``*Logger`` type that
    declares at least three of trace/debug/info/warn/error/fatal with parameters. Both parts are
    needed: a ``Ledger`` with ``info``/``warn`` or a ``TxnLog`` with ``append`` is no logger.
    """
    info = index.types[name].info
    for sup in (info.superclass, *info.interfaces):
        if sup is not None and sup not in index.types and _is_library_logger(sup):
            return True
    if not info.simple_name.endswith(("Log", "Logger")):
        return False
    levels = {
        method_name for method_name in _FACADE_LEVELS
        if any(index.table.methods[m].info.parameters for m in index.methods_named(name, method_name))
    }
    return len(levels) >= _FACADE_MIN_LEVELS


_FACADE_LEVELS = ("trace", "debug", "info", "warn", "error", "fatal")


def _is_library_logger(name: str) -> bool:
    if name in LOGGER_TYPES:
        return True
    simple = simple_name(name)
    if simple not in LOGGER_SIMPLE_NAMES:
        return False
    package = name[: -len(simple)].rstrip(".")
    return not package or "log" in package.lower()


def detect_log_call(resolver: Resolver, ctx: Context, node: Node) -> LogCall | None:
    """A LogCall when ``node`` is a logging method invoked on a logger, else None."""
    if node.type != "method_invocation":
        return None
    name_node = node.child_by_field_name("name")
    obj = node.child_by_field_name("object")
    if name_node is None or obj is None:
        return None
    name = resolver.text(ctx, name_node)
    if name == "log" and obj.type == "method_invocation":
        fluent = _fluent_call(resolver, ctx, node, obj)
        if fluent is not None:
            return fluent
    if name not in _LEVEL_METHODS and name not in _LEVEL_ARG_METHODS:
        return None
    receiver = resolver.type_of(ctx, obj)
    if receiver is None and _inherited_from_library(resolver, ctx, obj):
        receiver = "Logger"
    if receiver is None:
        # a static facade: ``StartLog.info("%s ready", x)`` on an in-repo logger type
        receiver = resolver.as_type_name(ctx, obj)
        if receiver is None or not _static_level_method(resolver, receiver, name):
            return None
    if not is_logger_type(resolver, receiver):
        return None
    args = arguments(node)
    # java.util.logging and System.Logger format with MessageFormat ({0}), the others with {}.
    jul = name in _JUL_ONLY or receiver.startswith("java.util.logging") or receiver.endswith(
        "System.Logger"
    )
    if name in _LEVEL_ARG_METHODS:
        if name == "log" and len(args) == _LOCATION_AWARE_ARITY and receiver.endswith("LocationAwareLogger"):
            # SLF4J LocationAwareLogger.log(marker, fqcn, level, message, args, thrown)
            level = _level_argument(resolver.text(ctx, args[2]))
            message_index = 3
        elif (name == "log" and len(args) == _LOG4J1_FQCN_ARITY and receiver.startswith("org.apache.log4j.")
              and resolver.type_of(ctx, args[0]) == "java.lang.String"):
            # log4j 1's Category.log(callerFQCN, level, message, thrown): wrappers pass their FQCN
            level = _level_argument(resolver.text(ctx, args[1]))
            message_index = 2
        elif len(args) > _LEVEL_ARG_METHODS[name]:
            level = _level_argument(resolver.text(ctx, args[0]))
            message_index = _LEVEL_ARG_METHODS[name]
        else:
            return None  # java.util.logging log(LogRecord): the message was built elsewhere
    else:
        level = _LEVEL_METHODS[name]
        message_index = 0
    if len(args) > message_index + 1 and _is_marker(resolver, ctx, args[message_index]):
        message_index += 1
    style: MessageStyle = "message_format" if jul else "placeholders"
    if receiver in resolver.index.types and _formats_printf(resolver, receiver):
        style = "printf"
    return LogCall(node, level, message_index, style, is_guarded(resolver, ctx, node))


def _static_level_method(resolver: Resolver, type_name: str, method: str) -> bool:
    index = resolver.index
    return type_name in index.types and any(
        "static" in index.table.methods[m].info.modifiers
        for ancestor in index.ancestors(type_name) for m in index.methods_named(ancestor, method))


_PRINTF = re.compile(r"\bString\.format\s*\(|\.printf\s*\(")


def _formats_printf(resolver: Resolver, type_name: str) -> bool:
    """Whether an in-repo logger type formats messages printf-style: its source (or a
    supertype's) calls ``String.format`` or ``printf`` and never formats ``{}`` itself. Read
    once per type."""
    index = resolver.index
    known = index.printf_memo.get(type_name)
    if known is None:
        known = False
        for ancestor in index.ancestors(type_name):
            decl = index.types[ancestor]
            text = decl.parsed.text(decl.node)
            if _PRINTF.search(text) and "{}" not in text:
                known = True
                break
        index.printf_memo[type_name] = known
    return known


def forwards_message(resolver: Resolver, ctx: Context, log: LogCall) -> bool:
    """Logging plumbing handing its caller's message on: ``_logger.warn(msg, args)`` inside
    Jetty's ``Slf4jLog.warn(String msg, Object... args)``, or a java.util.logging ``Handler``
    that re-logs each record it is given.

    Such a call prints whatever the callers pass: it is the plumbing of a facade or a bridge,
    not a log statement, and its template would be a bare ``{}`` that matches every runtime
    line. It stays an ordinary call instead. Only in logger types and logging handlers or
    appenders, and only when the message mentions a parameter of the method (directly or
    through a local computed from one), or is empty and an argument does: a facade logging its
    own failure keeps its statement.
    """
    if ctx.method is None or not _is_logging_plumbing(resolver, ctx.type.info.name):
        return False
    args = log.arguments if log.arguments is not None else arguments(log.node)
    if len(args) <= log.message_index:
        return False
    parameters = {p.name for p in ctx.method.info.parameters}
    message = args[log.message_index]
    # ``warn(Throwable thrown) { _logger.warn("", thrown); }``: no words of its own, it forwards
    stack = list(args) if resolver.text(ctx, message) == '""' else [message]
    seen = 0
    while stack and seen < _MAX_FORWARD_NODES:
        node = stack.pop()
        seen += 1
        if node.type == "identifier":
            name = resolver.text(ctx, node)
            if name in parameters:
                return True
            local = resolver.local_initializer(ctx, name, at=node.start_byte)
            if local is not None and local[0].method is ctx.method:
                stack.append(local[1])  # ``ft = format(msg, args); _logger.log(ft.getMessage())``
        stack.extend(node.named_children)
    return False


_MAX_FORWARD_NODES = 500
_PLUMBING_SUFFIXES = ("Handler", "Appender", "AppenderSkeleton")


def _is_logging_plumbing(resolver: Resolver, type_name: str) -> bool:
    """A logger type, or a subclass of a logging library's handler or appender."""
    index = resolver.index
    if type_name not in index.types:
        return False
    if is_logger_type(resolver, type_name):
        return True
    for ancestor in index.ancestors(type_name):
        info = index.types[ancestor].info
        for sup in (info.superclass, *info.interfaces):
            if sup is None or sup in index.types:
                continue
            simple = simple_name(sup)
            package = sup[: -len(simple)].lower()
            if simple.endswith(_PLUMBING_SUFFIXES) and "log" in package:
                return True
    return False


_LOGGER_NAMES = frozenset({"log", "logger", "LOG", "LOGGER", "Log", "Logger"})


def _inherited_from_library(resolver: Resolver, ctx: Context, obj: Node) -> bool:
    """``LOG`` declared in a library superclass: its type is out of sight, so the name decides.

    Only for an identifier that is no local, parameter or in-repo field, in a type that has a
    supertype outside the repository; everywhere else the declared type decides.
    """
    if obj.type != "identifier" or ctx.type.info.name not in resolver.index.external_ancestor:
        return False
    name = resolver.text(ctx, obj)
    if name not in _LOGGER_NAMES:
        return False
    if ctx.method is not None and name in ctx.method.info.locals:
        return False
    return resolver.variable_type(ctx, name) is None


_FLUENT_LEVELS = {f"at{level.value.capitalize()}": level for level in Level if level is not Level.FATAL}
_FLUENT_IGNORED = frozenset(
    {"addKeyValue", "addMarker", "withMarker", "withLocation", "setMessage", "addArgument",
     "setCause", "withThrowable"}
)


def _fluent_call(resolver: Resolver, ctx: Context, node: Node, obj: Node) -> LogCall | None:
    """SLF4J 2 / log4j 2 fluent logging: ``LOG.atWarn().setCause(e).log("x {}", y)``,
    ``LOG.atInfo().setMessage("x {}").addArgument(y).log()``."""
    message: Node | None = None
    extra: list[Node] = []
    thrown: Node | None = None
    current: Node | None = obj
    while current is not None and current.type == "method_invocation":
        step_node = current.child_by_field_name("name")
        step = resolver.text(ctx, step_node) if step_node is not None else ""
        args = arguments(current)
        receiver = current.child_by_field_name("object")
        if step in _FLUENT_LEVELS:
            logger = resolver.type_of(ctx, receiver) if receiver is not None else None
            if logger is None or not is_logger_type(resolver, logger):
                return None
            own = arguments(node)
            if own:
                gathered = (*own[:1], *extra, *own[1:])
            elif message is not None:
                gathered = (message, *extra)
            else:
                return None  # no message anywhere: nothing a template could say
            return LogCall(node, _FLUENT_LEVELS[step], 0, "placeholders", is_guarded(resolver, ctx, node),
                           arguments=gathered, thrown=thrown)
        if step not in _FLUENT_IGNORED:
            return None
        if step == "setMessage" and args:
            message = args[0]
        elif step == "addArgument" and args:
            extra.insert(0, args[0])  # walking from log() inwards meets them last-first
        elif step in ("setCause", "withThrowable") and args:
            thrown = args[0]
        current = receiver
    return None


def _level_argument(text: str) -> Level:
    """``Level.WARNING`` / ``java.util.logging.Level.FINE`` -> WARN / DEBUG; unknown -> INFO."""
    last = text.strip().rsplit(".", 1)[-1].removesuffix("_INT")  # LocationAwareLogger.WARN_INT
    try:
        return Level.parse(last)
    except ValueError:
        return Level.INFO  # a level held in a variable: INFO is the usual default


def _is_marker(resolver: Resolver, ctx: Context, arg: Node) -> bool:
    arg_type = resolver.type_of(ctx, arg)
    return arg_type is not None and simple_name(arg_type) == "Marker"


def is_guarded(resolver: Resolver, ctx: Context, node: Node) -> bool:
    """True when an enclosing ``if`` tests a level guard and the call is in its then-branch."""
    stop = ctx.method.info.node if ctx.method is not None else None
    child = node
    parent = node.parent
    while parent is not None and parent != stop:
        if parent.type == "if_statement":
            condition = parent.child_by_field_name("condition")
            consequence = parent.child_by_field_name("consequence")
            if (
                condition is not None
                and consequence is not None
                and consequence.start_byte <= child.start_byte < consequence.end_byte
                and _GUARD.search(resolver.text(ctx, condition))
                and not resolver.text(ctx, condition).lstrip("( ").startswith("!")
            ):
                return True
        child = parent
        parent = parent.parent
    return False
