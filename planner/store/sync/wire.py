"""Frames on a byte stream: `KIND LENGTH\n` then LENGTH bytes of zlib-compressed data.

A frame cut short (a dropped connection, a killed process) is never taken for a
whole one: the reader gets `Cut` and the side that reads it writes nothing.
"""

from __future__ import annotations

import json
import zlib
from typing import IO, Any

MAX_HEADER = 64
KINDS = frozenset({b"json", b"chunk"})


class Cut(Exception):
    """The stream ended inside a frame, or held something that is not one."""


def write_frame(stream: IO[bytes], kind: bytes, data: bytes, level: int = 1) -> None:
    packed = zlib.compress(data, level)
    stream.write(kind + b" " + str(len(packed)).encode() + b"\n" + packed)
    stream.flush()


def read_frame(stream: IO[bytes]) -> tuple[bytes, bytes]:
    header = stream.readline(MAX_HEADER)
    kind, _, size = header.rstrip(b"\n").partition(b" ")
    if not header.endswith(b"\n") or kind not in KINDS or not size.isdigit():
        raise Cut(header[:40].decode("utf-8", "replace"))
    packed = stream.read(int(size))
    if len(packed) != int(size):
        raise Cut("the frame ended early")
    try:
        return kind, zlib.decompress(packed)
    except zlib.error as error:
        raise Cut(str(error)) from error


def send(stream: IO[bytes], message: dict[str, Any]) -> None:
    write_frame(stream, b"json", json.dumps(message, ensure_ascii=False, default=str).encode())


def receive(stream: IO[bytes]) -> dict[str, Any]:
    kind, data = read_frame(stream)
    if kind != b"json":
        raise Cut(f"expected a message, got {kind.decode()}")
    message = json.loads(data)
    if not isinstance(message, dict):
        raise Cut("the message is not an object")
    return message
