"""An open-loop HTTP/1.1 load generator: requests go out on a fixed schedule, whatever the server
answers, and each latency is measured from the time the request was *scheduled*.

A closed loop (wrk, ab, N clients each waiting for its answer) sends less while the server is
slow, so the slow moments are under-sampled: "coordinated omission". Here request i is due at
``start + i / rate``. It is sent then on an idle connection, or a new one (up to
``max_connections``, past which it waits for one, and the wait counts); its latency is completion
minus due time.
The generator checks itself: it reports how late requests left against their schedule, so a run
where it could not keep up (its own CPU, not the server) shows.

Standard library only (asyncio streams), so it runs wherever the project does. Keep-alive is used
when the server allows it (gunicorn's sync workers close every connection; gthread keeps them).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Target:
    """One request: a path with its headers (the host is the generator's), and a label that
    groups its latencies in the result."""

    path: str
    headers: tuple[tuple[str, str], ...] = ()
    label: str = ""


@dataclass(slots=True)
class Result:
    rate: float  # offered, requests/s
    duration: float  # of the schedule, s
    latencies: list[float] = field(default_factory=list)  # s, from due time, successful (2xx)
    by_label: dict[str, list[float]] = field(default_factory=dict)  # the same, per label
    send_lags: list[float] = field(default_factory=list)  # s, sent minus due
    statuses: dict[int, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)  # socket errors, timeouts
    completed_at: float = 0.0  # s after start, of the last answer
    connections_opened: int = 0

    @property
    def scheduled(self) -> int:
        return round(self.rate * self.duration)

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def failed(self) -> int:
        return self.scheduled - self.ok

    @property
    def throughput(self) -> float:
        """Successful answers per second over the schedule (plus any tail after it)."""
        return self.ok / max(self.duration, self.completed_at)

    def percentile(self, p: float, values: Sequence[float] | None = None) -> float:
        """The p-th percentile (nearest rank) in ms; failures count as infinitely slow."""
        data = sorted(self.latencies if values is None else values)
        total = self.scheduled if values is None else len(data)
        if not total:
            return float("nan")
        rank = max(1, -(-p * total // 100))  # ceil
        return float("inf") if rank > len(data) else data[int(rank) - 1] * 1000


class _Pool:
    """Idle keep-alive connections, and a bound on how many are open."""

    def __init__(self, host: str, port: int, limit: int, result: Result) -> None:
        self.host, self.port = host, port
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.slots = asyncio.Semaphore(limit)
        self.result = result

    async def get(self):
        await self.slots.acquire()
        if self.idle:
            return self.idle.pop()
        try:
            connection = await asyncio.open_connection(self.host, self.port)
        except BaseException:
            self.slots.release()
            raise
        self.result.connections_opened += 1
        return connection

    def put(self, connection, *, reusable: bool) -> None:
        if reusable:
            self.idle.append(connection)
        else:
            connection[1].close()
        self.slots.release()


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Reads one response; returns its status and whether the connection may be reused."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionResetError("closed before the status line")
    version, status = status_line.split(b" ", 2)[:2]
    length, chunked = None, False
    keep_alive = version == b"HTTP/1.1"
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value:
            chunked = True
        elif name == b"connection":
            keep_alive = value == b"keep-alive" or (keep_alive and value != b"close")
    if chunked:
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length is not None:
        await reader.readexactly(length)
    else:
        await reader.read()  # until the server closes
        keep_alive = False
    return int(status), keep_alive


async def _one(pool: _Pool, target, request: bytes, due, start, result: Result, timeout):
    sent = None
    try:
        async with asyncio.timeout(timeout):
            connection = await pool.get()
            reusable = False
            try:
                sent = time.perf_counter()
                connection[1].write(request)
                await connection[1].drain()
                status, reusable = await _read_response(connection[0])
            finally:
                pool.put(connection, reusable=reusable)
    except TimeoutError:
        result.errors["timeout"] = result.errors.get("timeout", 0) + 1
        return
    except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
        name = type(exc).__name__
        result.errors[name] = result.errors.get(name, 0) + 1
        return
    finally:
        if sent is not None:
            result.send_lags.append(sent - due)
    done = time.perf_counter()
    result.statuses[status] = result.statuses.get(status, 0) + 1
    result.completed_at = max(result.completed_at, done - start)
    if 200 <= status < 300:
        result.latencies.append(done - due)
        result.by_label.setdefault(target.label, []).append(done - due)


def _encode(target: Target, host: str) -> bytes:
    lines = [f"GET {target.path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
    lines += [f"{name}: {value}" for name, value in target.headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _run(
    host, port, targets, rate, duration, max_connections, timeout, host_header
) -> Result:
    result = Result(rate=rate, duration=duration)
    pool = _Pool(host, port, max_connections, result)
    encoded = [_encode(t, host_header or f"{host}:{port}") for t in targets]
    tasks = set()
    start = time.perf_counter()
    for i in range(result.scheduled):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        n = i % len(targets)
        task = asyncio.create_task(_one(pool, targets[n], encoded[n], due, start, result, timeout))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    if tasks:
        await asyncio.wait(tasks)
    for _, writer in pool.idle:
        writer.close()
    return result


def run(
    targets: Sequence[Target],
    *,
    rate: float,
    duration: float,
    host: str = "127.0.0.1",
    port: int,
    max_connections: int = 512,
    timeout: float = 10.0,
    host_header: str | None = None,
) -> Result:
    """Sends ``rate × duration`` GETs at a fixed rate, cycling over ``targets``, and waits for
    every answer (or its ``timeout``, counted from the request's due time)."""
    return asyncio.run(
        _run(host, port, list(targets), rate, duration, max_connections, timeout, host_header)
    )
