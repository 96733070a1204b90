"""Messages between the API and its query workers: length-prefixed JSON, optionally a body."""

from __future__ import annotations

import json
import socket
import struct
import time
from typing import Any

HEADER = struct.Struct("!I")
#: largest JSON part of one message (a query is at most ``sparql_max_chars`` characters)
MAX_MESSAGE_BYTES = 64 * 1024 * 1024


class WireClosedError(EOFError):
    """The other side closed the socket (or died) before a whole message arrived."""


def send_message(
    sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None
) -> None:
    """Send one JSON message, with file descriptors attached to its first byte."""
    data = json.dumps(message).encode("utf-8")
    frame = HEADER.pack(len(data)) + data
    if fds:
        sent = socket.send_fds(sock, [frame], fds)
        frame = frame[sent:]
    sock.sendall(frame)


def recv_message(
    sock: socket.socket, deadline: float | None = None, with_fds: bool = False
) -> tuple[dict[str, Any], list[int]]:
    """Receive one JSON message and the file descriptors that came with it.

    Raises
    ------
    WireClosedError
        The peer closed the socket first.
    TimeoutError
        ``deadline`` (a ``time.monotonic()`` value) passed first.
    """
    fds: list[int] = []
    if with_fds:
        _wait(sock, deadline)
        data, fds, _, _ = socket.recv_fds(sock, 65536, 4)
        if not data:
            raise WireClosedError("the peer closed the connection")
        buffer = bytearray(data)
    else:
        buffer = bytearray()
    buffer += recv_exactly(sock, max(0, HEADER.size - len(buffer)), deadline)
    (length,) = HEADER.unpack(bytes(buffer[: HEADER.size]))
    if length > MAX_MESSAGE_BYTES:
        raise WireClosedError(f"a message of {length} bytes is over the limit")
    body = bytes(buffer[HEADER.size :])
    body += recv_exactly(sock, length - len(body), deadline)
    return json.loads(body.decode("utf-8")), fds


def recv_exactly(sock: socket.socket, size: int, deadline: float | None = None) -> bytes:
    """Read exactly ``size`` bytes (see :func:`recv_message` for the errors)."""
    chunks = []
    while size > 0:
        _wait(sock, deadline)
        chunk = sock.recv(min(size, 1 << 20))
        if not chunk:
            raise WireClosedError("the peer closed the connection")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _wait(sock: socket.socket, deadline: float | None) -> None:
    if deadline is None:
        sock.settimeout(None)
        return
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError("deadline passed")
    sock.settimeout(remaining)
