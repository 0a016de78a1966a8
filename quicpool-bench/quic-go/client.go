// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	mathrand "math/rand"
	"sync"
	"syscall"
	"time"

	quic "github.com/lucas-clemente/quic-go"
)

type clientFlags struct {
	addr     string
	workload string
	rounds   int
	warmup   int
	streams  int
	kib      int
	conns    int
	mib      int
}

func runClient(args []string) error {
	var f clientFlags
	fs := flag.NewFlagSet("client", flag.ExitOnError)
	fs.StringVar(&f.addr, "addr", "", "server address host:port (required)")
	fs.StringVar(&f.workload, "workload", "echo", "echo or bulk")
	fs.IntVar(&f.rounds, "rounds", 5, "recorded rounds (>= 1)")
	fs.IntVar(&f.warmup, "warmup", 1, "warm-up rounds (>= 0), printed with warmup=true")
	fs.IntVar(&f.streams, "streams", 50, "echo: streams per round (>= 1)")
	fs.IntVar(&f.kib, "kib", 1024, "echo: KiB per stream (>= 1)")
	fs.IntVar(&f.conns, "conns", 2, "echo: QUIC connections (>= 1)")
	fs.IntVar(&f.mib, "mib", 64, "bulk: MiB on one stream per round (>= 1)")
	stdinWatch := fs.Bool("stdin-watch", false, "exit when standard input ends")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if f.addr == "" {
		return fmt.Errorf("-addr is required (host:port of the server)")
	}
	if f.workload != "echo" && f.workload != "bulk" {
		return fmt.Errorf("-workload must be echo or bulk, was %q", f.workload)
	}
	if f.rounds < 1 || f.warmup < 0 || f.streams < 1 || f.kib < 1 || f.conns < 1 || f.mib < 1 {
		return fmt.Errorf("need -rounds >= 1, -warmup >= 0, -streams/-kib/-conns/-mib >= 1; got %+v", f)
	}
	if *stdinWatch {
		watchStdin(3) // a client cut short has not finished its rounds
	}
	conns := f.conns
	if f.workload == "bulk" {
		conns = 1
	}
	var dialed []quic.Connection
	for i := 0; i < conns; i++ {
		c, err := quic.DialAddr(f.addr, clientTLS(), quicConfig())
		if err != nil {
			return fmt.Errorf("dialing %s: %w", f.addr, err)
		}
		defer c.CloseWithError(0, "benchmark over")
		dialed = append(dialed, c)
	}
	for round := -f.warmup; round < f.rounds; round++ {
		var wall time.Duration
		var moved int64
		var err error
		if f.workload == "echo" {
			wall, moved, err = echoRound(dialed, f.streams, f.kib*1024)
		} else {
			wall, moved, err = bulkRound(dialed[0], int64(f.mib)<<20)
		}
		if err != nil {
			return fmt.Errorf("%s round %d: %w", f.workload, round, err)
		}
		fmt.Printf("RESULT impl=quic-go workload=%s round=%d warmup=%t wall_ns=%d bytes=%d cpu_ns=%d\n",
			f.workload, round, round < 0, wall.Nanoseconds(), moved, cpuNanos())
	}
	return nil
}

// handshake opens a stream on conn, writes 0x00 and reads the server's 4-byte ID.
func handshake(conn quic.Connection) (quic.Stream, [4]byte, error) {
	var id [4]byte
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := conn.OpenStreamSync(ctx)
	if err != nil {
		return nil, id, err
	}
	if _, err := st.Write([]byte{0}); err != nil {
		return nil, id, err
	}
	if _, err := io.ReadFull(st, id[:]); err != nil {
		return nil, id, fmt.Errorf("reading the stream ID: %w", err)
	}
	return st, id, nil
}

// echoRound opens the streams (round-robin over the connections) before the clock; then, all at
// once, writes each stream's bytes and half-closes it, and reads the echo back, checking its
// SHA-256. Returns the wall time and the bytes moved both ways.
func echoRound(conns []quic.Connection, streams, size int) (time.Duration, int64, error) {
	payload := make([]byte, size)
	mathrand.New(mathrand.NewSource(2)).Read(payload)
	want := sha256.Sum256(payload)
	opened := make([]quic.Stream, 0, streams)
	for i := 0; i < streams; i++ {
		st, _, err := handshake(conns[i%len(conns)])
		if err != nil {
			return 0, 0, err
		}
		opened = append(opened, st)
	}
	errs := make(chan error, 2*streams)
	var wg sync.WaitGroup
	start := time.Now()
	for _, st := range opened {
		st := st
		wg.Add(2)
		go func() {
			defer wg.Done()
			errs <- writeAll(st, payload)
		}()
		go func() {
			defer wg.Done()
			h := sha256.New()
			n, err := io.CopyBuffer(h, st, make([]byte, chunk))
			if err == nil && (n != int64(size) || !bytes.Equal(h.Sum(nil), want[:])) {
				err = fmt.Errorf("stream %d echoed %d of %d bytes or different bytes", st.StreamID(), n, size)
			}
			errs <- err
		}()
	}
	wg.Wait()
	wall := time.Since(start)
	close(errs)
	for err := range errs {
		if err != nil {
			return 0, 0, err
		}
	}
	return wall, 2 * int64(streams) * int64(size), nil
}

// bulkRound sends n bytes one way on one stream, half-closes it and waits for the server's count.
func bulkRound(conn quic.Connection, n int64) (time.Duration, int64, error) {
	st, _, err := handshake(conn)
	if err != nil {
		return 0, 0, err
	}
	payload := make([]byte, chunk)
	mathrand.New(mathrand.NewSource(1)).Read(payload)
	start := time.Now()
	for left := n; left > 0; {
		k := int64(len(payload))
		if left < k {
			k = left
		}
		if _, err := st.Write(payload[:k]); err != nil {
			return 0, 0, err
		}
		left -= k
	}
	if err := st.Close(); err != nil {
		return 0, 0, err
	}
	var count [8]byte
	if _, err := io.ReadFull(st, count[:]); err != nil {
		return 0, 0, fmt.Errorf("reading the server's byte count: %w", err)
	}
	wall := time.Since(start)
	if got := int64(binary.BigEndian.Uint64(count[:])); got != n {
		return 0, 0, fmt.Errorf("server counted %d bytes, %d were sent", got, n)
	}
	return wall, n, nil
}

// writeAll writes payload in chunks and half-closes the stream (quic-go's Close ends the send side).
func writeAll(st quic.Stream, payload []byte) error {
	for off := 0; off < len(payload); off += chunk {
		end := off + chunk
		if end > len(payload) {
			end = len(payload)
		}
		if _, err := st.Write(payload[off:end]); err != nil {
			return err
		}
	}
	return st.Close()
}

// cpuNanos is this process's CPU time so far, user and system; -1 if the kernel does not say.
func cpuNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
