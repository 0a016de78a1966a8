// SPDX-License-Identifier: Apache-2.0
package quicpool.core.server;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import quicpool.api.IpRange;

/**
 * An allow-list set at run time ({@link CoreServerPool#allowOnly}): the addresses in any of its
 * ranges, and no other; with no range, nobody. Immutable.
 */
final class AllowList implements Predicate<InetAddress> {
    private final IpRange[] ranges;

    private AllowList(List<IpRange> ranges) {
        this.ranges = ranges.toArray(IpRange[]::new);
    }

    /**
     * @throws NullPointerException     if {@code addressesOrCidrs} is or holds null
     * @throws IllegalArgumentException naming the first entry that is not an IP literal or CIDR range
     */
    static AllowList parse(Collection<String> addressesOrCidrs) {
        Objects.requireNonNull(addressesOrCidrs, "addressesOrCidrs");
        List<IpRange> ranges = new ArrayList<>(addressesOrCidrs.size());
        for (String text : addressesOrCidrs) {
            ranges.add(IpRange.parse(Objects.requireNonNull(text, "an allowed client is null")));
        }
        return new AllowList(ranges);
    }

    @Override
    public boolean test(InetAddress client) {
        for (IpRange r : ranges) {
            if (r.contains(client)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return ranges.length == 0 ? "nobody" : List.of(ranges).toString();
    }
}
