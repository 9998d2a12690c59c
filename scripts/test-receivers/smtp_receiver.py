#!/usr/bin/env python3
"""An aiosmtpd server for the SMTP client's tests, for what the aiosmtpd command line cannot
set up: refusals, authentication and a restricted AUTH mechanism list.

Binds 127.0.0.1 on a free port, prints "PORT <n>" and serves until killed.
  --mode mailbox         accept and store every message in --maildir (Maildir)
  --mode refuse-rcpt     answer 550 to RCPT TO for addresses starting with "unknown", 451 for
                         those starting with "busy"; store mail for the others
  --mode transient-data  accept recipients, answer 451 to DATA
  --tls-cert/--tls-key   offer STARTTLS (required before MAIL)
  --smtps-cert/-key      TLS from the first byte
  --auth user:password   require AUTH (only over TLS); logs "AUTH <mechanism> <user> ok|bad"
  --auth-mechanisms      offer only these (space separated), e.g. "LOGIN"
"""
import argparse
import asyncio
import os
import ssl
import threading
import time

from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP, AuthResult


class RefuseUnknownRecipients(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("unknown"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if address.startswith("busy"):
            return "451 4.2.1 <%s>: Mailbox busy, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"


class TransientDataFailure(Mailbox):
    async def handle_DATA(self, server, session, envelope):
        return "451 4.3.0 Mailbox temporarily unavailable, try again later"


class Authenticator:
    def __init__(self, credentials, log_path):
        self.user, self.password = credentials.split(":", 1)
        self.log_path = log_path

    def __call__(self, server, session, envelope, mechanism, auth_data):
        login = auth_data.login.decode()
        ok = login == self.user and auth_data.password.decode() == self.password
        with open(self.log_path, "a") as log:
            log.write("AUTH %s %s %s\n" % (mechanism, login, "ok" if ok else "bad"))
        # handled=False: aiosmtpd itself answers 535 to a failure.
        return AuthResult(success=ok, handled=False)


def tls_context(cert, key):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


async def serve(args):
    handler = {"mailbox": Mailbox, "refuse-rcpt": RefuseUnknownRecipients,
               "transient-data": TransientDataFailure}[args.mode](args.maildir)
    options = {}
    if args.tls_cert:
        options.update(tls_context=tls_context(args.tls_cert, args.tls_key), require_starttls=True)
    if args.auth:
        options.update(authenticator=Authenticator(args.auth, args.log), auth_required=True)
        if args.auth_mechanisms:
            offered = set(args.auth_mechanisms.split())
            options["auth_exclude_mechanism"] = [m for m in ("PLAIN", "LOGIN") if m not in offered]
    smtps = tls_context(args.smtps_cert, args.smtps_key) if args.smtps_cert else None
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, **options), "127.0.0.1", 0, ssl=smtps)
    print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


def exit_with_parent():
    """Ends this receiver when the test process that started it is gone, even killed."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", default="mailbox", choices=["mailbox", "refuse-rcpt", "transient-data"])
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--log", default="/dev/null")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--smtps-cert")
    parser.add_argument("--smtps-key")
    parser.add_argument("--auth")
    parser.add_argument("--auth-mechanisms")
    args = parser.parse_args()
    exit_with_parent()
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
