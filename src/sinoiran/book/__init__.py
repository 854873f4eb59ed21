"""Stage 5, the book: what the chapters call to glue, show and draw their results.

Chapters import their helpers from :mod:`sinoiran.book.glue`
(``from sinoiran.book.glue import glue_number``), their tables from
:mod:`sinoiran.book.display` (``table``), their figures from
:mod:`sinoiran.book.plots`, their sentences from :mod:`sinoiran.book.trend_text`,
the ledger's page from :mod:`sinoiran.book.ledger_page`, the sensitivity
appendix's summaries from :mod:`sinoiran.book.sensitivity` and the environment
report from :mod:`sinoiran.book.environment`; the Sphinx extension that shapes
the HTML (:mod:`sinoiran.book.sphinx_fixes`) and the README's findings live here
too. What executes, caches and renders the chapters is the next stage,
:mod:`sinoiran.make`. May import from every earlier stage; nothing earlier
imports from here.
"""
