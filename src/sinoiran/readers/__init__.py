"""Stage 1, the readers: raw exports (SIPRI tables and registers, the per-delivery mirror, IMF DOTS) to frames.

A reader recognises its format from what the file says about itself (its
preamble and header), refuses anything else with an :class:`~sinoiran.base.errors.InputError`
that names the file, column and row, and returns plain pandas frames. Readers
import only from :mod:`sinoiran.base`. A new export format gets a new module here.
"""
