// SPDX-License-Identifier: Apache-2.0
package quicpool.testkit;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Both ends of one in-memory bidirectional stream and the two pipes between them. Its credit
 * goes back to the opener once both pipes are terminal: each reader has seen the FIN or stopped
 * reading (as {@code close()} on an end does), or the connection ended.
 */
final class StreamPair {
    private final Link link;
    private final long id;
    private final boolean openedByClient;
    private final AtomicInteger terminalPipes = new AtomicInteger();
    private final Pipe toServer;
    private final Pipe toClient;
    private final InMemoryStream clientEnd;
    private final InMemoryStream serverEnd;

    StreamPair(Link link, long id, boolean openedByClient, int serverWindow, int clientWindow) {
        this.link = link;
        this.id = id;
        this.openedByClient = openedByClient;
        this.toServer = new Pipe("in-memory stream " + id + " (client to server)", serverWindow, this::pipeTerminal);
        this.toClient = new Pipe("in-memory stream " + id + " (server to client)", clientWindow, this::pipeTerminal);
        this.clientEnd = new InMemoryStream(id, toClient, toServer);
        this.serverEnd = new InMemoryStream(id, toServer, toClient);
    }

    long id() {
        return id;
    }

    boolean openedByClient() {
        return openedByClient;
    }

    /** The opener's end. */
    InMemoryStream openerEnd() {
        return openedByClient ? clientEnd : serverEnd;
    }

    /** The end delivered to the peer's stream handler. */
    InMemoryStream acceptorEnd() {
        return openedByClient ? serverEnd : clientEnd;
    }

    void fail(IOException cause) {
        toServer.fail(cause);
        toClient.fail(cause);
    }

    private void pipeTerminal() {
        if (terminalPipes.incrementAndGet() == 2) {
            link.release(this);
        }
    }
}
