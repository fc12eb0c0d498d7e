"""Django's PostgreSQL backend, with every wait for the server's answer bounded (see base.py)."""
