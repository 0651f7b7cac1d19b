"""A tiny threaded SMTP server for tests: it accepts every message, takes `delay` seconds over
each one (a slow mail server, which widens the window two overlapping jobs race in) and records
(recipients, data). Enough of RFC 5321 for Django's SMTP backend; no TLS, no auth."""

import socket
import socketserver
import threading
import time


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        sink = self.server.sink
        self._reply("220 sink ESMTP")
        recipients = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 sink")
            elif verb == "MAIL":
                recipients = []
                self._reply("250 OK")
            elif verb == "RCPT":
                address = line.decode("ascii", "replace").split(":", 1)[1].strip()
                recipients.append(address.strip("<>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 go ahead")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    data.append(chunk)
                time.sleep(sink.delay)
                sink.record(recipients, b"".join(data))
                self._reply("250 queued")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:  # RSET, NOOP, ...
                self._reply("250 OK")

    def _reply(self, text):
        self.wfile.write(f"{text}\r\n".encode())


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpSink:
    """`with SmtpSink(delay=0.3) as sink:` listens on a free loopback port (`sink.port`)."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.messages: list[tuple[list[str], bytes]] = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.sink = self
        self.port = self._server.server_address[1]

    def record(self, recipients, data):
        with self._lock:
            self.messages.append((list(recipients), data))

    def count_by_recipient(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self._lock:
            for recipients, _data in self.messages:
                for address in recipients:
                    counts[address] = counts.get(address, 0) + 1
        return counts

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        socket.create_connection(("127.0.0.1", self.port), timeout=2).close()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
