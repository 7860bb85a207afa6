"""The listening sockets of `handoff run --http --workers N` (bot.server.bind)."""

from __future__ import annotations

import select
import socket
import sys

import pytest

from bot.server import bind


@pytest.mark.skipif(sys.platform != "linux", reason="the kernel spreads connections on Linux")
def test_each_worker_has_a_socket_of_its_own_and_connections_are_spread_over_them():
    socks = bind("127.0.0.1", 0, workers=2)
    try:
        assert len({id(s) for s in socks}) == 2
        port = socks[0].getsockname()[1]
        assert socks[1].getsockname()[1] == port
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(32)]
        accepted = [0, 0]
        while sum(accepted) < len(clients):
            ready, _, _ = select.select(socks, [], [], 5)
            assert ready, f"only {sum(accepted)} of {len(clients)} connections arrived"
            for s in ready:
                s.accept()[0].close()
                accepted[socks.index(s)] += 1
        # Kept-alive clients stay where they land: none may land all on one worker. (All 32 on
        # one of two evenly hashed sockets would be a 1-in-2 billion chance.)
        assert min(accepted) > 0, accepted
        for c in clients:
            c.close()
    finally:
        for s in socks:
            s.close()


def test_one_worker_has_one_socket():
    (sock,) = bind("127.0.0.1", 0, workers=1)
    sock.close()
