// SPDX-License-Identifier: Apache-2.0
package quicpool.examples.tunnel;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * The demo's target: a TCP server that sends every byte back as it arrives and closes after the
 * client's EOF, one thread per connection. Thread-safe; {@link #close()} ends every connection and
 * thread.
 */
public final class EchoServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("quicpool.examples.tunnel");

    private final ServerSocket listener;
    private final ExecutorService executor = Lifecycle.threads("echo");
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private EchoServer(ServerSocket listener) {
        this.listener = listener;
    }

    /**
     * Binds {@code address} (port 0: any free port) and starts serving.
     *
     * @throws IOException if it cannot be bound
     */
    public static EchoServer start(InetSocketAddress address) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(address);
        EchoServer server = new EchoServer(listener);
        server.executor.execute(server::accept);
        return server;
    }

    /** The address it is bound to. */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                executor.execute(() -> echo(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void echo(Socket socket) {
        open.add(socket);
        try (socket) {
            socket.getInputStream().transferTo(socket.getOutputStream());
            socket.shutdownOutput();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "echo connection ended: {0}", e.toString());
        } finally {
            open.remove(socket);
        }
    }

    /** Stops accepting and closes every open connection. Idempotent. */
    @Override
    public void close() {
        Lifecycle.closeQuietly(listener);
        open.forEach(Lifecycle::closeQuietly);
        Lifecycle.shutdown(executor);
    }
}
