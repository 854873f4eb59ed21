"""pytest hooks for strict nbval on the chapters (the unit tests' fixtures live in tests/conftest.py).

Three adjustments to nbval, all narrow:

* **Glued figures are not compared byte for byte.** nbval's own rule is that
  images are not compared (``image/png`` is skipped unless ``--nbdime``), since
  pixels change with anti-aliasing, fonts and the CPU. The book glues figures as
  SVG, under myst-nb's glue MIME key, which nbval would compare byte for byte;
  an SVG's coordinates can differ in their last digits from one CPU to another,
  so the same rule is extended to that key. What a figure *shows* stays under test:
  :func:`sinoiran.book.glue_figure` glues the figure's content (data, labels,
  legend) as text beside it, and nbval compares that strictly.
* **A notebook's cells stay together.** Under ``--dist loadgroup`` (``make test``)
  the cells of one notebook form one xdist group, run in order by one worker (the
  groups are written into the node ids here, see the last hook).
* **Kernel start-up survives a busy machine.** A kernel that fails to start
  (a port taken between choosing and binding it, or a slow start under load)
  is started again, up to three times, instead of failing every cell of the
  notebook. The start-up timeout is set generously in ``pyproject.toml``.
"""

from __future__ import annotations

import logging
import time

import nbval.plugin
import pytest

#: The MIME keys under which myst-nb's glue stores a figure (the book glues SVG; PNG is kept for older outputs).
GLUED_IMAGES = ("application/papermill.record/image/svg+xml", "application/papermill.record/image/png")
KERNEL_START_ATTEMPTS = 3

log = logging.getLogger(__name__)


class _RetryingKernel(nbval.plugin.RunningKernel):
    """nbval's kernel, started again (up to three attempts) when a start fails."""

    def __init__(self, *args, **kwargs):
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            try:
                super().__init__(*args, **kwargs)
                return
            except (RuntimeError, TimeoutError) as error:
                if attempt == KERNEL_START_ATTEMPTS:
                    raise
                log.warning("kernel start failed (%s); attempt %d of %d", error, attempt + 1, KERNEL_START_ATTEMPTS)
                time.sleep(2 * attempt)


nbval.plugin.RunningKernel = _RetryingKernel


def pytest_itemcollected(item):
    """Each cell as it is collected, before xdist reads the groups (in ``pytest_collection_modifyitems``)."""
    notebook = item.parent
    skip = getattr(notebook, "skip_compare", None)
    if skip is not None:
        notebook.skip_compare = (*skip, *(key for key in GLUED_IMAGES if key not in skip))
        # A notebook's cells share one kernel, in order: they are one group for xdist (--dist loadgroup).
        item.add_marker(pytest.mark.xdist_group(f"nbval-{notebook.path.stem}"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Name each test's xdist group in its node id (``...::test@book``), which is how ``--dist loadgroup``
    hands groups to its scheduler. pytest-xdist 3.8 does this by setting ``item._nodeid``, which pytest 9
    no longer reads (a node's id is ``item._id``), so without this every test would be scheduled alone and
    a notebook's cells would be spread over kernels on different workers."""
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        names = {
            str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")
        }
        suffix = "@" + "_".join(sorted(names))
        if names and not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(item.nodeid + suffix)
