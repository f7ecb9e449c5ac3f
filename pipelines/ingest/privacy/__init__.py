"""Personal data: detection, redaction and the keyed hash (`pii`), and where its key comes from
(`key`).
"""
