package dev.softswitch.config;

import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A SIP trunk ({@code trunks[]}): a carrier or PBX known by its source networks and, optionally, digest credentials,
 * with the assistant that answers each number dialled through it; and, when it has {@code outbound}, how the softswitch
 * places calls through it. A trunk only called out through has no networks, credentials or routes, so no incoming call
 * matches it.
 *
 * @param name the trunk's name, for logs, call records and the vault
 * @param networks the source networks calls from this trunk may come from
 * @param credentials digest credentials the trunk authenticates with, if any
 * @param routes dialled number to assistant id, in file order; the key {@value #DEFAULT_ROUTE} catches the rest
 * @param limits this trunk's own call limits
 * @param outbound how calls are placed through this trunk, or null when they are not
 */
public record TrunkConfig(
        String name,
        List<CidrNetwork> networks,
        @Nullable DigestCredentials credentials,
        Map<String, String> routes,
        CallLimits limits,
        @Nullable OutboundTrunk outbound) {

    /** The route key that matches any number no other route names. */
    public static final String DEFAULT_ROUTE = "default";

    public TrunkConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(limits, "limits");
        networks = List.copyOf(networks);
        routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
    }

    /** A trunk that takes calls only: no {@code outbound}. */
    public TrunkConfig(
            String name,
            List<CidrNetwork> networks,
            @Nullable DigestCredentials credentials,
            Map<String, String> routes,
            CallLimits limits) {
        this(name, networks, credentials, routes, limits, null);
    }

    /** The id of the assistant that answers {@code dialled}: its own route, else the default route, else none. */
    public Optional<String> assistantFor(String dialled) {
        String assistant = routes.get(dialled);
        return Optional.ofNullable(assistant != null ? assistant : routes.get(DEFAULT_ROUTE));
    }

    /** Whether a packet from {@code source} may come from this trunk. */
    public boolean allows(InetAddress source) {
        return networks.stream().anyMatch(network -> network.contains(source));
    }
}
