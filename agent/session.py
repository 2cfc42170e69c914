"""One conversation with the agent: ask, stream the answer, approve, cancel, count tokens.

The same object serves ``ask`` (headless), ``chat`` (Rich) and the TUI (a worker thread). A turn
ends ``answered``, ``cancelled`` (Ctrl-C/Esc: the step stops, the conversation stays usable),
``failed`` (the model server failed: the message says so, slash commands still work) or
``gave-up`` (the model's tool calls failed twice). Whatever happened, the conversation is left in
a state the next question can continue from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from langgraph.types import Command

from anomalygen.agent.backends import ModelUnavailableError
from anomalygen.agent.graph import GAVE_UP, build_graph
from anomalygen.agent.store import ConversationStore
from anomalygen.agent.workspace import StepCancelledError, Workspace

Approver = Callable[[dict[str, Any]], bool]
USAGE_KEYS = ("input_tokens", "output_tokens", "total_tokens", "calls", "estimated_calls")


@dataclass(slots=True)
class TurnResult:
    answer: str
    status: str
    """answered, cancelled, failed or gave-up."""
    conversation: str
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    usage: dict[str, int] = field(default_factory=dict)
    """Tokens of this turn."""
    total: dict[str, int] = field(default_factory=dict)
    """Tokens of the whole conversation so far."""
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "status": self.status,
            "tool_calls": self.tool_calls,
            "usage": {"turn": self.usage, "conversation": self.total},
            "conversation": self.conversation,
            "error": self.error or None,
        }


def _server_error(exc: BaseException) -> str | None:
    """A one-line reason when ``exc`` (or what caused it) says the model server failed, else None."""
    if isinstance(exc, ModelUnavailableError):
        return str(exc)
    seen: BaseException | None = exc
    while seen is not None:
        module = type(seen).__module__
        if module.startswith(("openai", "langchain_openai", "httpx", "httpcore")) or isinstance(
            seen, ConnectionError | TimeoutError
        ):
            reason = f"{type(exc).__name__}: {str(exc)[:200]}"
            return f"the model server failed ({reason}); slash commands still work (/help)"
        seen = seen.__cause__ or seen.__context__
    return None


class AgentSession:
    def __init__(
        self,
        ws: Workspace,
        model: BaseChatModel | None,
        store: ConversationStore,
        conversation: str | None = None,
        approve: Approver | None = None,
        on_token: Callable[[str], None] | None = None,
    ) -> None:
        self.ws, self.model, self.store = ws, model, store
        self.conversation = conversation or store.new(str(ws.repo))
        self.approve: Approver = approve or (lambda _request: ws.approve_all)
        self.on_token = on_token
        self.graph = build_graph(model, ws, store.checkpointer) if model is not None else None
        self._calls: list[dict[str, Any]] = []

    @property
    def config(self) -> dict[str, Any]:
        return {"configurable": {"thread_id": self.conversation}, "recursion_limit": 40}

    def usage(self) -> dict[str, int]:
        if self.graph is None:
            return {}
        values = self.graph.get_state(self.config).values  # type: ignore[arg-type]
        return dict(values.get("usage", {}))

    def messages(self) -> list[Any]:
        if self.graph is None:
            return []
        return list(self.graph.get_state(self.config).values.get("messages", []))  # type: ignore[arg-type]

    def _record(self, kind: str, fields: dict[str, Any]) -> None:
        if kind == "tool-call":
            self._calls.append({"name": fields["name"], "arguments": fields["arguments"], "result": ""})
        elif kind == "tool-result" and self._calls:
            self._calls[-1]["result"] = (fields.get("error") and f"error: {fields['error']}") or fields.get(
                "short", ""
            )

    def _repair(self) -> None:
        """Answer tool calls left without results (a cancelled or failed step) so the model can go on."""
        assert self.graph is not None
        messages = self.messages()
        answered = {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
        missing = [
            ToolMessage(
                "cancelled before it ran", tool_call_id=str(c["id"]), name=c["name"], status="error"
            )
            for m in messages
            if isinstance(m, AIMessage)
            for c in m.tool_calls
            if c["id"] not in answered
        ]
        if missing:
            self.graph.update_state(self.config, {"messages": missing}, as_node="tools")  # type: ignore[arg-type]

    def ask(self, question: str) -> TurnResult:
        if self.graph is None:
            return TurnResult(
                "",
                "failed",
                self.conversation,
                error="no model (--llm none): use slash commands, /help lists them",
            )
        before = self.usage()
        self._calls = []
        forward = self.ws.on_event

        def on_event(kind: str, fields: dict[str, Any]) -> None:
            self._record(kind, fields)
            if forward is not None:
                forward(kind, fields)

        self.ws.on_event = on_event
        self.ws.cancel.clear()
        status, error = "answered", ""
        try:
            self._repair()
            payload: Any = {"messages": [HumanMessage(question)]}
            while True:
                self._stream(payload)
                pending = self.graph.get_state(self.config).interrupts  # type: ignore[arg-type]
                if not pending:
                    break
                payload = Command(resume={"approved": bool(self.approve(dict(pending[0].value)))})
        except (StepCancelledError, KeyboardInterrupt):
            status = "cancelled"
        except Exception as exc:
            reason = _server_error(exc)
            if reason is None:
                raise
            status, error = "failed", reason
        finally:
            self.ws.on_event = forward
        if status != "answered":
            self._repair()
        last = next((m for m in reversed(self.messages()) if isinstance(m, AIMessage)), None)
        answer = str(last.content) if last is not None and status == "answered" else ""
        if last is not None and last.name == GAVE_UP and status == "answered":
            status, error = "gave-up", answer
        total = self.usage()
        turn = {k: total.get(k, 0) - before.get(k, 0) for k in USAGE_KEYS}
        self.store.record_turn(self.conversation, question, turn["total_tokens"])
        return TurnResult(
            answer,
            status,
            self.conversation,
            list(self._calls),
            turn,
            {k: total.get(k, 0) for k in USAGE_KEYS},
            error,
        )

    def _stream(self, payload: Any) -> None:
        assert self.graph is not None
        stream: Any = self.graph.stream
        for mode, chunk in stream(payload, self.config, stream_mode=["messages", "updates"]):
            self.ws.check_cancelled()
            if mode != "messages" or self.on_token is None:
                continue
            message, meta = chunk
            if (
                meta.get("langgraph_node") == "model"
                and isinstance(message, AIMessageChunk)
                and message.content
            ):
                self.on_token(str(message.content))
