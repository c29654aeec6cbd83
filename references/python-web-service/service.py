#!/usr/bin/env python3
"""A small Python submission service, as a team would write one, judged by yarnsec.

Users sign in with SPNEGO (python3-gssapi, the service's HTTP/ principal from its keytab) and
upload a Python job through a form. The service runs it on YARN as the signed-in user:

  * it logs in as itself from its keytab (kinit into a ticket cache of its own),
  * acts for the user through Hadoop's proxy-user rights (`doas=`/`doAs=`), with SPNEGO on
    every request out (python3-requests-kerberos),
  * stages the job in the user's HDFS home over WebHDFS,
  * gets the user's HDFS and timeline delegation tokens with the ResourceManager as renewer,
  * submits Hadoop's DistributedShell ApplicationMaster through the ResourceManager's REST API,
    the tokens in the launch context, and answers with a redirect to the job's page.

Only the Python standard library and Debian's python3-gssapi and python3-requests-kerberos.
Configuration comes from the Hadoop client configuration (HADOOP_CONF_DIR) and the environment
yarnsec gives a service on its edge node (YARNSEC_SERVICE_PRINCIPAL, YARNSEC_SERVICE_KEYTAB).
"""

import base64
import email.parser
import email.policy
import html
import http.server
import json
import os
import re
import socket
import subprocess
import sys
import threading
import urllib.parse
import xml.etree.ElementTree as ET

import gssapi
import requests
from requests_kerberos import HTTPKerberosAuth, OPTIONAL

PORT = int(os.environ.get("PORT", "8080"))
PRINCIPAL = os.environ["YARNSEC_SERVICE_PRINCIPAL"]
KEYTAB = os.environ["YARNSEC_SERVICE_KEYTAB"]
CONF_DIR = os.environ.get("HADOOP_CONF_DIR", "/etc/hadoop/conf")
MAX_UPLOAD = 1 << 20
NAME_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
CLASSPATH = "/opt/hadoop/conf:/opt/hadoop/jars/*"
# The java.base packages Hadoop reaches into by reflection: Java 17 refuses unless opened.
JAVA_OPENS = " ".join(
    f"--add-opens=java.base/{p}=ALL-UNNAMED"
    for p in ("java.io", "java.lang", "java.lang.reflect", "java.math", "java.net", "java.nio", "java.text",
              "java.util", "java.util.concurrent", "java.util.zip", "sun.security.util", "sun.security.x509",
              "sun.nio.ch")
)


def site(name):
    """A Hadoop site file's properties."""
    root = ET.parse(os.path.join(CONF_DIR, name)).getroot()
    return {p.findtext("name"): p.findtext("value") for p in root.iter("property")}


CORE, HDFS, YARN = site("core-site.xml"), site("hdfs-site.xml"), site("yarn-site.xml")
NAMENODE_RPC = urllib.parse.urlparse(CORE["fs.defaultFS"]).netloc
WEBHDFS = "http://" + HDFS["dfs.namenode.http-address"] + "/webhdfs/v1"
RM = "http://" + YARN["yarn.resourcemanager.webapp.address"] + "/ws/v1/cluster"
TIMELINE = "http://" + YARN["yarn.timeline-service.webapp.address"] + "/ws/v1/timeline/"
# The ResourceManager renews the application's tokens: it is their renewer, named by its principal
# as Hadoop's own clients name it (the issuer maps it to its short name).
RENEWER = YARN["yarn.resourcemanager.principal"]


# Hadoop names a token's service by address (hadoop.security.token.service.use_ip).
def service_of(host_port):
    host, port = host_port.rsplit(":", 1)
    return f"{socket.gethostbyname(host)}:{port}"


HDFS_SERVICE = service_of(NAMENODE_RPC)
TIMELINE_SERVICE = service_of(YARN["yarn.timeline-service.webapp.address"])

os.environ["KRB5_KTNAME"] = KEYTAB
os.environ["KRB5CCNAME"] = "FILE:/tmp/krb5cc_python_service"
login_lock = threading.Lock()


def login():
    """A fresh ticket for the service from its keytab (tickets here live minutes)."""
    with login_lock:
        subprocess.run(["kinit", "-kt", KEYTAB, PRINCIPAL], check=True, capture_output=True)


def out_auth():
    return HTTPKerberosAuth(mutual_authentication=OPTIONAL)


class HadoopError(Exception):
    pass


def call(method, url, what, **kwargs):
    r = requests.request(method, url, auth=out_auth(), timeout=60, **kwargs)
    if r.status_code >= 300 and not (r.status_code == 307 and not kwargs.get("allow_redirects", True)):
        raise HadoopError(f"{what}: {method} {url.split('?')[0]} answered {r.status_code}: {r.text[:300]}")
    return r


# --- Hadoop's token format: Writable fields, URL-safe base64 without padding ---------------

def read_vlong(b, i):
    first = b[i] - 256 if b[i] > 127 else b[i]
    if first >= -112:
        return first, i + 1
    n = -111 - first if first >= -120 else -119 - first
    value = 0
    for k in range(n - 1):
        value = (value << 8) | b[i + 1 + k]
    return (~value if first < -120 else value), i + n


def write_vlong(v):
    if -112 <= v <= 127:
        return bytes([v & 0xFF])
    length = -112
    if v < 0:
        v, length = ~v, -120
    tmp, n = v, 0
    while tmp:
        tmp >>= 8
        n += 1
    return bytes([(length - n) & 0xFF]) + v.to_bytes(n, "big")


def token_fields(url_string):
    raw = base64.urlsafe_b64decode(url_string + "=" * (-len(url_string) % 4))
    fields, i = [], 0
    for _ in range(4):
        n, i = read_vlong(raw, i)
        fields.append(raw[i:i + n])
        i += n
    return fields  # identifier, password, kind, service


def with_service(url_string, service):
    ident, password, kind, _ = token_fields(url_string)
    raw = b"".join(write_vlong(len(f)) + f for f in (ident, password, kind, service.encode()))
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# --- The submission ------------------------------------------------------------------------

def submit(user, name, job):
    login()
    rm = requests.post(f"{RM}/apps/new-application", params={"doAs": user}, auth=out_auth(), timeout=60)
    if rm.status_code != 200:
        raise HadoopError(f"new-application answered {rm.status_code}: {rm.text[:300]}")
    app_id = rm.json()["application-id"]
    home = f"/user/{user}"
    staging = f"{home}/jobs/{app_id}"
    script = f"{staging}/ExecScript.sh"
    call("PUT", f"{WEBHDFS}{staging}", "staging dir", params={"op": "MKDIRS", "permission": "700", "doas": user})
    # DistributedShell runs its script with bash: the Python job is its standard input.
    wrapper = b"exec python3 - <<'YARNSEC_PYTHON_JOB'\n" + job + b"\nYARNSEC_PYTHON_JOB\n"
    first = call("PUT", f"{WEBHDFS}{script}", "staging the job",
                 params={"op": "CREATE", "overwrite": "true", "permission": "600", "doas": user}, allow_redirects=False)
    requests.put(first.headers["Location"], data=wrapper, timeout=60).raise_for_status()
    status = call("GET", f"{WEBHDFS}{script}", "the job's status", params={"op": "GETFILESTATUS", "doas": user}).json()["FileStatus"]

    # kind= matters: without it WebHDFS hands out a "WEBHDFS delegation" token, which the
    # ResourceManager cannot renew for an hdfs:// service, and it refuses the application.
    hdfs_token = call("GET", f"{WEBHDFS}/", "HDFS delegation token",
                      params={"op": "GETDELEGATIONTOKEN", "renewer": RENEWER, "kind": "HDFS_DELEGATION_TOKEN",
                              "service": HDFS_SERVICE, "doas": user}).json()["Token"]["urlString"]
    timeline = call("GET", TIMELINE, "timeline delegation token",
                    params={"op": "GETDELEGATIONTOKEN", "renewer": RENEWER, "doAs": user}).json()["Token"]["urlString"]
    tokens = [(HDFS_SERVICE, hdfs_token), (TIMELINE_SERVICE, with_service(timeline, TIMELINE_SERVICE))]

    env = {
        "CLASSPATH": CLASSPATH,
        "DISTRIBUTEDSHELLSCRIPTLOCATION": f"hdfs://{NAMENODE_RPC}{script}",
        "DISTRIBUTEDSHELLSCRIPTTIMESTAMP": str(status["modificationTime"]),
        "DISTRIBUTEDSHELLSCRIPTLEN": str(status["length"]),
    }
    if os.environ.get("HADOOP_JAAS_DEBUG") == "true":
        env["HADOOP_JAAS_DEBUG"] = "true"
    command = ("{{JAVA_HOME}}/bin/java -Xmx256m -XX:+UseSerialGC " + JAVA_OPENS +
               " org.apache.hadoop.yarn.applications.distributedshell.ApplicationMaster"
               " --container_memory 256 --container_vcores 1 --num_containers 1 --priority 0"
               f" --appname python-service --homedir {home}"
               " 1><LOG_DIR>/AppMaster.stdout 2><LOG_DIR>/AppMaster.stderr")
    entries = lambda d: {"entry": [{"key": k, "value": v} for k, v in d]}
    context = {
        "application-id": app_id,
        "application-name": name,
        "queue": "default",
        "application-type": "PYTHON-SERVICE",
        "max-app-attempts": 1,
        "cancel-tokens-when-complete": True,
        "resource": {"memory": 512, "vCores": 1},
        "am-container-spec": {
            "local-resources": {"entry": []},
            "environment": entries(env.items()),
            "commands": {"command": command},
            "credentials": {"tokens": entries(tokens), "secrets": {"entry": []}},
            "application-acls": entries([("VIEW_APP", user), ("MODIFY_APP", user)]),
        },
    }
    call("POST", f"{RM}/apps", "submission", params={"doAs": user}, json=context)
    return app_id


# --- The web side: SPNEGO in, a form, a job page ------------------------------------------

PAGE = """<!doctype html><html><head><title>Python jobs</title></head><body>
<h1>Python jobs on YARN</h1><p>Signed in as {user}.</p>
<form method="post" action="/run" enctype="multipart/form-data">
<label>Job name <input name="job_name" required></label>
<label>Pool <input name="pool" value="default"></label>
<label>Python file <input type="file" name="code" accept=".py" required></label>
<button type="submit">Run</button></form></body></html>"""


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "python-jobs/1"

    def reply(self, status, body, headers=()):
        data = body.encode()
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def user(self):
        """The signed-in user's short name, or None after answering 401/403."""
        header = self.headers.get("Authorization", "")
        if not header.startswith("Negotiate "):
            self.reply(401, "<p>Sign in with Kerberos (SPNEGO).</p>", [("WWW-Authenticate", "Negotiate")])
            return None
        try:
            ctx = gssapi.SecurityContext(creds=gssapi.Credentials(usage="accept"), usage="accept")
            answer = ctx.step(base64.b64decode(header[len("Negotiate "):], validate=True))
            if not ctx.complete:
                raise ValueError("the SPNEGO exchange needs another round, which this service does not do")
        except (gssapi.exceptions.GSSError, ValueError) as e:
            self.reply(403, f"<p>Your Kerberos credentials were refused: {html.escape(str(e))}</p>")
            return None
        self.answer = answer
        return str(ctx.initiator_name).split("@")[0].split("/")[0]

    def do_GET(self):
        if self.path == "/healthz":
            return self.reply(200, "ok")
        user = self.user()
        if user is None:
            return
        extra = [("WWW-Authenticate", "Negotiate " + base64.b64encode(self.answer).decode())] if self.answer else []
        match = re.fullmatch(r"/jobs/(application_\d+_\d+)", self.path)
        if match:
            return self.reply(200, f"<p>Job {match.group(1)} submitted for {html.escape(user)}.</p>", extra)
        self.reply(200, PAGE.format(user=html.escape(user)), extra)

    def do_POST(self):
        if self.path != "/run":
            return self.reply(404, "<p>No such page.</p>")
        user = self.user()
        if user is None:
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return self.reply(400, "<p>Content-Length is not a number.</p>")
        if length < 0 or length > MAX_UPLOAD:
            return self.reply(413, f"<p>Uploads are limited to {MAX_UPLOAD} bytes.</p>")
        body = self.rfile.read(length)
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {self.headers.get('Content-Type', '')}\r\n\r\n".encode() + body)
        fields = {}
        if message.is_multipart():
            for part in message.iter_parts():
                fields[part.get_param("name", header="content-disposition")] = part.get_payload(decode=True) or b""
        name = fields.get("job_name", b"").decode(errors="replace").strip()
        job = fields.get("code", b"")
        if not NAME_RE.fullmatch(name) or not job:
            return self.reply(400, "<p>A job needs a name (letters, digits, . _ -) and a Python file.</p>")
        try:
            app_id = submit(user, name, job)
        except (HadoopError, requests.RequestException, subprocess.CalledProcessError, KeyError) as e:
            print(f"submission for {user} failed: {e}", file=sys.stderr, flush=True)
            return self.reply(502, f"<p>The cluster refused the job: {html.escape(str(e))}</p>")
        print(f"submitted {app_id} for {user}", file=sys.stderr, flush=True)
        self.reply(303, f'<p><a href="/jobs/{app_id}">{app_id}</a></p>', [("Location", f"/jobs/{app_id}")])


if __name__ == "__main__":
    login()
    print(f"python-jobs on :{PORT} as {PRINCIPAL}; NameNode {NAMENODE_RPC}, RM {RM}", file=sys.stderr, flush=True)
    http.server.ThreadingHTTPServer(("0.0.0.0", PORT), Handler).serve_forever()
