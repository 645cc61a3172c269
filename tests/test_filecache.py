"""The embedded file cache: shared between processes, and `add` has exactly one winner."""

from __future__ import annotations

import multiprocessing

from newsroom.filecache import SharedFileCache

CONTENDERS = 8


def _contend(location: str, barrier, results) -> None:
    cache = SharedFileCache(location, {})
    barrier.wait()
    results.put(cache.add("feeds:lock:all", multiprocessing.current_process().name, 30))


def test_add_has_exactly_one_winner_across_processes(tmp_path):
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(CONTENDERS)
    results = context.Queue()
    processes = [
        context.Process(target=_contend, args=(str(tmp_path), barrier, results))
        for _ in range(CONTENDERS)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=30) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    assert sorted(outcomes) == [False] * (CONTENDERS - 1) + [True]


def test_a_value_written_by_one_process_is_read_by_another(tmp_path):
    context = multiprocessing.get_context("fork")
    writer = context.Process(
        target=lambda: SharedFileCache(str(tmp_path), {}).set("validator", {"etag": '"x"'}, 60)
    )
    writer.start()
    writer.join(timeout=30)
    assert SharedFileCache(str(tmp_path), {}).get("validator") == {"etag": '"x"'}


def test_an_expired_entry_can_be_added_again(tmp_path):
    cache = SharedFileCache(str(tmp_path), {})
    assert cache.add("lock", "first", timeout=-1)  # stored already expired
    assert cache.add("lock", "second", timeout=30)
    assert not cache.add("lock", "third", timeout=30)
    assert cache.get("lock") == "second"
