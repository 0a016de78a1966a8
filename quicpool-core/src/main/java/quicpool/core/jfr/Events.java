// SPDX-License-Identifier: Apache-2.0
package quicpool.core.jfr;

/** Loads quicpool's JFR event classes. */
public final class Events {

    private Events() {
    }

    /**
     * Initialises every event class now, on the calling thread. Without it the first gets that wait
     * at the same moment would initialise {@link GetWaitedEvent} together, and a thread that waits
     * for another's class initialisation pins a virtual thread to its carrier.
     */
    public static void initialize() {
        new GetWaitedEvent();
        new DialEvent();
        new RefillCycleEvent();
        new EvictionEvent();
    }
}
