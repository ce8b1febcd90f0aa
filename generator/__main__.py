"""``python -m generator`` is the same as ``gen``."""

from generator.cli.main import main

main()
