"""Data collection: the vetdx questionnaire as an XLSForm (Kobo, ODK) and mappings of national forms.

- `xlsform`: the survey codebook seeds -> XLSForm sheets (survey, choices, settings) -> workbook.
- `mapping`: reviewed mappings of other forms' columns and choices onto codebook questions
  (seed `survey_form_mappings.csv`), read by the survey parser.
- `draft`: a first mapping drafted from an export's headers by label similarity, for review.
"""
