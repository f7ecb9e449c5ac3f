"""Two files giving the same official observation: the same answer whichever arrived first, and the
disagreement listed for analysts (issue 12: BGD 2023 spending 2.44 or 2.05 by load order)."""

from __future__ import annotations

import pytest
from vetdx_dbt_harness import RawData, at, build_scenario

SELECT = ("build", "--select", "stg_raw__official_observations", "int_official_observations_conflicting")


def _raw(uis_first: bool) -> RawData:
    raw = RawData()
    days = {"uis_2025.csv": 1, "wdi_2025.csv": 2} if uis_first else {"uis_2025.csv": 2, "wdi_2025.csv": 1}
    spending = "SE.XPD.TOTL.GD.ZS"
    for year, uis, wdi in ((2023, 2.44, 2.05), (2022, 2.10, 2.10)):
        for file, value in (("uis_2025.csv", uis), ("wdi_2025.csv", wdi)):
            raw.official("BGD", year, spending, value, file=file, batch=file[:3], loaded_at=at(days[file]))
    return raw


@pytest.fixture(scope="module", params=["uis first", "wdi first"])
def build(request, tmp_path_factory):
    run = build_scenario(tmp_path_factory.mktemp("order"), _raw(request.param == "uis first"), command=SELECT)
    assert run.success, "\n".join(run.failures()) + run.log[-3000:]
    return run


def test_the_current_value_does_not_depend_on_which_file_arrived_first(build):
    rows = build.query(
        "select round, value, source_file from staging.stg_raw__official_observations order by round"
    )
    # official/wdi_2025.csv sorts after official/uis_2025.csv: it is kept, in both arrival orders
    assert rows == [(2022, 2.10, "official/wdi_2025.csv"), (2023, 2.05, "official/wdi_2025.csv")]


def test_disagreeing_files_are_listed_with_both_values_and_sources(build):
    rows = build.query(
        "select iso3, round, kept_value, kept_file, other_value, other_file, round(difference, 6)"
        " from intermediate.int_official_observations_conflicting"
    )
    # 2022: both files say 2.10, no conflict; 2023: 2.05 kept, 2.44 beside it
    assert rows == [("BGD", 2023, 2.05, "official/wdi_2025.csv", 2.44, "official/uis_2025.csv", 0.39)]
