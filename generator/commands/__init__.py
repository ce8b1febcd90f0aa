"""One function per CLI command; each returns data and never prints or exits."""
