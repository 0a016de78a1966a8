// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.netty;

import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Bridges Netty futures to {@link CompletableFuture}, whose waits park instead of holding a
 * monitor (Netty's {@code await} waits inside {@code synchronized}), and maps failures to
 * {@link IOException}.
 */
final class NettyFutures {

    private NettyFutures() {
    }

    static <T> CompletableFuture<T> toCompletable(Future<T> future) {
        CompletableFuture<T> out = new CompletableFuture<>();
        future.addListener(f -> {
            if (f.isSuccess()) {
                @SuppressWarnings("unchecked")
                T value = (T) f.getNow();
                out.complete(value);
            } else {
                out.completeExceptionally(f.cause());
            }
        });
        return out;
    }

    /** The failure as an IOException, with {@code what} in front of the cause's message. */
    static IOException ioException(String what, Throwable cause) {
        if (cause instanceof IOException && cause.getMessage() != null && what == null) {
            return (IOException) cause;
        }
        String detail = cause == null ? "unknown cause"
                : cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return new IOException(what == null ? detail : what + ": " + detail, cause);
    }
}
