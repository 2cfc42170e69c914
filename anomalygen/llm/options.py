"""The ``--llm*`` command-line flags, shared by every command that may call an LLM.

``add_llm_arguments(parser)`` adds them; ``backend_from_args(args)`` builds the backend, turning
bad settings into a ``UsageError`` (one clear line, exit 2).
"""

from __future__ import annotations

import argparse
import os

from anomalygen.command import UsageError
from anomalygen.llm.base import LLMBackend
from anomalygen.llm.factory import BACKENDS, make_backend
from anomalygen.llm.openai_backend import DEFAULT_BASE_URL, DIALECTS


def add_llm_arguments(parser: argparse.ArgumentParser, *, default: str = "none") -> None:
    group = parser.add_argument_group(
        "LLM", "which model verifies paths: none (symbolic only), mock (offline, deterministic), "
               "openai (any OpenAI-compatible server: vLLM, llama.cpp, Ollama)")
    group.add_argument("--llm", choices=sorted(BACKENDS), default=default,
                       help=f"LLM backend (default: {default})")
    group.add_argument("--llm-base-url", default=os.environ.get("ANOMALYGEN_LLM_BASE_URL", DEFAULT_BASE_URL),
                       help="server URL ending in /v1 (env ANOMALYGEN_LLM_BASE_URL; default %(default)s)")
    group.add_argument("--llm-model", default=os.environ.get("ANOMALYGEN_LLM_MODEL"),
                       help="served model name (default: the first model the server lists)")
    group.add_argument("--llm-api-key", default=None,
                       help="API key (default: env ANOMALYGEN_LLM_API_KEY or OPENAI_API_KEY, else none)")
    group.add_argument("--llm-structured-output", choices=DIALECTS, default="json_schema",
                       help="how the answer schema is sent: json_schema (vLLM/OpenAI), structured_outputs "
                            "(vLLM extra_body), json_object (llama.cpp), none (prompt only)")
    group.add_argument("--llm-timeout", type=float, default=60.0, help="seconds per request (default 60)")
    group.add_argument("--llm-retries", type=int, default=3,
                       help="retries after a failed or invalid answer, with exponential backoff (default 3)")
    group.add_argument("--llm-max-tokens", type=int, default=512, help="answer length limit (default 512)")
    group.add_argument("--llm-temperature", type=float, default=0.0, help="sampling temperature (default 0)")
    group.add_argument("--llm-concurrency", type=int, default=4,
                       help="requests in flight at once; vLLM batches them (default 4)")
    group.add_argument("--llm-cache", default=None, metavar="DIR",
                       help="response cache directory (default: chosen by the command, e.g. OUT/.llm-cache)")


def backend_from_args(args: argparse.Namespace, *, cache_dir: str | None = None) -> LLMBackend:
    """The backend the ``--llm*`` flags describe; ``cache_dir`` is used when ``--llm-cache`` is unset."""
    name: str = args.llm
    if getattr(args, "llm_concurrency", 1) < 1:
        raise UsageError("--llm-concurrency must be at least 1")
    options: dict[str, object] = {}
    if name == "openai":
        options = {
            "base_url": args.llm_base_url,
            "model": args.llm_model,
            "api_key": args.llm_api_key or os.environ.get("ANOMALYGEN_LLM_API_KEY")
            or os.environ.get("OPENAI_API_KEY"),
            "structured_output": args.llm_structured_output,
            "timeout": args.llm_timeout,
            "max_retries": args.llm_retries,
            "max_tokens": args.llm_max_tokens,
            "temperature": args.llm_temperature,
            "cache_dir": args.llm_cache or cache_dir,
        }
        if not str(args.llm_base_url).startswith(("http://", "https://")):
            raise UsageError(f"--llm-base-url must be an http(s) URL, got {args.llm_base_url!r}")
    try:
        return make_backend(name, **options)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
