-- Every input file the loader saw: rows read, landed and quarantined, and files rejected whole.
-- Needs the `audit` schema (present in the warehouse the pipeline builds).
select source, source_file, status, reason_code, detected_format, rows_read, rows_landed,
       rows_quarantined,
       round(100.0 * rows_quarantined / nullif(rows_read, 0), 1) as quarantined_pct,
       sha256, loaded_at, message
from audit.loads
order by status <> 'rejected', rows_quarantined desc, source_file, loaded_at;
