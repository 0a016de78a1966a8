// SPDX-License-Identifier: Apache-2.0
package quicpool.it;

/** A Netty client pool against a Kwik server pool. */
class NettyClientKwikServerTest extends InteropSuite {
    NettyClientKwikServerTest() {
        super("netty", "kwik");
    }

    @Override
    protected String idleCloseUnseenBecause() {
        return "Netty's client closes a stream with FIN alone, which Kwik shows only to a read; the Kwik"
                + " server sees it after Netty's 30 s linger (STOP_SENDING)";
    }
}
