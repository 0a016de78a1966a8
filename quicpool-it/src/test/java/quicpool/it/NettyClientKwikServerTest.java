// SPDX-License-Identifier: Apache-2.0
package quicpool.it;

/** A Netty client pool against a Kwik server pool. */
class NettyClientKwikServerTest extends InteropSuite {
    NettyClientKwikServerTest() {
        super("netty", "kwik");
    }
}
