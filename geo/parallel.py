"""Run the per-document work on many documents: serially, in a process pool, or on Dask.

The work is :func:`geo.atlas.extract_document` (place mentions and project records of one
document), which depends on the document alone; results come back in the order of the
documents whichever way they ran, so a parallel or distributed build is the same as a
serial one.

``jobs``
    How many processes extract at once on this machine (``None``: one per core).
``scheduler``
    The address of a running Dask distributed scheduler (``tcp://HOST:PORT``): the same
    work is sent to its workers, which need planatlas installed (``pip install
    'planatlas[dask]'``).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import inspect
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._errors import PlanatlasError

if TYPE_CHECKING:
    from .mentions import Mention
    from .projects import Project
    from .text import Document

__all__ = [
    "Aside", "Found", "SchedulerError", "beside", "default_jobs", "extract_all", "iter_extract",
    "iter_map", "paused_gc",
]

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

#: Mentions and project records of one document.
Found = tuple[list["Mention"], list["Project"]]


class SchedulerError(PlanatlasError, RuntimeError):
    """A Dask scheduler cannot be reached or used."""


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _extract_one(doc: Document) -> Found:
    from .extraction import extract_document

    return extract_document(doc)


@functools.cache
def _warm() -> None:
    """Load the gazetteer, the recogniser and the tagger once, before workers fork.

    What they hold lives as long as the process: the first time, it is moved out of the
    cyclic garbage collector's reach (:func:`gc.freeze`), so that the full collections
    that extraction's many small objects set off do not walk millions of objects that are
    never garbage, and forked workers do not copy the pages those walks would touch.
    """
    from .mentions import get_recogniser
    from .projects.grammar import _tagger

    get_recogniser()
    _tagger()("襄阳")  # the tagger loads its dictionary on first use: once, not per worker
    gc.freeze()


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for a burst of work that makes no garbage cycles.

    Reading a library's stored records back and assembling an atlas make millions of
    objects that stay alive to the end; every full collection on the way walks them all,
    for nothing (about a tenth of a build of the corpus). The collector runs again after,
    as it was.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def extract_all(
    docs: Sequence[Document],
    *,
    jobs: int | None = 1,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Found]:
    """Extract the mentions and project records of every document.

    Parameters
    ----------
    docs
        The documents.
    jobs
        Processes on this machine; ``None`` for one per core, 1 to run in this process.
    scheduler
        Address of a Dask distributed scheduler to run on instead.
    progress
        Called with the number of documents done after each one.

    Returns
    -------
    list
        ``(mentions, records)`` per document, in the order of `docs`.

    Raises
    ------
    SchedulerError
        If the scheduler cannot be reached, or Dask is not installed.
    """
    return list(iter_extract(docs, jobs=jobs, scheduler=scheduler, progress=progress))


def iter_extract(
    docs: Sequence[Document],
    *,
    jobs: int | None = 1,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Found]:
    """Yield what :func:`extract_all` returns, one document at a time, in order.

    A caller that stores each result as it comes (the library) keeps what is done if it
    is stopped; one pool of processes serves all the documents.
    """
    yield from iter_map(_extract_one, docs, jobs=jobs, scheduler=scheduler, progress=progress)


def iter_map(
    function: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int | None = 1,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[R]:
    """Yield ``function(item)`` for every item, in order, wherever the work runs.

    `function` must be a module-level function (it is sent to other processes by name);
    the results come back in the order of `items`. The work is extraction's: for more than
    one item, what extracting reads (gazetteer, recogniser, tagger) is loaded first, once,
    however many processes run it.
    """
    if not items:
        return
    if scheduler is not None:
        yield from _on_dask(function, items, scheduler, progress)
        return
    n = default_jobs() if jobs is None else max(1, int(jobs))
    n = min(n, len(items))
    if n > 1:
        yield from _in_processes(function, items, n, progress)
    else:
        if len(items) > 1:
            _warm()  # as for a pool: the same work whatever the number of processes
        yield from _serial(function, items, progress)


def _serial(
    function: Callable[[T], R], items: Sequence[T], progress: Callable[[int], None] | None
) -> Iterator[R]:
    for k, item in enumerate(items, 1):
        yield function(item)
        if progress is not None:
            progress(k)


def _in_processes(
    function: Callable[[T], R],
    items: Sequence[T],
    n: int,
    progress: Callable[[int], None] | None,
) -> Iterator[R]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _warm()
    # fork shares the loaded gazetteer and automaton with the workers, copy-on-write
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    log.info("working on %d items in %d processes", len(items), n)
    with ProcessPoolExecutor(
        max_workers=n, mp_context=context, initializer=_end_with, initargs=(os.getpid(),)
    ) as pool:
        for k, result in enumerate(pool.map(function, items, chunksize=1), 1):
            yield result
            if progress is not None:
                progress(k)


def _end_with(parent: int) -> None:
    """Make this pool worker end when the process that started it ends, killed or not.

    A worker forked from a parent that is then killed (``kill``, a scheduler's time limit)
    would otherwise wait for work forever: its own copy of the task queue's pipe keeps the
    pipe open. Linux ends it with SIGTERM instead (``PR_SET_PDEATHSIG``); elsewhere the
    pool's own checks are all there is.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    pr_set_pdeathsig = 1  # <linux/prctl.h>
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0) != 0:
            log.debug("worker %d: prctl failed (errno %d)", os.getpid(), ctypes.get_errno())
    except (OSError, AttributeError) as exc:  # no C library to call: the pool's checks only
        log.debug("worker %d: cannot ask to end with its parent: %s", os.getpid(), exc)
    if os.getppid() != parent:  # the parent was gone before the request was made
        os._exit(1)


def _on_dask(
    function: Callable[[T], R],
    items: Sequence[T],
    scheduler: str,
    progress: Callable[[int], None] | None,
) -> Iterator[R]:
    try:
        from dask.distributed import Client
    except ImportError as exc:
        msg = (
            f"--scheduler {scheduler!r} needs Dask distributed: pip install 'planatlas[dask]'"
        )
        raise SchedulerError(msg) from exc
    try:
        client = Client(scheduler, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        msg = f"cannot reach the Dask scheduler at {scheduler!r}: {exc}; is it running?"
        raise SchedulerError(msg) from exc
    log.info("working on %d items on the Dask cluster at %s", len(items), scheduler)
    try:
        futures = client.map(function, list(items), pure=False)
        for k, future in enumerate(futures, 1):
            yield future.result()
            if progress is not None:
                progress(k)
    finally:
        client.close()


class Aside(Generic[R]):
    """What a call made beside the caller's own work gives back (see :func:`beside`).

    A function gives one result (:meth:`result`). A generator function gives each value
    it yields in turn (:meth:`next`), so the caller can use the first while the child
    makes the next.
    """

    def __init__(self, function: Callable[..., R], args: tuple[Any, ...],
                 kwargs: dict[str, Any], forked: bool) -> None:
        self._call = (function, args, kwargs)
        self._process: Any = None
        self._conn: Any = None
        self._taken = 0  # values given to the caller so far
        self._owner = os.getpid()  # the only process that may read the child's pipe
        self._local: Iterator[Any] | None = None  # the generator, when run here
        if forked:
            import multiprocessing

            context = multiprocessing.get_context("fork")
            self._conn, child = context.Pipe(duplex=False)
            # a daemon: if the caller ends first (an error), it is stopped, not waited for
            self._process = context.Process(
                target=_aside, args=(function, args, kwargs, child), daemon=True
            )
            self._process.start()
            child.close()

    @property
    def forked(self) -> bool:
        """Whether the call runs in a forked process (else it is made here, when asked)."""
        return self._process is not None

    def result(self) -> R:
        """Wait for the result; a child that failed is run again here, so errors surface."""
        value = self.next()
        self.close()
        return value  # type: ignore[no-any-return]

    def next(self) -> Any:
        """Wait for the next value; a child that failed is run again here past what it gave.

        Raises
        ------
        StopIteration
            When a generator has yielded all its values.
        """
        if self._process is not None and os.getpid() != self._owner:
            # a process forked from the owner (after this started) runs it itself: what
            # the child sends is the owner's
            self._process = self._conn = None
        if self._process is not None:
            try:
                ok, value = self._conn.recv()
            except (EOFError, OSError):  # the child ended without a word (killed)
                ok, value = False, "no result"
            if ok:
                self._taken += 1
                return value
            log.warning("work beside failed in its process (%s); doing it here", value)
            self.close()
        if self._local is None:
            function, args, kwargs = self._call
            made = function(*args, **kwargs)
            if not inspect.isgenerator(made):
                self._taken += 1
                return made
            self._local = made
            for _ in range(self._taken):  # the values the child gave already
                next(self._local)
        value = next(self._local)
        self._taken += 1
        return value

    def close(self, *, cancel: bool = False) -> None:
        """Stop listening to the child and wait for it to end; `cancel` stops it first."""
        if self._process is not None:
            process, self._process = self._process, None
            self._conn.close()
            if cancel:
                process.terminate()
            process.join()


def _aside(function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
           conn: Any) -> None:
    try:
        made = function(*args, **kwargs)
        for value in made if inspect.isgenerator(made) else (made,):
            conn.send((True, value))
    except (BrokenPipeError, ConnectionResetError):  # the caller took what it needed
        pass
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which runs it again
        with contextlib.suppress(OSError):
            conn.send((False, repr(exc)))
    finally:
        conn.close()


def beside(function: Callable[..., R], *args: Any, jobs: int | None = 1,
           **kwargs: Any) -> Aside[R]:
    """Start ``function(*args, **kwargs)`` in a forked process while the caller works on.

    With ``jobs`` of 1, or where processes cannot be forked (not Linux), or inside a
    worker process, nothing starts and :meth:`Aside.result` (or :meth:`Aside.next`) makes
    the call itself, when asked. The child shares the caller's memory as it was
    (copy-on-write); only the results come back, pickled, so it suits work whose results
    are small beside its inputs (the placed projects and the tie graph of a corpus, while
    the caller imports pandas and writes the GeoPackage). A generator function's values
    come back one by one, as the child yields them.

    Examples
    --------
    >>> beside(sum, [1, 2, 3], jobs=1).result()
    6
    >>> squares = beside(lambda n: (k * k for k in range(n)), 3, jobs=1)
    >>> squares.next(), squares.next()
    (0, 1)
    """
    import multiprocessing

    n = default_jobs() if jobs is None else max(1, int(jobs))
    forked = (
        n > 1
        and sys.platform.startswith("linux")
        and multiprocessing.current_process().daemon is False
    )
    return Aside(function, args, kwargs, forked)
