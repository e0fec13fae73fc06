"""`bootstrap test` spreads the suite over the cores unless told otherwise."""

from __future__ import annotations

import pytest

from desktop_app import bootstrap


@pytest.fixture
def cores(monkeypatch):
    def set_cores(n: int) -> None:
        monkeypatch.setattr(bootstrap.os, "sched_getaffinity", lambda _pid: set(range(n)), raising=False)
        monkeypatch.setattr(bootstrap.os, "cpu_count", lambda: n)

    return set_cores


def test_the_whole_suite_takes_a_worker_per_core_up_to_four(cores):
    cores(2)
    assert bootstrap._workers([]) == ["-n", "2", "--dist", "loadfile"]
    cores(16)
    assert bootstrap._workers(["-x"]) == ["-n", "4", "--dist", "loadfile"]


def test_one_core_runs_in_one_process(cores):
    cores(1)
    assert bootstrap._workers([]) == []


@pytest.mark.parametrize(
    "args",
    [["-n", "3"], ["-n3"], ["--numprocesses=1"], ["-p", "no:xdist"], ["tests/unit/test_money.py"]],
)
def test_the_caller_s_choice_or_a_single_file_is_left_alone(cores, args):
    cores(2)
    assert bootstrap._workers(args) == []


def test_several_paths_still_run_in_parallel(cores):
    cores(2)
    assert bootstrap._workers(["tests/unit", "tests/integration/test_cli.py"])[:2] == ["-n", "2"]
