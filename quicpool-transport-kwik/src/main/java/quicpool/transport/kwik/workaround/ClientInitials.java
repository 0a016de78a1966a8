// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Judges the Initial packets clients send to the listener, as a server must (RFC 9001 5.2: a
 * packet whose protection cannot be removed is discarded), and remembers each client's original
 * destination connection ID, the source of its handshake's Initial keys.
 *
 * <p>A client's first flight goes to a destination ID of its choosing and is protected with the
 * keys of that ID. Its later Initial packets (acknowledgements, its own CONNECTION_CLOSE) go to
 * the server's ID but keep the keys of the original one, so they are checked against what the
 * first flight left here: the client's address and source ID name its handshake.
 */
final class ClientInitials {

    /** Longer than a client keeps trying; Kwik keeps an unanswered connection attempt 30 s. */
    static final Duration REMEMBER = Duration.ofSeconds(30);
    private static final int MAX_REMEMBERED = 4096;
    private static final HexFormat HEX = HexFormat.of();

    /** A client's address and source connection ID -> the destination ID of its first Initial. */
    private final ExpiringMap<ClientId, byte[]> firstFlights = new ExpiringMap<>(REMEMBER, MAX_REMEMBERED);
    /** A client's address -> the largest UDP payload its first flight said it accepts. */
    private final ExpiringMap<SocketAddress, Integer> payloadLimits = new ExpiringMap<>(REMEMBER, MAX_REMEMBERED);

    private record ClientId(SocketAddress address, String connectionId) {
    }

    /**
     * Whether the client Initial packet {@code header} describes opens with its handshake's keys:
     * those of its own destination ID (a first flight, then remembered), or those of the first
     * flight remembered for its address and source ID. Only that packet is opened: whatever the
     * datagram holds after it (coalesced packets, padding) is the server's to read.
     */
    boolean admits(SocketAddress from, byte[] data, InitialHeader header) {
        ClientId client = new ClientId(from, HEX.formatHex(header.sourceId()));
        byte[] payload = InitialProtection.open(InitialProtection.Sender.CLIENT, header.destinationId(), data, header);
        if (payload != null) {
            firstFlights.putIfAbsent(client, header.destinationId());
            int limit = ClientPayloadLimit.of(payload);
            if (limit != ClientPayloadLimit.UNKNOWN) {
                payloadLimits.putIfAbsent(from, limit);
            }
            return true;
        }
        byte[] original = firstFlights.get(client);
        return original != null
                && InitialProtection.open(InitialProtection.Sender.CLIENT, original, data, header) != null;
    }

    /**
     * The largest UDP payload the client at {@code address} accepts, as its first flight said
     * (its max_udp_payload_size), or {@link ClientPayloadLimit#UNKNOWN}; forgotten once asked.
     */
    int takePayloadLimit(SocketAddress address) {
        Integer limit = payloadLimits.remove(address);
        return limit == null ? ClientPayloadLimit.UNKNOWN : limit;
    }

    /**
     * The original destination ID of the handshake of the client at {@code address} whose source
     * ID is {@code clientId} (where the server sends its Initial packets), or {@code null} when no
     * first flight of it was admitted lately.
     */
    byte[] originalDestinationId(SocketAddress address, byte[] clientId) {
        return firstFlights.get(new ClientId(address, HEX.formatHex(clientId)));
    }
}
