"""Stage 5, the book: glue helpers, tables and figures for the chapters, and the tools that execute them.

Chapters import their helpers from :mod:`sinoiran.book.glue`
(``from sinoiran.book.glue import glue_number``), their tables from
:mod:`sinoiran.book.display` (``table``) and their figures from
:mod:`sinoiran.book.plots`. The runner (``make book``, ``make outputs``), the
sensitivity grid, the environment report and the Sphinx fix live here too. May
import from every earlier stage; nothing earlier imports from here.
"""
