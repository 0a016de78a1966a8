// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"

	quic "github.com/lucas-clemente/quic-go"
)

// ids holds the IDs of the streams being served, so that no two live streams share one.
type ids struct {
	mu   sync.Mutex
	live map[[4]byte]struct{}
}

// next draws a random 4-byte ID that no live stream has, as the original's server does.
func (s *ids) next() ([4]byte, error) {
	var id [4]byte
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if _, err := rand.Read(id[:]); err != nil {
			return id, err
		}
		if _, taken := s.live[id]; !taken {
			s.live[id] = struct{}{}
			return id, nil
		}
	}
}

func (s *ids) release(id [4]byte) {
	s.mu.Lock()
	delete(s.live, id)
	s.mu.Unlock()
}

func runServer(args []string) error {
	fs := flag.NewFlagSet("server", flag.ExitOnError)
	workload := fs.String("workload", "echo", "echo: echo each stream's bytes; bulk: read to the end, answer the 8-byte count")
	listen := fs.String("listen", "127.0.0.1:0", "UDP address to bind")
	stdinWatch := fs.Bool("stdin-watch", false, "exit when standard input ends")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *workload != "echo" && *workload != "bulk" {
		return fmt.Errorf("-workload must be echo or bulk, was %q", *workload)
	}
	if *stdinWatch {
		watchStdin(0)
	}
	tlsConf, err := serverTLS()
	if err != nil {
		return err
	}
	ln, err := quic.ListenAddr(*listen, tlsConf, quicConfig())
	if err != nil {
		return err
	}
	fmt.Printf("LISTENING %s\n", ln.Addr())
	os.Stdout.Sync()
	registry := &ids{live: map[[4]byte]struct{}{}}
	for {
		conn, err := ln.Accept(context.Background())
		if err != nil {
			return err
		}
		go acceptStreams(conn, registry, *workload == "echo")
	}
}

func acceptStreams(conn quic.Connection, registry *ids, echo bool) {
	for {
		st, err := conn.AcceptStream(context.Background())
		if err != nil {
			return // the connection ended
		}
		go serve(st, registry, echo)
	}
}

// answer answers a new stream's handshake: reads 0x00, draws an ID and writes it. On an error
// the stream's reading is cancelled and no ID stays drawn; else the caller releases the ID.
func answer(st quic.Stream, registry *ids) ([4]byte, error) {
	var b [1]byte
	if _, err := io.ReadFull(st, b[:]); err != nil || b[0] != 0 {
		st.CancelRead(1)
		return [4]byte{}, fmt.Errorf("no handshake byte 0x00 (read %v, %v)", b[0], err)
	}
	id, err := registry.next()
	if err != nil {
		fmt.Fprintln(os.Stderr, "quic-go-peer: drawing an ID:", err)
		st.CancelRead(1)
		return id, fmt.Errorf("drawing an ID: %w", err)
	}
	if _, err := st.Write(id[:]); err != nil {
		registry.release(id)
		st.CancelRead(1)
		return id, err
	}
	return id, nil
}

// serve answers the handshake (0x00 in, the ID out), then echoes or counts the stream's bytes.
func serve(st quic.Stream, registry *ids, echo bool) {
	defer st.Close()
	id, err := answer(st, registry)
	if err != nil {
		return
	}
	defer registry.release(id)
	if echo {
		_, _ = io.CopyBuffer(st, st, make([]byte, chunk))
		return
	}
	n, err := io.CopyBuffer(io.Discard, st, make([]byte, chunk))
	if err != nil || n == 0 {
		return
	}
	var count [8]byte
	binary.BigEndian.PutUint64(count[:], uint64(n))
	_, _ = st.Write(count[:])
}
