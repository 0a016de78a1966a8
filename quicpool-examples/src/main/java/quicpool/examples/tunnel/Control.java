// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The tunnel's control channel: one TLS connection from the tunnel client to the tunnel server,
 * carrying lines of US-ASCII text.
 *
 * <pre>
 * server -> client   CHALLENGE n...n    a fresh random nonce, 64 hex digits
 * client -> server   AUTH h...h         HMAC-SHA256 of the nonce under the shared secret ({@link Secret})
 * server -> client   ADMITTED           the server pool now admits QUIC from the client's address only
 *                    (or ERR reason, then the server closes the connection)
 * client -> server   HELLO a1b2c3d4     an ID the client took from its own pool with incomingGet
 * server -> client   OK                 the server took the same stream with outgoingGet
 *                    (or ERR reason, then the server closes the connection)
 * server -> client   5e6f7a8b           one stream ID per user connection, for outgoingGet
 * </pre>
 *
 * <p>Only a client that proves the secret gets its address into the server pool's allow-list,
 * and only then may it send HELLO: a stranger can neither open QUIC connections to the pool nor
 * take over the channel and swallow the IDs. TLS (the pool's certificate, judged as the client's
 * pool judges it) keeps the IDs and the challenge from anyone on the path.
 */
final class Control implements Closeable {
    static final String CHALLENGE = "CHALLENGE ";
    static final String AUTH = "AUTH ";
    static final String ADMITTED = "ADMITTED";
    static final String HELLO = "HELLO ";
    static final String OK = "OK";
    static final String ERR = "ERR ";
    private static final Pattern ID = Pattern.compile("[0-9a-fA-F]{8}");

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();

    Control(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        this.out = socket.getOutputStream();
    }

    /** The text after {@code prefix} in {@code line}, or {@code null} if the line does not start with it. */
    static String after(String prefix, String line) {
        return line != null && line.startsWith(prefix) ? line.substring(prefix.length()) : null;
    }

    static boolean isId(String line) {
        return line != null && ID.matcher(line).matches();
    }

    Socket socket() {
        return socket;
    }

    /** The next line, or {@code null} at the end of the connection. */
    String readLine() throws IOException {
        return in.readLine();
    }

    /** Sends one line; safe to call from many threads. */
    void send(String line) throws IOException {
        sendAfter(() -> { }, line);
    }

    /**
     * Runs {@code before}, then sends {@code line}, with no other line in between: the server
     * publishes the channel and answers OK in one step, so no ID can overtake the OK.
     */
    void sendAfter(Runnable before, String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.US_ASCII);
        writeLock.lock();
        try {
            before.run();
            out.write(bytes);
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        Lifecycle.closeQuietly(socket);
    }
}
