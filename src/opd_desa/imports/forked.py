"""Run a file's parsing in a forked second process while this one writes what it hands over.

Parsing a national file needs little of the database (the village codes are read beforehand; a
file naming villages by name has the index of names read through a connection of the reading
process's own, see `resolve.Resolver`), so a forked process can read and check it while the
importing one writes to SQLite: the two halves of an import run on two cores. What the reading side
yields is pickled through a pipe; an exception it raises is handed over and raised here, so the
importer reports it as if it had read the file itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")


_ONE_PROCESS: ContextVar[bool] = ContextVar("one_process", default=False)


def can_fork() -> bool:
    """True where a second process can share this one's memory (not on Windows or macOS spawn), and
    no caller asked for one process (`in_one_process`)."""
    import multiprocessing

    return not _ONE_PROCESS.get() and "fork" in multiprocessing.get_all_start_methods()


@contextlib.contextmanager
def in_one_process() -> Iterator[None]:
    """Files read inside are read in this process: for an import inside a transaction of its caller,
    whose changes a second process's own connection could not see."""
    token = _ONE_PROCESS.set(True)
    try:
        yield
    finally:
        _ONE_PROCESS.reset(token)


def in_second_process(read: Callable[[], Iterator[T]]) -> Iterator[T]:
    """What `read()` yields, produced in a forked process. `read` (and what it holds, such as the
    village codes) is let go of here once the process has started; only the reading side needs it."""
    import gc
    import multiprocessing

    receiver, sender = multiprocessing.Pipe(duplex=False)
    job = [read]
    del read

    def produce() -> None:
        receiver.close()  # else a writer killed mid-import would leave this end open and us blocked
        # the reading makes no reference cycles to collect (figures are tuples of numbers and
        # strings), and this process ends when the file is read: its garbage collector would only
        # look again and again at the figures of the batch being filled (a fifteenth of the reading)
        gc.disable()
        try:
            for item in job[0]():
                sender.send(item)
            sender.send(None)
        except (BrokenPipeError, ConnectionError):
            return  # the writing process is gone (finished with an error, or killed): nothing to do
        except BaseException as e:  # handed to the writing process, which reports it
            with contextlib.suppress(BrokenPipeError, ConnectionError):
                sender.send(e)

    reader = multiprocessing.get_context("fork").Process(target=produce, daemon=True)
    # what both processes hold (the village codes, the modules) is left out of the reading process's
    # garbage collections, which would otherwise visit (and so copy) every page of it
    gc.freeze()
    reader.start()
    gc.unfreeze()
    sender.close()
    job.clear()
    try:
        while True:
            try:
                message = receiver.recv()
            except EOFError:
                raise RuntimeError("the process reading the file stopped unexpectedly") from None
            if message is None:
                return
            if isinstance(message, BaseException):
                raise message
            yield message
    finally:
        receiver.close()
        if reader.is_alive():
            reader.terminate()
        reader.join()
