"""SMTP test server (aiosmtpd) for send_email_executor tests, on 127.0.0.1 and a free port it
prints first. Each accepted message is written to OUT/msg-N.json, already parsed:
envelope (mail_from, rcpt_tos), headers, text and html bodies, attachments (base64).

  smtp_test_server.py --out DIR [--tls-dir DIR [--implicit-tls]] [--auth USER:PASS]
                      [--reject ADDRESS]
"""
import argparse
import asyncio
import base64
import email
import email.policy
import json
import logging
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import testcerts  # noqa: E402


class Handler:
    def __init__(self, out, reject):
        self.out = out
        self.reject = reject
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.reject:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "authenticated": bool(getattr(session, "authenticated", False)),
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "content_type": message.get_content_type(),
            "headers": {k.lower(): str(v) for k, v in message.items()},
            "text": None, "html": None, "alternative": False, "attachments": [],
        }
        for part in message.walk():
            kind = part.get_content_type()
            if kind == "multipart/alternative":
                record["alternative"] = True
            elif part.get_filename():
                record["attachments"].append({
                    "filename": part.get_filename(), "content_type": kind,
                    "base64": base64.b64encode(part.get_payload(decode=True)).decode()})
            elif kind == "text/plain":
                record["text"] = part.get_content()
            elif kind == "text/html":
                record["html"] = part.get_content()
        self.count += 1
        path = os.path.join(self.out, "msg-%d.json" % self.count)
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.rename(path + ".tmp", path)  # complete before the 250 reply reaches the client
        return "250 Message accepted"


def authenticator_for(credentials):
    user, password = credentials.split(":", 1)

    def check(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login.decode() == user and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False)
    return check


async def serve(args):
    context = None
    if args.tls_dir:
        cert, key = testcerts.make(args.tls_dir)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
    handler = Handler(args.out, args.reject)
    options = {"hostname": "localhost", "decode_data": False}
    if args.auth:
        options.update(authenticator=authenticator_for(args.auth), auth_required=True,
                       auth_require_tls=bool(args.tls_dir))
    if context is not None and not args.implicit_tls:
        options.update(tls_context=context, require_starttls=True)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, **options), host="127.0.0.1", port=0,
        ssl=context if args.implicit_tls else None)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--tls-dir")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--auth")
    parser.add_argument("--reject")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    # aiosmtpd 1.4 warns about its own Session.login_data on every AUTH; expected failures
    # (a TLS handshake the client refuses) are still logged at ERROR.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
