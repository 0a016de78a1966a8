#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Builds the quic-go reference peer into quicpool-bench/target/quic-go-peer from Debian's packages
# golang-go and golang-github-lucas-clemente-quic-go-dev (quic-go 0.29, what the original links),
# installing them with apt-get when missing (needs root). Exits 2, saying why, if Go cannot be had.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$(dirname "$here")/target/quic-go-peer"
gopath=/usr/share/gocode
quicgo="$gopath/src/github.com/lucas-clemente/quic-go"

if ! command -v go >/dev/null 2>&1 || [ ! -d "$quicgo" ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        echo "installing golang-go and golang-github-lucas-clemente-quic-go-dev" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go golang-github-lucas-clemente-quic-go-dev
    else
        echo "quic-go peer not built: needs Debian's golang-go and golang-github-lucas-clemente-quic-go-dev" \
             "(apt-get install -y golang-go golang-github-lucas-clemente-quic-go-dev, as root)" >&2
        exit 2
    fi
fi

mkdir -p "$(dirname "$out")"
cd "$here"
GO111MODULE=off GOPATH="$gopath" GOFLAGS= go build -o "$out" .
echo "built $out ($(go version))"
