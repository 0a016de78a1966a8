// SPDX-License-Identifier: Apache-2.0
/**
 * The transport compliance kit: the end-to-end behaviour every {@link quicpool.api.spi.QuicTransport}
 * must show, as one abstract JUnit suite ({@link quicpool.compliance.TransportComplianceKit}).
 */
module quicpool.compliance {
    requires transitive quicpool.testkit;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    requires java.management;
    requires awaitility; // an automatic module: Awaitility 4.3.0 names none, so its jar's name gives it

    exports quicpool.compliance;
    opens quicpool.compliance to org.junit.platform.commons;

    uses quicpool.api.spi.QuicTransport; // RequiresTransport asks each transport whether it runs here
}
