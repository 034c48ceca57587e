"""Runs the AWS emulator (moto's server mode) on 127.0.0.1 for Tifli's local stack and tests.

It prints one line, `listening http://127.0.0.1:PORT`, once it accepts requests, and stops
when its standard input closes: the process that started it keeps the pipe open, so the
emulator never outlives it, even when that process is killed.

Requests are served on many connections at once but handled one at a time. DynamoDB
runs each request, a TransactWriteItems included, atomically; moto's backends do not
lock, so without this two concurrent conditional writes could both succeed, which
DynamoDB never allows and which Tifli's idempotency and optimistic locking rely on.
"""

import argparse
import sys
import threading

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server


def serialised(app):
    lock = threading.Lock()

    def handle(environ, start_response):
        with lock:
            # The body is produced inside the lock, so no other request sees a half-applied one.
            return list(app(environ, start_response))

    return handle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args()

    app = serialised(DomainDispatcherApplication(create_backend_app))
    server = make_server(
        args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    print(f"listening http://{host}:{port}", flush=True)
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass
    server.shutdown()


if __name__ == "__main__":
    main()
