"""Runs the AWS emulator (moto's server mode) on 127.0.0.1 for Tifli's local stack and tests.

It prints one line, `listening http://127.0.0.1:PORT`, once it accepts requests, and stops
when its standard input closes: the process that started it keeps the pipe open, so the
emulator never outlives it, even when that process is killed.
"""

import argparse
import sys

from moto.server import ThreadedMotoServer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args()

    server = ThreadedMotoServer(ip_address=args.host, port=args.port, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    print(f"listening http://{host}:{port}", flush=True)
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass
    server.stop()


if __name__ == "__main__":
    main()
