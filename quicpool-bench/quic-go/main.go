// SPDX-License-Identifier: Apache-2.0

// Command quic-go-peer is quicpool's quic-go reference: either end of quicpool's wire protocol
// (ALPN np-quic; the client opens a stream and writes 0x00, the server answers with a 4-byte ID)
// on quic-go, the QUIC stack the original Go library links. The server hands out random 4-byte
// IDs and echoes (workload echo) or counts (workload bulk) what each stream carries; the client
// runs the echo or the one-way bulk workload and prints one RESULT line per round. The tunnel
// roles run the tunnel's relay pattern on quic-go (tunnel.go), for the tunnel benchmark.
//
//	quic-go-peer server -workload echo|bulk [-stdin-watch]
//	quic-go-peer client -addr 127.0.0.1:PORT -workload echo|bulk [-rounds 5] [-warmup 1]
//	                    [-streams 50] [-kib 1024] [-conns 2] [-mib 64] [-stdin-watch]
//	quic-go-peer tunnel-server [-stdin-watch]
//	quic-go-peer tunnel-client -quic 127.0.0.1:PORT -control 127.0.0.1:PORT [-stdin-watch]
//
// The server prints "LISTENING 127.0.0.1:PORT" once bound (an ephemeral port). With -stdin-watch
// the process exits when its standard input ends, so it never outlives the launcher that piped it.
// Loopback benchmarking only: the server's certificate is self-signed at start and the client
// skips verification.
package main

import (
	"fmt"
	"io"
	"os"
	"time"

	quic "github.com/lucas-clemente/quic-go"
)

const (
	alpn      = "np-quic"
	keepAlive = 10 * time.Second
	// chunk is the size of each write, as the Java programs' (Sink.CHUNK).
	chunk = 64 * 1024
)

// quicConfig is the original's: keep-alive, idle timeout 3 x keep-alive, 128 incoming streams.
func quicConfig() *quic.Config {
	return &quic.Config{
		KeepAlivePeriod:    keepAlive,
		MaxIdleTimeout:     3 * keepAlive,
		MaxIncomingStreams: 128,
	}
}

func main() {
	if len(os.Args) < 2 {
		fail("usage: quic-go-peer server|client|tunnel-server|tunnel-client [flags]; see -h of each")
	}
	var err error
	switch os.Args[1] {
	case "server":
		err = runServer(os.Args[2:])
	case "client":
		err = runClient(os.Args[2:])
	case "tunnel-server":
		err = runTunnelServer(os.Args[2:])
	case "tunnel-client":
		err = runTunnelClient(os.Args[2:])
	default:
		fail(fmt.Sprintf("first argument must be server, client, tunnel-server or tunnel-client, was %q", os.Args[1]))
	}
	if err != nil {
		fail(err.Error())
	}
}

// watchStdin exits the process with status code once standard input ends (the launcher closed
// it or died).
func watchStdin(code int) {
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		os.Exit(code)
	}()
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "quic-go-peer:", msg)
	os.Exit(2)
}
