"""Export of a run: the dataset files (``dataset``), the traceability check (``trace``) and
``report.md`` with its plots (``report``)."""
