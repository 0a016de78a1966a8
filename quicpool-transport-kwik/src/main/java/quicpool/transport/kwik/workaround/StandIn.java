// SPDX-License-Identifier: Apache-2.0
package quicpool.transport.kwik.workaround;

/**
 * What Kwik is told to interrupt in place of one of the caller's threads: never started, its
 * {@link #interrupt()} runs a wake-up instead, so that Kwik's interrupt (of a reader or a writer it
 * takes for blocked in one of its streams, when the stream is reset or its connection ends) never
 * reaches the caller's thread, where it could arrive after the call returned.
 */
final class StandIn extends Thread {

    private final Runnable wake;

    StandIn(String name, Runnable wake) {
        super(null, null, name, 0, false);
        this.wake = wake;
    }

    @Override
    public void interrupt() {
        wake.run();
    }
}
