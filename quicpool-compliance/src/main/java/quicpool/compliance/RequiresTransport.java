// SPDX-License-Identifier: Apache-2.0
package quicpool.compliance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class or method only where the named transport can run, for example where Netty's
 * native QUIC library exists for this platform; elsewhere the tests are skipped, with the
 * transport's reason on standard error. On the platforms listed in {@link #requiredOn()} nothing is
 * skipped: a transport that cannot run there fails the tests instead of hiding behind a skip.
 */
@Inherited
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TransportAvailability.class)
public @interface RequiresTransport {

    /** The transport's name, as {@code QuicTransport.name()} gives it. */
    String value();

    /**
     * Platforms, as {@code os-arch} in Netty's classifier form ({@code linux-x86_64}), on which
     * the transport must run. Default: {@code linux-x86_64}, the platform whose native library the
     * build ships.
     */
    String[] requiredOn() default {"linux-x86_64"};
}
