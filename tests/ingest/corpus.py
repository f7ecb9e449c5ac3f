"""The corpus of odd and bad files, written at test time (small, no binaries committed).

Each entry: relative path under the raw root, source folder, and a writer taking the target path.
Expected outcomes live in test_corpus.py next to the assertions.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl

Writer = Callable[[Path], None]


def _text(content: str, encoding: str = "utf-8") -> Writer:
    return lambda path: path.write_bytes(content.encode(encoding))


def _bytes(content: bytes) -> Writer:
    return lambda path: path.write_bytes(content)


OFFICIAL_AS_XLS = _text(
    "country,year,indicator,value,source\n"
    "AZE,2024,IT.NET.USER.ZS,85.1,ITU\n"
    "Türkiye,2024,itu_internet_users_pct,83,ITU\n"
    "Atlantis,2024,IT.NET.USER.ZS,1,ITU\n"
    "AZE,2024,NOT.A.CODE,3,ITU\n"
    "Egypt, Arab Rep.,2024,IT.NET.USER.ZS,72,ITU\n"  # unquoted comma: the row is ragged
)

HTML_AS_XLS = _text(
    "<html><head><meta charset='utf-8'></head><body><table><tr><td>x</td></tr></table></body></html>"
)
LEGACY_BIFF = _bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
PDF = _bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
EMPTY = _bytes(b"\r\n  \n")

SPREADSHEETML = _text(
    """<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="Connectivity">
  <Table>
   <Row><Cell ss:MergeAcross="2"><Data ss:Type="String">School connectivity survey 2025</Data></Cell></Row>
   <Row ss:Index="3">
    <Cell><Data ss:Type="String">institution_id</Data></Cell>
    <Cell><Data ss:Type="String">institution_name</Data></Cell>
    <Cell><Data ss:Type="String">connectivity_type</Data></Cell>
    <Cell><Data ss:Type="String">download_mbps</Data></Cell>
    <Cell><Data ss:Type="String">has_electricity</Data></Cell>
   </Row>
   <Row><Cell><Data ss:Type="String">AZ-001</Data></Cell><Cell><Data ss:Type="String">Baku VET 1</Data></Cell>
    <Cell><Data ss:Type="String">Fiber</Data></Cell><Cell><Data ss:Type="Number">100</Data></Cell>
    <Cell><Data ss:Type="String">yes</Data></Cell></Row>
   <Row><Cell><Data ss:Type="String">AZ-002</Data></Cell><Cell><Data ss:Type="String">Ganja VET</Data></Cell>
    <Cell><Data ss:Type="String">4G</Data></Cell><Cell><Data ss:Type="String">fast</Data></Cell>
    <Cell><Data ss:Type="String">no</Data></Cell></Row>
   <Row><Cell><Data ss:Type="String">AZ-003</Data></Cell>
    <Cell ss:Index="3"><Data ss:Type="String">VSAT</Data></Cell>
    <Cell><Data ss:Type="Number">12.5</Data></Cell><Cell><Data ss:Type="String">oui</Data></Cell></Row>
  </Table>
 </Worksheet>
</Workbook>
"""
)

# Long tidy institution counts, UTF-16 with BOM, tab separated (Excel "Unicode text").
UTF16_TSV = _text(
    "country\tyear\tvet_level\townership\tsex\tmeasure\tvalue\n"
    "Pakistan\t2024\tISCED 35\tPublic\tTotal\tInstitutions\t3 740\n"
    "Pakistan\t2024\tISCED 35\tPublic\tFemale\tStudents\t120 500\n"
    "Pakistan\t2024\tISCED 35\tPrivate\tMale\tStudents\t98 300\n"
    "Pakistan\t2024\tISCED 35\tPrivate\tboth\tStudents\t1\n",
    "utf-16",
)

# Wide ministry table in Windows-1256 (which has no Arabic-Indic digits), Arabic headers, a totals row.
CP1256_CSV = _text(
    "وزارة التربية والتعليم - إحصاءات التعليم المهني\n"
    "المستوى,القطاع,المؤسسات,الطلاب - إناث,الطلاب - ذكور,الطلاب - المجموع\n"
    "المستوى 3,حكومي,12,1 200,1 500,2 700\n"
    "المستوى 3,خاص,4,300,200,500\n"
    "المستوى 4,حكومي,7,900,abc,1 900\n"
    "المجموع,,23,2 400,2 700,5 100\n",
    "cp1256",
)

SEMICOLON_DECIMAL_COMMA = _text(
    "pays;année;indicateur;valeur;note\n"
    "Sénégal;2023;IT.NET.USER.ZS;58,1;\n"
    "Côte d'Ivoire;2023;IT.NET.USER.ZS;45,4;estimation\n"
    "Maroc;2023;EG.ELC.ACCS.ZS;99,8;\n"
    "Maroc;2023;EG.ELC.ACCS.ZS;99,9;doublon\n"
    "Tunisie;2023;IT.NET.USER.ZS;12,5,3;\n",
    "cp1252",
)

WB_WIDE = _text(
    '\ufeff"Country Name","Country Code","Series Name","Series Code","2022 [YR2022]","2023 [YR2023]"\n'
    '"Azerbaijan","AZE","Individuals using the Internet (% of population)","IT.NET.USER.ZS","86","88.6"\n'
    '"Gambia, The","GMB","Individuals using the Internet (% of population)","IT.NET.USER.ZS","..","33"\n'
    '"Arab World","ARB","Individuals using the Internet (% of population)","IT.NET.USER.ZS","70","72"\n'
    '"Iran, Islamic Rep.","IRN","Unknown series","XX.YY.ZZ","1","2"\n'
    "\n"
    '"Data from database: World Development Indicators"\n'
    '"Last Updated: 10/15/2025"\n'
)

EQUIPMENT_NO_QUANTITY = _text(
    "institution_id,institution_name,item_code,in_working_order\nA1,School,laptop,3\n"
)

EQUIPMENT_CSV = _text(
    "institution_id,institution_name,item,quantity,in_working_order,year_acquired,funding_source\n"
    "A1,School 1,laptop,10,8,2021,government\n"
    "A1,School 1,Ordinateur portable,5,5,2022,donors\n"  # French name of the same item
    "A2,School 2,حاسوب مكتبي,١٢,١٠,2020,government\n"  # Arabic name, Arabic-Indic digits
    "A2,School 2,flux capacitor,1,1,2020,government\n"
    "A3,School 3,laptop,4,6,2021,government\n"
    "A3,School 3,laptop,-1,0,2021,donors\n"
    "A3,School 3,laptop,2,2,2031,donors\n"
    "A1,School 1,laptop,10,8,2021,government\n"  # duplicate of line 2
    ",School 4,laptop,1,1,2020,government\n"
)


def _xlsx(build: Callable[[openpyxl.Workbook], None]) -> Writer:
    def write(path: Path) -> None:
        wb = openpyxl.Workbook()
        build(wb)
        wb.save(path)

    return write


def _ministry(wb: openpyxl.Workbook) -> None:
    ws = wb.active
    ws.title = "2024"
    ws["A1"] = "Republic of Azerbaijan - State Agency for VET"
    ws["A2"] = "Institutions, students and teachers by level"
    ws.append([])
    ws.append(["Level", "Ownership", "Institutions", "Students", None, None, "Teachers", None, None])
    ws.append([None, None, None, "Female", "Male", "Total", "Female", "Male", "Total"])
    ws.merge_cells("D4:F4")
    ws.merge_cells("G4:I4")
    ws.merge_cells("A4:A5")
    ws.append(["NQF level 3", "Public", 40, 9000, 12000, 21000, 600, 700, 1300])
    ws.append([None, "Private", 5, 800, 900, 1700, 50, 60, 110])  # level merged down
    ws.append(["NQF level 4", "Public", 30, "7 500", "8 000", "15 500", 400, 450, 850])
    ws.append(["NQF level 5", "Public", 4, 1200, -5, 1195, 90, 95, 185])
    ws.append(["TOTAL", None, 79, 18500, 20895, 39395, 1140, 1305, 2445])
    ws.append([])
    ws.append(["Source: State Agency for VET"])
    notes = wb.create_sheet("Notes")
    notes["A1"] = "Figures are provisional."


def _kobo(wb: openpyxl.Workbook) -> None:
    main = wb.active
    main.title = "vetdx_survey"
    main.append(
        [
            "start",
            "grp_meta/country",
            "grp_meta/round",
            "grp_meta/respondent_role",
            "grp_id/respondent_name",
            "grp_id/respondent_email",
            "grp_infra/broadband_mbps",
            "grp_infra/has_computer_lab",
            "grp_cur/digital_tools",
            "grp_cur/digital_tools/lms",
            "grp_cur/digital_tools/simulators",
            "grp_fin/digital_budget_share_pct",
            "favourite_colour",
            "_id",
            "_uuid",
            "_submission_time",
            "_validation_status",
            "__version__",
            "_index",
        ]
    )
    main.append(
        [
            "2025-03-01",
            "AZE",
            2025,
            "national",
            "Leyla",
            "leyla@example.org",
            "100",
            "yes",
            "lms",
            1,
            0,
            "0.25",
            "blue",
            1,
            "u-1",
            "2025-03-01T10:00:00.000+04:00",
            "approved",
            "v1",
            1,
        ]
    )
    main.append(
        [
            "2025-03-02",
            "Azerbaïdjan",
            2025,
            "institution",
            None,
            None,
            "12,5,3",
            "no",
            None,
            None,
            None,
            "0.5",
            None,
            2,
            "u-2",
            "2025-03-02T10:00:00",
            None,
            "v1",
            2,
        ]
    )
    main.append(
        [
            "2025-03-03",
            "Narnia",
            2025,
            "institution",
            None,
            None,
            "20",
            "no",
            None,
            None,
            None,
            None,
            None,
            3,
            "u-3",
            "2025-03-03T10:00:00",
            None,
            "v1",
            3,
        ]
    )
    main.append(
        [
            "2025-03-04",
            "Azerbaijan",
            2025,
            "institution",
            None,
            None,
            "30",
            "oui",
            "lms simulators",
            1,
            1,
            "1",
            None,
            4,
            "u-4",
            "2025-03-04T10:00:00",
            None,
            "v1",
            4,
        ]
    )
    rep = wb.create_sheet("programmes")
    rep.append(["programme_name", "programme_ict_hours", "programme_blended", "_index", "_parent_index"])
    rep.append(["Welding", 45, "yes", 1, 1])
    rep.append(["CNC", 190, "no", 2, 1])
    rep.append(["Plumbing", 60, "yes", 3, 4])
    rep.append(["Orphan", 10, "no", 4, 3])  # its parent (Narnia) is rejected
    rep.append(["Bad hours", "lots", "no", 5, 4])


MINISTRY_XLSX = _xlsx(_ministry)
KOBO_XLSX = _xlsx(_kobo)

KOBO_FRENCH_LABELS = _text(
    "Pays;Cycle d'enquête (année de référence);Rôle du répondant;"
    "Infrastructures/Débit descendant contractuel (Mbit/s);L'établissement dispose d'une salle informatique;"
    "Compétences numériques des gestionnaires;Outils numériques utilisés;"
    "Outils numériques utilisés/Leçons vidéo;Outils numériques utilisés/Simulateurs;_uuid;_submission_time\n"
    "Sénégal;2025;Établissement d'EFTP;25,5;Oui;Très élevé;Leçons vidéo;1;0;f-1;2025-04-01 09:00:00\n"
    "Sénégal;2025;Point focal national;10;Non;Moyen;;;;f-2;2025-04-02 09:00:00\n"
    "Sénégal;2025;Point focal national;10;Peut-être;Moyen;;;;f-3;2025-04-02 09:00:00\n"
)

KOBO_ARABIC_LABELS = _text(
    "البلد,دورة المسح (السنة المرجعية),دور المستجيب,تمتلك المؤسسة مختبر حاسوب,"
    "المهارات الرقمية للمديرين,حصة الرقمنة من ميزانية التعليم المهني (%),_uuid\n"
    "الأردن,٢٠٢٥,مؤسسة تعليم وتدريب مهني,نعم,مرتفع جدا,٤٥٪,a-1\n"
    "المملكة الأردنية الهاشمية,2025,نقطة الاتصال الوطنية,لا,منخفض,30%,a-2\n"
    "الاردن,2025,نقطة الاتصال الوطنية,لا,منخفض,130%,a-3\n",
    "utf-8-sig",
)

ODK_CSV = _text(
    "SubmissionDate,grp_meta-country,grp_meta-round,grp_meta-respondent_role,grp_infra-learner_devices,"
    "grp_pol-national_strategy,grp_fin-funding_sources,KEY,ReviewState,FormVersion\n"
    "2024-05-01T08:00:00.000Z,QAT,2024,national,350,adopted,government donors,uuid:k1,approved,2024050101\n"
    "2024-05-02T08:00:00.000Z,Qatar,2024,institution,1.5,planned,,uuid:k2,,2024050101\n"
    "2024-05-03T08:00:00.000Z,QA,2024,institution,20,maybe,,uuid:k3,,2024050101\n"
    "2024-05-04T08:00:00.000Z,634,2024,institution,20,none,ppp,uuid:k4,,2024050101\n"
)

LIMESURVEY_CSV = _text(
    "id,submitdate,lastpage,startlanguage,seed,country,round,respondentrole,broadbandmbps,"
    "digitaltools[SQ001],digitaltools[SQ002],digitaltools[SQ003],contentquality\n"
    "1,2025-02-01 10:00:00,3,en,123,MYS,2025,national,50,Y,,Y,4\n"
    "2,2025-02-02 10:00:00,3,en,124,Malaysia,2025,institution,150000,,,,2\n"
    "3,2025-02-03 10:00:00,3,en,125,Malaisie,2025,institution,80,,,,\n"
)

PII_CANARY = _text(
    "country,round,respondent_role,respondent_name,respondent_email,respondent_phone,respondent_position,"
    "broadband_mbps,Contact e-mail,notes\n"
    "GMB,2025,national,Canary Person,canary.leak@example.org,+99 555 0100 777,Director,10,"
    "canary.leak@example.org,call +99 555 0100 777\n"
    "GMB,2025,national,Canary Person,canary.leak@example.org,+99 555 0100 777,Director,fast,"
    "canary.leak@example.org,write canary.leak@example.org\n"
)
