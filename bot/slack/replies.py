"""Replies through a command's response_url: over kept-alive connections, retried once, and
logged when they are lost."""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

import urllib3
from slack_bolt import Respond
from slack_sdk.proxy_env_variable_loader import load_http_proxy_from_env

RETRY_PAUSE_SECONDS = 1.0
# slack_sdk's WebhookClient's: Slack may take a while to take a reply.
REPLY_TIMEOUT = urllib3.Timeout(connect=5, read=30)

# Bolt's respond() builds a new client, and so a new connection (a TCP and, to Slack, a TLS
# handshake), for every reply: on the /logtask path that was an eighth of a command's time.
# One pool per process (per proxy) keeps a few connections to each response_url host open
# and is shared by the listener threads (urllib3's pools are thread-safe). Retries are ours.
_POOL_OPTIONS: dict[str, Any] = {"num_pools": 4, "maxsize": 8, "retries": False}
_pools: dict[tuple[str | None, int], urllib3.PoolManager] = {}
_pools_lock = threading.Lock()
_HEADERS = {"Content-Type": "application/json;charset=utf-8"}


def deliver(respond: Respond, logger: logging.Logger, **message: Any) -> bool:
    """Send ``message`` to the response_url; True once Slack took it.

    Slack's non-2xx answers come back as a status, not an exception, so a reply to a
    response_url that answered 500 would vanish without a trace. One more try after a short
    pause (a 404 usually means the URL expired, and stays); then a WARNING — without the
    reply, which holds what the member typed.
    """
    if respond.response_url is None:
        logger.warning("reply lost: the request has no response_url")
        return False
    body = json.dumps(_body(message)).encode()
    pool = _pool(respond)
    problem = ""
    for attempt in (1, 2):
        if attempt == 2:
            time.sleep(RETRY_PAUSE_SECONDS)
        try:
            status = post(respond.response_url, body, pool)
        except Exception as e:  # connection refused, reset, timed out
            problem = type(e).__name__
            continue
        if 200 <= status < 300:
            return True
        problem = f"HTTP {status}"
    logger.warning("reply lost: response_url failed twice (%s)", problem)
    return False


def post(url: str, body: bytes, pool: urllib3.PoolManager) -> int:
    """POST ``body`` (JSON) to ``url`` on a pooled connection; the status.

    urllib3 checks a kept-alive connection is still open before it reuses it, so a
    connection the server closed while idle costs a reconnect, not a failed reply.
    """
    return pool.request("POST", url, body=body, headers=_HEADERS, timeout=REPLY_TIMEOUT).status


def _pool(respond: Respond) -> urllib3.PoolManager:
    """The pool for ``respond``'s proxy and TLS settings: as slack_sdk's WebhookClient, Bolt's
    ``proxy``, else HTTPS_PROXY / HTTP_PROXY from the environment."""
    proxy = respond.proxy or load_http_proxy_from_env()
    key = (proxy, id(respond.ssl) if respond.ssl is not None else 0)
    with _pools_lock:
        if key not in _pools:
            options: dict[str, Any] = dict(_POOL_OPTIONS)
            if respond.ssl is not None:
                options["ssl_context"] = respond.ssl
            _pools[key] = (
                urllib3.ProxyManager(proxy, **options) if proxy else urllib3.PoolManager(**options)
            )
        return _pools[key]


def _body(message: dict[str, Any]) -> dict[str, Any]:
    """The JSON Slack takes at a response_url: unset fields left out, blocks as dicts."""
    out = {k: v for k, v in message.items() if v is not None}
    if out.get("blocks"):
        out["blocks"] = [b if isinstance(b, dict) else b.to_dict() for b in out["blocks"]]
    else:  # as Bolt's respond(): no blocks is no "blocks" field
        out.pop("blocks", None)
    return out
