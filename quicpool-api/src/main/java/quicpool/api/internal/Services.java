// SPDX-License-Identifier: Apache-2.0
package quicpool.api.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import quicpool.api.spi.QuicTransport;

/** Finds the engine and chooses a transport with {@link ServiceLoader}. */
public final class Services {
    /** System property naming the transport to use when the builder names none. */
    public static final String TRANSPORT_PROPERTY = "quicpool.transport";

    private static final System.Logger LOG = System.getLogger("quicpool");
    private static final String ADD_TRANSPORT = "add io.quicpool:quicpool-transport-kwik (pure Java) or "
            + "io.quicpool:quicpool-transport-netty (with io.netty:netty-codec-native-quic's native jar for your"
            + " platform, e.g. classifier linux-x86_64) to the module path";

    private Services() {
    }

    public static PoolEngine engine() {
        return ServiceLoader.load(PoolEngine.class, PoolEngine.class.getClassLoader()).findFirst()
                .or(() -> ServiceLoader.load(PoolEngine.class).findFirst())
                .orElseThrow(() -> new IllegalStateException(
                        "no quicpool engine found: add io.quicpool:quicpool-core to the module path"));
    }

    /** The explicit instance, else the named one, else the property's, else the best available. */
    public static QuicTransport transport(String name, QuicTransport explicit) {
        if (explicit != null) {
            return checked(explicit);
        }
        List<QuicTransport> all = installed();
        String wanted = name != null ? name : System.getProperty(TRANSPORT_PROPERTY);
        if (wanted != null && !wanted.isBlank()) {
            for (QuicTransport t : all) {
                if (t.name().equals(wanted)) {
                    LOG.log(Level.DEBUG, "quicpool transport \"{0}\" chosen by name", wanted);
                    return checked(t);
                }
            }
            throw new IllegalStateException("no QUIC transport named \"" + wanted + "\" is installed; installed: "
                    + names(all) + ". To use it, " + ADD_TRANSPORT);
        }
        List<String> unavailable = new ArrayList<>();
        Optional<QuicTransport> best = all.stream()
                .filter(QuicTransport::autoSelectable)
                .filter(t -> {
                    Optional<String> why = t.unavailableReason();
                    why.ifPresent(w -> unavailable.add(t.name() + ": " + w));
                    return why.isEmpty();
                })
                .min(Comparator.comparingInt(QuicTransport::priority).reversed().thenComparing(QuicTransport::name));
        if (best.isPresent()) {
            LOG.log(Level.DEBUG, "quicpool transport \"{0}\" chosen among {1}", best.get().name(), names(all));
            for (String skipped : unavailable) {
                LOG.log(Level.INFO, "quicpool transport skipped, using \"" + best.get().name() + "\" instead: " + skipped);
            }
            return best.get();
        }
        if (!unavailable.isEmpty()) {
            throw new IllegalStateException("no usable QUIC transport: " + String.join("; ", unavailable));
        }
        throw new IllegalStateException("no QUIC transport found: " + ADD_TRANSPORT);
    }

    private static QuicTransport checked(QuicTransport t) {
        t.unavailableReason().ifPresent(why -> {
            throw new IllegalStateException("QUIC transport \"" + t.name() + "\" cannot run here: " + why);
        });
        return t;
    }

    private static List<QuicTransport> installed() {
        List<QuicTransport> all = new ArrayList<>();
        ServiceLoader.load(QuicTransport.class, QuicTransport.class.getClassLoader()).forEach(all::add);
        if (all.isEmpty()) {
            ServiceLoader.load(QuicTransport.class).forEach(all::add);
        }
        return all;
    }

    private static String names(List<QuicTransport> all) {
        return all.isEmpty() ? "none" : all.stream().map(QuicTransport::name).collect(Collectors.joining(", "));
    }
}
