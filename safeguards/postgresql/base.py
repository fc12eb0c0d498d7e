"""Django's PostgreSQL backend, giving up on a server that has stopped answering.

The server's statement_timeout ends a slow statement, and TCP keepalives and
tcp_user_timeout end a connection whose packets are no longer acknowledged
(settings.py sets all three). None of them ends the wait on a peer that
acknowledges every packet and never answers: a frozen server, or a proxy or
NAT box that hung between us. With kept connections, each request then waited
until gunicorn killed its worker after 61 s, and the reader got a dropped
connection instead of the 503 page.

psycopg waits for the server in Python and can stop after a timeout; this
backend gives it one on every wait (OPTIONS["answer_timeout"], seconds), and a
shorter one to the health check of a kept connection, whose SELECT 1 a
working server answers at once. A connection whose wait ran out stops in the
middle of a conversation with the server, so it is closed: Django drops it,
and the next request connects afresh (and succeeds once the server is back).
With OPTIONS["pool"], the pool opens these connections too.
"""

from typing import Any

import psycopg
from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus

# A kept connection's SELECT 1 gets so long before it is replaced by a new one.
HEALTH_CHECK_TIMEOUT = 1.0


class BoundedConnection(psycopg.Connection):
    """A psycopg connection that waits at most `answer_timeout` seconds for each answer."""

    answer_timeout: float | None = None

    def wait(self, gen, interval=0.1, timeout=None):
        try:
            return super().wait(gen, interval, self.answer_timeout if timeout is None else timeout)
        except psycopg.OperationalError:
            # Still waiting for an answer (the statement timeout, by contrast,
            # ends the statement and leaves the connection usable): give up on it.
            if self.pgconn.transaction_status == TransactionStatus.ACTIVE:
                self.close()
            raise


class _Psycopg:
    """The psycopg module as Django's backend sees it, connecting BoundedConnections."""

    @staticmethod
    def connect(*args: Any, **kwargs: Any) -> BoundedConnection:
        return BoundedConnection.connect(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(psycopg, name)


class DatabaseWrapper(base.DatabaseWrapper):
    # Django's backend reads the driver through this attribute, a module there.
    Database = _Psycopg()  # type: ignore[assignment]

    def __init__(self, settings_dict: dict[str, Any], *args: Any, **kwargs: Any):
        pool = settings_dict.get("OPTIONS", {}).get("pool")
        if pool:
            options = {} if pool is True else pool
            settings_dict["OPTIONS"]["pool"] = {**options, "connection_class": BoundedConnection}
        super().__init__(settings_dict, *args, **kwargs)

    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        # Not a libpq parameter: psycopg would refuse it.
        self.answer_timeout = params.pop("answer_timeout", None)
        return params

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        connection.answer_timeout = self.answer_timeout
        return connection

    def is_usable(self) -> bool:
        if self.connection is None:
            return False
        self.connection.answer_timeout = HEALTH_CHECK_TIMEOUT
        try:
            return super().is_usable()
        finally:
            self.connection.answer_timeout = self.answer_timeout
