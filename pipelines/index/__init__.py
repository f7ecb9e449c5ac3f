"""Pure-Python (numpy) reference implementation of the index math in the dbt models.

Used by tests to check the SQL on random inputs; never imported by Dagster assets or dbt.
"""
