"""``chat_model(name, options)``: the LangChain chat model behind ``--llm none|mock|openai``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from langchain_core.language_models import BaseChatModel


class ModelUnavailableError(Exception):
    """No model to talk to (``--llm none``, or the server cannot be reached): slash commands still work."""


def chat_model(name: str, options: dict[str, Any] | None = None) -> BaseChatModel | None:
    """The chat model, None for ``none``. ``mock`` takes ``script`` (a JSON file of turns)."""
    options = dict(options or {})
    if name == "none":
        return None
    if name == "mock":
        from anomalygen.agent.backends.mock import ScriptedChatModel

        script = options.get("script")
        turns = json.loads(Path(script).read_text(encoding="utf-8")) if script else None
        if turns is not None and not (isinstance(turns, list) and all(isinstance(t, list) for t in turns)):
            raise ValueError("a mock script is a JSON list of turns, each a list of steps")
        return ScriptedChatModel(script=turns)
    if name == "openai":
        from langchain_openai import ChatOpenAI
        from pydantic import SecretStr

        base_url = str(options.get("base_url"))
        model = options.get("model") or _first_model(base_url, options)
        return ChatOpenAI(
            model=model,
            base_url=base_url,
            api_key=SecretStr(options.get("api_key") or "none"),
            timeout=float(options.get("timeout", 60.0)),
            max_retries=int(options.get("max_retries", 1)),
            temperature=float(options.get("temperature", 0.0)),
            stream_usage=True,
            extra_body={"max_tokens": int(options.get("max_tokens", 512))},
        )
    raise ValueError(f"unknown model backend {name!r}: use none, mock or openai")


def _first_model(base_url: str, options: dict[str, Any]) -> str:
    import openai

    client = openai.OpenAI(
        base_url=base_url,
        api_key=options.get("api_key") or "none",
        timeout=min(float(options.get("timeout", 60.0)), 10.0),
        max_retries=0,
    )
    try:
        models = client.models.list()
    except openai.OpenAIError as exc:
        raise ModelUnavailableError(
            f"model server {base_url} is unreachable ({type(exc).__name__}); "
            "slash commands still work (/help)"
        ) from None
    first = next(iter(models), None)
    if first is None:
        raise ModelUnavailableError(f"model server {base_url} serves no model")
    return str(first.id)


def describe_model(model: BaseChatModel | None) -> str:
    if model is None:
        return "none (slash commands only)"
    return str(getattr(model, "model_name", None) or getattr(model, "model", None) or type(model).__name__)
