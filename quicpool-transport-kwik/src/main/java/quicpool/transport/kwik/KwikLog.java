// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik;

import tech.kwik.core.log.NullLogger;

/**
 * Forwards Kwik's errors and warnings to {@code System.Logger} ("quicpool.transport.kwik.stack")
 * at DEBUG and TRACE: Kwik reports many routine events (late packets, closed connections) as
 * errors, and the transport already surfaces what matters as exceptions and close callbacks.
 */
final class KwikLog extends NullLogger {

    private static final System.Logger LOG = System.getLogger("quicpool.transport.kwik.stack");

    static final KwikLog INSTANCE = new KwikLog();

    private KwikLog() {
    }

    @Override
    public void error(String message) {
        LOG.log(System.Logger.Level.DEBUG, message);
    }

    @Override
    public void error(String message, Throwable error) {
        LOG.log(System.Logger.Level.DEBUG, message, error);
    }

    @Override
    public void warn(String message) {
        LOG.log(System.Logger.Level.TRACE, message);
    }
}
