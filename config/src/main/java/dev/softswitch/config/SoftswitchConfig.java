package dev.softswitch.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a configuration file says, validated: every reference resolved (routes name assistants that exist,
 * secrets are read) and every value in range. Load one with {@link ConfigLoader}.
 *
 * @param listen where SIP, RTP and HTTP listen
 * @param rtp media settings
 * @param codecs codecs offered and accepted, in preference order: SDP encoding names in upper case
 * @param assistants the assistants, at least one, ids unique
 * @param trunks the SIP trunks, names unique
 * @param pbxUsers the PBX users who register, usernames unique
 * @param limits limits over all calls, whatever carries them
 * @param records where call records and recordings go
 * @param api the HTTP API's bearer keys
 * @param providers the cloud providers (and Asterisk AudioSocket) whose calls come in over the HTTP port
 * @param security the SIP side's defences: message size, per-address limits and bans, scanners, hidden mode
 * @param redis the Redis that several instances share ({@link RedisConfig#NONE}: none, state in memory)
 */
public record SoftswitchConfig(
        ListenConfig listen,
        RtpConfig rtp,
        List<String> codecs,
        List<AssistantConfig> assistants,
        List<TrunkConfig> trunks,
        List<PbxUserConfig> pbxUsers,
        CallLimits limits,
        RecordsConfig records,
        ApiConfig api,
        ProvidersConfig providers,
        SecurityConfig security,
        RedisConfig redis) {

    /** The codecs a configuration may name (SDP encoding names). */
    public static final List<String> KNOWN_CODECS = List.of("PCMU", "PCMA", "G722");

    /** The codecs when the file names none, as {@code serve} has them: G.722 (wideband) first, then G.711 mu-law and A-law. */
    public static final List<String> DEFAULT_CODECS = List.of("G722", "PCMU", "PCMA");

    public SoftswitchConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(rtp, "rtp");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(providers, "providers");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(redis, "redis");
        codecs = List.copyOf(codecs);
        assistants = List.copyOf(assistants);
        trunks = List.copyOf(trunks);
        pbxUsers = List.copyOf(pbxUsers);
    }

    /** A configuration without {@code redis:}. */
    public SoftswitchConfig(
            ListenConfig listen,
            RtpConfig rtp,
            List<String> codecs,
            List<AssistantConfig> assistants,
            List<TrunkConfig> trunks,
            List<PbxUserConfig> pbxUsers,
            CallLimits limits,
            RecordsConfig records,
            ApiConfig api,
            ProvidersConfig providers,
            SecurityConfig security) {
        this(
                listen,
                rtp,
                codecs,
                assistants,
                trunks,
                pbxUsers,
                limits,
                records,
                api,
                providers,
                security,
                RedisConfig.NONE);
    }

    /** A configuration without {@code security:}. */
    public SoftswitchConfig(
            ListenConfig listen,
            RtpConfig rtp,
            List<String> codecs,
            List<AssistantConfig> assistants,
            List<TrunkConfig> trunks,
            List<PbxUserConfig> pbxUsers,
            CallLimits limits,
            RecordsConfig records,
            ApiConfig api,
            ProvidersConfig providers) {
        this(
                listen,
                rtp,
                codecs,
                assistants,
                trunks,
                pbxUsers,
                limits,
                records,
                api,
                providers,
                SecurityConfig.DEFAULTS);
    }

    /** A configuration without {@code providers:}. */
    public SoftswitchConfig(
            ListenConfig listen,
            RtpConfig rtp,
            List<String> codecs,
            List<AssistantConfig> assistants,
            List<TrunkConfig> trunks,
            List<PbxUserConfig> pbxUsers,
            CallLimits limits,
            RecordsConfig records,
            ApiConfig api) {
        this(listen, rtp, codecs, assistants, trunks, pbxUsers, limits, records, api, ProvidersConfig.NONE);
    }

    public Optional<AssistantConfig> assistant(String id) {
        return assistants.stream().filter(a -> a.id().equals(id)).findFirst();
    }

    public Optional<TrunkConfig> trunk(String name) {
        return trunks.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public Optional<PbxUserConfig> pbxUser(String username) {
        return pbxUsers.stream().filter(u -> u.username().equals(username)).findFirst();
    }
}
