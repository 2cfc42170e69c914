"""The agent as a LangGraph StateGraph: a tool-calling model node and a tool node, in a loop.

model -> (tool calls?) -> tools -> model ... -> answer. Tools that take long or write files ask
first through ``interrupt`` (resumed with ``{"approved": bool}``); every approval is asked before
any tool of the step runs, because a resumed node runs again from its start. A tool call that fails
(unknown tool, bad arguments, a tool error) goes back to the model once as an error result; a second
failure in a row ends the turn with the error, so a confused model cannot loop.
"""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, SystemMessage, ToolMessage
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import interrupt

from anomalygen.agent.prompts import system_prompt
from anomalygen.agent.state import AgentState
from anomalygen.agent.tools import TOOLS, run_call
from anomalygen.agent.workspace import ToolError, Workspace

GAVE_UP = "anomalygen-gave-up"
"""``AIMessage.name`` of the answer written when the model's tool calls failed twice."""


def usage_of(message: AIMessage, prompt: list[Any]) -> dict[str, int]:
    """The call's token counts; estimated (words and punctuation) when the server reports none, as
    llama.cpp's streaming answers do, and counted in ``estimated_calls``."""
    meta: dict[str, Any] = dict(message.usage_metadata or {})
    usage = {
        "input_tokens": int(meta.get("input_tokens", 0)),
        "output_tokens": int(meta.get("output_tokens", 0)),
        "total_tokens": int(meta.get("total_tokens", 0)),
        "calls": 1,
        "estimated_calls": 0,
    }
    if usage["total_tokens"] == 0:
        from anomalygen.agent.backends.mock import count_tokens

        usage["input_tokens"] = sum(count_tokens(str(m.content)) for m in prompt)
        usage["output_tokens"] = count_tokens(str(message.content)) + sum(
            count_tokens(str(c["args"])) for c in message.tool_calls
        )
        usage["total_tokens"] = usage["input_tokens"] + usage["output_tokens"]
        usage["estimated_calls"] = 1
    return usage


def build_graph(
    model: BaseChatModel, ws: Workspace, checkpointer: BaseCheckpointSaver[Any] | None = None
) -> CompiledStateGraph[Any, Any, Any, Any]:
    bound = model.bind_tools([spec.schema() for spec in TOOLS.values()])
    system = SystemMessage(system_prompt(str(ws.repo), [str(p) for p in ws.logs]))

    def call_model(state: AgentState) -> dict[str, Any]:
        prompt = [system, *state["messages"]]
        response = bound.invoke(prompt)
        if not isinstance(response, AIMessage):
            response = AIMessage(content=str(response.content))
        return {"messages": [response], "usage": usage_of(response, prompt)}

    def call_tools(state: AgentState) -> dict[str, Any]:
        last = state["messages"][-1]
        calls = last.tool_calls if isinstance(last, AIMessage) else []
        declined: set[str] = set()
        for call in calls:
            spec = TOOLS.get(call["name"])
            if spec is not None and spec.approval and not ws.approve_all:
                answer = interrupt({"tool": call["name"], "arguments": call["args"], "why": spec.approval})
                if not (isinstance(answer, dict) and answer.get("approved")):
                    declined.add(str(call["id"]))
        results: list[ToolMessage] = []
        errors: list[str] = []
        for call in calls:
            call_id = str(call["id"])
            if call_id in declined:
                results.append(
                    ToolMessage(
                        "the user declined to run this",
                        tool_call_id=call_id,
                        name=call["name"],
                        status="error",
                    )
                )
                continue
            ws.emit("tool-call", {"name": call["name"], "arguments": call["args"], "id": call_id})
            try:
                result = run_call(ws, call["name"], call["args"])
            except ToolError as exc:
                errors.append(f"{call['name']}: {exc}")
                ws.emit("tool-result", {"name": call["name"], "id": call_id, "error": str(exc), "data": {}})
                results.append(
                    ToolMessage(f"error: {exc}", tool_call_id=call_id, name=call["name"], status="error")
                )
                continue
            ws.emit(
                "tool-result",
                {
                    "name": call["name"],
                    "id": call_id,
                    "short": result.short,
                    "text": result.text,
                    "data": result.data,
                },
            )
            results.append(ToolMessage(result.text, tool_call_id=call_id, name=call["name"]))
        failed = state.get("failed_calls", 0) + 1 if errors else 0
        update: dict[str, Any] = {"messages": results, "failed_calls": failed}
        if failed >= 2:
            update["messages"] = [
                *results,
                AIMessage(
                    content="I stopped: the model's tool calls failed twice in a row. Last error: "
                    + errors[-1],
                    name=GAVE_UP,
                ),
            ]
        return update

    def after_model(state: AgentState) -> Literal["tools", "__end__"]:
        last = state["messages"][-1]
        return "tools" if isinstance(last, AIMessage) and last.tool_calls else "__end__"

    def after_tools(state: AgentState) -> Literal["model", "__end__"]:
        last = state["messages"][-1]
        return "__end__" if isinstance(last, AIMessage) and last.name == GAVE_UP else "model"

    graph = StateGraph(AgentState)
    graph.add_node("model", call_model)
    graph.add_node("tools", call_tools)
    graph.add_edge(START, "model")
    graph.add_conditional_edges("model", after_model, {"tools": "tools", "__end__": END})
    graph.add_conditional_edges("tools", after_tools, {"model": "model", "__end__": END})
    return graph.compile(checkpointer=checkpointer)
