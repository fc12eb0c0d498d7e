"""gunicorn's worker under LIVE_STREAMS (gunicorn.conf.py): uvicorn's, stopping in seconds.

uvicorn waits, when it stops, for every connection it has open to end, and
the stream an open page holds (comments.live_stream) never ends by itself:
every restart, deploy or recycling of a worker would wait out
GUNICORN_GRACEFUL_TIMEOUT, then the worker be killed. This one gives the
requests in flight STOPPING_SECONDS (or the graceful timeout, if shorter),
then ends what is still open; the open pages reconnect, to another worker
or another app server.
"""

from uvicorn_worker import UvicornWorker  # type: ignore[import-untyped]  # untyped

STOPPING_SECONDS = 5


class LiveStreamsWorker(UvicornWorker):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.config.timeout_graceful_shutdown = min(STOPPING_SECONDS, self.cfg.graceful_timeout)
