"""Chat models for the agent: ``openai`` (any OpenAI-compatible server), ``mock`` (scripted, offline)
and ``none`` (no model: slash commands only)."""

from __future__ import annotations

from anomalygen.agent.backends.factory import ModelUnavailableError, chat_model, describe_model

__all__ = ["ModelUnavailableError", "chat_model", "describe_model"]
