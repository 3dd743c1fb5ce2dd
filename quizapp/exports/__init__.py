"""Exports: pure writers that turn plain data into files (gradebook CSVs, XLSX, JSON, Anki).

Nothing here imports Flask or touches the database: the web downloads and the CLI's
``-o FILE`` hand the same writers their data and a stream.
"""
