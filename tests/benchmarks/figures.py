"""The figures every benchmark records, so one run can print them as one table and write them as JSON.

A benchmark calls `record()` for each figure it measures, with the baseline it
measured in the same run (ratios are what count on a shared machine) and, when
issue "speed" sets one, the target ratio. The runner (`python -m tests.benchmarks`)
collects them; a benchmark run on its own still prints its own lines.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Figure:
    bench: str
    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    target: float | None = None  # the ratio to stay at or under
    size: str = ""  # what it ran on (100,000 members ...)
    notes: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        r = self.ratio
        if self.target is None:
            return None
        return (r if r is not None else self.value) <= self.target

    def as_json(self) -> dict:
        return asdict(self) | {"ratio": self.ratio, "met": self.met}


RESULTS: list[Figure] = []


def record(bench: str, name: str, value: float, unit: str, baseline: float | None = None,
           baseline_name: str = "", target: float | None = None, size: str = "", **notes) -> Figure:
    f = Figure(bench, name, value, unit, baseline, baseline_name, target, size, notes)
    RESULTS.append(f)
    return f


def _num(v: float | None, unit: str) -> str:
    if v is None:
        return ""
    if unit == "s":
        return f"{v:.2f} s" if v >= 1 else f"{v * 1000:.1f} ms"
    if unit == "MB":
        return f"{v:.0f} MB"
    return f"{v:,.3g} {unit}".strip()


def table(figures: list[Figure]) -> str:
    """Figure, baseline and ratio for every recorded figure, as a plain-text table."""
    head = ("benchmark", "figure", "value", "baseline", "ratio", "target")
    lines = []
    for f in figures:
        ratio = f"{f.ratio:.2f}x" if f.ratio is not None else ""
        target = ""
        if f.target is not None:
            target = f"<= {f.target:g}{'x' if f.ratio is not None else ' ' + f.unit}" + (
                "  ok" if f.met else "  MISSED")
        base = _num(f.baseline, f.unit)
        if f.baseline_name and base:
            base = f"{base} ({f.baseline_name})"
        name = f"{f.name} [{f.size}]" if f.size else f.name
        lines.append((f.bench, name, _num(f.value, f.unit), base, ratio, target))
    widths = [max(len(str(r[i])) for r in [head, *lines]) for i in range(len(head))]

    def fmt(r) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()

    return "\n".join([fmt(head), fmt(["-" * w for w in widths]), *(fmt(r) for r in lines)])
