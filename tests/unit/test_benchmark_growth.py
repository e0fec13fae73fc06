"""The growth table (`python -m tests.benchmarks --scale 10 --against`) tells storage growth from the program's."""

from tests.benchmarks.figures import Figure, growth


def _run(value: float, baseline: float, size: str) -> Figure:
    return Figure("roster", "import from CSV, CPU", value, "s", baseline, "raw executemany, same rows, CPU",
                  size=size)


def test_a_figure_growing_as_its_same_run_baseline_says_so():
    before = {"figures": [_run(2.4, 0.8, "100,000 members").as_json()]}
    # x13.5 at 10x, but raw storage of the same rows grew as much: ratio 3.0x -> 3.1x.
    table = growth(before, [_run(32.4, 10.4, "1,000,000 members")], 10)
    assert "FASTER THAN LINEAR, as its baseline" in table and "3.00x -> 3.12x" in table
    # The program's own growth (raw grew linearly) keeps the plain verdict.
    table = growth(before, [_run(32.4, 8.0, "1,000,000 members")], 10)
    assert "FASTER THAN LINEAR" in table and "as its baseline" not in table
    assert "linear" in growth(before, [_run(24.0, 8.0, "1,000,000 members")], 10)


def test_targets_set_for_1x_sizes_get_no_verdict_in_a_scaled_run():
    from tests.benchmarks.figures import table

    memory = Figure("roster", "import peak memory", 422.0, "MB", target=300, size="1,000,000 members")
    assert "MISSED" in table([memory])
    scaled = table([memory], scale=10)
    assert "(at 1x: <= 300 MB)" in scaled and "MISSED" not in scaled and "ok" not in scaled.split()
