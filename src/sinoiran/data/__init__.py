"""Stage 2, the data: releases (vintages), sources, schemas, the build of ``data/`` and its loaders.

:mod:`~sinoiran.data.build` turns raw exports (through the readers) into the
project's tidy tables, validated by :mod:`~sinoiran.data.schemas` and recorded
with their hashes in ``data/datapackage.json``; :mod:`~sinoiran.data.tables`
loads them back, checking hash and schema on every read. :mod:`~sinoiran.data.paper`
transcribes the paper's checkable statements (the source of ``paper_claims.csv``).
Imports only from the base and the readers.
"""
