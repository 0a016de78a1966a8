// SPDX-License-Identifier: Apache-2.0
package quicpool.api.internal;

import java.util.Objects;
import java.util.function.Function;
import quicpool.api.ClientPoolBuilder;
import quicpool.api.ServerPoolBuilder;

/**
 * Reads a builder's checked configuration for the engine's tests, so that the builders need no
 * public {@code config()}. Each builder class registers its package-private {@code config()} here
 * when it is initialized, which is before any instance of it exists (the JDK's SharedSecrets
 * pattern). Thread-safe.
 */
public final class BuilderConfigs {
    private static volatile Function<ClientPoolBuilder, ClientPoolConfig> clientReader;
    private static volatile Function<ServerPoolBuilder, ServerPoolConfig> serverReader;

    private BuilderConfigs() {
    }

    /** Called once, by {@link ClientPoolBuilder}'s static initializer. */
    public static void registerClient(Function<ClientPoolBuilder, ClientPoolConfig> reader) {
        clientReader = Objects.requireNonNull(reader, "reader");
    }

    /** Called once, by {@link ServerPoolBuilder}'s static initializer. */
    public static void registerServer(Function<ServerPoolBuilder, ServerPoolConfig> reader) {
        serverReader = Objects.requireNonNull(reader, "reader");
    }

    /**
     * The builder's configuration, checked as {@code build()} checks it, without looking for an
     * engine or a transport.
     *
     * @throws NullPointerException     if {@code builder} is null
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public static ClientPoolConfig client(ClientPoolBuilder builder) {
        Objects.requireNonNull(builder, "builder");
        return clientReader.apply(builder);
    }

    /**
     * The builder's configuration, checked as {@code build()} checks it, without looking for an
     * engine or a transport.
     *
     * @throws NullPointerException     if {@code builder} is null
     * @throws IllegalArgumentException naming the field, its value and the rule it breaks
     */
    public static ServerPoolConfig server(ServerPoolBuilder builder) {
        Objects.requireNonNull(builder, "builder");
        return serverReader.apply(builder);
    }
}
