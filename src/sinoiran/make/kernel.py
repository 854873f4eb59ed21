"""How the engine starts a kernel: its environment, and local sockets (IPC) instead of TCP."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

#: Cell metadata that changes with every run (nbclient's timings); never stored or cached.
VOLATILE_METADATA = ("execution",)


def kernel_env() -> dict[str, str]:
    """The environment of a kernel: this process's, with the hash seed fixed and the inline backend."""
    env = dict(os.environ)
    env.setdefault("PYTHONHASHSEED", "0")
    env.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    return env


def kernel_config():
    """Configuration of one kernel: it talks to this process over local sockets (IPC), not TCP, so no other
    user of the machine can read its traffic and the kernel has no unencrypted TCP to warn about. Each kernel
    gets sockets of its own (a unique path prefix in the temporary folder: kernels started at the same moment
    would otherwise pick the same names); they are removed when it stops."""
    from traitlets.config import Config

    prefix = Path(tempfile.gettempdir()) / f"sinoiran-kernel-{os.getpid()}-{uuid.uuid4().hex[:12]}"
    return Config({"KernelManager": {"transport": "ipc", "ip": str(prefix)}})


def tidy(notebook) -> None:
    """An executed notebook as the engine stores and caches it (in place): no metadata of
    :data:`VOLATILE_METADATA`, and consecutive stream outputs of the same name (``stdout``, ``stderr``) as
    one. How a cell's printing is cut into messages depends on when the kernel flushed (a slow step between
    two prints splits them), so without this the same chapter could be stored differently from run to run."""
    for cell in notebook.cells:
        for key in VOLATILE_METADATA:
            cell.metadata.pop(key, None)
        merged: list = []
        for output in cell.get("outputs", []):
            last = merged[-1] if merged else None
            if (
                output.get("output_type") == "stream"
                and last is not None
                and last.get("output_type") == "stream"
                and last.get("name") == output.get("name")
            ):
                last["text"] = "".join(last["text"]) + "".join(output["text"])
            else:
                merged.append(output)
        if "outputs" in cell:
            cell["outputs"] = merged
