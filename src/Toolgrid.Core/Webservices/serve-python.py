"""Serves a tool's Python web app for `toolgrid webservice start --type python`.

The convention (docs/user-guide.md): the app is ~/www/python/app.py, which defines `app`
(or `application`): a WSGI callable, or an ASGI one (an `async def app(scope, receive, send)`,
or an object whose `__call__` is a coroutine function). Toolgrid runs this script in
~/www/python, with ~/www/python/venv/bin/python3 when that exists (so packages installed in
that venv are found), and the app listens on $HOST:$PORT (the platform sets both: $HOST is
127.0.0.1 unless the node's proxy reaches it elsewhere, so that nothing reaches the app around
the proxy).

WSGI apps are served by the standard library's wsgiref, one thread per request. ASGI apps are
served by uvicorn when it can be imported (Debian: python3-uvicorn, or pip install uvicorn in
the venv), else by the small HTTP/1.1 server below (no WebSockets, no lifespan events).

Behind Toolgrid's proxy, X-Forwarded-Prefix (the /<tool> of the path form) becomes the app's
SCRIPT_NAME / root_path, and X-Forwarded-Proto its URL scheme, so the URLs it makes are right.
"""

import asyncio
import importlib.util
import inspect
import os
import socketserver
import sys
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

HOST = os.environ.get("HOST") or "127.0.0.1"


def load_app():
    path = os.path.join(os.getcwd(), "app.py")
    if not os.path.isfile(path):
        sys.exit(f"serve-python: {path} does not exist: write your app there, defining 'app' (WSGI or ASGI).")
    sys.path.insert(0, os.getcwd())
    spec = importlib.util.spec_from_file_location("app", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["app"] = module
    spec.loader.exec_module(module)
    app = getattr(module, "app", None) or getattr(module, "application", None)
    if app is None or not callable(app):
        sys.exit(f"serve-python: {path} defines no callable 'app' (or 'application').")
    return app


def is_asgi(app):
    return inspect.iscoroutinefunction(app) or inspect.iscoroutinefunction(getattr(app, "__call__", None))


def behind_proxy(app):
    """WSGI middleware: believe the proxy's X-Forwarded-Prefix and X-Forwarded-Proto."""

    def wrapped(environ, start_response):
        prefix = environ.get("HTTP_X_FORWARDED_PREFIX", "")
        if prefix.startswith("/"):
            environ["SCRIPT_NAME"] = prefix.rstrip("/") + environ.get("SCRIPT_NAME", "")
        proto = environ.get("HTTP_X_FORWARDED_PROTO", "")
        if proto in ("http", "https"):
            environ["wsgi.url_scheme"] = proto
        return app(environ, start_response)

    return wrapped


class ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class QuietHandler(WSGIRequestHandler):
    def address_string(self):
        return self.headers.get("X-Forwarded-For", self.client_address[0])


def serve_wsgi(app, port):
    with make_server(HOST, port, behind_proxy(app), server_class=ThreadingServer, handler_class=QuietHandler) as server:
        print(f"serve-python: WSGI app on http://{HOST}:{port}/", file=sys.stderr, flush=True)
        server.serve_forever()


async def handle(app, reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target, version = lines[0].split(" ", 2)
            headers = []
            for line in lines[1:]:
                if line:
                    name, _, value = line.partition(":")
                    headers.append((name.strip().lower().encode("latin-1"), value.strip().encode("latin-1")))
            fields = dict(headers)
            if b"chunked" in fields.get(b"transfer-encoding", b""):
                writer.write(b"HTTP/1.1 411 Length Required\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                await writer.drain()
                return
            body = await reader.readexactly(int(fields.get(b"content-length", b"0")))
            path, _, query = target.partition("?")
            prefix = fields.get(b"x-forwarded-prefix", b"").decode("latin-1").rstrip("/")
            scope = {
                "type": "http", "asgi": {"version": "3.0"}, "http_version": version[5:],
                "method": method, "scheme": fields.get(b"x-forwarded-proto", b"http").decode("latin-1"),
                "path": path, "raw_path": path.encode("latin-1"), "query_string": query.encode("latin-1"),
                "root_path": prefix, "headers": headers, "server": (HOST, 0),
                "client": writer.get_extra_info("peername")[:2],
            }
            keep = version == "HTTP/1.1" and fields.get(b"connection", b"").lower() != b"close"
            received = False

            async def receive():
                nonlocal received
                if received:
                    return {"type": "http.disconnect"}
                received = True
                return {"type": "http.request", "body": body, "more_body": False}

            state = {"chunked": False}

            async def send(message):
                if message["type"] == "http.response.start":
                    out = [f"HTTP/1.1 {message['status']} \r\n".encode("latin-1")]
                    names = set()
                    for name, value in message.get("headers", []):
                        names.add(bytes(name).lower())
                        out.append(bytes(name) + b": " + bytes(value) + b"\r\n")
                    if b"content-length" not in names:
                        state["chunked"] = True
                        out.append(b"transfer-encoding: chunked\r\n")
                    if not keep:
                        out.append(b"connection: close\r\n")
                    writer.write(b"".join(out) + b"\r\n")
                elif message["type"] == "http.response.body":
                    data = message.get("body", b"")
                    if state["chunked"]:
                        if data:
                            writer.write(b"%x\r\n%s\r\n" % (len(data), data))
                        if not message.get("more_body", False):
                            writer.write(b"0\r\n\r\n")
                    else:
                        writer.write(data)
                    await writer.drain()

            await app(scope, receive, send)
            if not keep:
                return
    except (asyncio.IncompleteReadError, ConnectionError, ValueError):
        return
    finally:
        writer.close()


def serve_asgi(app, port):
    try:
        import uvicorn
    except ImportError:
        uvicorn = None
    if uvicorn is not None:
        uvicorn.run(app, host=HOST, port=port, proxy_headers=True, forwarded_allow_ips="*")
        return

    async def main():
        server = await asyncio.start_server(lambda r, w: handle(app, r, w), HOST, port, reuse_address=True)
        print(f"serve-python: ASGI app on http://{HOST}:{port}/ (built-in server; install uvicorn for WebSockets)", file=sys.stderr, flush=True)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def main():
    port = os.environ.get("PORT")
    if not port or not port.isdigit():
        sys.exit("serve-python: $PORT is not set: run it as a Toolgrid web service.")
    app = load_app()
    if is_asgi(app):
        serve_asgi(app, int(port))
    else:
        serve_wsgi(app, int(port))


if __name__ == "__main__":
    main()
