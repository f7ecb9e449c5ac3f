"""Fake identities in the shapes countries send, written at test time, and every token that must
never reach the warehouse, its exports or the logs in clear.

Files: an Arabic Kobo label export (names under headers no codebook label matches, `_submitted_by`,
8-digit numbers under `GSM`, Arabic-Indic digits and obfuscated e-mails in comments, contacts
typed into the institution name), a French Kobo label export, a French ministry workbook with a
responsible-person column and a `Préparé par : name, e-mail, tél.` footer, and an inventory whose
institution names carry contacts. Every identity is invented.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

# Every personal token of the corpus, as it is written in the files.
NAMES = (
    "فاطمة الزهراء بن علي",
    "محمد عبد الله الحربي",
    "خالد يوسف المنصوري",
    "Aïcha Diallo Konaté",
    "Mamadou Lamine Sow",
    "Fatou Binta Ndiaye",
    "Jean-Baptiste Ouédraogo",
    "Fatima Zahra Bennani",
    "Karim Idrissi",
    "enum_kobo_omar77",
    "agent.dakar.03",
)
EMAILS = (
    "f.benali@moe.gov.jo",
    "m.harbi(at)gmail(dot)com",
    "khaled.mansouri [at] yahoo [dot] fr",
    "aicha.konate@formation.gouv.sn",
    "msow at orange dot sn",
    "f.bennani@men.gov.ma",
    "k.idrissi＠gmail.com",
    "atelier.meca@lycee-tech.ma",
)
PHONES = (
    "55667701",
    "٥٥٦٦٧٧٠١",
    "+962 79 555 1234",
    "٠٧٩٥٥٥١٢٣٤",
    "77 654 32 10",
    "+221 77 123 45 67",
    "00221 33 889 12 34",
    "+212 6 61 23 45 67",
    "0661-234567",
    "0522 45 67 89",
)
TOKENS = NAMES + EMAILS + PHONES

_KOBO_AR_HEADERS = (
    "_uuid",
    "_submission_time",
    "_submitted_by",
    "البلد",
    "دورة المسح (السنة المرجعية)",
    "دور المستجيب",
    "اسم المؤسسة",
    "اسم المستجيب",
    "البريد الإلكتروني",
    "رقم الهاتف",
    "الاسم الكامل",
    "اسم المسؤول عن التعبئة",
    "GSM",
    "سرعة التنزيل المتعاقد عليها (ميغابت/ثانية)",
    "عدد المتعلمين المسجلين",
    "ملاحظات",
)
KOBO_AR_ROWS = (
    (
        "a1f0c6e2-0001",
        "2025-03-02T10:15:00+03:00",
        "enum_kobo_omar77",
        "الأردن",
        "2025",
        "نقطة الاتصال الوطنية",
        "معهد عمان المهني",
        "فاطمة الزهراء بن علي",
        "f.benali@moe.gov.jo",
        "+962 79 555 1234",
        "فاطمة الزهراء بن علي",
        "محمد عبد الله الحربي",
        "55667701",
        "40",
        "1200",
        "للتواصل: ٥٥٦٦٧٧٠١ أو m.harbi(at)gmail(dot)com",
    ),
    (
        "a1f0c6e2-0002",
        "2025-03-03T09:00:00+03:00",
        "enum_kobo_omar77",
        "الأردن",
        "2025",
        "مؤسسة تعليم وتدريب مهني",
        "مركز الزرقاء للتدريب - هاتف ٠٧٩٥٥٥١٢٣٤",
        "خالد يوسف المنصوري",
        "khaled.mansouri [at] yahoo [dot] fr",
        "٠٧٩٥٥٥١٢٣٤",
        "خالد يوسف المنصوري",
        "خالد يوسف المنصوري",
        "55667701",
        "12.5",
        "850",
        "أعده: خالد يوسف المنصوري، البريد khaled.mansouri [at] yahoo [dot] fr",
    ),
    (  # quarantined: the speed is not a number, so every cell lands in `original`
        "a1f0c6e2-0003",
        "2025-03-04T11:30:00+03:00",
        "enum_kobo_omar77",
        "الأردن",
        "2025",
        "مؤسسة تعليم وتدريب مهني",
        "معهد إربد",
        "محمد عبد الله الحربي",
        "m.harbi(at)gmail(dot)com",
        "55667701",
        "محمد عبد الله الحربي",
        "فاطمة الزهراء بن علي",
        "٥٥٦٦٧٧٠١",
        "سريع جدا",
        "300",
        "اتصل على +962 79 555 1234",
    ),
)
_KOBO_FR_HEADERS = (
    "_uuid",
    "_submission_time",
    "_submitted_by",
    "Pays",
    "Cycle d'enquête (année de référence)",
    "Rôle du répondant",
    "Nom de l'établissement",
    "Nom du répondant",
    "Courriel",
    "Numéro de téléphone",
    "Nom et prénom du point focal",
    "Enquêteur",
    "Tél. portable",
    "Débit descendant contractuel (Mbit/s)",
    "Apprenants inscrits",
    "Commentaires",
)
KOBO_FR_ROWS = (
    (
        "b7d1-0001",
        "2025-04-10T08:00:00Z",
        "agent.dakar.03",
        "Sénégal",
        "2025",
        "Point focal national",
        "Lycée technique Delafosse (contact : 77 654 32 10)",
        "Aïcha Diallo Konaté",
        "aicha.konate@formation.gouv.sn",
        "+221 77 123 45 67",
        "Aïcha Diallo Konaté",
        "Mamadou Lamine Sow",
        "77 654 32 10",
        "25",
        "640",
        "Joindre le point focal : Aïcha Diallo Konaté, msow at orange dot sn ou 00221 33 889 12 34",
    ),
    (
        "b7d1-0002",
        "2025-04-11T08:00:00Z",
        "agent.dakar.03",
        "Sénégal",
        "2025",
        "Établissement d'EFTP",
        "Centre de formation de Thiès",
        "Fatou Binta Ndiaye",
        "msow at orange dot sn",
        "00221 33 889 12 34",
        "Jean-Baptiste Ouédraogo",
        "Mamadou Lamine Sow",
        "+221 77 123 45 67",
        "8",
        "410",
        "Rempli par : Fatou Binta Ndiaye (tél. 77 654 32 10)",
    ),
)
KOBO_ROUND = 2025


def _rows(headers: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> list[list[str]]:
    return [list(headers), *(list(r) for r in rows)]


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


# Ministry workbook (institutions/): a responsible-person column, a footer with the preparer.
MINISTRY_ROWS = (  # level, ownership, institutions, female, male, teachers, responsible
    ("Niveau 3", "Public", 120, 5400, 6100, 830, "Fatima Zahra Bennani"),
    ("Niveau 3", "Privé", 45, 1200, 1500, 210, "Karim Idrissi"),
    ("Niveau 4", "Public", 80, 3900, 4200, 560, "Fatima Zahra Bennani"),
    ("Niveau 4", "Privé", "quarante", 800, 950, 140, "Karim Idrissi, tél. 0661-234567"),  # rejected
)
MINISTRY_FOOTER = "Préparé par : Fatima Zahra Bennani, f.bennani@men.gov.ma, tél. +212 6 61 23 45 67"


def ministry_workbook(path: Path) -> None:
    rows: list[list[object]] = [
        ["Ministère de la Formation professionnelle - Statistiques de l'EFTP 2024"],
        [],
        [
            "Niveau",
            "Statut",
            "Établissements",
            "Apprenants - Filles",
            "Apprenants - Garçons",
            "Formateurs",
            "Nom du responsable",
        ],
        *[list(r) for r in MINISTRY_ROWS],
        [],
        [MINISTRY_FOOTER],
        ["Contact : Karim Idrissi, k.idrissi＠gmail.com, 0522 45 67 89"],
    ]
    write_xlsx(path, {"2024": rows})


# Inventory (inventory/): contacts typed into institution names and the funding source.
INVENTORY_CSV = (
    "country,year,institution_id,institution_name,item,quantity,in_working_order,year_acquired,"
    "funding_source\n"
    "MAR,2024,MA-CAS-0042,Lycée technique Al Khawarizmi - atelier.meca@lycee-tech.ma,Desktop computer,30,28,"
    "2021,Ministry\n"
    "MAR,2024,MA-CAS-0042,Lycée technique Al Khawarizmi - atelier.meca@lycee-tech.ma,Projector,4,4,2022,"
    "Donor (contact 0522 45 67 89)\n"
    "MAR,2024,MA-RAB-0007,ISTA Rabat,Desktop computer,55,50,2020,Ministry\n"
)


def write_corpus(raw: Path) -> None:
    """The four files under `raw` (a raw root: survey/, institutions/, inventory/)."""
    write_xlsx(
        raw / "survey" / "2025" / "JOR_kobo_labels_ar.xlsx", {"data": _rows(_KOBO_AR_HEADERS, KOBO_AR_ROWS)}
    )
    write_xlsx(
        raw / "survey" / "2025" / "SEN_kobo_labels_fr.xlsx", {"data": _rows(_KOBO_FR_HEADERS, KOBO_FR_ROWS)}
    )
    ministry_workbook(raw / "institutions" / "MAR_statistiques_2024.xlsx")
    (raw / "inventory").mkdir(parents=True, exist_ok=True)
    (raw / "inventory" / "MAR_inventory_2024.csv").write_text(INVENTORY_CSV, encoding="utf-8")
