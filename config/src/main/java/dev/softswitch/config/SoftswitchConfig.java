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
        ApiConfig api) {

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
        codecs = List.copyOf(codecs);
        assistants = List.copyOf(assistants);
        trunks = List.copyOf(trunks);
        pbxUsers = List.copyOf(pbxUsers);
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
