"""Worker processes for the CPU half of the pipeline: parse, segment, attribute and gate.

Chunks of records go to a pool of processes with at most ``2 * workers`` chunks in flight, so an archive
streams through in bounded memory while the calling process classifies; results come back in input order.
If a worker dies (a segfault, the out-of-memory killer), the pool is rebuilt, the chunks in flight are
resubmitted, and the chunk that was running is retried one record at a time: the record that kills a worker
again becomes an error record and the run goes on. Processes are spawned, so a script that calls
``pipe(..., workers=N)`` needs the usual ``if __name__ == "__main__":`` guard; without it the workers die
while starting, and the run stops with an error that says so.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import re
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .pipeline import Analysed, Analyzer, Chunk, StageTimes

CRASH_ERROR = "a worker process died while analysing this record"
ANALYZER_FILE_PREFIX = "stance-analyzer-"  # then the parent's PID
_analyzer: Analyzer | None = None


def remove_stale_analyzer_files(folder: str | Path) -> list[Path]:
    """Remove this user's analyzer files in ``folder`` whose parent process is gone (a parent killed outright
    cannot remove its own); the files removed. POSIX only, and only in this PID namespace's view: a file whose
    PID is alive, unreadable or malformed stays."""
    if os.name != "posix":
        return []
    removed = []
    for path in Path(folder).glob(f"{ANALYZER_FILE_PREFIX}*.pickle"):
        pid = re.fullmatch(r"([0-9]{1,9})-.*", path.name[len(ANALYZER_FILE_PREFIX):])
        with contextlib.suppress(OSError):
            if pid and path.stat().st_uid == os.getuid() and not _alive(int(pid.group(1))):
                path.unlink()
                removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process (PermissionError), or anything unclear: keep its file
        return True
    return True


def _init(analyzer_file: str, parent: int) -> None:
    global _analyzer
    with open(analyzer_file, "rb") as fh:
        _analyzer = pickle.load(fh)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    """End this worker once its parent is gone: a parent killed outright (SIGKILL, the out-of-memory killer)
    cannot stop its pool, and the orphaned worker would otherwise wait for work forever."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _analyse(chunk: Chunk) -> tuple[list[Analysed], StageTimes]:
    assert _analyzer is not None, "worker not initialised"
    return _analyzer.analyse(chunk)


class _Pool:
    """A process pool that survives a dying worker.

    When the pool breaks, every chunk it held is suspect: it is rebuilt, and each suspect chunk is rerun one
    record at a time in a separate one-process quarantine pool, where a death can only be that record's."""

    def __init__(self, analyzer: Analyzer, workers: int) -> None:
        self.analyzer, self.workers = analyzer, workers
        self.queue: deque[list] = deque()  # [chunk, future, or None for a suspect chunk], in input order
        # The analyzer (its spaCy pipeline: megabytes) reaches the workers through a file. Passed as an
        # argument, it would be written down the pipe that starts each worker, and a worker that dies before
        # reading it all (a script without the __main__ guard) would leave that write blocked for ever.
        # A parent killed outright leaves its file behind: the next pool removes it.
        remove_stale_analyzer_files(tempfile.gettempdir())
        fd, self.analyzer_file = tempfile.mkstemp(prefix=f"{ANALYZER_FILE_PREFIX}{os.getpid()}-", suffix=".pickle")
        self.quarantine: ProcessPoolExecutor | None = None
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(analyzer, fh, protocol=pickle.HIGHEST_PROTOCOL)
            self.executor = self._new_executor(workers)
        except BaseException:
            os.unlink(self.analyzer_file)
            raise

    def _new_executor(self, workers: int) -> ProcessPoolExecutor:
        """A started pool, checked with an empty chunk: a worker that cannot start, twice (an import error, an
        analyzer that does not unpickle, a script without the __main__ guard) is a clear error here, not a
        crash blamed on every record; a worker killed while starting is replaced."""
        failure = None
        for _ in range(2):  # a second try: a worker may have been killed from outside while starting
            executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                           initializer=_init, initargs=(self.analyzer_file, os.getpid()))
            try:
                executor.submit(_analyse, []).result()
                return executor
            except BrokenProcessPool as exc:
                _kill(executor)
                failure = exc
        raise RuntimeError("worker processes cannot start, twice (their error is printed above): a script that "
                           "starts workers needs the `if __name__ == \"__main__\":` guard; run with workers=0 to "
                           "see any other error in this process") from failure

    def submit(self, chunk: Chunk) -> None:
        try:
            self.queue.append([chunk, self.executor.submit(_analyse, chunk)])
        except BrokenProcessPool:
            self.queue.append([chunk, None])
            self._rebuild()

    def _rebuild(self) -> None:
        _kill(self.executor)
        self.executor = self._new_executor(self.workers)
        for entry in self.queue:
            entry[1] = None

    def next_result(self) -> tuple[list[Analysed], StageTimes]:
        chunk, future = self.queue.popleft()
        if future is not None:
            try:
                return future.result()
            except BrokenProcessPool:
                self._rebuild()
        return self._one_by_one(chunk)

    def _one_by_one(self, chunk: Chunk) -> tuple[list[Analysed], StageTimes]:
        out: list[Analysed] = []
        times = StageTimes()
        for item in chunk:
            self.quarantine = self.quarantine or self._new_executor(1)
            try:
                analysed, t = self.quarantine.submit(_analyse, [item]).result()
            except BrokenProcessPool:
                _kill(self.quarantine)
                self.quarantine = None
                result, _ = self.analyzer._check(*item)
                result.error = result.error or CRASH_ERROR
                analysed, t = [Analysed(result)], StageTimes()
            out.extend(analysed)
            times.add(t)
        return out, times

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        if self.quarantine is not None:
            self.quarantine.shutdown(wait=True)
        os.unlink(self.analyzer_file)


def _kill(executor: ProcessPoolExecutor) -> None:
    """Kill a broken pool's surviving workers (they hold nothing worth keeping), then wait until the pool's
    own threads have torn it down. A surviving worker is otherwise joined at interpreter exit, which can hang;
    and the teardown closes pipes from two threads, so a pool started before it ends can have a freshly
    opened pipe closed under it ("bad value(s) in fds_to_keep")."""
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.kill()
    executor.shutdown(wait=True, cancel_futures=True)


def analyse_in_processes(analyzer: Analyzer, chunks: Iterable[Chunk], workers: int,
                         in_flight: int | None = None) -> Iterator[tuple[list[Analysed], StageTimes]]:
    """``analyzer.analyse`` over the chunks in ``workers`` processes, in order, bounded in flight."""
    limit = in_flight or 2 * workers
    pool = _Pool(analyzer, workers)
    try:
        for chunk in chunks:
            pool.submit(chunk)
            if len(pool.queue) >= limit:
                yield pool.next_result()
        while pool.queue:
            yield pool.next_result()
    finally:
        pool.close()
