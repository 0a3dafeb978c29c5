"""Partnerships in and out as spreadsheets: import, its change sets and undo, export.

One row per relationship goes in and comes out. The steps, one module each:

    reading.py   a file (CSV, XLSX, JSON) into a header and rows with their line numbers
    columns.py   the columns: how each cell is parsed, and written for an export
    matching.py  which partner a row names (Wikidata id, slug, name + country, all agreeing)
    engine.py    the import: read, parse, resolve partners, plan changes, write, record
    mapping.py   a file's own headers mapped to columns (the admin's step), remembered mappings
    rows.py      what travels between the steps: a parsed row, a field's change, the report
    changes.py   the change set an import leaves: old and new values, History, undo
    runs.py      an uploaded file from upload to its end, for its uploader only
    tasks.py     the background work: check a run's file, write it once confirmed
    admin.py     Import (preview, confirm, cancel), the list of imports and their undo
    export.py    the export and open-data files
"""
