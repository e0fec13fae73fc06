"""The throwaway cluster runs with the settings README recommends for a district's server."""

import re
from pathlib import Path

from tests import pgcluster

README = Path(__file__).resolve().parents[2] / "README.md"


def _recommended() -> dict[str, str]:
    """The `name = value` lines of the ini block in README's District mode section."""
    text = README.read_text(encoding="utf-8")
    district = text[text.index("## District mode"):]
    district = district[:district.index("\n## ", 1)]
    block = re.search(r"```ini\n(.*?)```", district, re.S)
    assert block, "README's District mode section has no ```ini block of server settings"
    lines = [ln.split("#")[0].strip() for ln in block.group(1).splitlines()]
    return dict((k.strip(), v.strip()) for k, v in (ln.split("=", 1) for ln in lines if ln))


def test_readme_recommends_what_the_benchmark_cluster_runs_with():
    assert _recommended() == pgcluster.DISTRICT_SETTINGS


def test_the_cluster_is_started_with_those_settings_and_without_fsync():
    opts = pgcluster.server_options(Path("/tmp/sock")).split()
    given = dict(opts[k + 1].split("=", 1) for k, o in enumerate(opts) if o == "-c")
    assert {k: given[k] for k in pgcluster.DISTRICT_SETTINGS} == pgcluster.DISTRICT_SETTINGS
    assert given["fsync"] == "off" and given["listen_addresses"] == ""
