"""Commands that talk to a cluster through kubectl: ``root``, ``up``/``down``, ``doctor``,
``smoke``. Each returns data (and the exact kubectl command lines for ``--dry-run``) and never
prints or exits.
"""
