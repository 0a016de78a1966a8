// SPDX-License-Identifier: Apache-2.0
package quicpool.it;

/**
 * A Kwik client pool against a Netty server pool. Such handshakes fail now and then on loopback
 * (about 2-3%, "Missing keys for encryption level Handshake"); the pool dials again, and no test
 * here needs every dial to succeed.
 */
class KwikClientNettyServerTest extends InteropSuite {
    KwikClientNettyServerTest() {
        super("kwik", "netty");
    }
}
