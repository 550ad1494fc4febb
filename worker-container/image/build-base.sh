#!/usr/bin/env bash
# Builds the worker image's default base, conductor-jre:17 (Debian bookworm + OpenJDK 17 JRE headless), into
# the local Docker daemon from Debian packages, for machines that reach no container registry. Does nothing
# when the daemon has the image already (--force rebuilds it). Needs root (debootstrap) and a Docker engine.
set -euo pipefail

IMAGE="${WORKER_BASE_IMAGE:-conductor-jre:17}"
SUITE="${WORKER_BASE_SUITE:-bookworm}"
# The mirror apt uses here, where it names one; else Debian's own.
apt_mirror="$(grep -hs -m1 -E '^URIs: .*/debian/?$' /etc/apt/sources.list.d/*.sources | awk '{print $2}' || true)"
MIRROR="${WORKER_BASE_MIRROR:-${apt_mirror:-http://deb.debian.org/debian}}"

# The images run as uid 65532; the server image's embedded PostgreSQL needs it named (initdb looks
# the user up), so a base made before it was named is made again.
if [[ "${1:-}" != "--force" ]] && docker image inspect "$IMAGE" >/dev/null 2>&1 \
  && docker run --rm --entrypoint getent "$IMAGE" passwd 65532 >/dev/null 2>&1; then
  echo "build-base: $IMAGE is in the local daemon already"
  exit 0
fi
if ! command -v debootstrap >/dev/null 2>&1; then
  echo "build-base: installing debootstrap"
  apt-get install -y -q debootstrap >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q debootstrap >/dev/null; }
fi

root="$(mktemp -d /tmp/conductor-jre.XXXXXX)"
trap 'rm -rf "$root"' EXIT
start=$SECONDS
echo "build-base: debootstrap $SUITE from $MIRROR with openjdk-17-jre-headless into $root"
debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates "$SUITE" "$root" "$MIRROR" \
  >"$root.log" 2>&1 || { tail -20 "$root.log"; exit 1; }
rm -f "$root.log"
echo 'conductor:x:65532:65532:conductor:/var/lib/conductor:/usr/sbin/nologin' >>"$root/etc/passwd"
echo 'conductor:x:65532:' >>"$root/etc/group"
# What an image needs no more of: package caches and lists, docs.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
  "$root"/usr/share/man/*
tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  - "$IMAGE" >/dev/null
echo "build-base: $IMAGE built in $((SECONDS - start)) s ($(docker image inspect -f '{{.Size}}' "$IMAGE") bytes)"
