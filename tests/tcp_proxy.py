"""A TCP proxy a test controls, to cut the network between the site and its database.

Plain helper, like servers.py. Frozen, it stops forwarding in both directions
but closes nothing: the site's packets are still acknowledged (by this
machine's kernel) and never answered, as with a frozen server, or a firewall
or NAT box that hung in between. Thawed, it forwards again.
"""

import selectors
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# How often the forwarding threads look at the switch and for the end.
_TICK = 0.05


class FreezableProxy:
    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self._forwarding = threading.Event()
        self._forwarding.set()
        self._stopped = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(_TICK)
        self.port: int = self._listener.getsockname()[1]
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._sockets: list[socket.socket] = []

    def freeze(self) -> None:
        self._forwarding.clear()

    def thaw(self) -> None:
        self._forwarding.set()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            # While frozen, new connections wait in the listen queue: they are
            # accepted by the kernel and never answered, like the old ones.
            if not self._forwarding.wait(_TICK):
                continue
            try:
                client, _address = self._listener.accept()
            except TimeoutError:
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            self._sockets += [client, server]
            pump = threading.Thread(target=self._forward, args=(client, server), daemon=True)
            self._threads.append(pump)
            pump.start()

    def _forward(self, client: socket.socket, server: socket.socket) -> None:
        peer = {client: server, server: client}
        with selectors.DefaultSelector() as selector:
            for end in peer:
                end.setblocking(True)
                selector.register(end, selectors.EVENT_READ)
            while not self._stopped.is_set():
                if not self._forwarding.wait(_TICK):
                    continue  # Frozen: nothing is read, so nothing is passed on.
                for key, _events in selector.select(_TICK):
                    try:
                        data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                        if data:
                            peer[key.fileobj].sendall(data)  # type: ignore[index]
                            continue
                    except OSError:
                        pass
                    # One end closed: close the other, as the network would.
                    client.close()
                    server.close()
                    return
        client.close()
        server.close()

    def start(self) -> None:
        self._threads[0].start()

    def stop(self) -> None:
        self._stopped.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()
        for end in self._sockets:
            end.close()


@contextmanager
def freezable_proxy(upstream: tuple[str, int]) -> Iterator[FreezableProxy]:
    """A proxy to `upstream` on a free port of 127.0.0.1, stopped when the block ends."""
    proxy = FreezableProxy(upstream)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()
