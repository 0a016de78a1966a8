// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IP address or CIDR range of clients a server pool admits, such as {@code "10.0.0.7"},
 * {@code "10.0.0.0/8"} or {@code "2001:db8::/32"}.
 *
 * <p>IPv4-mapped IPv6 addresses ({@code ::ffff:10.0.0.1}) are treated as the IPv4 address they
 * carry, on both sides of the comparison. Immutable.
 */
public final class IpRange {
    private final byte[] network;
    private final int prefixLength;

    private IpRange(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses an address literal or a CIDR range. Host names are refused: no DNS look-up happens.
     *
     * @throws IllegalArgumentException if the text is not an IP literal, optionally followed by
     *                                  {@code /prefix} within the address's bit length
     */
    public static IpRange parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.trim();
        int slash = s.indexOf('/');
        String addressPart = slash < 0 ? s : s.substring(0, slash);
        byte[] address = normalize(literal(addressPart, text));
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("allowed client \"" + text + "\": prefix length must be 0.."
                        + bits + " for this address");
            }
        }
        return new IpRange(mask(address, prefix), prefix);
    }

    /** True if the address lies in this range. */
    public boolean contains(InetAddress address) {
        byte[] a = normalize(address.getAddress());
        return a.length == network.length && Arrays.equals(mask(a, prefixLength), network);
    }

    private static byte[] literal(String s, String original) {
        boolean looksLikeIp = s.indexOf(':') >= 0 || s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (looksLikeIp) {
            try {
                InetAddress a = InetAddress.getByName(s); // a literal: no look-up
                if (a instanceof Inet4Address || a instanceof Inet6Address) {
                    return a.getAddress();
                }
            } catch (UnknownHostException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException("allowed client \"" + original
                + "\" must be an IP address or CIDR range such as 10.0.0.7 or 10.0.0.0/8");
    }

    /** IPv4-mapped IPv6 (::ffff:a.b.c.d) becomes the 4-byte IPv4 address. */
    static byte[] normalize(byte[] a) {
        if (a.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (a[i] != 0) {
                    return a;
                }
            }
            if (a[10] == (byte) 0xff && a[11] == (byte) 0xff) {
                return Arrays.copyOfRange(a, 12, 16);
            }
        }
        return a;
    }

    private static byte[] mask(byte[] a, int prefix) {
        byte[] m = a.clone();
        for (int i = 0; i < m.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            m[i] &= (byte) (0xff << (8 - keep));
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpRange r && r.prefixLength == prefixLength && Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
