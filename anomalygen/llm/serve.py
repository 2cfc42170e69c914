"""``anomalygen serve-vllm MODEL``: start a vLLM OpenAI-compatible server for the pipeline.

vLLM is never a dependency of the core (it needs a GPU host): the command builds the
``vllm serve`` command line, launches it when ``vllm`` is on PATH, waits until ``/v1/models``
answers, prints the ``--llm ...`` flags to pass to ``anomalygen run``, then keeps serving in the
foreground until Ctrl-C (which stops the server).
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable

from rich.markup import escape

from anomalygen.command import Command, UsageError
from anomalygen.console import emit_json, stderr

STRUCTURED_OUTPUT_BACKENDS = ("xgrammar", "guidance", "auto")


def vllm_command(args: argparse.Namespace) -> list[str]:
    """The ``vllm serve`` argv for these options (no shell involved)."""
    served = args.served_model_name or args.model
    argv = [
        "vllm", "serve", args.model,
        "--host", args.host,
        "--port", str(args.port),
        "--served-model-name", served,
        # vLLM >= 0.10.2 spelling; guided_json and --guided-decoding-backend are gone since 0.12.
        "--structured-outputs-config", json.dumps({"backend": args.structured_output_backend}),
        "--gpu-memory-utilization", f"{args.gpu_memory_utilization:g}",
    ]
    if args.max_model_len is not None:
        argv += ["--max-model-len", str(args.max_model_len)]
    if args.api_key:
        argv += ["--api-key", args.api_key]
    argv += shlex.split(args.extra or "")
    return argv


def base_url(args: argparse.Namespace) -> str:
    host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    return f"http://{host}:{args.port}/v1"


def pipeline_flags(args: argparse.Namespace) -> list[str]:
    """The flags ``anomalygen run`` needs to use this server."""
    return ["--llm", "openai", "--llm-base-url", base_url(args),
            "--llm-model", args.served_model_name or args.model,
            "--llm-structured-output", "json_schema"]


def wait_until_ready(
    url: str, *, timeout: float, alive: Callable[[], bool] = lambda: True, poll: float = 1.0
) -> bool:
    """Poll ``URL/models`` until it answers 200 (True), the process dies or time runs out (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            return False
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=min(5.0, poll * 5)) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError, ValueError):
            pass
        time.sleep(poll)
    return False


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", metavar="MODEL", help="Hugging Face model id or local path")
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default: loopback only)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--served-model-name", default=None, help="name clients use (default: MODEL)")
    parser.add_argument("--gpu-memory-utilization", type=float, default=0.9,
                        help="share of GPU memory vLLM may take (default 0.9)")
    parser.add_argument("--max-model-len", type=int, default=None, help="context length cap")
    parser.add_argument("--structured-output-backend", choices=STRUCTURED_OUTPUT_BACKENDS,
                        default="xgrammar", help="vLLM's structured-output engine (default xgrammar)")
    parser.add_argument("--api-key", default=None, help="require this key from clients")
    parser.add_argument("--extra", default="", help="more vllm serve flags, as one quoted string")
    parser.add_argument("--wait", type=float, default=900.0,
                        help="seconds to wait for the server to answer (default 900: model download)")
    parser.add_argument("--dry-run", action="store_true",
                        help="print the command and settings, launch nothing")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")


def _report(args: argparse.Namespace, argv: list[str], status: str) -> None:
    if args.json:
        emit_json({"status": status, "command": argv, "command_line": shlex.join(argv),
                   "base_url": base_url(args), "llm_flags": pipeline_flags(args)})
        return
    print(shlex.join(argv) if status == "dry-run" else f"vLLM is serving at {base_url(args)}")
    stderr.print(f"use it with: anomalygen run REPO {shlex.join(pipeline_flags(args))}", highlight=False)


def _run(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be between 1 and 65535, got {args.port}")
    if not 0 < args.gpu_memory_utilization <= 1:
        raise UsageError("--gpu-memory-utilization must be in (0, 1]")
    if args.max_model_len is not None and args.max_model_len < 1:
        raise UsageError("--max-model-len must be positive")
    try:
        argv = vllm_command(args)
    except ValueError as exc:
        raise UsageError(f"--extra: {exc}") from exc
    if args.dry_run:
        _report(args, argv, "dry-run")
        return 0
    executable = shutil.which("vllm")
    if executable is None:
        # Escaped: the CLI prints UsageError messages as Rich markup, which would eat "[vllm]".
        raise UsageError("vllm is not installed here: on a GPU host run "
                         + escape("`pip install 'anomalygen[vllm]'`")
                         + ", or use --dry-run to see the command")
    stderr.print(f"starting: {shlex.join(argv)}", highlight=False)
    process = subprocess.Popen([executable, *argv[1:]])
    try:
        if not wait_until_ready(base_url(args), timeout=args.wait, alive=lambda: process.poll() is None):
            code = process.poll()
            reason = f"exited with status {code}" if code is not None else f"did not answer in {args.wait:g}s"
            stderr.print(f"[bold red]error:[/] vLLM {reason}")
            return 1
        _report(args, argv, "serving")
        return process.wait()
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


SERVE_VLLM = Command(
    name="serve-vllm",
    summary="start a vLLM OpenAI-compatible server and print the --llm flags to use it",
    configure=_configure,
    run=_run,
    description=__doc__ or "",
)
