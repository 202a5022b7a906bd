"""A real SMTP server for tests (aiosmtpd): stores each received message as OUTDIR/NNNN.eml
with its envelope recipients in NNNN.rcpt. With CERT KEY USER PASS it requires STARTTLS and
AUTH, as a production relay would.

usage: /usr/bin/python3 -u smtp_sink.py PORT OUTDIR [CERT KEY USER PASS]
"""
import os
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, out = int(sys.argv[1]), sys.argv[2]


class Handler:
    async def handle_DATA(self, server, session, envelope):
        n = len([f for f in os.listdir(out) if f.endswith(".eml")])
        path = os.path.join(out, "%04d" % n)
        with open(path + ".rcpt", "w") as f:
            f.write("\n".join(envelope.rcpt_tos))
        with open(path + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(path + ".tmp", path + ".eml")  # the test polls for .eml: whole or absent
        return "250 OK"


kwargs = {}
if len(sys.argv) > 3:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(sys.argv[3], sys.argv[4])
    user, password = sys.argv[5].encode(), sys.argv[6].encode()

    def authenticate(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and data.login == user and data.password == password
        return AuthResult(success=ok)

    kwargs = dict(tls_context=context, require_starttls=True, authenticator=authenticate,
                  auth_required=True)

controller = Controller(Handler(), hostname="127.0.0.1", port=port, **kwargs)
controller.start()
print("ready", flush=True)
while True:
    time.sleep(3600)
