"""Machine-readable reason codes written to `quarantine.*.reason_code` and `audit.loads.reason_code`.

Row-level codes reject one input row (the whole row, so rows_read = landed + quarantined);
file-level codes come with `model.FileRejected` and leave the file out entirely.
"""

# Row level
UNRESOLVED_COUNTRY = "unresolved_country"  # country text matches no member state code, name or alias
NOT_MEMBER_STATE = "not_member_state"  # a recognised aggregate ("World", "Arab World") or non-member code
INVALID_NUMBER = "invalid_number"  # a cell that should be a number is not one ("12,5,3", "abc")
# A survey answer outside its codebook bounds. Negative counts in ministry files and inventories are
# readable values that land in raw: the quality gates (ERROR) stop them from being published, so a
# refresh with such a file fails naming the rows instead of publishing a warehouse without them.
OUT_OF_RANGE = "out_of_range"
INVALID_CHOICE = "invalid_choice"  # an answer that is no code or label (EN/FR/AR) of the choice list
MISSING_REQUIRED = "missing_required"  # a required cell (country, year, id, item...) is empty
INVALID_DATE = "invalid_date"  # a timestamp or year that cannot be read
UNKNOWN_INDICATOR = "unknown_indicator"  # official series code is neither a catalogue code nor source_code
UNKNOWN_ITEM = "unknown_item"  # equipment item matches no taxonomy code or name
DUPLICATE_KEY = "duplicate_key"  # natural key already seen earlier in the same file (first one wins)
INCONSISTENT_VALUES = "inconsistent_values"  # cells contradict each other (in_working_order > quantity)
ORPHAN_ROW = "orphan_row"  # repeat-group row whose parent submission is absent or was rejected
# A readable year outside the reference period (rules.py): history before 2000 or a projection.
YEAR_OUT_OF_SCOPE = "year_out_of_scope"
RAGGED_ROW = "ragged_row"  # a row with more fields than the header: read shifted, it would lie

# File level
UNSUPPORTED_FORMAT = "unsupported_format"  # not a readable table (PDF, HTML page, legacy BIFF .xls, empty)
UNDECODABLE_TEXT = "undecodable_text"  # no candidate text encoding gives plausible text
NO_HEADER_FOUND = "no_header_found"  # no row in the first rows looks like a header for this source
MISSING_REQUIRED_COLUMN = "missing_required_column"  # header found but a required column is absent
UNKNOWN_LAYOUT = "unknown_layout"  # the columns fit none of the layouts this source accepts
TOO_LARGE = "too_large"  # over a size limit of readers/limits.py (cells, rows, uncompressed bytes)
INVALID_MAPPING = "invalid_mapping"  # the national form mapping that names this export has a bad row
