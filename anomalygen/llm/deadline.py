"""An HTTP transport whose timeout bounds a whole request, not each wait between two bytes.

httpx2 (the ``openai`` client's HTTP library) applies its timeout to every socket operation: a server that
sends one byte every two seconds never trips a three-second timeout and holds a request for as
long as it likes. ``DeadlineTransport`` gives each request a deadline when it is sent; every
connect, write and read of that request, the body included, waits at most for what is left of
it, and fails with httpx2's own timeout errors (``openai.APITimeoutError`` to the client) once it
has passed.
"""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

import httpcore2
import httpx2

__all__ = ["DeadlineTransport", "deadline_client"]


class _Deadline(threading.local):
    """The deadline (``time.monotonic()``) of the request this thread is sending or reading."""

    at: float | None = None


_current = _Deadline()


def _left(timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout`` cut to what is left of the current request's deadline; ``error`` once it has passed."""
    at = _current.at
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise error("the whole request took longer than its timeout")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore2.NetworkStream):
    """A connection whose every wait ends at the current request's deadline."""

    def __init__(self, inner: httpcore2.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _left(timeout, httpcore2.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _left(timeout, httpcore2.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore2.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, _left(timeout, httpcore2.ConnectTimeout))
        return _DeadlineStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore2.NetworkBackend):
    """Opens connections as ``inner`` does, wrapped in ``_DeadlineStream``."""

    def __init__(self, inner: httpcore2.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore2.NetworkStream:
        stream = self._inner.connect_tcp(host, port, _left(timeout, httpcore2.ConnectTimeout), local_address,
                                         socket_options)
        return _DeadlineStream(stream)

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore2.NetworkStream:
        left = _left(timeout, httpcore2.ConnectTimeout)
        stream = self._inner.connect_unix_socket(path, left, socket_options)
        return _DeadlineStream(stream)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _DeadlineBody(httpx2.SyncByteStream):
    """A response body read under its own request's deadline (another request may have run since)."""

    def __init__(self, inner: httpx2.SyncByteStream, at: float) -> None:
        self._inner, self._at = inner, at

    def __iter__(self) -> Iterator[bytes]:
        chunks = iter(self._inner)
        while True:
            _current.at = self._at
            try:
                chunk = next(chunks)
            except StopIteration:
                return
            finally:
                _current.at = None
            yield chunk

    def close(self) -> None:
        self._inner.close()


class DeadlineTransport(httpx2.HTTPTransport):
    """``httpx2.HTTPTransport`` where each request, body included, ends within ``total`` seconds."""

    def __init__(self, total: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.total = total
        # httpx2 builds its httpcore2 pool without a way to pass a network backend: wrap the one it made
        # (tests/badinput/test_hostile_llm.py fails if a new httpx2 moves it).
        pool = self._pool
        pool._network_backend = _DeadlineBackend(pool._network_backend)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        at = time.monotonic() + self.total
        _current.at = at
        try:
            response = super().handle_request(request)
        finally:
            _current.at = None
        assert isinstance(response.stream, httpx2.SyncByteStream)
        response.stream = _DeadlineBody(response.stream, at)
        return response


def _environment_proxy(url: str) -> str | None:
    """The proxy the environment (``https_proxy``, ``no_proxy``...) names for ``url``, as httpx2 would use."""
    parts = urlsplit(url)
    if parts.hostname is None or urllib.request.proxy_bypass(parts.hostname):
        return None
    return urllib.request.getproxies_environment().get(parts.scheme)


def deadline_client(base_url: str, timeout: float) -> httpx2.Client:
    """An ``httpx2.Client`` for ``base_url`` whose requests each end within ``timeout`` seconds.

    Settings as the ``openai`` client's default one (redirects followed, its connection limits) and
    the environment's proxy, which httpx2 would drop once a transport is given.
    """
    limits = httpx2.Limits(max_connections=1000, max_keepalive_connections=100)
    transport = DeadlineTransport(timeout, limits=limits, proxy=_environment_proxy(base_url))
    return httpx2.Client(transport=transport, timeout=timeout, follow_redirects=True)
