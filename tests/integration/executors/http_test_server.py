"""HTTP/1.1 test server for rest_executor tests, on 127.0.0.1 and a free port it prints first.

  http_test_server.py [--tls-dir DIR]   with --tls-dir: HTTPS with a CA made in DIR (ca.pem)

Routes: /echo (the request as JSON, with the number of connections accepted so far),
/status/N, /redirect/N (N hops, then /echo), /redirect-to?url=U&status=S, /slow?ms=M,
/big?bytes=N, /text.
"""
import argparse
import json
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import testcerts  # noqa: E402

connections = 0
lock = threading.Lock()


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def get_request(self):
        global connections
        request = super().get_request()
        with lock:
            connections += 1
        return request


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: every response carries Content-Length
    timeout = 30

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="application/json", headers=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        parts = url.path.strip("/").split("/")
        if parts[0] == "echo":
            with lock:
                count = connections
            self.reply(200, json.dumps({
                "method": self.command, "path": url.path, "query": url.query,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body, "connections": count}))
        elif parts[0] == "status":
            self.reply(int(parts[1]), "status " + parts[1], "text/plain")
        elif parts[0] == "redirect":
            hops = int(parts[1])
            target = "/echo" if hops <= 1 else "/redirect/%d" % (hops - 1)
            self.reply(302, "", "text/plain", [("Location", target)])
        elif parts[0] == "redirect-to":
            status = int(query.get("status", ["302"])[0])
            self.reply(status, "", "text/plain", [("Location", query["url"][0])])
        elif parts[0] == "slow":
            time.sleep(int(query["ms"][0]) / 1000)
            self.reply(200, "slow done", "text/plain")
        elif parts[0] == "big":
            self.reply(200, b"x" * int(query["bytes"][0]), "application/octet-stream")
        elif parts[0] == "text":
            self.reply(200, "hello, not json", "text/plain")
        else:
            self.reply(404, "no route " + url.path, "text/plain")

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = handle_any


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tls-dir")
    args = parser.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    if args.tls_dir:
        cert, key = testcerts.make(args.tls_dir)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
