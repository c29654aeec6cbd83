#!/usr/bin/env python3
"""A web service built on Skein, in the design of Skein's own "Python Service Example": users
sign in with Kerberos (SPNEGO), upload a Python script through a form, and the service submits it
to YARN through Skein's client *as the signed-in user* (the service holds proxy-user rights), then
redirects the browser to the application's tracking page, as the ResourceManager reports it.

Written for yarnsec's tests the way a team would write it with these libraries, and judged as a
team's own submitter. Nothing in it knows yarnsec: it names its applications itself
(`pyservice-<user>-<script>`), takes no application name from the form, and its redirect is
whatever the ResourceManager reports as the tracking URL.

Libraries: tornado (the web server), gssapi (SPNEGO), skein (its Java driver logs in from the
service's keytab and speaks to YARN). The service's principal and keytab come from the
environment yarnsec gives a service on its edge node (YARNSEC_SERVICE_PRINCIPAL,
YARNSEC_SERVICE_KEYTAB).
"""

import base64
import os
import re
import tempfile

import gssapi
import skein
import tornado.ioloop
import tornado.web

PORT = int(os.environ.get("PORT", "8080"))
PRINCIPAL = os.environ["YARNSEC_SERVICE_PRINCIPAL"]
KEYTAB = os.environ["YARNSEC_SERVICE_KEYTAB"]
MAX_UPLOAD = 1 << 20
SAFE = re.compile(r"[^A-Za-z0-9_.-]")

FORM = """<!doctype html><title>pyservice</title>
<h1>Submit a Python script</h1><p>Signed in as {user}.</p>
<form action="/" method="post" enctype="multipart/form-data">
<input type="file" name="script"> <input type="submit" value="Submit"></form>"""

os.environ["KRB5_KTNAME"] = KEYTAB


class KerberosHandler(tornado.web.RequestHandler):
    """SPNEGO: the browser's Negotiate token, accepted with the service's HTTP/ principal."""

    def get_current_user(self):
        header = self.request.headers.get("Authorization", "")
        if not header.startswith("Negotiate "):
            return None
        try:
            ctx = gssapi.SecurityContext(creds=gssapi.Credentials(usage="accept"), usage="accept")
            answer = ctx.step(base64.b64decode(header[len("Negotiate "):]))
        except (gssapi.exceptions.GSSError, ValueError) as e:
            raise tornado.web.HTTPError(403, reason="Kerberos token refused") from e
        if answer:
            self.set_header("WWW-Authenticate", "Negotiate " + base64.b64encode(answer).decode())
        return str(ctx.initiator_name).split("@")[0].split("/")[0]

    def prepare(self):
        if self.current_user is None:
            self.set_status(401)
            self.set_header("WWW-Authenticate", "Negotiate")
            self.finish("<p>Sign in with Kerberos.</p>")


class LaunchHandler(KerberosHandler):
    def get(self):
        self.write(FORM.format(user=self.current_user))

    async def post(self):
        files = self.request.files.get("script")
        if not files:
            raise tornado.web.HTTPError(400, reason="no script uploaded")
        upload = files[0]
        if len(upload["body"]) > MAX_UPLOAD:
            raise tornado.web.HTTPError(413, reason="script too large")
        user = self.current_user
        script_name = SAFE.sub("_", os.path.basename(upload["filename"] or "script.py"))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, script_name)
            with open(path, "wb") as f:
                f.write(upload["body"])
            spec = skein.ApplicationSpec(
                name="pyservice-%s-%s" % (user, script_name),
                queue="default",
                user=user,
                master=skein.Master(
                    resources=skein.Resources(memory="512 MiB", vcores=1),
                    files={script_name: path},
                    script="python3 %s" % script_name,
                ),
            )
            # Skein uploads the script to the user's staging directory in HDFS as the user, and
            # submits with the user's delegation tokens.
            app_id = await tornado.ioloop.IOLoop.current().run_in_executor(None, CLIENT.submit, spec)
        report = CLIENT.application_report(app_id)
        self.redirect(report.tracking_url)


class HealthHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("ok")


def main():
    global CLIENT
    # The service logs in from its keytab; Skein's driver renews that login for as long as it runs.
    CLIENT = skein.Client(principal=PRINCIPAL, keytab=KEYTAB, log_level="info")
    app = tornado.web.Application([(r"/", LaunchHandler), (r"/healthz", HealthHandler)])
    app.listen(PORT)
    print("pyservice listening on port %d as %s" % (PORT, PRINCIPAL), flush=True)
    tornado.ioloop.IOLoop.current().start()


if __name__ == "__main__":
    main()
