"""sinoiran: replication package for a study of Iran's conventional-arms ties
with China under President Ahmadinejad (2005-2013).

The package is organised by pipeline stage, and data flows one way:
:mod:`sinoiran.readers` (raw SIPRI and IMF exports to frames) →
:mod:`sinoiran.data` (releases, sources manifest, schemas, the build of ``data/``
and its loaders) → :mod:`sinoiran.analysis` (functions of frames) →
:mod:`sinoiran.claims` (verdict rules, evaluators, the ledger) →
:mod:`sinoiran.book` (glue, figures, the runner); :mod:`sinoiran.base` holds what
all stages share.
"""

__version__ = "0.1.0"
