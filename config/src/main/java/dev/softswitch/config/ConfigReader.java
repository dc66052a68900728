package dev.softswitch.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Walks a whole document: every section, then what sections say about each other (routes and PBX users name
 * assistants that exist, RTP ports do not overlap SIP or HTTP). Every problem goes to the {@link Diagnostics}; when
 * there is any, the config returned is a placeholder and must not be used.
 */
final class ConfigReader {

    static final List<String> SECTIONS = List.of(
            "listen",
            "rtp",
            "codecs",
            "assistants",
            "trunks",
            "pbx_users",
            "limits",
            "records",
            "api",
            "providers",
            "security",
            "redis");

    static final List<String> LIMIT_KEYS = List.of("max_concurrent_calls", "max_calls_per_second");

    private ConfigReader() {}

    static SoftswitchConfig read(@Nullable YamlNode document, NodeReader reader) {
        YamlNode root = document != null ? document : new YamlNode.Scalar(YamlNode.ScalarType.NULL, "", null, 1, 1);
        MappingReader sections = reader.mapping(root, "", SECTIONS);
        if (sections == null) {
            // Not a mapping at all: that one error says it; the missing sections would only repeat it.
            return placeholder();
        }
        MappingReader listenSection = sections.mapping("listen", ListenReader.KEYS);
        MappingReader rtpSection = sections.mapping("rtp", MediaReader.RTP_KEYS);
        ListenConfig listen = ListenReader.read(listenSection);
        RtpConfig rtp = MediaReader.rtp(rtpSection);
        List<String> codecs = MediaReader.codecs(sections);
        List<AssistantConfig> assistants = AssistantsReader.read(sections);
        List<AssistantReference> references = new ArrayList<>();
        List<TrunkConfig> trunks = TrunksReader.read(sections, references);
        List<PbxUserConfig> users = PbxUsersReader.read(sections, references);
        MappingReader limitsSection = sections.mapping("limits", LIMIT_KEYS);
        CallLimits limits = new CallLimits(
                limitsSection.limit("max_concurrent_calls"), limitsSection.limit("max_calls_per_second"));
        MappingReader recordsSection = sections.mapping("records", List.of("calls", "recordings"));
        RecordsConfig records = new RecordsConfig(
                path(recordsSection, "calls", RecordsConfig.DEFAULTS.calls()),
                path(recordsSection, "recordings", RecordsConfig.DEFAULTS.recordings()));
        ApiConfig api = ApiReader.read(sections);
        ProvidersConfig providers = ProvidersReader.read(sections, references);
        SecurityConfig security = SecurityReader.read(sections);
        RedisConfig redis = RedisReader.read(sections);
        checkReferences(assistants, references, reader);
        checkPorts(listenSection, rtpSection, listen, rtp);
        return new SoftswitchConfig(
                listen, rtp, codecs, assistants, trunks, users, limits, records, api, providers, security, redis);
    }

    private static SoftswitchConfig placeholder() {
        return new SoftswitchConfig(
                ListenConfig.DEFAULTS,
                RtpConfig.DEFAULTS,
                SoftswitchConfig.DEFAULT_CODECS,
                List.of(),
                List.of(),
                List.of(),
                CallLimits.UNLIMITED,
                RecordsConfig.DEFAULTS,
                ApiConfig.NONE,
                ProvidersConfig.NONE);
    }

    private static Path path(MappingReader section, String key, Path fallback) {
        String text = section.text(key);
        if (text == null) {
            return fallback;
        }
        try {
            return Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            section.reader().error(section.get(key), section.field(key), "not a file path: " + e.getReason());
            return fallback;
        }
    }

    private static void checkReferences(
            List<AssistantConfig> assistants, List<AssistantReference> references, NodeReader reader) {
        Set<String> ids = assistants.stream()
                .map(AssistantConfig::id)
                .filter(id -> !id.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        for (AssistantReference reference : references) {
            if (ids.contains(reference.id())) {
                continue;
            }
            Optional<String> near = Suggestions.closest(reference.id(), ids);
            String hint = near.map(id -> "did you mean \"" + id + "\"?")
                    .orElseGet(() ->
                            ids.isEmpty() ? "no assistant is configured" : "assistants: " + String.join(", ", ids));
            reader.error(
                    reference.node(), reference.field(), "unknown assistant \"" + reference.id() + "\" (" + hint + ")");
        }
    }

    /** RTP must not take the SIP or HTTP port; the error points at the range if the file gives one, else the port. */
    private static void checkPorts(
            MappingReader listenSection, MappingReader rtpSection, ListenConfig listen, RtpConfig rtp) {
        PortRange ports = rtp.ports();
        checkPort(listenSection, rtpSection, ports, "sip_port", listen.sipPort());
        if (listen.httpPort() != 0) {
            checkPort(listenSection, rtpSection, ports, "http_port", listen.httpPort());
        }
    }

    private static void checkPort(
            MappingReader listenSection, MappingReader rtpSection, PortRange ports, String key, int port) {
        if (!ports.contains(port)) {
            return;
        }
        YamlNode range = rtpSection.get("ports");
        YamlNode portNode = listenSection.get(key);
        if (range != null) {
            rtpSection
                    .reader()
                    .error(range, rtpSection.field("ports"), ports + " holds " + listenSection.field(key) + " " + port);
        } else if (portNode != null) {
            listenSection
                    .reader()
                    .error(
                            portNode,
                            listenSection.field(key),
                            port + " is in the RTP port range " + ports + " (rtp.ports)");
        }
    }
}
