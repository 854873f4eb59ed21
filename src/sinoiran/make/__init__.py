"""Stage 7, the engine that makes the book: chapters executed, keyed, cached, rendered and printed.

The stage sits above the book stage (whose modules the chapters call) and below
the command line. One job per module, imports one way (project and kernel
first, the whole build last):

* :mod:`~sinoiran.make.project` what the book is made of: its pages and chapters, settings, paths, commit;
* :mod:`~sinoiran.make.kernel` how a kernel is started (environment, IPC transport);
* :mod:`~sinoiran.make.warm` warm kernels, reset to a fresh kernel's state before each chapter, and the pool;
* :mod:`~sinoiran.make.keys` each chapter's cache key: its code, the modules it runs, the files it read;
* :mod:`~sinoiran.make.record` the per-chapter record of keys, files read and run times;
* :mod:`~sinoiran.make.cache` the jupyter-cache the Sphinx pass reads, and its pruning;
* :mod:`~sinoiran.make.execute` stale chapters executed into the cache (``make book``), or into the
  committed notebooks (``make outputs``);
* :mod:`~sinoiran.make.pages` which pages glue from which chapters, and so what Sphinx must re-read;
* :mod:`~sinoiran.make.sphinx` the Sphinx pass; :mod:`~sinoiran.make.reread` its extension that
  re-reads what the engine names;
* :mod:`~sinoiran.make.book` ``make book`` as a whole, its record and its one sentence;
* :mod:`~sinoiran.make.pdf` ``make pdf``; :mod:`~sinoiran.make.report` ``python -m sinoiran report``;
* :mod:`~sinoiran.make.grid` the sensitivity grid's runner (``make sensitivity``).

May import from every earlier stage; nothing earlier imports from here.
"""
