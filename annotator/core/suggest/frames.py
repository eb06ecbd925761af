"""How the window and the retrain process (``batch``) talk through its pipes: length-prefixed JSON frames, and an
answer's long list sent in parts the window's thread decodes a few at a time (:class:`Parts`).

Plain data both ways (orjson; never pickle). A short or undecodable frame is ``EOFError``: the process ended or
answered nonsense, and the window starts it again.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import IO, Any

import orjson

HEADER = struct.Struct("!Q")


def send(stream: IO[bytes], obj: Any) -> None:
    data = orjson.dumps(obj)
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def frame(stream: IO[bytes]) -> bytes:
    """One length-prefixed frame, as bytes."""
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        raise EOFError("the retrain process ended")
    size = HEADER.unpack(head)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the retrain process ended")
    return data


def receive(stream: IO[bytes], kind: type = dict) -> Any:
    obj = orjson.loads(frame(stream))
    if not isinstance(obj, kind):
        raise EOFError("the retrain process answered nonsense")
    return obj


#: items of an answer's long list (a corpus batch's statements, the cross-validation's regions) sent in one frame:
#: about 120 KB. The window's thread decoding a frame holds the interpreter's lock meanwhile (``orjson.loads`` is
#: one C call), and a 100-statement batch in one frame (750 KB) held it for 12-30 ms, the event loop's longest
#: stalls during a retrain with the cycle collector's passes (measured); between frames the lock is given back
PART = 16


def _parted(answer: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
    """Where an answer's long list is (sent in parts of :data:`PART` items), if it has one."""
    if "docs" in answer:
        return answer, "docs"
    evaluation = answer.get("evaluation")
    if isinstance(evaluation, dict) and "regions" in evaluation:
        return evaluation, "regions"
    return None


def send_answer(stream: IO[bytes], answer: dict[str, Any]) -> None:
    """The answer, its long list replaced by the number of frames that follow it, each a list of items."""
    where = _parted(answer)
    items = where[0][where[1]] if where is not None else None
    if where is None or not isinstance(items, list):
        send(stream, answer)
        return
    holder, key = where
    holder[key] = -(-len(items) // PART)
    send(stream, answer)
    for i in range(0, len(items), PART):
        send(stream, items[i : i + PART])
    holder[key] = items


class Parts:
    """An answer as it came through the pipe: its head decoded, its long list's frames still bytes. Read by the
    waiting thread without making a single object the cycle collector tracks (bytes are not tracked), so that
    thread neither holds the interpreter's lock for long nor sets off a collector pass; the frames are made into
    objects where :meth:`step` is called -- the window's thread, a frame or a few per turn of its event loop."""

    def __init__(self, answer: dict[str, Any], frames: list[bytes]) -> None:
        self.answer = answer
        self.frames = frames
        self.items: list[Any] = []
        self._next = 0

    @property
    def done(self) -> bool:
        return self._next >= len(self.frames)

    def step(self, each: Callable[[Any], Any] | None = None) -> bool:
        """Decode the next frame, its items made into what ``each`` makes of them; whether frames are left. Raises
        EOFError on a frame that is not a list of items."""
        if self.done:
            return False
        data, self.frames[self._next] = self.frames[self._next], b""
        self._next += 1
        try:
            frame = orjson.loads(data)
        except orjson.JSONDecodeError:
            raise EOFError("the retrain process answered nonsense") from None
        if not isinstance(frame, list):
            raise EOFError("the retrain process answered nonsense")
        self.items += map(each, frame) if each is not None else frame
        return not self.done

    def whole(self, each: Callable[[Any], Any] | None = None) -> dict[str, Any]:
        """The answer with its long list in place (the frames not decoded yet decoded now)."""
        while self.step(each):
            pass
        where = _parted(self.answer)
        if where is not None:
            where[0][where[1]] = self.items
        return self.answer


def receive_parts(stream: IO[bytes]) -> Parts:
    """An answer sent by :func:`send_answer`: its head, and its long list's frames as they came (not decoded)."""
    answer = receive(stream)
    frames: list[bytes] = []
    where = _parted(answer)
    if where is not None:
        count = where[0][where[1]]
        if not isinstance(count, int) or count < 0:
            raise EOFError("the retrain process answered nonsense")
        frames = [frame(stream) for _ in range(count)]
    return Parts(answer, frames)


def receive_answer(stream: IO[bytes], each: Callable[[Any], Any] | None) -> dict[str, Any]:
    """An answer sent by :func:`send_answer`, its long list read back frame by frame, each item made into what
    ``each`` makes of it (no frame's JSON lists outlive it)."""
    return receive_parts(stream).whole(each)
