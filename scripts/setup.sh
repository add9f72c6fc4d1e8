#!/usr/bin/env bash
# Sets up a machine with Node.js 20 and apt for Tally: system packages, pnpm, the workspace's dependencies, and
# (for the test suite) PostgreSQL and Mosquitto when nothing answers on their ports. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# System packages: ffmpeg (decode), chromium (dashboard tests), GStreamer RTSP server (stream tests), brokers and DB.
APT_PACKAGES=(ffmpeg chromium python3-gi gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav
  mosquitto postgresql)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "system packages present"
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if ! port_open 5432; then
  log "starting PostgreSQL"
  ver=$(ls /etc/postgresql | sort -n | tail -1)
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$ver" main start || $SUDO service postgresql start
  # Tests connect as postgres over TCP; on a fresh machine allow local trust auth for that user only.
  for _ in $(seq 1 20); do port_open 5432 && break; sleep 0.5; done
fi
if ! port_open 1883; then
  log "starting Mosquitto"
  $SUDO mosquitto -d -c /etc/mosquitto/mosquitto.conf
fi

if ! command -v pnpm >/dev/null 2>&1; then
  log "installing pnpm 10"
  $SUDO npm install -g pnpm@10 >/dev/null
fi

log "installing dependencies from the lockfile"
export ONNXRUNTIME_NODE_INSTALL=skip
pnpm install --frozen-lockfile --reporter=append-only | tail -3

# `pnpm cloud serve` (and the demo) serve the built dashboard from dashboard/dist at /.
log "building the dashboard"
pnpm --filter @tally/dashboard build >/dev/null
log "done"
