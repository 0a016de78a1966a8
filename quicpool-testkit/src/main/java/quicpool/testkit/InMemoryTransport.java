package quicpool.testkit;

import java.io.IOException;
import quicpool.api.spi.ConnectionHandler;
import quicpool.api.spi.DialSpec;
import quicpool.api.spi.ListenSpec;
import quicpool.api.spi.QuicTransport;
import quicpool.api.spi.TransportConnection;
import quicpool.api.spi.TransportListener;

/** The in-memory transport; work in progress (the next commit implements it). */
public final class InMemoryTransport implements QuicTransport {
    @Override
    public String name() {
        return "in-memory";
    }

    @Override
    public boolean autoSelectable() {
        return false;
    }

    @Override
    public TransportConnection connect(DialSpec spec) throws IOException {
        throw new IOException("in-memory transport not implemented yet");
    }

    @Override
    public TransportListener listen(ListenSpec spec, ConnectionHandler handler) throws IOException {
        throw new IOException("in-memory transport not implemented yet");
    }
}
