// SPDX-License-Identifier: Apache-2.0
/**
 * quicpool's integration tests across modules. Its only main code is {@link quicpool.it.TransportProbe},
 * the smallest quicpool application: it requires nothing but {@code quicpool.api}, so the engine and
 * the transport that serve it are whatever the module path holds.
 */
module quicpool.it {
    requires quicpool.api;
}
