// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;

/** Reading a stream's end as the kits expect it. */
final class StreamEnds {
    private StreamEnds() {
    }

    /**
     * One byte, or -1 for an orderly end and also for a reset or a closed connection (what a peer
     * may do instead).
     *
     * @throws AssertionError if the read timed out: the stream's end never arrived
     */
    static int readOrEnd(InputStream in) {
        try {
            return in.read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the stream's end never arrived", e);
        } catch (IOException e) {
            return -1;
        }
    }
}
