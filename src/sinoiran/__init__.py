"""sinoiran: replication package for a study of Iran's conventional-arms ties
with China under President Ahmadinejad (2005-2013).

The package holds every piece of logic the book's chapters call: parsing raw
SIPRI and IMF exports (:mod:`sinoiran.readers.sipri_tiv`, :mod:`sinoiran.readers.imf`), building and
checking the project's tidy tables (:mod:`sinoiran.data.build`,
:mod:`sinoiran.data.tables`), and the analyses on top of them.
"""

__version__ = "0.1.0"
