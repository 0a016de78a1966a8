// SPDX-License-Identifier: Apache-2.0
package quicpool.core.id;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.time.Duration;
import quicpool.api.spi.TransportStream;

/**
 * The original's stream handshake, byte for byte: the client writes {@code 0x00}, the server
 * answers with the 4 bytes of the stream's ID.
 */
public final class Handshake {
    /** The byte a client writes on a new stream. */
    public static final int REQUEST = 0x00;

    private Handshake() {
    }

    /** Client side, first half: announces the stream. */
    public static void request(TransportStream stream) throws IOException {
        OutputStream out = stream.outputStream();
        out.write(REQUEST);
        out.flush();
    }

    /** Client side, second half: reads the ID the server gave the stream, within {@code timeout}. */
    public static int readId(TransportStream stream, Duration timeout) throws IOException {
        stream.setReadTimeout(timeout);
        byte[] id = new byte[StreamIds.WIRE_LENGTH];
        readFully(stream.inputStream(), id);
        stream.setReadTimeout(Duration.ZERO);
        return StreamIds.fromWire(id);
    }

    /**
     * Server side, first half: reads the client's request byte within {@code timeout}.
     *
     * @throws ProtocolException if the byte is not {@code 0x00}
     * @throws EOFException      if the stream ends first
     */
    public static void awaitRequest(TransportStream stream, Duration timeout) throws IOException {
        stream.setReadTimeout(timeout);
        int b = stream.inputStream().read();
        if (b < 0) {
            throw new EOFException("stream ended before the handshake byte");
        }
        if (b != REQUEST) {
            throw new ProtocolException("handshake byte must be 0x00, was 0x" + Integer.toHexString(b));
        }
        stream.setReadTimeout(Duration.ZERO);
    }

    /** Server side, second half: gives the stream its ID. */
    public static void answer(TransportStream stream, int id) throws IOException {
        OutputStream out = stream.outputStream();
        out.write(StreamIds.toWire(id));
        out.flush();
    }

    private static void readFully(InputStream in, byte[] b) throws IOException {
        int n = 0;
        while (n < b.length) {
            int r = in.read(b, n, b.length - n);
            if (r < 0) {
                throw new EOFException("stream ended after " + n + " of the 4 ID bytes");
            }
            n += r;
        }
    }
}
