"""What every benchmark shares: the run context, timing helpers, targets and the result rows."""

from __future__ import annotations

import ctypes
import gc
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Context:
    """One module's run: quick or full, a scratch folder of its own, the run's folder (``shared``: data made once per
    run, for every module), and notes to print under the table."""

    quick: bool
    workdir: Path
    shared: Path | None = None  # the run's folder; None: ``workdir``
    notes: list[str] = field(default_factory=list)
    cache: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.shared is None:
            self.shared = self.workdir

    def size(self, full: int, quick: int | None = None) -> int:
        """``full`` in a full run; in quick mode ``quick`` (default: 1/50 of it, at least 1)."""
        if not self.quick:
            return full
        return quick if quick is not None else max(1, full // 50)

    def repeats(self, full: int, quick: int = 2) -> int:
        return quick if self.quick else full

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"    {text}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Target:
    """A target of DESIGN.md §5: a ceiling on the figure, on the ratio to the baseline, or a floor on the ratio."""

    max_figure: float | None = None
    max_ratio: float | None = None
    min_ratio: float | None = None
    unit: str = ""

    def describe(self) -> str:
        parts = []
        if self.max_figure is not None:
            parts.append(f"≤ {_num(self.max_figure)} {self.unit}".rstrip())
        if self.max_ratio is not None:
            parts.append(f"≤ {_num(self.max_ratio)}×")
        if self.min_ratio is not None:
            parts.append(f"≥ {_num(self.min_ratio)}×")
        return ", ".join(parts) or "(info)"

    def met(self, figure: float | None, ratio: float | None) -> bool | None:
        if self.max_figure is None and self.max_ratio is None and self.min_ratio is None:
            return None
        checks = []
        if self.max_figure is not None:
            checks.append(figure is not None and figure <= self.max_figure)
        if self.max_ratio is not None:
            checks.append(ratio is not None and ratio <= self.max_ratio)
        if self.min_ratio is not None:
            checks.append(ratio is not None and ratio >= self.min_ratio)
        return all(checks)


INFO = Target()


@dataclass
class Row:
    """One line of the table. ``ratio`` is figure / baseline unless the row says otherwise (throughput)."""

    measure: str
    figure: float | None
    unit: str
    baseline: float | None = None
    baseline_what: str = ""
    target: Target = INFO
    ratio: float | None = None
    error: str = ""

    def __post_init__(self) -> None:
        if self.ratio is None and self.figure is not None and self.baseline:
            self.ratio = self.figure / self.baseline

    @property
    def met(self) -> bool | None:
        return None if self.error else self.target.met(self.figure, self.ratio)

    def cells(self) -> list[str]:
        if self.error:
            return [self.measure, "—", "—", "—", self.target.describe(), f"ERROR: {self.error}"]
        base = "—" if self.baseline is None else f"{_num(self.baseline)} {self.unit}".rstrip()
        if self.baseline_what:
            base += f" ({self.baseline_what})"
        met = {True: "yes", False: "**NO**", None: "—"}[self.met]
        figure = "—" if self.figure is None else f"{_num(self.figure)} {self.unit}".rstrip()
        ratio = "—" if self.ratio is None else f"{self.ratio:.2f}×"
        return [self.measure, figure, base, ratio, self.target.describe(), met]


def _num(x: float) -> str:
    if x == 0:
        return "0"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    if abs(x) >= 1:
        return f"{x:.2f}"
    return f"{x:.3g}"


HEADERS = ("measure", "figure", "baseline", "ratio", "target", "met")


def table(rows: Sequence[Row]) -> str:
    """A Markdown table, readable as plain text too."""
    cells = [list(HEADERS), *[r.cells() for r in rows]]
    widths = [max(len(c[i]) for c in cells) for i in range(len(HEADERS))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------- timing
@contextmanager
def quiet_gc() -> Iterator[None]:
    """Collect first, then keep the cyclic collector out of the timed section (as ``timeit`` does)."""
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes."""
    with quiet_gc():
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0


def painted(viewport: Any, act: Callable[[], object]) -> Callable[[], None]:
    """``act`` and then ``viewport``'s paint, as the window would show it: a repaint unless ``act`` painted it
    itself (the window paints an opened statement at once: a second paint is no work a user waits for)."""
    from PySide6.QtCore import QEvent, QObject

    class Spy(QObject):
        seen = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if obj is viewport and event.type() == QEvent.Type.Paint:
                self.seen = True
            return False

    spy = Spy()

    def run() -> None:
        spy.seen = False
        viewport.installEventFilter(spy)
        try:
            act()
        finally:
            viewport.removeEventFilter(spy)
        if not spy.seen:
            viewport.repaint()

    return run


def best(times: Sequence[float]) -> float:
    return min(times)


def median(times: Sequence[float]) -> float:
    return statistics.median(times)


def interleaved(
    fns: Sequence[Callable[[], object]], repeats: int, setup: Callable[[], object] | None = None
) -> list[list[float]]:
    """Time each of ``fns`` ``repeats`` times, alternating them so drift on a noisy machine hits all alike."""
    out: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            if setup is not None:
                setup()
            out[i].append(timed(fn))
    return out


def run_wall(argv: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> float:
    """Wall seconds of one subprocess run; it must succeed."""
    t0 = time.perf_counter()
    proc = subprocess.run(list(argv), capture_output=True, env=env, cwd=cwd or ROOT, timeout=600)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, argv))} exited {proc.returncode}: {proc.stderr.decode()[-800:]}")
    return elapsed


def run_probe(argv: Sequence[str], env: dict[str, str] | None = None) -> dict[str, str]:
    """Run a probe subprocess that prints ``key=value`` lines; returns them (with ``_wall`` and ``_t0``)."""
    t0 = time.perf_counter()
    proc = subprocess.run(list(argv), capture_output=True, env=env, cwd=ROOT, timeout=600, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"probe {' '.join(map(str, argv[-3:]))} exited {proc.returncode}: {proc.stderr[-1500:]}")
    values = dict(line.split("=", 1) for line in proc.stdout.splitlines() if "=" in line)
    values["_wall"] = repr(wall)
    values["_t0"] = repr(t0)
    if proc.stderr.strip():
        values["_stderr"] = proc.stderr.strip()
    return values


def annotator_cmd() -> list[str]:
    """The installed ``annotator`` console script beside this interpreter (as users start it), else ``-m``."""
    script = Path(sys.executable).parent / "annotator"
    return [str(script)] if script.exists() else [sys.executable, "-m", "annotator"]


class _Proc:
    """Reads small files of ``/proc`` *keeping the interpreter's lock* (libc through ``ctypes.PyDLL``). A Python
    ``open``/``read``/``close`` releases the lock three times, and while another thread is busy in Python each release
    costs the reader a switch interval (5 ms, 0.5 ms while paced): a 4 ms watch reading four files per tick was
    measured taking 8-85 ms a tick, so the watch made the stalls it measured. Not on Linux: every read fails."""

    def __init__(self) -> None:
        self._buffer = ctypes.create_string_buffer(8192)
        self._open = None
        if sys.platform != "linux":
            return
        try:
            libc = ctypes.PyDLL(None)
            self._open, self._read, self._close = libc.open, libc.read, libc.close
        except (OSError, AttributeError):
            self._open = None
            return
        self._open.argtypes, self._open.restype = [ctypes.c_char_p, ctypes.c_int], ctypes.c_int
        self._read.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t]
        self._read.restype = ctypes.c_ssize_t
        self._close.argtypes, self._close.restype = [ctypes.c_int], ctypes.c_int
        self._opendir, self._readdir, self._closedir = libc.opendir, libc.readdir, libc.closedir
        self._opendir.argtypes, self._opendir.restype = [ctypes.c_char_p], ctypes.c_void_p
        self._readdir.argtypes, self._readdir.restype = [ctypes.c_void_p], ctypes.c_void_p
        self._closedir.argtypes, self._closedir.restype = [ctypes.c_void_p], ctypes.c_int

    def text(self, path: str) -> str:
        """The file's first 8 KB (one ``read``: enough for every file read here)."""
        if self._open is None:
            raise OSError(path)
        fd = self._open(path.encode(), os.O_RDONLY)
        if fd < 0:
            raise OSError(path)
        try:
            size = self._read(fd, self._buffer, len(self._buffer))
        finally:
            self._close(fd)
        if size < 0:
            raise OSError(path)
        return self._buffer.raw[:size].decode("ascii", "replace")

    def names(self, path: str) -> list[str]:
        """The entries of a directory (glibc's ``struct dirent``: the name 19 bytes in), "." and ".." left out."""
        if self._open is None:
            raise OSError(path)
        handle = self._opendir(path.encode())
        if not handle:
            raise OSError(path)
        out = []
        try:
            while entry := self._readdir(handle):
                name = ctypes.string_at(entry + 19).decode("ascii", "replace")
                if name not in (".", ".."):
                    out.append(name)
        finally:
            self._closedir(handle)
        return out


_PROC = _Proc()


def cpu_wait() -> float:
    """Seconds this thread has spent ready to run but waiting for a CPU (Linux schedstat; 0 elsewhere): on a loaded
    machine the part of a stall the operating system caused, not the application."""
    try:
        return int(_PROC.text("/proc/thread-self/schedstat").split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def _field(text: str, name: str) -> int:
    start = text.index(name) + len(name)
    return int(text[start:text.index("\n", start)].split()[0])


def blocking() -> tuple[float, float]:
    """(KB this thread has read from storage, times it went to sleep: voluntary context switches) from
    ``/proc/thread-self`` (zeros elsewhere). A stall the thread spent neither running nor waiting for a CPU was spent
    asleep: on the disk (KB read) or on a lock, the interpreter's among them (sleeps without reads)."""
    try:
        read = _field(_PROC.text("/proc/thread-self/io"), "read_bytes:")
        sleeps = _field(_PROC.text("/proc/thread-self/status"), "voluntary_ctxt_switches:")
        return read / 1024, float(sleeps)
    except (OSError, IndexError, ValueError):
        return 0.0, 0.0


def thread_times() -> dict[int, float]:
    """Seconds of CPU each thread of this process has run (Linux ``/proc/PID/task/*/schedstat``; empty elsewhere)."""
    out: dict[int, float] = {}
    tasks = f"/proc/{os.getpid()}/task"
    try:
        names = _PROC.names(tasks)
    except OSError:
        return out
    for name in names:
        try:
            out[int(name)] = int(_PROC.text(f"{tasks}/{name}/schedstat").split()[0]) / 1e9
        except (OSError, IndexError, ValueError):
            continue
    return out


def thread_name(native_id: int) -> str:
    """A thread's Python name, else the system's (``comm``)."""
    for thread in threading.enumerate():
        if thread.native_id == native_id and not thread.name.startswith("Dummy"):
            return thread.name
    try:
        return _PROC.text(f"/proc/{os.getpid()}/task/{native_id}/comm").strip() or str(native_id)
    except OSError:
        return str(native_id)


def major_faults() -> tuple[float, float]:
    """(major page faults of this thread, of the whole process) so far (``/proc/*/stat``; zeros elsewhere): a fault
    that reads a page from storage. A thread that takes one while it holds the interpreter's lock holds up every
    other thread until the read is done."""
    try:
        mine = _PROC.text("/proc/thread-self/stat").rsplit(")", 1)[1].split()
        every = _PROC.text("/proc/self/stat").rsplit(")", 1)[1].split()
        return float(mine[9]), float(every[9])  # majflt: the 12th field, the 10th after the command's name
    except (OSError, IndexError, ValueError):
        return 0.0, 0.0


def steal() -> float:
    """Seconds of every CPU's time the host gave to something other than this virtual machine (``steal`` in
    ``/proc/stat``, summed over the CPUs; 0 elsewhere). During a stall the window's thread neither ran nor waited
    for a CPU through it: the machine was not running at all."""
    try:
        return int(_PROC.text("/proc/stat").split("\n", 1)[0].split()[8]) / 100  # USER_HZ
    except (OSError, IndexError, ValueError):
        return 0.0


_GC_STARTED: dict[int, float] = {}  # thread id -> when its running collection started
_GC_SECONDS = [0.0]  # the cycle collector's time so far, every thread, while collector_time() is on


def _time_collections(phase: str, _info: dict[str, int]) -> None:
    if phase == "start":
        _GC_STARTED[threading.get_ident()] = time.perf_counter()
    else:
        started = _GC_STARTED.pop(threading.get_ident(), None)
        if started is not None:
            _GC_SECONDS[0] += time.perf_counter() - started


def collector_time() -> float:
    """Seconds Python's cycle collector has run (in any thread) since the first call: a full pass holds the
    interpreter's lock, so it stalls the window's thread whichever thread runs it."""
    if _time_collections not in gc.callbacks:
        gc.callbacks.append(_time_collections)
    return _GC_SECONDS[0]


@dataclass
class Stall:
    """The worst delay of a timer's tick in the window's thread beyond its interval (ms), and what the thread and
    the machine did between that tick and the one before (``span_ms``): the thread's own CPU time, its wait for a
    CPU, and the host's steal (both CPUs). The rest of the span the thread neither ran nor waited for a CPU: it
    slept or was blocked (the interpreter's lock, a read from the disk), or the machine was not running.
    ``gc_ms``: how much of the span Python's cycle collector ran, in any thread (it holds the lock); ``disk_kb`` and
    ``sleeps``: what the thread read from storage in it and how many times it went to sleep (:func:`blocking`);
    ``faults`` and ``process_faults``: the major page faults of the thread and of the whole process in the span
    (:func:`major_faults`)."""

    ms: float = 0.0
    span_ms: float = 0.0
    cpu_ms: float = 0.0
    wait_ms: float = 0.0
    steal_ms: float = 0.0
    gc_ms: float = 0.0
    disk_kb: float = 0.0
    sleeps: float = 0.0
    faults: float = 0.0
    process_faults: float = 0.0
    others: tuple[tuple[str, float], ...] = ()  # (name, ms): the process's other threads that ran in the span
    #: the watch's worst stall among the ticks in whose span the host stole nothing (:attr:`StallWatch.own`)
    own_ms: float | None = None

    def __str__(self) -> str:
        rest = max(0.0, self.span_ms - self.cpu_ms - self.wait_ms)
        others = ", ".join(f"{name} {ms:.1f} ms" for name, ms in self.others) or "none"
        return (f"{self.ms:.1f} ms; of the {self.span_ms:.1f} ms between its two ticks the window's thread ran "
                f"{self.cpu_ms:.1f} ms, waited for a CPU {self.wait_ms:.1f} ms, neither {rest:.1f} ms (asleep "
                f"{self.sleeps:.0f} times, {self.disk_kb:.0f} KB read from the disk); major page faults: the thread "
                f"{self.faults:.0f}, the process {self.process_faults:.0f}; other threads ran: {others}; "
                f"the cycle collector ran {self.gc_ms:.1f} ms; host steal {self.steal_ms:.0f} ms"
                + (f"; the worst in a span the host stole nothing in: {self.own_ms:.1f} ms"
                   if self.own_ms is not None else ""))


class StallWatch:
    """Called at every tick of a timer of ``interval`` seconds in the window's thread: keeps the worst
    :class:`Stall` (the tick's delay beyond the interval)."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._worst = Stall()
        #: the worst among the ticks in whose span the host stole nothing (``/proc/stat``'s steal did not move): a
        #: stall of the machine's own making, not a pause of the whole virtual machine
        self.own = Stall()
        self._last = self._now()
        self._threads = thread_times()

    #: what each reading of :meth:`_now` becomes in a :class:`Stall` field: seconds to ms; KB and sleeps as they are
    _UNITS = (1000, 1000, 1000, 1000, 1000, 1, 1, 1, 1)

    @staticmethod
    def _now() -> tuple[float, ...]:
        """perf_counter, the thread's CPU, its CPU wait, host steal, collector time; KB read, sleeps; major faults."""
        return (time.perf_counter(), time.thread_time(), cpu_wait(), steal(), collector_time(), *blocking(),
                *major_faults())

    @property
    def worst(self) -> Stall:
        """The worst stall, with the worst in a span the host stole nothing in (``own_ms``)."""
        return replace(self._worst, own_ms=max(0.0, self.own.ms))

    def restart(self) -> None:
        self._worst = Stall()
        self.own = Stall()
        self._last = self._now()
        self._threads = thread_times()

    def tick(self) -> None:
        now, threads = self._now(), thread_times()  # ~0.1 ms a tick for a dozen threads
        late = (now[0] - self._last[0] - self.interval) * 1000
        stolen = now[3] != self._last[3]
        if late > self._worst.ms or (not stolen and late > self.own.ms):
            me = threading.get_native_id()
            ran = sorted(((t - self._threads.get(tid, 0.0)) * 1000, tid) for tid, t in threads.items() if tid != me)
            others = tuple((thread_name(tid), ms) for ms, tid in reversed(ran[-3:]) if ms >= 0.5)
            span = ((a - b) * unit for a, b, unit in zip(now, self._last, self._UNITS, strict=True))
            stall = Stall(late, *span, others=others)
            if late > self._worst.ms:
                self._worst = stall
            if not stolen and late > self.own.ms:
                self.own = stall
        self._last, self._threads = now, threads
