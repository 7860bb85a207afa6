"""Load generators: wrk when it is installed (apt-get install wrk), else Python threads.

Both keep one connection per client open (as Slack's proxies do) and send signed /logtask
commands; each run also measures the generator alone against a trivial endpoint
(``/healthz``), so a rate near that ceiling says the generator, not the server, was the limit.
"""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.common import Load, command_form, percentile, signed_headers

WRK = shutil.which("wrk")
# wrk's clients cycle through this many distinct commands, each with its own response_url.
WRK_DISTINCT = 512


def wrk(
    base: str,
    concurrency: int,
    seconds: float,
    body: Callable[[int], tuple[str, str, str]] | None = None,
) -> Load:
    """wrk for ``seconds`` at ``concurrency`` connections: POST the ``body(i)`` commands
    (text, user, response_url), signed when the run starts; without ``body``, GET /healthz."""
    assert WRK is not None
    args = [WRK, "-t2", f"-c{concurrency}", f"-d{seconds:.0f}s", "--latency", "--timeout", "10s"]
    if body is not None:
        script = Path(tempfile.mkdtemp()) / "commands.lua"
        script.write_text(_lua(body))
        args += ["-s", str(script), base + "/slack/events"]
    else:
        args.append(base + "/healthz")
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return _parse_wrk(out)


def _lua(body: Callable[[int], tuple[str, str, str]]) -> str:
    ts = int(time.time())  # valid for Slack's 5-minute window: a run is far shorter
    rows = []
    for i in range(WRK_DISTINCT):
        form = command_form(*body(i), n=i).decode()
        h = signed_headers(form.encode(), ts)
        rows.append(f'{{b=[==[{form}]==], s="{h["X-Slack-Signature"]}"}}')
    return (
        "local reqs = {" + ",\n".join(rows) + "}\n"
        f'local ts = "{ts}"\n'
        "local i = 0\n"
        "function request()\n"
        "  i = i + 1\n"
        "  local r = reqs[(i % #reqs) + 1]\n"
        '  return wrk.format("POST", nil, {["Content-Type"] = '
        '"application/x-www-form-urlencoded", ["X-Slack-Request-Timestamp"] = ts, '
        '["X-Slack-Signature"] = r.s}, r.b)\n'
        "end\n"
    )


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text)
    assert m, text
    return float(m[1]) * _UNITS[m[2]]


def _parse_wrk(out: str) -> Load:
    pct = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.M))
    done = re.search(r"(\d+) requests in ([0-9.]+)(us|ms|s|m)", out)
    if not done or not pct:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Load(
        requests=int(done[1]),
        seconds=_ms(done[2] + done[3]) / 1000,
        p50_ms=_ms(pct["50"]),
        p99_ms=_ms(pct["99"]),
        errors=errors + (int(non2xx[1]) if non2xx else 0),
        tool="wrk",
    )


def python_load(
    base: str,
    concurrency: int,
    requests: int,
    body: Callable[[int], tuple[str, str, str]] | None = None,
) -> Load:
    """``requests`` in all from ``concurrency`` threads, each on one kept-alive connection:
    the ``body(i)`` commands, signed as they are sent; without ``body``, GET /healthz."""
    acks, _, errors, seconds = _drive(base, concurrency, requests, body, None)
    return _load(acks, errors, seconds)


@dataclass
class Paced:
    """A reply-paced load: each client's next command waits for the last one's reply."""

    acks: Load
    delivered: int
    reply_p50_ms: float
    reply_p99_ms: float

    @property
    def rate(self) -> float:
        """Commands saved and replied to a second."""
        return self.delivered / self.acks.seconds


def paced_load(
    base: str,
    concurrency: int,
    requests: int,
    body: Callable[[int], tuple[str, str, str]],
    replied: Callable[[str, float], bool],
) -> Paced:
    """``requests`` commands from ``concurrency`` clients, each command in flight until its
    reply reaches its response_url (``replied(url, timeout)``): every command is a saved
    entry and a delivered reply, or counted as lost. The ack and the reply are timed from
    the moment the command was sent."""
    acks, replies, errors, seconds = _drive(base, concurrency, requests, body, replied)
    return Paced(
        _load(acks, errors, seconds),
        len(replies),
        percentile(replies, 50) if replies else float("nan"),
        percentile(replies, 99) if replies else float("nan"),
    )


def _drive(
    base: str,
    concurrency: int,
    requests: int,
    body: Callable[[int], tuple[str, str, str]] | None,
    replied: Callable[[str, float], bool] | None,
) -> tuple[list[float], list[float], int, float]:
    """The clients of both loads: ack times, reply times (with ``replied``: each command
    waits for its reply), errors and seconds. The clock starts once a command is signed."""
    host, port = base.removeprefix("http://").split(":")
    acks: list[float] = []
    replies: list[float] = []
    errors = [0]
    counter = iter(range(requests))
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        my_acks: list[float] = []
        my_replies: list[float] = []
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            url = None
            if body is None:
                started = time.perf_counter()
                conn.request("GET", "/healthz")
            else:
                text, user, url = body(i)
                form = command_form(text, user, url, n=i)
                started = time.perf_counter()
                conn.request("POST", "/slack/events", form, signed_headers(form))
            r = conn.getresponse()
            r.read()
            my_acks.append((time.perf_counter() - started) * 1000)
            if r.status != 200:
                errors[0] += 1
            elif replied is not None and url is not None:
                if replied(url, 30):
                    my_replies.append((time.perf_counter() - started) * 1000)
                else:
                    errors[0] += 1
        conn.close()
        with lock:
            acks.extend(my_acks)
            replies.extend(my_replies)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return acks, replies, errors[0], time.perf_counter() - started


def _load(acks: list[float], errors: int, seconds: float) -> Load:
    return Load(len(acks), seconds, percentile(acks, 50), percentile(acks, 99), errors, "python")
