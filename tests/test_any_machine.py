"""Stored outputs reproduce on another machine, not only on the one that recorded them.

The last binary digits of a float move with the CPU's SIMD paths, the BLAS
thread count and the process's allocation history, so the chapters store
numbers rounded by the precision policy (:mod:`sinoiran.book`) and figures by
their content. This module plays "another machine" inside the test suite:
strict nbval re-executes every chapter with NumPy's SIMD dispatch turned down,
one BLAS thread (the main nbval run uses the default, several), a different
allocation history in the kernel, and every float read from ``data/`` moved by
a relative 1e-12, and the stored outputs must pass unchanged.

``OPENBLAS_CORETYPE`` and ``OPENBLAS_L2_SIZE`` are left as the machine sets them
(older OpenBLAS builds compute wrong results without them on some CPUs).

The last two tests show that the check can fail: the same perturbation moves
raw digits of the trend models, and only the policy's rounding makes them
agree.
"""

from __future__ import annotations

import math
import os
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sinoiran.analysis import trends
from sinoiran.base.precision import PRECISION, Precision, stored
from sinoiran.data import tables
from sinoiran.data.vintages import current_coverage

from conftest import ROOT

#: NumPy features to switch off (disabling one the CPU lacks is accepted silently).
SIMD_DOWN = "AVX512F,AVX512_SKX,AVX2,FMA3"
RELATIVE_NOISE = 1e-12


#: Kernel start-up file: a different allocation history, and noisy floats from every table read.
def kernel_startup(noise: float = RELATIVE_NOISE) -> str:
    return textwrap.dedent(f"""
    import numpy as _np

    import sinoiran.data.tables as _tables

    # Another allocation history: odd-sized blocks held for the kernel's lifetime (on a module, so that
    # a warm kernel's reset of the user namespace keeps them) shift where later arrays land, and with it
    # NumPy's choice of aligned or unaligned SIMD loops.
    _tables._ballast = [_np.empty(n) for n in (1, 3, 7, 13, 29, 61, 127, 257, 509, 1021, 2039, 4093)]

    def _noisy_read_table_file(path, spec, _read=_tables.read_table_file, _rng=_np.random.default_rng(20261130)):
        frame = _read(path, spec)
        for name in frame.select_dtypes("float").columns:
            frame[name] = frame[name] * (1 + {noise!r} * _rng.uniform(-1, 1, len(frame)))
        return frame

    _tables.read_table_file = _noisy_read_table_file
""")


def another_machine_env(ipython_dir: Path, noise: float = RELATIVE_NOISE) -> dict[str, str]:
    """The environment of the variant run: SIMD down, one BLAS thread, the kernel start-up above."""
    startup = ipython_dir / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-another-machine.py").write_text(kernel_startup(noise))
    env = dict(os.environ)
    env.update(
        NPY_DISABLE_CPU_FEATURES=SIMD_DOWN,
        OPENBLAS_NUM_THREADS="1",
        IPYTHONDIR=str(ipython_dir),
        PYTHONHASHSEED="0",
    )
    return env


@pytest.mark.slow
def test_stored_outputs_reproduce_on_another_machine(tmp_path):
    """Every chapter, executed under the other machine's conditions, equals its stored outputs as strict nbval
    compares them. The chapters run on warm kernels started in that environment (the imports paid once per
    kernel); the main nbval run checks the same outputs in fresh kernels, and the before-stop hook runs
    strict nbval itself with SIMD turned down."""
    import nbformat
    from outputs import differences

    from sinoiran.make import warm
    from sinoiran.make.project import chapters

    env = {**another_machine_env(tmp_path / "ipython"), "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    result = warm.run_many(chapters(ROOT), jobs=2, env=env)
    failures = {}
    for path, run in result["runs"].items():
        if run.error is not None:
            failures[path.name] = run.error
        elif diff := differences(run.notebook, nbformat.read(path, as_version=4)):
            failures[path.name] = ", ".join(diff)
    assert len(result["runs"]) == len(chapters(ROOT))
    assert failures == {}


@pytest.mark.slow
def test_the_variant_fails_when_the_noise_is_large_enough_to_show(tmp_path):
    """The same check on one chapter with every float moved by up to 0.1 percent: outputs differ, so the
    start-up file does reach the chapters in a warm kernel and the comparison can fail."""
    import nbformat
    from outputs import differences

    from sinoiran.make import warm

    env = {
        **another_machine_env(tmp_path / "ipython", noise=1e-3),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }
    chapter = ROOT / "chapters" / "data_sources.ipynb"
    run = warm.run_many([chapter], jobs=1, env=env)["runs"][chapter]
    assert run.error is None
    assert differences(run.notebook, nbformat.read(chapter, as_version=4)) != []


def noisy(tiv: pd.DataFrame, seed: int = 1) -> pd.DataFrame:
    """``tiv`` with every delivery moved by a random relative amount of at most 1e-12."""
    rng = np.random.default_rng(seed)
    return tiv.assign(tiv=tiv["tiv"] * (1 + RELATIVE_NOISE * rng.uniform(-1, 1, len(tiv))))


def test_the_perturbation_moves_raw_digits_and_the_policy_absorbs_it():
    """Without the rounding the variant would fail: raw results differ in their last digits."""
    tiv = tables.tiv_deliveries()
    params = trends.TrendParameters()
    raw = trends.key_results(trends.run(params, tiv, coverage=current_coverage()))
    moved = trends.key_results(trends.run(params, noisy(tiv), coverage=current_coverage()))
    floats = [k for k, v in raw.items() if isinstance(v, float) and math.isfinite(v)]
    assert any(raw[k] != moved[k] for k in floats), "the perturbation moved no digit: the variant would prove nothing"
    assert stored(raw) == stored(moved)


@pytest.mark.parametrize("value", [0.25, 2.675, 166.5, 0.125, 1 / 3, 4812.345, 0.34935258129630153, 1e-17, -1e-17])
@pytest.mark.parametrize("kind", sorted(PRECISION))
def test_rounding_is_stable_under_relative_noise_even_on_a_half(value, kind):
    rounded = stored(value, kind)
    for factor in (1 - 3e-12, 1 - 1e-15, 1 + 1e-15, 1 + 3e-12):
        assert stored(value * factor, kind) == rounded, (value, factor)
    assert math.copysign(1, rounded) == 1 or rounded != 0  # never a negative zero


def test_policy_rules():
    assert stored(0.34935258129630153, "p_value") == 0.349
    assert stored(0.34935258129630153) == 0.349353
    assert stored(4812.345, "tiv") == 4812.3
    assert stored(0.123456, "share") == 0.1235
    assert stored(2006) == 2006 and isinstance(stored(2006), int)
    assert stored({"a": [0.1234567, "x"]}) == {"a": [0.123457, "x"]}
    assert Precision(1).round(float("nan")) != Precision(1).round(float("nan"))
