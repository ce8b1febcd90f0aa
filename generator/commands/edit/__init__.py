"""Commands that write the project's input: ``init``, ``import``, ``enable``/``disable`` and
``set``. Each validates fully (a build of the edited input) before it writes anything.
"""
