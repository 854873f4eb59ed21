"""Stage 0, the base: names, paths, errors, hashing and the precision policy.

Every other stage may import from here; nothing here imports from a later
stage. Keep it small: a module belongs here only if several stages need it and
it knows nothing of SIPRI's formats, the project's tables or the paper.
"""
