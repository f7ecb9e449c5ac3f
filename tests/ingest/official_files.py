"""Small copies of official files as their publishers really send them, written at test time.

Layouts follow the real downloads (values are made up, few rows):
- World Bank API CSV (api.worldbank.org/v2/en/indicator/IT.NET.USER.ZS?downloadformat=csv): four
  metadata lines (two of them blank), columns 1960..2024, a trailing comma on every line, aggregates
  and non-members next to members, empty cells for missing values.
- DataBank export (databank.worldbank.org, Education Statistics): `Country`, `Country Code`,
  `Series`, `Series Code`, `2019 [YR2019]` ..., `..` for missing, a footer of notes.
- The same WDI export re-saved by Excel in a `;` locale: `;` delimiter, decimal commas, cp1252,
  `Egypt, Arab Rep.` unquoted (it holds no `;`).
- An API CSV whose quotes were lost: `Egypt, Arab Rep.` becomes two fields.
- A tidy file with a 1999 row, a projection, a 104.5 % value and a typo year.
- A UIS extract (.Stat layout) in cp1252: code and label columns side by side.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

API_YEARS = list(range(1960, 2025))


def _api_line(cells: list[str]) -> str:
    return ",".join(f'"{c}"' for c in cells) + ",\n"


def _api_values(first: int, values: list[float]) -> list[str]:
    """Cells for 1960..2024: empty before `first`, then `values` year by year, empty after."""
    by_year = {first + i: v for i, v in enumerate(values)}
    return [f"{by_year[y]:g}" if y in by_year else "" for y in API_YEARS]


# (country name, code, first year with a value, values from that year on)
API_ROWS = [
    ("Aruba", "ABW", 1990, [0.0, 0.1]),  # not a member
    ("Africa Eastern and Southern", "AFE", 1990, [0.2]),  # an aggregate
    ("Afghanistan", "AFG", 1998, [0.5, 0.7, 1.1, 1.9]),  # 1998-2001: two in scope (2000, 2001)
    ("Egypt, Arab Rep.", "EGY", 2022, [72.7, 72.2, 73.5]),  # 2022-2024
    ("Jordan", "JOR", 1995, [0.3]),  # 1995 only: history, nothing in scope
    ("World", "WLD", 2023, [67.4]),
]


def write_api_csv(path: Path) -> None:
    lines = [
        _api_line(["Data Source", "World Development Indicators"]),
        "\n",
        _api_line(["Last Updated Date", "2025-01-28"]),
        "\n",
        _api_line(["Country Name", "Country Code", "Indicator Name", "Indicator Code", *map(str, API_YEARS)]),
    ]
    for name, code, first, values in API_ROWS:
        series = ["Individuals using the Internet (% of population)", "IT.NET.USER.ZS"]
        lines.append(_api_line([name, code, *series, *_api_values(first, values)]))
    path.write_text("".join(lines), encoding="utf-8-sig")


DATABANK_HEADER = ["Country", "Country Code", "Series", "Series Code"] + [
    f"{y} [YR{y}]" for y in range(2019, 2024)
]
DATABANK_ROWS = [
    # The name column says "Bangladesh" in a spelling no seed knows: the code decides.
    ["People's Rep. of Bangladesh", "BGD", "Government expenditure on education as % of GDP (%)",
     "SE.XPD.TOTL.GD.ZS", "1.8", "2.1", "1.8", "..", "2.05"],
    ["Jordan", "JOR", "Government expenditure on education as % of GDP (%)",
     "SE.XPD.TOTL.GD.ZS", "3.1", "3.2", "..", "3.0", ".."],
    ["Jordan", "JOR", "Access to electricity (% of population)",
     "EG.ELC.ACCS.ZS", "100", "100", "100", "104.5", "100"],  # one cell above 100 %
    ["Jordan", "JOR", "Pupil-teacher ratio, primary", "SE.PRM.ENRL.TC.ZS",
     "20.1", "19.8", "..", "..", ".."],  # not a catalogue series
    ["Arab World", "ARB", "Government expenditure on education as % of GDP (%)",
     "SE.XPD.TOTL.GD.ZS", "3.5", "..", "..", "..", ".."],
]  # fmt: skip
DATABANK_FOOTER = [
    "",
    "Data from database: Education Statistics - All Indicators",
    "Last Updated: 12/18/2024",
]


def write_databank_csv(path: Path) -> None:
    def line(cells: list[str]) -> str:
        return ",".join(f'"{c}"' if c else "" for c in cells) + "\n"

    body = [line(DATABANK_HEADER), *(line(r) for r in DATABANK_ROWS), *(line([f]) for f in DATABANK_FOOTER)]
    path.write_text("".join(body), encoding="utf-8-sig")


def write_databank_xlsx(path: Path) -> None:
    book = openpyxl.Workbook()
    data = book.active
    data.title = "Data"
    data.append(DATABANK_HEADER)
    for row in DATABANK_ROWS:
        data.append(row)
    data.append([])
    for note in DATABANK_FOOTER[1:]:
        data.append([note])
    meta = book.create_sheet("Series - Metadata")
    meta.append(["Code", "License Type", "Indicator Name", "Long definition"])
    meta.append(["SE.XPD.TOTL.GD.ZS", "CC BY-4.0", "Government expenditure on education", "..."])
    book.save(path)


# Excel in a French or German locale: `;` between fields, `,` before decimals, cp1252 bytes.
SEMICOLON_WDI = (
    "Country Name;Country Code;Series Name;Series Code;2021 [YR2021];2022 [YR2022];2023 [YR2023]\n"
    "Egypt, Arab Rep.;EGY;Individuals using the Internet (% of population);IT.NET.USER.ZS;72,1;72,7;..\n"
    "Côte d'Ivoire;CIV;Individuals using the Internet (% of population);IT.NET.USER.ZS;45,4;..;38,4\n"
    "Türkiye;TUR;Fixed broadband subscriptions (per 100 people);IT.NET.BBND.P2;21,3;22,4;23,1\n"
)


def write_semicolon_wdi(path: Path) -> None:
    path.write_bytes(SEMICOLON_WDI.encode("cp1252"))


# The quotes lost: the Egypt row has 8 fields under a 7-field header.
UNQUOTED_WDI = (
    "Country Name,Country Code,Series Name,Series Code,2021 [YR2021],2022 [YR2022],2023 [YR2023]\n"
    "Jordan,JOR,Individuals using the Internet,IT.NET.USER.ZS,83.9,88.0,90.5\n"
    "Egypt, Arab Rep.,EGY,Individuals using the Internet,IT.NET.USER.ZS,72.1,72.7,73.0\n"
    "Albania,ALB,Individuals using the Internet,IT.NET.USER.ZS,79.3,82.6,83.1\n"
)


def write_unquoted_wdi(path: Path) -> None:
    path.write_text(UNQUOTED_WDI, encoding="utf-8")


TIDY = (
    "country,year,indicator,value,source\n"
    "Jordan,1999,itu_internet_users_pct,21.4,ITU\n"  # history before 2000
    "Jordan,2020,itu_internet_users_pct,104.5,ITU\n"  # a share above 100 %
    "Jordan,2021,itu_internet_users_pct,80.1,ITU\n"  # lands
    "Jordan,2030,itu_internet_users_pct,95,ITU\n"  # a projection
    "Jordan,20021,itu_internet_users_pct,81,ITU\n"  # a typo, not a year
    "Jordan,2022,wb_fixed_broadband_per100,104.5,ITU\n"  # per 100 people: above 100 is possible
)


def write_tidy(path: Path) -> None:
    path.write_text(TIDY, encoding="utf-8")


UIS_HEADER = "EDULIT_IND,Indicator,LOCATION,Country,TIME,Time,Value,Flag Codes,Flags\n"
UIS_ROWS = (
    "SE.XPD.TOTL.GD.ZS,Government expenditure on education as a percentage of GDP (%),SEN,Sénégal,"
    "2022,2022,5.6,,\n"
    "SE.XPD.TOTL.GD.ZS,Government expenditure on education as a percentage of GDP (%),UGA,Ouganda,"
    "2022,2022,2.6,e,UIS estimation\n"
)


def write_uis(path: Path) -> None:
    path.write_bytes((UIS_HEADER + UIS_ROWS).encode("cp1252"))


FILES = {
    "official/API_IT.NET.USER.ZS_DS2_en_csv_v2_1234.csv": write_api_csv,
    "official/Education_Statistics_Data.csv": write_databank_csv,
    "official/Education_Statistics_Data.xlsx": write_databank_xlsx,
    "official/wdi_resaved_fr.csv": write_semicolon_wdi,
    "official/wdi_unquoted.csv": write_unquoted_wdi,
    "official/tidy_with_history.csv": write_tidy,
    "official/uis_extract.csv": write_uis,
}


def write_all(raw: Path) -> list[Path]:
    paths = []
    for name, writer in FILES.items():
        path = raw / name
        path.parent.mkdir(parents=True, exist_ok=True)
        writer(path)
        paths.append(path)
    return paths
