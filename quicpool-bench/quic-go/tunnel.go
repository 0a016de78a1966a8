// SPDX-License-Identifier: Apache-2.0

package main

import (
	"bufio"
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	quic "github.com/lucas-clemente/quic-go"
)

// The tunnel's relay pattern on quic-go, the original's design: the tunnel server has the users'
// TCP port and the QUIC listener; the tunnel client, beside the target, dials QUIC and keeps
// streams open and handshaken ahead of need. For each user the server takes any ready stream,
// sends its ID to the client over a control connection (one line of hex) and relays the user's
// connection to the stream; the client takes the stream of that ID, dials the target and relays.
// The control connection is plain TCP (the Java tunnel's is TLS with a shared secret).

const (
	// tunnelConns is how many QUIC connections the tunnel client keeps, as the Java client pool
	// of at most 256 streams does (128 per connection).
	tunnelConns = 2
	// tunnelIdle is how many handshaken streams the client keeps ready per connection.
	tunnelIdle = 64
	// tunnelWait bounds how long a user waits for a stream, on either end.
	tunnelWait = 10 * time.Second
)

type readyStream struct {
	id [4]byte
	st quic.Stream
}

func runTunnelServer(args []string) error {
	fs := flag.NewFlagSet("tunnel-server", flag.ExitOnError)
	stdinWatch := fs.Bool("stdin-watch", false, "exit when standard input ends")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *stdinWatch {
		watchStdin(0)
	}
	tlsConf, err := serverTLS()
	if err != nil {
		return err
	}
	ln, err := quic.ListenAddr("127.0.0.1:0", tlsConf, quicConfig())
	if err != nil {
		return err
	}
	control, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	users, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	// The launcher reads these lines as it reads the Java tunnel server's; no certificate is pinned.
	fmt.Printf("CERT none\nQUIC %s\nCONTROL %s\nLISTENING %s\n", ln.Addr(), control.Addr(), users.Addr())
	os.Stdout.Sync()

	ready := make(chan readyStream, tunnelConns*128)
	registry := &ids{live: map[[4]byte]struct{}{}}
	go func() {
		for {
			conn, err := ln.Accept(context.Background())
			if err != nil {
				return
			}
			go func() {
				for {
					st, err := conn.AcceptStream(context.Background())
					if err != nil {
						return
					}
					go func() {
						if id, err := answer(st, registry); err == nil {
							ready <- readyStream{id, st}
						}
					}()
				}
			}()
		}
	}()

	c, err := control.Accept()
	if err != nil {
		return err
	}
	var sendMu sync.Mutex
	send := func(id [4]byte) error {
		sendMu.Lock()
		defer sendMu.Unlock()
		_, err := io.WriteString(c, hex.EncodeToString(id[:])+"\n")
		return err
	}
	for {
		u, err := users.Accept()
		if err != nil {
			return err
		}
		go func() {
			select {
			case r := <-ready:
				if err := send(r.id); err != nil {
					fmt.Fprintln(os.Stderr, "quic-go-peer: control:", err)
					u.Close()
					r.st.CancelRead(1)
					r.st.Close()
					registry.release(r.id)
					return
				}
				relay(u.(*net.TCPConn), r.st)
				registry.release(r.id)
			case <-time.After(tunnelWait):
				u.Close()
			}
		}()
	}
}

// clientStreams is the tunnel client's pool: handshaken streams by ID, and the gets waiting for one.
type clientStreams struct {
	mu      sync.Mutex
	byID    map[[4]byte]quic.Stream
	waiting map[[4]byte]chan quic.Stream
}

func (p *clientStreams) put(id [4]byte, st quic.Stream) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if w, ok := p.waiting[id]; ok {
		delete(p.waiting, id)
		w <- st
		return
	}
	p.byID[id] = st
}

// take returns the stream of id, waiting for it a bounded time; nil if it did not come.
func (p *clientStreams) take(id [4]byte) quic.Stream {
	p.mu.Lock()
	if st, ok := p.byID[id]; ok {
		delete(p.byID, id)
		p.mu.Unlock()
		return st
	}
	w := make(chan quic.Stream, 1)
	p.waiting[id] = w
	p.mu.Unlock()
	select {
	case st := <-w:
		return st
	case <-time.After(tunnelWait):
		p.mu.Lock()
		delete(p.waiting, id)
		p.mu.Unlock()
		select {
		case st := <-w:
			return st
		default:
			return nil
		}
	}
}

func runTunnelClient(args []string) error {
	fs := flag.NewFlagSet("tunnel-client", flag.ExitOnError)
	quicAddr := fs.String("quic", "", "the tunnel server's QUIC address, host:port")
	controlAddr := fs.String("control", "", "the tunnel server's control address, host:port")
	stdinWatch := fs.Bool("stdin-watch", false, "exit when standard input ends")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *quicAddr == "" || *controlAddr == "" {
		return fmt.Errorf("-quic and -control are required")
	}
	if *stdinWatch {
		watchStdin(0)
	}
	target, err := echoTarget()
	if err != nil {
		return err
	}
	pool := &clientStreams{byID: map[[4]byte]quic.Stream{}, waiting: map[[4]byte]chan quic.Stream{}}
	taken := make([]chan struct{}, tunnelConns)
	for i := range taken {
		conn, err := quic.DialAddr(*quicAddr, clientTLS(), quicConfig())
		if err != nil {
			return err
		}
		taken[i] = make(chan struct{}, tunnelIdle)
		for j := 0; j < tunnelIdle; j++ {
			taken[i] <- struct{}{}
		}
		go fill(conn, pool, taken[i])
	}
	c, err := net.Dial("tcp", *controlAddr)
	if err != nil {
		return err
	}
	fmt.Println("READY")
	os.Stdout.Sync()
	lines := bufio.NewScanner(c)
	next := 0
	for lines.Scan() {
		b, err := hex.DecodeString(strings.TrimSpace(lines.Text()))
		if err != nil || len(b) != 4 {
			return fmt.Errorf("control line %q is not a 4-byte ID in hex", lines.Text())
		}
		var id [4]byte
		copy(id[:], b)
		refill := taken[next%tunnelConns]
		next++
		go func() {
			st := pool.take(id)
			if st == nil {
				fmt.Fprintf(os.Stderr, "quic-go-peer: no stream %x within %v\n", id, tunnelWait)
				return
			}
			refill <- struct{}{}
			t, err := net.Dial("tcp", target)
			if err != nil {
				st.CancelRead(1)
				st.Close()
				return
			}
			relay(t.(*net.TCPConn), st)
		}()
	}
	return lines.Err()
}

// fill opens and handshakes a stream on conn for every token it receives, and puts it in the pool.
// (The server takes any ready stream, so which connection refills is only approximately the one
// that served the user.)
func fill(conn quic.Connection, pool *clientStreams, tokens chan struct{}) {
	for range tokens {
		st, id, err := handshake(conn)
		if err != nil {
			fmt.Fprintln(os.Stderr, "quic-go-peer: opening a stream:", err)
			return
		}
		pool.put(id, st)
	}
}

// echoTarget starts a TCP echo on loopback that half-closes after its peer does; returns its address.
func echoTarget() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = io.CopyBuffer(c, c, make([]byte, 16*1024))
				_ = c.(*net.TCPConn).CloseWrite()
			}()
		}
	}()
	return ln.Addr().String(), nil
}

// relay copies both ways between a TCP connection and a stream, passing each end of input on as a
// half-close (FIN), and closes both when both directions have ended.
func relay(tcp *net.TCPConn, st quic.Stream) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, _ = io.CopyBuffer(st, tcp, make([]byte, 16*1024))
		st.Close() // the stream's write side: FIN
	}()
	_, _ = io.CopyBuffer(tcp, st, make([]byte, 16*1024))
	_ = tcp.CloseWrite()
	wg.Wait()
	tcp.Close()
}
