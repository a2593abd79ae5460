"""`make dev`: the whole CRM on http://127.0.0.1:$PORT (default 3000) with an embedded AWS emulation."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path


def main() -> None:
    from local.server import LocalStack, make_server, operator_key

    root = Path(__file__).resolve().parent.parent

    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "3000"))
    data_dir = Path(os.environ.get("CRM_DATA_DIR") or root / ".crm-data").resolve()
    stack = LocalStack(data_dir, operator_key(data_dir))
    # The port answers at once: 503 problem+json (Retry-After: 1) until the stack is ready, never a refused
    # connection or a request racing the start.
    server = make_server(stack, host, port)
    # shutdown() waits for serve_forever to look again: every 0.05 s, not every 0.5 s, so a stop is prompt.
    serving = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="crm-local-http", daemon=True
    )
    serving.start()
    stopping = threading.Event()
    background: threading.Thread | None = None

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        stack.start_aws()  # moto, the catalogue's resources, the saved data, every handler imported; then ready
        background = stack.run_background(stopping)
        url = f"http://{host}:{server.server_address[1]}"
        print(
            f"CRM running on {url}  (API under {url}/v1, docs at {url}/v1/docs)\n"
            f"  operator key: {stack.operator_key}\n"
            f"  data:         {data_dir}  ({stack.restored} items restored, {stack.resumed} pending webhook"
            f" deliveries and {stack.resumed_runs} workflow runs resumed; `make clean-data` resets)\n"
            "  Ctrl-C stops.",
            flush=True,
        )
        stopping.wait()  # until Ctrl-C or SIGTERM interrupts it
    except KeyboardInterrupt:
        pass
    finally:
        stopping.set()
        server.shutdown()  # no new requests
        if background is not None:
            background.join(timeout=20)  # let an attempt under way finish and be recorded
        server.server_close()
        if stack.ready.is_set():
            stack.after_write()  # journal the last changes the background work made
        stack.stop()


if __name__ == "__main__":
    main()
