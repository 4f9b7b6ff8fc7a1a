"""Run the demo: a page on one origin calling an API on another, on loopback.

``make demo`` runs this file. It serves the page at http://127.0.0.1:8000 and the API at
http://localhost:8001 (set ``DEMO_PAGE_PORT`` / ``DEMO_API_PORT`` to use other ports),
then prints the address to open. Stop it with Ctrl+C.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_apps import create_api_app, create_page_app


def _not_ready(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting"]


def start_demo(page_port: int = 0, api_port: int = 0) -> tuple[BaseWSGIServer, BaseWSGIServer]:
    """Bind both servers on loopback (port 0 picks a free port) and serve them in threads."""
    # Each app needs the other's origin, so bind both sockets first, then plug the apps in.
    page_server = make_server("127.0.0.1", page_port, _not_ready, threaded=True)
    api_server = make_server("127.0.0.1", api_port, _not_ready, threaded=True)
    page_origin = f"http://127.0.0.1:{page_server.server_port}"
    api_origin = f"http://localhost:{api_server.server_port}"
    page_server.app = create_page_app(api_origin)
    api_server.app = create_api_app(page_origin)
    for server in (page_server, api_server):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    return page_server, api_server


def stop_demo(*servers: BaseWSGIServer) -> None:
    for server in servers:
        server.shutdown()
        server.server_close()


def _serve_until_interrupted() -> None:
    threading.Event().wait()


def main(block: Callable[[], None] = _serve_until_interrupted) -> None:
    page_port = int(os.environ.get("DEMO_PAGE_PORT", "8000"))
    api_port = int(os.environ.get("DEMO_API_PORT", "8001"))
    page_server, api_server = start_demo(page_port, api_port)
    print(f"API  on http://localhost:{api_server.server_port}/api/ (CORS for the page only)")
    print(f"Page on http://127.0.0.1:{page_server.server_port}/")
    print()
    print(f"Open http://127.0.0.1:{page_server.server_port}/ in a browser and press the buttons.")
    print("Press Ctrl+C to stop.", flush=True)
    try:
        block()
    except KeyboardInterrupt:
        print("\nStopping.")
    finally:
        stop_demo(page_server, api_server)


if __name__ == "__main__":
    main()
