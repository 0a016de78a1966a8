// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import quicpool.api.spi.StreamHandler;

/**
 * Hands the streams a peer opens to the connection's {@link StreamHandler}, holding back those
 * that arrive before the handler is known, and closing them when there is none.
 *
 * <p>Event-loop confined.
 */
final class PeerStreams {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.netty.PeerStreams");

    private final ArrayDeque<NettyStream> early = new ArrayDeque<>();
    private boolean decided;
    private StreamHandler handler;

    void offer(NettyStream stream) {
        if (!decided) {
            early.add(stream);
        } else if (handler == null) {
            stream.close();
        } else {
            deliver(stream);
        }
    }

    /** The handler is known; {@code null} means streams are to be closed. */
    void open(StreamHandler streamHandler) {
        decided = true;
        handler = streamHandler;
        NettyStream s;
        while ((s = early.poll()) != null) {
            offer(s);
        }
    }

    /** The connection ended: no handler will come. */
    void reject() {
        open(null);
    }

    private void deliver(NettyStream stream) {
        try {
            handler.onStream(stream);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "stream handler failed on stream " + stream.streamId()
                    + "; closing the stream", e);
            stream.close();
        }
    }
}
