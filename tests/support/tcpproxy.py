"""A small TCP proxy for fault tests: put it between the app and PostgreSQL (or Redis, SMTP, ...) and
break the network on purpose.

    proxy = TCPProxy("127.0.0.1", 5432).start()   # listens on 127.0.0.1:proxy.port
    proxy.freeze()   # connections are accepted and held, nothing is forwarded either way
    proxy.thaw()     # everything held goes through again
    proxy.stop()     # the port is closed (connection refused) and every connection is dropped
    proxy.start()    # listening again, on the same port
    proxy.drop_connections()   # every open connection is cut (a server restart, seen from the client)

A frozen proxy is what a stalled network looks like from the client: the TCP handshake succeeds (the
kernel does it) and bytes sent are acknowledged, but no answer ever comes. Usable in-process (threads)
or as a process of its own, which can then also be frozen with SIGSTOP:

    python -m tests.support.tcpproxy LISTEN_PORT TARGET_HOST:TARGET_PORT
"""

import socket
import sys
import threading

_POLL = 0.05


class TCPProxy:
    def __init__(self, target_host, target_port, listen_host="127.0.0.1", listen_port=0):
        self.target = (target_host, int(target_port))
        self.listen_host = listen_host
        self.port = int(listen_port)
        self._flowing = threading.Event()
        self._flowing.set()
        self._lock = threading.Lock()
        self._sockets = set()
        self._listener = None
        self._stopped = threading.Event()
        self._threads = []

    # ---- control --------------------------------------------------------------------------------

    def start(self):
        """Listen (on the same port as before, after a stop)."""
        if self._listener is not None:
            return self
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.listen_host, self.port))
        listener.listen(128)
        listener.settimeout(_POLL)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._stopped = threading.Event()
        thread = threading.Thread(target=self._accept_loop, args=(listener, self._stopped), daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def stop(self):
        """Close the port and drop every connection (what a stopped server looks like)."""
        self._stopped.set()
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        self.drop_connections()
        for thread in self._threads:
            thread.join(timeout=2)
        self._threads = [t for t in self._threads if t.is_alive()]

    def freeze(self):
        """Accept and hold connections; forward nothing, in either direction, until thaw()."""
        self._flowing.clear()

    def thaw(self):
        self._flowing.set()

    @property
    def frozen(self):
        return not self._flowing.is_set()

    def drop_connections(self):
        with self._lock:
            sockets, self._sockets = list(self._sockets), set()
        for sock in sockets:
            _close(sock)

    @property
    def connection_count(self):
        """Client connections currently open through the proxy (both ends counted once)."""
        with self._lock:
            return len(self._sockets) // 2

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.thaw()
        self.stop()

    # ---- plumbing -------------------------------------------------------------------------------

    def _accept_loop(self, listener, stopped):
        while not stopped.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            thread = threading.Thread(target=self._serve, args=(client, stopped), daemon=True)
            thread.start()

    def _wait_flowing(self, stopped):
        while not self._flowing.wait(_POLL):
            if stopped.is_set():
                return False
        return not stopped.is_set()

    def _serve(self, client, stopped):
        with self._lock:
            self._sockets.add(client)
        # A frozen proxy holds a new connection without even reaching the server.
        if not self._wait_flowing(stopped):
            _close(client)
            return
        try:
            upstream = socket.create_connection(self.target, timeout=5)
            upstream.settimeout(None)
        except OSError:
            _close(client)
            return
        with self._lock:
            if client not in self._sockets:  # dropped meanwhile
                _close(upstream)
                return
            self._sockets.add(upstream)
        for src, dst in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pump, args=(src, dst, stopped), daemon=True).start()

    def _pump(self, src, dst, stopped):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if not self._wait_flowing(stopped):
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._sockets.discard(src)
                self._sockets.discard(dst)
            _close(src)
            _close(dst)


def _close(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


def main(argv):
    if len(argv) != 3:
        print("usage: python -m tests.support.tcpproxy LISTEN_PORT TARGET_HOST:TARGET_PORT", file=sys.stderr)
        return 2
    host, _, port = argv[2].rpartition(":")
    proxy = TCPProxy(host or "127.0.0.1", int(port), listen_port=int(argv[1])).start()
    print(f"proxy 127.0.0.1:{proxy.port} -> {host}:{port}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        proxy.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
