"""Counts the ``risk`` column is calibrated on (generated; do not edit).

Written by ``python benchmarks/calibrate_risk.py --seeds 0-7 --write``:
per ``kind|shape``, (flags a reviewer would confirm, flags raised) on the
detection dev benchmark's dev part; ``UNFLAGGED`` is (missed injections,
unflagged links).
"""

COUNTS = {
    "added|1-1": (34, 34),
    "added|merged": (351, 362),
    "added|null": (588, 596),
    "dropped|1-1": (129, 132),
    "dropped|merged": (305, 317),
    "dropped|null": (653, 674),
    "duplicate|1-1": (193, 193),
    "duplicate|merged": (226, 234),
    "duplicate|null": (57, 58),
    "entity_mismatch|1-1": (2, 2),
    "entity_mismatch|merged": (1, 1),
    "mistranslation|1-1": (161, 161),
    "mistranslation|merged": (95, 95),
    "number_mismatch|1-1": (236, 236),
    "number_mismatch|merged": (120, 121),
    "untranslated|1-1": (510, 510),
}

UNFLAGGED = (24, 17609)
