"""The file system: the input read once into a snapshot (inputs), all-or-nothing writes of
rendered/ and of user files (tree, staged), and the run cache (cache)."""
