"""The file system: all-or-nothing writes of rendered/ and of user files, and the run cache."""
