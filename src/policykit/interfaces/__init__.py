"""Thin shells over the library: the ``policykit`` command (cli, one module per command) and the
HTTP service (server, over the guarded h11 protocol)."""
