// SPDX-License-Identifier: Apache-2.0
package quicpool.core.control;

import quicpool.api.internal.ClientPoolConfig;

/** The controller a configuration's {@link quicpool.api.RefillPolicy} names. */
public final class Controllers {
    private Controllers() {
    }

    public static RefillController forConfig(ClientPoolConfig c) {
        switch (c.refillPolicy()) {
            case ADAPTIVE:
                return new AdaptiveController(c.minCapacity(), c.maxCapacity(), c.minInterval(), c.maxInterval());
            case CLASSIC:
                return new ClassicController(c.minCapacity(), c.maxCapacity(), c.minInterval(), c.maxInterval());
            default:
                throw new AssertionError(c.refillPolicy());
        }
    }
}
