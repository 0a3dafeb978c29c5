"""nginx as docs/deploy.md configures it, for the load test and the proxy test.

The server block is read from docs/deploy.md itself, so that what is measured and tested is what
the city deploys. Only addresses, ports, paths and the certificate change, and a change to the
documentation that these substitutions no longer find fails here instead of going unnoticed.

    python -m tests.nginx DIRECTORY PORT UPSTREAM_PORT STATIC_ROOT MEDIA_ROOT

writes DIRECTORY/nginx.conf (and a self-signed certificate for 127.0.0.1); run it with
`nginx -p DIRECTORY -c DIRECTORY/nginx.conf -e DIRECTORY/error.log`.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "deploy.md"
# The server that sends plain HTTP to HTTPS needs port 80 and nothing behind it: left out.
REDIRECT_SERVER = "server { listen 80; server_name international.duesseldorf.de;"


def documented_config():
    """The nginx block of "3. nginx in front" in docs/deploy.md."""
    section = DOCS.read_text().split("## 3. nginx in front", 1)[1]
    return section.split("```nginx\n", 1)[1].split("```", 1)[0]


def server_config(port, upstream_port, static_root, media_root, certificate, key, cache):
    replacements = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{port} ssl http2;",
        "ssl_certificate     /etc/ssl/…/fullchain.pem;": f"ssl_certificate {certificate};",
        "ssl_certificate_key /etc/ssl/…/privkey.pem;": f"ssl_certificate_key {key};",
        "/srv/partnerships/current/staticfiles/": f"{static_root}/",
        "/srv/partnerships/media/": f"{media_root}/",
        "/var/cache/nginx/partnerships": f"{cache}",
    }
    block = documented_config()
    for documented, here in replacements.items():
        if documented not in block:
            raise ValueError(f"docs/deploy.md's nginx block no longer has {documented!r}")
        block = block.replace(documented, here)
    lines = block.splitlines(keepends=True)
    redirect = [line for line in lines if line.startswith(REDIRECT_SERVER)]
    if len(redirect) != 1:
        raise ValueError("docs/deploy.md's nginx block no longer has its port-80 server")
    lines.remove(redirect[0])
    return "".join(lines)


def write_config(directory, port, upstream_port, static_root, media_root, worker_processes=1):
    """DIRECTORY/nginx.conf: the documented server in an nginx of its own (pid, logs, temp)."""
    directory = Path(directory)
    certificate, key = self_signed_certificate(directory)
    temp = {name: directory / name for name in ("client", "proxy", "fastcgi", "uwsgi", "scgi")}
    cache = directory / "cache"
    for path in temp.values():
        path.mkdir(exist_ok=True)
    # As root, nginx's workers would run as nobody, who may not read a private temp folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    config = f"""{user}worker_processes {worker_processes};
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    # What each response was, how the application's page cache answered ("hit", "stale",
    # "miss", "-" when nginx answered alone) and how nginx's own did ("HIT", "UPDATING"...).
    log_format outcome '$status $upstream_http_x_page_cache $upstream_cache_status';
    access_log {directory}/access.log outcome buffer=256k flush=1s;
    client_body_temp_path {temp["client"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};

{server_config(port, upstream_port, static_root, media_root, certificate, key, cache)}}}
"""
    path = directory / "nginx.conf"
    path.write_text(config)
    return path


def self_signed_certificate(directory):
    certificate, key = Path(directory) / "cert.pem", Path(directory) / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )
    return certificate, key


def missing():
    """What this machine lacks to run nginx here, or None."""
    for program in ("nginx", "openssl"):
        if shutil.which(program) is None:
            return f"{program} is not installed (apt-get install {program})"
    return None


def start(directory, port, upstream_port, static_root, media_root):
    """nginx in the foreground, answering on `port` (TLS); the caller terminates it."""
    path = write_config(directory, port, upstream_port, static_root, media_root)
    process = subprocess.Popen(
        ["nginx", "-p", str(directory), "-c", str(path), "-e", f"{directory}/error.log"]
        + ["-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx did not start: {process.stderr.read().decode()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.terminate()
    raise RuntimeError("nginx did not answer within 10 seconds")


if __name__ == "__main__":
    directory, port, upstream_port, static_root, media_root = sys.argv[1:6]
    workers = os.environ.get("NGINX_WORKER_PROCESSES", "1")
    print(write_config(directory, int(port), int(upstream_port), static_root, media_root, workers))
