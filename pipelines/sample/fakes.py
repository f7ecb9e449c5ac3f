"""Fake respondent identities (ingest must hash or drop them; none is a real person)."""

from __future__ import annotations

import numpy as np

FIRST = {
    "en": ("Aisha", "Omar", "Farid", "Leyla", "Nurlan", "Siti", "Ahmad", "Fatima", "Bilal", "Zainab"),
    "fr": ("Aminata", "Moussa", "Fatou", "Ibrahima", "Mariam", "Youssef", "Khadija", "Abdou", "Awa", "Karim"),
    "ar": ("أحمد", "فاطمة", "محمد", "مريم", "علي", "خديجة", "يوسف", "سارة", "حسن", "ليلى"),
}
LAST = {
    "en": ("Rahman", "Aliyev", "Hasanov", "Karimova", "Ismail", "Abdullah", "Khan", "Yusuf", "Bakr", "Salim"),
    "fr": ("Diallo", "Traoré", "Ndiaye", "Koné", "Camara", "Benali", "Sow", "Ouédraogo", "Cissé", "Haddad"),
    "ar": ("العلي", "الحسن", "المصري", "الخطيب", "النجار", "السعدي", "الحداد", "يوسف", "القاسم", "سالم"),
}
POSITIONS = {
    "en": ("Director", "Deputy director", "ICT coordinator", "Head of department", "Focal point"),
    "fr": ("Directeur", "Directeur adjoint", "Coordinateur TIC", "Chef de département", "Point focal"),
    "ar": ("مدير", "نائب المدير", "منسق تكنولوجيا المعلومات", "رئيس قسم", "نقطة الاتصال"),
}


def identity(rng: np.random.Generator, lang: str, serial: int) -> dict[str, str]:
    first = FIRST[lang][rng.integers(10)]
    last = LAST[lang][rng.integers(10)]
    return {
        "respondent_name": f"{first} {last}",
        "respondent_email": f"respondent{serial:04d}@example.org",
        "respondent_phone": f"+000 {rng.integers(100, 999)} {rng.integers(1000, 9999)}",
        "respondent_position": POSITIONS[lang][rng.integers(5)],
    }
