"""Talking to a remote SPARQL endpoint: credentials from the environment, retries, one-line errors.

``kg query --endpoint`` and ``kg push`` reach only the URL the user names. Credentials are read from the
environment, never from the command line (where other users of the machine and shell histories would see them):
``KG_ENDPOINT_TOKEN`` for a bearer token, else ``KG_ENDPOINT_USER`` and ``KG_ENDPOINT_PASSWORD`` for basic
auth. Transient failures (a refused connection, 429, 502, 503, 504) are retried a few times with a
growing pause; anything else is an :class:`~kg.errors.EndpointError` of one line.
"""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from kg._util import excerpt
from kg.errors import EndpointError, UsageError

if TYPE_CHECKING:
    import httpx

__all__ = ["TOKEN_ENV", "USER_ENV", "PASSWORD_ENV", "RETRIES", "auth_headers", "check_url", "request"]

TOKEN_ENV = "KG_ENDPOINT_TOKEN"
USER_ENV = "KG_ENDPOINT_USER"
PASSWORD_ENV = "KG_ENDPOINT_PASSWORD"
#: how many times a transient failure is retried (pauses of 0.5, 1, 2, 4 s)
RETRIES = 4
_TRANSIENT = {429, 502, 503, 504}


def auth_headers(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The ``Authorization`` header the environment asks for: bearer, basic, or none."""
    env = os.environ if environ is None else environ
    token = env.get(TOKEN_ENV, "").strip()
    if token:
        return {"Authorization": f"Bearer {token}"}
    user = env.get(USER_ENV, "")
    if user:
        pair = f"{user}:{env.get(PASSWORD_ENV, '')}".encode()
        return {"Authorization": f"Basic {base64.b64encode(pair).decode('ascii')}"}
    return {}


def check_url(url: str) -> str:
    """``url`` when it is an http(s) URL with a host; UsageError otherwise (before any request)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"an endpoint is an http:// or https:// URL, got '{excerpt(url, 80)}'")
    return url


def _client() -> httpx.Client:
    try:
        import httpx
    except ImportError:  # pragma: no cover - the serve extra brings it
        raise UsageError("talking to an endpoint needs httpx: pip install 'kg[serve]'") from None
    return httpx.Client(follow_redirects=False, trust_env=False)


def request(method: str, url: str, *, what: str, timeout: float | None = 60.0, retries: int = RETRIES,
            **kwargs: object) -> httpx.Response:
    """Send one request, retrying transient failures; the response when it succeeds (2xx), else EndpointError.

    ``what`` says in messages what the request was for (``query``, ``push of doc/x``); the auth headers of the
    environment are added to ``headers``.
    """
    import httpx

    check_url(url)
    headers = {**auth_headers(), **dict(kwargs.pop("headers", None) or {})}  # type: ignore[call-overload]
    problem = ""
    with _client() as client:
        for attempt in range(retries + 1):
            if attempt:
                time.sleep(0.5 * 2 ** (attempt - 1))
            try:
                response = client.request(method, url, headers=headers, timeout=timeout, **kwargs)  # type: ignore[arg-type]
            except httpx.TimeoutException:  # not retried: the same request would take as long again
                problem = f"no answer within {timeout:g} s" if timeout else "timed out"
                break
            except httpx.TransportError as err:
                problem = f"cannot reach it ({excerpt(err, 80) or type(err).__name__})"
                continue
            if response.is_success:
                return response
            problem = f"HTTP {response.status_code}: {excerpt(' '.join(response.text.split()), 160)}"
            if response.status_code not in _TRANSIENT:
                break
    raise EndpointError(f"{what}: the endpoint {excerpt(url, 80)} failed: {problem}")
