# common.sh - sourced by load.sh and pg.sh.
# shellcheck shell=bash

# listening_port OUT: the port `tradebridge serve` announces on stdout (file
# OUT), waited for up to 10 s; empty if it did not start.
listening_port() {
  local p="" _
  for _ in $(seq 200); do
    p=$(sed -n 's/^tradebridge: listening on http:\/\/127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$1")
    [ -n "$p" ] && break
    sleep 0.05
  done
  echo "$p"
}

# nginx_head DIR prints the start of
# an unprivileged nginx configuration kept in DIR (pid, logs, temporary files;
# one worker per core), up to and with `http {`; the caller adds its servers
# and the closing brace, and runs `nginx -p DIR -c DIR/nginx.conf -e DIR/error.log`.
nginx_head() {
  local user=""
  [ "$(id -u)" -ne 0 ] || user="user root;"
  cat <<CONF
$user
worker_processes $(nproc);
daemon off;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $1/body;
  proxy_temp_path $1/proxy;
  fastcgi_temp_path $1/fastcgi;
  uwsgi_temp_path $1/uwsgi;
  scgi_temp_path $1/scgi;
CONF
}
